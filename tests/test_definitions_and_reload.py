"""The Dagster definitions load with the intended lineage; re-ingesting changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import TEXT

TABLES = ("dim_document", "dim_unit", "dim_unit_alias", "dim_subject_code", "fact_expenditure", "fact_income",
          "fact_performance_indicator")


def test_definitions_load_with_lineage(monkeypatch):
    monkeypatch.setenv("BUDGET_WAREHOUSE", "unused.duckdb")
    monkeypatch.setenv("BUDGET_RAW_DIR", "unused")
    from assets.definitions import defs

    graph = defs.resolve_asset_graph()
    parents = {k.to_user_string(): {p.to_user_string() for p in graph.get(k).parent_keys}
               for k in graph.get_all_asset_keys()}
    for t in ("dim_document", "dim_unit", "fact_expenditure", "fact_income", "fact_performance_indicator"):
        assert parents[f"warehouse/{t}"] == {f"{t}_frame"}
        assert parents[f"{t}_frame"] == {"extracted_tables", "raw_document"}
    assert parents["warehouse/dim_subject_code"] == {"dim_subject_code_frame"}
    assert parents["extracted_tables"] == {"raw_document"}
    assert parents["warehouse/dq_check_result"] == {"dq_check_frame"}
    assert defs.resolve_job_def("ingest_documents") is not None
    checks = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    for table in ("dim_document", "dim_unit", "fact_expenditure", "fact_income", "fact_performance_indicator"):
        assert (f"warehouse/{table}", "schema_and_domain") in checks
    assert {("warehouse/fact_expenditure", c) for c in ("identities", "consistency", "references")} <= checks
    assert ("warehouse/fact_income", "identities") in checks


def test_findings_land_in_their_catalog_family():
    """An extraction-time finding is reported by the asset check of the family it is declared in."""
    import dagster as dg

    from assets.checks import check_of, check_results
    from pipeline.quality.outcome import CheckOutcome, outcomes_frame

    assert check_of("table_unreadable") == ("fact_expenditure", "extraction_notes")
    assert check_of("income_equals_expenditure") == ("fact_income", "identities")
    assert check_of("three_public_total_equals_parts") == ("fact_expenditure", "identities")
    assert check_of("empty_table_has_note") == ("fact_expenditure", "references")
    dq = outcomes_frame([
        CheckOutcome("d", "table_unreadable", "error", False, "9 of 12 identities fail", "sums hold", "table #3"),
        CheckOutcome("d", "table_unit_declared", "warn", True),
        CheckOutcome("d", "income_equals_expenditure", "error", True),
    ], "r")
    results = {(r.asset_key.path[-1], r.check_name): r for r in check_results(dq)}
    notes = results[("fact_expenditure", "extraction_notes")]
    assert not notes.passed and notes.severity == dg.AssetCheckSeverity.ERROR
    assert notes.metadata["findings"].value == 2 and notes.metadata["failed_errors"].value == 1
    assert "table #3" in str(notes.metadata["failing_rows"].value)
    assert results[("fact_expenditure", "identities")].passed
    assert results[("fact_expenditure", "identities")].metadata["findings"].value == 0
    assert results[("fact_income", "identities")].metadata["findings"].value == 1


@pytest.mark.slow  # dg.materialize
def test_asset_checks_flag_a_damaged_document(tmp_path):
    import dagster as dg

    from assets.resources import BudgetPaths
    from assets.runner import DOCUMENT_ASSETS
    from pipeline.ingest import describe

    raw = describe(TEXT / "dongxihu-npc-office-2022.txt")
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("documents", [raw.document_id])
    result = dg.materialize(
        DOCUMENT_ASSETS, partition_key=raw.document_id, instance=instance,
        resources={"paths": BudgetPaths(warehouse_path=str(tmp_path / "w.duckdb"), raw_dir=str(TEXT))},
        run_config={"ops": {"raw_document": {"config": {"path": str(raw.path)}}}},
    )
    assert result.success  # findings never stop the load
    evals = {(e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations()}
    consistency = evals[("warehouse/fact_expenditure", "consistency")]
    assert not consistency.passed and consistency.severity == dg.AssetCheckSeverity.ERROR
    assert "2010101" in str(consistency.metadata["failing_rows"].value)
    assert evals[("warehouse/dim_document", "schema_and_domain")].passed


def _snapshot(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        con.close()


@pytest.mark.slow  # dg.materialize
def test_reingest_changes_nothing(tmp_path):
    from assets.runner import ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("jiaxing-npc-office-2024.txt", "keqiao-npc-office-2023.txt", "pingxiang-county-npc-2023.txt"):
        shutil.copy(TEXT / name, raw / name)
    wh = tmp_path / "w.duckdb"
    ingest([raw], wh, raw)
    first = _snapshot(wh)
    assert len(first["fact_expenditure"]) > 500
    ingest([raw], wh, raw)
    assert _snapshot(wh) == first
    # A renamed copy of a known file is the same document: nothing but its file name may change.
    shutil.copy(raw / "jiaxing-npc-office-2024.txt", raw / "copy-of-jiaxing.txt")
    runs = ingest([raw], wh, raw)
    assert len(runs) == 3
    again = _snapshot(wh)
    assert {t: v for t, v in again.items() if t != "dim_document"} == {
        t: v for t, v in first.items() if t != "dim_document"
    }
    assert len(again["dim_document"]) == len(first["dim_document"])
