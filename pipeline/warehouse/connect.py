"""Opening the DuckDB warehouse: one writer, readers read-only and brief.

DuckDB lets one process write a database file. A reader that finds the file locked waits a
little (an ingest's load is short), then fails with a sentence, never a traceback.

Readers are read-only in the full sense the contract promises: besides ``read_only``, DuckDB's
external access is off (no COPY TO, ATTACH, INSTALL/LOAD, read_csv/read_text of other files) and
the configuration is locked so a query cannot switch it back on.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from importlib.resources import files
from pathlib import Path

import duckdb

from pipeline.schema import CELL_KEY, FACT_TABLES, SCHEMAS


class WarehouseError(RuntimeError):
    """The warehouse cannot be opened; the message is a sentence for the user."""


class WarehouseBusyError(WarehouseError):
    """Another process holds the warehouse's write lock."""


class WarehouseMissingError(WarehouseError):
    """No warehouse file at the given path."""


class WarehouseInvalidError(WarehouseError):
    """The path is a folder or a file that is not a DuckDB database."""


# DuckDB 2.0 names (checked against duckdb_settings()). DuckDB refuses to switch external access
# back on while the database runs; the lock also keeps a query from changing any other setting
# (threads, memory limit, temp directory), as the DuckDB docs advise for untrusted SQL.
READER_CONFIG: dict[str, object] = {"enable_external_access": False, "lock_configuration": True}
# A DuckDB file has this magic at byte 8 of its first block.
_DUCKDB_MAGIC = b"DUCK"

log = logging.getLogger(__name__)


def cell_key_sql(columns: Iterable[str] | None = None) -> str:
    """pipeline.schema.CELL_KEY as SQL expressions (of ``columns`` only, for a file written before some
    existed): COALESCE makes a NULL fund one value, as the key means it."""
    present = CELL_KEY if columns is None else [c for c in CELL_KEY if c in set(columns)]
    return ", ".join("COALESCE(fund_source, '')" if c == "fund_source" else c for c in present)


# The schema, then the views that read across documents (the disclosure summary).
_SQL_FILES = ("ddl.sql", "summary.sql")


def ddl() -> str:
    return "\n".join(files("pipeline.warehouse").joinpath(name).read_text(encoding="utf-8") for name in _SQL_FILES)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used" in text


def _connect_waiting(path: Path, read_only: bool, wait_seconds: float, busy: str,
                     connect: Callable[[], duckdb.DuckDBPyConnection] | None = None) -> duckdb.DuckDBPyConnection:
    """Connect, retrying while another process holds the file's lock; WarehouseBusyError(busy) after."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return connect() if connect else duckdb.connect(str(path), read_only=read_only)
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
    if _is_current(con):
        # DuckDB refuses to alter a table an index depends on, and there is nothing to upgrade.
        con.execute(_UPGRADE.sub("", ddl()))
    else:
        # An index left from a half-upgraded file (the other table's held duplicate cells) would block the
        # upgrade's ALTERs: it is dropped and made again after them.
        for table in FACT_TABLES:
            con.execute(f"DROP INDEX IF EXISTS {table}_one_cell")
        con.execute(ddl())
        _enforce_one_cell_one_meaning(con)
    return con


_UPGRADE = re.compile(r"^-- BEGIN UPGRADE.*?^-- END UPGRADE$", re.S | re.M)


def _is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """The file has the one-cell indexes and every column of the schema: a file indexed before a column
    was added (code_source) is upgraded like an older one, its indexes dropped and made again."""
    if _cell_indexes(con) != len(FACT_TABLES):
        return False
    held = set(con.execute("SELECT table_name, column_name FROM information_schema.columns "
                           "WHERE table_schema = 'main'").fetchall())
    return all((table, column) in held for table, columns in SCHEMAS.items() for column in columns)


def _cell_indexes(con: duckdb.DuckDBPyConnection) -> int:
    names = [f"{t}_one_cell" for t in FACT_TABLES]
    marks = ", ".join("?" for _ in names)
    return con.execute(f"SELECT count(*) FROM duckdb_indexes() WHERE index_name IN ({marks})", names).fetchone()[0]


def _enforce_one_cell_one_meaning(con: duckdb.DuckDBPyConnection) -> None:
    """The unique index over each fact table's cell key, created after the upgrade. A file written
    before the key was enforced may hold cells that break it: it is opened all the same (nothing it
    holds is lost) and says which table needs its documents ingested again with ``--force``."""
    for table in FACT_TABLES:
        try:
            con.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS {table}_one_cell ON {table} ({cell_key_sql()})")
        except duckdb.ConstraintException:
            log.warning("%s holds amounts loaded before one cell, one meaning was enforced that share a cell "
                        "key; ingest its documents again with --force to replace them", table)


def check_warehouse_file(path: Path) -> None:
    """WarehouseMissingError / WarehouseInvalidError with a sentence, before DuckDB says it its way."""
    if not path.exists():
        raise WarehouseMissingError(
            f"No warehouse at {path}. Run `budget-etl ingest` (or `make run`) first, or pass --warehouse."
        )
    if path.is_dir():
        raise WarehouseInvalidError(f"{path} is a folder; --warehouse takes the DuckDB file, "
                                    f"e.g. {path / 'budget.duckdb'}.")
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise WarehouseInvalidError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if head[8:12] != _DUCKDB_MAGIC:
        what = ("an empty file" if not head else "a SQLite database" if head.startswith(b"SQLite format 3")
                else "not a DuckDB database file")
        raise WarehouseInvalidError(f"{path} is {what}; --warehouse takes the DuckDB file that "
                                    "`budget-etl ingest` writes (default data/warehouse/budget.duckdb).")


def _attach_hardened(path: Path) -> duckdb.DuckDBPyConnection:
    """The reader on an instance of its own: an in-memory database that attaches the file read-only.

    DuckDB shares one instance per file within a process and refuses a second configuration for it,
    so while this process already holds the file open another way (a test's connection, an embedding
    program), the hardened configuration is applied to a private instance instead. The catalog keeps
    the name DuckDB gives the file (its stem), so queries read the same as on a direct connection.
    """
    alias = path.stem if path.stem.lower() not in {"memory", "system", "temp", "main"} else "warehouse"
    con = duckdb.connect(":memory:")
    try:
        quoted, literal = alias.replace('"', '""'), str(path).replace("'", "''")
        con.execute(f"ATTACH '{literal}' AS \"{quoted}\" (READ_ONLY)")
        con.execute(f'USE "{quoted}"')
        for name, value in READER_CONFIG.items():  # external access first: the lock forbids any later SET
            con.execute(f"SET {name} = {str(value).lower()}")
    except BaseException:
        con.close()
        raise
    return con


def _connect_hardened(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=True, config=READER_CONFIG)
    except duckdb.ConnectionException as exc:
        if "different configuration" not in str(exc):
            raise
        return _attach_hardened(path)


def open_reader(path: Path, wait_seconds: float = 5.0) -> duckdb.DuckDBPyConnection:
    """A read-only connection without external access; waits up to wait_seconds while a writer holds the lock.

    WarehouseMissingError / WarehouseInvalidError when the path is not a DuckDB file. Queries can read
    the warehouse only: files, extensions and other databases are refused by DuckDB.
    """
    check_warehouse_file(path)
    return _connect_waiting(
        path, True, wait_seconds,
        f"The warehouse {path} is being written by an ingest right now (DuckDB allows one "
        f"writer and no readers meanwhile). Waited {wait_seconds:.0f}s; try again when it is done.",
        connect=lambda: _connect_hardened(path),
    )
