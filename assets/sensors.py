"""The new-file sensor: every new content in the raw folder becomes a partition and a run.

Each tick lists the raw folder (subfolders included, hidden files skipped) and hashes only the
files it has not seen with the same size and modification time: the cursor remembers
``relative path -> (size, mtime_ns, sha256)`` of the previous listing. A sha256 that is not yet a
partition of ``documents`` is new content: the tick adds the partition
(``SensorResult.dynamic_partitions_requests``) and requests one ``ingest_documents`` run for it
with ``run_key = sha256`` (tag ``budget/document``), so the daemon never launches a second run for the same content, even
when a tick is retried or the cursor is lost. A renamed or copied file hashes to a known
partition and adds nothing. Content the warehouse file already holds (the console script loaded it,
recording its runs in an instance of its own) becomes a partition without a run.
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from assets.ingest_job import entry, ingest_run_config
from assets.partitions import documents
from assets.resources import BudgetPaths
from pipeline.ingest import describe, file_format, iter_files
from pipeline.warehouse.status import held_documents

INGEST_JOB = "ingest_documents"
SENSOR_INTERVAL_SECONDS = 30
CURSOR_VERSION = 1


def _load_cursor(cursor: str | None) -> dict[str, list]:
    """``{relative path: [size, mtime_ns, sha256]}``; an unreadable cursor counts as empty."""
    if not cursor:
        return {}
    try:
        data = json.loads(cursor)
    except ValueError:
        return {}
    if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def _dump_cursor(files: dict[str, list]) -> str:
    return json.dumps({"v": CURSOR_VERSION, "files": files}, sort_keys=True, separators=(",", ":"))


def scan_raw_folder(raw_dir: Path, previous: dict[str, list]) -> tuple[dict[str, list], dict[str, Path], int]:
    """Fingerprint every file under ``raw_dir``.

    Returns the new cursor entries, the first path seen for each sha256 (in path order), and how
    many files had to be hashed (the rest were unchanged since the previous tick).
    """
    files: dict[str, list] = {}
    first_path: dict[str, Path] = {}
    hashed = 0
    for path in iter_files([raw_dir]) if raw_dir.is_dir() else []:
        rel = path.relative_to(raw_dir).as_posix()
        try:
            st = path.stat()
        except OSError:
            continue  # vanished since the listing
        known = previous.get(rel)
        if known and known[0] == st.st_size and known[1] == st.st_mtime_ns:
            sha = known[2]
        else:
            raw = describe(path)
            hashed += 1
            if not raw.document_id:
                continue  # vanished while being hashed
            sha = raw.document_id
        files[rel] = [st.st_size, st.st_mtime_ns, sha]
        first_path.setdefault(sha, path)
    return files, first_path, hashed


def document_run_request(sha: str, path: Path) -> dg.RunRequest:
    """One ingest run for one new document (its partition); run_key = the content's sha256."""
    return dg.RunRequest(
        run_key=sha,
        run_config=ingest_run_config([entry(sha, path)]),
        tags={"budget/document": sha, "budget/file": path.name, "budget/format": file_format(path, b"")},
    )



@dg.sensor(
    name="new_document_sensor",
    job_name=INGEST_JOB,
    minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Adds a documents partition for every new file content in the raw folder "
    "(subfolders included) and ingests it; renamed copies of known files add nothing.",
)
def new_document_sensor(context: dg.SensorEvaluationContext, paths: BudgetPaths) -> dg.SensorResult:
    previous = _load_cursor(context.cursor)
    files, first_path, hashed = scan_raw_folder(paths.raw, previous)
    cursor = _dump_cursor(files)
    known = set(context.instance.get_dynamic_partitions(documents.name))
    new = [sha for sha in first_path if sha not in known]
    if not new:
        return dg.SensorResult(
            skip_reason=f"No new content in {paths.raw} ({len(files)} files, {len(first_path)} documents, "
            f"{hashed} hashed this tick).",
            cursor=cursor,
        )
    # content another instance or the console script loaded is a partition here too, but no run
    held = held_documents(paths.warehouse, new)
    if held:
        context.log.info(f"{len(held)} new document(s) already in {paths.warehouse}: partition added, no run")
    to_read = [sha for sha in new if sha not in held]
    if to_read:
        context.log.info(f"{len(to_read)} new document(s) in {paths.raw}: "
                         + ", ".join(first_path[sha].name for sha in to_read))
    return dg.SensorResult(
        run_requests=[document_run_request(sha, first_path[sha]) for sha in to_read],
        dynamic_partitions_requests=[documents.build_add_request(new)],
        cursor=cursor,
        skip_reason=None if to_read else f"Every new document is in {paths.warehouse} already.",
    )
