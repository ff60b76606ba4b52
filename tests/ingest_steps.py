"""A file through the ingest's reading steps without Dagster: read, then normalise, as the assets do.

Tests that want one document's frames (or its quarantine reason) without a warehouse use this.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest import describe, try_extract
from pipeline.model import QuarantineError, RawDocument
from pipeline.normalize.build import DocumentFrames, normalize_document


@dataclass
class FileOutcome:
    raw: RawDocument
    status: str  # 'loaded' | 'quarantined'
    reason: str | None
    frames: DocumentFrames | None


def read_file(path: Path) -> FileOutcome:
    """The frames of the file at ``path``, or why it is quarantined (assets.documents' steps)."""
    raw = describe(path)
    extraction = try_extract(raw)
    if extraction.document is None:
        return FileOutcome(raw, "quarantined", extraction.quarantine_reason, None)
    try:
        return FileOutcome(raw, "loaded", None, normalize_document(extraction.document))
    except QuarantineError as exc:
        return FileOutcome(raw, "quarantined", str(exc), None)
