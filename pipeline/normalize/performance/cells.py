"""Cell vocabulary: what a cell of a performance table looks like.

The words of the national indicator framework (产出/效益/满意度, 数量/质量/时效 …), bases such
as 计划标准, labels such as 年度绩效指标, and the cleaning OCR and converters make necessary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.normalize.targets import is_quantitative, normalize_unit
from pipeline.text import squash

PAREN = re.compile(r"[（(][^（()）]*[)）]")

_CJK = "\u4e00-\u9fff"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}（）“”、，])\s+(?=[{_CJK}（）“”、，])")
_JUNK = re.compile(r"^[\s\-—–_=~.。…·*/|]*$")
L1_STRONG = re.compile(r"^(?:产出|效益|效果|满意度)指标$|^(?:产出|效益)$")
L1_OR_L2 = re.compile(r"^(?:成本(?:指标)?|满意度)$")
L2_WORDS = re.compile(
    r"^(?:数量|质量|时效性?|成本|社会效益|经济效益|生态效益|环境效益|可持续影响|服务对象满意度|满意度)(?:指标)?$"
)
BASIS_WORDS = re.compile(r"^(?:计划|行业|历史|其他|国家|地方|省级?|市级?|县级?|区级?)\S{0,2}(?:标准|指标)$")
# '年度绩效指标', '绩效目标', and both words at once: '绩效目标指标'
# a label cut at its cell's edge ('绩效目标指', its 标 wrapped away) is the label all the same
_LABEL = re.compile(r"^(?:项目|部门|整体)?(?:年度|长期|中期)?(?:绩效)?(?:目标)?(?:指标?)?$")
_PLACEHOLDER = re.compile(r"^(?:指标值?\s*\d+|\.{2,}|…+)$")
_NAME_UNIT = re.compile(r"[（(]\s*/?\s*([%‰A-Za-z\u4e00-\u9fff/]{1,3})\s*[)）]$")


@dataclass(frozen=True)
class Cell:
    col: int
    text: str  # cleaned: CJK gaps joined
    key: str  # squashed, for vocabulary tests


def join_cjk(text: str) -> str:
    """'参加会议人 数' → '参加会议人数': OCR splits CJK words with spaces; Chinese has none."""
    return _CJK_GAP.sub("", text).strip()


def clean(cell: str | None) -> str:
    s = join_cjk(cell or "")
    return "" if _JUNK.match(s) else s


def label_key(cell: str) -> str:
    """A label as compared: no whitespace, no brackets content, no trailing colon."""
    return PAREN.sub("", squash(cell)).rstrip(":：").replace("(", "").replace(")", "")


def is_label(text: str) -> bool:
    s = squash(text)
    return bool(s) and bool(_LABEL.match(s)) and any(w in s for w in ("年度", "长期", "中期", "绩效"))


def is_level_word(text: str) -> bool:
    k = squash(text)
    return bool(k) and not is_label(k) and bool(
        L1_STRONG.match(k) or L1_OR_L2.match(k) or L2_WORDS.match(k) or (k.endswith("指标") and len(k) <= 12)
    )


def holds_indicator(texts: Iterable[str]) -> bool:
    """True when cells hold a first-level word or a numeric target (an indicator, not a goal)."""
    return any(L1_STRONG.match(squash(t)) or is_quantitative(t) for t in texts)


def names_indicators(header: Iterable[str], body: Iterable[str]) -> bool:
    """A table laid out for indicators: a heading names them (三级指标, 指标值) or a row holds a level word
    (产出指标, 数量指标) beside a numeric target. A list of projects with their amounts and overall goals
    (单位名称 | 项目名称 | 金额 | 项目总体绩效目标) names none, however many figures its goals quote."""
    header, cells = list(header), list(body)
    if not any(is_level_word(c) for c in header + cells) and not any("指标" in squash(h) for h in header):
        return False
    return holds_indicator(header + cells)


def is_placeholder(values: Iterable[str]) -> bool:
    """Template cells ('指标 1 | 指标值 1', '... | ...') that a publisher left unfilled."""
    squashed = [squash(v) for v in values if v]
    return bool(squashed) and all(_PLACEHOLDER.match(v) for v in squashed)


def unit_in_name(name: str | None) -> str | None:
    """'会议审议议案建议数（件）' → '件': the unit a name announces for a bare-number target."""
    m = _NAME_UNIT.search(name or "")
    if not m or any(w in m.group(1) for w in ("含", "不", "等", "率")):
        return None
    return normalize_unit(m.group(1))
