"""A PDF opened once: the file checked, its pages measured, their text lines read.

:func:`open_pdf` answers "can this file be read at all?" (encrypted, damaged, empty files become a
:class:`QuarantineError` with an actionable sentence; scanned pages are left to OCR, see
:mod:`ocr`) and returns a :class:`PdfFile`: per page, the visual text lines with their positions
(the table reader places table titles, units and notes with them; joined, they are the page text
for narrative regexes), its drawings and its images.

Each library parses the file once, and the file stays open while the document is read: pdfium
(pypdfium2, a wheel: no system package) checks the file, counts drawings and images and renders
pages for OCR and for camelot's raster engine; playa, the parser camelot itself uses, gives the
characters (so text and table cells agree, and fonts pdfium cannot load, non-embedded CJK CID
fonts, still give every character; they are grouped into lines in :mod:`lines`) and the pages
camelot lays out (:mod:`grids`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import playa
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

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


class PdfFile:
    """An open PDF and its pages; close it (or use it as a context manager) when read."""

    def __init__(self, path: Path, pdfium_doc: pdfium.PdfDocument, playa_doc: playa.Document) -> None:
        self.path = path
        self.pages: list[PdfPage] = []
        self._pdfium = pdfium_doc
        self._playa = playa_doc

    def __enter__(self) -> PdfFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._playa.close()
        self._pdfium.close()

    def layout_page(self, number: int) -> playa.Page:
        """Page ``number`` (1-based) as the character parser sees it, for camelot's layout."""
        return self._playa.pages[number - 1]

    def render(self, number: int, dpi: int) -> Image.Image:
        """Page ``number`` (1-based) rendered at ``dpi``."""
        page = self._pdfium[number - 1]
        try:
            return page.render(scale=dpi / 72.0).to_pil()
        finally:
            page.close()


def open_pdf(path: Path, display_name: str) -> PdfFile:
    """Open and read every page of the PDF at ``path``, or quarantine the file with a reason."""
    data = path.read_bytes()
    if b"%PDF-" not in data[:1024]:
        raise QuarantineError(f"{display_name} is not a PDF file (no %PDF header); check the download.")
    _check_complete(data, display_name)
    doc = _open_document(data, display_name)
    try:
        pages = _measure_pages(doc, display_name)
        pdf = PdfFile(path, doc, _open_characters(path, display_name))
    except BaseException:
        doc.close()
        raise
    try:
        pdf.pages = pages
        _read_lines(pdf, display_name)
        _check_text_layer(pages, display_name)
    except BaseException:
        pdf.close()
        raise
    return pdf


def _measure_pages(doc: pdfium.PdfDocument, display_name: str) -> list[PdfPage]:
    n_pages = len(doc)
    if n_pages == 0:
        raise QuarantineError(f"{display_name} has no pages; obtain a complete copy of the document.")
    if pdfium_c.FPDF_GetSecurityHandlerRevision(doc) != -1:
        permissions = pdfium_c.FPDF_GetDocPermissions(doc) & 0xFFFFFFFF
        if not permissions & _PERM_EXTRACT:
            raise QuarantineError(
                f"{display_name} is encrypted and forbids text extraction; provide an unencrypted copy."
            )
    return [_page_objects(doc, i) for i in range(n_pages)]


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
        doc = pdfium.PdfDocument(data)
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
    doc.init_forms()  # before any page is loaded: renderings show filled form fields, as a viewer does
    return doc


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


def _open_characters(path: Path, display_name: str) -> playa.Document:
    try:
        return playa.open(path, space="page")
    except Exception as exc:  # noqa: BLE001 - a parser failure means a damaged file
        raise _unparsable(display_name, exc) from exc


def _read_lines(pdf: PdfFile, display_name: str) -> None:
    try:
        for info in pdf.pages:
            info.lines, info.n_chars = read_page_lines(pdf.layout_page(info.number))
    except QuarantineError:
        raise
    except Exception as exc:  # noqa: BLE001 - a parser failure on any page means a damaged file
        raise _unparsable(display_name, exc) from exc


def _unparsable(display_name: str, exc: Exception) -> QuarantineError:
    return QuarantineError(
        f"{display_name} could not be parsed ({type(exc).__name__}: {exc}); "
        "obtain a new copy from the publisher."
    )
