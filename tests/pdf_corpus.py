"""What the PDF-reader tests share: the corpus paths, a RawDocument for a file, a cached reader of
the corpus PDFs, and lookups of tables, rows and cells."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from pipeline.extract.pdf.reader import read_pdf
from pipeline.extract.titles import classify_title
from pipeline.model import ExtractedDocument, ExtractedTable, RawDocument
from pipeline.text import squash

FIXTURES = Path(__file__).parent / "fixtures"
PDF_DIR = FIXTURES / "pdf"
TEXT_DIR = FIXTURES / "text"
KEQIAO_TEXT = TEXT_DIR / "keqiao-npc-office-2023.txt"


def raw_document(path: Path) -> RawDocument:
    data = path.read_bytes()
    return RawDocument(
        path=path,
        document_id=hashlib.sha256(data).hexdigest(),
        file_name=path.name,
        file_format="pdf" if path.suffix == ".pdf" else "text",
        size_bytes=len(data),
    )


def corpus_reader() -> Callable[[str], ExtractedDocument]:
    """Read a corpus PDF once per reader (reading the five takes a few seconds)."""
    cache: dict[str, ExtractedDocument] = {}

    def read(stem: str) -> ExtractedDocument:
        if stem not in cache:
            cache[stem] = read_pdf(raw_document(PDF_DIR / f"{stem}.pdf"))
        return cache[stem]

    return read


def kind_of(table: ExtractedTable) -> str | None:
    return classify_title(table.title, " ".join(c for row in table.header_rows for c in row))


def tables(doc: ExtractedDocument, kind: str) -> list[ExtractedTable]:
    return [t for t in doc.tables if kind_of(t) == kind]


def row(table: ExtractedTable, *cells: str) -> list[str]:
    """The first body row holding all ``cells`` (compared without whitespace)."""
    wanted = [squash(c) for c in cells]
    for body_row in table.body_rows:
        have = [squash(c) for c in body_row]
        if all(w in have for w in wanted):
            return body_row
    raise AssertionError(f"no row with {cells} in {table.title!r}")


def values(table_row: list[str]) -> list[str]:
    """The non-empty cells of a row."""
    return [c for c in table_row if c]

