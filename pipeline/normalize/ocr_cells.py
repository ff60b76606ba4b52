"""Figures OCR damaged beyond reading: a finding at their row, never a silently missing amount.

On a text layer a cell under an amount heading is a figure or text the publisher printed. On a
scan it can be a figure the recogniser garbled ('39l.18', '1,2 3.45'): it parses as no amount, so
the row would simply lack it, and the table's sums would skip the row instead of failing. Every
such cell on an OCR'd page is reported as ``amount_unreadable`` with the table, page and row.
"""

from __future__ import annotations

from pipeline.model import Place
from pipeline.normalize.amounts import parse_amount
from pipeline.normalize.grid import PlacedTable


def unreadable_amounts(placed: PlacedTable, ocr_pages: set[int]) -> list[tuple[str, Place]]:
    """(description, place) of each figure cell on an OCR'd page that does not read as an amount."""
    found = []
    for row in placed.rows:
        if row.page not in ocr_pages:
            continue
        for col in placed.blocks[row.block]:
            # 'text': a column of figures so damaged that the table model saw no amounts in it
            if col.role not in ("amount", "text") or col.index >= len(row.cells):
                continue
            cell = row.cells[col.index].strip()
            if _looks_like_figure(cell) and parse_amount(cell) is None:
                found.append((
                    f"table {placed.table.title} page {row.page}: row {row.label or row.code or row.index} "
                    f"(row #{row.index}), column {col.label}: '{cell}'",
                    Place(placed.table.index, row.index, row.page),
                ))
    return found


def _looks_like_figure(cell: str) -> bool:
    """Meant to be a figure: mostly digits (a letter or two the recogniser put in)."""
    digits = sum(ch.isdigit() for ch in cell)
    return digits >= 1 and digits >= 0.6 * len(cell.replace(" ", ""))
