"""Discovering raw files and turning one into warehouse frames (or a quarantine record).

Plain functions, no Dagster: the assets and the tests call these.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from pipeline.extract.text_reader import read_text
from pipeline.model import ExtractedDocument, QuarantineError, RawDocument
from pipeline.normalize.build import DocumentFrames, normalize_document
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


def describe(path: Path) -> RawDocument:
    with path.open("rb") as fh:
        head = fh.read(8)
    return RawDocument(
        path=path,
        document_id=sha256_of(path),
        file_name=path.name,
        file_format=file_format(path, head),
        size_bytes=path.stat().st_size,
    )


def discover(paths: list[Path]) -> list[RawDocument]:
    """One RawDocument per distinct content: a renamed copy of a file is the same document."""
    seen: dict[str, RawDocument] = {}
    for f in iter_files(paths):
        try:
            raw = describe(f)
        except OSError:
            continue  # vanished between listing and reading; the next scan sees the truth
        seen.setdefault(raw.document_id, raw)
    return list(seen.values())


def extract(raw: RawDocument) -> ExtractedDocument:
    """Read a file with the reader for its format; QuarantineError when it cannot be read."""
    try:
        data = raw.path.read_bytes()
    except FileNotFoundError as exc:
        raise QuarantineError(
            f"{raw.file_name} disappeared while it was being ingested; drop it into the raw folder again."
        ) from exc
    if not data.strip():
        raise QuarantineError(f"{raw.file_name} is empty (0 bytes of content): replace it with the full disclosure.")
    if raw.file_format == "pdf":
        from pipeline.extract.pdf_reader import read_pdf  # imported lazily: camelot is heavy

        return read_pdf(raw)
    return read_text(raw, data)


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


@dataclass
class IngestOutcome:
    raw: RawDocument
    status: str  # 'loaded' | 'quarantined'
    reason: str | None
    frames: DocumentFrames | None
    quarantine_frame: pl.DataFrame | None = None


def quarantine_document(raw: RawDocument, reason: str, when: datetime | None = None) -> pl.DataFrame:
    now = when or datetime.now(UTC).replace(tzinfo=None)
    return frame(
        "dim_document",
        [dict(document_id=raw.document_id, file_name=raw.file_name, file_format=raw.file_format,
              status="quarantined", status_reason=reason, ingested_at=now, file_size_bytes=raw.size_bytes)],
    )


def process(raw: RawDocument) -> IngestOutcome:
    """Extract and normalise one file; any QuarantineError becomes a quarantine record."""
    try:
        doc = extract(raw)
        frames = normalize_document(doc)
    except QuarantineError as exc:
        return IngestOutcome(raw, "quarantined", str(exc), None, quarantine_document(raw, str(exc)))
    return IngestOutcome(raw, "loaded", None, frames)
