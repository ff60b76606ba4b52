"""The last rows of a ruled table carried over onto a page of empty ruled rows.

camelot drops a ruled grid whose cells are nine-tenths empty (its gate against page borders taken for
tables), and a table's last row or two, printed on a page of otherwise empty ruled rows, is such a
grid. Read by word positions alone, the page's wrapped headings run into one another and a figure
lands under the wrong heading (a 一般公共预算 figure under 政府性基金). Such a page repeats the header of
the table that ends on the page before: its rows are read in that table's columns and put under that
table's header, so the assembler joins them to it as it joins any table continued under a repeated
title and header.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pipeline.extract.layout import split_header
from pipeline.extract.pdf_borderless import fragment_in_columns, has_amount
from pipeline.extract.pdf_pages import PdfPage, TextLine
from pipeline.extract.pdf_tables import Fragment


def continued_grids(pages: Sequence[PdfPage], fragments: Sequence[Fragment]) -> list[Fragment]:
    """A grid for each of ``pages`` (ruled, without a grid of their own) that repeats the header of
    the lowest grid of the page before and holds amounts."""
    lowest: dict[int, Fragment] = {}
    for fragment in fragments:
        if fragment.page not in lowest or fragment.bottom < lowest[fragment.page].bottom:
            lowest[fragment.page] = fragment
    grids = []
    for page in pages:
        before = lowest.get(page.number - 1)
        grid = _continued(page, before) if before is not None else None
        if grid is not None:
            grids.append(grid)
    return grids


def _continued(page: PdfPage, before: Fragment) -> Fragment | None:
    header, _ = split_header(before.rows)
    amount_lines = [k for k, line in enumerate(page.lines) if has_amount(line)]
    if not header or not amount_lines:
        return None
    first, last = amount_lines[0], amount_lines[-1]
    if not _repeats(header, page.lines[:first]):
        return None
    grid = fragment_in_columns(page.number, page.lines[first:last + 1], before.col_spans)
    if grid is None or len(grid.col_spans) != len(before.col_spans):
        return None
    top = page.lines[first].top
    grid.rows = [list(r) for r in header] + grid.rows
    grid.raw_rows = [list(r) for r in header] + grid.raw_rows
    grid.row_spans = [(top, top)] * len(header) + grid.row_spans
    return grid


def _repeats(header: list[list[str]], lines: Sequence[TextLine]) -> bool:
    """Every character of the header's cells stands in the lines above the page's first figure
    (wrapped and run together as they may be)."""
    wanted = Counter(ch for row in header for cell in row for ch in cell if not ch.isspace())
    printed = Counter(ch for line in lines for ch in line.text if not ch.isspace())
    return bool(wanted) and not wanted - printed
