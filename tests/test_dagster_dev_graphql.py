"""Lineage: the asset graph the definitions declare, and the one `dagster dev` serves over GraphQL.

The GraphQL tests start `dagster dev` as `make dev` does (workspace.yaml, the committed instance
config in dagster_home/dagster.yaml), bound to 127.0.0.1 on a free port, with DAGSTER_HOME and the
warehouse and raw folder in a temporary directory. It runs from that directory, so the repository's
`.env` (which `dagster dev` loads from its working directory and which would win over the
environment) does not point the sensor at data/raw. They run in `make test`; when `dagster dev`
cannot start (no executable, no free port, too slow: 90 s) they skip with the reason. A code location
that fails to load is a failure, not a skip. The process group is stopped at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 90
FRAME_TABLES = ("dim_document", "dim_unit", "dim_unit_alias", "fact_expenditure", "fact_income",
                "fact_performance_indicator")
WAREHOUSE_TABLES = (*FRAME_TABLES, "dim_subject_code", "dq_check_result")


def declared_graph(monkeypatch) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """{asset: its upstream assets} and {asset: its check names}, from the definitions."""
    monkeypatch.setenv("BUDGET_WAREHOUSE", "unused.duckdb")
    monkeypatch.setenv("BUDGET_RAW_DIR", "unused")
    from assets.definitions import defs

    graph = defs.resolve_asset_graph()
    parents = {k.to_user_string(): {p.to_user_string() for p in graph.get(k).parent_keys}
               for k in graph.get_all_asset_keys()}
    checks: dict[str, set[str]] = {k: set() for k in parents}
    for check_key in graph.asset_check_keys:
        checks[check_key.asset_key.to_user_string()].add(check_key.name)
    return parents, checks


def test_each_warehouse_table_has_the_intended_upstream_assets(monkeypatch):
    parents, _ = declared_graph(monkeypatch)
    from pipeline.schema import SCHEMAS

    assert {k for k in parents if k.startswith("warehouse/")} == {f"warehouse/{t}" for t in SCHEMAS}
    # The ingest job's loading step materializes each document table from the document's file; the
    # facts are coded against the classification.
    for t in ("dim_document", "dim_unit", "dim_unit_alias", "dq_check_result"):
        assert parents[f"warehouse/{t}"] == {"normalised_frames"}, t
    for t in ("fact_expenditure", "fact_income", "fact_performance_indicator"):
        assert parents[f"warehouse/{t}"] == {"normalised_frames", "warehouse/dim_subject_code"}, t
    assert parents["normalised_frames"] == {"extracted_tables"}
    assert parents["extracted_tables"] == {"raw_document"}
    assert parents["warehouse/dim_subject_code"] == set()
    assert parents["raw_document"] == set()


def test_each_check_is_attached_to_its_table(monkeypatch):
    _, checks = declared_graph(monkeypatch)
    try:
        from assets.checks import check_specs, reference_check_spec
    except ImportError:
        pytest.skip("assets/checks.py does not exist yet")
    expected: dict[str, set[str]] = {}
    for spec in [*check_specs(), reference_check_spec()]:
        expected.setdefault(spec.asset_key.to_user_string(), set()).add(spec.name)
    assert {k: v for k, v in checks.items() if v} == expected
    assert set(expected) <= {f"warehouse/{t}" for t in WAREHOUSE_TABLES}  # checks sit on warehouse tables
    for table in ("dim_document", "dim_unit", "dim_subject_code", "fact_expenditure", "fact_income",
                  "fact_performance_indicator"):
        assert "schema_and_domain" in checks[f"warehouse/{table}"], table


# --- dagster dev ---------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, raw: Path, log: Path):
        self.url, self.raw, self.log = url, raw, log

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        req = urllib.request.Request(f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            payload = json.load(resp)
        assert "errors" not in payload, payload["errors"]
        return payload["data"]

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def _stop(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGINT, 15), (signal.SIGKILL, 10)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    try:  # children (webserver, daemon, code server) share the group: make sure none is left
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if proc.poll() is None:
        proc.wait(timeout=10)


LOCATION_QUERY = """
{ workspaceOrError { ... on Workspace { locationEntries { name
    locationOrLoadError {
      __typename
      ... on PythonError { message }
      ... on RepositoryLocation { repositories { name
          jobs { name }
          sensors { name minIntervalSeconds sensorState { status } }
          schedules { name cronSchedule executionTimezone scheduleState { status } } } }
    } } } } }
