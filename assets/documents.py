"""Assets: raw document → extracted tables → normalised frames → warehouse tables."""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import polars as pl

from assets.checks import check_results, check_specs, reference_check_result, reference_check_spec
from assets.partitions import documents
from assets.resources import BudgetPaths
from pipeline.ingest import Extraction, describe, discover, quarantine_document, try_extract
from pipeline.model import QuarantineError, RawDocument
from pipeline.normalize.build import INVENTORY_SCHEMA, normalize_document, table_kind
from pipeline.quality import run_quality, validate_reference
from pipeline.reference.classification import load_subject_codes
from pipeline.schema import SCHEMAS, frame
from pipeline.warehouse.connect import open_writer
from pipeline.warehouse.load import load_subject_dimension, replace_document

GROUP = "budget"
FRAME_TABLES = ("dim_document", "dim_unit", "dim_unit_alias", "fact_expenditure", "fact_income",
                "fact_performance_indicator")
WRITER_POOL = "duckdb_writer"


class RawDocumentConfig(dg.Config):
    """Optional explicit file for the partition (the CLI passes it); else the raw folder is scanned."""

    path: str = ""


@dg.asset(partitions_def=documents, group_name=GROUP)
def raw_document(context: dg.AssetExecutionContext, config: RawDocumentConfig, paths: BudgetPaths) -> RawDocument:
    """The file whose bytes hash to this partition's key."""
    key = context.partition_key

    def candidates():
        if config.path:  # the CLI names the file: no need to hash the whole raw folder
            yield describe(Path(config.path))
        yield from discover([paths.raw])

    for raw in candidates():
        if raw.document_id == key:
            context.add_output_metadata({"file_name": raw.file_name, "format": raw.file_format,
                                         "bytes": raw.size_bytes})
            return raw
    # The file vanished after the sensor saw it: a quarantine record says so downstream.
    return RawDocument(Path(config.path or f"{paths.raw}/<missing>"), key, Path(config.path).name or key[:12],
                       "text", 0)


@dg.asset(partitions_def=documents, group_name=GROUP)
def extracted_tables(context: dg.AssetExecutionContext, raw_document: RawDocument) -> Extraction:
    """The tables read from the document (title, header rows, body rows, page, unit), or why not."""
    result = try_extract(raw_document)
    doc = result.document
    if doc is None:
        context.add_output_metadata({"quarantined": result.quarantine_reason or ""})
        return result
    context.add_output_metadata({
        "tables": len(doc.tables),
        "pages": doc.page_count or 0,
        "titles": dg.MetadataValue.md("\n".join(f"- {t.title} ({table_kind(t)}, {t.unit_label})" for t in doc.tables)),
    })
    return result


@dg.multi_asset(
    partitions_def=documents,
    group_name=GROUP,
    outs={f"{t}_frame": dg.AssetOut(description=f"Normalised {t} rows of one document") for t in FRAME_TABLES}
    | {"extraction_findings": dg.AssetOut(description="Data-quality notes made while normalising"),
       "table_inventory": dg.AssetOut(description="The budget tables read, with their empty-table notes")},
)
def normalized_frames(context: dg.AssetExecutionContext, extracted_tables: Extraction, raw_document: RawDocument):
    """The star-schema frames for one document (a quarantine record when it cannot be read)."""
    empty = {t: frame(t, []) for t in FRAME_TABLES}
    findings: list[dict] = []
    inventory = pl.DataFrame(schema=INVENTORY_SCHEMA)
    if extracted_tables.document is None:
        out = dict(empty, dim_document=quarantine_document(raw_document, extracted_tables.quarantine_reason or ""))
    else:
        try:
            frames = normalize_document(extracted_tables.document)
            out = {t: frames.table(t) for t in FRAME_TABLES}
            findings = frames.findings
            inventory = frames.table_inventory
        except QuarantineError as exc:
            out = dict(empty, dim_document=quarantine_document(raw_document, str(exc)))
    for t in FRAME_TABLES:
        yield dg.Output(out[t], output_name=f"{t}_frame", metadata={"rows": out[t].height})
    yield dg.Output(findings, output_name="extraction_findings", metadata={"findings": len(findings)})
    yield dg.Output(inventory, output_name="table_inventory", metadata={"tables": inventory.height})


