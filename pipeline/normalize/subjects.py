"""Printed subject codes against the official classification: kept as evidence, repaired only when broken.

A printed code that is well formed (the shape of a code of its classification, its 类 or 款 an
official one) is kept as printed, even when the classification does not list it or names another
subject: the row's label is then a witness (``unknown`` / ``label_mismatch``), never a reason to move
the row into another subject. Repair applies to codes that are not: truncated (类+项 '20104' for
2010104 人大会议), garbled by OCR ('5011001 行政运行'), or absent (收支总表 rows carry only names). The
full code is then found by matching the printed name within the classification's hierarchy,
preferring codes the same document prints correctly elsewhere, then the candidate closest to the
printed digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from pipeline.reference.classification import Subject, classification_of, load_subjects
from pipeline.reference.labels import labels_agree
from pipeline.text import ENUMERATION, PRINTED_CODE, squash

# A subject's name as a document prints it beside a code it learns: Chinese words, no figure.
_LOCAL_NAME = re.compile(r"^[\u4e00-\u9fff（）()、]{2,30}$")
# a code before its name, bare or in brackets ('201一般公共服务', '[20101]人大事务'); a year or a
# span of years ('2026年…', '2026-2028年…') is part of the name
_LEADING_CODE = re.compile(r"^[\[［【]?(\d{3,7})(?!\d|年|\s*[-—－~至]\s*\d)[\]］】]?\s*(\D.*)$")
_NAME_TAIL = re.compile(r"[（(](?:类|款|项)[)）]$")


def clean_subject_name(name: str) -> str:
    """'一、一般公共服务支出' → '一般公共服务支出'; '人大事务（款）' → '人大事务'."""
    s = ENUMERATION.sub("", squash(name))
    return _NAME_TAIL.sub("", s)


def split_code_name(label: str) -> tuple[str | None, str]:
    """'201一般公共服务' or '[201]一般公共服务' → ('201', '一般公共服务'); labels without a code → (None, label)."""
    m = _LEADING_CODE.match(squash(label))
    if m:
        return m.group(1), m.group(2)
    return None, label


# Words a producer adds or drops between a name's parts: 工资和福利支出 is 工资福利支出.
_CONJUNCTIONS = re.compile(r"[和及与、]")


def _names_match(a: str, b: str) -> bool:
    a, b = (_CONJUNCTIONS.sub("", clean_subject_name(n)) for n in (a, b))
    return a == b or a.removesuffix("支出") == b.removesuffix("支出")


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, clean_subject_name(a), clean_subject_name(b)).ratio()


def _digit_distance(a: str, b: str) -> int:
    if len(a) != len(b):
        return 99
    return sum(1 for x, y in zip(a, b, strict=True) if x != y)


@dataclass
class Resolution:
    code: str | None
    # 'exact' | 'truncated' | 'by_name' | 'fuzzy' | 'unresolved', or for a well-formed printed code
    # kept as printed: 'unknown' (not in the classification), 'label_mismatch' (it names another subject)
    how: str


@dataclass
class SubjectResolver:
    """Resolves (printed code, printed name) pairs for one document."""

    subjects: dict[str, Subject] = field(default_factory=load_subjects)
    seen: set[str] = field(default_factory=set)  # codes printed correctly in this document
    printed: set[str] = field(default_factory=set)  # every code this document prints
    # codes the document prints with one name, under a parent the classification or the document
    # has, that the shipped classification lacks (2149801 公路水路运输 under 21498): its names-only
    # tables name them too, and a bare name is placed there as it is at an official code
    local: dict[str, Subject] = field(default_factory=dict)

    def learn(self, pairs: Iterable[tuple[str | None, str]]) -> None:
        """Remember the codes a document prints, and which it prints with their right names (a first pass)."""
        names: dict[str, set[str]] = {}
        for code, name in pairs:
            if code and PRINTED_CODE.match(code):
                self.printed.add(code)
            if code and code in self.subjects and _names_match(self.subjects[code].name, name):
                self.seen.add(code)
            elif code and len(code) in (5, 7) and classification_of(code) and _LOCAL_NAME.match(name):
                names.setdefault(code, set()).add(clean_subject_name(name))
        for code in sorted(names, key=len):
            parent = code[:-2]
            if len(names[code]) == 1 and (parent in self.subjects or parent in self.local):
                cls = classification_of(code)
                assert cls is not None
                self.local[code] = Subject(code, cls, names[code].pop(), 2 if len(code) == 5 else 3, parent)
                self.seen.add(code)

    def _context_rank(self, code: str, parent_hint: str | None) -> int:
        """Lower is better: printed elsewhere, under the current parent, parent printed."""
        s = self.subjects.get(code) or self.local[code]
        if code in self.seen:
            return 0
        if parent_hint and code.startswith(parent_hint):
            return 1
        if s.parent_code and s.parent_code in self.seen:
            return 2
        return 3

    def resolve(
        self,
        printed_code: str | None,
        name: str,
        classification: str | None = None,
        parent_hint: str | None = None,
        ocr: bool = False,
    ) -> Resolution:
        """The code of a printed (code, name); ``ocr``: the code was read by OCR, so a digit of it may be
        misread (an unknown code whose name is one official sibling's is that sibling)."""
        subjects = self.subjects
        name_c = clean_subject_name(name)
        if printed_code and printed_code in subjects:
            s = subjects[printed_code]
            if not name_c or _names_match(s.name, name_c) or labels_agree(s.name, name_c):
                return Resolution(printed_code, "exact")
        pool = [
            s for s in subjects.values()
            if classification is None or s.classification == classification
        ]
        if printed_code and PRINTED_CODE.match(printed_code):
            # Truncated: 类 + 项 digits with the 款 dropped, or a bare prefix of the full code.
            trunc = [
                s for s in pool
                if len(s.code) > len(printed_code)
                and (s.code.startswith(printed_code) or s.code[:3] + s.code[5:] == printed_code)
                and _names_match(s.name, name_c)
            ]
            best = self._pick(trunc, printed_code, parent_hint)
            if best:
                return Resolution(best, "truncated")
        if printed_code and self.well_formed(printed_code, parent_hint):
            if printed_code in subjects:
                return Resolution(printed_code, "label_mismatch")
            sibling = self._ocr_sibling(printed_code, name_c) if ocr else None
            return Resolution(sibling, "by_name") if sibling else Resolution(printed_code, "unknown")
        local = [s for s in self.local.values() if classification is None or s.classification == classification]
        named = [s for s in pool + local if name_c and _names_match(s.name, name_c)]
        if printed_code:
            same_len = [s for s in named if len(s.code) == len(printed_code)]
            # a 项 code printed whole is never a 款: a name that only fits a 款 is no repair
            named = same_len if len(printed_code) == 7 else same_len or named
        best = self._pick(named, printed_code, parent_hint)
        if best:
            return Resolution(best, "by_name")
        if printed_code and name_c and len(name_c) >= 2:
            fuzzy = [
                (s, _similarity(s.name, name_c)) for s in pool if len(s.code) == len(printed_code)
            ]
            scored = [
                (sim - 0.1 * _digit_distance(s.code, printed_code) - 0.1 * self._context_rank(s.code, parent_hint), s)
                for s, sim in fuzzy if sim >= 0.5
            ]
            scored.sort(key=lambda t: (-t[0], t[1].code))
            if scored and scored[0][0] >= 0.3 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.1):
                return Resolution(scored[0][1].code, "fuzzy")
        return Resolution(None, "unresolved")

    def _ocr_sibling(self, code: str, name: str) -> str | None:
        """The one official code under the same parent whose name is ``name`` (an OCR-misread digit)."""
        parent = code[:-2]
        found = [s.code for s in self.subjects.values() if s.parent_code == parent and _names_match(s.name, name)]
        return found[0] if len(found) == 1 else None

    def well_formed(self, code: str, parent_hint: str | None = None) -> bool:
        """A code of the shape of its classification whose parent (类 of a 款, 款 of a 项) is official or
        the 款 of the rows above it or printed by the document (20140 信访事务, newer than the shipped list):
        a 7-digit economic code is a local sub-code of an official 款 (30102 → 3010201)."""
        if not PRINTED_CODE.match(code):
            return False
        if len(code) == 3:
            return code in self.subjects
        shaped = classification_of(code) is not None or (len(code) == 7 and code.startswith("3"))
        parent = code[:-2]
        known = parent in self.subjects or parent == parent_hint or parent in self.printed
        return shaped and known and parent[:3] in self.subjects

    def named_in_text(self, markers: Iterable[tuple[str, int | None]], classification: str = "function") -> str | None:
        """The code a sentence's subject markers name ('“农林水支出”科目' → 213; '一般公共服务支出（类）人大事务
        （款）' → 20101): each marker the subject of its name under the marker before, of the level it
        names; a marker's words may open with other words ('主要用于农林水支出（类）'), so its longest tail
        that names a subject counts. None when a marker names none, or several with nothing to choose by."""
        parent: str | None = None
        for printed, level in markers:
            words = squash(printed)
            tails = (words[i:] for i in range(len(words) - 1))
            candidates: list[Subject] = []
            for tail in tails:
                candidates = [
                    s for s in self.subjects.values()
                    if s.classification == classification and level in (None, s.level)
                    and (parent is None or s.code.startswith(parent)) and _names_match(s.name, tail)
                ]
                if candidates:
                    break
            parent = self._pick(candidates, None, parent)
            if parent is None:
                return None
        return parent

    def _pick(self, candidates: list[Subject], printed_code: str | None, parent_hint: str | None) -> str | None:
        if not candidates:
            return None
        ranked = sorted(
            candidates,
            key=lambda s: (
                # a bare name under the row above's subject is its child (其他科学技术支出 after 2069901 科技奖励
                # is 2069999, not 20699 again): tables print the tree in order
                not printed_code and not (parent_hint and s.code != parent_hint and s.code.startswith(parent_hint)),
                self._context_rank(s.code, parent_hint),
                _digit_distance(s.code, printed_code) if printed_code else 0,
                s.code,
            ),
        )
        if len(ranked) > 1 and self._context_rank(ranked[0].code, parent_hint) == 3 and not printed_code:
            return None  # a bare name that fits several places, with nothing to choose by
        return ranked[0].code
