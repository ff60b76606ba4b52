"""Hand-made budget and final-accounts documents of one unit and year, for v_budget_vs_final and the report.

Amounts are yuan as printed in the rows below; the tests work out what the view must say from them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from pipeline.schema import frame
from pipeline.warehouse.connect import open_writer
from pipeline.warehouse.load import replace_document

UNIT = "u_bureau"
UNIT_NAME = "某县某局"
YEAR = 2024


@dataclass
class Doc:
    """One disclosure: its dim_document row and its fact_expenditure rows."""

    name: str
    kind: str  # document_kind
    level: str  # disclosure_level
    ingested: datetime
    status: str = "loaded"
    year: int = YEAR
    facts: list[dict] = field(default_factory=list)

    @property
    def id(self) -> str:
        return hashlib.sha256(self.name.encode()).hexdigest()

    def row(self, table_kind: str, role: str, label: str, amounts: dict[tuple[str, str], str], *,
            code: str | None = None, table_index: int = 0, unit: str = UNIT) -> Doc:
        """One printed row; ``amounts`` maps (measure, stage) → yuan."""
        row_index = sum(1 for f in self.facts if f["table_index"] == table_index)
        for (measure, stage), amount in amounts.items():
            self.facts.append(dict(
                fact_id=f"{self.id[:8]}-{table_index}-{row_index}-{measure}-{stage}", document_id=self.id,
                fiscal_year=self.year, unit_id=unit, table_kind=table_kind, row_role=role, subject_code=code,
                printed_code=code, line_item=label, measure=measure, amount_yuan=Decimal(amount), page=1,
                source_row=f"{code or ''} | {label}", table_index=table_index, row_index=row_index,
                unit_multiplier=1, stage=stage,
            ))
        return self

    def frames(self) -> dict:
        title = f"{UNIT_NAME}{self.year}年{'部门决算' if self.kind == 'final_accounts' else '部门预算'}"
        doc = dict(document_id=self.id, file_name=f"{self.name}.pdf", file_format="pdf", title=title,
                   fiscal_year=self.year, department_unit_id=UNIT, status=self.status, ingested_at=self.ingested,
                   document_kind=self.kind, disclosure_level=self.level,
                   status_reason="held back for the test" if self.status != "loaded" else None)
        return {
            "dim_document": frame("dim_document", [doc]),
            "dim_unit": frame("dim_unit", [dict(unit_id=UNIT, unit_name=UNIT_NAME)]),
            "fact_expenditure": frame("fact_expenditure", self.facts),
        }


def load(path: Path, docs: list[Doc]) -> Path:
    con = open_writer(path)
    try:
        for doc in docs:
            replace_document(con, doc.id, doc.frames())
    finally:
        con.close()
    return path


B, F = "budget", "final"
ES, TP = "expenditure_summary", "three_public"


def budget_and_final() -> list[Doc]:
    """A department's budget and final accounts of 2024, and the documents the view must not pick."""
    budget = Doc("budget-2024", "budget", "department", datetime(2025, 1, 10))
    budget.row(ES, "total", "合计", {("total", B): "1000000.00"})
    budget.row(ES, "subject", "行政运行", {("total", B): "600000.00", ("basic", B): "600000.00"}, code="2010101")
    budget.row(ES, "subject", "一般行政管理事务", {("total", B): "400000.00"}, code="2010102")
    budget.row(ES, "subject", "其他人大事务支出", {("total", B): "0.00"}, code="2010199")
    budget.row(TP, "total", "three_public_total", {("total", B): "30000.00"}, table_index=1)
    budget.row(TP, "total", "official_reception", {("total", B): "10000.00"}, table_index=1)

    # Same unit and year, but a unit-level disclosure (ingested later) and an older department one.
    unit_level = Doc("unit-budget-2024", "budget", "unit", datetime(2025, 3, 1))
    unit_level.row(ES, "subject", "行政运行", {("total", B): "999999.00"}, code="2010101")
    older = Doc("budget-2024-first-print", "budget", "department", datetime(2024, 12, 1))
    older.row(ES, "subject", "行政运行", {("total", B): "590000.00"}, code="2010101")
    older.row(ES, "subject", "一般行政管理事务", {("total", B): "410000.00"}, code="2010102")

    final = Doc("final-2024", "final_accounts", "department", datetime(2025, 6, 1))
    final.row(ES, "total", "合计", {("total", F): "950000.00"})
    final.row(ES, "subject", "行政运行", {("total", F): "630500.00", ("total", "adjusted_budget"): "650000.00",
                                          ("basic", F): "630500.00"}, code="2010101")
    final.row(ES, "subject", "一般行政管理事务", {("total", F): "0.00"}, code="2010102")
    final.row(ES, "subject", "其他人大事务支出", {("total", F): "5000.00"}, code="2010199")
    final.row(ES, "subject", "机关服务", {("total", F): "20000.00"}, code="2010103")
    final.row(ES, "subject", "行政运行", {("total", F): "1.00"}, code="2010101", table_index=3)  # a second print
    # The 三公 决算 table prints 预算数 beside 决算数.
    final.row(TP, "total", "three_public_total", {("total", B): "32000.00", ("total", F): "25000.00"}, table_index=1)
    final.row(TP, "total", "official_reception", {("total", B): "12000.00", ("total", F): "9000.00"}, table_index=1)
    final.row(TP, "total", "vehicle_operation", {("total", B): "20000.00", ("total", F): "16000.00"}, table_index=1)
    final.row(TP, "total", "agency_operating_cost", {("total", F): "100000.00"}, table_index=1)

    held = Doc("final-2024-held", "final_accounts", "department", datetime(2025, 7, 1), status="quarantined")
    held.row(ES, "subject", "行政运行", {("total", F): "7.00"}, code="2010101")
    return [older, budget, unit_level, final, held]
