"""The columns of a table without rules, from where its words stand, and a line's words in them.

Columns are the stretches the body's words cover, figures and text apart where they do not overlap
(right-aligned amounts touching the next cell's text are another column); a heading over no column
heads the column it is centred over in its cell (a figure column to its right, a left-aligned code
or text column to its left); a scan's vertical rules, where OCR found them, give the columns instead.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from pipeline.extract.pdf.lines import TextLine, Word, has_amount, median_height
from pipeline.vocabulary import CODE_PARTS, CODE_WORDS, SEQ_WORDS

# A gap between two columns is at least this share of the text height (cell padding both sides);
# words of one cell are closer (the page reader splits a line's words at 0.3 of it).
_COLUMN_GAP = 0.8

# A vertical rule in PDF points: (x, top, bottom).
VRule = tuple[float, float, float]


def _merge(spans: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Union of x-stretches, joining stretches closer than ``gap``."""
    out: list[tuple[float, float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 - out[-1][1] < gap:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out


def _crossings(word: Word, columns: Sequence[tuple[float, float]]) -> list[int]:
    return [j for j, (x0, x1) in enumerate(columns) if word.x0 < x1 and word.x1 > x0]


def columns_of(block: Sequence[TextLine]) -> list[tuple[float, float]]:
    """Column stretches: body words first, then header words over no body column (a column the
    body leaves empty). A heading over one column is that column's: centred and wider than its
    figures, it would otherwise bridge the gap to the next column and join the two."""
    gap = _COLUMN_GAP * median_height(block)
    body = [ln for ln in block if has_amount(ln)] or list(block)
    words = [w for ln in body for w in ln.words]
    figures = [w for w in words if w.is_figure]
    figure_columns = _merge([(w.x0, w.x1) for w in figures], gap)
    # figures and text join only where they overlap: a label column set flush against an amount
    # column (right-aligned figures touching the next cell's text) is another column, however close
    columns = _merge(figure_columns + _merge([(w.x0, w.x1) for w in words if w not in figures], gap), 0.0)
    heading_lines = [ln for ln in block if ln not in body]
    first_body = min(block.index(ln) for ln in body)
    columns = _headings_over_figures(columns, figure_columns, list(block[:first_body]))
    columns = _headings_over_text(columns, figure_columns, list(block[:first_body]))
    heads = [w for ln in heading_lines for w in ln.words]
    over = [w for w in heads if _crossings(w, columns)]
    # a heading word over no column that lies under one over a column is that heading's wrapped end
    extra = [(w.x0, w.x1) for w in heads
             if not _crossings(w, columns) and not any(o.x0 <= w.x0 and w.x1 <= o.x1 for o in over)]
    return _widened(columns, _merge(extra, gap), gap)


def _headings_over_figures(
    columns: list[tuple[float, float]], figure_columns: list[tuple[float, float]], heading_lines: list[TextLine]
) -> list[tuple[float, float]]:
    """A heading word over no column heads the amount column to its right when no other heading
    stands over that column: figures are right-aligned in their cells, so a centred heading lies
    left of them ('小计' over figures that end at the cell's right rule)."""
    columns = list(columns)
    heads = [w for ln in heading_lines for w in ln.words]
    for line in reversed(heading_lines):  # the heading row nearest the body first
        # right to left: the heading nearest the column claims it, not one further left over an
        # empty column ('3' and '6' of a 栏次 row over an empty column and one of figures)
        for word in reversed(line.words):
            if _crossings(word, columns):
                continue
            right = [j for j, (x0, _) in enumerate(columns) if x0 >= word.x1]
            if not right:
                continue
            j = right[0]
            figures = any(a < columns[j][1] and b > columns[j][0] for a, b in figure_columns)
            if figures and not any(_crossings(w, [columns[j]]) for w in heads):
                columns[j] = (word.x0, columns[j][1])
    return columns


def _names_code_column(word: Word) -> bool:
    text = word.text.replace(" ", "")
    return text in {part for part, _ in CODE_PARTS} or any(w in text for w in (*CODE_WORDS, *SEQ_WORDS))


def _headings_over_text(
    columns: list[tuple[float, float]], figure_columns: list[tuple[float, float]], heading_lines: list[TextLine]
) -> list[tuple[float, float]]:
    """A heading naming a code column ('类', '款', '科目编码', '序号') over no column heads the text
    column to its left when no other word of its line stands over that column: a code is
    left-aligned in its cell, so the centred heading lies right of it ('类' over '205')."""
    columns = list(columns)
    for line in reversed(heading_lines):
        for word in line.words:
            if _crossings(word, columns) or not _names_code_column(word):
                continue
            left = [j for j, (_, x1) in enumerate(columns) if x1 <= word.x0]
            if not left:
                continue
            j = left[-1]
            figures = any(a < columns[j][1] and b > columns[j][0] for a, b in figure_columns)
            inside_gap = j + 1 == len(columns) or word.x1 < columns[j + 1][0]
            if inside_gap and not figures and not any(_crossings(w, [columns[j]]) for w in line.words if w is not word):
                columns[j] = (columns[j][0], word.x1)
    return columns


def _widened(
    columns: list[tuple[float, float]], extra: list[tuple[float, float]], gap: float
) -> list[tuple[float, float]]:
    """``columns`` with each heading stretch ``extra`` joined to a column it nearly touches, or as
    a column of its own; two body columns are never joined through a heading."""
    out = list(columns)
    for x0, x1 in extra:
        near = [j for j, (a, b) in enumerate(out) if x0 - b < gap and a - x1 < gap]
        if near:
            a, b = out[near[0]]
            out[near[0]] = (min(a, x0), max(b, x1))
        else:
            out.append((x0, x1))
    return _merge(out, 0.0)


def ruled_columns(block: Sequence[TextLine], rules: Sequence[VRule]) -> list[tuple[float, float]] | None:
    """Columns between the vertical rules that run down the block's body, or None (not ruled)."""
    body = [ln for ln in block if has_amount(ln)]
    if not body or not rules:
        return None
    top, bottom = max(ln.top for ln in body), min(ln.bottom for ln in body)
    reach = 0.5 * (top - bottom)
    xs: list[float] = []
    for x, r_top, r_bottom in sorted(rules):
        if min(top, r_top) - max(bottom, r_bottom) >= reach and not (xs and x - xs[-1] < median_height(block)):
            xs.append(x)
    left, right = min(ln.x0 for ln in block), max(ln.x1 for ln in block)
    if left < (xs[0] if xs else right) - median_height(block):
        xs.insert(0, left)  # words left of the first rule: a table without an outer border
    if right > (xs[-1] if xs else left) + median_height(block):
        xs.append(right)
    return list(zip(xs, xs[1:], strict=False)) if len(xs) >= 3 else None


# A heading word over this many body columns may be several headings run together: centred headings
# of narrow columns touch, so the text layer has no break between them, only a wider pitch.
_RUN_TOGETHER_COLUMNS = 3
_WIDER_PITCH = 1.3


def _run_together(word: Word) -> list[Word]:
    """``word`` cut where its characters stand further apart than its usual pitch ('一般公共预 政府性
    基金 国有资本经', each centred over its column); the word itself when they are evenly pitched."""
    c = word.centres
    if len(c) != len(word.text) or len(c) < 4:
        return [word]
    pitch = statistics.median(b - a for a, b in zip(c, c[1:], strict=False))
    cuts = [k for k in range(1, len(c)) if c[k] - c[k - 1] > _WIDER_PITCH * pitch]
    runs = zip([0, *cuts], [*cuts, len(c)], strict=True)
    return [Word(word.text[a:b], c[a] - pitch / 2, c[b - 1] + pitch / 2, c[a:b]) for a, b in runs]


def line_cells(line: TextLine, columns: Sequence[tuple[float, float]]) -> list[str]:
    """A line's words in their columns; a word over several columns goes to the first (a heading
    spanning them), unless it is a heading line's word over many columns whose pitch widens: that
    is their headings run together."""
    cells = [""] * len(columns)
    heading = not has_amount(line)
    for whole in line.words:
        run_together = heading and len(_crossings(whole, columns)) >= _RUN_TOGETHER_COLUMNS
        for word in _run_together(whole) if run_together else [whole]:
            hit = _crossings(word, columns)
            if hit:
                j = hit[0]
            else:  # in a gap (no column covers it): the nearest column
                centre = (word.x0 + word.x1) / 2
                j = min(range(len(columns)), key=lambda c: abs(sum(columns[c]) / 2 - centre))
            cells[j] = f"{cells[j]} {word.text}".strip()
    return cells
