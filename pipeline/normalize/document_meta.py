"""What a disclosure says about itself: title, budget year, publishing department, short names."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.extract.titles import squash
from pipeline.model import ExtractedDocument
from pipeline.normalize.units import clean_unit_name, looks_like_unit_name, region_of

_TITLE = re.compile(r"([\u4e00-\u9fff（）()]{4,40}?)(20\d{2})年度?部门预算")
_TITLE_LEAD = re.compile(r"^(?:第[一二三四五六七八九十]+部分|关于|[一二三四五六七八九十]+、)")
_YEAR_IN_TITLE = re.compile(r"(20\d{2})\s*年")
_BUDGET_YEAR = re.compile(r"预算年度[:：]?\s*(20\d{2})")
_SHORT_NAME = re.compile(r"[（(]\s*(?:以下)?简称[“\"]?([\u4e00-\u9fff]{2,20}?)[”\"]?\s*[)）]")
_UNIT_CODE_PREFIX = re.compile(r"^(\d{1,9})\s*[-—－]?\s*(?=[\u4e00-\u9fff])")


@dataclass
class DocumentMeta:
    title: str
    fiscal_year: int | None
    department_name: str | None
    department_code: str | None = None
    aliases: set[str] = field(default_factory=set)


def _department_candidates(doc: ExtractedDocument) -> tuple[Counter[str], dict[str, str]]:
    counts: Counter[str] = Counter()
    codes: dict[str, str] = {}
    for table in doc.tables:
        for line in table.context_lines:
            first = squash(line.split(" ")[0]) if line else ""
            for part in {first, squash(line)}:
                m = _UNIT_CODE_PREFIX.match(part)
                name = clean_unit_name(part)
                if looks_like_unit_name(name) and region_of(name):
                    counts[name] += 1
                    if m:
                        codes.setdefault(name, m.group(1))
    for line in doc.text.split("\n")[:12]:
        name = clean_unit_name(line)
        if looks_like_unit_name(name) and region_of(name) and len(name) <= 40:
            counts[name] += 1
    return counts, codes


def _short_names(text: str) -> set[str]:
    return {m.group(1) for m in _SHORT_NAME.finditer(squash(text))}


def _title(doc: ExtractedDocument, department: str | None) -> tuple[str | None, int | None]:
    joined = squash(doc.text)
    for m in _TITLE.finditer(joined):
        name = _TITLE_LEAD.sub("", m.group(1))
        if len(name) >= 4:
            return f"{name}{m.group(2)}年部门预算", int(m.group(2))
    return None, None


_FILLED_FOR_YEAR = re.compile(r"(?:填写|编制|填报)(20\d{2})\s*年")


def _table_year(doc: ExtractedDocument) -> int | None:
    """The budget year the tables name: titles, 预算年度, or a note ('本表填写2020年…')."""
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


def read_meta(doc: ExtractedDocument) -> DocumentMeta:
    counts, codes = _department_candidates(doc)
    department = None
    if counts:
        top = max(counts.values())
        department = max((n for n, c in counts.items() if c == top), key=len)
    aliases = _short_names(doc.text)
    title, year = _title(doc, department)
    table_year = _table_year(doc)
    fiscal_year = year or table_year
    if title is None:
        # No '…2023年部门预算' line (a bare table, or a PDF whose cover page is blank).
        year_part = f"{fiscal_year}年部门预算" if fiscal_year else ""
        title = squash(f"{department or ''}{year_part}") or doc.raw.file_name
    if department is None and title:
        guess = re.sub(r"20\d{2}年.*$", "", title)
        if looks_like_unit_name(guess):
            department = guess
    title_name = re.sub(r"20\d{2}年.*$", "", title or "")
    if department and title_name and title_name != department:
        aliases.add(title_name)
    return DocumentMeta(
        title=title,
        fiscal_year=fiscal_year,
        department_name=department,
        department_code=codes.get(department) if department else None,
        aliases=aliases,
    )
