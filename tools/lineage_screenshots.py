"""Draw the Dagster UI's lineage of a loaded warehouse into docs/img/ (for the README, checked by eye).

    .venv/bin/python tools/lineage_screenshots.py [OUT_DIR]

Loads the seed disclosures (tests/fixtures/text) with the console script into a throwaway Dagster
instance and warehouse, serves that instance with `dagster dev` on a free port, and has Debian's
headless chromium draw the global asset lineage and one stage's partitions. Nothing of the checkout's
own instance or warehouse is touched. Needs chromium (`make system-deps`).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PAGES = {  # file name → the UI's path
    "lineage.png": "/asset-groups",
    "normalised-frames-partitions.png": "/assets/normalised_frames?view=partitions",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"dagster dev did not answer at {url} within {seconds:.0f}s")


def _draw(chromium: str, url: str, out: Path, profile: Path) -> None:
    # The UI is a single-page app: chromium waits for it to fetch and lay out the graph.
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--user-data-dir={profile}", "--virtual-time-budget=20000", f"--screenshot={out}",
                    "--window-size=1600,1000", url], check=True, capture_output=True, timeout=180)


def main(out_dir: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is not installed (`make system-deps` installs it)")
    out_dir.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp(prefix="budget-etl-screenshots-"))
    home = base / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    env = dict(os.environ, DAGSTER_HOME=str(home), BUDGET_WAREHOUSE=str(base / "budget.duckdb"),
               BUDGET_RAW_DIR=str(ROOT / "tests" / "fixtures" / "text"), DAGSTER_DISABLE_TELEMETRY="1")
    subprocess.run([str(BIN / "budget-etl"), "ingest", str(ROOT / "tests" / "fixtures" / "text"),
                    "--warehouse", str(base / "budget.duckdb")], env=env, check=True)
    port = _free_port()
    server = subprocess.Popen([str(BIN / "dagster"), "dev", "-w", str(ROOT / "workspace.yaml"),
                               "-h", "127.0.0.1", "-p", str(port)], cwd=base, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for(f"http://127.0.0.1:{port}/server_info", 120)
        time.sleep(10)  # the code location loads after the server answers
        for name, path in PAGES.items():
            _draw(chromium, f"http://127.0.0.1:{port}{path}", out_dir / name, base / "chromium-profile")
            print(out_dir / name)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img")
