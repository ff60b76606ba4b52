"""The warehouse tables as assets partitioned by document, their checks, and the events that say
what a run loaded.

The ingest job's loading step writes DuckDB and reports, per document partition, one
materialization of each table it wrote (with the document's title and file name) and one
evaluation of each asset check. The checks are partitioned too, so each document keeps its own
status: a clean document loaded later does not turn a failing one green. Run from the UI, a check
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


def table_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["warehouse", table])


def column_schema(table: str) -> dg.TableSchema:
    """The table's columns and types as the warehouse holds them (pipeline/schema.py)."""
    return dg.TableSchema(columns=[dg.TableColumn(name, str(dtype)) for name, dtype in SCHEMAS[table].items()])


raw_document = dg.AssetSpec(
    RAW_KEY, partitions_def=documents, group_name=GROUP,
    description="A disclosure file in the raw folder; its partition key is the sha256 of its bytes.",
)

warehouse_tables = [
    dg.AssetSpec(
        table_key(t), partitions_def=documents, group_name=GROUP,
        deps=[RAW_KEY] + ([REFERENCE_KEY] if t.startswith("fact_") else []),
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


def document_materializations(doc: StagedDocument, rows: dict[str, int]) -> list[dg.AssetMaterialization]:
    """What the UI shows for one loaded (or quarantined) document partition."""
    meta = {"title": doc.title, "file_name": doc.file_name, "status": doc.status,
            "seconds_to_read": round(doc.seconds, 2)}
    if doc.reason:
        meta["reason"] = doc.reason
    events = [dg.AssetMaterialization(asset_key=RAW_KEY, partition=doc.document_id,
                                      metadata=meta | {"facts": doc.facts, "indicators": doc.indicators})]
    return events + [dg.AssetMaterialization(asset_key=table_key(t), partition=doc.document_id,
                                             metadata=meta | {"rows": rows.get(t, 0)}) for t in LOADED_TABLES]


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


__all__ = ["CHECKS", "GROUP", "raw_document", "warehouse_tables", "warehouse_checks", "document_materializations",
           "document_check_evaluations"]
