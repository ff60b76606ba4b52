"""Recognising table titles and the unit a table declares.

Shared by the text and the PDF readers: a table is attached to the title line above it and to
the unit (单位：万元) declared between the title and the header. Rules key on title words, never
on a particular producer's wording, so 部门支出预算总表 / 部门预算支出总表 / 2022年部门支出总表 all
match the same kind.
"""

from __future__ import annotations

import re

from pipeline.text import squash
from pipeline.vocabulary import (
    HEADER_RULES,
    TITLE_RULES,
    UNIT_DECLARATION,
    contains_any,
    match_rules,
)

_TITLE_END = re.compile(r"表\s*(?:[（(][^（()）]{1,20}[)）])?\s*$")
_TITLE_WORDS = ("预算", "支出", "收入", "经费", "绩效", "收支", "拨款")
# '第二部分 2026年度部门预算表' heads a part of the document (its tables follow), not one table.
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十\d]+部分")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]\s*)?(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])\s*")


def looks_like_table_title(line: str) -> bool:
    """A short line that names a disclosure table (ends in 表, mentions budget words)."""
    s = squash(line).strip("*#")
    if not s or len(s) > 70 or "\t" in line:
        return False
    if s.endswith(("。", "；", "，")) or "：" in s[:-1] and not s.startswith("单位"):
        return False
    if not _TITLE_END.search(s) or _PART_HEADING.match(s):
        return False
    return any(w in s for w in _TITLE_WORDS)


# A line that opens a section of the text ('三、…', '（二）…', '第二部分').
SECTION_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第.部分)")
_SENTENCE_MARK = re.compile(r"[，。；！？：:]")


def wrapped_title(above: str, line: str) -> str | None:
    """The title a line ending in 表 makes with the line above it, when the title wraps there
    ('301007_某局某分局_某综' over '合修缮改造项目绩效目标表'): the line above ends no sentence, opens no
    section or list, and is no title or unit line of its own. The caller says the two are set as one."""
    words = squash(above)
    if _SENTENCE_MARK.search(words) or SECTION_HEADING.match(words) or is_toc_entry(words):
        return None
    if looks_like_table_title(above) or parse_unit(above):
        return None
    joined = above.strip() + line.strip()
    return joined if looks_like_table_title(joined) else None


def is_toc_entry(line: str) -> bool:
    """Table-of-contents lines ('(一) 2023年…收支预算总表') carry a list marker."""
    return bool(_LIST_MARKER.match(line))


def classify_title(title: str, header_text: str = "") -> str | None:
    """The table kind a title (and, to break ties, its header words) announces.

    Returns None when neither names a known budget table. The rules are the vocabulary's.
    """
    t = squash(title)
    h = squash(header_text)
    kind = match_rules(TITLE_RULES, t)
    if kind == "other":
        return kind
    for header_kind, in_title, in_header in HEADER_RULES:
        if all(contains_any(t, g) for g in in_title) and all(contains_any(h, g) for g in in_header):
            return header_kind
    return kind


def parse_unit(line: str, next_line: str | None = None) -> str | None:
    """The unit a line declares ('单位：万元' → '万元'); a lone '万' is the common truncation of 万元."""
    m = UNIT_DECLARATION.search(squash(line))
    if not m:
        return None
    return "万元" if m.group(1) == "万" else m.group(1)
