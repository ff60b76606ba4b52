"""The document's own checklist: the tables it lists against the tables the reader found.

A disclosure lists its tables: a contents page (`1.…部门收支总表 …… 5`), numbered titles
(`表1：2026年…收支预算总表`, `…支出表（预算表 3）`). A listed table the reader did not find is an error
finding, ``listed_table_missing``, naming it as listed, so a loaded document never holds fewer tables
than it lists without saying so. A budget's standard table that it neither prints nor lists is a warn
finding, ``standard_table_missing``. A listed table printed empty on purpose (its title followed by a
note: 本部门没有政府性基金预算…) counts as printed; one of a document that publishes its tables as an
attachment of their own (附件：…部门预算报表) is ``listed_table_attached`` (warn): ingest the attachment too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.layout import is_no_data_note
from pipeline.extract.titles import classify_title, looks_like_table_title
from pipeline.normalize.context import DocContext
from pipeline.text import squash
from pipeline.vocabulary import READ_TABLE_KINDS, STANDARD_BUDGET_TABLES

# The kinds a listing can name that the reader reads (not 政府采购, 机构设置 … of kind 'other').
_NUMBER = r"[\d一二三四五六七八九十]{1,3}"
# A listing's number before the title: 表1： / 附表 2、 / 预算表3 / 1. / （一） / 十、
_LEADING_NUMBER = re.compile(
    rf"^(?:[-*•]\s*)?(?:(?:附表|预算表|决算表|公开表|表)\s*{_NUMBER}\s*[：:、.．\-—]?|[（(]{_NUMBER}[)）]|{_NUMBER}\s*[.、．])\s*"
)
# … or after it: …支出表（预算表 1）
_TRAILING_NUMBER = re.compile(rf"[（(]\s*(?:附表|预算表|决算表|公开表|表)\s*{_NUMBER}\s*[)）]\s*$")
# A contents line ends with its page number, often after dot leaders: …收支总表 ………… 5
_PAGE_NUMBER = re.compile(r"(?:[.…·．]{2,}|\s)\s*\d{1,3}\s*$")
# Lines after a title within which a note saying it has no data marks it printed empty.
_NOTE_REACH = 6
# The tables published as an attachment of their own (附件：某局2026年度部门预算报表): a listed table this
# file lacks is then reported as attached (warn), not missing.
_ATTACHED = re.compile(r"附件\s*[:：]?[^。]{0,60}?(?:报表|公开表|预算表)")  # the line may wrap


@dataclass(frozen=True)
class ListedTable:
    kind: str
    title: str  # as listed, without its number
    line: int  # index of the line in the document's text


def _listed_title(line: str) -> str | None:
    """The table title a numbered line lists, or None for any other line."""
    text = _PAGE_NUMBER.sub("", line.strip()).strip()
    lead = _LEADING_NUMBER.match(text)
    trail = _TRAILING_NUMBER.search(text)
    if not lead and not trail:
        return None
    title = text[lead.end() if lead else 0: trail.start() if trail else len(text)].strip()
    return title if looks_like_table_title(title) else None


def listed_tables(text: str) -> list[ListedTable]:
    """Every numbered table title of the text, with the kind its title announces."""
    out = []
    for i, line in enumerate(text.splitlines()):
        title = _listed_title(line)
        kind = classify_title(title) if title else None
        if kind in READ_TABLE_KINDS:
            out.append(ListedTable(kind, squash(title), i))
    return out


def _printed_empty(lines: list[str], title: str) -> bool:
    """A title of the text followed closely by a note that the table has no data."""
    for i, line in enumerate(lines):
        if title in squash(line) and any(is_no_data_note(n) for n in lines[i + 1: i + 1 + _NOTE_REACH]):
            return True
    return False


def check_listed_tables(text: str, found_kinds: set[str], document_kind: str, ctx: DocContext) -> None:
    """Note every listed table the reader did not find, and for a budget every standard table it
    neither prints nor lists."""
    listed = listed_tables(text)
    lines = text.splitlines()
    missing: dict[str, ListedTable] = {}
    for entry in listed:
        if entry.kind not in found_kinds and entry.kind not in missing:
            missing[entry.kind] = entry
    attached = _ATTACHED.search(text)
    for kind, entry in missing.items():
        if _printed_empty(lines, entry.title):
            continue
        where = f"table {entry.title}: listed on line {entry.line + 1} of the text, not found"
        if attached:
            ctx.note("listed_table_attached", "warn", f"the document lists {entry.title} ({kind}) and publishes "
                     f"its tables apart ({squash(attached.group(0))})", "the attachment is ingested too", where)
        else:
            ctx.note("listed_table_missing", "error", f"the document lists {entry.title} ({kind}); the reader "
                     "found no such table", "every table the document lists is read", where)
    if document_kind != "budget":
        return
    listed_kinds = {e.kind for e in listed}
    for kind in STANDARD_BUDGET_TABLES:
        if kind not in found_kinds and kind not in listed_kinds:
            ctx.note("standard_table_missing", "warn", f"no {kind} table printed or listed",
                     "a budget prints the eight standard tables", f"table kind {kind}: neither printed nor listed")
