"""What each column of a table holds, read from its header rows.

Header rows come in two shapes: the same width as the body (a converter kept the grid, spanned
cells are empty to the right of their text), or narrower (merged cells collapsed; each parent
then sits over one empty child cell or over a run of filled child cells). Both are aligned to
the body's columns before the words are interpreted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.layout import is_numbering_row
from pipeline.extract.titles import squash


@dataclass(frozen=True)
class Column:
    index: int
    path: tuple[str, ...]  # heading words top to bottom, squashed, e.g. ('基本支出', '人员经费')
    role: str  # 'seq' | 'code' | 'name' | 'unit' | 'project' | 'parent_project' | 'amount' | 'text'
    measure: str | None  # contract measure for an amount column

    @property
    def label(self) -> str:
        return "/".join(self.path)


def _units_after(child: list[str], pos: int) -> int:
    """Placement slots right of pos: each empty cell and each run of filled cells is one."""
    units, c = 0, pos
    while c < len(child):
        if child[c]:
            while c < len(child) and child[c]:
                c += 1
        else:
            c += 1
        units += 1
    return units


def _align_narrow(parents: list[str], child: list[str]) -> list[str]:
    """Spread a collapsed header row over the columns of the (aligned) row below it.

    Each parent sits over one empty child cell (a vertically merged heading) or over a run of
    filled child cells (its sub-headings). A run shared by several parents is split where its
    first word repeats (收入: 项目 预算数 | 支出: 项目 预算数), else evenly.
    """
    out = [""] * len(child)
    pos = 0
    for k, word in enumerate(parents):
        if pos >= len(child):
            break
        if not child[pos]:
            out[pos] = word
            pos += 1
            continue
        end = pos
        while end < len(child) and child[end]:
            end += 1
        share = max(1, len(parents) - k - _units_after(child, end))
        if share > 1:
            repeat = next((c for c in range(pos + 1, end) if child[c] == child[pos]), None)
            end = repeat if repeat is not None else pos + -(-(end - pos) // share)
        for c in range(pos, end):
            out[c] = word
        pos = end
    return out


def aligned_header(header_rows: list[list[str]], width: int) -> list[list[str]]:
    """Header rows (numbering rows dropped) as full-width rows, spans filled to the right."""
    rows = [[squash(c) for c in r] for r in header_rows if not is_numbering_row(r)]
    rows = [r + [""] * (width - len(r)) if len(r) <= width else r[:width] for r in rows]
    # Trim trailing padding to find each row's real length (text layouts pad all rows).
    real = [len(r) - next((i for i, c in enumerate(reversed(r)) if c), len(r)) for r in rows]
    out: list[list[str]] = [[] for _ in rows]
    # Work bottom-up: the lowest row is taken as aligned with the body.
    for i in range(len(rows) - 1, -1, -1):
        row = rows[i]
        below = out[i + 1] if i + 1 < len(rows) else None
        if below is not None and real[i] < width and _is_collapsed(row, real[i]) and real[i] > 1:
            out[i] = _align_narrow(row[: real[i]], below)
        else:
            out[i] = _fill_spans(row, below)
    return out


def _is_collapsed(row: list[str], real_len: int) -> bool:
    """A narrow row whose cells are all filled (no span gaps) was collapsed by the converter."""
    return all(row[:real_len])


def _fill_spans(row: list[str], below: list[str] | None) -> list[str]:
    """Copy a spanning heading to the empty cells on its right, while the row below has words."""
    out = list(row)
    for c in range(1, len(out)):
        if not out[c] and out[c - 1] and below is not None and below[c] and below[c - 1]:
            out[c] = out[c - 1]
    return out


def column_paths(header_rows: list[list[str]], width: int) -> list[tuple[str, ...]]:
    rows = aligned_header(header_rows, width)
    paths = []
    for c in range(width):
        words: list[str] = []
        for r in rows:
            w = r[c] if c < len(r) else ""
            if w and (not words or words[-1] != w):
                words.append(w)
        paths.append(tuple(words))
    return paths


# Leaf heading → measure, most specific first. Words are squashed (no spaces).
_MEASURE_RULES: list[tuple[tuple[str, ...], str]] = [
    (("上年结转", "结转结余", "结转"), "carryover"),
    (("人员经费", "人员支出"), "personnel"),
    (("公用经费", "公用支出", "日常公用"), "public_operating"),
    (("基本支出",), "basic"),
    (("项目支出", "部门项目"), "project"),
    (("经营支出",), "business_operating"),
    (("上缴上级", "上解上级"), "to_superior"),
    (("对附属单位补助",), "to_subsidiary"),
    (("财政专户", "专户资金", "专户收入"), "special_account"),
    (("政府性基金", "政府基金"), "gov_fund"),
    (("国有资本经营",), "state_capital"),
    (("一般公共预算", "财政拨款收入", "财政拨款（补助）", "财政拨款"), "general_budget"),
    (("本年收入",), "current_year_income"),
    (("单位资金",), "unit_funds"),
    (("事业收入",), "business_income"),
    (("经营收入",), "operating_income"),
    (("上级补助收入",), "superior_subsidy"),
    (("附属单位上缴收入", "附属单位缴款"), "subsidiary_remit"),
    (("其他收入",), "other_income"),
    (("工资福利",), "wage_welfare"),
    (("商品和服务",), "goods_services"),
    (("对个人和家庭",), "household_subsidy"),
    (("资本性支出",), "capital"),
    (("合计", "总计", "预算数", "金额", "本年预算", "小计", "预算"), "total"),
]

# Extensions of the contract's measure enum (documented in the README).
EXTENSION_MEASURES = (
    "current_year_income", "business_income", "operating_income", "superior_subsidy", "subsidiary_remit", "other_income",
    "wage_welfare", "goods_services", "household_subsidy", "capital", "other",
)


def measure_of(path: tuple[str, ...]) -> str:
    """The contract measure of an amount column from its heading path."""
    for depth in range(len(path) - 1, -1, -1):
        word = path[depth]
        if word in ("合计", "总计"):
            return "total"
        if word == "小计" and depth > 0:
            # 基本支出/小计 is the basic-expenditure subtotal; 本年收入/小计 the year's income.
            parent = measure_of(path[:depth])
            return "total" if parent == "other" else parent
        for needles, measure in _MEASURE_RULES:
            if any(n in word for n in needles):
                return measure
    return "other" if path else "total"


_CODE_VALUE = re.compile(r"^\d{3,7}$")
_SEQ = ("序号", "栏次", "行次")
_CODE = ("编码", "代码", "科目编号")
_PROJECT = ("项目名称", "二级项目")
_PARENT_PROJECT = ("一级项目",)
_UNIT = ("单位名称", "单位")
_NAME = ("科目名称", "名称", "项目", "科目", "经济分类", "功能分类")


def column_roles(header_rows: list[list[str]], body_rows: list[list[str]], width: int) -> list[Column]:
    """Role and measure of every column, from heading words and what the body holds."""
    paths = column_paths(header_rows, width)
    from pipeline.normalize.amounts import is_amount  # local: keeps import graph flat

    cols: list[Column] = []
    for c, path in enumerate(paths):
        leaf = path[-1] if path else ""
        values = [r[c] for r in body_rows if c < len(r) and r[c]]
        numeric = sum(1 for v in values if is_amount(v))
        mostly_amounts = bool(values) and numeric * 2 >= len(values)
        if any(w in leaf for w in _SEQ):
            role = "seq"
        elif (any(w in leaf for w in _CODE) and "名称" not in leaf) or (
            values and "名称" not in leaf and not _amount_heading(leaf) and sum(1 for v in values if _CODE_VALUE.match(v)) * 2 > len(values)
        ):
            role = "code"
        elif any(w in leaf for w in _PARENT_PROJECT):
            role = "parent_project"
        elif any(w in leaf for w in _PROJECT):
            role = "project"
        elif (leaf == "单位" or leaf.startswith("单位名称")) and not mostly_amounts:
            role = "unit"
        elif mostly_amounts or (not values and _amount_heading(leaf)):
            role = "amount"
        elif any(w in leaf for w in _NAME) or not path:
            role = "name"
        else:
            role = "text"
        measure = measure_of(path) if role == "amount" else None
        cols.append(Column(c, path, role, measure))
    # A table whose only sum column is headed by its fund (本年政府性基金预算支出/小计) still has a total.
    if not any(col.measure == "total" for col in cols):
        first = next((col for col in cols if col.role == "amount"), None)
        if first is not None:
            cols[first.index] = Column(first.index, first.path, "amount", "total")
    return cols


def _amount_heading(word: str) -> bool:
    return any(any(n in word for n in needles) for needles, _ in _MEASURE_RULES)
