"""The Great Expectations suites in expectations/*.json, run on hand-made frames."""

from __future__ import annotations

import json
from decimal import Decimal

import great_expectations as gx
import polars as pl
import pytest
from quality_frames import DOC, Facts, dims

from pipeline.quality.suite_slices import document_slices
from pipeline.quality.suites import SuiteRunner, expectations_dir, load_suite_specs, load_suites, run_suites

TABLES = {
    "dim_document",
    "dim_unit",
    "dim_unit_alias",
    "dim_subject_code",
    "fact_expenditure",
    "fact_income",
    "fact_performance_indicator",
    "dq_check_result",
}


@pytest.fixture(scope="module")
def runner() -> SuiteRunner:
    return SuiteRunner()


def good_frames() -> dict[str, pl.DataFrame]:
    frames = dims(codes={"201": "一般公共服务支出", "20101": "人大事务", "2010101": "行政运行", "301": "工资福利支出"})
    f = Facts().table("general_budget_expenditure", "2024年部门一般公共预算支出表")
    f.row("total", "合计", {"total": "10.00", "basic": "10.00"})
    f.row("subject", "行政运行", {"total": "10.00", "basic": "10.00"}, code="2010101")
    f.table("three_public", "“三公”经费支出表")
    f.row("total", "three_public_total", {"total": "1.00"})
    f.narrative("basic", "10.00")
    frames["fact_expenditure"] = f.frame()
    return frames


def outcomes_of(runner: SuiteRunner, table: str, frame: pl.DataFrame) -> dict[str, object]:
    return {o.check_name: o for o in runner.validate(DOC, table, frame)}


def test_suite_files_are_ge_suites_with_stable_names_and_severities():
    specs = load_suite_specs()
    assert set(specs) == TABLES
    assert expectations_dir() == expectations_dir(expectations_dir())
    names = []
    for table, spec in specs.items():
        data = json.loads(spec.path.read_text(encoding="utf-8"))
        assert {"name", "expectations", "meta"} <= set(data)
        assert gx.ExpectationSuite(**data).to_json_dict()["name"] == table
        for exp in data["expectations"]:
            assert {"type", "kwargs", "meta"} <= set(exp)
            assert exp["meta"]["severity"] in ("error", "warn")
            assert exp["meta"]["check_name"].startswith(f"{table}.")
            names.append(exp["meta"]["check_name"])
    assert len(names) == len(set(names))
    assert set(load_suites()) == TABLES


def test_contract_enums_are_in_the_suites():
    fe = {e["meta"]["check_name"]: e for e in load_suite_specs()["fact_expenditure"].expectations}
    assert "narrative" in fe["fact_expenditure.table_kind_in_enum"]["kwargs"]["value_set"]
    assert set(fe["fact_expenditure.row_role_in_enum"]["kwargs"]["value_set"]) == {
        "total", "unit_total", "subject", "item", "subtotal"}
    assert {"total", "basic", "personnel", "public_operating", "project", "carryover"} <= set(
        fe["fact_expenditure.measure_in_enum"]["kwargs"]["value_set"]
    )


def test_clean_frames_pass_every_expectation():
    out = run_suites(good_frames())
    failed = [o for o in out if not o.success]
    assert failed == []
    names = {o.check_name for o in out}
    assert "fact_expenditure.amount_not_negative" in names and "dim_subject_code.function_code_format" in names
    assert all(o.document_id == DOC for o in out)


def test_bad_enum_bad_code_negative_amount_and_null_key_are_flagged(runner):
    frame = good_frames()["fact_expenditure"]
    bad = frame.with_columns(
        pl.when(pl.col("line_item") == "行政运行").then(pl.lit("subheading")).otherwise(pl.col("row_role")).alias("row_role"),
        pl.when(pl.col("line_item") == "行政运行").then(pl.lit("5011001")).otherwise(pl.col("subject_code")).alias("subject_code"),
        pl.when(pl.col("line_item") == "合计")
        .then(pl.lit(Decimal("-5.00")))
        .otherwise(pl.col("amount_yuan"))
        .cast(pl.Decimal(20, 2))
        .alias("amount_yuan"),
        pl.when(pl.col("table_kind") == "three_public").then(None).otherwise(pl.col("fact_id")).alias("fact_id"),
    )
    out = outcomes_of(runner, "fact_expenditure", bad)
    enum = out["fact_expenditure.row_role_in_enum"]
    assert not enum.success and enum.severity == "error"
    assert "'subheading'" in enum.observed and "row: 行政运行" in enum.details
    assert "row_role in {total, unit_total, subject, item, subtotal}" == enum.expected
    code = out["fact_expenditure.subject_code_format"]
    assert not code.success and "'5011001'" in code.observed and "2024年部门一般公共预算支出表" in code.details
    neg = out["fact_expenditure.amount_not_negative"]
    assert not neg.success and "-5.00" in neg.observed and "row: 合计" in neg.details
    assert neg.expected == "amount_yuan >= 0"
    key = out["fact_expenditure.fact_id_not_null"]
    assert not key.success and "1 of" in key.observed and "three_public" in key.details
    assert out["fact_expenditure.fact_id_unique"].success


