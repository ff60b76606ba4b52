"""Recognising table titles and the unit a table declares.

Shared by the text and the PDF readers: a table is attached to the title line above it and to
the unit (单位：万元) declared between the title and the header. Rules key on title words, never
on a particular producer's wording, so 部门支出预算总表 / 部门预算支出总表 / 2022年部门支出总表 all
match the same kind.
"""

from __future__ import annotations

import re

# Table kinds of the warehouse contract, plus 'performance' (绩效目标表, goes to
# fact_performance_indicator) and 'other' (政府采购, 固定资产 … recognised, then ignored).
TABLE_KINDS = (
    "income_expenditure_summary",
    "income_summary",
    "expenditure_summary",
    "fiscal_grant_summary",
    "general_budget_expenditure",
    "general_budget_basic_expenditure",
    "three_public",
    "gov_fund_expenditure",
    "state_capital_expenditure",
    "project_expenditure",
    "performance",
    "other",
)

_SPACES = re.compile(r"[\s\u3000]+")
_TITLE_END = re.compile(r"表\s*(?:[（(][^（()）]{1,20}[)）])?\s*$")
_TITLE_WORDS = ("预算", "支出", "收入", "经费", "绩效", "收支", "拨款")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]\s*)?(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])\s*")
_OTHER_WORDS = ("政府采购", "购买服务", "固定资产", "资产占用", "民生项目", "机构设置", "目录")


def squash(text: str) -> str:
    """Remove all whitespace: titles and header words are compared without it."""
    return _SPACES.sub("", text)


def looks_like_table_title(line: str) -> bool:
    """A short line that names a disclosure table (ends in 表, mentions budget words)."""
    s = squash(line).strip("*#")
    if not s or len(s) > 70 or "\t" in line:
        return False
    if s.endswith(("。", "；", "，")) or "：" in s[:-1] and not s.startswith("单位"):
        return False
    if not _TITLE_END.search(s):
        return False
    return any(w in s for w in _TITLE_WORDS)


def is_toc_entry(line: str) -> bool:
    """Table-of-contents lines ('(一) 2023年…收支预算总表') carry a list marker."""
    return bool(_LIST_MARKER.match(line))


def classify_title(title: str, header_text: str = "") -> str | None:
    """The table kind a title (and, to break ties, its header words) announces.

    Returns None when the title names no known budget table.
    """
    t = squash(title)
    h = squash(header_text)
    if any(w in t for w in _OTHER_WORDS):
        return "other"
    if "绩效" in t or "一级指标" in h or ("绩效指标" in h and "项目" in t):
        return "performance"
    if "三公" in t:
        return "three_public"
    if "政府性基金" in t or "政府基金" in t:
        return "gov_fund_expenditure"
    if "国有资本经营" in t:
        return "state_capital_expenditure"
    if "项目支出" in t or "项目表" in t:
        return "project_expenditure"
    if "一般公共预算" in t and "基本支出" in t:
        return "general_budget_basic_expenditure"
    if "基本支出" in t and ("经济分类" in t or "经济分类" in h):
        return "general_budget_basic_expenditure"
    if "一般公共预算" in t and "支出" in t:
        return "general_budget_expenditure"
    if "财政拨款" in t and "收支" in t:
        return "fiscal_grant_summary"
    if "财政拨款" in t and "支出" in t:
        return "general_budget_expenditure"
    if "收支" in t:
        return "income_expenditure_summary"
    if "收入" in t and "总表" in t:
        return "income_summary"
    if "支出" in t and "总表" in t:
        return "expenditure_summary"
    return None


_UNIT = re.compile(r"(?:金额)?单位\s*[：:]\s*(亿元|万元|千元|元|万)(?![\u4e00-\u9fff])?")
_UNIT_ANYWHERE = re.compile(r"(?:金额)?单位\s*[：:]\s*(亿元|万元|千元|元|万)")

UNIT_MULTIPLIERS = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}


def parse_unit(line: str, next_line: str | None = None) -> str | None:
    """The unit a line declares ('单位：万元' → '万元').

    Converters sometimes break '单位：万元' after 万; the next line then starts with 元.
    """
    m = _UNIT_ANYWHERE.search(squash(line))
    if not m:
        return None
    unit = m.group(1)
    if unit == "万":
        if next_line is not None and squash(next_line).startswith("元"):
            return "万元"
        return "万元"  # '万' alone is the common truncation of 万元
    return unit
