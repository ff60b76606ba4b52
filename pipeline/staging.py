"""An ingest run in three steps a scheduler can spread over processes or machines.

1. :func:`stage_document` (one per document, in parallel): read, normalise, run the checks that
   need no Great Expectations (identities, consistency, references, extraction notes), and
   write the frames as Parquet into a staging folder. Nothing touches DuckDB.
2. :func:`check_suites` (once per run): the GE suites over all staged documents together.
3. :func:`load_staged` (the single writer): one transaction per document.

The staging folder is the hand-over: on one machine a temporary folder, on a Dask cluster a
folder every worker and the loader can reach. Plain functions, no Dagster.
"""

from __future__ import annotations

import hashlib
import shutil
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipeline.ingest import quarantine_document, try_extract
from pipeline.model import QuarantineError, RawDocument
from pipeline.schema import FACT_TABLES, SCHEMAS, frame
from pipeline.warehouse.load import LoadResult, load_subject_dimension, replace_document

FRAME_TABLES = ("dim_document", "dim_unit", "dim_unit_alias", "fact_expenditure", "fact_income",
                "fact_performance_indicator")
TABLE_CHECKS = "dq_table_checks"  # outcomes of step 1
SUITE_CHECKS = "dq_suites"  # outcomes of step 2


@dataclass(frozen=True)
class StagedDocument:
    """A document after step 1: where its frames are, and what became of it."""

    document_id: str
    file_name: str
    folder: str
    status: str  # 'loaded' (readable: will be loaded) | 'quarantined' | 'failed' (nothing to load)
    title: str
    facts: int  # fact_expenditure + fact_income rows
    indicators: int  # fact_performance_indicator rows
    reason: str | None
    seconds: float
    tables: tuple[str, ...] = ()  # the budget tables read, each as "kind: title (p. N)"

    def path(self, name: str) -> Path:
        return Path(self.folder) / f"{name}.parquet"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _normalised(raw: RawDocument) -> tuple[dict[str, pl.DataFrame], list[dict], pl.DataFrame | None]:
    """The document's frames, its extraction findings and its table inventory (a quarantine record
    when it cannot be read)."""
    from pipeline.normalize.build import normalize_document

    empty = {t: frame(t, []) for t in FRAME_TABLES}
    extraction = try_extract(raw)
    if extraction.document is None:
        return empty | {"dim_document": quarantine_document(raw, extraction.quarantine_reason or "")}, [], None
    try:
        frames = normalize_document(extraction.document)
    except QuarantineError as exc:
        return empty | {"dim_document": quarantine_document(raw, str(exc))}, [], None
    return {t: frames.table(t) for t in FRAME_TABLES}, frames.findings, frames.table_inventory


def _table_checks(frames: dict[str, pl.DataFrame], findings: list[dict], inventory: pl.DataFrame | None,
                  run_id: str, document_id: str) -> pl.DataFrame:
    """Extraction notes, plus (for a readable document) identities, consistency and references."""
    from pipeline.quality.runner import run_quality
    from pipeline.reference.classification import load_subject_codes

    now = _now()
    notes = frame("dq_check_result", [
        dict(f, run_id=run_id, document_id=document_id, success=False, checked_at=now) for f in findings
    ])
    if inventory is None:
        return notes
    results = run_quality(frames | {"dim_subject_code": load_subject_codes(), "table_inventory": inventory},
                          run_id, checked_at=now, with_suites=False)
    return pl.concat([results.select(notes.columns).cast(notes.schema), notes])


def _inventory_lines(inventory: pl.DataFrame | None) -> tuple[str, ...]:
    if inventory is None:
        return ()
    return tuple(f"{r['table_kind']}: {r['table_title'] or '(untitled)'}" + (f" (p. {r['page']})" if r["page"] else "")
                 for r in inventory.iter_rows(named=True))


def stage_document(raw: RawDocument, staging_root: Path, run_id: str) -> StagedDocument:
    """Step 1 for one file. Never raises: a failure of ours is a 'failed' document with the reason."""
    start = time.perf_counter()
    folder = Path(staging_root) / raw.document_id
    try:
        frames, findings, inventory = _normalised(raw)
        checks = _table_checks(frames, findings, inventory, run_id, raw.document_id)
        folder.mkdir(parents=True, exist_ok=True)
        for name, df in {**frames, TABLE_CHECKS: checks}.items():
            df.write_parquet(folder / f"{name}.parquet")
        doc = frames["dim_document"]
        facts = sum(frames[t].height for t in FACT_TABLES)
        return StagedDocument(raw.document_id, raw.file_name, str(folder), doc["status"][0],
                              doc["title"][0] or raw.file_name, facts, frames["fact_performance_indicator"].height,
                              doc["status_reason"][0], time.perf_counter() - start, _inventory_lines(inventory))
    except Exception as exc:  # noqa: BLE001 - one document's bug must not stop the others
        reason = f"{type(exc).__name__}: {exc} (at {traceback.extract_tb(exc.__traceback__)[-1].name})"
        return StagedDocument(raw.document_id, raw.file_name, str(folder), "failed", raw.file_name, 0, 0,
                              f"the ingest failed on this file, please report it: {reason}",
                              time.perf_counter() - start)


