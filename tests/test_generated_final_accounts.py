"""Generated final accounts (部门决算) of the fictional department: stage columns, codes in one
column or split, the 三公 table with 预算数 / 决算数 pairs, the 收入支出决算总表, and a budget and
a final account of the same year set side by side in v_budget_vs_final.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.disclosure_docs import DEPT, DOCUMENTS, FINAL_YEAR, THREE_PUBLIC_FINAL, summary_lines
from tests.read_back import PRODUCERS, GeneratedLibrary, errors, facts_of, facts_printing_a_code, library

D = Decimal
FINALS = [n for n in DOCUMENTS if DOCUMENTS[n]().document_kind == "final_accounts"]


@pytest.fixture(scope="session", params=PRODUCERS)
def generated(request, tmp_path_factory: pytest.TempPathFactory) -> GeneratedLibrary:
    return library(request, tmp_path_factory.mktemp(f"generated-finals-{request.param}"))


@pytest.mark.parametrize("name", FINALS)
def test_final_accounts_document(generated, name):
    doc = generated.loaded(name)
    meta = doc.document()
    assert (meta.get("document_kind"), meta.get("disclosure_level"), meta["fiscal_year"]) == (
        "final_accounts", "department", FINAL_YEAR)
    assert doc.department_name() == DEPT
    assert facts_printing_a_code(doc) == []


def test_stage_columns_give_one_fact_per_stage(generated):
    """年初预算数 | 调整预算数 | 决算数: each column its own stage, every row of the table."""
    spec, _ = generated("stage-columns")
    doc = generated.loaded("stage-columns")
    assert facts_of(doc, "general_budget_expenditure") == spec.expected(0)
    got = {f.get("stage"): f["amount_yuan"] for f in doc.where(subject_code="2050102", measure="total")}
    assert got == {"budget": D("845000.00"), "adjusted_budget": D("880000.00"), "final": D("801300.00")}
    assert errors(doc) == [], "amounts of different stages are no conflict"


@pytest.mark.parametrize("name", ["final-codes-joined", "final-codes-split"])
def test_final_expenditure_codes(generated, name):
    spec, _ = generated(name)
    doc = generated.loaded(name)
    assert facts_of(doc, "expenditure_summary") == spec.expected(0)
    assert doc.amounts(table_kind="expenditure_summary", subject_code="2050101", measure="total", stage="final") \
        == [D("3182700.00")]


def test_codes_in_one_column_or_split_give_the_same_facts(generated):
    joined, split = generated.loaded("final-codes-joined"), generated.loaded("final-codes-split")
    assert facts_of(split, "expenditure_summary") == facts_of(joined, "expenditure_summary") != set()
    printed = {f["printed_code"] for f in split.where(subject_code="2050101")}
    assert printed == {"205 01 01"}


def test_three_public_budget_and_final_pairs(generated):
    doc = generated.loaded("three-public-final")
    got = {(f["line_item"], f.get("stage")): f["amount_yuan"] for f in doc.where(table_kind="three_public")}
    assert len(doc.where(table_kind="three_public")) == 12, "one fact per printed cell"
    final, budget = THREE_PUBLIC_FINAL["final"], THREE_PUBLIC_FINAL["budget"]
    assert got[("overseas_travel", "final")] == final["overseas_travel"] == D("24600.00")
    assert got[("official_reception", "budget")] == budget["official_reception"] == D("65000.00")
    for stage, parts in THREE_PUBLIC_FINAL.items():
        vehicle = parts["vehicle_purchase"] + parts["vehicle_operation"]
        assert got[("vehicle_purchase", stage)] == parts["vehicle_purchase"]
        assert got[("vehicle_operation", stage)] == parts["vehicle_operation"]
        assert got[("vehicle_total", stage)] == vehicle
        assert got[("three_public_total", stage)] == parts["overseas_travel"] + vehicle + parts["official_reception"]
    assert got[("three_public_total", "final")] == D("186700.00")


def test_income_expenditure_summary_of_final_accounts(generated):
    doc = generated.loaded("final-summary")
    income = {(f["line_item"], f["row_role"], f.get("stage")): f["amount_yuan"]
              for f in doc.where("fact_income", table_kind="income_expenditure_summary")}
    spent = {(f["line_item"], f["row_role"], f.get("stage")): f["amount_yuan"]
             for f in doc.where("fact_expenditure", table_kind="income_expenditure_summary")}
    assert income[("本年收入合计", "total", "final")] == D("4834100.00")
    assert income[("总计", "total", "final")] == D("4870300.00")
    assert [a for (item, _, stage), a in income.items() if item == "年初结转和结余" and stage == "final"] == [
        D("36200.00")]
    assert spent[("本年支出合计", "total", "final")] == D("4830900.00")
    assert spent[("总计", "total", "final")] == D("4870300.00")
    assert [a for (item, _, stage), a in spent.items() if item == "年末结转和结余" and stage == "final"] == [
        D("39400.00")]
    table = summary_lines()
    printed = [ln for ln in table.income + table.expenditure if ln.amount is not None]
    assert len(income) + len(spent) == len(printed), "one fact per printed amount, none for blanks"


def test_clean_final_accounts_raise_no_error(generated):
    doc = generated.loaded("final-summary")
    assert errors(doc) == []
    assert {f.get("stage") for f in doc.facts()} == {"final"}


@pytest.fixture(scope="module")
def pair_warehouse(generated, tmp_path_factory: pytest.TempPathFactory):
    """The budget and the final accounts of the same department and year, through dg.materialize."""
    from assets.runner import ingest

    raw = tmp_path_factory.mktemp("pair-raw")
    for name in ("pair-budget", "pair-final"):
        generated(name)[0].write(raw)
    path: Path = tmp_path_factory.mktemp("pair-wh") / "budget.duckdb"
    runs = ingest([raw], path, raw)
    assert [r.status for r in runs] == ["loaded", "loaded"], [(r.raw.file_name, r.reason) for r in runs]
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_budget_against_final(pair_warehouse):
    con = pair_warehouse
    kinds = dict(con.execute("SELECT file_name, document_kind FROM dim_document").fetchall())
    assert kinds == {"pair-budget.pdf": "budget", "pair-final.pdf": "final_accounts"}
    wrong = con.execute(
        """SELECT d.file_name, f.stage, count(*) FROM fact_expenditure f JOIN dim_document d USING (document_id)
           WHERE (d.document_kind = 'budget' AND f.stage = 'final')
              OR (d.document_kind = 'final_accounts' AND f.stage = 'budget') GROUP BY ALL""").fetchall()
    assert wrong == [], "a budget's facts are never final; this 决算 prints 决算数 only"
    cols = ("unit_id", "fiscal_year", "table_kind", "subject_code", "line_item", "measure", "budget_amount_yuan",
            "final_amount_yuan", "difference_yuan", "execution_rate")
    unit = con.execute("SELECT unit_id FROM dim_unit WHERE unit_name = ?", [DEPT]).fetchone()[0]
    for code, name, budget, final in (("2050101", "行政运行", D("3216400.00"), D("3182700.00")),
                                      ("2210201", "住房公积金", D("289500.00"), D("291200.00")),
                                      ("2050102", "一般行政管理事务", D("845000.00"), D("801300.00"))):
        rows = con.execute(
            f"""SELECT {", ".join(cols)} FROM v_budget_vs_final
                WHERE table_kind = 'general_budget_expenditure' AND subject_code = ? AND measure = 'total'""",
            [code]).fetchall()
        assert len(rows) == 1, rows
        row = dict(zip(cols, rows[0], strict=True))
        assert (row["unit_id"], row["fiscal_year"], row["line_item"]) == (unit, FINAL_YEAR, name)
        assert (row["budget_amount_yuan"], row["final_amount_yuan"], row["difference_yuan"]) == (
            budget, final, final - budget)
        assert isinstance(row["execution_rate"], Decimal)
        assert round(row["execution_rate"], 4) == (final / budget).quantize(D("0.0001"))
