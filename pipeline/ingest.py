"""Discovering raw files, reading one, or recording why it cannot be read (a quarantine record).

Plain functions, no Dagster: the assets, the console script and the tests call these. The readers
are imported when a file is read, so finding and hashing files (all an ingest with nothing new does)
stays light.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from pipeline.model import ExtractedDocument, QuarantineError, RawDocument
from pipeline.schema import frame

TEXT_SUFFIXES = {".txt", ".text", ".md", ".csv", ".tsv"}
PDF_SUFFIXES = {".pdf"}


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_format(path: Path, head: bytes) -> str:
    if head.startswith(b"%PDF") or path.suffix.lower() in PDF_SUFFIXES:
        return "pdf"
    return "text"


def iter_files(paths: list[Path]) -> list[Path]:
    """Files under the given files/folders (subfolders included), hidden files skipped."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(
                f for f in p.rglob("*")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        elif p.is_file():
            out.append(p)
    return out


# document_id of a file that vanished before it could be hashed: it matches no partition.
VANISHED = ""


def describe(path: Path) -> RawDocument:
    """Identify the file at ``path`` by the sha256 of its bytes.

    A file that disappears before it can be read does not raise: its document_id is
    :data:`VANISHED`, which matches no document, so a caller looking for a document's file
    falls back to its "missing" handling (a quarantine record) instead of failing the run.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
        return RawDocument(
            path=path,
            document_id=sha256_of(path),
            file_name=path.name,
            file_format=file_format(path, head),
            size_bytes=path.stat().st_size,
        )
    except FileNotFoundError:
        return RawDocument(path=path, document_id=VANISHED, file_name=path.name,
                           file_format=file_format(path, b""), size_bytes=0)


def discover(paths: list[Path]) -> list[RawDocument]:
    """One RawDocument per distinct content: a renamed copy of a file is the same document."""
    seen: dict[str, RawDocument] = {}
    for f in iter_files(paths):
        try:
            raw = describe(f)
        except OSError:
            continue  # unreadable (permissions, a dangling link): the next scan sees the truth
        if raw.document_id == VANISHED:
            continue  # vanished between listing and reading
        seen.setdefault(raw.document_id, raw)
    return list(seen.values())


def _short(exc: BaseException, limit: int = 300) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _vanished(raw: RawDocument) -> QuarantineError:
    return QuarantineError(
        f"{raw.file_name} disappeared while it was being ingested (document {raw.document_id[:12]}…). "
        "Put the file back into the raw folder and run `budget-etl ingest` on it (or re-materialize "
        "its partition in the Dagster UI)."
    )


def extract(raw: RawDocument) -> ExtractedDocument:
    """Read a file with the reader for its format; QuarantineError when it cannot be read.

    Whatever goes wrong inside a reader (a parser bug, a damaged file it does not expect, a
    reader that cannot be imported) becomes a QuarantineError naming the file and the error,
    so one bad file never fails the run for the others.
    """
    try:
        data = raw.path.read_bytes()
    except FileNotFoundError as exc:
        raise _vanished(raw) from exc
    except OSError as exc:
        raise QuarantineError(
            f"{raw.file_name} could not be read ({exc.strerror or exc}); check that it is a regular file "
            "the ingest may read, then drop it again."
        ) from exc
    if not data.strip():
        raise QuarantineError(f"{raw.file_name} is empty (0 bytes of content): replace it with the full disclosure.")
    kind = "PDF" if raw.file_format == "pdf" else "text"
    try:
        if raw.file_format == "pdf":
            from pipeline.extract.pdf.reader import read_pdf  # imported lazily: camelot is heavy

            return read_pdf(raw)
        from pipeline.extract.text_reader import read_text

        return read_text(raw, data)
    except QuarantineError:
        raise
    except FileNotFoundError as exc:
        raise _vanished(raw) from exc
    except ImportError as exc:
        raise QuarantineError(
            f"{raw.file_name} was not read: the {kind} reader is not available in this installation "
            f"({_short(exc)}). Reinstall the project (`make setup`), then ingest the file again."
        ) from exc
    except Exception as exc:  # noqa: BLE001 - any reader failure quarantines this file only
        raise QuarantineError(
            f"{raw.file_name} could not be read by the {kind} reader ({type(exc).__name__}: {_short(exc)}). "
            "The file may be damaged: open it to check, obtain a new copy from the publisher, and "
            "report the error if the file opens fine elsewhere."
        ) from exc


@dataclass
class Extraction:
    """What reading one file gave: the document, or the reason it is quarantined."""

    document: ExtractedDocument | None
    quarantine_reason: str | None = None


def try_extract(raw: RawDocument) -> Extraction:
    try:
        return Extraction(extract(raw))
    except QuarantineError as exc:
        return Extraction(None, str(exc))


def quarantine_document(raw: RawDocument, reason: str, when: datetime | None = None) -> pl.DataFrame:
    now = when or datetime.now(UTC).replace(tzinfo=None)
    return frame(
        "dim_document",
        [dict(document_id=raw.document_id, file_name=raw.file_name, file_format=raw.file_format,
              status="quarantined", status_reason=reason, ingested_at=now, file_size_bytes=raw.size_bytes)],
    )

