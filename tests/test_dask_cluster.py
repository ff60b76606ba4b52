"""The ingest on a Dask cluster (dagster-dask): a scheduler and two workers on 127.0.0.1, started
from the project's environment, give the same warehouse rows as a run in one process."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import TEXT

pytestmark = pytest.mark.slow  # a Dask cluster and two ingests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TABLES = {
    "dim_document": "document_id, file_name, title, fiscal_year, status, status_reason, document_kind",
    "fact_expenditure": "fact_id, document_id, subject_code, measure, stage, amount_yuan, page, row_role",
    "fact_income": "fact_id, document_id, line_item, measure, amount_yuan",
    "fact_performance_indicator": "indicator_id, document_id, indicator_name, target_text",
    "dq_check_result": "document_id, check_name, severity, success, observed, expected, details",
    "dim_subject_code": "subject_code, subject_name",
}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_workers(address: str, count: int, timeout: float = 60) -> None:
    from distributed import Client

    with Client(address, timeout=timeout) as client:
        client.wait_for_workers(count, timeout=timeout)


@pytest.fixture
def cluster(tmp_path):
    """``dask scheduler`` and two ``dask worker`` processes; the workers import the project."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        time.sleep(1)
        procs += [subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-dashboard",
                                    "--local-directory", str(tmp_path / f"worker{i}")], env=env, cwd=tmp_path,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in range(2)]
        _wait_for_workers(address, 2)
        yield address
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def rows(warehouse: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: sorted(con.execute(f"SELECT {cols} FROM {t}").fetchall(), key=repr) for t, cols in TABLES.items()}
    finally:
        con.close()


def ingest(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budget_cli", "ingest", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env=dict(os.environ, PYTHONPATH=str(ROOT)))


def test_a_dask_cluster_ingest_equals_a_local_one(cluster, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("jiaxing-npc-office-2024.txt", "keqiao-npc-office-2023.txt", "pingxiang-county-npc-2023.txt"):
        shutil.copy(TEXT / name, raw / name)
    (raw / "empty.txt").write_text("", encoding="utf-8")  # quarantined on the cluster as anywhere

    local = ingest(str(raw), "--warehouse", str(tmp_path / "local.duckdb"), "--workers", "1", cwd=tmp_path)
    assert local.returncode == 2, local.stderr
    staging = tmp_path / "shared-staging"
    remote = ingest(str(raw), "--warehouse", str(tmp_path / "dask.duckdb"), "--dask-scheduler", cluster,
                    "--staging-dir", str(staging), cwd=tmp_path)
    assert remote.returncode == 2, remote.stderr
    assert "4 documents: 3 loaded, 0 unchanged, 1 quarantined, 0 failed" in remote.stdout

    here, there = rows(tmp_path / "local.duckdb"), rows(tmp_path / "dask.duckdb")
    for table in TABLES:
        assert there[table] == here[table], table
    assert len(there["fact_expenditure"]) > 500
    # The staging folder the workers and the loader shared is empty again once everything is loaded.
    assert not [p for p in staging.rglob("*") if p.is_file()]
