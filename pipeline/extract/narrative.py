"""Amounts the explanatory text states (收支总预算 1234.56 万元, the “三公” figures …).

Each rule names what the sentence states; the amount must follow its key words closely, with
no other figure in between, so '公务接待费：2023 年安排公务接待费预算 8.20 万元' yields 8.20
and a definition ('公务用车购置及运行费反映…') yields nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_AMOUNT = r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*(亿元|万元|元|万)(?![\u4e00-\u9fff]*[率%])"
_GAP = r"[^0-9。；;！？\n]{0,14}?"

# (line item, key words) — line items follow the contract's three_public enum and measures.
_RULES: list[tuple[str, str]] = [
    ("income_expenditure_total", r"收支总预算|收支预算总额|预算收支安排|收支总计"),
    ("basic", r"基本支出"),
    ("personnel", r"人员经费|人员支出"),
    ("public_operating", r"(?<!机关运行)(?:日常)?公用经费|日常公用支出"),
    ("project", r"(?<!其中)项目支出"),
    ("three_public_total", r"[“\"‘']三公[”\"’']经费(?:财政拨款)?(?:预算)?"),
    ("overseas_travel", r"因公出国[（(]境[)）](?:经)?费(?:用)?"),
    ("vehicle_total", r"公务用车购置(?:及|和)运(?:行)?(?:维护|维)?费"),
    ("vehicle_purchase", r"公务用车购置费"),
    ("vehicle_operation", r"公务用车运行(?:维护)?费"),
    ("official_reception", r"公务接待费"),
]
# A figure after these words is a change against last year, not the amount itself.
_CHANGE = re.compile(r"增加|减少|增长|下降|持平|比上年|较上年|比\s*20\d{2}|较\s*20\d{2}|变动|增|减")
_COMPILED = [(item, re.compile(f"(?:{keys}){_GAP}{_AMOUNT}")) for item, keys in _RULES]


@dataclass(frozen=True)
class NarrativeAmount:
    line_item: str
    amount: Decimal
    unit_label: str
    sentence: str
    position: int  # character offset in the narrative text (orders the statements)


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
            found.append(
                NarrativeAmount(item, Decimal(m.group(1).replace(",", "")), unit, _sentence(prose, *m.span()), m.start())
            )
    return sorted(found, key=lambda a: a.position)
