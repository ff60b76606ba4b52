"""The intermediate structures every reader produces and every normaliser consumes.

PDF and text extraction both end in an :class:`ExtractedDocument`; everything after that is
shared, so a fact read from a PDF and the same fact read from text go through one code path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class RawDocument:
    """A file found in the raw folder, identified by the sha256 of its bytes."""

    path: Path
    document_id: str  # sha256 hex of the bytes
    file_name: str
    file_format: str  # 'pdf' | 'text'
    size_bytes: int


@dataclass
class ExtractedTable:
    """One disclosure table as read, before any interpretation of its cells.

    ``header_rows`` are the column-heading rows (possibly several, for spanned headings);
    ``body_rows`` are data rows, cells as printed (whitespace-normalised, nothing parsed).
    ``row_pages`` runs parallel to ``body_rows``: the 1-based PDF page each row was read
    from (None for text input).
    """

    index: int  # order of the table within its document, 0-based
    title: str  # e.g. '2023年部门支出预算总表'
    unit_label: str | None  # as declared: '万元' | '元' | '亿元' | None when not declared
    header_rows: list[list[str]] = field(default_factory=list)
    body_rows: list[list[str]] = field(default_factory=list)
    row_pages: list[int | None] = field(default_factory=list)
    page: int | None = None  # page of the title (PDF), None for text
    context_lines: list[str] = field(default_factory=list)  # lines between title and header
    notes: list[str] = field(default_factory=list)  # e.g. '注：…故本表无数据'

    @property
    def n_columns(self) -> int:
        rows = self.header_rows + self.body_rows
        return max((len(r) for r in rows), default=0)


@dataclass
class ExtractedDocument:
    """Everything a reader took from one file."""

    raw: RawDocument
    text: str  # the whole plain text, markdown left-overs stripped (narrative regexes run on it)
    tables: list[ExtractedTable] = field(default_factory=list)
    page_count: int | None = None
    page_texts: list[str] = field(default_factory=list)  # per PDF page; [text] for text input
    # where the text came from: 'text_layer' (a PDF's text or a text file), 'ocr' (every page with
    # text was a scan read by OCR) or 'mixed'
    text_source: str = "text_layer"
    ocr_seconds: dict[int, float] = field(default_factory=dict)  # OCR'd page → seconds it took
    # (page, cell text without spaces) → the OCR engine's lowest character confidence for it
    ocr_confidence: dict[tuple[int, str], float] = field(default_factory=dict)


class QuarantineError(Exception):
    """A file that cannot be ingested; the message is a sentence a person can act on."""


@dataclass(frozen=True)
class Place:
    """Where a finding is, as the fact tables number it: the printed table and row, the page and the
    measure (the column). Every field is optional: a table-wide finding has no row, a row-wide one no
    measure. dq_check_result stores it; the report and the HTML pages read it."""

    table_index: int | None = None
    row_index: int | None = None
    page: int | None = None
    measure: str | None = None

    @classmethod
    def of_record(cls, rec: dict, *, cell: bool = False) -> Place:
        """The place of a frame's row (a fact, an inventory line): its row, or with ``cell`` its cell."""
        return cls(rec.get("table_index"), rec.get("row_index"), rec.get("page"), rec.get("measure") if cell else None)

    def columns(self) -> dict[str, object]:
        return {"table_index": self.table_index, "row_index": self.row_index, "page": self.page,
                "measure": self.measure}


NOWHERE = Place()
