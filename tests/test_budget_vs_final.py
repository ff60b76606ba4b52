"""v_budget_vs_final on hand-made rows: which budget each final line is set against, and the rates."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest
from execution_rows import UNIT, YEAR, budget_and_final, load

D = Decimal


@pytest.fixture(scope="module")
def view(tmp_path_factory) -> dict[tuple, dict]:
    docs = {d.name: d.id for d in budget_and_final()}
    path = load(tmp_path_factory.mktemp("bvf") / "w.duckdb", budget_and_final())
    con = duckdb.connect(str(path), read_only=True)
    try:
        cur = con.execute("SELECT * FROM v_budget_vs_final")
        names = [c[0] for c in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()
    names_of = {v: k for k, v in docs.items()}
    for r in rows:  # document names instead of hashes, for readable assertions
        r["budget_document_id"] = names_of.get(r["budget_document_id"])
        r["final_document_id"] = names_of.get(r["final_document_id"])
    return {(r["table_kind"], r["subject_code"] or r["line_item"], r["measure"]): r for r in rows} | {
        ("count",): {"n": len(rows)}}


def amounts(r: dict) -> tuple:
    return (r["budget_amount_yuan"], r["final_amount_yuan"], r["difference_yuan"], r["execution_rate"],
            r["budget_source"], r["budget_document_id"])


def test_one_row_per_final_line_of_loaded_documents(view):
    # 6 lines of the expenditure table (the adjusted budget and the second print add none) + 4 三公 lines.
    assert view[("count",)]["n"] == 10
    assert all(r["final_document_id"] == "final-2024" for k, r in view.items() if k != ("count",))
    assert all(r["unit_id"] == UNIT and r["fiscal_year"] == YEAR for k, r in view.items() if k != ("count",))


def test_the_budget_disclosure_of_the_same_level_and_latest_ingest_is_the_budget(view):
    # 行政运行: 600,000 budgeted (not the unit-level 999,999, not the older print's 590,000), 630,500 spent.
    assert amounts(view[("expenditure_summary", "2010101", "total")]) == (
        D("600000.00"), D("630500.00"), D("30500.00"), D("1.0508"), "budget_disclosure", "budget-2024")
    assert view[("expenditure_summary", "2010101", "total")]["line_item"] == "行政运行"
    assert amounts(view[("expenditure_summary", "2010101", "basic")])[:4] == (
        D("600000.00"), D("630500.00"), D("30500.00"), D("1.0508"))
    assert amounts(view[("expenditure_summary", "2010102", "total")]) == (
        D("400000.00"), D("0.00"), D("-400000.00"), D("0.0000"), "budget_disclosure", "budget-2024")
    total = view[("expenditure_summary", "合计", "total")]
    assert amounts(total)[:4] == (D("1000000.00"), D("950000.00"), D("-50000.00"), D("0.9500"))
    assert total["subject_code"] is None and total["row_role"] == "total"


def test_no_rate_without_a_budget_or_against_a_zero_budget(view):
    assert amounts(view[("expenditure_summary", "2010199", "total")]) == (
        D("0.00"), D("5000.00"), D("5000.00"), None, "budget_disclosure", "budget-2024")
    assert amounts(view[("expenditure_summary", "2010103", "total")]) == (
        None, D("20000.00"), None, None, None, None)


def test_three_public_final_accounts_pair_within_the_document(view):
    # 预算数 printed beside 决算数 wins over the budget disclosure's 30,000; 25,000 / 32,000 = 0.78125 → 0.7813.
    assert amounts(view[("three_public", "three_public_total", "total")]) == (
        D("32000.00"), D("25000.00"), D("-7000.00"), D("0.7813"), "same_document", "final-2024")
    assert amounts(view[("three_public", "official_reception", "total")])[:5] == (
        D("12000.00"), D("9000.00"), D("-3000.00"), D("0.7500"), "same_document")
    assert amounts(view[("three_public", "vehicle_operation", "total")])[3] == D("0.8000")
    assert amounts(view[("three_public", "agency_operating_cost", "total")]) == (
        None, D("100000.00"), None, None, None, None)


def test_view_columns_and_types(tmp_path):
    path = load(tmp_path / "w.duckdb", [])
    con = duckdb.connect(str(path), read_only=True)
    try:
        described = [(name, dtype) for name, dtype, *_ in con.execute("DESCRIBE v_budget_vs_final").fetchall()]
    finally:
        con.close()
    assert described == [
        ("unit_id", "VARCHAR"), ("fiscal_year", "INTEGER"), ("table_kind", "VARCHAR"), ("subject_code", "VARCHAR"),
        ("line_item", "VARCHAR"), ("measure", "VARCHAR"), ("budget_amount_yuan", "DECIMAL(20,2)"),
        ("final_amount_yuan", "DECIMAL(20,2)"), ("difference_yuan", "DECIMAL(20,2)"),
        ("execution_rate", "DECIMAL(12,4)"), ("budget_document_id", "VARCHAR"), ("final_document_id", "VARCHAR"),
        ("budget_source", "VARCHAR"), ("row_role", "VARCHAR"),
    ]
