"""The new-file sensor and the nightly schedule: what they request, and that the requests run."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import pytest

from assets import sensors as sensor_module
from assets.resources import BudgetPaths
from assets.schedules import CRON, TIMEZONE, nightly_ingest_schedule
from assets.sensors import new_document_sensor
from tests.conftest import TEXT

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
JIAXING = TEXT / "jiaxing-npc-office-2024.txt"
KEQIAO2020 = TEXT / "keqiao-npc-office-2020-performance.txt"
KEQIAO2023 = TEXT / "keqiao-npc-office-2023.txt"
NIGHTLY_JOB = "ingest_documents"


def requested_files(req: dg.RunRequest) -> list[str]:
    return [Path(p).name for p in req.run_config["ops"]["plan_documents"]["config"]["paths"]]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A raw folder, a warehouse path and a Dagster instance with real run/event storage."""
    raw = tmp_path / "raw"
    (raw / "2024" / "jiaxing").mkdir(parents=True)
    shutil.copy(JIAXING, raw / "2024" / "jiaxing" / JIAXING.name)  # in a subfolder
    shutil.copy(KEQIAO2020, raw / KEQIAO2020.name)
    (raw / ".hidden.txt").write_text("editor swap file", encoding="utf-8")
    warehouse = tmp_path / "wh" / "budget.duckdb"
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("BUDGET_RAW_DIR", str(raw))
    # Not `with dg.instance_for_test()`: leaving an instance's `with` block in dagster 1.13 leaves the
    # instance's defs-state storage installed (a context variable), and later Definitions loads in the
    # same process then open the deleted temporary sqlite files.
    (tmp_path / "dagster_home").mkdir()
    instance = dg.DagsterInstance.from_config(str(tmp_path / "dagster_home"))
    try:
        yield raw, warehouse, instance, BudgetPaths(warehouse_path=str(warehouse), raw_dir=str(raw))
    finally:
        instance.dispose()


def tick(instance, paths, cursor):
    """One sensor evaluation; the partitions it requests are added as the daemon would."""
    ctx = dg.build_sensor_context(instance=instance, cursor=cursor, resources={"paths": paths})
    result = new_document_sensor(ctx)
    assert isinstance(result, dg.SensorResult)
    for req in result.dynamic_partitions_requests or []:
        instance.add_dynamic_partitions(req.partitions_def_name, list(req.partition_keys))
    return result


def count_hashing(monkeypatch) -> list[Path]:
    hashed: list[Path] = []
    real = sensor_module.describe

    def spy(path):
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(sensor_module, "describe", spy)
    return hashed


def test_sensor_adds_partitions_and_requests_one_run_per_new_content(env, monkeypatch):
    raw, _, instance, paths = env
    hashed = count_hashing(monkeypatch)
    first = tick(instance, paths, None)
    keys = {sha(JIAXING), sha(KEQIAO2020)}
    assert [r.partitions_def_name for r in first.dynamic_partitions_requests] == ["documents"]
    assert set(first.dynamic_partitions_requests[0].partition_keys) == keys
    assert {r.run_key for r in first.run_requests} == keys  # run_key = content hash: never launched twice
    assert all(r.tags["budget/document"] == r.run_key for r in first.run_requests)
    by_key = {r.run_key: r for r in first.run_requests}
    assert by_key[sha(JIAXING)].run_config["ops"]["plan_documents"]["config"]["paths"] == [
        f"{sha(JIAXING)}:{(raw / '2024' / 'jiaxing' / JIAXING.name).absolute()}"  # hashed already: not again
    ]
    assert set(instance.get_dynamic_partitions("documents")) == keys
    # The cursor fingerprints every file (subfolders included, hidden files skipped).
    cursor = json.loads(first.cursor)
    assert set(cursor["files"]) == {"2024/jiaxing/" + JIAXING.name, KEQIAO2020.name}
    assert len(hashed) == 2

    # Nothing changed: no request, nothing re-hashed.
    hashed.clear()
    second = tick(instance, paths, first.cursor)
    assert not second.run_requests and not second.dynamic_partitions_requests
    assert "No new content" in second.skip_reason.skip_message
    assert hashed == []
    assert second.cursor == first.cursor


