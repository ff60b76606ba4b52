"""`budget-etl report`'s execution section, on hand-made budget and final accounts."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from datetime import datetime
from decimal import Decimal

import pytest
from execution_rows import ES, UNIT_NAME, YEAR, Doc, budget_and_final, load

import budget_cli.main as cli

B, F = "budget", "final"


def section(out: str, heading: str) -> list[list[str]]:
    """The rows (cells split on runs of spaces) of the table under ``heading``, up to the next heading."""
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip().startswith(heading))
    rows = []
    for ln in lines[start + 3:]:  # heading, column names, rule
        if not ln.startswith("   ") or ln.startswith("   “") or ln.strip().startswith("largest"):
            break
        rows.append(ln.split())
    return rows


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> str:
    docs = budget_and_final()
    budget = next(d for d in docs if d.name == "budget-2024")
    final = next(d for d in docs if d.name == "final-2024")
    # A 类 line above its 项 lines (it would repeat their gaps), and twelve more subjects so that the
    # ten largest gaps are a choice: budget 1,000·i yuan, nothing spent.
    budget.row(ES, "subject", "一般公共服务支出", {("total", B): "1000000.00"}, code="201")
    final.row(ES, "subject", "一般公共服务支出", {("total", F): "655500.00"}, code="201")
    for i in range(1, 13):
        code = f"20801{i:02d}"
        budget.row(ES, "subject", f"科目{i}", {("total", B): f"{1000 * i}.00"}, code=code)
        final.row(ES, "subject", f"科目{i}", {("total", F): "0.00"}, code=code)
    # Another year with a budget only: no execution section for it.
    lone = Doc("budget-2023", "budget", "department", datetime(2024, 1, 5), year=YEAR - 1)
    lone.row(ES, "subject", "行政运行", {("total", B): "500000.00"}, code="2010101")
    path = load(tmp_path_factory.mktemp("report") / "w.duckdb", [*docs, lone])
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert cli.main(["report", "--warehouse", str(path)]) == 0
    return buf.getvalue()


def test_one_execution_section_per_unit_and_year_with_both_kinds(report):
    assert report.count("== Execution: ") == 1
    assert f"== Execution: {UNIT_NAME} {YEAR} (budget against final accounts)" in report
    assert "== 某县某局2023年部门预算 (budget-2023.pdf): loaded" in report  # the quality part is still there


def test_the_ten_largest_gaps_by_subject_at_the_most_detailed_level(report):
    assert "largest gaps by subject (expenditure_summary, measure total; the 10 largest):" in report
    rows = section(report, "largest gaps by subject")
    assert [r[0] for r in rows] == ["2010102", "2010101", *(f"20801{i:02d}" for i in range(12, 5, -1)), "2010199"]
    assert "201" not in [r[0] for r in rows]  # its gap is its 项's
    assert rows[0] == ["2010102", "一般行政管理事务", "400000.00", "0.00", "-400000.00", "0.00", "budget_disclosure"]
    assert rows[1][2:6] == ["600000.00", "630500.00", "30500.00", "1.0508"]
    assert rows[2] == ["2080112", "科目12", "12000.00", "0.00", "-12000.00", "0.00", "budget_disclosure"]
    # 2010199 ties with 2080105 at a 5,000 gap: the lower code comes first; its budget is 0, so no rate.
    assert rows[-1] == ["2010199", "其他人大事务支出", "0.00", "5000.00", "5000.00", "budget_disclosure"]


def test_three_public_categories_in_the_vocabulary_order(report):
    rows = section(report, "“三公” categories")
    assert rows == [
        ["three_public_total", "32000.00", "25000.00", "-7000.00", "0.7813", "same_document"],
        ["vehicle_operation", "20000.00", "16000.00", "-4000.00", "0.80", "same_document"],
        ["official_reception", "12000.00", "9000.00", "-3000.00", "0.75", "same_document"],
        ["agency_operating_cost", "100000.00"],
    ]
    assert Decimal(rows[0][2]) / Decimal(rows[0][1]) == Decimal("0.78125")
