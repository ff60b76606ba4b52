"""Opening a PDF and reading its pages' text lines.

This module answers "can this file be read at all?" (encrypted, damaged, empty files become a
:class:`QuarantineError` with an actionable sentence; scanned pages are left to OCR, see
:mod:`ocr`) and gives, per page, the visual text lines with their positions. The table reader
places table titles, units and notes with those lines; the lines joined are also the page text
for narrative regexes.

pdfium (pypdfium2, a wheel: no system package) opens and checks the file and counts drawings and
images; characters come from playa, the parser camelot itself uses, so text and table cells agree
and fonts pdfium cannot load (non-embedded CJK CID fonts) still give every character; they are
grouped into lines in :mod:`lines`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import playa
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.extract.pdf.lines import TextLine, read_page_lines
from pipeline.model import QuarantineError

_OBJ_PATH = pdfium_c.FPDF_PAGEOBJ_PATH
_OBJ_IMAGE = pdfium_c.FPDF_PAGEOBJ_IMAGE
_PERM_EXTRACT = 1 << 4  # PDF permission bit 5: copy or otherwise extract text

# A page "has text" when it carries at least this many readable characters; fewer is a stray
# page number or a scanned page with a few OCR crumbs.
MIN_PAGE_CHARS = 8


@dataclass
class PdfPage:
    """What the table reader needs to know about one page."""

    number: int  # 1-based
    width: float
    height: float
    lines: list[TextLine] = field(default_factory=list)  # top to bottom
    n_chars: int = 0  # readable (non-space) characters
    n_paths: int = 0  # vector path segments: ruled tables are drawn with them
    image_cover: float = 0.0  # share of the page area covered by images

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def has_text(self) -> bool:
        return self.n_chars >= MIN_PAGE_CHARS

    @property
    def looks_scanned(self) -> bool:
        return self.image_cover >= 0.5


def open_pages(path: Path, display_name: str) -> list[PdfPage]:
    """Read every page of the PDF at ``path``, or quarantine the file with a reason."""
    data = path.read_bytes()
    if b"%PDF-" not in data[:1024]:
        raise QuarantineError(f"{display_name} is not a PDF file (no %PDF header); check the download.")
    _check_complete(data, display_name)
    doc = _open_document(data, display_name)
    try:
        n_pages = len(doc)
        if n_pages == 0:
            raise QuarantineError(f"{display_name} has no pages; obtain a complete copy of the document.")
        if pdfium_c.FPDF_GetSecurityHandlerRevision(doc) != -1:
            permissions = pdfium_c.FPDF_GetDocPermissions(doc) & 0xFFFFFFFF
            if not permissions & _PERM_EXTRACT:
                raise QuarantineError(
                    f"{display_name} is encrypted and forbids text extraction; "
                    "provide an unencrypted copy."
                )
        pages = [_page_objects(doc, i) for i in range(n_pages)]
    finally:
        doc.close()
    _read_lines(path, pages, display_name)
    _check_text_layer(pages, display_name)
    return pages


def _check_complete(data: bytes, display_name: str) -> None:
    # Every complete PDF ends with %%EOF (incremental updates too); a cut download does not.
    # pdfium would often "repair" such a file silently and lose the missing pages.
    tail = data.rstrip(b"\x00 \t\r\n")[-8192:]
    if b"%%EOF" not in tail:
        raise QuarantineError(
            f"{display_name} is truncated or damaged (no end-of-file marker); download it again."
        )


def _open_document(data: bytes, display_name: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        # pdfium reports a password, an empty page tree and damage alike: ask pypdf which it is
        encrypted, n_pages = _pypdf_probe(data)
        if encrypted:
            raise QuarantineError(
                f"{display_name} is encrypted (it needs a password to open); provide an unencrypted copy."
            ) from exc
        if n_pages == 0:
            raise QuarantineError(
                f"{display_name} has no pages; obtain a complete copy of the document."
            ) from exc
        raise QuarantineError(
            f"{display_name} is corrupt and cannot be opened ({exc}); obtain a new copy from the publisher."
        ) from exc


def _pypdf_probe(data: bytes) -> tuple[bool, int | None]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return True, None
        return False, len(reader.pages)
    except Exception:  # noqa: BLE001 - any parse failure just means "not a readable PDF"
        return False, None


def _check_text_layer(pages: list[PdfPage], display_name: str) -> None:
    # scanned pages without text are left to OCR (ocr), which says why if it reads nothing
    if any(p.has_text or p.looks_scanned for p in pages):
        return
    raise QuarantineError(
        f"{display_name} has no usable text layer (no readable characters on any page); "
        "if it is a scan, run OCR on it first, otherwise obtain a text-based copy."
    )


# --- one page ---------------------------------------------------------------------------------


def _page_objects(doc: pdfium.PdfDocument, index: int) -> PdfPage:
    page = doc[index]
    try:
        width, height = page.get_size()
        n_paths, image_area = 0, 0.0
        for obj in page.get_objects(filter=(_OBJ_PATH, _OBJ_IMAGE)):
            if obj.type == _OBJ_PATH:
                # segments, not objects: some producers draw a whole grid as one path
                n_paths += max(1, pdfium_c.FPDFPath_CountSegments(obj.raw))
            else:
                left, bottom, right, top = obj.get_bounds()
                image_area += max(0.0, right - left) * max(0.0, top - bottom)
    finally:
        page.close()
    cover = min(1.0, image_area / (width * height)) if width and height else 0.0
    return PdfPage(number=index + 1, width=width, height=height, n_paths=n_paths, image_cover=cover)


def _read_lines(path: Path, pages: list[PdfPage], display_name: str) -> None:
    try:
        with playa.open(path, space="page") as pdf:
            for info, page in zip(pages, pdf.pages, strict=True):
                info.lines, info.n_chars = read_page_lines(page)
    except QuarantineError:
        raise
    except Exception as exc:  # noqa: BLE001 - a parser failure on any page means a damaged file
        raise QuarantineError(
            f"{display_name} could not be parsed ({type(exc).__name__}: {exc}); "
            "obtain a new copy from the publisher."
        ) from exc

