"""Keys that point to the dimensions, and oddities worth a warning."""

from __future__ import annotations

import polars as pl
from quality_frames import DOC, SUB, Facts, dims, doc_id, failures, passes

from pipeline.quality.references import REFERENCE_CHECKS, check_references


def frames_with(facts: Facts, **extra: pl.DataFrame) -> dict[str, pl.DataFrame]:
    frames = dims(codes={"201": "一般公共服务支出", "2010101": "行政运行", "20101": "人大事务"})
    frames["fact_expenditure"] = facts.frame()
    frames.update(extra)
    return frames


def clean_facts() -> Facts:
    f = Facts().table("general_budget_expenditure", "2024年部门一般公共预算支出表")
    f.row("unit_total", "嘉兴市人民代表大会常务委员会办公室", {"total": "10.00"})
    f.row("subject", "行政运行", {"total": "10.00"}, code="2010101")
    return f


def test_clean_references_pass_and_every_check_reports():
    out = check_references(frames_with(clean_facts()), [DOC])
    assert not failures(out)
    assert {o.check_name for o in out} == set(REFERENCE_CHECKS)


def test_unit_missing_from_dim_unit_is_an_error():
    f = clean_facts()
    f.row("subject", "行政运行", {"total": "1.00"}, code="2010101", unit="u_ghost")
    (bad,) = failures(check_references(frames_with(f), [DOC]), "fact_unit_known")
    assert bad.severity == "error" and "u_ghost" in bad.observed
    assert "2024年部门一般公共预算支出表" in bad.details


def test_unknown_spelling_of_a_unit_is_a_warning():
    f = clean_facts()
    f.row("unit_total", "武汉市东湖高新区人民代表大会常务委员会办公室", {"total": "1.00"}, unit=SUB)
    (warn,) = failures(check_references(frames_with(f), [DOC]), "unit_spelling_known")
    assert warn.severity == "warn"
    assert "东湖高新区" in warn.observed and "unit: u_sub" in warn.details


def test_three_public_unit_spelling_comes_from_the_row_not_the_category():
    f = Facts().table("three_public", "“三公”经费支出表")
    f.row("unit_total", "three_public_total", {"total": "1.00"})
    f.records[-1]["source_row"] = "嘉兴市人民代表大会常务委员会办公室 | 1.00"
    out = check_references(frames_with(f), [DOC])
    assert not failures(out, "unit_spelling_known")
    assert passes(out, "unit_spelling_known")


def test_subject_code_that_could_not_be_matched_is_a_warning():
    f = clean_facts()
    f.row("subject", "债务利息", {"total": "29.67"}, printed_code="5212202")
    f.row("subject", "提租补贴", {"total": "25.67"}, code="2210202")  # not in dim_subject_code here
    bad = failures(check_references(frames_with(f), [DOC]), "subject_code_matched")
    assert [b.severity for b in bad] == ["warn", "warn"]
    assert "5212202" in bad[0].observed and "printed_code: 5212202" in bad[0].details
    assert "2210202" in bad[1].observed


def test_fact_id_shared_by_two_documents_is_an_error():
    other = doc_id("doc-b")
    a = clean_facts().frame()
    b = a.with_columns(pl.lit(other).alias("document_id"))
    frames = frames_with(clean_facts())
    frames["fact_expenditure"] = pl.concat([a, b])
    out = check_references(frames, [DOC, other])
    bad = failures(out, "fact_id_unique_across_documents")
    assert {o.document_id for o in bad} == {DOC, other}


def test_department_missing_from_dim_unit_is_an_error():
    frames = frames_with(clean_facts())
    frames["dim_document"] = frames["dim_document"].with_columns(pl.lit("u_nobody").alias("department_unit_id"))
    (bad,) = failures(check_references(frames, [DOC]), "document_department_known")
    assert "u_nobody" in bad.observed


def inventory(*rows: tuple[int, str, bool]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "document_id": [DOC] * len(rows),
            "table_index": [r[0] for r in rows],
            "table_kind": [r[1] for r in rows],
            "table_title": [f"表{r[0]}" for r in rows],
            "has_no_data_note": [r[2] for r in rows],
        }
    )


def test_empty_table_without_its_note_is_a_warning():
    inv = inventory((0, "general_budget_expenditure", False), (1, "gov_fund_expenditure", True),
                    (2, "state_capital_expenditure", False), (3, "performance", False))
    out = check_references(frames_with(clean_facts(), table_inventory=inv), [DOC])
    (warn,) = failures(out, "empty_table_has_note")
    assert warn.severity == "warn" and "表2" in warn.details
    assert passes(out, "no_data_table_has_no_amounts")  # nothing to say: noted tables are empty


def test_table_noted_empty_but_carrying_amounts_is_a_warning():
    inv = inventory((0, "general_budget_expenditure", True))
    (warn,) = failures(check_references(frames_with(clean_facts(), table_inventory=inv), [DOC]),
                       "no_data_table_has_no_amounts")
    assert "表0" in warn.details


def test_without_dimensions_nothing_is_claimed():
    out = check_references({"fact_expenditure": clean_facts().frame()}, [DOC])
    assert not failures(out)
    needs_dims = {"fact_document_known", "fact_unit_known", "document_department_known", "unit_spelling_known"}
    assert all(o.observed.startswith("0 checked") for o in out if o.check_name in needs_dims)
