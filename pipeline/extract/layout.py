"""Turning a stream of text lines and cell rows into :class:`ExtractedTable` objects.

Both readers end here: the text reader feeds it the lines of a converted file, the PDF
reader the lines of its pages. A table starts at a title line, collects the context lines
(单位：万元, the publishing unit, 预算年度) and then its rows; header rows are the leading rows
made of heading words or column numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.extract.titles import SECTION_HEADING, looks_like_table_title, parse_unit
from pipeline.model import ExtractedTable
from pipeline.text import BRACKETED_TAIL, FIGURE, squash
from pipeline.vocabulary import NO_DATA_WORDS, UNIT_DECLARATION, UNIT_MULTIPLIERS


@dataclass
class Item:
    """One line of a document: narrative text, a row of cells, or a blank line."""

    kind: str  # 'text' | 'row' | 'blank'
    text: str = ""
    cells: list[str] = field(default_factory=list)
    page: int | None = None


# A cell of a row that numbers the columns: '栏次', '**', or column numbers (two of them where the
# reader put two narrow columns' numbers in one cell: '5 6').
_NUMBERING_CELL = re.compile(r"^(?:\*\*|\*|栏次|\d{1,2}(?:\s+\d{1,2})*)$")
_HEADER_END = (
    "科目", "编码", "代码", "名称", "合计", "总计", "小计", "支出", "收入", "经费", "费用", "费",
    "指标", "预算数", "金额", "序号", "栏次", "资金", "项目", "单位", "分类", "拨款", "结转",
    "预算", "符号", "指标值", "描述", "内容", "依据", "标准", "性质", "目标", "简称", "数",
)
_CONTEXT_CELL = re.compile(r"单位|年度|编码|填报|日期|^\d{3,}[-—－]?\D")
# A note under a table, bracketed or not: 注：…, （注：根据…部分具体项目信息公开时予以剔除。）
_NOTE = re.compile(r"^[（(]?(?:注|备注|说明)\s*[:：]|" + "|".join(NO_DATA_WORDS))
# A money unit alone ('元', '（万元）'), the longer names first ('万元' before '元').
_UNIT_TAIL = re.compile(r"^[（(]?(?:" + "|".join(sorted(UNIT_MULTIPLIERS, key=len, reverse=True)) + r")[)）]?$")
_PAGE_ARTEFACT = re.compile(r"^(?:表\s*\d{1,3}|第?\s*\d{1,3}\s*页|-\s*\d{1,3}\s*-|\d{1,3})$")


def is_numbering_row(cells: list[str]) -> bool:
    """Rows such as '栏次 1 2 3' or '** ** 1 2 3' that only number the columns."""
    filled = [c for c in cells if c]
    return len(filled) >= 2 and all(_NUMBERING_CELL.match(c) for c in filled)


def is_header_cell(cell: str) -> bool:
    s = BRACKETED_TAIL.sub("", squash(cell)).strip("“”\"'‘’")
    return bool(s) and s.endswith(_HEADER_END) and not FIGURE.match(s)


def is_header_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if not filled or any(FIGURE.match(squash(c)) for c in filled):
        return False
    heading = sum(1 for c in filled if is_header_cell(c))
    return heading >= 2 and heading * 2 >= len(filled)


def is_context_row(cells: list[str]) -> bool:
    """A row above the header that names the unit, year or money unit, not a column."""
    filled = [c for c in cells if c]
    return 0 < len(filled) <= 4 and all(_CONTEXT_CELL.search(squash(c)) for c in filled)


def is_note(text: str) -> bool:
    return bool(_NOTE.search(squash(text)))


def is_no_data_note(note: str) -> bool:
    """A note saying the table is empty on purpose ('…没有…预算安排的支出' counts too)."""
    return any(w in note for w in (*NO_DATA_WORDS, "没有"))


def is_page_artefact(text: str) -> bool:
    return bool(_PAGE_ARTEFACT.match(squash(text)))


def _take_unit(cells: list[str]) -> tuple[str | None, list[str]]:
    """Pull a '单位：万元' declaration out of a row, blanking the cell that held it."""
    unit = None
    out = []
    for c in cells:
        found = parse_unit(c)
        if found and unit is None:
            unit = found
            rest = UNIT_DECLARATION.sub("", c).strip()
            out.append(rest)
        else:
            out.append(c)
    return unit, out


def _is_unit_tail(row: list[str]) -> bool:
    """A row holding only a money unit ('元', '（万元）'): the end of a 单位 line the producer broke
    over two lines ('单位：万' / '元'), set as tight as a row above the header."""
    filled = [squash(c) for c in row if c.strip()]
    return len(filled) == 1 and bool(_UNIT_TAIL.match(filled[0]))


def split_header(rows: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """Leading heading rows (and a numbering row) vs body rows; a unit line's tail above the
    heading belongs to neither."""
    start = 1 if len(rows) > 1 and _is_unit_tail(rows[0]) and is_header_row(rows[1]) else 0
    header: list[list[str]] = []
    for row in rows[start:start + 6]:
        if is_numbering_row(row):
            header.append(row)
            break
        if is_header_row(row) or (header and not any(row)):
            header.append(row)
            continue
        break
    return header, rows[start + len(header):]


def _pad(rows: list[list[str]], width: int) -> list[list[str]]:
    return [r + [""] * (width - len(r)) for r in rows]


def build_tables(items: list[Item]) -> list[ExtractedTable]:
    """Find every titled table in a document's line stream."""
    tables: list[ExtractedTable] = []
    i, n = 0, len(items)
    while i < n:
        it = items[i]
        if not (it.kind == "text" and looks_like_table_title(it.text)):
            i += 1
            continue
        table, i = _read_table(items, i, len(tables))
        if table is not None:
            tables.append(table)
    return tables