def test_renamed_copy_adds_nothing_and_new_content_in_a_subfolder_does(env, monkeypatch):
    raw, _, instance, paths = env
    first = tick(instance, paths, None)
    hashed = count_hashing(monkeypatch)

    (raw / "archive").mkdir()
    shutil.copy(KEQIAO2020, raw / "archive" / "renamed-copy.txt")
    (raw / KEQIAO2020.name).rename(raw / "keqiao-renamed.txt")
    renamed = tick(instance, paths, first.cursor)
    assert not renamed.run_requests and not renamed.dynamic_partitions_requests
    assert len(hashed) == 2  # only the two new paths were hashed
    assert set(json.loads(renamed.cursor)["files"]) == {
        "2024/jiaxing/" + JIAXING.name, "archive/renamed-copy.txt", "keqiao-renamed.txt"}

    (raw / "2023" / "deep" / "er").mkdir(parents=True)
    shutil.copy(KEQIAO2023, raw / "2023" / "deep" / "er" / "k.txt")
    new = tick(instance, paths, renamed.cursor)
    assert [r.run_key for r in new.run_requests] == [sha(KEQIAO2023)]
    assert list(new.dynamic_partitions_requests[0].partition_keys) == [sha(KEQIAO2023)]


def test_a_file_edited_in_place_is_new_content(env):
    raw, _, instance, paths = env
    first = tick(instance, paths, None)
    target = raw / KEQIAO2020.name
    target.write_bytes(target.read_bytes() + "\n补充说明。\n".encode())
    edited = tick(instance, paths, first.cursor)
    assert [r.run_key for r in edited.run_requests] == [sha(target)]


def test_lost_cursor_or_a_replayed_tick_requests_nothing_twice(env):
    _, _, instance, paths = env
    first = tick(instance, paths, None)
    # A lost (or corrupt) cursor re-hashes, but the contents are known partitions: nothing to run.
    for cursor in (None, "not json", json.dumps({"v": 99})):
        again = tick(instance, paths, cursor)
        assert not again.run_requests, cursor
    # A tick replayed before its partitions were added asks again with the same run keys, which the
    # daemon skips (a run_key already used by this sensor launches nothing).
    ctx = dg.build_sensor_context(instance=dg.DagsterInstance.ephemeral(), cursor=None, resources={"paths": paths})
    replay = new_document_sensor(ctx)
    assert {r.run_key for r in replay.run_requests} == {r.run_key for r in first.run_requests}


def test_sensor_survives_a_missing_raw_folder_and_a_file_vanishing(env, monkeypatch):
    raw, _, instance, paths = env
    ghost = BudgetPaths(warehouse_path=paths.warehouse_path, raw_dir=str(raw / "does-not-exist"))
    assert not tick(instance, ghost, None).run_requests

    real = sensor_module.describe

    def vanish(path):
        if path.name == KEQIAO2020.name:
            path.unlink()
        return real(path)

    monkeypatch.setattr(sensor_module, "describe", vanish)
    result = tick(instance, paths, None)
    assert [r.run_key for r in result.run_requests] == [sha(JIAXING)]
    assert KEQIAO2020.name not in json.loads(result.cursor)["files"]


def test_sensor_run_request_runs_the_ingest_job(env):
    _, warehouse, instance, paths = env
    from assets.definitions import defs

    sensor_def = defs.resolve_sensor_def("new_document_sensor")
    assert sensor_def.default_status == dg.DefaultSensorStatus.RUNNING
    assert sensor_def.job_name == "ingest_documents"
    (req,) = [r for r in tick(instance, paths, None).run_requests if r.run_key == sha(KEQIAO2020)]  # the small one
    assert req.tags["budget/document"] == sha(KEQIAO2020) and requested_files(req) == [KEQIAO2020.name]
    result = defs.resolve_job_def(sensor_def.job_name).execute_in_process(
        run_config={**req.run_config, **QUIET}, instance=instance, tags=req.tags)
    assert result.success
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT document_id, status FROM dim_document").fetchall() == [(req.run_key, "loaded")]
    finally:
        con.close()
    # The UI sees the document's partition materialized, and the classification too (on the first run).
    assert instance.get_materialized_partitions(dg.AssetKey(["warehouse", "fact_expenditure"])) == {req.run_key}
    assert instance.get_latest_materialization_event(dg.AssetKey(["warehouse", "dim_subject_code"])) is not None


def test_schedule_is_nightly_at_two_in_shanghai():
    from assets.definitions import defs

    schedule = defs.resolve_schedule_def("nightly_ingest_schedule")
    assert schedule.name == nightly_ingest_schedule.name
    assert schedule.cron_schedule == CRON == "0 2 * * *"
    assert schedule.execution_timezone == TIMEZONE == "Asia/Shanghai"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.job_name == NIGHTLY_JOB
    try:
        from dagster._utils.schedules import cron_string_iterator
    except ImportError:  # a private helper; the assertions above are the contract
        return
    start = datetime(2025, 6, 30, 12, 0, tzinfo=UTC).timestamp()
    ticks = cron_string_iterator(start, schedule.cron_schedule, schedule.execution_timezone)
    first, second = next(ticks), next(ticks)
    assert first.astimezone(UTC) == datetime(2025, 6, 30, 18, 0, tzinfo=UTC)  # 02:00 +08:00 on 1 July
    assert (first.hour, first.minute, str(first.tzinfo)) == (2, 0, "Asia/Shanghai")
    assert (second - first).total_seconds() == 24 * 3600


