"""The nightly schedule: at 02:00 Asia/Shanghai, ingest whatever in the raw folder is not loaded.

Each tick requests one ``ingest_documents`` run over every document whose
``warehouse/dim_document`` partition was never materialized (the sensor was off, or its run
failed) and that no queued or running run is already ingesting; contents that are not yet
partitions are added first. One run for all of them, so the suites run once for the night. The
run's loading step reloads and re-validates the classification when it changed (its fingerprint
is kept in the warehouse), so the reference is current after every night.

Run keys are scoped by Dagster to the tick's scheduled time, so a retried tick launches nothing twice.
"""

from __future__ import annotations

import dagster as dg

from assets.ingest_job import JOB_NAME, entry, ingest_documents, ingest_run_config
from assets.partitions import documents
from assets.resources import BudgetPaths
from pipeline.ingest import discover
from pipeline.warehouse.status import held_documents

CRON = "0 2 * * *"
TIMEZONE = "Asia/Shanghai"
NIGHTLY_RUN_KEY = "nightly"
LOADED_MARKER = dg.AssetKey(["warehouse", "dim_document"])  # materialized once a document is loaded or quarantined
IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def in_flight_documents(instance: dg.DagsterInstance) -> set[str]:
    """Documents that queued or running ingest runs were asked for (tag ``budget/document``)."""
    runs = instance.get_runs(dg.RunsFilter(job_name=JOB_NAME, statuses=IN_FLIGHT))
    return {d for run in runs for d in run.tags.get("budget/document", "").split(",") if d}


def nightly_requests(instance: dg.DagsterInstance, paths: BudgetPaths) -> list[dg.RunRequest]:
    raws = discover([paths.raw])
    known = set(instance.get_dynamic_partitions(documents.name))
    new_partitions = [r.document_id for r in raws if r.document_id not in known]
    if new_partitions:
        instance.add_dynamic_partitions(documents.name, new_partitions)
    done = instance.get_materialized_partitions(LOADED_MARKER)
    busy = in_flight_documents(instance)
    todo = [r for r in raws if r.document_id not in done and r.document_id not in busy]
    # loaded by the console script or another instance: in the warehouse, whatever this one recorded
    held = held_documents(paths.warehouse, [r.document_id for r in todo])
    todo = [r for r in todo if r.document_id not in held]
    if not todo:
        return []
    return [dg.RunRequest(run_key=NIGHTLY_RUN_KEY, run_config=ingest_run_config([entry(r.document_id, r.path) for r in todo]),
                          tags={"budget/nightly": "documents",
                                "budget/document": ",".join(r.document_id for r in todo)})]


@dg.schedule(
    name="nightly_ingest_schedule",
    job=ingest_documents,
    cron_schedule=CRON,
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="02:00 Asia/Shanghai: ingest, in one run, every document in the raw folder that is not in the "
    "warehouse yet (the classification is reloaded when it changed).",
)
def nightly_ingest_schedule(context: dg.ScheduleEvaluationContext, paths: BudgetPaths):
    requests = nightly_requests(context.instance, paths)
    if not requests:
        return dg.SkipReason(f"Every document in {paths.raw} is loaded.")
    context.log.info(f"nightly: {requests[0].tags['budget/document'].count(',') + 1} document(s) to ingest")
    return requests
