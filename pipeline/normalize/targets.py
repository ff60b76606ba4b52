"""Reading a performance target as printed ('≥95%', '1000人以上', '1-5条', '及时') into a
comparator, a number (or a range) and a unit.

The rules key on sign characters and sign words only, so targets from layouts never seen
before parse the same way. A target that is not a quantity (a word such as 及时, a deadline
such as 2021年2月底前, a comparison with something unnamed such as ≤上期会议经费) is
qualitative: comparator, value and unit are all None and the caller keeps the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Full-width forms the converters and OCR leave in targets.
_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９．，％（）＞＜＝～－：／",
    "0123456789.,%()><=~-:/",
)
_SIGN_FORMS = [
    # Longest forms first: '>=' must not be read as '>' followed by '='.
    (">=", ">="), ("=>", ">="), ("≥", ">="), ("≧", ">="), ("⩾", ">="),
    ("<=", "<="), ("=<", "<="), ("≤", "<="), ("≦", "<="), ("⩽", "<="),
    (">", ">"), ("<", "<"), ("=", "="), ("≈", "="),
]
# Sign words before the number (不低于95%) — order matters: 大于等于 before 大于.
_PREFIX_WORDS = [
    ("大于等于", ">="), ("大于或等于", ">="), ("不低于", ">="), ("不少于", ">="), ("不小于", ">="),
    ("至少", ">="), ("达到", ">="), ("小于等于", "<="), ("小于或等于", "<="), ("不高于", "<="),
    ("不超过", "<="), ("不多于", "<="), ("不大于", "<="), ("最多", "<="), ("控制在", "<="),
    ("大于", ">"), ("高于", ">"), ("超过", ">"), ("多于", ">"), ("小于", "<"), ("低于", "<"),
    ("少于", "<"), ("等于", "="),
]
# Sign words after the number and unit (1000人以上, 3个工作日内).
_SUFFIX_WORDS = [
    ("及以上", ">="), ("以上", ">="), ("及以下", "<="), ("以下", "<="), ("以内", "<="),
    ("之内", "<="), ("内", "<="),
]
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_RANGE = re.compile(rf"^({_NUM})\s*(%?)\s*(?:-|~|—|–|至|到)\s*({_NUM})(.*)$")
_LEADING_NUMBER = re.compile(rf"^({_NUM})(.*)$")
# A unit is a short run of CJK, letters, '%' and '/' ('元/人', '人次', '(%)', 'km').
_UNIT = re.compile(r"^[%\u4e00-\u9fffA-Za-z/·]{1,8}$")
# A calendar date is a deadline, not a quantity: '2021年2月底前', '2020年11月', '6月30日前'.
_DATE = re.compile(r"^(?:19|20)\d{2}年|^\d{1,2}月\d{1,2}日|^\d{1,2}月(?:底|末|中旬|上旬|下旬)")
_QUALITATIVE_SIGNS = {"定性", "定性指标", "文字", "描述"}


@dataclass(frozen=True)
class Target:
    comparator: str | None  # '>=', '<=', '=', '>', '<', 'between'; None when qualitative
    value: float | None  # the number; the lower bound for 'between'
    max: float | None  # the upper bound for 'between'
    unit: str | None  # '%', '人', '元/人', '万元', ...


QUALITATIVE = Target(None, None, None, None)


def normalize_text(text: str) -> str:
    """Full-width signs and digits to ASCII, all whitespace removed (OCR puts '≥ 3 份')."""
    s = text.translate(_FULL_WIDTH)
    return re.sub(r"[\s\u3000]+", "", s)


def normalize_unit(unit: str | None) -> str | None:
    """'(%)', '（%）', '（/ %）' → '%'; brackets around a unit are decoration, not content."""
    if unit is None:
        return None
    s = normalize_text(unit)
    s = re.sub(r"^\((.*)\)$", r"\1", s)
    s = s.strip("/")
    if s in {"", "-", "—", "/", "无"}:
        return None
    return s


def _to_float(s: str) -> float:
    return float(s.replace(",", ""))


def sign_of(cell: str | None) -> str | None:
    """The comparator a 计算符号 cell states ('≥' → '>='), None when it states none."""
    if not cell:
        return None
    s = normalize_text(cell)
    for form, comp in _SIGN_FORMS:
        if s == form:
            return comp
    for word, comp in _PREFIX_WORDS:
        if s == word:
            return comp
    return None


def _strip_prefix_sign(s: str) -> tuple[str | None, str]:
    for form, comp in _SIGN_FORMS:
        if s.startswith(form):
            return comp, s[len(form):]
    for word, comp in _PREFIX_WORDS:
        if s.startswith(word):
            return comp, s[len(word):]
    return None, s


def _strip_suffix_sign(s: str) -> tuple[str | None, str]:
    for word, comp in _SUFFIX_WORDS:
        if s.endswith(word) and len(s) > len(word):
            return comp, s[: -len(word)]
    return None, s


def _clean_unit(rest: str) -> str | None | bool:
    """The unit after a number: None when there is none, False when the rest is not a unit."""
    rest = rest.strip()
    # A remark in brackets after the unit ('95%(含)') is not part of the unit.
    rest = re.sub(r"(?<=.)\([^()]*\)$", "", rest)
    if not rest:
        return None
    unit = normalize_unit(rest)
    if unit is None:
        return None
    return unit if _UNIT.match(unit) else False


def parse_target(text: str, unit_cell: str | None = None, sign_cell: str | None = None) -> Target:
    """A printed target → comparator, value(s) and unit.

    ``unit_cell`` and ``sign_cell`` are the 计量单位 and 计算符号 columns of tables that print
    the target in three parts; a sign cell of 定性 makes the target qualitative whatever the
    value says. A number with no sign is '='; a deadline date is qualitative (not a quantity).
    """
    s = normalize_text(text or "")
    outer_unit = normalize_unit(unit_cell)
    if sign_cell is not None and normalize_text(sign_cell) in _QUALITATIVE_SIGNS:
        return QUALITATIVE
    if not s or not re.search(r"\d", s) or _DATE.search(s):
        return QUALITATIVE
    column_sign = sign_of(sign_cell)

    comp, body = _strip_prefix_sign(s)
    suffix_comp, body = _strip_suffix_sign(body)
    # '控制在10%内' states the bound twice; a sign before the number wins over a word after it.
    comp = comp or suffix_comp
    if _DATE.search(body):
        return QUALITATIVE

    rng = _RANGE.match(body)
    if rng and comp is None:
        low, pct, high, rest = rng.groups()
        unit = _clean_unit(rest)
        if unit is False:
            return QUALITATIVE
        unit = unit or (pct or None) or outer_unit
        return Target("between", _to_float(low), _to_float(high), unit)

    m = _LEADING_NUMBER.match(body)
    if not m:
        return QUALITATIVE  # '≤上期会议经费': a sign against something that is not a number
    number, rest = m.groups()
    unit = _clean_unit(rest)
    if unit is False:
        return QUALITATIVE  # '5年内完成全部建设任务': a sentence that merely contains a number
    unit = unit or outer_unit
    comp = comp or column_sign or "="
    return Target(comp, _to_float(number), None, unit)


def is_quantitative(text: str) -> bool:
    """True when the cell reads as a numeric target (used to tell targets from other cells)."""
    return parse_target(text).comparator is not None
