"""DuckDB has one writer: the writing assets share a pool limited to 1, readers wait briefly then
say the warehouse is busy (never a traceback), and a reader during an ingest gets data or that message.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.warehouse.connect import WarehouseBusyError, open_reader, open_writer
from tests.conftest import TEXT

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "budget_cli"]
BUSY = "is being written by an ingest right now"

HOLDER = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])          # a read-write connection holds the file lock
    con.execute("CREATE TABLE IF NOT EXISTS _holder (a INTEGER)")
    print("ready", flush=True)
    time.sleep(float(sys.argv[2]))
    con.close()
    print("released", flush=True)
""")


def run_cli(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})), **kw)


def hold_write_lock(path: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


@pytest.fixture
def warehouse(tmp_path) -> Path:
    path = tmp_path / "w.duckdb"
    open_writer(path).close()  # the schema, no rows
    return path


def test_the_writing_assets_share_a_pool_limited_to_one(tmp_path, monkeypatch):
    import dagster as dg

    monkeypatch.setenv("BUDGET_WAREHOUSE", "unused.duckdb")
    monkeypatch.setenv("BUDGET_RAW_DIR", "unused")
    from assets.definitions import defs

    # Every step that writes DuckDB claims the pool: the ingest job's loader and the classification's asset.
    job = defs.resolve_job_def("ingest_documents")
    pools = {node.name: node.definition.pool for node in job.graph.node_dict.values()}
    assert pools == {"plan_documents": None, "read_documents": None, "check_suites": None,
                     "load_documents": "duckdb_writer"}
    graph = defs.resolve_asset_graph()
    assert graph.get(dg.AssetKey(["warehouse", "dim_subject_code"])).pools == {"duckdb_writer"}

    # The committed instance config (DAGSTER_HOME=dagster_home for `make dev`) limits every pool to 1.
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
        assert instance.event_log_storage.get_concurrency_info("duckdb_writer").limit == 1
    finally:
        instance.dispose()


def test_readers_wait_then_fail_with_a_clear_message_while_a_writer_holds_the_lock(warehouse):
    holder = hold_write_lock(warehouse, 30)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseBusyError, match=BUSY):
            open_reader(warehouse, wait_seconds=0.5)
        assert 0.4 < time.monotonic() - started < 5
        # Both read commands at once: each waits its few seconds, then says why, exit 1, no traceback.
        procs = [subprocess.Popen([*CLI, *args, "--warehouse", str(warehouse)], cwd=ROOT, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env=dict(os.environ, PYTHONPATH=str(ROOT)))
                 for args in (["sql", "SELECT count(*) FROM dim_document"], ["report"])]
        for proc in procs:
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 1, err
            assert out == ""
            assert err.startswith(f"error: The warehouse {warehouse} {BUSY}"), err
            assert "try again when it is done" in err
            assert "Traceback" not in err
    finally:
        holder.kill()
        holder.wait()


def test_a_reader_waits_out_a_brief_write(warehouse):
    holder = hold_write_lock(warehouse, 1.0)
    try:
        started = time.monotonic()
        result = run_cli("sql", "SELECT count(*) AS n FROM dim_document", "--warehouse", str(warehouse),
                         "--format", "csv")
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == ["n", "0"]
        assert time.monotonic() - started > 0.5  # it had to wait for the writer
    finally:
        holder.kill()
        holder.wait()


def test_sql_cannot_write(warehouse):
    result = run_cli("sql", "DELETE FROM dim_document", "--warehouse", str(warehouse))
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "read-only" in result.stderr.lower()
    assert "Traceback" not in result.stderr


SLOW_LOAD_CHILD = textwrap.dedent("""
    import os, sys, time
    import pipeline.warehouse.load as load
    import budget_cli.main as cli

    real_insert = load._insert

    def slow_insert(con, table, df):
        n = real_insert(con, table, df)
        if table == "dim_document":  # inside a document's transaction, holding the write lock
            open(os.environ["LOAD_MARKER"], "a").write("loading\\n")
            time.sleep(1.5)
        return n

    load._insert = slow_insert
    sys.exit(cli.main(sys.argv[1:]))
""")


