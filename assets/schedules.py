"""The nightly schedule: at 02:00 Asia/Shanghai, rebuild the reference dimension and ingest
whatever is new.

A Dagster schedule launches runs of exactly one job, so the nightly job ``nightly_ingest``
selects the whole ``budget`` asset group: the unpartitioned reference assets (what the
``load_reference`` job runs: ``dim_subject_code``) and the per-document assets (what
``ingest_documents`` runs). Each tick requests

* one run of the reference assets (run_key ``reference``), which replaces ``dim_subject_code``;
* one run per document partition that is new: content in the raw folder whose
  ``warehouse/dim_document`` partition was never materialized (the sensor was off, or its run
  failed), and which no queued or running run is already ingesting. Contents that are not yet
  partitions are added first.

Run keys are unique per tick (Dagster scopes a schedule's run keys to its scheduled time), so a
retried tick launches nothing twice. The writing steps share the ``duckdb_writer`` pool, so the
runs write to DuckDB one at a time.
"""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg

from assets import documents as doc_assets
from assets.partitions import documents
from assets.resources import BudgetPaths
from assets.sensors import document_run_request
from pipeline.ingest import discover

NIGHTLY_JOB = "nightly_ingest"
CRON = "0 2 * * *"
TIMEZONE = "Asia/Shanghai"
REFERENCE_RUN_KEY = "reference"
LOADED_MARKER = dg.AssetKey(["warehouse", "dim_document"])  # materialized once a document is loaded or quarantined
IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]

nightly_job = dg.define_asset_job(
    NIGHTLY_JOB,
    selection=dg.AssetSelection.groups(doc_assets.GROUP),
    description="The nightly run: the reference dimension (as load_reference) and new document partitions "
    "(as ingest_documents).",
)


def split_keys(asset_graph) -> tuple[list[dg.AssetKey], list[dg.AssetKey]]:
    """The group's unpartitioned (reference) and per-document asset keys."""
    keys = dg.AssetSelection.groups(doc_assets.GROUP).resolve(asset_graph)
    reference = sorted(k for k in keys if asset_graph.get(k).partitions_def is None)
    per_document = sorted(k for k in keys if asset_graph.get(k).partitions_def is not None)
    return reference, per_document


def in_flight_partitions(instance: dg.DagsterInstance) -> set[str]:
    """Partition keys of runs that are queued or running."""
    runs = instance.get_runs(dg.RunsFilter(statuses=IN_FLIGHT))
    return {run.tags["dagster/partition"] for run in runs if "dagster/partition" in run.tags}


def nightly_requests(
    instance: dg.DagsterInstance, paths: BudgetPaths, keys: tuple[Sequence[dg.AssetKey], Sequence[dg.AssetKey]]
) -> list[dg.RunRequest]:
    reference_keys, document_keys = keys
    raws = discover([paths.raw])
    known = set(instance.get_dynamic_partitions(documents.name))
    new_partitions = [r.document_id for r in raws if r.document_id not in known]
    if new_partitions:
        instance.add_dynamic_partitions(documents.name, new_partitions)
    done = instance.get_materialized_partitions(LOADED_MARKER)
    busy = in_flight_partitions(instance)
    requests = [dg.RunRequest(run_key=REFERENCE_RUN_KEY, asset_selection=list(reference_keys),
                              tags={"budget/nightly": "reference"})]
    for raw in raws:
        if raw.document_id in done or raw.document_id in busy:
            continue
        req = document_run_request(raw.document_id, raw.path)
        requests.append(req.with_replaced_attrs(asset_selection=list(document_keys),
                                                tags={**req.tags, "budget/nightly": "document"}))
    return requests


@dg.schedule(
    name="nightly_ingest_schedule",
    job=nightly_job,
    cron_schedule=CRON,
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="02:00 Asia/Shanghai: rebuild dim_subject_code and ingest every document in the raw folder "
    "that is not in the warehouse yet.",
)
def nightly_ingest_schedule(context: dg.ScheduleEvaluationContext, paths: BudgetPaths) -> list[dg.RunRequest]:
    requests = nightly_requests(context.instance, paths, split_keys(context.repository_def.asset_graph))
    context.log.info(f"nightly: {len(requests) - 1} document run(s) and the reference rebuild")
    return requests
