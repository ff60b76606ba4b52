"""The stages of a document as assets partitioned by document, their checks, and the events that
say what a run did:

    raw_document ─> extracted_tables ─> normalised_frames ─> warehouse/<table> (+ its checks)

The ingest job's read step reports, per document partition, the file, the tables it read and the
frames it staged; its loading step writes DuckDB and reports one materialization of each table it
wrote (with the document's title and file name) and one evaluation of each asset check. The
checks are partitioned too, so each document keeps its own status: a clean document loaded later
does not turn a failing one green. Run from the UI, a check
re-reads that document's outcomes from ``dq_check_result``.
"""


import dagster as dg
import polars as pl

from assets.checks import CHECKS, check_evaluations, check_results, check_specs
from assets.partitions import documents
from assets.resources import BudgetPaths
from pipeline.schema import SCHEMAS
from pipeline.staging import FRAME_TABLES, StagedDocument
from pipeline.warehouse.connect import open_reader

GROUP = "budget"
WRITER_POOL = "duckdb_writer"  # every step that writes DuckDB claims it; dagster.yaml limits it to one
LOADED_TABLES = (*FRAME_TABLES, "dq_check_result")
REFERENCE_KEY = dg.AssetKey(["warehouse", "dim_subject_code"])
RAW_KEY = dg.AssetKey("raw_document")
EXTRACTED_KEY = dg.AssetKey("extracted_tables")
NORMALISED_KEY = dg.AssetKey("normalised_frames")


def table_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["warehouse", table])


def column_schema(table: str) -> dg.TableSchema:
    """The table's columns and types as the warehouse holds them (pipeline/schema.py)."""
    return dg.TableSchema(columns=[dg.TableColumn(name, str(dtype)) for name, dtype in SCHEMAS[table].items()])


raw_document = dg.AssetSpec(
    RAW_KEY, partitions_def=documents, group_name=GROUP,
    description="A disclosure file in the raw folder; its partition key is the sha256 of its bytes.",
)

document_stages = [
    dg.AssetSpec(
        EXTRACTED_KEY, partitions_def=documents, group_name=GROUP, deps=[RAW_KEY],
        description="The budget tables the reader found in the file (ruled grids, word positions, OCR of "
                    "scanned pages, or text), each placed by its title and header; listed in the metadata.",
    ),
    dg.AssetSpec(
        NORMALISED_KEY, partitions_def=documents, group_name=GROUP, deps=[EXTRACTED_KEY],
        description="The tables as polars frames shaped like the warehouse tables, each checked against its "
                    "own arithmetic; staged as Parquet for the loader.",
    ),
]

warehouse_tables = [
    dg.AssetSpec(
        table_key(t), partitions_def=documents, group_name=GROUP,
        deps=[NORMALISED_KEY] + ([REFERENCE_KEY] if t.startswith("fact_") else []),
        description=f"DuckDB table {t}: one document's rows per partition, replaced in one transaction.",
        metadata={"dagster/column_schema": column_schema(t), "dagster/table_name": f"main.{t}"},
    )
    for t in LOADED_TABLES
]


@dg.multi_asset_check(specs=check_specs(documents), can_subset=True, name="warehouse_checks")
def warehouse_checks(context: dg.AssetCheckExecutionContext, paths: BudgetPaths):
    """Re-read one document's outcomes from dq_check_result (the ingest reports them as it loads)."""
    key = context.partition_key
    con = open_reader(paths.warehouse)
    try:
        dq = pl.from_arrow(con.sql("SELECT * FROM dq_check_result WHERE document_id = ?", params=[key]).to_arrow_table())
    finally:
        con.close()
    wanted = {(k.asset_key, k.name) for k in context.selected_asset_check_keys}
    yield from (r for r in check_results(dq) if (r.asset_key, r.check_name) in wanted)


def _document_metadata(doc: StagedDocument) -> dict:
    meta = {"title": doc.title, "file_name": doc.file_name, "status": doc.status}
    return meta | ({"reason": doc.reason} if doc.reason else {})


def stage_materializations(doc: StagedDocument) -> list[dg.AssetMaterialization]:
    """The read step's events for one document: its file, and (when it could be read) its tables and frames."""
    meta = _document_metadata(doc)
    events = [dg.AssetMaterialization(asset_key=RAW_KEY, partition=doc.document_id, metadata=meta)]
    if doc.status == "failed":
        return events
    tables = dg.MetadataValue.md("\n".join(f"- {t}" for t in doc.tables) or "(none)")
    return events + [
        dg.AssetMaterialization(asset_key=EXTRACTED_KEY, partition=doc.document_id,
                                metadata=meta | {"tables": len(doc.tables), "read": tables,
                                                 "seconds_to_read": round(doc.seconds, 2)}),
        dg.AssetMaterialization(asset_key=NORMALISED_KEY, partition=doc.document_id,
                                metadata=meta | {"facts": doc.facts, "indicators": doc.indicators}),
    ]


def document_materializations(doc: StagedDocument, rows: dict[str, int]) -> list[dg.AssetMaterialization]:
    """The loader's events for one loaded (or quarantined) document: one per table it wrote.
    ``dim_document``'s says what became of the document (the console script prints it)."""
    meta = _document_metadata(doc)
    counts = {"facts": doc.facts, "indicators": doc.indicators}
    return [dg.AssetMaterialization(asset_key=table_key(t), partition=doc.document_id,
                                    metadata=meta | {"rows": rows.get(t, 0)} | (counts if t == "dim_document" else {}))
            for t in LOADED_TABLES]


def document_check_evaluations(instance: dg.DagsterInstance, doc: StagedDocument,
                               dq: pl.DataFrame) -> list[dg.AssetCheckEvaluation]:
    """The document's check evaluations, each pointing at the materialization it judged (just logged)."""
    from dagster._core.definitions.asset_checks.asset_check_evaluation import (
        AssetCheckEvaluationTargetMaterializationData as Target,
    )

    targets = {}
    for table, _ in CHECKS:
        key = table_key(table)
        if key in targets:
            continue
        found = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=key, asset_partitions=[doc.document_id]), limit=1).records
        if found:
            targets[key] = Target(storage_id=found[0].storage_id, run_id=found[0].run_id,
                                  timestamp=found[0].timestamp)
    return check_evaluations(dq, doc.document_id, targets)


