"""Generate small budget-table PDFs for the PDF reader's tests and benchmark.

The corpus PDFs all come from one office suite; real disclosures come from many producers. These
helpers draw the same rows in other layouts with reportlab's built-in CID font ``STSong-Light``
(no font file needed; the PDF references the font instead of embedding it):

* ``ruled``      – every cell boxed (the common case);
* ``borderless`` – rules only above and below the header and under the last row;
* ``plain``      – no rules at all;
* a table broken over two pages, with or without the header repeated;
* landscape pages;
* a grid drawn as one path, or with thin filled rectangles for rules (spreadsheet exports);
* a scanned page with an OCR text layer (rules only in the picture);
* a scan-like PDF (page images only, no text layer) and encrypted / empty / cut files
  (drawn by :mod:`tests.pdfgen_scans`, re-exported here).

Rows come from the corpus text fixtures (:func:`fixture_table`), so tests compare the cells read
back from the PDF with the rows the generator was given. Pipeline code never reads fixtures.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# Scans and refused files live in pdfgen_scans; callers keep writing pdfgen.build_*.
from tests.pdfgen_scans import build_encrypted_pdf as build_encrypted_pdf
from tests.pdfgen_scans import build_ocr_scan_pdf as build_ocr_scan_pdf
from tests.pdfgen_scans import build_scan_pdf as build_scan_pdf
from tests.pdfgen_scans import build_truncated_pdf as build_truncated_pdf
from tests.pdfgen_scans import build_zero_page_pdf as build_zero_page_pdf

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

Layout = Literal["ruled", "borderless", "plain"]  # plain: no rules at all

_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=14, leading=18, spaceAfter=4)
_LINE = ParagraphStyle("line", fontName=FONT, fontSize=9, leading=12)
_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK")


@dataclass
class TableSpec:
    """One table to draw: its title, declared unit, rows (header rows first) and extras."""

    title: str
    unit: str | None
    rows: list[list[str]]
    n_header: int = 1  # rows repeated when the table resumes on a new page
    context_lines: list[str] = field(default_factory=list)  # drawn between title and table
    notes: list[str] = field(default_factory=list)  # drawn right under the table

    @property
    def n_columns(self) -> int:
        return max(len(r) for r in self.rows)

    def padded_rows(self) -> list[list[str]]:
        """Rows padded with '' to the table width (how a reader returns them)."""
        n = self.n_columns
        return [list(r) + [""] * (n - len(r)) for r in self.rows]


# --- reading rows from the corpus text fixtures -------------------------------------------------


def fixture_table(text_path: Path, title_contains: str, occurrence: int = 0) -> TableSpec:
    """The rows under the n-th title line containing ``title_contains`` in a text fixture.

    Text fixtures put a table as: title line, blank, '单位：万元', blank, tab-separated rows up to
    the next blank line. Header rows are the rows before the first row that has an amount.
    """
    lines = text_path.read_text(encoding="utf-8").splitlines()
    hits = [
        i
        for i, ln in enumerate(lines)
        if title_contains in ln.replace(" ", "") and "\t" not in ln and not ln.lstrip().startswith("-")
    ]
    start = hits[occurrence]
    title = lines[start].strip().lstrip("#").strip()
    unit: str | None = None
    i = start + 1
    while i < len(lines) and "\t" not in lines[i]:
        s = lines[i].replace(" ", "")
        if s.startswith("单位") and "元" in s:
            unit = s.split("：")[-1].split(":")[-1]
        i += 1
    rows: list[list[str]] = []
    while i < len(lines) and lines[i].strip():
        rows.append([c.strip() for c in lines[i].split("\t")])
        i += 1
    n_header = next((k for k, r in enumerate(rows) if any(_is_amount(c) for c in r)), 1)
    return TableSpec(title=title, unit=unit, rows=rows, n_header=max(n_header, 1))


def _is_amount(cell: str) -> bool:
    s = cell.replace(",", "")
    return "." in s and s.replace(".", "", 1).isdigit()


# --- drawing tables ---------------------------------------------------------------------------


def _has_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def _column_widths(rows: Sequence[Sequence[str]], n_cols: int, available: float) -> list[float]:
    """Numbers and codes never wrap; text columns share what is left and wrap (CJK wrap)."""
    pad = 14.0  # reportlab cell padding is 6 + 6
    size = _CELL.fontSize
    least = [pad + size * 2] * n_cols  # at least two characters
    want = list(least)
    for row in rows:
        for j, cell in enumerate(row):
            width = pdfmetrics.stringWidth(cell, FONT, size) + pad
            want[j] = max(want[j], min(width, 14 * size + pad))
            if not _has_cjk(cell):
                least[j] = max(least[j], width)
    if sum(want) <= available:
        return want
    spare = available - sum(least)
    stretch = [w - m for w, m in zip(want, least, strict=True)]
    total = sum(stretch) or 1.0
    return [m + max(spare, 0.0) * s / total for m, s in zip(least, stretch, strict=True)]


def _table_style(layout: Layout, n_rows: int, n_header: int, last_part: bool) -> TableStyle:
    cmds: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if layout == "ruled":
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif layout == "borderless":
        if n_header:
            cmds.append(("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black))
            cmds.append(("LINEBELOW", (0, n_header - 1), (-1, n_header - 1), 0.5, colors.black))
        if last_part:
            cmds.append(("LINEBELOW", (0, n_rows - 1), (-1, n_rows - 1), 1.0, colors.black))
    return TableStyle(cmds)


def _table_flowable(
    rows: list[list[str]], widths: list[float], layout: Layout, n_header: int, last_part: bool
) -> Table:
    cells = [[Paragraph(_escape(c), _CELL) for c in row] for row in rows]
    table = Table(cells, colWidths=widths, hAlign="LEFT")
    table.setStyle(_table_style(layout, len(rows), n_header, last_part))
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_tables_pdf(
    path: Path | io.BytesIO,
    tables: Sequence[TableSpec],
    *,
    layout: Layout = "ruled",
    landscape_pages: bool = False,
    break_after: int | None = None,
    repeat_header: bool = True,
    preamble: Sequence[str] = (),
    page_break_between: bool = False,
) -> Path:
    """Draw ``tables`` one after another (title, unit line, context lines, table, notes).

    ``break_after``: start a new page after that many body rows of every table (the table runs
    over two pages); ``repeat_header`` repeats its header rows on the new page.
    ``preamble``: narrative paragraphs before the first table.
    """
    pagesize = landscape(A4) if landscape_pages else A4
    margin = 15 * mm
    doc = SimpleDocTemplate(
        path if isinstance(path, io.BytesIO) else str(path),
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title="generated budget tables",
    )
    available = pagesize[0] - 2 * margin
    story: list = [Paragraph(_escape(p), _LINE) for p in preamble]
    if preamble:
        story.append(Spacer(1, 6))
    for k, spec in enumerate(tables):
        if k and page_break_between:
            story.append(PageBreak())
        rows = spec.padded_rows()
        widths = _column_widths(rows, spec.n_columns, available)
        story.append(Paragraph(_escape(spec.title), _TITLE))
        for line in spec.context_lines:
            story.append(Paragraph(_escape(line), _LINE))
        if spec.unit:
            story.append(Paragraph(f"单位：{spec.unit}", _LINE))
        story.append(Spacer(1, 4))
        header, body = rows[: spec.n_header], rows[spec.n_header :]
        if break_after is not None and 0 < break_after < len(body):
            first = header + body[:break_after]
            second = (header if repeat_header else []) + body[break_after:]
            story.append(_table_flowable(first, widths, layout, spec.n_header, last_part=False))
            story.append(PageBreak())
            story.append(
                _table_flowable(second, widths, layout, spec.n_header if repeat_header else 0, True)
            )
        else:
            story.append(_table_flowable(rows, widths, layout, spec.n_header, last_part=True))
        for note in spec.notes:
            story.append(Paragraph(_escape(note), _LINE))
        story.append(Spacer(1, 14))
    doc.build(story)
    return path


GridRules = Literal["one-path", "filled-rects", "mitred-outlines"]


def build_canvas_grid_pdf(path: Path, spec: TableSpec, rules: GridRules) -> Path:
    """One table drawn straight on a landscape canvas, its rules the way some producers draw them.

    ``one-path``: the whole grid is a single path object (many segments); ``filled-rects``: every
    rule is a thin filled rectangle (spreadsheet exports do this); ``mitred-outlines``: every rule
    is a thin filled four-sided outline with one end cut at a slant, the way word processors draw
    cell borders (neither a line nor a rectangle to a PDF parser). Cells do not wrap.
    """
    from reportlab.pdfgen.canvas import Canvas

    width, height = landscape(A4)
    size, pad, row_h = 8.0, 6.0, 18.0
    rows = spec.padded_rows()
    widths = [
        max(pdfmetrics.stringWidth(r[j], FONT, size) for r in rows) + 2 * pad for j in range(spec.n_columns)
    ]
    xs = [40.0]
    for w in widths:
        xs.append(xs[-1] + w)
    top = height - 110
    ys = [top - i * row_h for i in range(len(rows) + 1)]
    canvas = Canvas(str(path), pagesize=(width, height))
    canvas.setFont(FONT, 14)
    canvas.drawString(40, height - 60, spec.title)
    canvas.setFont(FONT, 9)
    if spec.unit:
        canvas.drawString(40, height - 85, f"单位：{spec.unit}")
    if rules == "one-path":
        grid = canvas.beginPath()
        for y in ys:
            grid.moveTo(xs[0], y)
            grid.lineTo(xs[-1], y)
        for x in xs:
            grid.moveTo(x, ys[0])
            grid.lineTo(x, ys[-1])
        canvas.drawPath(grid, stroke=1, fill=0)
    elif rules == "filled-rects":
        for y in ys:
            canvas.rect(xs[0], y - 0.3, xs[-1] - xs[0], 0.6, stroke=0, fill=1)
        for x in xs:
            canvas.rect(x - 0.3, ys[-1], 0.6, ys[0] - ys[-1], stroke=0, fill=1)
    else:
        _draw_mitred_rules(canvas, xs, ys)
    canvas.setFont(FONT, size)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            canvas.drawString(xs[j] + pad, ys[i] - row_h / 2 - size / 3, cell)
    canvas.showPage()
    canvas.save()
    return path


def _draw_mitred_rules(canvas, xs: list[float], ys: list[float]) -> None:
    for y in ys:
        mitred_outline(canvas, xs[-1], y, xs[0], y)
    for x in xs:
        mitred_outline(canvas, x, ys[-1], x, ys[0])


def mitred_outline(canvas, x0: float, y0: float, x1: float, y1: float, width: float = 0.75) -> None:
    """The rule from (x0, y0) to (x1, y1) as a filled outline m-l-l-l-h whose start is mitred by the
    rule's width: four corners that make no rectangle, so a PDF parser sees a curve, not a line."""
    length = max(abs(x1 - x0), abs(y1 - y0)) or 1.0
    along = ((x1 - x0) / length * width, (y1 - y0) / length * width)
    across = (0.0, -width) if abs(y1 - y0) < abs(x1 - x0) else (width, 0.0)
    outline = canvas.beginPath()
    outline.moveTo(x0, y0)
    outline.lineTo(x1, y1)
    outline.lineTo(x1 + across[0], y1 + across[1])
    outline.lineTo(x0 + across[0] + along[0], y0 + across[1] + along[1])
    outline.close()
    canvas.drawPath(outline, stroke=0, fill=1)
