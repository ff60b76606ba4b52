"""A load killed mid-transaction leaves the warehouse exactly as it was.

One test runs an ingest in a child process and SIGKILLs it inside replace_document's transaction;
the other kills a loop of replace_document calls at random points. Each time the warehouse must
reopen with the rows it had before.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import TEXT
from tests.warehouse_snapshot import snapshot

ROOT = Path(__file__).resolve().parents[1]


KILL_DOCS = ("jiaxing-npc-office-2024", "pingxiang-county-npc-2023", "keqiao-npc-office-2020-performance")
FRAME_TABLES = ("dim_document", "dim_unit", "dim_unit_alias", "fact_expenditure", "fact_income",
                "fact_performance_indicator")

CLI_CHILD = textwrap.dedent("""
    import os, sys, time
    import pipeline.warehouse.load as load
    import budget_cli.main as cli

    real_insert = load._insert
    marker = os.environ["KILL_TEST_MARKER"]

    def slow_insert(con, table, df):
        n = real_insert(con, table, df)
        if table == "fact_expenditure" and df.height:
            # Inside replace_document's transaction: the old rows are deleted, new ones half written.
            open(marker, "a").write(table + "\\n")
            time.sleep(60)
        return n

    load._insert = slow_insert
    sys.exit(cli.main(sys.argv[1:]))
""")

LOAD_CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    import polars as pl
    from pipeline.warehouse.connect import open_writer
    from pipeline.warehouse.load import replace_document

    warehouse, frames_dir, marker = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    docs = sorted(d for d in frames_dir.iterdir() if d.is_dir())
    con = open_writer(warehouse)
    marker.write_text("open")
    while True:  # re-load the same documents until killed: every commit leaves the same state
        for d in docs:
            replace_document(con, d.name, {f.stem: pl.read_parquet(f) for f in d.glob("*.parquet")})
""")


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _wait_for(marker: Path, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, f"the child exited ({proc.returncode}) before {what}"
        assert time.monotonic() < deadline, f"the child never reached {what}"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> tuple[Path, Path, Path]:
    """Three disclosures (three departments: no shared unit alias, so re-loading any of them in any
    order changes nothing) loaded into a warehouse; their raw folder and per-document frames."""
    from ingest_steps import read_file

    from pipeline.quality.runner import validate_reference
    from pipeline.reference.classification import load_subject_codes
    from pipeline.warehouse.connect import open_writer
    from pipeline.warehouse.load import load_subject_dimension, replace_document

    base = tmp_path_factory.mktemp("kill")
    raw, frames_dir, wh = base / "raw", base / "frames", base / "w.duckdb"
    raw.mkdir()
    con = open_writer(wh)
    try:
        # As the ingest's reference step does: the classification with its suite's outcomes.
        load_subject_dimension(con, validate_reference(load_subject_codes(), "fixture"))
        for stem in KILL_DOCS:
            shutil.copy(TEXT / f"{stem}.txt", raw / f"{stem}.txt")
            outcome = read_file(raw / f"{stem}.txt")
            assert outcome.status == "loaded", outcome.reason
            frames = {t: outcome.frames.table(t) for t in FRAME_TABLES}
            replace_document(con, outcome.raw.document_id, frames)
            (frames_dir / outcome.raw.document_id).mkdir(parents=True)
            for t, df in frames.items():
                df.write_parquet(frames_dir / outcome.raw.document_id / f"{t}.parquet")
    finally:
        con.close()
    return raw, frames_dir, wh


def test_ingest_killed_inside_replace_document_leaves_the_warehouse_as_it_was(loaded, tmp_path):
    raw, _, original = loaded
    wh = tmp_path / "w.duckdb"
    shutil.copy(original, wh)
    before = snapshot(wh)
    marker = tmp_path / "in-transaction"
    env = dict(os.environ, KILL_TEST_MARKER=str(marker), BUDGET_RAW_DIR=str(raw), PYTHONPATH=str(ROOT))
    # --force: the documents are loaded already, and only a re-read replaces them.
    proc = subprocess.Popen([sys.executable, "-c", CLI_CHILD, "ingest", str(raw), "--warehouse", str(wh), "--force",
                             "--workers", "1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        _wait_for(marker, proc, "replace_document")
    finally:
        _kill(proc)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(wh) == before  # the half-done replacement is rolled back when DuckDB reopens the file


def test_load_killed_at_random_points_never_leaves_a_document_half_replaced(loaded, tmp_path):
    _, frames_dir, original = loaded
    wh = tmp_path / "w.duckdb"
    shutil.copy(original, wh)
    before = snapshot(wh)
    rng = random.Random(20240601)
    for i in range(6):
        marker = tmp_path / f"open-{i}"
        proc = subprocess.Popen([sys.executable, "-c", LOAD_CHILD, str(wh), str(frames_dir), str(marker)],
                                cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for(marker, proc, "the load loop")
            time.sleep(rng.uniform(0.05, 1.0))
        finally:
            _kill(proc)
        assert proc.returncode == -signal.SIGKILL, f"kill #{i}: the load loop ended on its own"
        assert snapshot(wh) == before, f"kill #{i} changed the warehouse"
