"""What a disclosure says about itself: title, year, kind, level, publishing department, short names.

The department is read from wherever the disclosure names it: the cover (预算主管部门：…,
预算单位：…), the lines above each table (编制部门：…, 单位名称：…) or the title. The kind
(预算 or 决算) and the level (部门 or 单位) come from the title on the cover, else the tables.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.model import ExtractedDocument
from pipeline.normalize.units import clean_unit_name, looks_like_unit_name, region_of
from pipeline.text import squash
from pipeline.vocabulary import (
    DEPARTMENT_LEVEL_WORDS,
    DISCLOSURE_TITLE,
    FINAL_ACCOUNTS_WORDS,
    PUBLISHER_LINE,
    UNIT_LEVEL_WORDS,
    contains_any,
)

_NAME = r"[\u4e00-\u9fff（）()]{4,40}?"
_KIND = r"(?:[\u4e00-\u9fff]{0,2}级)?(?:部门|单位)(?:预算|决算)"
# '…办公室2023年部门预算' and, on covers that put the year first, '2026年…宣传部部门预算'.
_TITLE_NAME = re.compile(rf"({_NAME})\s*(20\d{{2}})\s*(?:年度?)?\s*{_KIND}")
_YEAR_FIRST_TITLE = re.compile(rf"(?<!\d)(20\d{{2}})\s*年度?\s*({_NAME}){_KIND}")
# '某市统计局部门2026年度部门预算': the department's name followed by the word 部门.
_NAME_TAIL_WORDS = ("部门",)
# A span that runs over another title ('2026年度某局部门预算公开某局2026年度部门预算': a cover and a running
# head joined) holds a disclosure's words or opens with a year's tail: it is no one's name.
_NOT_A_NAME = re.compile(rf"^年|{_KIND}")
_TITLE_LEAD = re.compile(r"^(?:第[一二三四五六七八九十]+部分|关于|[一二三四五六七八九十]+、)")
_YEAR_IN_TITLE = re.compile(r"(20\d{2})\s*年")
_BUDGET_YEAR = re.compile(r"(?:预算|决算)年度[:：]?\s*(20\d{2})")
_SHORT_NAME = re.compile(r"[（(]\s*(?:以下)?简称[“\"]?([\u4e00-\u9fff]{2,20}?)[”\"]?\s*[)）]")
_UNIT_CODE_PREFIX = re.compile(r"^(\d{1,9})\s*[-—－]?\s*(?=[\u4e00-\u9fff])")
_FILLED_FOR_YEAR = re.compile(r"(?:填写|编制|填报)(20\d{2})\s*年")
COVER_LINES = 12  # the cover and the first lines of a disclosure name it


@dataclass
class DocumentMeta:
    title: str
    fiscal_year: int | None
    department_name: str | None
    department_code: str | None = None
    aliases: set[str] = field(default_factory=set)
    document_kind: str = "budget"
    disclosure_level: str = "department"


def _publisher_names(line: str) -> list[str]:
    """Names after 编制部门：/预算主管部门：…; a space ends the name ('… 单位：万元' follows)."""
    return [clean_unit_name(m.group(1)) for m in PUBLISHER_LINE.finditer(line.replace("\u3000", " "))]


def _department_candidates(doc: ExtractedDocument) -> tuple[Counter[str], dict[str, str]]:
    counts: Counter[str] = Counter()
    codes: dict[str, str] = {}
    for table in doc.tables:
        for line in table.context_lines:
            first = squash(line.split(" ")[0]) if line else ""
            for part in {first, squash(line), *_publisher_names(line)}:
                m = _UNIT_CODE_PREFIX.match(part)
                name = clean_unit_name(part)
                if looks_like_unit_name(name) and region_of(name):
                    counts[name] += 1
                    if m:
                        codes.setdefault(name, m.group(1))
    cover = _cover(doc)
    for k, line in enumerate(cover):
        if line.endswith("部") and squash(cover[k + 1] if k + 1 < len(cover) else "").startswith(("门预算", "门决算")):
            line = line[:-1]  # the cover broke inside 部门预算: '…办公室部' | '门预算'
        labelled = set(_publisher_names(line))
        for name in {clean_unit_name(line), *labelled}:
            # a name the cover labels (预算单位：…) need not start with its area
            if looks_like_unit_name(name) and (region_of(name) or name in labelled) and len(name) <= 40:
                counts[name] += 1
    return counts, codes


def _cover(doc: ExtractedDocument) -> list[str]:
    return [ln for ln in doc.text.split("\n")[:COVER_LINES] if ln.strip()]


def _short_names(text: str) -> set[str]:
    return {m.group(1) for m in _SHORT_NAME.finditer(squash(text))}


def _stated_title(doc: ExtractedDocument) -> re.Match[str] | None:
    """'…2024年度部门决算' on the cover (lines may be broken: they are joined)."""
    return DISCLOSURE_TITLE.search(squash("".join(_cover(doc))))


def _title_name(doc: ExtractedDocument) -> tuple[str | None, int | None]:
    """The name and year of a '…2023年部门预算' title: on the cover (its lines joined), else anywhere."""
    for text in (squash("".join(_cover(doc))), squash(doc.text)):
        found = [(m.group(1), m.group(2)) for m in _TITLE_NAME.finditer(text)]
        found += [(m.group(2), m.group(1)) for m in _YEAR_FIRST_TITLE.finditer(text)]
        for raw_name, year in found:
            name = _TITLE_LEAD.sub("", raw_name)
            for tail in _NAME_TAIL_WORDS:
                name = name.removesuffix(tail) if len(name) > len(tail) + 3 else name
            if len(name) >= 4 and not _NOT_A_NAME.search(name) and looks_like_unit_name(name):
                return name, int(year)
    return None, None


def _table_year(doc: ExtractedDocument) -> int | None:
    """The year the tables name: titles, 预算年度, or a note ('本表填写2020年…')."""
    years: Counter[int] = Counter()
    for t in doc.tables:
        for m in _YEAR_IN_TITLE.finditer(t.title):
            years[int(m.group(1))] += 1
        for line in t.context_lines:
            for m in _BUDGET_YEAR.finditer(squash(line)):
                years[int(m.group(1))] += 2
        for note in t.notes:
            for m in _FILLED_FOR_YEAR.finditer(squash(note)):
                years[int(m.group(1))] += 1
    return years.most_common(1)[0][0] if years else None


def _document_kind(doc: ExtractedDocument, stated: re.Match[str] | None) -> str:
    if stated is not None:
        return "final_accounts" if stated.group(3) == "决算" else "budget"
    titled = [t for t in doc.tables if t.title]
    final = sum(1 for t in titled if contains_any(squash(t.title), FINAL_ACCOUNTS_WORDS))
    return "final_accounts" if titled and final * 2 > len(titled) else "budget"


def _disclosure_level(doc: ExtractedDocument, stated: re.Match[str] | None) -> str:
    if stated is not None and stated.group(2):
        return "unit" if stated.group(2) == "单位" else "department"
    words = squash(" ".join(_cover(doc) + [t.title for t in doc.tables]))
    unit, dept = (sum(words.count(w) for w in ws) for ws in (UNIT_LEVEL_WORDS, DEPARTMENT_LEVEL_WORDS))
    return "unit" if unit > dept else "department"


def read_meta(doc: ExtractedDocument) -> DocumentMeta:
    counts, codes = _department_candidates(doc)
    department = None
    if counts:
        top = max(counts.values())
        department = max((n for n, c in counts.items() if c == top), key=len)
    named, named_year = _title_name(doc)
    department = department or named
    stated = _stated_title(doc)
    kind = _document_kind(doc, stated)
    level = _disclosure_level(doc, stated)
    fiscal_year = (int(stated.group(1)) if stated else None) or named_year or _table_year(doc)
    aliases = _short_names(doc.text)
    if department and named and named != department:
        aliases.add(named)
    kind_words = ("年度" if kind == "final_accounts" else "年") + ("单位" if level == "unit" else "部门")
    kind_words += "决算" if kind == "final_accounts" else "预算"
    year_part = f"{fiscal_year}{kind_words}" if fiscal_year else ""
    title = squash(f"{named or department or ''}{year_part}") or doc.raw.file_name
    return DocumentMeta(
        title=title,
        fiscal_year=fiscal_year,
        department_name=department,
        department_code=codes.get(department) if department else None,
        aliases=aliases,
        document_kind=kind,
        disclosure_level=level,
    )
