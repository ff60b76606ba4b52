"""Running the ingest job for the console script: one Dagster run over all the files.

``workers`` 1 runs it in this process; more runs each step in its own process, that many at a
time (Dagster's multiprocess executor); a Dask scheduler address runs the steps on that cluster
(dagster-dask). Either way, one run: the suites run once and the loader is the only writer.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from assets.executors import executor_config
from assets.ingest_job import ingest_job_for, read_inputs, shares
from assets.instance import QUIET_PYTHON_LOGS, shared_instance
from assets.partitions import documents
from assets.progress import RUN_TAG, DocumentDone, RunWatcher
from pipeline.ingest import discover
from pipeline.model import RawDocument
from pipeline.staging import StagedDocument, ensure_reference
from pipeline.warehouse.connect import open_writer


@dataclass
class DocumentRun:
    raw: RawDocument
    status: str  # 'loaded' | 'quarantined' | 'failed'
    title: str
    facts: int
    indicators: int
    reason: str | None


SHARES_PER_WORKER = 2
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def _executor(workers: int, scheduler: str | None) -> str:
    if scheduler:
        return "dask"
    return "multiprocess" if workers > 1 else "in_process"


@dataclass
class Progress:
    """Callbacks while the run goes: the stage a step starts, a document loaded or quarantined."""

    on_stage: Callable[[str], None] = lambda stage: None
    on_document: Callable[[DocumentDone], None] = lambda done: None


def _run(raws: list[RawDocument], warehouse: Path, raw_dir: Path, staging: Path, workers: int,
         scheduler: str | None, instance: dg.DagsterInstance, tags: dict) -> tuple[bool, list[StagedDocument]]:
    kind = _executor(workers, scheduler)
    # In this process a step costs nothing: one per document shows each in the UI. In other processes
    # a step costs ~1 s to start: a few shares per worker, so a worker done early takes the next one.
    parts = shares(raws, len(raws) if kind == "in_process" else SHARES_PER_WORKER * workers)
    args = (len(parts), kind, str(warehouse.absolute()), str(raw_dir.absolute()), str(staging.absolute()))
    run_config = read_inputs(parts) | executor_config(kind, workers, scheduler) | QUIET
    if kind == "in_process":
        result = ingest_job_for(*args).execute_in_process(run_config=run_config, instance=instance,
                                                          raise_on_error=False, tags=tags)
        return result.success, (result.output_for_node("load_documents") if result.success else [])
    job = dg.build_reconstructable_job("assets.ingest_job", "ingest_job_for", reconstructable_args=args)
    with dg.execute_job(job, instance=instance, run_config=run_config, tags=tags) as result:
        return result.success, (result.output_for_node("load_documents") if result.success else [])


def ingest(
    inputs: list[Path],
    warehouse: Path,
    raw_dir: Path,
    progress: Progress | None = None,
    instance: dg.DagsterInstance | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    staging: Path | None = None,
    documents_found: list[RawDocument] | None = None,
) -> list[DocumentRun]:
    """Ingest every distinct document under ``inputs`` (or ``documents_found``, hashed already)
    into ``warehouse``, in one Dagster run."""
    raws = documents_found if documents_found is not None else discover(inputs)
    if not raws:  # nothing to read: the warehouse still gets its classification
        con = open_writer(warehouse)
        try:
            ensure_reference(con, "budget-etl")
        finally:
            con.close()
        return []
    temporary, opened = None, None
    if instance is None:  # the instance `dg dev`, the sensor and the schedule read too
        instance = opened = shared_instance()
    if instance is None:  # none to share; a run in other processes needs an instance on disk
        # The run's events go to SQLite there, one commit each: in memory (/dev/shm) when the machine
        # has it, a commit costs no disk sync.
        shm = "/dev/shm" if not scheduler and os.access("/dev/shm", os.W_OK) else None
        temporary = tempfile.mkdtemp(prefix="budget-etl-dagster-", dir=shm) if workers > 1 or scheduler else None
        instance = (dg.DagsterInstance.local_temp(temporary, overrides=QUIET_PYTHON_LOGS) if temporary
                    else dg.DagsterInstance.ephemeral())
    progress = progress or Progress()
    token = uuid.uuid4().hex
    watcher = RunWatcher(instance, token, progress.on_stage, progress.on_document)
    try:
        instance.add_dynamic_partitions(documents.name, [r.document_id for r in raws])
        watcher.start()
        ok, staged = _run(raws, warehouse, raw_dir, staging or warehouse.parent / "staging", workers,
                          scheduler, instance, {RUN_TAG: token})
    finally:
        watcher.stop()
        if opened is not None:
            opened.dispose()
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    by_id = {s.document_id: s for s in staged}
    runs = []
    for raw in raws:
        s = by_id.get(raw.document_id)
        if s is None or not ok:
            runs.append(DocumentRun(raw, "failed", raw.file_name, 0, 0, "the run failed; see the error above"))
        else:
            runs.append(DocumentRun(raw, s.status, s.title, s.facts, s.indicators, s.reason))
    return runs
