"""The transactional load: a document's rows are replaced in one transaction.

Delete by document_id, then insert: re-ingesting the same file is idempotent, and a failure
(or a killed process) leaves the previous state, because DuckDB commits atomically.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from pipeline.reference.classification import load_subject_codes
from pipeline.schema import DOCUMENT_TABLES, SCHEMAS, frame


@dataclass(frozen=True)
class LoadResult:
    document_id: str
    rows: dict[str, int]


# Units are shared by documents: a later document fills what an earlier one left empty and
# never blanks what is known (a unit code printed in one year only).
_UPSERT = {
    "dim_unit": """ON CONFLICT (unit_id) DO UPDATE SET
        unit_name = EXCLUDED.unit_name,
        unit_code = COALESCE(EXCLUDED.unit_code, dim_unit.unit_code),
        parent_unit_id = COALESCE(EXCLUDED.parent_unit_id, dim_unit.parent_unit_id),
        region = COALESCE(EXCLUDED.region, dim_unit.region),
        province = COALESCE(EXCLUDED.province, dim_unit.province),
        city = COALESCE(EXCLUDED.city, dim_unit.city),
        county = COALESCE(EXCLUDED.county, dim_unit.county),
        adcode = COALESCE(EXCLUDED.adcode, dim_unit.adcode),
        department_type = COALESCE(EXCLUDED.department_type, dim_unit.department_type)""",
    "dim_unit_alias": "ON CONFLICT (alias) DO NOTHING",
    "dim_subject_code": "ON CONFLICT (subject_code) DO NOTHING",
}


def _insert(con: duckdb.DuckDBPyConnection, table: str, df: pl.DataFrame) -> int:
    if df.height == 0:
        return 0
    cols = list(SCHEMAS[table])
    df = df.select(cols)
    con.register("_incoming", df.to_arrow())
    try:
        names = ", ".join(cols)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _incoming {_UPSERT.get(table, '')}")
    finally:
        try:
            con.unregister("_incoming")
        except duckdb.Error:
            pass  # the transaction is aborted; the caller's ROLLBACK clears it, the first error is what matters
    return df.height


def load_subject_dimension(con: duckdb.DuckDBPyConnection, checks: pl.DataFrame | None = None) -> int:
    """dim_subject_code is the shipped classification, replaced whole, with its suite's outcomes."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM dim_subject_code")
        n = _insert(con, "dim_subject_code", load_subject_codes())
        if checks is not None:
            con.execute("DELETE FROM dq_check_result WHERE document_id IS NULL AND check_name LIKE 'dim_subject_code.%'")
            _insert(con, "dq_check_result", checks)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return n


def _is_loaded(con: duckdb.DuckDBPyConnection, document_id: str) -> bool:
    # fetchall: DuckDB keeps a half-read result open after fetchone, blocking the next statement.
    rows = con.execute("SELECT status FROM dim_document WHERE document_id = ?", [document_id]).fetchall()
    return bool(rows) and rows[0][0] == "loaded"


def _reingest_note(document_id: str, doc: pl.DataFrame) -> pl.DataFrame:
    return frame("dq_check_result", [dict(
        run_id=None, document_id=document_id, check_name="reingest_failed", severity="warn", success=False,
        observed=doc["status_reason"][0], expected="the document loads again as it did before",
        details=f"file {doc['file_name'][0]}: the rows loaded earlier were kept", checked_at=doc["ingested_at"][0],
    )])


def replace_document(con: duckdb.DuckDBPyConnection, document_id: str, frames: dict[str, pl.DataFrame]) -> LoadResult:
    """Replace everything one document contributed, in a single transaction.

    ``frames`` maps warehouse table names to frames; dim_unit and dim_unit_alias are upserted
    (units are shared between documents), the other tables replaced for this document.
    A document loaded before keeps its first ingested_at, so a re-ingest changes nothing.
    """
    rows: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        doc = frames.get("dim_document")
        if doc is not None and doc.height and doc["status"][0] == "quarantined" and _is_loaded(con, document_id):
            # The same bytes loaded before, so the failure is of this attempt (the file vanished,
            # a reader crashed): keep the loaded rows and record what happened.
            rows["dq_check_result"] = _insert(con, "dq_check_result", _reingest_note(document_id, doc))
            con.execute("COMMIT")
            return LoadResult(document_id, rows)
        if doc is not None and doc.height:
            previous = con.execute(
                "SELECT ingested_at FROM dim_document WHERE document_id = ? AND status = ?",
                [document_id, doc["status"][0]],
            ).fetchall()
            if previous:
                doc = doc.with_columns(pl.lit(previous[0][0]).cast(pl.Datetime("us")).alias("ingested_at"))
            con.execute("DELETE FROM dim_document WHERE document_id = ?", [document_id])
            rows["dim_document"] = _insert(con, "dim_document", doc)
        for table in DOCUMENT_TABLES:
            if table in frames:
                con.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])
                rows[table] = _insert(con, table, frames[table])
        for table in ("dim_unit", "dim_unit_alias"):
            if table in frames:
                rows[table] = _insert(con, table, frames[table])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return LoadResult(document_id, rows)
