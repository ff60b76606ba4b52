"""Layout detection: the column roles a performance table's header words announce.

A role says what a column holds: the row's budget unit, project and funds (the prefix), or a
part of the indicator (its levels, name, description, sign, target, unit of measure, basis).
"""

from __future__ import annotations

import re

from pipeline.normalize.performance.cells import PAREN, is_label
from pipeline.text import squash
from pipeline.vocabulary import PARENT_PROJECT_WORDS, PROJECT_WORDS, SUBTOTAL_WORDS, TOTAL_WORDS

UNIT, UNIT_OR_PROJECT, PARENT, PROJECT, FUNDS_TOTAL, FUNDS = (
    "unit", "unit_or_project", "parent", "project", "funds_total", "funds",
)
L1, L2, NAME, DESC, SIGN, TARGET, MEASURE, BASIS = (
    "l1", "l2", "name", "desc", "sign", "target", "measure", "basis",
)
# 分值 / 权重: the points an evaluation gives an indicator, not part of it (never read as its target).
SCORE = "score"
# 备注: a remark beside the indicator, not part of it either.
REMARK = "remark"
INDICATOR_ROLES = (L1, L2, NAME, DESC, SIGN, TARGET, MEASURE, BASIS)
PREFIX_ROLES = (UNIT, UNIT_OR_PROJECT, PARENT, PROJECT, FUNDS_TOTAL, FUNDS)
# Columns that name who or what a row is about (not its money, not its indicator).
LABEL_ROLES = (UNIT, UNIT_OR_PROJECT, PARENT, PROJECT)

# A funds column headed by a total word or by a word of the project's money.
_FUNDS_TOTAL_WORDS = (*TOTAL_WORDS, *SUBTOTAL_WORDS, "资金总额", "项目资金", "资金安排", "预算数", "预算金额", "金额",
                      "项目预算")

# Header word → role. Checked in order: the more specific words first (指标值确定依据 is a
# basis, not a target; 计量单位 is a unit of measure, not a budget unit).
_HEADER_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"单位(?:及|和|与|/|、).*项目|项目(?:及|和|与|/|、).*单位"), UNIT_OR_PROJECT),
    (re.compile(r"计量单位|度量单位|^计量$"), MEASURE),
    (re.compile(r"确定依据|绩效标准|评价标准|评分标准|指标值来源|^标准$|^依据$"), BASIS),
    (re.compile(r"指标描述|指标说明|指标解释|指标定义"), DESC),
    # 指标值类型 holds ≥ / ≤ / = / 定性 beside the 指标值: the sign, not a second target
    (re.compile(r"计算符号|运算符号|^符号$|比较符号|指标值类型|^值类型$"), SIGN),
    (re.compile(r"^(?:分值|权重|分数|得分)+$"), SCORE),  # 分值权重（90） too
    (re.compile(r"^(?:备注|说明)$"), REMARK),
    (re.compile(r"一级指标"), L1),
    (re.compile(r"二级指标"), L2),
    (re.compile(r"三级指标|明细指标|指标内容|指标名称|具体指标"), NAME),
    (re.compile(r"指标值|目标值|绩效目标值|^目标$"), TARGET),
    (re.compile("|".join(map(re.escape, PARENT_PROJECT_WORDS))), PARENT),
    (re.compile("|".join((*map(re.escape, PROJECT_WORDS), "^项目$"))), PROJECT),
    (re.compile(r"单位名称|预算单位|实施单位|部门名称|^单位$"), UNIT),
    (re.compile("^(?:" + "|".join(map(re.escape, _FUNDS_TOTAL_WORDS)) + ")$"), FUNDS_TOTAL),
    (re.compile(r"一般公共预算|政府性基金|专户|其他资金|财政拨款|上年结转|单位资金|自有资金|^基本支出$|^项目支出$"), FUNDS),
]


def header_role(cell: str) -> str | None:
    """The column role a header word announces ('三级指标' → name), None for other words."""
    s = PAREN.sub("", squash(cell)).strip("★*:：")
    if not s:
        return None
    for pattern, role in _HEADER_RULES:
        if pattern.search(s):
            return role
    return None


def roles_from_header(rows: list[list[str]]) -> dict[int, str]:
    """Column roles from (possibly several) header rows: the lowest word under a span wins."""
    width = max((len(r) for r in rows), default=0)
    roles: dict[int, str] = {}
    for c in range(width):
        for row in reversed(rows):
            if c < len(row) and row[c].strip():
                role = header_role(row[c])
                if role is not None:
                    roles[c] = role
                    break
    # Two columns claiming one role (e.g. 单位 twice): keep the first.
    seen: set[str] = set()
    for c in sorted(roles):
        if roles[c] in seen and roles[c] != FUNDS:
            del roles[c]
        else:
            seen.add(roles[c])
    return roles


def has_indicator_roles(roles: dict[int, str]) -> bool:
    present = set(roles.values())
    return L1 in present or (NAME in present and TARGET in present)


def is_indicator_header(cells: list[str]) -> bool:
    """A body row that heads an indicator block (forms print it in the middle of the body)."""
    filled = [c for c in cells if c]
    roles = [header_role(c) for c in filled]
    if sum(1 for r in roles if r in INDICATOR_ROLES) < 2:
        return False
    if not has_indicator_roles({i: r for i, r in enumerate(roles) if r}):
        return False
    # Every other cell must be a label ('项目年度绩效指标') or another header word.
    return all(r is not None or is_label(c) for c, r in zip(filled, roles, strict=True))


def is_header_continuation(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and all(header_role(c) is not None or is_label(c) for c in filled)
