"""`make dev`: `dg dev` in a session of its own, stopped as a whole on Ctrl-C.

Started from a terminal, `dg dev` and everything it starts (webserver, daemon, code servers, the
workers of in-flight runs and their orphan watchers) share the terminal's process group, so Ctrl-C
reaches each of them at once: runs die mid-step, their helpers print KeyboardInterrupt tracebacks.
Here `dg dev` runs in a session of its own and a stop goes in order: in-flight runs are cancelled
through the instance (they show as Canceled; the nightly run picks up their documents), then `dg dev`
is asked to shut its services down, then whatever of its session is left is terminated.

    python -m assets.dev_server [-- COMMAND ...]    (default COMMAND: dg dev)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import dagster as dg

from assets.instance import shared_instance

GRACE_SECONDS = 20.0  # for cancelled runs to end, then for dg dev to stop its services
IN_FLIGHT = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]


def cancel_in_flight_runs(timeout: float = GRACE_SECONDS) -> int:
    """Cancel the runs the instance has in flight and wait for them to end; the number cancelled.
    Queued runs stay queued: the daemon launches them when it starts again."""
    instance = shared_instance()
    if instance is None:
        return 0
    try:
        runs = instance.get_runs(dg.RunsFilter(statuses=IN_FLIGHT))
        for run in runs:
            try:
                instance.run_launcher.terminate(run.run_id)
            except Exception as exc:  # noqa: BLE001 - its worker is stopped with the session below
                print(f"dev: run {run.run_id[:8]} could not be cancelled ({exc}); it is stopped with the rest")
        deadline = time.monotonic() + timeout
        while runs and time.monotonic() < deadline and instance.get_runs(
                dg.RunsFilter(run_ids=[r.run_id for r in runs], statuses=IN_FLIGHT)):
            time.sleep(0.5)
        return len(runs)
    finally:
        instance.dispose()


def _session_alive(sid: int) -> list[int]:
    """The processes of session ``sid`` still running (Linux: read from /proc)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == sid and (entry / "stat").read_text().split()[2] != "Z":
                    alive.append(int(entry.name))
            except (OSError, IndexError):
                continue
    return alive


def stop_session(sid: int, timeout: float = 5.0) -> None:
    """Terminate what is left of the session, then kill what still is after ``timeout``."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(sid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while _session_alive(sid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if not _session_alive(sid):
            return


def serve(command: list[str]) -> int:
    """Run ``command`` until it exits or this process is asked to stop; then stop it all."""
    proc = subprocess.Popen(command, start_new_session=True)
    stopping, cancelled = threading.Event(), 0
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stopping.set())
    while proc.poll() is None and not stopping.wait(0.5):
        pass
    if proc.poll() is None:
        print("\ndev: stopping: cancelling the runs in flight, then the UI and the daemon", flush=True)
        cancelled = cancel_in_flight_runs()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            pass
    stop_session(proc.pid)
    if stopping.is_set():
        print(f"dev: stopped ({cancelled} run(s) cancelled)", flush=True)
        return 0
    return proc.returncode


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    command = args[args.index("--") + 1:] if "--" in args else [str(Path(sys.executable).parent / "dg"), "dev", *args]
    return serve(command)


if __name__ == "__main__":
    sys.exit(main())