def read_staged(doc: StagedDocument) -> dict[str, pl.DataFrame]:
    """The frames step 1 wrote, with the dq rows of steps 1 and 2 as one ``dq_check_result``."""
    frames = {t: pl.read_parquet(doc.path(t)) for t in FRAME_TABLES}
    dq = [pl.read_parquet(doc.path(n)) for n in (TABLE_CHECKS, SUITE_CHECKS) if doc.path(n).exists()]
    frames["dq_check_result"] = pl.concat(dq) if dq else frame("dq_check_result", [])
    return frames


def check_suites(staged: list[StagedDocument], run_id: str) -> int:
    """Step 2: the GE suites once over every readable document; returns the outcomes written."""
    from pipeline.outcome import outcomes_frame
    from pipeline.quality.batch_suites import run_suites_together

    readable = {d.document_id: d for d in staged if d.status == "loaded"}
    if not readable:
        return 0
    per_document = {doc: {t: pl.read_parquet(d.path(t)) for t in FRAME_TABLES} for doc, d in readable.items()}
    results = outcomes_frame(run_suites_together(per_document, list(FRAME_TABLES)), run_id, _now())
    results = results.select(list(SCHEMAS["dq_check_result"]))
    for doc, d in readable.items():
        results.filter(pl.col("document_id") == doc).write_parquet(d.path(SUITE_CHECKS))
    return results.height


def load_staged(con: duckdb.DuckDBPyConnection, doc: StagedDocument) -> LoadResult:
    """Step 3 for one document: its rows replace what it held, in one transaction."""
    return replace_document(con, doc.document_id, read_staged(doc))


def clear_staged(doc: StagedDocument) -> None:
    shutil.rmtree(doc.folder, ignore_errors=True)


# --------------------------------------------------------------------------- the classification


def reference_fingerprint() -> str:
    """sha256 of the shipped classification and of its suite: a change to either validates it again."""
    from pipeline.quality.suites import load_suite_specs
    from pipeline.reference.classification import _csv_text

    suite = load_suite_specs().get("dim_subject_code")
    h = hashlib.sha256(_csv_text().encode())
    h.update(suite.path.read_bytes() if suite else b"")
    return h.hexdigest()


def _stored_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'dim_subject_code'").fetchall()
    comment = rows[0][0] if rows else None
    return comment.removeprefix("sha256:") if comment and comment.startswith("sha256:") else None


def _reference_checks_path(staging_root: Path, fingerprint: str) -> Path:
    return Path(staging_root) / f"reference-{fingerprint[:16]}.parquet"


def stage_reference_checks(warehouse: Path, staging_root: Path, run_id: str) -> bool:
    """In the step that imports GE anyway: validate the classification when the warehouse holds
    another one (or none), for the loader to load without importing GE again. True when it did."""
    from pipeline.warehouse.connect import WarehouseError, open_reader

    fingerprint, stored = reference_fingerprint(), None
    if Path(warehouse).exists():
        try:
            con = open_reader(Path(warehouse), wait_seconds=1.0)
            try:
                stored = _stored_fingerprint(con)
            finally:
                con.close()
        except (WarehouseError, duckdb.Error):
            return False  # the loader will see for itself
    if stored == fingerprint:
        return False
    from pipeline.quality.runner import validate_reference
    from pipeline.reference.classification import load_subject_codes

    path = _reference_checks_path(staging_root, fingerprint)
    path.parent.mkdir(parents=True, exist_ok=True)
    validate_reference(load_subject_codes(), run_id).write_parquet(path)
    return True


def ensure_reference(con: duckdb.DuckDBPyConnection, run_id: str, force: bool = False,
                     staging_root: Path | None = None) -> pl.DataFrame | None:
    """Load and validate the classification when it changed since it was loaded (or ``force``).

    The fingerprint is kept as the table's comment. Returns the suite's outcomes when it ran, None
    when the warehouse already holds this classification (nothing validated, GE not imported).
    Outcomes staged by :func:`stage_reference_checks` for this classification are used as they are.
    """
    fingerprint = reference_fingerprint()
    if not force and _stored_fingerprint(con) == fingerprint:
        return None
    from pipeline.reference.classification import load_subject_codes

    staged = _reference_checks_path(staging_root, fingerprint) if staging_root is not None else None
    if staged is not None and staged.exists():
        checks = pl.read_parquet(staged)
        staged.unlink()
    else:
        from pipeline.quality.runner import validate_reference

        checks = validate_reference(load_subject_codes(), run_id)
    load_subject_dimension(con, checks)
    con.execute(f"COMMENT ON TABLE dim_subject_code IS 'sha256:{fingerprint}'")
    return checks