def test_reading_while_an_ingest_runs_gets_data_or_the_busy_message(warehouse, tmp_path):
    """Readers start once the first document's load holds the write lock (held 1.5 s per document
    here, a load that would otherwise take milliseconds): they wait, then see committed data, or
    give up with the busy message."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("jiaxing-npc-office-2024.txt", "keqiao-npc-office-2020-performance.txt"):
        shutil.copy(TEXT / name, raw / name)
    marker = tmp_path / "loading"
    env = dict(os.environ, PYTHONPATH=str(ROOT), BUDGET_RAW_DIR=str(raw), LOAD_MARKER=str(marker))
    ingest = subprocess.Popen([sys.executable, "-c", SLOW_LOAD_CHILD, "ingest", str(raw), "--warehouse",
                               str(warehouse), "--workers", "1"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    outcomes: list[tuple[float, int, str, str]] = []
    try:
        deadline = time.monotonic() + 180
        while not marker.exists() and ingest.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the ingest never started loading a document"
        while ingest.poll() is None and time.monotonic() < deadline:
            started = time.monotonic()
            r = run_cli("sql", "SELECT count(*) AS n FROM fact_expenditure", "--warehouse", str(warehouse),
                        "--format", "csv")
            outcomes.append((time.monotonic() - started, r.returncode, r.stdout, r.stderr))
            time.sleep(0.25)  # leave the CPU to the ingest
        out, err = ingest.communicate(timeout=120)
    finally:
        if ingest.poll() is None:
            ingest.kill()
            ingest.wait()

    assert outcomes, "the ingest finished before any reader ran"
    counts = []
    for _, rc, stdout, stderr in outcomes:
        assert "Traceback" not in stderr
        if rc == 0:
            header, n = stdout.splitlines()
            assert header == "n"
            counts.append(int(n))
        else:
            assert rc == 1 and stderr.startswith("error: ") and BUSY in stderr, stderr
    assert counts, outcomes
    assert counts == sorted(counts)  # readers only ever see committed documents, in load order
    assert outcomes[0][0] > 0.3  # the first reader met the held lock and waited for the commit

    # The writer waits for brief readers, so every document loads, and each loaded one is complete.
    assert ingest.returncode == 0, err[-3000:]
    loaded = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in re.finditer(
        r"^loaded .*\((\S+), (\d+) facts, (\d+) indicators\)$", out, re.M)}
    assert loaded
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for file_name, counts in loaded.items():
            n = con.execute(
                "SELECT (SELECT count(*) FROM fact_expenditure f WHERE f.document_id = d.document_id)"
                " + (SELECT count(*) FROM fact_income f WHERE f.document_id = d.document_id),"
                " (SELECT count(*) FROM fact_performance_indicator f WHERE f.document_id = d.document_id)"
                " FROM dim_document d WHERE file_name = ?", [file_name]).fetchone()
            assert n == counts, file_name
    finally:
        con.close()


def test_an_ingest_waits_for_a_brief_reader(tmp_path):
    """A `budget-etl sql` holding a read lock for a moment must not fail a document's load."""
    wh = tmp_path / "w.duckdb"
    open_writer(wh).close()
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(TEXT / "jiaxing-npc-office-2024.txt", raw)
    reader = subprocess.Popen(
        [sys.executable, "-c", "import sys, time, duckdb; c = duckdb.connect(sys.argv[1], read_only=True); "
         "print('ready', flush=True); time.sleep(2)", str(wh)], stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "ready"
        from assets.runner import ingest

        runs = ingest([raw], wh, raw)
    finally:
        reader.kill()
        reader.wait()
    assert [r.status for r in runs] == ["loaded"]
