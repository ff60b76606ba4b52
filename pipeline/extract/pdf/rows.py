"""Rules about the rows of a PDF table grid: meta rows, the unit cell, rows cut by a page break.

Header/body splitting and context rows use the same rules as the text reader
(:mod:`pipeline.extract.layout`), so both readers cut a table at the same row. What is left here
is what only a PDF needs: a grid that took in its own title lines, a row cut in two by a page
break, a continuation whose column borders differ.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.extract.layout import is_context_row
from pipeline.extract.pdf.grids import join_lines
from pipeline.extract.titles import looks_like_table_title, parse_unit
from pipeline.text import FIGURE, squash
from pipeline.vocabulary import UNIT_DECLARATION

Row = list[str]


@dataclass
class MetaRows:
    """Rows above a grid's header that only carry its title, unit or context."""

    title: str | None = None
    unit: str | None = None
    context: list[str] = field(default_factory=list)


def strip_meta_rows(rows: list[Row]) -> tuple[MetaRows, list[Row]]:
    """Take title / unit / context rows off the top of a grid.

    Borderless grids start with the title and '单位：万元' lines; ruled grids sometimes put
    '单位名称：… 单位：万元' or '101某县… 预算年度：2023 单位：万元' in their first row.
    """
    meta = MetaRows()
    # a borderless grid can start with narrative lines above its title: drop them
    k = next((i for i, r in enumerate(rows[:5]) if _lone_title(r)), 0)
    while k < len(rows):
        cells = [c for c in rows[k] if c]
        if not cells:
            k += 1
            continue
        if _lone_title(rows[k]):
            meta.title = meta.title or cells[0]
        elif is_context_row(rows[k]) or (len(cells) == 1 and parse_unit(cells[0])):
            meta.unit = meta.unit or next((u for u in map(parse_unit, cells) if u), None)
            meta.context.append(" ".join(cells))
        else:
            break
        k += 1
    return meta, rows[k:]


def take_unit(rows: list[Row], limit: int = 3) -> str | None:
    """A unit declared in a cell of the first rows ('单 位：万元' in a heading cell).

    The declaration is removed from the cell, as the text reader does, so the column is blank
    (from every cell: a declaration in a cell spanning two rows is read into both).
    """
    unit = None
    for row in rows[:limit]:
        for j, cell in enumerate(row):
            found = parse_unit(cell)
            if found:
                unit = unit or found
                row[j] = UNIT_DECLARATION.sub("", cell).strip()
    return unit


def _lone_title(row: Sequence[str]) -> bool:
    cells = [c for c in row if c]
    return len(cells) == 1 and looks_like_table_title(cells[0])


def is_caption_row(row: Sequence[str]) -> bool:
    """A row holding only a title or only a unit declaration (a borderless grid's top lines)."""
    cells = [c for c in row if c]
    return len(cells) == 1 and (looks_like_table_title(cells[0]) or parse_unit(cells[0]) is not None)


def same_row(a: Sequence[str], b: Sequence[str]) -> bool:
    """Rows equal once whitespace is ignored (a header repeated on the next page)."""
    return [squash(c) for c in a if squash(c)] == [squash(c) for c in b if squash(c)]


def is_cut_row(previous_raw: Sequence[str], row: Sequence[str], raw_rows: Sequence[Sequence[str]]) -> bool:
    """``row`` is the rest of the row ``previous_raw``, cut in two by a page break.

    The tail fills only columns the head also fills, carries no amount, and every head cell it
    continues ends in a full line (its text ran into the page break rather than ending there):
    as wide as the widest line in that column of the grid (``raw_rows``).
    """
    filled_prev = {j for j, c in enumerate(previous_raw) if c.strip()}
    filled = {j for j, c in enumerate(row) if c}
    if not filled or not filled < filled_prev:
        return False
    if any(FIGURE.match(squash(row[j])) for j in filled):
        return False
    for j in filled:
        capacity = max((_width(ln) for r in raw_rows if j < len(r) for ln in r[j].split("\n")), default=0)
        last_line = previous_raw[j].rstrip().split("\n")[-1]
        if _width(last_line) < capacity - 2:
            return False
    return True


def _width(text: str) -> int:
    """Display width: CJK characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text.strip())


def merge_cut_row(previous: Row, row: Sequence[str]) -> Row:
    return [join_lines([a, b]) for a, b in zip(previous, row, strict=True)]


def align_columns(
    rows: Sequence[Sequence[str]],
    spans: Sequence[tuple[float, float]],
    target: Sequence[tuple[float, float]],
) -> list[Row]:
    """Re-seat cells of a grid with other column borders under the target grid's columns."""
    mapping = [_best_column(span, target) for span in spans]
    aligned: list[Row] = []
    for row in rows:
        out = [""] * len(target)
        for j, cell in enumerate(row):
            if cell:
                k = mapping[j] if j < len(mapping) else len(target) - 1
                out[k] = join_lines([out[k], cell]) if out[k] else cell
        aligned.append(out)
    return aligned


def _best_column(span: tuple[float, float], target: Sequence[tuple[float, float]]) -> int:
    def overlap(t: tuple[float, float]) -> float:
        return min(span[1], t[1]) - max(span[0], t[0])

    best = max(range(len(target)), key=lambda k: overlap(target[k]))
    if overlap(target[best]) > 0:
        return best
    centre = (span[0] + span[1]) / 2
    return min(range(len(target)), key=lambda k: abs((target[k][0] + target[k][1]) / 2 - centre))
