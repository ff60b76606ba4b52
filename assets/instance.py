"""The one Dagster instance the console script, the sensor, the schedule and `dg dev` share.

``DAGSTER_HOME`` when it is set, else the project's ``dagster_home/`` (the folder `make dev`
uses), so a run of ``budget-etl ingest`` shows in the UI with its materializations and checks.
An installed copy without that folder (and no ``DAGSTER_HOME``) has no instance to share: its
runs then go to a temporary one, as a library call would.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
from dagster._core.instance.ref import InstanceRef

PROJECT_HOME = Path(__file__).resolve().parents[1] / "dagster_home"
CONFIG = "dagster.yaml"
# The executors log each step's start through Dagster's console logger at the instance's python
# log level, whatever the run's logger config says: the console script shows progress itself.
QUIET_PYTHON_LOGS = {"python_logs": {"python_log_level": "WARNING"}}


def shared_home() -> Path | None:
    """Where the shared instance lives, or None when there is none to share."""
    configured = os.environ.get("DAGSTER_HOME")
    if configured:
        return Path(configured)
    return PROJECT_HOME if (PROJECT_HOME / CONFIG).is_file() else None


def shared_instance() -> dg.DagsterInstance | None:
    """The shared instance, quiet on the console; None without one. A new home gets the project's
    dagster.yaml (the one-writer pool limit, no telemetry)."""
    home = shared_home()
    if home is None:
        return None
    home.mkdir(parents=True, exist_ok=True)
    if not (home / CONFIG).exists() and (PROJECT_HOME / CONFIG).is_file():
        shutil.copyfile(PROJECT_HOME / CONFIG, home / CONFIG)
    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home.absolute()), overrides=QUIET_PYTHON_LOGS))
