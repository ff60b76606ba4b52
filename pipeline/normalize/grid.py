"""The one table model every reader's tables go through before they become facts.

1. header rows: the reader's header plus heading rows it left in the body ('科目编码', '类 款 项',
   a 三公 header of several rows, '预算数 决算数');
2. column roles: code (whole, or a 类/款/项 part), name, unit, project, measure with its stage;
3. rows: codes joined from their parts, the label, and one amount per measure column, placed by
   position, so a blank cell is a blank and never its neighbour's value;
4. blocks: a table printed as two blocks side by side (code, name, amounts | code, name, amounts)
   gives one placed row per block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.extract.layout import is_header_cell, is_header_row, is_numbering_row
from pipeline.model import ExtractedTable
from pipeline.normalize.amounts import parse_amount
from pipeline.normalize.headers import DIGITS, PART_INDEX, Column, column_roles, mark_unnamed
from pipeline.text import squash
from pipeline.vocabulary import (
    CODE_WORDS,
    STAGE_WORDS,
    contains_any,
    names_figure_of_period,
    squash_year_gaps,
)

_LABEL_ROLES = ("name", "unit", "text")
_STAGE_CELLS = {w for words, _ in STAGE_WORDS for w in words}


@dataclass
class PlacedRow:
    """One body row of one block: what its label cells say and its amounts by column."""

    index: int  # body row index in the extracted table (fact ids and row_index use it)
    block: int  # which side-by-side block of the table (0 for most tables)
    page: int | None
    cells: list[str]
    code: str | None  # digits joined from the code column(s), e.g. '2011301'
    printed_code: str | None  # as printed: '201 13 01', '20101'
    label: str  # name / text / unit cell, or the text a code column holds ('合计')
    project: str = ""
    parent_project: str = ""
    unit_cell: str = ""
    amounts: dict[int, Decimal] = field(default_factory=dict)  # column index → amount
    first_part: int = 0  # split code columns: the part (0 类, 1 款, 2 项) the printed digits start at
    # A table cross-classified by two code schemes (部门 | 政府预算支出经济分类) prints a second code
    # group to the right of the first: its code, as joined, kept apart from ``code``.
    second_code: str | None = None
    second_label: str = ""  # the name printed beside the second code ('工资奖金津补贴' by 501 01)

    @property
    def source(self) -> str:
        return " | ".join(self.cells)


@dataclass
class PlacedTable:
    table: ExtractedTable
    columns: list[Column]
    rows: list[PlacedRow]
    header_rows: list[list[str]]
    blocks: list[list[Column]]
    unplaced: int = 0  # amounts in columns with no heading: never loaded
    unnamed: int = 0  # amounts in columns the vocabulary cannot tell apart: never loaded

    def amount_columns(self) -> list[Column]:
        return [c for c in self.columns if c.role == "amount"]


def _is_heading_row(row: list[str], headed: bool) -> bool:
    """A body row that only names columns: heading words, code parts, stage words; no figure.

    A single heading word counts for a table with no header yet (the top of a 三公 header);
    under a header only a code heading does ('科目编码' over '类 款 项').
    """
    cells = [squash(c) for c in row if c.strip()]
    if not cells or any(DIGITS.match(c) or parse_amount(c) is not None for c in cells):
        return False
    if sum(1 for c in cells if c in PART_INDEX or c in _STAGE_CELLS) >= 2:
        return True
    if len(cells) == 1:
        return contains_any(cells[0], CODE_WORDS) or (not headed and is_header_cell(cells[0]))
    return is_header_row(row)


def absorb_heading_rows(
    header: list[list[str]], body: list[list[str]]
) -> tuple[list[list[str]], list[list[str]], int]:
    """Move heading rows a reader left at the top of the body into the header.

    Returns (header, body, offset): ``offset`` body rows were moved. A row that mixes code-part
    words with data ('类 款 项 合计 2,946.25 …') gives its part words to the header and keeps the
    rest. Heading rows count only when a real heading row is among them (a lone '合计' of an
    empty table is data).
    """
    header = [list(r) for r in header]
    body = [list(r) for r in body]
    k = 0
    while k < min(len(body), 8) and (
        not any(c.strip() for c in body[k]) or _is_heading_row(body[k], bool(header))
    ):
        k += 1
    while k and not any(c.strip() for c in body[k - 1]):
        k -= 1  # trailing blank rows stay in the body
    if k and (any(is_header_row(r) or _has_parts(r) for r in body[:k]) or header):
        header += body[:k]
        body = body[k:]
    else:
        k = 0
    if body and _has_parts(body[0]):
        parts = [c if squash(c) in PART_INDEX else "" for c in body[0]]
        header.append(parts)
        body[0] = ["" if squash(c) in PART_INDEX else c for c in body[0]]
    return header, body, k


def _has_parts(row: list[str]) -> bool:
    return sum(1 for c in row if squash(c) in PART_INDEX) >= 2


def _blocks(columns: list[Column]) -> list[list[Column]]:
    """Column groups printed side by side (code, name, amounts | code, name, amounts; or the
    income | expenditure sides of a summary): a label column after an amount column starts a
    block. Label columns with no amounts after them (a trailing 备注) stay with their block."""
    blocks: list[list[Column]] = [[]]
    for col in columns:
        starts = col.role in ("code", "name") and col.part in (None, 0)
        if starts and any(c.role == "amount" for c in blocks[-1]):
            blocks.append([])
        blocks[-1].append(col)
    if len(blocks) > 1 and not any(c.role == "amount" for c in blocks[-1]):
        blocks[-2].extend(blocks.pop())
    return blocks


def _joined_code(row: list[str], code_cols: list[Column]) -> tuple[str | None, str | None, str, int]:
    """(code, printed code, text found in a code column, part the digits start at) of one row."""
    text = ""
    digits: list[str] = []
    first_part = 0
    for col in sorted(code_cols, key=lambda c: (c.part is not None, c.part or 0)):
        value = squash(row[col.index]) if col.index < len(row) else ""
        if not value:
            continue
        if DIGITS.match(value):
            if col.part is None and digits:
                continue  # a whole code beside its parts: the parts were printed
            if not digits:
                first_part = col.part or 0
            digits.append(value)
        else:
            text = text or row[col.index]
    if not digits:
        return None, None, text, 0
    return "".join(digits), " ".join(digits), text, first_part


def _first(row: list[str], cols: list[Column]) -> str:
    return next((row[c.index] for c in cols if c.index < len(row) and row[c.index].strip()), "")


def code_groups(block: list[Column]) -> list[list[Column]]:
    """The block's code columns, one group per code scheme: a whole code or a 类 column after another
    group's columns, with a name column between them, starts the next scheme's group."""
    groups: list[list[Column]] = []
    named_since = False
    for col in block:
        if col.role == "code":
            if not groups or (named_since and col.part in (None, 0)):
                groups.append([])
            groups[-1].append(col)
            named_since = False
        elif col.role in _LABEL_ROLES and groups:
            named_since = True
    return groups


def _place_row(index: int, page: int | None, row: list[str], block: list[Column], block_no: int) -> PlacedRow:
    groups = code_groups(block)
    code, printed, code_text, first_part = _joined_code(row, groups[0] if groups else [])
    second_code = _joined_code(row, groups[1])[0] if len(groups) > 1 else None
    labels = [c for c in block if c.role in _LABEL_ROLES]
    label = _first(row, labels) or code_text
    second_label = _first(row, [c for c in labels if c.index > groups[1][0].index]) if len(groups) > 1 else ""
    amounts: dict[int, Decimal] = {}
    for col in block:
        if col.role == "amount" and col.measure is not None and col.index < len(row):
            value = parse_amount(row[col.index])
            if value is not None:
                amounts[col.index] = value
    return PlacedRow(
        index=index,
        block=block_no,
        page=page,
        cells=row,
        code=code,
        printed_code=printed,
        label=label,
        project=_first(row, [c for c in block if c.role == "project"]),
        parent_project=_first(row, [c for c in block if c.role == "parent_project"]),
        unit_cell=_first(row, [c for c in block if c.role == "unit"]),
        amounts=amounts,
        first_part=first_part,
        second_code=second_code,
        second_label=second_label,
    )


def with_group_headings(context_lines: list[str], header: list[list[str]]) -> list[list[str]]:
    """A line of column-group headings the reader left above the grid ('2025年预算数   2026年预算数'),
    over a header whose top row repeats once per heading, becomes the header's top row, each heading
    over its repeat: it says which period each group of columns holds."""
    if not context_lines or not header:
        return header
    headings = squash_year_gaps(context_lines[-1]).split()
    if len(headings) < 2 or not all(names_figure_of_period(h) for h in headings):
        return header
    top, k = [squash(c) for c in header[0]], len(headings)
    span = len(top) // k
    if span < 2 or span * k != len(top):
        return header
    groups = [top[i * span:(i + 1) * span] for i in range(k)]
    if any(g != groups[0] for g in groups[1:]) or not any(groups[0]):
        return header
    # Each heading at the first column of its group: the header's spans fill it over the rest.
    return [[headings[c // span] if c % span == 0 else "" for c in range(len(top))], *header]


def place_table(table: ExtractedTable, fiscal_year: int | None = None, measured_columns: bool = True) -> PlacedTable:
    """The table's columns and rows, every amount at the column it was printed in. Columns of
    another year than ``fiscal_year`` are comparisons and hold no amount to load. Where the columns
    are ``measured_columns`` (not 三公 categories, whose headings are their meaning), amount columns
    the vocabulary names alike are unnamed."""
    header, body, offset = absorb_heading_rows(with_group_headings(table.context_lines, table.header_rows),
                                               table.body_rows)
    width = table.n_columns
    columns = column_roles(header, body, width, fiscal_year)
    # Blocks are found before unnamed columns are marked, so marking never moves a block's edge.
    blocks = _blocks(columns)
    if measured_columns:
        columns = mark_unnamed(columns, blocks)
    blocks = [[columns[c.index] for c in block] for block in blocks]
    rows: list[PlacedRow] = []
    for k, row in enumerate(body):
        r = k + offset
        if is_numbering_row(row) or is_header_row(row):
            continue
        page = table.row_pages[r] if r < len(table.row_pages) else None
        for block_no, block in enumerate(blocks):
            placed = _place_row(r, page, row, block, block_no)
            if placed.code or placed.label or placed.project or placed.amounts:
                rows.append(placed)

    def amounts_in(indexes: list[int]) -> int:
        return sum(1 for r in body for c in indexes if c < len(r) and parse_amount(r[c]) is not None)

    unplaced = amounts_in([c.index for c in columns if c.role == "amount" and c.measure is None])
    unnamed = amounts_in([c.index for c in columns if c.role == "unnamed"])
    return PlacedTable(table, columns, rows, header, blocks, unplaced, unnamed)
