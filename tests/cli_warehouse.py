"""A small warehouse for the CLI tests, built through the real DDL and load (no ingest, no Dagster).

Two documents of 某县某局 2024 (a budget and its final accounts) with a few rows and findings:
the budget's 合计 row fails one identity under two measures with the same values (one finding
for the report), and one subject conflicts under two measures with different values (two findings).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
from execution_rows import ES, Doc, load

from pipeline.schema import frame

BUDGET = Doc("budget-2024", "budget", "department", datetime(2025, 1, 10))
BUDGET.row(ES, "total", "合计", {("total", "budget"): "1000000.00", ("basic", "budget"): "600000.00"})
BUDGET.row(ES, "subject", "行政运行", {("total", "budget"): "600000.00", ("basic", "budget"): "600000.00"},
           code="2010101")
FINAL = Doc("final-2024", "final_accounts", "department", datetime(2025, 6, 1))
FINAL.row(ES, "subject", "行政运行", {("total", "final"): "630500.00"}, code="2010101")

TOTAL_ROW = "table: 部门支出总表 (expenditure_summary, table #0); row: 合计 (row #0, total); unit: u_bureau"


def _check(doc: Doc, check: str, severity: str, observed: str, expected: str, details: str,
           success: bool = False, at: tuple[int, int | None, str | None] | None = None) -> dict:
    """A dq_check_result row; ``at`` its (table_index, row_index, measure)."""
    table, row, measure = at or (None, None, None)
    return dict(run_id="r1", document_id=doc.id, check_name=check, severity=severity, success=success,
                observed=observed, expected=expected, details=details, checked_at=datetime(2025, 7, 1),
                table_index=table, row_index=row, measure=measure)


BUDGET_CHECKS = [
    *(_check(BUDGET, "total_equals_sum_of_rows", "error", "Σ rows = 600000.00 元", "= 合计 1000000.00 元",
             f"{TOTAL_ROW}; source_row: | 合计 | 1,000,000.00", at=(0, 0, m)) for m in ("total", "basic")),
    _check(BUDGET, "subject_amount_consistent", "error", "600000.00 元 in table #0", "630000.00 元 as in table #2",
           "table: 部门支出总表; row: 行政运行 (row #1, subject); subject_code: 2010101", at=(0, 2, "total")),
    _check(BUDGET, "subject_amount_consistent", "error", "600000.00 元 in table #0", "610000.00 元 as in table #3",
           "table: 部门支出总表; row: 行政运行 (row #1, subject); subject_code: 2010101", at=(0, 2, "basic")),
    _check(BUDGET, "subject_code_repaired", "warn", "printed 20101 行政运行", "2010101",
           "table 部门支出总表 row 3 page 1: truncated", at=(0, 2, None)),
    _check(BUDGET, "income_equals_expenditure", "error", "1000000.00", "1000000.00", "passes", success=True),
]
FINAL_CHECKS = [
    _check(FINAL, "table_unit_declared", "warn", "no 单位 declared", "assumed 元", "table 支出决算表 page 2"),
]


def build(path: Path) -> Path:
    """The two documents, their facts and findings, in a fresh warehouse at ``path``."""
    load(path, [BUDGET, FINAL])
    con = duckdb.connect(str(path))
    try:
        for rows in (BUDGET_CHECKS, FINAL_CHECKS):
            con.register("checks", frame("dq_check_result", rows).to_arrow())
            con.execute("INSERT INTO dq_check_result BY NAME SELECT * FROM checks")
            con.unregister("checks")
    finally:
        con.close()
    return path
