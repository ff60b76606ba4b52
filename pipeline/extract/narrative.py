"""Amounts the explanatory text states (收支总预算 1234.56 万元, the “三公” figures …).

Each rule names what the sentence states; the amount must follow its key words closely, with
no other figure in between, so '公务接待费：2023 年安排公务接待费预算 8.20 万元' yields 8.20
and a definition ('公务用车购置及运行费反映…') yields nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pipeline.text import FIGURE_IN_TEXT
from pipeline.vocabulary import NARRATIVE_CLAUSE_START, NARRATIVE_RULES, NARRATIVE_SUBJECT_SCOPES

_AMOUNT = rf"({FIGURE_IN_TEXT.pattern})\s*(亿元|万元|元|万)(?![\u4e00-\u9fff]*[率%])"
# the key words end a heading and the amount follows in the next sentence, dated by its year:
# '（二）公务接待费。2026 年预算数 6 万元'
_GAP = r"[^0-9。；;！？\n]{0,14}?(?:[。：:]\s*20\d{2}\s*年度?[^0-9。；;！？\n]{0,6}?)?"

# A figure after these words is a change against last year, not the amount itself.
_CHANGE = re.compile(r"增加|减少|增长|下降|持平|比上年|较上年|比\s*20\d{2}|较\s*20\d{2}|变动|增|减")
_COMPILED = [(item, re.compile(f"(?:{keys}){_GAP}{_AMOUNT}")) for item, keys in NARRATIVE_RULES]
_SCOPES = [(re.compile(pattern), level) for pattern, level in NARRATIVE_SUBJECT_SCOPES]
_CLAUSE_START = re.compile(NARRATIVE_CLAUSE_START)


@dataclass(frozen=True)
class NarrativeAmount:
    line_item: str
    amount: Decimal
    unit_label: str
    sentence: str
    position: int  # character offset in the narrative text (orders the statements)
    # The subject the clause speaks of, as its markers print it in order ('一般公共服务支出（类）人大事务
    # （款）…' → (('一般公共服务支出', 1), ('人大事务', 2))): name and the level the marker names (1 类,
    # 2 款, 3 项, None: '“…”科目', any level). Empty when the clause is the department's.
    scope: tuple[tuple[str, int | None], ...] = ()


def _clause_scope(text: str, start: int) -> tuple[tuple[str, int | None], ...]:
    """The subject markers between the clause's start and ``start``, in order."""
    clause = max((m.end() for m in _CLAUSE_START.finditer(text, 0, start)), default=0)
    found = [(m.start(), m.group(1), level) for pattern, level in _SCOPES for m in pattern.finditer(text, clause, start)]
    return tuple((name, level) for _, name, level in sorted(found))


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(p, 0, start) for p in "。；;\n") + 1
    rights = [i for i in (text.find(p, end) for p in "。；;\n") if i != -1]
    right = min(rights) if rights else len(text)
    return text[left:right].strip()


def narrative_amounts(text: str) -> list[NarrativeAmount]:
    """Every stated amount a rule recognises, in order of appearance."""
    # Table rows (tab-separated) are not narrative.
    prose = "\n".join(line for line in text.split("\n") if "\t" not in line)
    found: list[NarrativeAmount] = []
    taken: set[tuple[int, int]] = set()
    for item, pattern in _COMPILED:
        for m in pattern.finditer(prose):
            span = m.span(1)
            if span in taken or _CHANGE.search(prose, m.start(), span[0]):
                continue
            taken.add(span)
            unit = "万元" if m.group(2) == "万" else m.group(2)
            amount = Decimal(m.group(1).replace(",", ""))
            found.append(
                NarrativeAmount(item, amount, unit, _sentence(prose, *m.span()), m.start(), _clause_scope(prose, m.start()))
            )
    return sorted(found, key=lambda a: a.position)
