"""Tables without a ruled grid, read from where the page's words sit.

A borderless table (rules only above and below its header and under its last row) or a plain one
(no rules at all) still shows its structure in its text: every cell of a column lies within the
same stretch of the page, and a wide gap that no body word crosses separates two columns. camelot's
``network`` flavor guesses the same from text alignment, but merges neighbouring cells
('35.6012.00'), drops header lines and runs a table into the next one; this reader keys on what a
budget table shows instead:

* **area**: a table starts at the first line of several cells (or with an amount) after a title,
  unit or note line, and ends before the next such line, a long sentence or a wide vertical gap;
* **columns** (:mod:`word_columns`): stretches covered by body words (lines with amounts), plus
  header words that fit in one gap (a column the body leaves empty); a header word crossing a body
  gap is a heading spanning several columns and goes to the first column it covers, as a ruled
  grid gives it;
* **rows**: one per text line, lines closer than the usual row pitch merged (a wrapped cell's
  lines, the row's other cells centred between them), as :func:`grids._merge_wrapped_rows`.

The result is a :class:`Fragment`, the shape the lattice path gives, so assembling is shared.

A scanned page read by OCR (:mod:`ocr`) comes here too, with the vertical rules found on its
image: where rules cross a table's body, its columns are the stretches between them (a ruled
table's cells are padded less than a borderless one's, so its words alone may run together).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

from pipeline.extract.layout import is_note, is_page_artefact
from pipeline.extract.pdf.document import PdfPage
from pipeline.extract.pdf.grids import Fragment, join_lines
from pipeline.extract.pdf.lines import TextLine, has_amount, median_height
from pipeline.extract.pdf.word_columns import VRule, columns_of, line_cells, ruled_columns
from pipeline.extract.text_cleaning import clean_cell
from pipeline.extract.titles import looks_like_table_title, parse_unit
from pipeline.text import ENUMERATION, SENTENCE_MARK, squash
from pipeline.vocabulary import TOTAL_WORDS

FLAVOR = "words"
# A vertical gap wider than this many text heights ends a table (page furniture, a new section).
_END_GAP = 3.0
# The blank between two lines of one wrapped cell is under this share of the text height
# (a leading of 1.2-1.3 leaves 0.2-0.3); between rows the cell padding adds to it.
_TIGHT = 0.45
# Blanks between lines that differ by this share of a text height fall in two groups (rows, wraps).
_GAP_JUMP = 0.15


def word_fragments(pages: Sequence[PdfPage], rules: Mapping[int, Sequence[VRule]] | None = None) -> list[Fragment]:
    """Borderless and plain tables on ``pages``, one fragment per table area; ``rules``: the
    vertical rules of a page (a scan's, found on its image) that give a table its columns."""
    fragments = []
    for page in pages:
        for block in _blocks(page.lines):
            columns = ruled_columns(block, (rules or {}).get(page.number, ()))
            fragment = fragment_in_columns(page.number, block, columns)
            if fragment is not None:
                fragments.append(fragment)
    return fragments


# --- table areas -------------------------------------------------------------------------------


def _tabular(lines: Sequence[TextLine], height: float) -> list[bool]:
    """Which lines belong to a row of cells: several cells, or an amount, on the line or on the
    lines packed tight around it (a wrapped cell's lines, the row's other cells centred between
    them: '十九、自然资源海洋气' / '19' / '象等支出')."""
    flags = [False] * len(lines)
    k = 0
    while k < len(lines):
        end = k + 1
        while end < len(lines) and _tight(lines[end - 1], lines[end], height):
            end += 1
        cluster = lines[k:end]
        if sum(len(ln.words) for ln in cluster) >= 2 or any(map(has_amount, cluster)):
            flags[k:end] = [True] * (end - k)
        k = end
    return flags


def _ends_table(line: TextLine) -> bool:
    """A line that is never inside a table: a title, a unit line, a note, a sentence."""
    if has_amount(line) and len(line.words) >= 2:
        return False
    text = line.text
    if looks_like_table_title(text) or is_note(text):
        return True
    if not line.ink.isdigit() and is_page_artefact(line.ink):  # '- 12 -' under the last row, not a cell's '3'
        return True
    if parse_unit(text) is not None and len(line.words) <= 2:
        return True
    return len(line.words) == 1 and len(text) > 30 and bool(SENTENCE_MARK.search(text))


def _blocks(lines: Sequence[TextLine]) -> list[list[TextLine]]:
    """Runs of lines that form one table each, top to bottom."""
    height = median_height(lines)
    tabular = _tabular(lines, height)
    blocks: list[list[int]] = []
    current: list[int] = []
    for k, line in enumerate(lines):
        if current and (_ends_table(line) or lines[current[-1]].bottom - line.top > _END_GAP * height):
            blocks.append(current)
            current = []
        if _ends_table(line):
            continue
        if current:
            current.append(k)
        elif tabular[k]:
            current = _wrapped_above(lines, k, height) + [k]
    if current:
        blocks.append(current)
    out = []
    for block in blocks:
        kept = _trim(lines, block, tabular)
        if _is_table([lines[k] for k in kept], sum(tabular[k] for k in kept)):
            out.append([lines[k] for k in kept])
    return out


def _is_table(block: Sequence[TextLine], n_tabular: int) -> bool:
    """Two lines of cells, or one row of amounts (the last row of a table, run over a page)."""
    if n_tabular >= 2:
        return True
    return n_tabular == 1 and len(block[0].words) >= 2 and has_amount(block[0])


def _wrapped_above(lines: Sequence[TextLine], k: int, height: float) -> list[int]:
    """Lines just above a table's first line that belong to its first row: the upper lines of
    a wrapped header cell, the other cells centred lower."""
    j = k - 1
    while j >= 0 and not _ends_table(lines[j]) and lines[j].y_mid - lines[j + 1].y_mid < 1.5 * height:
        j -= 1
    return list(range(j + 1, k))


def _trim(lines: Sequence[TextLine], block: list[int], tabular: list[bool]) -> list[int]:
    """Drop single lines after the last row of cells unless they follow at the row pitch (a
    last row without amounts: '合计' of an empty table) or closer (a wrapped cell's line)."""
    end = max(i for i, k in enumerate(block) if tabular[k]) + 1
    mids = [lines[k].y_mid for k in block]
    limit = 1.15 * _pitch(mids[:end]) if end >= 2 else 1.5 * median_height(lines)
    while end < len(block) and mids[end - 1] - mids[end] <= limit:
        end += 1
    return block[:end]


def _pitch(mids: Sequence[float]) -> float:
    """The usual distance between rows: most line gaps are between rows, the rest within one."""
    gaps = [a - b for a, b in zip(mids, mids[1:], strict=False)]
    return statistics.quantiles(gaps, n=4)[2] if len(gaps) >= 4 else max(gaps)


# --- rows --------------------------------------------------------------------------------------


def _blank(upper: TextLine, lower: TextLine) -> float:
    """The blank between a line and the next one down."""
    return upper.bottom - lower.top


def _tight(upper: TextLine, lower: TextLine, height: float) -> bool:
    """Two lines of one row: the lines of a wrapped cell are a leading apart, so the blank
    between them is a sliver; rows add the cell padding to it (the other cells of a row are
    centred among the wrapped lines, so they overlap them)."""
    return _blank(upper, lower) < _TIGHT * height


def _stacked(row: Sequence[TextLine], line: TextLine) -> bool:
    """``line`` starts a new row, however close it sits, when a figure of it stands right under a
    word of the row so far: a cell prints its amount alone (a wrapped cell goes on in its own
    column, the row's figures centred among its lines). An office suite's line boxes carry its
    font's full ascent and descent and leave almost no blank between rows."""
    above = [u for ln in row for u in ln.words]
    under = [w for w in line.words if any(u.x0 < w.x1 and w.x0 < u.x1 for u in above)]
    return any(w.is_figure for w in under)


def _join_gap(block: Sequence[TextLine], height: float) -> float:
    """The blank under which two lines are one row. Rows are a cell padding apart, a wrapped cell's
    lines closer: when the block's blanks fall in two groups, the smaller are within rows. When
    they are all alike and two lines carry figures (two rows, so the blank is a row's), no line
    is a wrapped one: each is a row, however small the blank (an office suite's line boxes)."""
    gaps = sorted(_blank(upper, lower) for upper, lower in zip(block, block[1:], strict=False))
    jumps = [(b - a, (a + b) / 2) for a, b in zip(gaps, gaps[1:], strict=False)]
    jump, middle = max(jumps, default=(0.0, 0.0))
    if jump >= _GAP_JUMP * height:
        return min(middle, _TIGHT * height)
    return 0.0 if sum(map(has_amount, block)) >= 2 else _TIGHT * height


def opens_row(line: TextLine) -> bool:
    """The line begins an item of its own: its first word opens with an enumeration ('（三）其他结转')
    or names a total ('收入总计'); the rest of a wrapped label does neither (a bare '合计' may: the
    end of '本年收入' / '合计')."""
    first = squash(line.words[0].text) if line.words else ""
    total = len(first) > 2 and first.endswith(TOTAL_WORDS)
    return bool(ENUMERATION.match(first)) or total


def _row_groups(block: Sequence[TextLine]) -> list[list[int]]:
    """Indices of the lines of each row."""
    join_below = _join_gap(block, median_height(block))
    groups = [[0]]
    for k in range(1, len(block)):
        blank = _blank(block[k - 1], block[k])
        # an item's label opens a row below a blank; a cell centred among a wrapped cell's lines
        # overlaps them, whatever it holds ('五、上级补助收入' beside '…缴费' / '支出')
        close = blank < join_below and not (blank > 0 and opens_row(block[k]))
        if close and not _stacked([block[i] for i in groups[-1]], block[k]):
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def fragment_in_columns(
    page: int, block: Sequence[TextLine], columns: list[tuple[float, float]] | None = None
) -> Fragment | None:
    """The block's lines as one grid: cells cut by ``columns`` (by default the stretches its words
    cover), wrapped lines joined into rows."""
    columns = columns or columns_of(block)
    if len(columns) < 2:
        return None
    cells_by_line = [line_cells(ln, columns) for ln in block]
    rows: list[list[str]] = []
    raw_rows: list[list[str]] = []
    spans: list[tuple[float, float]] = []
    for group in _row_groups(block):
        parts = [[cells_by_line[k][j] for k in group] for j in range(len(columns))]
        raw_rows.append(["\n".join(p for p in cell if p) for cell in parts])
        rows.append([clean_cell(join_lines(cell)) for cell in parts])
        spans.append((block[group[0]].top, block[group[-1]].bottom))
    bbox = (
        min(ln.x0 for ln in block),
        min(ln.bottom for ln in block),
        max(ln.x1 for ln in block),
        max(ln.top for ln in block),
    )
    # the columns' own stretches, not borders halfway between them: a continuation on the next
    # page, whose empty columns show no words, is re-seated by overlap (rows.align_columns)
    return Fragment(page, FLAVOR, bbox, rows, spans, list(columns), raw_rows)
