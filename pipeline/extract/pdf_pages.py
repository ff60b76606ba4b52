"""Opening a PDF and reading its pages' text lines.

This module answers "can this file be read at all?" (encrypted, damaged, empty files become a
:class:`QuarantineError` with an actionable sentence; scanned pages are left to OCR, see
:mod:`pdf_ocr`) and gives, per page, the visual text lines with their positions. The table reader
places table titles, units and notes with those lines; the lines joined are also the page text
for narrative regexes.

pdfium (pypdfium2, a wheel: no system package) opens and checks the file and counts drawings and
images; characters come from playa, the parser camelot itself uses, so text and table cells agree
and fonts pdfium cannot load (non-embedded CJK CID fonts) still give every character.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import playa
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.extract.text_cleaning import clean_text_line
from pipeline.model import QuarantineError

_OBJ_PATH = pdfium_c.FPDF_PAGEOBJ_PATH
_OBJ_IMAGE = pdfium_c.FPDF_PAGEOBJ_IMAGE
_PERM_EXTRACT = 1 << 4  # PDF permission bit 5: copy or otherwise extract text

# A page "has text" when it carries at least this many readable characters; fewer is a stray
# page number or a scanned page with a few OCR crumbs.
MIN_PAGE_CHARS = 8
# A gap wider than this share of the font height between two characters is a word/cell break
# (the same share camelot is given as word_margin, so page text and cells space alike).
_SPACE_GAP = 0.3
# Chinese has no spaces between words: between two CJK characters only a gap of a whole
# character (two cells of a table row) is a break; smaller ones are justification or bad widths.
_CJK_SPACE_GAP = 1.0


@dataclass
class Word:
    """A run of characters of one line with no break-sized gap: a cell's text on that line."""

    text: str
    x0: float
    x1: float


@dataclass
class TextLine:
    """One visual line of text; coordinates are PDF points, origin bottom-left (y grows up)."""

    text: str
    x0: float
    bottom: float
    x1: float
    top: float
    words: list[Word] = field(default_factory=list)  # left to right; borderless tables use them

    @property
    def y_mid(self) -> float:
        return (self.top + self.bottom) / 2


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
    # scanned pages without text are left to OCR (pdf_ocr), which says why if it reads nothing
    if any(p.has_text or p.looks_scanned for p in pages):
        return
    raise QuarantineError(
        f"{display_name} has no usable text layer (no readable characters on any page); "
        "if it is a scan, run OCR on it first, otherwise obtain a text-based copy."
    )


# --- one page ---------------------------------------------------------------------------------


@dataclass
class _Char:
    ch: str
    left: float
    bottom: float
    right: float
    top: float


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
                chars = _upright_chars(page)
                info.n_chars = sum(1 for c in chars if not c.ch.isspace() and _is_readable(c.ch))
                info.lines = _group_lines(chars)
    except QuarantineError:
        raise
    except Exception as exc:  # noqa: BLE001 - a parser failure on any page means a damaged file
        raise QuarantineError(
            f"{display_name} could not be parsed ({type(exc).__name__}: {exc}); "
            "obtain a new copy from the publisher."
        ) from exc


def _upright_chars(page: playa.Page) -> list[_Char]:
    """The page's characters in the coordinates where its text reads left to right.

    A page turned by /Rotate, or a table printed sideways, has vertical text; it is turned the
    way camelot turns it before finding tables, so text lines and table grids line up.
    """
    glyphs = [g for g in page.glyphs if g.text and g.bbox[3] > g.bbox[1]]
    clockwise = sum(1 for g in glyphs if g.matrix[1] < 0 and g.matrix[2] > 0)
    anticlockwise = sum(1 for g in glyphs if g.matrix[1] > 0 and g.matrix[2] < 0)
    if clockwise + anticlockwise > len(glyphs) / 2:
        turn = 90 if anticlockwise > clockwise else -90
        page.set_initial_ctm(page.space, page.rotate + turn)
        glyphs = [g for g in page.glyphs if g.text and g.bbox[3] > g.bbox[1]]
    return [_Char(g.text, *g.bbox) for g in glyphs]


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch[0]) in ("W", "F")


def _is_readable(ch: str) -> bool:
    # U+FFFD and the private-use area are what fonts without a Unicode map extract as.
    code = ord(ch[0])
    return code != 0xFFFD and not 0xE000 <= code <= 0xF8FF and ch.isprintable()


def _group_lines(chars: list[_Char]) -> list[TextLine]:
    """Cluster characters into visual lines by their vertical middle, each read left to right.

    A character joins a line when its middle is within a third of the line's height of the
    line's middle; glyph boxes of neighbouring lines overlap, so overlap alone would chain them.
    """
    chars = sorted(chars, key=lambda c: -(c.top + c.bottom))
    bands: list[list[_Char]] = []
    mids: list[float] = []
    limits: list[float] = []
    for c in chars:
        if c.ch.isspace():
            continue
        mid = (c.top + c.bottom) / 2
        if bands and abs(mids[-1] - mid) <= limits[-1]:
            bands[-1].append(c)
        else:
            bands.append([c])
            mids.append(mid)
            limits.append((c.top - c.bottom) / 3)
    for c in chars:  # typed spaces go to the line they sit on
        if c.ch == " ":
            mid = (c.top + c.bottom) / 2
            for band, band_mid, limit in zip(bands, mids, limits, strict=True):
                if abs(band_mid - mid) <= limit:
                    band.append(c)
                    break
    lines = [_band_to_line(band) for band in bands]
    lines.sort(key=lambda ln: -ln.top)
    return lines


def _band_to_line(band: list[_Char]) -> TextLine:
    band.sort(key=lambda c: (c.left, c.ch != " "))
    glyphs = [c for c in band if c.ch != " "]
    bottom, top = min(c.bottom for c in glyphs), max(c.top for c in glyphs)
    height = top - bottom
    parts: list[str] = []
    words: list[list[_Char]] = []  # split where a gap (not a typed space) breaks the line
    prev: _Char | None = None
    for c in band:
        if c.ch == " ":
            parts.append(" ")
            if words:
                words[-1].append(c)  # a typed space stays inside its cell ('项 目')
            continue
        if prev is not None:
            both_cjk = _is_cjk(prev.ch) and _is_cjk(c.ch)
            if c.left - prev.right > (_CJK_SPACE_GAP if both_cjk else _SPACE_GAP) * height:
                parts.append(" ")
                words.append([])
        if not words:
            words.append([])
        words[-1].append(c)
        parts.append(c.ch)
        prev = c
    # converter left-overs ('## ', '- ', '**') go as in the text reader
    text = clean_text_line("".join(parts))
    boxes = [_word(w) for w in words]
    return TextLine(text, glyphs[0].left, bottom, max(c.right for c in glyphs), top, boxes)


def _word(chars: list[_Char]) -> Word:
    ink = [c for c in chars if c.ch != " "]
    return Word(" ".join("".join(c.ch for c in chars).split()), ink[0].left, max(c.right for c in ink))
