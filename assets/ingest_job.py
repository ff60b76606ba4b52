"""The ingest job: stage documents in parallel steps, run the suites once, load one at a time.

    read_documents (a share of the files) ─┐
    read_documents …                       ├─> check_suites (GE, once) ─> load_documents (pool duckdb_writer)
    read_documents …                       ┘

``ingest_documents`` (in the definitions, for the sensor, the schedule and the UI) fans out with
a dynamic output, one step per file named in its config. The console script builds the same
graph with its steps named up front (:func:`ingest_job_for`): one per worker, each reading a
share of the files balanced by size, because a step in its own process costs a second or two
to start, more than reading a small disclosure; and dagster-dask's executor plans a run before
it starts and does not expand dynamic outputs, so a static fan-out is what runs on a Dask cluster.
Frames pass between steps as Parquet in the staging folder, not through Dagster's IO manager.
"""


from pathlib import Path

import dagster as dg

from assets.checks import reference_check_evaluation
from assets.resources import BudgetPaths
from assets.warehouse import (
    REFERENCE_KEY,
    WRITER_POOL,
    document_check_evaluations,
    document_materializations,
    stage_materializations,
)
from pipeline.ingest import VANISHED, describe, discover
from pipeline.model import RawDocument
from pipeline.staging import (
    StagedDocument,
    clear_staged,
    ensure_reference,
    load_staged,
    read_staged,
    stage_document,
    stage_reference_checks,
)
from pipeline.staging import (
    check_suites as run_suites,
)
from pipeline.warehouse.connect import open_writer
from pipeline.warehouse.observed import refresh_observed_codes

JOB_NAME = "ingest_documents"


class IngestConfig(dg.Config):
    """The files to ingest (default: the raw folder). The sensor and the schedule name each as
    ``sha256:path`` (hashed already); the UI may name plain files or folders."""

    paths: list[str] = []


def entry(document_id: str, path: Path) -> str:
    """A file as the steps pass it: the sha256 it had when it was found, and its path."""
    return f"{document_id}:{path.absolute()}"


def ingest_run_config(paths: list[str]) -> dict:
    """Run config of ``ingest_documents`` for these entries (or plain files and folders)."""
    return {"ops": {"plan_documents": {"config": {"paths": paths}}}}


def raw_of(entry_text: str) -> RawDocument:
    """The file of an entry. One that vanished since it was hashed keeps its document id, so the
    quarantine record says so for the right document."""
    document_id, _, path = entry_text.partition(":")
    raw = describe(Path(path))
    return raw if raw.document_id != VANISHED else RawDocument(
        raw.path, document_id, raw.file_name, raw.file_format, raw.size_bytes)


def _is_entry(text: str) -> bool:
    head, sep, _ = text.partition(":")
    return bool(sep) and len(head) == 64 and all(c in "0123456789abcdef" for c in head)


@dg.op(out=dg.DynamicOut(list), description="One output per distinct file content among the configured paths.")
def plan_documents(context: dg.OpExecutionContext, config: IngestConfig, paths: BudgetPaths):
    entries = [p for p in config.paths if _is_entry(p)]
    plain = [Path(p) for p in config.paths if not _is_entry(p)]
    entries += [entry(raw.document_id, raw.path) for raw in discover(plain or ([] if entries else [paths.raw]))]
    for text in dict.fromkeys(entries):
        yield dg.DynamicOutput([text], mapping_key=text[:16])


@dg.op(description="Read, normalise and check files (no GE); their frames go to the staging folder.")
def read_documents(context: dg.OpExecutionContext, paths: BudgetPaths, files: list[str]) -> list[StagedDocument]:
    staged = []
    for f in files:
        staged.append(stage_document(raw_of(f), paths.staging / context.run_id, context.run_id))
        for event in stage_materializations(staged[-1]):
            context.log_event(event)
    context.add_output_metadata({
        "documents": len(staged),
        "seconds": round(sum(s.seconds for s in staged), 2),
        "read": dg.MetadataValue.md("\n".join(
            f"- {s.status} {s.title} ({s.file_name}, {s.facts} facts, {s.indicators} indicators, {s.seconds:.1f} s)" for s in staged)),
    })
    return staged


def _check_suites(context: dg.OpExecutionContext, paths: BudgetPaths,
                  shares: list[list[StagedDocument]]) -> list[StagedDocument]:
    staged = [doc for share in shares for doc in share]
    outcomes = run_suites(staged, context.run_id)
    # GE is imported here anyway: a changed classification is validated here, not in the loader.
    reference = stage_reference_checks(paths.warehouse, paths.staging / context.run_id, context.run_id)
    context.add_output_metadata({"documents": len(staged), "suite_outcomes": outcomes,
                                 "classification_validated": reference})
    return staged


@dg.op(description="The Great Expectations suites, once over every staged document.")
def check_suites(context: dg.OpExecutionContext, paths: BudgetPaths,
                 staged: list[list[StagedDocument]]) -> list[StagedDocument]:
    return _check_suites(context, paths, staged)


