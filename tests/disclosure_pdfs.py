"""Draw small generated disclosures (cover page + one table per page) with reportlab.

A :class:`Grid` is a table exactly as printed: header rows, body rows, spanned cells, the lines
between the title and the table (``编制部门：…　单位：元``) and the notes under it. A
:class:`Disclosure` is a cover and its grids, drawn ``ruled`` (every cell boxed) or
``borderless`` (rules only above and below the header and under the last row), with reportlab's
built-in CID font ``STSong-Light`` (see :mod:`tests.pdfgen`). What the grids hold, and which facts
a reader must take from them, is :mod:`tests.disclosure_data`'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tests.pdfgen import FONT, _column_widths, _escape, mitred_outline

# outlined: ruled, every rule a thin filled outline with a mitred end (word processors' cell borders)
Layout = Literal["ruled", "borderless", "outlined"]
# (first column, first row, last column, last row), rows counted over header + body.
Span = tuple[int, int, int, int]

_COVER = ParagraphStyle("cover", fontName=FONT, fontSize=22, leading=30, spaceBefore=120, alignment=1)
_COVER_LINE = ParagraphStyle("cover_line", fontName=FONT, fontSize=12, leading=18, alignment=1)
_TITLE = ParagraphStyle("gtitle", fontName=FONT, fontSize=14, leading=18, spaceAfter=4, alignment=1)
_LINE = ParagraphStyle("gline", fontName=FONT, fontSize=9, leading=12)
_CELL = ParagraphStyle("gcell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK")
_AMOUNT = ParagraphStyle("gamount", parent=_CELL, alignment=TA_RIGHT)
_AMOUNT_TEXT = re.compile(r"^-?[\d,]+(\.\d+)?$")


@dataclass
class Grid:
    """One table as printed."""

    title: str
    header: list[list[str]]
    body: list[list[str]]
    spans: list[Span] = field(default_factory=list)
    heading: list[str] = field(default_factory=list)  # between title and table
    notes: list[str] = field(default_factory=list)  # under the table
    amount_from: int = 1  # first column whose body cells are amounts (drawn right-aligned)

    @property
    def rows(self) -> list[list[str]]:
        return self.header + self.body

    @property
    def n_columns(self) -> int:
        return max(len(r) for r in self.rows)


@dataclass
class Disclosure:
    """A cover page (its first line is the title) and its tables, one per page from page 2."""

    cover: list[str]
    grids: list[Grid]
    layout: Layout = "ruled"

    def page_of(self, grid_index: int) -> int:
        return grid_index + 2


def heading_line(publisher: str | None, unit: str) -> str:
    """The line above a table: '编制部门：…　　单位：万元', or the unit alone."""
    unit_text = f"单位：{unit}"
    return f"编制部门：{publisher}" + "\u3000" * 12 + unit_text if publisher else unit_text


def _width_rows(grid: Grid) -> list[list[str]]:
    """Rows for sizing columns: a spanned heading must not widen the first column it covers."""
    rows = [list(r) + [""] * (grid.n_columns - len(r)) for r in grid.rows]
    for c0, r0, c1, _ in grid.spans:
        if c1 > c0:
            rows[r0][c0] = ""
    return rows


def _style(grid: Grid, layout: Layout) -> TableStyle:
    n_header, n_rows = len(grid.header), len(grid.rows)
    cmds: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    cmds += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in grid.spans]
    if layout in ("ruled", "outlined"):
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    else:
        cmds.append(("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black))
        if n_header:
            cmds.append(("LINEBELOW", (0, n_header - 1), (-1, n_header - 1), 0.5, colors.black))
        cmds.append(("LINEBELOW", (0, n_rows - 1), (-1, n_rows - 1), 1.0, colors.black))
    return TableStyle(cmds)


def _flowable(grid: Grid, layout: Layout, available: float) -> Table:
    n = grid.n_columns
    widths = _column_widths(_width_rows(grid), n, available)
    cells = []
    for i, row in enumerate(grid.rows):
        padded = list(row) + [""] * (n - len(row))
        in_body = i >= len(grid.header)
        cells.append([
            Paragraph(
                _escape(c),
                _AMOUNT if in_body and j >= grid.amount_from and _AMOUNT_TEXT.match(c) else _CELL,
            )
            for j, c in enumerate(padded)
        ])
    table = (_OutlinedTable if layout == "outlined" else Table)(cells, colWidths=widths, hAlign="CENTER")
    table.setStyle(_style(grid, layout))
    return table


class _OutlinedTable(Table):
    """A ruled table whose every rule is drawn as a filled outline instead of a stroked line."""

    def _drawLines(self) -> None:
        canvas = self.canv
        canvas.line = lambda x0, y0, x1, y1: mitred_outline(canvas, x0, y0, x1, y1)
        try:
            super()._drawLines()
        finally:
            del canvas.line  # the instance attribute hid the class's method


def build_disclosure_pdf(path: Path, disclosure: Disclosure) -> Path:
    """Draw ``disclosure`` to ``path`` (landscape A4, cover on page 1, table k on page k + 2)."""
    pagesize = landscape(A4)
    margin = 15 * mm
    doc = SimpleDocTemplate(
        str(path), pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin, title=disclosure.cover[0] if disclosure.cover else "",
    )
    available = pagesize[0] - 2 * margin
    story: list = []
    for i, line in enumerate(disclosure.cover):
        story.append(Paragraph(_escape(line), _COVER if i == 0 else _COVER_LINE))
    for grid in disclosure.grids:
        story.append(PageBreak())
        story.append(Paragraph(_escape(grid.title), _TITLE))
        story += [Paragraph(_escape(line), _LINE) for line in grid.heading]
        story.append(Spacer(1, 4))
        story.append(_flowable(grid, disclosure.layout, available))
        story += [Paragraph(_escape(note), _LINE) for note in grid.notes]
    doc.build(story)
    return path
