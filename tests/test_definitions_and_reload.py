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
    # The stages of a document: its file, the tables read from it, the frames made of them, the warehouse.
    assert parents["extracted_tables"] == {"raw_document"}
    assert parents["normalised_frames"] == {"extracted_tables"}
    for t in ("fact_expenditure", "fact_income", "fact_performance_indicator"):
        assert parents[f"warehouse/{t}"] == {"normalised_frames", "warehouse/dim_subject_code"}
    for t in ("dim_document", "dim_unit", "dim_unit_alias", "dq_check_result"):
        assert parents[f"warehouse/{t}"] == {"normalised_frames"}
    assert parents["warehouse/dim_subject_code"] == set()
    # Every document table is partitioned by document, and so are its checks: one status per document.
    for key in graph.get_all_asset_keys():
        if key.path[0] == "warehouse" and key.path[-1] != "dim_subject_code":
            assert graph.get(key).partitions_def.name == "documents"
            assert "dagster/column_schema" in graph.get(key).metadata
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
    from pipeline.outcome import CheckOutcome, outcomes_frame

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


@pytest.mark.slow  # a Dagster run
def test_each_document_keeps_its_own_check_status(tmp_path, monkeypatch):
    """A failing document stays failing in the UI when a clean one is loaded in the same (or a later) run."""
    import dagster as dg
    from dagster._core.definitions.data_version import CachingStaleStatusResolver, StaleStatus
    from dagster._core.loader import LoadingContextForTest

    from assets.definitions import defs
    from assets.ingest_job import ingest_run_config
    from pipeline.ingest import describe

    monkeypatch.setenv("BUDGET_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("BUDGET_RAW_DIR", str(TEXT))
    damaged, clean = describe(TEXT / "dongxihu-npc-office-2022.txt"), describe(TEXT / "jiaxing-npc-office-2024.txt")
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("documents", [damaged.document_id, clean.document_id])
    result = defs.resolve_job_def("ingest_documents").execute_in_process(
        run_config=ingest_run_config([str(damaged.path), str(clean.path)]), instance=instance)
    assert result.success  # findings never stop the load
    evals = {(e.asset_key.to_user_string(), e.check_name, e.partition): e
             for e in result.get_asset_check_evaluations()}
    consistency = evals[("warehouse/fact_expenditure", "consistency", damaged.document_id)]
    assert not consistency.passed and consistency.severity == dg.AssetCheckSeverity.ERROR
    assert "2010101" in str(consistency.metadata["failing_rows"].value)
    assert evals[("warehouse/dim_document", "schema_and_domain", damaged.document_id)].passed
    assert evals[("warehouse/fact_income", "identities", clean.document_id)].passed
    # The UI's view: the latest evaluation of each partition, the damaged one still failing.
    key = dg.AssetCheckKey(dg.AssetKey(["warehouse", "fact_expenditure"]), "consistency")
    history = instance.event_log_storage.get_asset_check_execution_history(key, limit=10)
    evaluations = [r.event.get_dagster_event().event_specific_data for r in history]
    assert {e.partition: e.passed for e in evaluations}[damaged.document_id] is False
    # What the check's Partitions tab reads: per partition, a status that is current (it judged the
    # partition's latest materialization), failed for the damaged document only.
    infos = {i.partition_key: i for i in instance.event_log_storage.get_asset_check_partition_info([key])}
    assert all(i.is_current for i in infos.values())
    assert infos[damaged.document_id].latest_execution_status.value == "FAILED"
    assert infos[clean.document_id].latest_execution_status.value == "SUCCEEDED"
    # Each document partition is materialized, with its title for the UI.
    assert instance.get_materialized_partitions(dg.AssetKey(["warehouse", "dim_document"])) == {
        damaged.document_id, clean.document_id}
    materializations = [e.step_materialization_data.materialization for e in result.get_asset_materialization_events()]
    titles = {m.partition: m.metadata["title"].value for m in materializations
              if m.asset_key == dg.AssetKey("raw_document")}
    assert titles[clean.document_id] == "嘉兴市人民代表大会常务委员会办公室2024年部门预算"
    reference = instance.get_latest_materialization_event(dg.AssetKey(["warehouse", "dim_subject_code"]))
    assert reference is not None  # materialized on the first run, whatever path it came by
    # The stages between the file and the warehouse, each a partition of its own: the tables read.
    read = {m.partition: m.metadata for m in materializations if m.asset_key == dg.AssetKey("extracted_tables")}
    # Twelve listed in its 目录: the 收入预算总表 is not in the text (a finding), and the 民生项目 table is
    # no standard kind.
    assert read[clean.document_id]["tables"].value == 10
    assert "- three_public: 2024 年部门一般公共预算“三公”经费支出表\n" in read[clean.document_id]["read"].value
    normalised = {m.partition: m.metadata for m in materializations if m.asset_key == dg.AssetKey("normalised_frames")}
    assert normalised[clean.document_id]["facts"].value > 0
    # Nothing the run built shows as "Never materialized" in the UI, and the classification (the one
    # asset with code) is not "Unsynced".
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        if graph.get(key).partitions_def is not None:
            assert instance.get_materialized_partitions(key) == {damaged.document_id, clean.document_id}, key
    resolver = CachingStaleStatusResolver(instance, graph, LoadingContextForTest(instance))
    assert resolver.get_status(dg.AssetKey(["warehouse", "dim_subject_code"]), None) == StaleStatus.FRESH


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


@pytest.mark.slow  # a Dagster run
def test_a_check_run_on_its_own_rereads_the_documents_outcomes(tmp_path, monkeypatch):
    """What the UI's "execute check" does for one document partition: the outcomes come from dq_check_result."""
    import dagster as dg

    from assets.definitions import defs
    from assets.runner import ingest
    from assets.warehouse import warehouse_checks

    wh = tmp_path / "w.duckdb"
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(wh))
    monkeypatch.setenv("BUDGET_RAW_DIR", str(TEXT))
    (run,) = ingest([TEXT / "dongxihu-npc-office-2022.txt"], wh, TEXT)
    job = dg.define_asset_job("recheck", selection=dg.AssetSelection.checks(warehouse_checks))
    checks_only = dg.Definitions(assets=defs.assets, asset_checks=[warehouse_checks], jobs=[job],
                                 resources=defs.resources)
    # Entered, the instance is the one the definitions load against (Dagster keeps the current instance's
    # state storage in a context variable, which an instance of an earlier test may have left behind).
    with dg.DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions("documents", [run.raw.document_id])
        result = checks_only.resolve_job_def("recheck").execute_in_process(
            instance=instance, tags={"dagster/partition": run.raw.document_id})
    passed = {(e.asset_key.to_user_string(), e.check_name): e.passed for e in result.get_asset_check_evaluations()}
    assert passed[("warehouse/fact_expenditure", "consistency")] is False  # 行政运行 1,348.91 against 1,346.91
    assert passed[("warehouse/dim_document", "schema_and_domain")] is True
