"""What the warehouse already holds, so an ingest can skip content that is loaded or was quarantined.

Read with a read-only connection (cheap, no write lock); the one write here, a new file name for
content seen under another name, is for a brief writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.schema import SCHEMAS
from pipeline.warehouse.connect import WarehouseError, open_reader

# The tables an ingest line counts ("n facts, m indicators"), as the ingest counts them on a load.
_COUNTED = (("fact_expenditure", "fact"), ("fact_income", "fact"), ("fact_performance_indicator", "indicator"))


@dataclass(frozen=True)
class KnownDocument:
    document_id: str
    title: str | None
    file_name: str
    facts: int
    indicators: int
    status: str = "loaded"  # or 'quarantined'
    reason: str | None = None  # why it was quarantined


def known_documents(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> dict[str, KnownDocument]:
    """The documents among ``document_ids`` that dim_document holds as loaded or quarantined."""
    if not document_ids:
        return {}
    counts = " UNION ALL ".join(
        f"SELECT document_id, '{kind}' AS kind FROM {t} WHERE list_contains($ids, document_id)" for t, kind in _COUNTED
    )
    rows = con.execute(
        f"""
        WITH n AS (SELECT document_id, count(*) FILTER (WHERE kind = 'fact') AS facts,
                          count(*) FILTER (WHERE kind = 'indicator') AS indicators
                   FROM ({counts}) GROUP BY document_id)
        SELECT d.document_id, d.title, d.file_name, coalesce(n.facts, 0), coalesce(n.indicators, 0),
               d.status, d.status_reason
        FROM dim_document d LEFT JOIN n USING (document_id)
        WHERE d.status IN ('loaded', 'quarantined') AND list_contains($ids, d.document_id)
        """,
        {"ids": document_ids},
    ).fetchall()
    return {r[0]: KnownDocument(r[0], r[1], r[2], int(r[3]), int(r[4]), r[5], r[6]) for r in rows}


def held_documents(warehouse: Path, document_ids: list[str]) -> set[str]:
    """The documents among ``document_ids`` the warehouse file holds, loaded or quarantined, whoever
    ingested them (the console script, a run of another Dagster instance): a sensor or schedule asks
    for no run of those. Empty when the file is absent or new, or while another process writes it
    (DuckDB lets no reader in beside it): the caller then goes by what its own instance recorded."""
    if not document_ids or not warehouse.exists():
        return set()
    try:
        con = open_reader(warehouse, wait_seconds=0)  # a tick never waits for a writer
    except WarehouseError:
        return set()
    try:
        rows = con.execute(
            "SELECT document_id FROM dim_document WHERE status IN ('loaded', 'quarantined') "
            "AND list_contains($ids, document_id)",
            {"ids": document_ids},
        ).fetchall()
    except duckdb.Error:  # a file with no dim_document yet
        return set()
    finally:
        con.close()
    return {r[0] for r in rows}


# The newest view: a file without it predates the latest schema (ddl.sql).
_NEWEST_VIEW = ("v_budget_vs_final", "execution_rate")


def schema_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the file has every column of pipeline/schema.py and the newest view.

    An older file is upgraded by opening it for writing (ddl.sql adds what is missing).
    """
    have = set(con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
    ).fetchall())
    wanted = {(table, column) for table, columns in SCHEMAS.items() for column in columns}
    return wanted <= have and _NEWEST_VIEW in have


def record_file_names(con: duckdb.DuckDBPyConnection, names: dict[str, str]) -> None:
    """dim_document.file_name is the name the content was last seen under."""
    if names:
        con.executemany("UPDATE dim_document SET file_name = ? WHERE document_id = ?",
                        [[name, doc] for doc, name in names.items()])
