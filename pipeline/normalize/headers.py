"""What each column of a table holds, read from its header rows.

Header rows come in two shapes: the same width as the body (a converter kept the grid, spanned
cells are empty to the right of their text), or narrower (merged cells collapsed; each parent
then sits over one empty child cell or over a run of filled child cells). Both are aligned to
the body's columns before the words are interpreted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.extract.layout import is_numbering_row
from pipeline.normalize.amounts import is_amount
from pipeline.text import PRINTED_CODE, squash
from pipeline.vocabulary import (
    CODE_PARTS,
    CODE_WORDS,
    GRANT_GROUP_WORDS,
    GRANT_TOTAL,
    MEASURE_WORDS,
    NAME_WORDS,
    PARENT_PROJECT_WORDS,
    PROJECT_WORDS,
    SEQ_WORDS,
    SUBTOTAL_WORDS,
    TOTAL_SUFFIXES,
    TOTAL_WORDS,
    UNIT_COLUMN_WORDS,
    contains_any,
    fund_source_of,
    names_several_funds,
    period_of,
    stage_of_words,
)


@dataclass(frozen=True)
class Column:
    index: int
    path: tuple[str, ...]  # heading words top to bottom, squashed, e.g. ('基本支出', '人员经费')
    # 'seq' | 'code' | 'name' | 'unit' | 'project' | 'parent_project' | 'amount' | 'text' |
    # 'comparison' (a change or another period's figure) | 'unnamed' (an amount column the vocabulary
    # cannot tell from another one of the table): neither of the last two is loaded
    role: str
    measure: str | None = None  # contract measure for an amount column
    stage: str | None = None  # the stage the heading names (决算数 …); None: the document's
    part: int | None = None  # for a code split over columns: 0 类, 1 款, 2 项; None: a whole code
    fund_source: str | None = None  # the fund a heading above names, where the table splits by fund
    period: str = "current"  # vocabulary.PERIODS: only 'current' amounts are loaded

    @property
    def label(self) -> str:
        return "/".join(self.path)


def _units_after(child: list[str], pos: int) -> int:
    """Placement slots right of pos: each empty cell and each run of filled cells is one."""
    units, c = 0, pos
    while c < len(child):
        if child[c]:
            while c < len(child) and child[c]:
                c += 1
        else:
            c += 1
        units += 1
    return units


def _align_narrow(parents: list[str], child: list[str]) -> list[str]:
    """Spread a collapsed header row over the columns of the (aligned) row below it.

    Each parent sits over one empty child cell (a vertically merged heading) or over a run of
    filled child cells (its sub-headings). A run shared by several parents is split where its
    first word repeats (收入: 项目 预算数 | 支出: 项目 预算数), else evenly.
    """
    out = [""] * len(child)
    pos = 0
    for k, word in enumerate(parents):
        if pos >= len(child):
            break
        if not child[pos]:
            out[pos] = word
            pos += 1
            continue
        end = pos
        while end < len(child) and child[end]:
            end += 1
        share = max(1, len(parents) - k - _units_after(child, end))
        if share > 1:
            repeat = next((c for c in range(pos + 1, end) if child[c] == child[pos]), None)
            end = repeat if repeat is not None else pos + -(-(end - pos) // share)
        for c in range(pos, end):
            out[c] = word
        pos = end
    return out


def aligned_header(header_rows: list[list[str]], width: int) -> list[list[str]]:
    """Header rows (numbering rows dropped) as full-width rows, spans filled to the right."""
    rows = [[squash(c) for c in r] for r in header_rows if not is_numbering_row(r) and any(c.strip() for c in r)]
    rows = [r + [""] * (width - len(r)) if len(r) <= width else r[:width] for r in rows]
    # Trim trailing padding to find each row's real length (text layouts pad all rows).
    real = [len(r) - next((i for i, c in enumerate(reversed(r)) if c), len(r)) for r in rows]
    out: list[list[str]] = [[] for _ in rows]
    # Work bottom-up: the lowest row is taken as aligned with the body.
    for i in range(len(rows) - 1, -1, -1):
        row = rows[i]
        below = out[i + 1] if i + 1 < len(rows) else None
        if below is not None and real[i] < width and _is_collapsed(row, real[i]) and real[i] > 1:
            out[i] = _align_narrow(row[: real[i]], below)
        else:
            out[i] = _fill_spans(row, out[i + 1 :], rows[i - 1] if i else None)
    return out


def _is_collapsed(row: list[str], real_len: int) -> bool:
    """A narrow row whose cells are all filled (no span gaps) was collapsed by the converter."""
    return all(row[:real_len])


def _fill_spans(row: list[str], below: list[list[str]], above: list[str] | None) -> list[str]:
    """Copy a spanning heading to the empty cells on its right while the rows below give both
    columns words of their own (sub-headings), never past the next heading of that row nor past
    where a heading of the row above begins (the end of its parent's span)."""
    out = list(row)
    worded = [any(c < len(b) and b[c] for b in below) for c in range(len(out))]
    for c in range(1, len(out)):
        parent_starts = above is not None and c < len(above) and bool(above[c])
        if not out[c] and out[c - 1] and worded[c] and worded[c - 1] and not parent_starts:
            out[c] = out[c - 1]
    return out


def column_paths(header_rows: list[list[str]], width: int) -> list[tuple[str, ...]]:
    rows = aligned_header(header_rows, width)
    paths = []
    for c in range(width):
        words: list[str] = []
        for r in rows:
            w = r[c] if c < len(r) else ""
            if w and (not words or words[-1] != w):
                words.append(w)
        paths.append(tuple(words))
    return paths


def measure_of(path: tuple[str, ...]) -> str | None:
    """The contract measure of an amount column from its heading path (deepest word first);
    None for a column with no heading at all: its amounts cannot be placed."""
    for depth in range(len(path) - 1, -1, -1):
        word = path[depth]
        if (word in SUBTOTAL_WORDS or word in TOTAL_WORDS) and depth > 0:
            # 基本支出/小计 is the basic-expenditure subtotal; 本年收入/小计 the year's income;
            # 财政拨款/小计 (or /合计) every fiscal grant, whichever fund: a group's own total.
            if contains_any(path[depth - 1], GRANT_GROUP_WORDS):
                return GRANT_TOTAL
            parent = measure_of(path[:depth])
            return "total" if parent in ("other", None) else parent
        if word in TOTAL_WORDS:
            return "total"
        if word.endswith(TOTAL_WORDS) and len(word) <= 8:
            return "total"  # 本年支出合计, 本年收入合计
        for needles, measure in MEASURE_WORDS:
            if contains_any(word, needles):
                return measure
        if word.endswith(TOTAL_SUFFIXES):
            return "total"
    return "other" if path else None


def _amount_heading(word: str) -> bool:
    return any(contains_any(word, needles) for needles, _ in MEASURE_WORDS) or word.endswith(TOTAL_SUFFIXES)


_PART_VALUE = re.compile(r"^\d{2}$")
# 类 → 0, 款 → 1, 项 → 2: the part a split code column holds
PART_INDEX = {word: k for k, (word, _) in enumerate(CODE_PARTS)}
DIGITS = re.compile(r"^\d{1,7}$")  # a code or a code part as printed


def _label_role(leaf: str, path: tuple[str, ...], values: list[str]) -> str | None:
    """Role of a column that is not an amount column, from its heading and body."""
    mostly_amounts = bool(values) and sum(1 for v in values if is_amount(v)) * 2 >= len(values)
    if contains_any(leaf, SEQ_WORDS):
        return "seq"
    coded = sum(1 for v in values if PRINTED_CODE.match(v)) * 2 > len(values)
    if "名称" not in leaf and (contains_any(leaf, CODE_WORDS) or (values and coded and not _amount_heading(leaf))):
        return "code"
    if contains_any(leaf, PARENT_PROJECT_WORDS):
        return "parent_project"
    if contains_any(leaf, PROJECT_WORDS):
        return "project"
    if (leaf == "单位" or leaf.startswith(UNIT_COLUMN_WORDS)) and not mostly_amounts:
        return "unit"
    if mostly_amounts or (not values and _amount_heading(leaf)):
        return None
    if contains_any(leaf, NAME_WORDS) or not path:
        return "name"
    return "text"


def _code_parts(cols: list[Column], paths: list[tuple[str, ...]], bodies: list[list[str]]) -> list[Column]:
    """Columns of a code split over 类 | 款 | 项: named by their heading, or 2-digit columns
    right after a code column that carry no heading of their own (the code heading spans them)."""
    out = list(cols)
    for c, path in enumerate(paths):
        leaf = path[-1] if path else ""
        if leaf in PART_INDEX and not any(is_amount(v) and not DIGITS.match(v) for v in bodies[c]):
            out[c] = Column(c, path, "code", part=PART_INDEX[leaf])
    for c in range(1, len(out)):
        prev = out[c - 1]
        values = bodies[c]
        if (
            prev.role == "code"
            and out[c].part is None
            and out[c].role != "code"
            and values
            and all(_PART_VALUE.match(v) for v in values)
            and not _amount_heading(paths[c][-1] if paths[c] else "")
        ):
            out[c - 1] = Column(c - 1, prev.path, "code", part=prev.part or 0)
            out[c] = Column(c, paths[c], "code", part=(prev.part or 0) + 1)
    return out


def column_roles(
    header_rows: list[list[str]], body_rows: list[list[str]], width: int, fiscal_year: int | None = None
) -> list[Column]:
    """Role, measure, fund, stage and period of every column, from heading words and what the body holds."""
    paths = column_paths(header_rows, width)
    bodies = [[squash(r[c]) for r in body_rows if c < len(r) and r[c].strip()] for c in range(width)]
    cols: list[Column] = []
    for c, path in enumerate(paths):
        leaf = path[-1] if path else ""
        period = period_of(path, fiscal_year)
        role = "comparison" if period != "current" else _label_role(leaf, path, bodies[c])
        if role is None and any(names_several_funds(w) for w in path):
            cols.append(Column(c, path, "unnamed", "other", stage_of_words(path)))  # never a guessed fund
        elif role is None:
            cols.append(Column(c, path, "amount", measure_of(path), stage_of_words(path)))
        else:
            cols.append(Column(c, path, role, period=period))
    cols = _code_parts(_carried_parts_unnamed(cols), paths, bodies)
    # A table whose only sum column is headed by its fund (本年政府性基金预算支出/小计) still has a total.
    if not any(col.measure == "total" for col in cols):
        first = next((col for col in cols if col.role == "amount" and col.path), None)
        if first is not None:
            cols[first.index] = replace(first, measure="total")
    return _with_fund_sources(cols)


def _carried_parts_unnamed(cols: list[Column]) -> list[Column]:
    """A table that splits by where the money comes from (合计 | 当年预算 | 上年结转结余): the carry-over
    group's own total is the carry-over; its parts (上年结转结余/基本支出) are the carried-over share of a
    measure, and the year's group total (当年预算/小计) is the 合计 less the carry-over. The contract has
    no column for either, so they load nothing, never as a second 基本支出 or a second total."""
    carried_at = {c.index: {d for d, word in enumerate(c.path[:-1]) if measure_of((word,)) == "carryover"}
                  for c in cols}
    depths = set().union(*carried_at.values())
    grand_total = any(c.role == "amount" and c.measure == "total" and len(c.path) == 1 for c in cols)
    out = list(cols)
    for c in cols:
        if c.role != "amount":
            continue
        carried = bool(carried_at[c.index])
        group_total = (
            grand_total and len(c.path) >= 2 and len(c.path) - 2 in depths and c.measure == "total"
            and (c.path[-1] in SUBTOTAL_WORDS or c.path[-1] in TOTAL_WORDS)
        )
        if (carried and c.measure != "carryover") or (not carried and group_total):
            out[c.index] = replace(c, role="unnamed")
    return out


def _with_fund_sources(cols: list[Column]) -> list[Column]:
    """Name the fund over each amount column where the table splits by fund (一般公共预算 | 政府性基金
    groups over 基本支出 | 项目支出). A column headed by the fund alone keeps it as its measure; a
    table all of whose columns stand under one fund does not split by it."""
    amounts = [c for c in cols if c.role == "amount"]
    funds = {c.index: next((f for w in c.path if (f := fund_source_of(w))), None) for c in amounts}
    if len(set(funds.values())) < 2:
        return cols
    out = list(cols)
    for c in amounts:
        fund = funds[c.index]
        out[c.index] = replace(c, fund_source=None if fund == c.measure else fund)
    return out


def mark_unnamed(columns: list[Column], blocks: list[list[Column]]) -> list[Column]:
    """Amount columns of one block the vocabulary names alike ('other', fund and stage the same) cannot
    be told apart in the warehouse: they become 'unnamed' and load nothing."""
    out = list(columns)
    for block in blocks:
        seen: dict[tuple, list[Column]] = {}
        for c in block:
            if c.role == "amount" and c.measure == "other":
                seen.setdefault((c.fund_source, c.stage), []).append(c)
        for alike in seen.values():
            if len(alike) > 1:
                for c in alike:
                    out[c.index] = replace(c, role="unnamed")
    return out
