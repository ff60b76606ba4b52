"""The real disclosures of other producers (WPS, ONLYOFFICE) in fixtures/real, with the facts of
fixtures/CORPUS.md ("Facts a reader takes from them (yuan)"), read back through the PDF path, and
once through the Dagster assets into DuckDB.

Every README row is looked up by table_kind, row_role, subject_code, line_item, measure and stage,
and must come back exactly once: a second fact for the same cell is a code column read as an
amount, or a cell placed twice.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.read_back import ReadBack, code_cells, facts_printing_a_code, read_back

FIXTURES = Path(__file__).parent / "fixtures"
REAL = FIXTURES / "real"
DEPARTMENT = "上海市普陀区商务委员会25年预算.pdf"
UNIT = "上海市普陀区商务委员会单位25年预算.pdf"
FINAL = "上海市普陀区财政局2024年度部门决算.pdf"
TEMPLATE = "附件2：部门决算模板.pdf"
COMMERCE = "上海市普陀区商务委员会"
D = Decimal


@pytest.fixture(scope="session")
def real_docs() -> dict[str, ReadBack]:
    """Each real PDF and each seed PDF normalised once."""
    paths = sorted(REAL.glob("*.pdf")) + sorted((FIXTURES / "pdf").glob("*.pdf"))
    return {p.name: read_back(p) for p in paths}


def loaded(real_docs: dict[str, ReadBack], name: str) -> ReadBack:
    doc = real_docs[name]
    assert doc.frames is not None, f"{name} was quarantined: {doc.quarantine}"
    return doc


T, S = "total", "subject"
# (document, fact table, where, expected amounts): every row of the README table.
README_FACTS = [
    (DEPARTMENT, "fact_income", dict(table_kind="income_expenditure_summary", row_role=T, line_item="收入总计",
                                     measure="total", stage="budget"), [D("371514655.00")]),
    (DEPARTMENT, "fact_expenditure", dict(table_kind="income_expenditure_summary", row_role=T, line_item="支出总计",
                                          measure="total", stage="budget"), [D("371514655.00")]),
    *[(DEPARTMENT, "fact_expenditure", dict(table_kind="expenditure_summary", row_role=T, measure=m, stage="budget"),
       [D(a)]) for m, a in (("total", "371514655.00"), ("basic", "19830655.00"), ("project", "351684000.00"))],
    (DEPARTMENT, "fact_expenditure", dict(table_kind="general_budget_expenditure", subject_code="2011301",
                                          line_item="行政运行", measure="total", stage="budget"), [D("9389913.00")]),
    *[(DEPARTMENT, "fact_expenditure", dict(table_kind="general_budget_basic_expenditure", row_role=T, measure=m,
                                            stage="budget"), [D(a)])
      for m, a in (("total", "19830655.00"), ("personnel", "18120593.00"), ("public_operating", "1710062.00"))],
    (DEPARTMENT, "fact_expenditure", dict(table_kind="general_budget_basic_expenditure", subject_code="302",
                                          measure="public_operating", stage="budget"), [D("1632062.00")]),
    (DEPARTMENT, "fact_expenditure", dict(table_kind="general_budget_basic_expenditure", subject_code="302",
                                          measure="personnel"), []),  # printed blank: no fact, no shift
    *[(DEPARTMENT, "fact_expenditure", dict(table_kind="three_public", line_item=item, measure="total",
                                            stage="budget"), [D(a)])
      for item, a in (("three_public_total", "10000.00"), ("official_reception", "10000.00"),
                      ("agency_operating_cost", "1710100.00"))],
    *[(UNIT, "fact_expenditure", dict(table_kind="income_expenditure_summary", row_role=T, line_item="支出总计",
                                      measure=m, stage="budget"), [D(a)])
      for m, a in (("personnel", "18120593.00"), ("public_operating", "1710062.00"), ("project", "351684000.00"))],
    (FINAL, "fact_income", dict(table_kind="income_expenditure_summary", row_role=T, line_item="本年收入合计",
                                measure="total", stage="final"), [D("29462500.00")]),
    (FINAL, "fact_expenditure", dict(table_kind="income_expenditure_summary", row_role=T, line_item="本年支出合计",
                                     measure="total", stage="final"), [D("29400500.00")]),
    *[(FINAL, "fact_expenditure", dict(table_kind="expenditure_summary", row_role=T, measure=m, stage="final"),
       [D(a)]) for m, a in (("total", "29400500.00"), ("basic", "23369100.00"), ("project", "6031400.00"))],
    *[(FINAL, "fact_expenditure", dict(table_kind="expenditure_summary", row_role=S, subject_code="2010601",
                                       line_item="行政运行", measure=m, stage="final"), [D(a)])
      for m, a in (("total", "15118900.00"), ("basic", "15035200.00"), ("project", "83700.00"))],
]


@pytest.mark.parametrize(
    "name, table, where, expected", README_FACTS,
    ids=[f"{n[:12]}-{w.get('table_kind')}-{w.get('line_item') or w.get('subject_code') or w.get('row_role')}-"
         f"{w['measure']}" for n, _, w, _ in README_FACTS],
)
def test_readme_fact(real_docs, name, table, where, expected):
    assert loaded(real_docs, name).amounts(table, **where) == expected


def test_department_budget_document(real_docs):
    doc = loaded(real_docs, DEPARTMENT)
    meta = doc.document()
    assert (meta.get("document_kind"), meta.get("disclosure_level"), meta["fiscal_year"]) == (
        "budget", "department", 2025)
    assert doc.department_name() == COMMERCE


def test_unit_budget_document(real_docs):
    """The 单位预算 of the same department: the same unit name, at the unit level."""
    doc = loaded(real_docs, UNIT)
    meta = doc.document()
    assert (meta.get("document_kind"), meta.get("disclosure_level"), meta["fiscal_year"]) == (
        "budget", "unit", 2025)
    assert doc.department_name() == COMMERCE


def test_final_accounts_document(real_docs):
    doc = loaded(real_docs, FINAL)
    meta = doc.document()
    assert (meta.get("document_kind"), meta["fiscal_year"]) == ("final_accounts", 2024)
    assert doc.department_name() == "上海市普陀区财政局"
    stages = {f.get("stage") for f in doc.facts() if f.get("table_kind") != "three_public"}
    assert stages == {"final"}, "outside the 三公 table this 决算 prints 决算数 only"


def test_final_accounts_three_public_prints_budget_beside_final(real_docs):
    """Its 三公 table prints 0.95 (万元) as 预算数 of 合计 and 公务接待费 and leaves every 决算数 blank."""
    rows = loaded(real_docs, FINAL).where("fact_expenditure", table_kind="three_public")
    assert sorted((r["line_item"], r.get("stage"), r["amount_yuan"]) for r in rows) == [
        ("official_reception", "budget", D("9500.00")), ("three_public_total", "budget", D("9500.00"))]


def test_template_without_figures_is_quarantined(real_docs):
    doc = real_docs[TEMPLATE]
    assert doc.frames is None, "the 决算 template holds no amounts and must not load"
    assert "no figures" in (doc.quarantine or "")


def test_split_code_is_joined_and_printed_code_kept(real_docs):
    rows = loaded(real_docs, DEPARTMENT).where(
        "fact_expenditure", table_kind="general_budget_expenditure", subject_code="2011301", measure="total")
    assert [(r["printed_code"], r["line_item"]) for r in rows] == [("201 13 01", "行政运行")]


def test_agency_operating_cost_is_outside_the_three_public_total(real_docs):
    doc = loaded(real_docs, DEPARTMENT)
    three = {f["line_item"]: f["amount_yuan"] for f in doc.where("fact_expenditure", table_kind="three_public")}
    assert three.get("agency_operating_cost") == D("1710100.00")
    assert three.get("three_public_total") == D("10000.00")
    parts = ("overseas_travel", "vehicle_total", "official_reception")
    assert sum((three.get(p, D(0)) for p in parts), D(0)) == three["three_public_total"]


def test_code_cells_are_found_where_the_property_needs_them():
    assert code_cells("201 | 13 | 01 | 行政运行 | 9,389,913.00 |  | ") == {201, 13, 1}
    assert code_cells("301 | 01 | 基本工资 | 262.33 | 302 | 01 | 办公费 | 21.21") == {301, 302, 1}
    assert code_cells("2010101 行政运行 | 12.00") == {2010101}
    assert code_cells("一、财政拨款收入 | 5000 | 一、教育支出 | 4800") == set()  # amounts after labels


@pytest.mark.parametrize("name", sorted(p.name for p in [*REAL.glob("*.pdf"), *(FIXTURES / "pdf").glob("*.pdf")]))
def test_no_fact_is_a_code_and_every_fact_has_a_measure_and_stage(real_docs, name):
    doc = real_docs[name]
    if doc.frames is None:
        assert name == TEMPLATE, f"{name} was quarantined: {doc.quarantine}"
        return
    assert facts_printing_a_code(doc) == []
    facts = doc.facts()
    assert facts or name.startswith("keqiao-npc-office-2020"), "a disclosure with tables gives facts"
    assert [f for f in facts if f.get("measure") is None] == []
    assert {f.get("stage") for f in facts} <= {"budget", "adjusted_budget", "final"}


@pytest.fixture(scope="module")
def real_warehouse(tmp_path_factory: pytest.TempPathFactory):
    from assets.runner import ingest

    path = tmp_path_factory.mktemp("real-wh") / "budget.duckdb"
    runs = {r.raw.file_name: r for r in ingest([REAL], path, REAL)}
    con = duckdb.connect(str(path), read_only=True)
    yield runs, con
    con.close()


def test_real_disclosures_through_dagster(real_warehouse):
    runs, con = real_warehouse
    statuses = {name: r.status for name, r in runs.items()}
    assert statuses == {DEPARTMENT: "loaded", UNIT: "loaded", FINAL: "loaded", TEMPLATE: "quarantined"}
    assert "no figures" in (runs[TEMPLATE].reason or "")
    kinds = dict(con.execute(
        "SELECT file_name, document_kind || '/' || disclosure_level FROM dim_document WHERE status = 'loaded'"
    ).fetchall())
    assert kinds == {DEPARTMENT: "budget/department", UNIT: "budget/unit", FINAL: "final_accounts/department"}

    def fact(file_name: str, where: str) -> list[tuple]:
        return con.execute(
            f"""SELECT f.amount_yuan, f.stage FROM fact_expenditure f JOIN dim_document d USING (document_id)
                WHERE d.file_name = ? AND {where} ORDER BY f.fact_id""", [file_name]).fetchall()

    assert fact(FINAL, "f.table_kind = 'expenditure_summary' AND f.subject_code = '2010601' "
                       "AND f.measure = 'total'") == [(D("15118900.00"), "final")]
    assert fact(DEPARTMENT, "f.table_kind = 'general_budget_expenditure' AND f.subject_code = '2011301' "
                            "AND f.measure = 'total'") == [(D("9389913.00"), "budget")]
    assert fact(DEPARTMENT, "f.table_kind = 'three_public' AND f.line_item = 'agency_operating_cost'") == [
        (D("1710100.00"), "budget")]
