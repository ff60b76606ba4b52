"""Running the ingest job in-process, one document partition per run (the CLI's `ingest`)."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from assets import documents as doc_assets
from assets.resources import BudgetPaths
from pipeline.ingest import discover
from pipeline.model import RawDocument

DOCUMENT_ASSETS = [
    doc_assets.raw_document,
    doc_assets.extracted_tables,
    doc_assets.normalized_frames,
    doc_assets.dq_check_frame,
    doc_assets.warehouse_load,
]
REFERENCE_ASSETS = [doc_assets.dim_subject_code_frame, doc_assets.warehouse_dim_subject_code]


@dataclass
class DocumentRun:
    raw: RawDocument
    status: str  # 'loaded' | 'quarantined' | 'failed'
    title: str
    rows: int
    reason: str | None


def ingest(
    inputs: list[Path],
    warehouse: Path,
    raw_dir: Path,
    on_start: Callable[[int, int, RawDocument], None] | None = None,
    instance: dg.DagsterInstance | None = None,
) -> list[DocumentRun]:
    """Ingest every distinct document under ``inputs`` into ``warehouse``."""
    raws = discover(inputs)
    instance = instance or dg.DagsterInstance.ephemeral()
    resources = {"paths": BudgetPaths(warehouse_path=str(warehouse), raw_dir=str(raw_dir))}
    instance.add_dynamic_partitions(doc_assets.documents.name, [r.document_id for r in raws])
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    ref = dg.materialize(REFERENCE_ASSETS, resources=resources, instance=instance, raise_on_error=True,
                         run_config=quiet)
    assert ref.success
    runs: list[DocumentRun] = []
    for i, raw in enumerate(raws):
        if on_start:
            on_start(i, len(raws), raw)
        result = dg.materialize(
            DOCUMENT_ASSETS,
            partition_key=raw.document_id,
            resources=resources,
            instance=instance,
            run_config={"ops": {"raw_document": {"config": {"path": str(raw.path)}}}} | quiet,
            raise_on_error=False,
        )
        if not result.success:
            runs.append(DocumentRun(raw, "failed", raw.file_name, 0, "the run failed; see the error above"))
            continue
        doc = result.output_for_node("normalized_frames", "dim_document_frame")
        rows = sum(
            result.output_for_node("normalized_frames", f"{t}_frame").height
            for t in ("fact_expenditure", "fact_income", "fact_performance_indicator")
        )
        status = doc["status"][0]
        runs.append(DocumentRun(raw, status, doc["title"][0] or raw.file_name, rows, doc["status_reason"][0]))
    return runs
