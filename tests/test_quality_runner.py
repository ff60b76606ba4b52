"""run_quality end to end on hand-made frames, the report helpers and the Data Docs."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest
from quality_frames import DOC, Facts, dims, doc_id

from pipeline.outcome import FAMILIES, CheckOutcome, outcomes_frame
from pipeline.quality.runner import (
    check_catalog,
    check_summary,
    failed_checks,
    format_failed_checks,
    run_quality,
    write_data_docs,
)
from pipeline.quality.suites import SuiteRunner
from pipeline.schema import SCHEMAS

OTHER = doc_id("doc-b")


def frames() -> dict[str, pl.DataFrame]:
    """Two documents: one clean, one whose 行政运行 differs between two tables."""
    out = dims(codes={"201": "一般公共服务支出", "20101": "人大事务", "2010101": "行政运行"})
    good = Facts().table("expenditure_summary", "2024年部门支出预算总表")
    good.row("total", "合计", {"total": "100.00"})
    good.row("subject", "行政运行", {"total": "100.00"}, code="2010101")
    good.table("general_budget_expenditure", "2024年部门一般公共预算支出表")
    good.row("total", "合计", {"total": "100.00"})
    good.row("subject", "行政运行", {"total": "100.00"}, code="2010101")
    bad = Facts(document_id=OTHER).table("expenditure_summary", "2022年部门支出总表")
    bad.row("total", "合计", {"total": "1346.91"})
    bad.row("subject", "行政运行", {"total": "1348.91"}, code="2010101")
    bad.table("general_budget_expenditure", "2022年一般公共预算支出总表")
    bad.row("total", "合计", {"total": "1346.91"})
    bad.row("subject", "行政运行", {"total": "1346.91"}, code="2010101")
    other_doc = out["dim_document"].with_columns(pl.lit(OTHER).alias("document_id"), pl.lit("b.txt").alias("file_name"))
    out["dim_document"] = pl.concat([out["dim_document"], other_doc])
    out["fact_expenditure"] = pl.concat([good.frame(), bad.frame()])
    return out


@pytest.fixture(scope="module")
def results() -> pl.DataFrame:
    return run_quality(frames(), "run-1", checked_at=datetime(2024, 5, 1, 8, 0))


def test_results_have_the_dq_check_result_columns_and_passes(results):
    assert results.schema == pl.Schema(SCHEMAS["dq_check_result"])
    assert set(results["run_id"]) == {"run-1"}
    assert set(results["document_id"]) == {DOC, OTHER}
    good = results.filter(pl.col("document_id") == DOC)
    assert good["success"].all()
    assert {"fact_expenditure.amount_not_negative", "total_equals_sum_of_rows", "subject_amount_consistent",
            "fact_unit_known"} <= set(good["check_name"])


def test_failed_checks_per_document(results):
    per_doc = failed_checks(results)
    assert set(per_doc) == {OTHER}
    bad = per_doc[OTHER]
    assert {"subject_amount_consistent", "total_equals_sum_of_rows"} <= set(bad["check_name"])
    assert bad["severity"].to_list()[0] == "error"
    conflict = bad.filter(pl.col("check_name") == "subject_amount_consistent").row(0, named=True)
    # two copies, two amounts: no majority, both tables are named
    assert "行政运行" in conflict["details"] and "2022年部门支出总表" in conflict["details"]
    assert "2022年一般公共预算支出总表" in conflict["details"]
    assert "1348.91 万元" in conflict["observed"] and "1346.91 万元" in conflict["observed"]


def test_text_report(results):
    text = format_failed_checks(results, {DOC: "a.txt", OTHER: "b.txt"})
    assert "a.txt: all checks passed" in text
    assert "b.txt: " in text and "[error] subject_amount_consistent" in text
    assert "1348.91 万元" in text and "expected: one amount for 2010101" in text


def test_summary_and_catalog(results):
    summary = check_summary(results)
    row = summary.filter(pl.col("check_name") == "subject_amount_consistent").row(0, named=True)
    assert row["documents"] == 2 and row["documents_failed"] == 1 and not row["passed"]
    catalog = check_catalog()
    names = [c.check_name for c in catalog]
    assert len(names) == len(set(names))
    assert set(results["check_name"]) <= set(names)
    assert {c.severity for c in catalog} == {"error", "warn"}


def test_every_check_declares_its_family_and_table():
    catalog = {c.check_name: c for c in check_catalog()}
    assert {c.family for c in catalog.values()} == set(FAMILIES)
    unreadable = catalog["table_unreadable"]
    assert (unreadable.severity, unreadable.family, unreadable.table) == ("error", "extraction_notes", "fact_expenditure")
    assert "not loaded" in unreadable.rule
    assert (catalog["income_equals_expenditure"].family, catalog["income_equals_expenditure"].table) == (
        "identities", "fact_income")
    assert catalog["three_public_total_equals_parts"].family == "identities"
    assert catalog["subject_code_matched"].family == "references"
    # A suite rule is declared on the table its suite validates.
    suite = next(c for c in catalog.values() if c.check_name.startswith("fact_income."))
    assert (suite.family, suite.table) == ("schema_and_domain", "fact_income")


def test_results_pass_the_dq_check_result_suite(results):
    out = SuiteRunner().validate(DOC, "dq_check_result", results)
    assert all(o.success for o in out), [o for o in out if not o.success]


def test_outcomes_frame_of_nothing_is_empty_with_the_schema():
    empty = outcomes_frame([], "r")
    assert empty.height == 0 and empty.schema == pl.Schema(SCHEMAS["dq_check_result"])
    one = outcomes_frame([CheckOutcome(DOC, "x", "warn", False, "o", "e", "d")], "r")
    assert one.row(0, named=True)["severity"] == "warn"


def test_identities_without_great_expectations():
    res = run_quality(frames(), "r", with_suites=False)
    assert not res["check_name"].str.contains(r"\.").any()


def test_data_docs_are_written(tmp_path, results):
    out = tmp_path / "dq-docs"
    index = write_data_docs(frames(), out, run_id="run-1", results=results)
    assert index == out.resolve() / "index.html" and index.exists()
    pages = list((out / "validations").rglob("*.html"))
    assert any("fact_expenditure" in str(p) for p in pages)
    assert any(OTHER[:16] in p.name for p in pages)
    page = (out / "quality-results.html").read_text(encoding="utf-8")
    assert "subject_amount_consistent" in page and "2022年部门支出总表" in page
    # a second build replaces the first
    write_data_docs(frames(), out, run_id="run-2")
    assert not (out / "quality-results.html").exists()
    assert all("run-2" in str(p) for p in (out / "validations").rglob("*.html"))


def test_run_quality_renders_its_own_validations(tmp_path):
    out = tmp_path / "docs"
    res = run_quality(frames(), "run-3", data_docs_dir=out)
    assert (out / "index.html").exists()
    pages = list((out / "validations").rglob("*.html"))
    assert len(pages) == 2 * 5  # two documents × the five frames with a suite
    page = (out / "quality-results.html").read_text(encoding="utf-8")
    assert "嘉兴市人民代表大会常务委员会办公室2024年部门预算 (doc.txt)" in page
    assert res.filter(~pl.col("success")).height > 0
