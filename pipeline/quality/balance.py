"""The balance of a final account's summary tables (收入支出决算总表, 财政拨款收入支出决算总表).

本年收入合计 + 年初结转和结余 (+ 使用非财政拨款结余) = 总计 on the income side, and 本年支出合计 +
年末结转和结余 (+ 结余分配) = 总计 on the expenditure side. Only tables that print the 本年…合计
lines take part (a budget's 收支总表 balances by income_equals_expenditure instead).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pipeline.outcome import CheckDef, CheckOutcome, CheckTallies, CheckTally, fmt_amount, fmt_diff, tolerance
from pipeline.table.rows import DocumentFacts, LogicalTable, TableRow
from pipeline.text import squash
from pipeline.vocabulary import (
    CARRYOVER_IN_WORDS,
    CARRYOVER_OUT_WORDS,
    CURRENT_EXPENDITURE_TOTAL_WORDS,
    CURRENT_INCOME_TOTAL_WORDS,
    GRAND_TOTAL_WORDS,
    SUMMARY_KINDS,
    SURPLUS_USED_WORDS,
)

BALANCE_CHECKS: dict[str, CheckDef] = {
    "final_accounts_balance": CheckDef(
        "error",
        "本年收入合计 + 年初结转和结余 (+ 使用非财政拨款结余) = 总计 = 本年支出合计 + 年末结转和结余 "
        "in a final account's summary tables",
        "identities",
    ),
}
_ALLOCATED = ("结余分配",)


def _line(rows: Sequence[TableRow], words: tuple[str, ...], exact: bool = False) -> list[TableRow]:
    """Rows whose label is one of ``words`` (its start, unless ``exact``): the carry-over line,
    not the fund lines printed under it."""
    found = []
    for r in rows:
        label = squash(r.line_item)
        if any(label == w or (not exact and label.startswith(w)) for w in words):
            found.append(r)
    return found


def _check_side(table: LogicalTable, current: tuple[str, ...], extra: tuple[str, ...], tally: CheckTally) -> None:
    rows = table.rows
    base = _line(rows, current)
    grand = [r for r in rows if squash(r.line_item) in GRAND_TOTAL_WORDS]
    if not base or not grand or "total" not in base[0].amounts or "total" not in grand[0].amounts:
        return
    addends = [base[0], *(r for r in _line(rows, extra) if "total" in r.amounts)]
    total = sum((r.amounts["total"] for r in addends), Decimal(0))
    expected = grand[0].amounts["total"]
    tol = tolerance(table.unit_multiplier, len(addends))
    if abs(total - expected) <= tol:
        tally.passed()
        return
    labels = " + ".join(str(r.line_item) for r in addends)
    tally.failed(
        f"{labels} = {fmt_amount(total, table.unit_multiplier)}",
        f"总计 {fmt_amount(expected, table.unit_multiplier)}",
        f"{table.label()} page {grand[0].page}: {fmt_diff(total - expected, tol)}",
        at=grand[0].place("total"),
    )


def check_balance(doc: DocumentFacts) -> list[CheckOutcome]:
    tallies = CheckTallies(doc.document_id, BALANCE_CHECKS)
    tally = tallies["final_accounts_balance"]
    for table in doc.tables_of(*SUMMARY_KINDS, source="fact_income"):
        _check_side(table, CURRENT_INCOME_TOTAL_WORDS, (*CARRYOVER_IN_WORDS, *SURPLUS_USED_WORDS), tally)
    for table in doc.tables_of(*SUMMARY_KINDS, source="fact_expenditure"):
        _check_side(table, CURRENT_EXPENDITURE_TOTAL_WORDS, (*CARRYOVER_OUT_WORDS, *_ALLOCATED), tally)
    return tallies.outcomes()