def _row_follows(items: list[Item], j: int, window: int = 10) -> bool:
    """True when a row comes soon after item j, with no title or section heading between."""
    seen = 0
    for it in items[j + 1 :]:
        if it.kind == "blank":
            continue
        seen += 1
        if seen > window:
            return False
        if it.kind == "row":
            return True
        if it.kind == "text" and (looks_like_table_title(it.text) or SECTION_HEADING.match(it.text)):
            return False
    return False


def append_to_last_cell(row: list[str], text: str) -> None:
    for k in range(len(row) - 1, -1, -1):
        if row[k]:
            row[k] = f"{row[k]} {text}"
            return


def _read_table(items: list[Item], start: int, index: int) -> tuple[ExtractedTable | None, int]:
    title_item = items[start]
    unit, context, j = _read_context(items, start + 1, parse_unit(title_item.text))
    if j >= len(items) or items[j].kind != "row":
        return None, start + 1  # a title with no table under it (table of contents)
    rows, pages, j = _read_rows(items, j)
    notes, k = _read_notes(items, j)
    unit = _take_row_unit(rows, unit)
    width = max(len(r) for r in rows)
    rows = _pad(rows, width)
    header, body = split_header(rows)
    table = ExtractedTable(
        index=index,
        title=title_item.text,
        unit_label=unit,
        header_rows=header,
        body_rows=body,
        row_pages=pages[len(header):],
        page=title_item.page,
        context_lines=context,
        notes=notes,
    )
    return table, max(k, start + 1)


def _read_context(items: list[Item], j: int, unit: str | None) -> tuple[str | None, list[str], int]:
    """Short text lines and unit/entity rows between the title and the header, from item j.

    Returns the unit (the title's, else the first declared here), the context lines and the
    index of the first item after them.
    """
    n = len(items)
    context: list[str] = []
    while j < n and len(context) < 8:
        it = items[j]
        if it.kind == "blank":
            j += 1
            continue
        if it.kind == "text":
            if looks_like_table_title(it.text) or len(squash(it.text)) > 60:
                break
            if unit is None:
                nxt = items[j + 1].text if j + 1 < n and items[j + 1].kind == "text" else None
                unit = parse_unit(it.text, nxt)
            context.append(it.text)
            j += 1
            continue
        if is_context_row(it.cells):
            found, _ = _take_unit(it.cells)
            unit = unit or found
            context.append(" ".join(c for c in it.cells if c))
            j += 1
            continue
        break
    return unit, context, j


def _read_rows(items: list[Item], j: int) -> tuple[list[list[str]], list[int | None], int]:
    """The table's rows from item j, the page of each, and the index of the item that ends them."""
    n = len(items)
    rows: list[list[str]] = []
    pages: list[int | None] = []
    while j < n:
        it = items[j]
        if it.kind == "row":
            rows.append(it.cells)
            pages.append(it.page)
        elif it.kind == "text" and not is_page_artefact(it.text):
            if (
                looks_like_table_title(it.text)
                or SECTION_HEADING.match(it.text)
                or not rows
                or not _row_follows(items, j)
            ):
                break
            # A cell broken by a blank line (one-cell-per-line layouts): rejoin it.
            append_to_last_cell(rows[-1], it.text)
        j += 1
    return rows, pages, j


def _read_notes(items: list[Item], k: int) -> tuple[list[str], int]:
    """Up to three note lines right after the table, and the index of the item after them."""
    n = len(items)
    notes: list[str] = []
    while k < n and len(notes) < 3:
        it = items[k]
        if it.kind == "blank":
            k += 1
            continue
        if it.kind == "text" and is_note(it.text) and not looks_like_table_title(it.text):
            notes.append(it.text)
            k += 1
            continue
        break
    return notes, k


def _take_row_unit(rows: list[list[str]], unit: str | None) -> str | None:
    """A unit declared inside the first rows (e.g. a heading cell '单位：万元'), its cell blanked."""
    for r in range(min(3, len(rows))):
        found, cleaned = _take_unit(rows[r])
        if found:
            unit = unit or found
            rows[r] = cleaned
    return unit