def test_schedule_requests_one_run_of_only_new_documents(env):
    raw, warehouse, instance, paths = env
    from assets.definitions import defs

    shutil.copy(KEQIAO2023, raw / "2024" / KEQIAO2023.name)
    shutil.copy(JIAXING, raw / "renamed-jiaxing.txt")  # a renamed copy: one document
    job = defs.resolve_job_def(NIGHTLY_JOB)
    # jiaxing was ingested already; keqiao2023 has a run in flight; keqiao2020 is new.
    instance.add_dynamic_partitions("documents", [sha(JIAXING)])
    instance.report_runless_asset_event(
        dg.AssetMaterialization(asset_key=dg.AssetKey(["warehouse", "dim_document"]), partition=sha(JIAXING)))
    instance.add_run(dg.DagsterRun(job_name="ingest_documents", status=dg.DagsterRunStatus.STARTED,
                                   tags={"budget/document": sha(KEQIAO2023)}))

    when = datetime(2025, 7, 1, 2, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    ctx = dg.build_schedule_context(instance=instance, scheduled_execution_time=when,
                                    repository_def=defs.get_repository_def(), resources={"paths": paths})
    (request,) = nightly_ingest_schedule.evaluate_tick(ctx).run_requests
    assert requested_files(request) == [KEQIAO2020.name]
    assert request.tags["budget/document"] == sha(KEQIAO2020)
    # New contents became partitions.
    assert set(instance.get_dynamic_partitions("documents")) == {sha(JIAXING), sha(KEQIAO2020), sha(KEQIAO2023)}

    # The request is a valid run of the job: the classification is loaded with the new document.
    result = job.execute_in_process(run_config={**request.run_config, **QUIET}, instance=instance, tags=request.tags)
    assert result.success
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM dim_subject_code").fetchone()[0] > 500
        assert con.execute("SELECT file_name, status FROM dim_document").fetchall() == [(KEQIAO2020.name, "loaded")]
    finally:
        con.close()

    # The next night: nothing new (keqiao2023 is still in flight), so no run.
    ctx = dg.build_schedule_context(instance=instance, scheduled_execution_time=when.replace(day=2),
                                    repository_def=defs.get_repository_def(), resources={"paths": paths})
    tick = nightly_ingest_schedule.evaluate_tick(ctx)
    assert not tick.run_requests and "loaded" in tick.skip_message


def test_the_console_script_records_its_run_in_the_instance_the_sensor_reads(env, monkeypatch, tmp_path):
    """`budget-etl ingest` (`make run`) records its run in DAGSTER_HOME, the instance of `dg dev`: the UI
    shows its run and each document's materializations, and the sensor and the schedule ask for no run
    of what it loaded (before, `make dev` after `make run` read every document again)."""
    raw, warehouse, instance, paths = env
    from assets.definitions import defs
    from assets.runner import ingest

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))  # the env fixture's instance
    runs = ingest([raw], warehouse, raw)
    assert sorted(r.status for r in runs) == ["loaded", "loaded"]
    (run,) = instance.get_runs()
    assert run.job_name == "ingest_documents" and run.status == dg.DagsterRunStatus.SUCCESS
    assert set(instance.get_dynamic_partitions("documents")) == {sha(JIAXING), sha(KEQIAO2020)}
    event = instance.get_latest_materialization_event(dg.AssetKey(["warehouse", "fact_expenditure"]))
    assert event.run_id == run.run_id and event.dagster_event.partition in {sha(JIAXING), sha(KEQIAO2020)}
    raw_event = instance.fetch_materializations(dg.AssetRecordsFilter(
        asset_key=dg.AssetKey("raw_document"), asset_partitions=[sha(JIAXING)]), limit=1).records[0]
    assert raw_event.asset_materialization.metadata["file_name"].value == JIAXING.name
    result = tick(instance, paths, None)
    assert result.run_requests == []

    shutil.copy(KEQIAO2023, raw / KEQIAO2023.name)  # then one new file: one run, for it alone
    (request,) = tick(instance, paths, result.cursor).run_requests
    assert requested_files(request) == [KEQIAO2023.name]

    when = datetime(2025, 7, 1, 2, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    ctx = dg.build_schedule_context(instance=instance, scheduled_execution_time=when,
                                    repository_def=defs.get_repository_def(), resources={"paths": paths})
    (nightly,) = nightly_ingest_schedule.evaluate_tick(ctx).run_requests
    assert requested_files(nightly) == [KEQIAO2023.name]  # not the two the console script loaded
