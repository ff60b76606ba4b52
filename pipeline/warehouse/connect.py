"""Opening the DuckDB warehouse: one writer, readers read-only and brief.

DuckDB lets one process write a database file. A reader that finds the file locked waits a
little (an ingest's load is short), then fails with a sentence, never a traceback.
"""

from __future__ import annotations

import time
from importlib.resources import files
from pathlib import Path

import duckdb


class WarehouseBusyError(RuntimeError):
    """Another process holds the warehouse's write lock."""


class WarehouseMissingError(RuntimeError):
    """No warehouse file at the given path."""


def ddl() -> str:
    return files("pipeline.warehouse").joinpath("ddl.sql").read_text(encoding="utf-8")


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used" in text


def _connect_waiting(path: Path, read_only: bool, wait_seconds: float, busy: str) -> duckdb.DuckDBPyConnection:
    """Connect, retrying while another process holds the file's lock; WarehouseBusyError(busy) after."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusyError(busy) from exc
            time.sleep(0.2)


def open_writer(path: Path, wait_seconds: float = 60.0) -> duckdb.DuckDBPyConnection:
    """A read-write connection with the schema in place.

    Readers hold the file only briefly (``budget-etl sql``, the UI); the writer waits for them
    up to ``wait_seconds`` before it gives up with WarehouseBusyError.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect_waiting(
        path, False, wait_seconds,
        f"The warehouse {path} is locked by another process (an ingest, or a reader that has "
        f"kept it open for over {wait_seconds:.0f}s). Wait for it to finish, then run again.",
    )
    con.execute(ddl())
    return con


def open_reader(path: Path, wait_seconds: float = 5.0) -> duckdb.DuckDBPyConnection:
    """A read-only connection; waits up to wait_seconds while a writer holds the lock."""
    if not path.exists():
        raise WarehouseMissingError(
            f"No warehouse at {path}. Run `budget-etl ingest` (or `make run`) first, or pass --warehouse."
        )
    return _connect_waiting(
        path, True, wait_seconds,
        f"The warehouse {path} is being written by an ingest right now (DuckDB allows one "
        f"writer and no readers meanwhile). Waited {wait_seconds:.0f}s; try again when it is done.",
    )
