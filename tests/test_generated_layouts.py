"""Generated budgets of a fictional department, each reproducing one layout feature of real
producers, read back through the PDF path (read_pdf → normalize_document).

The generator (tests/disclosure_docs.py) knows every amount it printed, so each table is checked
in full: one fact per printed amount, in its own row and measure, none for a blank cell. The
named tests then spell out what the feature is about with amounts a person can read.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.disclosure_docs import CLIPPED_AMOUNT, DEPT, DOCUMENTS
from tests.read_back import (
    PRODUCERS,
    GeneratedLibrary,
    errors,
    facts_of,
    facts_printing_a_code,
    finding_text,
    library,
)

D = Decimal
BUDGETS = [n for n in DOCUMENTS if DOCUMENTS[n]().document_kind == "budget"]


@pytest.fixture(scope="session", params=PRODUCERS)
def generated(request, tmp_path_factory: pytest.TempPathFactory) -> GeneratedLibrary:
    return library(request, tmp_path_factory.mktemp(f"generated-budgets-{request.param}"))


# (document, table index): every table whose facts must come back exactly as generated.
TABLES = [
    ("baseline", 0), ("baseline", 1), ("split-codes", 0), ("split-codes", 1), ("total-in-code-column", 0),
    ("total-in-code-column", 1), ("blank-cells", 0), ("blank-cells", 1), ("amounts-in-yuan", 0),
    ("amounts-in-yuan", 1), ("empty-table", 0), ("publisher-in-headings", 0), ("publisher-in-headings", 1),
    ("baseline-borderless", 0), ("baseline-borderless", 1), ("split-codes-borderless", 0),
    ("split-codes-borderless", 1), ("shuffled-columns", 1),
]


@pytest.mark.parametrize("name, index", TABLES, ids=[f"{n}-{i}" for n, i in TABLES])
def test_every_printed_amount_comes_back(generated, name, index):
    spec = generated(name)[0]
    kind = spec.tables[index].kind
    assert facts_of(generated.loaded(name), kind) == spec.expected(index)


@pytest.mark.parametrize("name", BUDGETS)
def test_budget_document_and_its_stages(generated, name):
    spec, _ = generated(name)
    doc = generated.loaded(name)
    meta = doc.document()
    assert (meta.get("document_kind"), meta.get("disclosure_level"), meta["fiscal_year"]) == (
        "budget", "department", spec.fiscal_year)
    assert doc.department_name() == DEPT
    assert {f.get("stage") for f in doc.facts()} == {"budget"}
    assert facts_printing_a_code(doc) == []


def test_split_codes_are_joined(generated):
    """类 | 款 | 项 under a spanning 科目编码 heading: one code, printed_code as printed."""
    doc = generated.loaded("split-codes")
    admin = doc.where(table_kind="general_budget_expenditure", subject_code="2050101", measure="total")
    assert [(f["printed_code"], f["line_item"], f["amount_yuan"]) for f in admin] == [
        ("205 01 01", "行政运行", D("3216400.00"))]
    salary = doc.where(table_kind="general_budget_basic_expenditure", subject_code="30101")
    assert [(f["printed_code"], f["measure"], f["amount_yuan"]) for f in sorted(salary, key=lambda f: f["measure"])] \
        == [("301 01", "personnel", D("1236000.00")), ("301 01", "total", D("1236000.00"))]
    assert doc.amounts(table_kind="general_budget_expenditure", subject_code="205", measure="total") == [
        D("4234200.00")]


def test_total_in_the_code_column(generated):
    doc = generated.loaded("total-in-code-column")
    assert doc.amounts(table_kind="expenditure_summary", row_role="total", measure="total") == [D("4909700.00")]
    assert doc.amounts(table_kind="general_budget_basic_expenditure", row_role="total",
                       measure="public_operating") == [D("541600.00")]


def test_blank_cells_stay_blank(generated):
    doc = generated.loaded("blank-cells")
    assert doc.amounts(table_kind="expenditure_summary", subject_code="2050102", measure="basic") == []
    assert doc.amounts(table_kind="expenditure_summary", subject_code="2050102", measure="project") == [
        D("845000.00")]
    assert doc.amounts(table_kind="expenditure_summary", subject_code="2050101", measure="project") == []
    assert doc.where(subject_code="2080506") == [], "a row blank in every column gives no fact"
    assert doc.where(subject_code="30107") == []
    assert doc.amounts(table_kind="general_budget_basic_expenditure", subject_code="302", measure="personnel") == []
    assert doc.amounts(table_kind="general_budget_basic_expenditure", subject_code="302",
                       measure="public_operating") == [D("541600.00")]


def test_amounts_in_yuan_with_separators(generated):
    doc = generated.loaded("amounts-in-yuan")
    assert doc.amounts(table_kind="expenditure_summary", subject_code="2050101", measure="total") == [
        D("3216400.00")]
    assert doc.amounts(table_kind="general_budget_basic_expenditure", row_role="total", measure="total") == [
        D("3944200.00")]


def test_empty_table_gives_no_facts_and_no_alarm(generated):
    doc = generated.loaded("empty-table")
    assert doc.where(table_kind="gov_fund_expenditure") == []
    assert [e for e in errors(doc) if "政府性基金" in e] == []
    assert doc.amounts(table_kind="expenditure_summary", row_role="total", measure="total") == [D("4909700.00")]


@pytest.mark.parametrize("name", ["baseline", "split-codes"])
def test_borderless_gives_the_same_facts_as_ruled(generated, name):
    ruled, borderless = generated.loaded(name), generated.loaded(f"{name}-borderless")
    for kind in {t.kind for t in generated(name)[0].tables}:
        assert facts_of(borderless, kind) == facts_of(ruled, kind) != set()


def test_clipped_cell_is_stored_as_printed_and_reported(generated):
    doc = generated.loaded("clipped-cell")
    assert doc.amounts(table_kind="general_budget_expenditure", subject_code="2050101", measure="total") == [
        CLIPPED_AMOUNT]
    assert doc.amounts(table_kind="expenditure_summary", subject_code="2050101", measure="total") == [
        D("3216437.56")]
    about_the_row = [finding_text(f) for f in doc.findings() if "2050101" in finding_text(f)
                     or "行政运行" in finding_text(f)]
    assert about_the_row, [finding_text(f) for f in doc.findings()]


def test_department_named_only_in_table_headings(generated):
    doc = generated.loaded("publisher-in-headings")
    assert doc.department_name() == DEPT
    assert doc.document().get("disclosure_level") == "department"


def test_table_contradicting_its_columns_is_not_loaded(generated):
    spec, _ = generated("shuffled-columns")
    doc = generated.loaded("shuffled-columns")
    assert doc.where(table_kind="expenditure_summary") == []
    unreadable = [f for f in doc.findings() if f["check_name"] == "table_unreadable"]
    assert [f["severity"] for f in unreadable] == ["error"]
    details = unreadable[0]["details"] or ""
    title, page = spec.disclosure.grids[0].title, spec.page(0)
    assert title in details
    assert re.search(rf"(?:page|p\.|第|页)\s*[:：]?\s*{page}(?!\d)", details, re.IGNORECASE), details
    assert facts_of(doc, "general_budget_basic_expenditure") == spec.expected(1)