def check_suites_of(count: int) -> dg.OpDefinition:
    """check_suites with one named input per read step. dagster-dask hands a fan-in input over
    empty (it passes no upstream outputs to the step), so the static graph names each input."""
    names = [f"share_{i}" for i in range(count)]

    @dg.op(name="check_suites", ins={n: dg.In() for n in names},
           description="The Great Expectations suites, once over every staged document.")
    def check_suites_static(context: dg.OpExecutionContext, paths: BudgetPaths, **staged) -> list[StagedDocument]:
        return _check_suites(context, paths, [staged[n] for n in names])

    return check_suites_static


def _load_documents(context: dg.OpExecutionContext, paths: BudgetPaths,
                    staged: list[StagedDocument]) -> list[StagedDocument]:
    """The only DuckDB writer: the classification when it changed, then one transaction per document."""
    done: list[StagedDocument] = []
    con = open_writer(paths.warehouse)
    try:
        checks = ensure_reference(con, context.run_id, staging_root=paths.staging / context.run_id)
        if checks is not None or context.instance.get_latest_materialization_event(REFERENCE_KEY) is None:
            context.log_event(dg.AssetMaterialization(asset_key=REFERENCE_KEY, metadata={
                "rows": con.execute("SELECT count(*) FROM dim_subject_code WHERE source = 'reference'").fetchall()[0][0],
                "validated_in_this_run": checks is not None}))
            if checks is not None:
                context.log_event(reference_check_evaluation(checks))
        for doc in staged:
            done.append(_load_one(context, con, doc))
        context.log.info(f"{refresh_observed_codes(con)} codes printed alike by two disclosures of a year "
                         "that the shipped classification lacks (dim_subject_code, source 'observed')")
    finally:
        con.close()
    try:
        (paths.staging / context.run_id).rmdir()  # empty once every document is loaded
    except OSError:
        pass  # a document that failed to load keeps its frames there, for a look
    return done


load_documents = dg.op(name="load_documents", pool=WRITER_POOL)(_load_documents)
# The console script's run claims no pool. The daemon does not watch a run it did not launch, so a
# slot held by a console run that was killed would stay claimed and stop every later load; and
# dagster-dask cannot ship a run that carries pool claims to its workers (dask walks the run's
# records as if they were task arguments). It is still its run's only writer, and DuckDB's file
# lock (open_writer waits for it) keeps it and the daemon's runs apart.
load_documents_unpooled = dg.op(name="load_documents")(_load_documents)


def _load_one(context: dg.OpExecutionContext, con, doc: StagedDocument) -> StagedDocument:
    if doc.status == "failed":
        return doc
    try:
        frames = read_staged(doc)
        rows = load_staged(con, doc).rows
    except Exception as exc:  # noqa: BLE001 - the others still load; this one is reported failed
        context.log.error(f"{doc.file_name}: not loaded: {exc}")
        return StagedDocument(**{**doc.__dict__, "status": "failed", "reason": f"the load failed: {exc}"})
    for event in document_materializations(doc, rows):
        context.log_event(event)
    if doc.status == "loaded":
        for evaluation in document_check_evaluations(context.instance, doc, frames["dq_check_result"]):
            context.log_event(evaluation)
    clear_staged(doc)
    return doc


@dg.job(name=JOB_NAME, description="Ingest files: read each in parallel, check the suites once, load one by one.")
def ingest_documents():
    load_documents(check_suites(plan_documents().map(read_documents).collect()))


def ingest_job_for(count: int, executor: str = "in_process", warehouse: str = "", raw_dir: str = "",
                   staging_dir: str = "") -> dg.JobDefinition:
    """The same graph with ``count`` read steps named up front (see the module's note).

    Arguments are plain values so that ``dg.build_reconstructable_job`` can rebuild the job in
    a worker process or on a Dask worker.
    """
    from assets.executors import executor_for

    resources = {"paths": BudgetPaths(warehouse_path=warehouse, raw_dir=raw_dir, staging_dir=staging_dir)}

    @dg.job(name=JOB_NAME, executor_def=executor_for(executor), resource_defs=resources)
    def fixed_fan_out():
        staged = {f"share_{i}": read_documents.alias(f"read_documents_{i}")() for i in range(count)}
        load_documents_unpooled(check_suites_of(count)(**staged))

    return fixed_fan_out


def shares(raws: list[RawDocument], steps: int) -> list[list[RawDocument]]:
    """The files split into ``steps`` shares of about equal bytes (largest first, to the lightest share)."""
    bins: list[tuple[int, list[RawDocument]]] = [(0, []) for _ in range(min(steps, len(raws)))]
    for raw in sorted(raws, key=lambda r: -r.size_bytes):
        i = min(range(len(bins)), key=lambda k: bins[k][0])
        bins[i] = (bins[i][0] + raw.size_bytes, bins[i][1] + [raw])
    return [files for _, files in bins]


def read_inputs(shares_of_files: list[list[RawDocument]]) -> dict:
    """Run config naming each static read step's files."""
    return {"ops": {f"read_documents_{i}": {"inputs": {"files": [entry(r.document_id, r.path) for r in files]}}
                    for i, files in enumerate(shares_of_files)}}
