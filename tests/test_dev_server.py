"""`make dev` stops cleanly on Ctrl-C: the runs in flight cancelled, every process gone, no traceback.

The UI is started as `make dev` starts it (assets/dev_server.py), in a pseudo-terminal so that Ctrl-C
is what a person's terminal sends: SIGINT to the foreground process group. It serves `dagster dev` on
workspace.yaml from a temporary folder (as tests/test_dagster_dev_graphql.py does, so the checkout's
`.env` does not point the sensor at data/raw), with the seed PDFs in its raw folder: the sensor
launches their runs, and the test presses Ctrl-C while one is running.
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import socket
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

ROOT = Path(__file__).resolve().parents[1]
PDFS = ROOT / "tests" / "fixtures" / "pdf"
IN_FLIGHT = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Terminal:
    """A command in a pseudo-terminal, its output collected."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str]):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the command, as from a shell in a terminal
            os.chdir(cwd)
            os.execvpe(command[0], command, env)
        self.output = b""

    def read(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:  # the terminal closed: the command ended
                    return

    def wait(self, seconds: float) -> int | None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.read(0.5)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.read(0.5)
                return os.waitstatus_to_exitcode(status)
        return None

    def text(self) -> str:
        return self.output.decode(errors="replace")


def _processes_naming(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(f"{entry.name}: {cmdline[:160]}")
    return found


@pytest.mark.slow
def test_ctrl_c_cancels_the_runs_in_flight_and_leaves_no_process(tmp_path):
    if not (Path(sys.executable).parent / "dagster").exists():
        pytest.skip("dagster dev cannot start: no dagster executable")
    home, raw = tmp_path / "dagster_home", tmp_path / "raw"
    home.mkdir()
    raw.mkdir()
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    for pdf in sorted(PDFS.glob("*.pdf"))[:5]:
        shutil.copy(pdf, raw / pdf.name)
    env = dict(os.environ, DAGSTER_HOME=str(home), BUDGET_WAREHOUSE=str(tmp_path / "wh" / "budget.duckdb"),
               BUDGET_RAW_DIR=str(raw), DAGSTER_DISABLE_TELEMETRY="1")
    command = [sys.executable, "-m", "assets.dev_server", "--", str(Path(sys.executable).parent / "dagster"),
               "dev", "-w", str(ROOT / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(_free_port())]
    terminal = Terminal(command, tmp_path, env)
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        deadline = time.monotonic() + 120
        while not instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]), limit=1):
            terminal.read(0.5)
            if time.monotonic() > deadline:
                pytest.skip(f"no run started within 120 s:\n{terminal.text()[-2000:]}")
        os.write(terminal.fd, b"\x03")  # Ctrl-C
        status = terminal.wait(90)
        output = terminal.text()
        assert status == 0, output[-3000:]
        assert "Traceback" not in output, output[-3000:]
        assert "dev: stopped (" in output and "dev: stopped (0 run(s)" not in output, output[-2000:]
        assert _processes_naming(str(home)) == []  # webserver, daemon, code servers, run workers: all gone
        assert instance.get_runs(dg.RunsFilter(statuses=IN_FLIGHT)) == []
        assert instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.CANCELED]))
    finally:
        instance.dispose()
        try:  # a failed test leaves no launcher behind (its own stop then ends the rest)
            os.kill(terminal.pid, 15)
        except ProcessLookupError:
            pass
