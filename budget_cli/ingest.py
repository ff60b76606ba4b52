"""`budget-etl ingest`: skip content that is loaded or was quarantined, run the Dagster job over the rest.

A file whose sha256 is a loaded document is `unchanged`: it is not read again (unless --force). A
file whose content was quarantined is quarantined again with the reason recorded when it was read,
as the sensor and the schedule skip it (--retry-quarantined or --force read it again: after an
upgrade of the reader, say). When no file is new no Dagster run starts and neither Dagster nor
Great Expectations is imported, so a run with nothing new answers in about a second.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from budget_cli.progress import IngestDisplay
from pipeline.ingest import discover
from pipeline.model import RawDocument
from pipeline.warehouse.connect import WarehouseBusyError, open_reader, open_writer
from pipeline.warehouse.status import KnownDocument, known_documents, record_file_names, schema_is_current


@dataclass
class Line:
    """One document's line of the ingest's answer."""

    status: str  # 'loaded' | 'unchanged' | 'quarantined' | 'failed'
    title: str
    file_name: str
    facts: int
    indicators: int
    reason: str | None = None

    def __str__(self) -> str:
        text = f"{self.status:<11} {self.title}  ({self.file_name}, {self.facts} facts, {self.indicators} indicators)"
        return text + (f"\n            reason: {self.reason}" if self.reason else "")


def already_known(warehouse: Path, raws: list[RawDocument]) -> dict[str, KnownDocument]:
    """The files' documents the warehouse holds, loaded or quarantined; the loaded ones' file names
    are brought up to date.

    A read-only look, so a reader (the UI, `budget-etl sql`) does not block it. A warehouse that is
    being written right now is treated as holding nothing: the ingest then waits for the writer.
    """
    if not warehouse.exists():
        return {}
    try:
        con = open_reader(warehouse)
    except WarehouseBusyError:
        return {}
    try:
        known = known_documents(con, [r.document_id for r in raws])
        current = schema_is_current(con)
    finally:
        con.close()
    renamed = {r.document_id: r.file_name for r in raws if r.document_id in known
               and known[r.document_id].status == "loaded" and known[r.document_id].file_name != r.file_name}
    if renamed or not current:
        con = open_writer(warehouse)  # also brings an older file's schema up to date
        try:
            record_file_names(con, renamed)
        finally:
            con.close()
    return known


@dataclass(frozen=True)
class RunOptions:
    """How the run is spread: documents at once (processes), or a Dask cluster, and the staging folder."""

    workers: int = 1
    scheduler: str | None = None
    staging: Path | None = None


def _read(raws: list[RawDocument], warehouse: Path, raw_folder: Path, options: RunOptions,
          display: IngestDisplay) -> tuple[dict[str, Line], set[str]]:
    """Run the Dagster ingest over the files: one Line per document_id, and those already shown."""
    from assets.runner import Progress, ingest  # Dagster and the readers are imported only when there is work

    shown: set[str] = set()

    def document_done(done) -> None:
        shown.add(done.document_id)
        display.document_done(Line(done.status, done.title or done.file_name, done.file_name, done.facts,
                                   done.indicators, done.reason))

    # One document gains nothing from a second process: the run stays in this one.
    workers = min(options.workers, max(len(raws), 1))
    runs = ingest([r.path for r in raws], warehouse, raw_folder, progress=Progress(display.stage, document_done),
                  workers=workers, scheduler=options.scheduler, staging=options.staging, documents_found=raws)
    return {r.raw.document_id: Line(r.status, r.title, r.raw.file_name, r.facts, r.indicators, r.reason) for r in runs}, shown


# Said after the reason of content quarantined by an earlier run.
AS_BEFORE = "(quarantined when it was first read; --retry-quarantined reads it again)"


def _known_line(raw: RawDocument, doc: KnownDocument) -> Line:
    if doc.status == "quarantined":
        return Line("quarantined", doc.title or raw.file_name, raw.file_name, 0, 0, f"{doc.reason} {AS_BEFORE}")
    return Line("unchanged", doc.title or raw.file_name, raw.file_name, doc.facts, doc.indicators)


def run_ingest(paths: list[str], warehouse: Path, raw_folder: Path, force: bool = False, workers: int = 1,
               scheduler: str | None = None, staging: Path | None = None, retry_quarantined: bool = False) -> int:
    inputs = [Path(p) for p in paths] or [raw_folder]
    missing = [p for p in inputs if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 1
    raws = discover(inputs)
    lines: list[Line] = []
    try:
        known = {} if force else already_known(warehouse, raws)
        if retry_quarantined:
            known = {k: doc for k, doc in known.items() if doc.status == "loaded"}
        for raw in raws:  # known at once: shown first, in the order the files were found
            if raw.document_id in known:
                lines.append(_known_line(raw, known[raw.document_id]))
                print(lines[-1], flush=True)
        todo = [r for r in raws if r.document_id not in known]
        # With no file at all, a first run still creates the warehouse with its classification.
        options = RunOptions(workers, scheduler, staging)
        read, shown = {}, set()
        if todo or not warehouse.exists():
            with IngestDisplay(len(todo)) as display:
                read, shown = _read(todo, warehouse, raw_folder, options, display)
    except WarehouseBusyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for document_id, line in read.items():  # each loaded one was printed as it finished; the rest now
        lines.append(line)
        if document_id not in shown:
            print(line)
    count = {s: sum(ln.status == s for ln in lines) for s in ("loaded", "unchanged", "quarantined", "failed")}
    print(f"{len(lines)} documents: {count['loaded']} loaded, {count['unchanged']} unchanged, "
          f"{count['quarantined']} quarantined, {count['failed']} failed → {warehouse}")
    if count["failed"]:
        return 1
    return 2 if count["quarantined"] else 0
