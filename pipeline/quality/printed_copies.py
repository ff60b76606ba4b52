"""Which money a table covers, and the copies of one figure a disclosure prints in several tables.

Tables cover different funds: 一般公共预算 tables hold only general-budget money, 支出总表 and
收支总表 all funds. Their copies are compared with each other only when the document shows no
other money (:func:`only_general_budget`); otherwise only tables of one fund scope are compared.
"""

from __future__ import annotations

from decimal import Decimal

from pipeline.outcome import fmt_amount, tolerance
from pipeline.table.rows import DocumentFacts, LogicalTable, TableRow
from pipeline.table.sections import Amount, grand_amount
from pipeline.text import squash
from pipeline.vocabulary import GRANT_GROUP_WORDS, contains_any, fund_source_of

# Which money a table kind covers.
FUND_SCOPE: dict[str, str] = {
    "income_expenditure_summary": "all_funds",
    "income_summary": "all_funds",
    "expenditure_summary": "all_funds",
    "fiscal_grant_summary": "fiscal_grants",
    "general_budget_expenditure": "general_budget",
    "general_budget_basic_expenditure": "general_budget",
    "gov_fund_expenditure": "gov_fund",
    "state_capital_expenditure": "state_capital",
    "basic_expenditure": "all_funds",
}
NON_GENERAL_MEASURES = (
    "gov_fund",
    "state_capital",
    "special_account",
    "unit_funds",
    "business_operating",
    "carryover",
)
# Income labels that name money other than the general budget.
NON_GENERAL_INCOME_WORDS = (
    "政府性基金",
    "国有资本",
    "财政专户",
    "事业收入",
    "经营收入",
    "上级补助",
    "附属单位",
    "其他收入",
    "上年结转",
    "单位资金",
    "其他资金",
)


def only_general_budget(doc: DocumentFacts, parents: dict[str, str | None] | None = None) -> bool:
    """True when nothing in the document shows money besides the general budget, so that
    all-funds tables and 一般公共预算 tables must print the same amounts."""
    for t in [*doc.expenditure_tables, *doc.income_tables]:
        for r in t.rows:
            if t.table_kind in ("gov_fund_expenditure", "state_capital_expenditure") and any(
                v != 0 for v in r.amounts.values()
            ):
                return False
            if any(r.amounts.get(m, Decimal(0)) != 0 for m in NON_GENERAL_MEASURES):
                return False
            if (
                t.source == "fact_income"
                and r.row_role != "total"
                and any(w in squash(r.line_item) for w in NON_GENERAL_INCOME_WORDS)
                and any(v != 0 for v in r.amounts.values())
            ):
                return False
    all_funds = [grand_amount(t, "total", parents=parents) for t in doc.tables_of("expenditure_summary")]
    general = [grand_amount(t, "total", parents=parents) for t in doc.tables_of("general_budget_expenditure")]
    mult = max((t.unit_multiplier for t in doc.expenditure_tables), default=1)
    for a in all_funds:
        for g in general:
            if a is not None and g is not None and abs(a.value - g.value) > tolerance(mult, max(a.n, g.n)):
                return False
    return True


def fund_scope(table: LogicalTable, single_scope: bool) -> str:
    """The money a table holds; one scope for the whole document when it shows only one. A 财政拨款
    支出表 filed with the 一般公共预算 tables holds every fiscal grant (政府性基金 too), its own scope."""
    if single_scope:
        return "document"
    scope = FUND_SCOPE[table.table_kind]
    title = squash(table.table_title or "")
    if scope == "general_budget" and contains_any(title, GRANT_GROUP_WORDS) and fund_source_of(title) is None:
        return "fiscal_grants"
    return scope


def describe_copy(table: LogicalTable, row: TableRow, amount: Amount) -> str:
    """One printed copy of a figure: amount, table, row and page, for a finding."""
    derived = f" (= {amount.derived})" if amount.derived else ""
    page = f", p.{row.page}" if row.page is not None else ""
    return f"{fmt_amount(amount.value, table.unit_multiplier)}{derived} in {table.label()} row #{row.row_index}{page}"