"""


@pytest.fixture(scope="module")
def dagster_dev(tmp_path_factory):
    # `make dev` runs `dg dev`, which serves the same definitions (pyproject's [tool.dg]) but starts in the
    # checkout, where .env's paths win over the environment: the test needs its own raw folder and
    # warehouse, so it starts `dagster dev` on workspace.yaml from a temporary folder.
    exe = Path(sys.executable).parent / "dagster"
    if not exe.exists():
        pytest.skip(f"dagster dev cannot start: no {exe}")
    pytest.importorskip("dagster_webserver", reason="dagster dev cannot start: dagster-webserver is not installed")
    base = tmp_path_factory.mktemp("dagster_dev")
    home, raw, log = base / "dagster_home", base / "raw", base / "dagster-dev.log"
    home.mkdir()
    raw.mkdir()
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    port = _free_port()
    env = dict(os.environ, DAGSTER_HOME=str(home), BUDGET_WAREHOUSE=str(base / "warehouse" / "budget.duckdb"),
               BUDGET_RAW_DIR=str(raw), DAGSTER_DISABLE_TELEMETRY="1")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(exe), "dev", "-w", str(ROOT / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(port)],
            cwd=base, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, stopped as a whole
        )
    server = Server(f"http://127.0.0.1:{port}", raw, log)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        location = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.skip(f"dagster dev exited with {proc.returncode} before serving:\n{server.log_tail()}")
            try:
                entries = server.graphql(LOCATION_QUERY)["workspaceOrError"]["locationEntries"]
            except (urllib.error.URLError, ConnectionError, TimeoutError, AssertionError):
                entries = []
            if entries and entries[0]["locationOrLoadError"]:
                location = entries[0]["locationOrLoadError"]
                break
            time.sleep(1)
        if location is None:
            pytest.skip(f"dagster dev did not serve within {STARTUP_SECONDS}s:\n{server.log_tail()}")
        assert location["__typename"] == "RepositoryLocation", location  # a load error is our bug
        server.location = location
        yield server
    finally:
        _stop(proc)


ASSET_QUERY = """
{ assetNodes { assetKey { path } dependencyKeys { path } groupName
    partitionDefinition { name } pools
    assetChecksOrError { ... on AssetChecks { checks { name } } } } }
"""


def test_served_asset_graph_is_the_declared_one(dagster_dev, monkeypatch):
    nodes = dagster_dev.graphql(ASSET_QUERY)["assetNodes"]
    served = {"/".join(n["assetKey"]["path"]): {"/".join(d["path"]) for d in n["dependencyKeys"]} for n in nodes}
    served_checks = {"/".join(n["assetKey"]["path"]): {c["name"] for c in n["assetChecksOrError"].get("checks", [])}
                     for n in nodes}
    parents, checks = declared_graph(monkeypatch)
    assert served == parents
    assert served_checks == checks
    for n in nodes:
        key = "/".join(n["assetKey"]["path"])
        assert n["groupName"] == "budget"
        assert (n["partitionDefinition"] or {}).get("name") == (
            None if key == "warehouse/dim_subject_code" else "documents"), key
        # The document tables are written by the ingest job's loader (whose op claims the pool, see
        # test_concurrency); the classification's own asset claims it too.
        assert (set(n["pools"]) == {"duckdb_writer"}) == (key == "warehouse/dim_subject_code"), key


def test_sensor_and_schedule_are_on_and_the_pool_limit_is_one(dagster_dev):
    (repo,) = dagster_dev.location["repositories"]
    assert {"ingest_documents", "load_reference"} <= {j["name"] for j in repo["jobs"]}
    assert repo["sensors"] == [{"name": "new_document_sensor", "minIntervalSeconds": 30,
                                "sensorState": {"status": "RUNNING"}}]
    assert repo["schedules"] == [{"name": "nightly_ingest_schedule", "cronSchedule": "0 2 * * *",
                                  "executionTimezone": "Asia/Shanghai", "scheduleState": {"status": "RUNNING"}}]
    # The committed instance config opens the UI without the first-run community dialog.
    assert dagster_dev.graphql("{ shouldShowNux }")["shouldShowNux"] is False
    instance = dagster_dev.graphql("{ instance { poolConfig { defaultPoolLimit } "
                                   "concurrencyLimit(concurrencyKey: \"duckdb_writer\") { limit } } }")["instance"]
    assert instance["poolConfig"]["defaultPoolLimit"] == 1
    assert instance["concurrencyLimit"]["limit"] == 1

    # The daemon evaluates the sensor on the temporary raw folder (empty: a skipped tick, no run).
    query = """
    query ($s: SensorSelector!) { sensorOrError(sensorSelector: $s) {
        ... on Sensor { sensorState { ticks(limit: 5) { status skipReason } } } } }"""
    selector = {"repositoryLocationName": "assets.definitions", "repositoryName": repo["name"],
                "sensorName": "new_document_sensor"}
    deadline = time.monotonic() + 45
    ticks: list = []
    while time.monotonic() < deadline:
        ticks = dagster_dev.graphql(query, {"s": selector})["sensorOrError"]["sensorState"]["ticks"]
        if ticks:
            break
        time.sleep(1)
    if not ticks:
        pytest.skip(f"the daemon did not tick the sensor within 45 s:\n{dagster_dev.log_tail()}")
    assert ticks[0]["status"] == "SKIPPED", ticks
    assert f"No new content in {dagster_dev.raw}" in ticks[0]["skipReason"]
