"""How the site writes amounts, enum values and file names.

Amounts stay Decimal from DuckDB to the page: a person compares them with the printed disclosure,
so they are written exactly (万元 to as many places as the yuan amount needs), never through float.
"""

from __future__ import annotations

import re
from decimal import Decimal

WAN = Decimal(10_000)
CENT = Decimal("0.01")

# Display names of the warehouse's enum values (the contract's own words, for a reader of Chinese
# disclosures). A value missing here is shown as stored.
TABLE_KIND_NAMES = {
    "income_expenditure_summary": "收支总表",
    "income_summary": "收入总表",
    "expenditure_summary": "支出总表",
    "fiscal_grant_summary": "财政拨款收支总表",
    "general_budget_expenditure": "一般公共预算支出表",
    "general_budget_basic_expenditure": "一般公共预算基本支出表",
    "three_public": "“三公”经费支出表",
    "gov_fund_expenditure": "政府性基金预算支出表",
    "state_capital_expenditure": "国有资本经营预算支出表",
    "project_expenditure": "项目支出表",
    "basic_expenditure": "基本支出表",
    "narrative": "说明文字",
}
STAGE_NAMES = {"budget": "预算数", "adjusted_budget": "调整预算数", "final": "决算数"}
DOCUMENT_KIND_NAMES = {"budget": "预算", "final_accounts": "决算"}
LEVEL_NAMES = {"department": "部门", "unit": "单位"}
THREE_PUBLIC_NAMES = {
    "three_public_total": "“三公”经费合计",
    "overseas_travel": "因公出国（境）费",
    "overseas_travel_academic": "教学科研人员因公出国（境）费",
    "overseas_travel_other": "其他因公出国（境）费",
    "vehicle_total": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费",
    "official_reception": "公务接待费",
    "agency_operating_cost": "机关运行经费",
}
NARRATIVE_NAMES = {
    "income_expenditure_total": "收支总预算",
    "fiscal_grant_total": "财政拨款收支总预算",
    "basic": "基本支出",
    "personnel": "人员经费",
    "public_operating": "公用经费",
    "project": "项目支出",
}
MEASURE_NAMES = {
    "total": "合计",
    "basic": "基本支出",
    "personnel": "人员经费",
    "public_operating": "公用经费",
    "project": "项目支出",
    "general_budget": "一般公共预算",
    "gov_fund": "政府性基金",
    "state_capital": "国有资本经营",
    "carryover": "上年结转",
}


def yuan(amount: Decimal | None) -> str:
    """``1,234,567.80``: the stored DECIMAL(20,2) with thousands separators."""
    if amount is None:
        return ""
    return f"{Decimal(amount).quantize(CENT):,}"


def wan(amount: Decimal | None) -> str:
    """The yuan amount in 万元, exact: two places unless the yuan amount needs more."""
    if amount is None:
        return ""
    value = Decimal(amount) / WAN
    if value == value.quantize(CENT):
        return f"{value.quantize(CENT):,}"
    return f"{value.normalize():,f}"


def rate(value: Decimal | None) -> str:
    """An execution rate (final / budget) as a percentage with two places, exact."""
    return "" if value is None else f"{(Decimal(value) * 100).quantize(CENT)}%"


def line_item_name(table_kind: str, line_item: str | None) -> str:
    """The label a person reads: the 三公 and narrative enums in Chinese, other labels as printed."""
    if line_item is None:
        return ""
    if table_kind == "three_public":
        return THREE_PUBLIC_NAMES.get(line_item, line_item)
    if table_kind == "narrative":
        return NARRATIVE_NAMES.get(line_item, line_item)
    return line_item


def pages(numbers: list[int | None]) -> str:
    """``3``, ``3–5`` or ``—`` (text sources have no pages)."""
    known = sorted({n for n in numbers if n is not None})
    if not known:
        return "—"
    return str(known[0]) if known[0] == known[-1] else f"{known[0]}–{known[-1]}"


_UNSAFE = re.compile(r"[^0-9A-Za-z_-]+")


def page_names(document_ids: list[str]) -> dict[str, str]:
    """document_id → a file name under documents/: the id's first 16 safe characters, unique."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for i, doc in enumerate(document_ids):
        stem = _UNSAFE.sub("", doc)[:16] or f"document-{i}"
        if stem in used:
            stem = f"{stem}-{i}"
        used.add(stem)
        names[doc] = f"{stem}.html"
    return names