@dg.asset(group_name=GROUP)
def dim_subject_code_frame() -> pl.DataFrame:
    """The official 政府收支分类科目 shipped under pipeline/reference."""
    return load_subject_codes()


@dg.asset(
    partitions_def=documents,
    group_name=GROUP,
    ins={f"{t}_frame": dg.AssetIn() for t in FRAME_TABLES}
    | {"extraction_findings": dg.AssetIn(), "table_inventory": dg.AssetIn()},
    deps=[dim_subject_code_frame],
)
def dq_check_frame(context: dg.AssetExecutionContext, paths: BudgetPaths, extraction_findings: list,
                   table_inventory: pl.DataFrame, **frames) -> pl.DataFrame:
    """Every data-quality outcome for this document (GE suites, identities, consistency, notes)."""
    by_table = {t: frames[f"{t}_frame"] for t in FRAME_TABLES}
    now = datetime.now(UTC).replace(tzinfo=None)
    notes = frame("dq_check_result", [
        dict(f, run_id=context.run_id, document_id=context.partition_key, success=False, checked_at=now)
        for f in extraction_findings
    ])
    if by_table["dim_document"]["status"][0] != "loaded":
        return notes
    docs_dir = paths.warehouse.parent / "dq-docs" / context.partition_key[:16]
    results = run_quality(
        by_table | {"dim_subject_code": load_subject_codes(), "table_inventory": table_inventory},
        context.run_id, checked_at=now, data_docs_dir=docs_dir, suite_tables=FRAME_TABLES,
    )
    dq = pl.concat([results.select(notes.columns).cast(notes.schema), notes])
    failed = dq.filter(~pl.col("success"))
    context.add_output_metadata({
        "checks": dq.height,
        "failed_errors": failed.filter(pl.col("severity") == "error").height,
        "failed_warnings": failed.filter(pl.col("severity") == "warn").height,
        "data_docs": dg.MetadataValue.path(str(docs_dir / "index.html")),
    })
    return dq


@dg.asset(group_name=GROUP, key=dg.AssetKey(["warehouse", "dim_subject_code"]), pool=WRITER_POOL,
          ins={"dim_subject_code_frame": dg.AssetIn()}, check_specs=[reference_check_spec()])
def warehouse_dim_subject_code(context: dg.AssetExecutionContext, paths: BudgetPaths,
                               dim_subject_code_frame: pl.DataFrame):
    """The classification in DuckDB, validated once by its GE suite (not again per document)."""
    checks = validate_reference(dim_subject_code_frame, context.run_id)
    con = open_writer(paths.warehouse)
    try:
        n = load_subject_dimension(con, checks)
    finally:
        con.close()
    yield dg.MaterializeResult(metadata={"rows": n})
    yield reference_check_result(checks)


@dg.multi_asset(
    partitions_def=documents,
    group_name=GROUP,
    pool=WRITER_POOL,
    ins={f"{t}_frame": dg.AssetIn() for t in FRAME_TABLES} | {"dq_check_frame": dg.AssetIn()},
    specs=[
        dg.AssetSpec(dg.AssetKey(["warehouse", t]), deps=[f"{t}_frame"], description=f"DuckDB table {t}")
        for t in FRAME_TABLES
    ]
    + [dg.AssetSpec(dg.AssetKey(["warehouse", "dq_check_result"]), deps=["dq_check_frame"],
                    description="DuckDB table dq_check_result")],
    check_specs=check_specs(),
)
def warehouse_load(context: dg.AssetExecutionContext, paths: BudgetPaths, dq_check_frame: pl.DataFrame, **frames):
    """Replace this document's rows in DuckDB in one transaction (the only writer)."""
    key = context.partition_key
    by_table = {t: frames[f"{t}_frame"] for t in FRAME_TABLES}
    by_table["dq_check_result"] = dq_check_frame
    for t, df in by_table.items():
        assert list(df.columns) == list(SCHEMAS[t]), f"{t} frame does not match the schema"
    con = open_writer(paths.warehouse)
    try:
        result = replace_document(con, key, by_table)
    finally:
        con.close()
    for t in (*FRAME_TABLES, "dq_check_result"):
        yield dg.MaterializeResult(asset_key=dg.AssetKey(["warehouse", t]),
                                   metadata={"rows": result.rows.get(t, 0)})
    yield from check_results(dq_check_frame)