def test_duplicate_key_and_conditional_rules(runner):
    frame = good_frames()["fact_expenditure"]
    dup = pl.concat([frame, frame.head(1)])
    out = outcomes_of(runner, "fact_expenditure", dup)
    assert not out["fact_expenditure.fact_id_unique"].success
    odd = frame.with_columns(
        pl.when(pl.col("table_kind") == "three_public").then(pl.lit("公务接待费")).otherwise(pl.col("line_item")).alias("line_item")
    )
    out = outcomes_of(runner, "fact_expenditure", odd)
    assert not out["fact_expenditure.three_public_line_item_in_enum"].success
    assert out["fact_expenditure.narrative_line_item_in_enum"].success


def test_dimension_suites_flag_codes_levels_and_enums(runner):
    codes = dims(codes={"201": "一般公共服务支出", "20101": "人大事务"})["dim_subject_code"]
    bad = codes.with_columns(
        pl.when(pl.col("subject_code") == "20101").then(pl.lit("30101")).otherwise(pl.col("subject_code")).alias("subject_code"),
        pl.when(pl.col("subject_code") == "201").then(pl.lit(2)).otherwise(pl.col("level")).cast(pl.Int16).alias("level"),
    )
    out = outcomes_of(runner, "dim_subject_code", bad)
    assert not out["dim_subject_code.function_code_format"].success  # 30101 classified as function
    level = out["dim_subject_code.level_1_for_3_digit_codes"]
    assert not level.success and level.severity == "warn"
    doc = dims()["dim_document"].with_columns(pl.lit("loaded_ok").alias("status"), pl.lit(1999).cast(pl.Int32).alias("fiscal_year"))
    out = outcomes_of(runner, "dim_document", doc)
    assert not out["dim_document.status_in_enum"].success
    assert not out["dim_document.fiscal_year_plausible"].success


def test_missing_contract_column_fails_and_missing_extension_column_is_skipped(runner):
    frame = good_frames()["fact_expenditure"].drop("source_row", "unit_multiplier")
    out = outcomes_of(runner, "fact_expenditure", frame)
    assert not out["fact_expenditure.columns_present"].success
    assert "source_row" in out["fact_expenditure.columns_present"].observed
    missing = out["fact_expenditure.source_row_not_null"]
    assert not missing.success and "column(s) missing: source_row" in missing.observed
    assert "fact_expenditure.unit_multiplier_in_set" not in out


def test_decimal_amounts_reach_ge_as_decimals():
    frame = good_frames()["fact_expenditure"]
    from pipeline.quality.suites import to_pandas

    pdf = to_pandas(frame)
    assert isinstance(pdf["amount_yuan"].iloc[0], Decimal)


def test_dimensions_are_sliced_to_what_a_document_uses():
    frames = good_frames()
    frames["dim_subject_code"] = dims(codes={"201": "a", "20101": "b", "2010101": "c", "208": "d"})["dim_subject_code"]
    sliced = document_slices(frames, DOC)
    assert set(sliced["dim_subject_code"]["subject_code"]) == {"201", "20101", "2010101"}
    assert set(sliced["dim_unit"]["unit_id"]) == {"u_dept"}


def test_stage_and_document_kind_are_required_and_from_the_vocabulary(runner):
    frame = good_frames()["fact_expenditure"]
    odd = frame.with_columns(
        pl.when(pl.col("table_kind") == "three_public").then(pl.lit("预算数"))
        .when(pl.col("line_item") == "行政运行").then(None)
        .otherwise(pl.col("stage")).alias("stage"),
    )
    out = outcomes_of(runner, "fact_expenditure", odd)
    stage = out["fact_expenditure.stage_in_enum"]
    assert not stage.success and "'预算数'" in stage.observed and "three_public" in stage.details
    assert stage.expected == "stage in {budget, adjusted_budget, final}"
    missing = out["fact_expenditure.stage_not_null"]
    assert not missing.success and missing.observed.startswith("2 of") and "row: 行政运行" in missing.details

    doc = dims()["dim_document"]
    final = dims(document_kind="final_accounts", disclosure_level="unit")["dim_document"]
    assert all(o.success for o in outcomes_of(runner, "dim_document", final).values())
    unknown = doc.with_columns(pl.lit(None).cast(pl.Utf8).alias("document_kind"), pl.lit("county").alias("disclosure_level"))
    out = outcomes_of(runner, "dim_document", unknown)
    assert not out["dim_document.document_kind_present_when_loaded"].success
    level = out["dim_document.disclosure_level_in_enum"]
    assert not level.success and "'county'" in level.observed
    quarantined = unknown.with_columns(pl.lit("quarantined").alias("status"), pl.lit("unreadable").alias("status_reason"))
    assert outcomes_of(runner, "dim_document", quarantined)["dim_document.document_kind_present_when_loaded"].success
