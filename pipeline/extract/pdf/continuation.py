"""The last rows of a ruled table carried over onto the next page under its repeated header.

camelot drops a ruled grid whose cells are nine-tenths empty (its gate against page borders taken for
tables), and a table's last row or two, printed on a page of otherwise empty ruled rows, is such a
grid; the image reader may also miss the faint inner rules of a short grid and run its figures into
one cell. Read by word positions alone, the page's wrapped headings run into one another and a figure
lands under the wrong heading (a 一般公共预算 figure under 政府性基金). Such a page repeats the header of
the table that ends on the page before: its rows are read in that table's columns and put under that
table's header, so the assembler joins them to it as it joins any table continued under a repeated
header.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pipeline.extract.layout import split_header
from pipeline.extract.pdf.document import PdfPage
from pipeline.extract.pdf.grids import Fragment
from pipeline.extract.pdf.lines import TextLine, has_amount
from pipeline.extract.pdf.words import fragment_in_columns


def continued_grids(pages: Sequence[PdfPage], fragments: Sequence[Fragment]) -> list[Fragment]:
    """``fragments`` with the top grid of each of ``pages`` read again in the columns of the lowest
    grid of the page before, where the page repeats that grid's header and its own top grid is
    missing (dropped as noise) or has fewer columns (inner rules too faint for the image reader)."""
    by_page: dict[int, list[Fragment]] = {}
    for fragment in fragments:
        by_page.setdefault(fragment.page, []).append(fragment)
    out = list(fragments)
    for page in pages:
        before = min(by_page.get(page.number - 1, []), key=lambda f: f.bottom, default=None)
        own = max(by_page.get(page.number, []), key=lambda f: f.top, default=None)
        if before is None or (own is not None and own.n_columns >= before.n_columns):
            continue
        lines = page.lines if own is None else [ln for ln in page.lines if ln.bottom >= own.bottom - 1]
        grid = _continued(page.number, lines, before)
        if grid is not None:
            out = [f for f in out if f is not own] + [grid]
    return out


def _continued(page: int, lines: Sequence[TextLine], before: Fragment) -> Fragment | None:
    header, _ = split_header(before.rows)
    amount_lines = [k for k, line in enumerate(lines) if has_amount(line)]
    if not header or not amount_lines:
        return None
    first, last = amount_lines[0], amount_lines[-1]
    if not _repeats(header, lines[:first]):
        return None
    grid = fragment_in_columns(page, lines[first:last + 1], before.col_spans)
    if grid is None or len(grid.col_spans) != len(before.col_spans):
        return None
    top = lines[first].top
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
