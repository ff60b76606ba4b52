"""Read a budget disclosure PDF into an :class:`ExtractedDocument`.

Steps: check and read the pages (:mod:`document`), find table grids with camelot
(:mod:`grids`), then walk every page top to bottom to give each grid its title, unit,
context lines and notes from the text around it, joining grids that continue a table from the
previous page (:mod:`assemble`). The result has the same shape as the text reader's, so both
feed one normaliser.

Pages without a usable text layer that are scanned images are read by OCR first (:mod:`ocr`):
their text lines then look like a text page's, and their tables are read from word positions.
"""

from __future__ import annotations

import re
from itertools import takewhile

from pipeline.extract.layout import is_page_artefact
from pipeline.extract.pdf.assemble import assemble_tables
from pipeline.extract.pdf.continuation import continued_grids
from pipeline.extract.pdf.document import PdfFile, PdfPage, open_pdf
from pipeline.extract.pdf.grids import Fragment, borderless_fragments, lattice_fragments
from pipeline.extract.pdf.lines import TextLine
from pipeline.extract.pdf.ocr import OcrReading, ocr_pages
from pipeline.extract.pdf.page_text import plain_page_text
from pipeline.extract.pdf.words import opens_row, word_fragments
from pipeline.extract.titles import is_toc_entry, looks_like_table_title
from pipeline.model import ExtractedDocument, QuarantineError, RawDocument
from pipeline.text import DECIMAL_FIGURE_IN_TEXT, SENTENCE_MARK

# A ruled table needs a few path segments (a 1x1 box has 4 edges, each a move and a line);
# a page with fewer only has decorations (an underline, a logo).
MIN_RULE_SEGMENTS = 8
# Lines of a borderless table of amounts: two or more amounts and no sentence punctuation.
_LABELLED_ROWS = 5
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")  # '四、2023年…预算表' heads a section of tables


def read_pdf(raw: RawDocument) -> ExtractedDocument:
    """Extract text, tables, titles and units from the PDF ``raw`` points to.

    Raises :class:`QuarantineError` for files that cannot be read (encrypted, damaged, empty,
    scanned pages on which OCR finds no text or no table).
    """
    with open_pdf(raw.path, raw.file_name) as pdf:
        pages = pdf.pages
        try:
            reading = read_scans(raw, pdf)
            fragments = find_fragments(pdf, reading)
        except QuarantineError:
            raise
        except Exception as exc:  # noqa: BLE001 - camelot/playa failing mid-file means a damaged file
            raise QuarantineError(
                f"{raw.file_name}: its tables could not be read ({type(exc).__name__}: {exc}); "
                "the file may be damaged, obtain a new copy from the publisher."
            ) from exc
    _check_scans_hold_tables(raw, pages, reading, fragments)
    page_texts = [plain_page_text(page, fragments) for page in pages]
    text_pages = {p.number for p in pages if p.has_text}
    return ExtractedDocument(
        raw=raw,
        text="\n".join(page_texts),
        tables=assemble_tables(pages, fragments),
        page_count=len(pages),
        page_texts=page_texts,
        text_source=_text_source(text_pages, text_pages & set(reading.pages)),
        ocr_seconds=dict(reading.seconds),
        ocr_confidence=dict(reading.confidence),
    )


def read_scans(raw: RawDocument, pdf: PdfFile) -> OcrReading:
    """OCR the scanned pages that have no usable text layer; quarantine a scan OCR reads nothing on."""
    pages = pdf.pages
    scans = [p for p in pages if not p.has_text and p.looks_scanned]
    reading = ocr_pages(pdf, scans)
    if scans and not any(p.has_text for p in pages):
        raise QuarantineError(
            f"{raw.file_name} has no usable text layer, and OCR read no text on its {len(scans)} scanned "
            "page(s): the images are blank, too faint or too coarse. Rescan the paper at 200 dpi or more, "
            "or obtain a text-based copy from the publisher."
        )
    return reading


def _check_scans_hold_tables(
    raw: RawDocument, pages: list[PdfPage], reading: OcrReading, fragments: list[Fragment]
) -> None:
    """A document that is all scans and shows no table has nothing OCR could load."""
    scanned = set(reading.pages)
    if not scanned or fragments or any(p.has_text and p.number not in scanned for p in pages):
        return
    raise QuarantineError(
        f"{raw.file_name}: its {len(scanned)} page(s) are scans without a text layer; OCR read their "
        "text, but no tables were found on them (narrative pages only). Ingest the disclosure's "
        "table pages, or a text-based copy of it."
    )


def _text_source(text_pages: set[int], ocr_pages: set[int]) -> str:
    """'text_layer', 'ocr' or 'mixed', from the pages with text and those whose text OCR read."""
    if not ocr_pages:
        return "text_layer"
    return "ocr" if text_pages <= ocr_pages else "mixed"


def find_fragments(pdf: PdfFile, reading: OcrReading | None = None) -> list[Fragment]:
    """Table grids on every page, with the flavor chosen per page.

    Ruled pages (vector path segments) go to lattice/vector; image pages with an OCR text layer to
    lattice/raster (their lines are pixels); pages left without a grid that show a table title
    or rows of amounts are read from their words' positions (:mod:`words`), and with
    camelot's network flavor only if the words show no table. Pages read by OCR here (``ocr``)
    have no text camelot could see: only their words' positions are read, in the columns the rules
    found on their images give.
    """
    ocr = set(reading.pages) if reading else set()
    rules = reading.rules if reading else {}
    text_pages = [p for p in pdf.pages if p.has_text]
    pdf_text = [p for p in text_pages if p.number not in ocr]
    ruled = [p.number for p in pdf_text if p.n_paths >= MIN_RULE_SEGMENTS]
    by_number = {p.number: p for p in pdf_text}
    fragments = lattice_fragments(pdf, ruled, engine="vector")
    found = {f.page for f in fragments}
    scanned = [p.number for p in pdf_text if p.looks_scanned and p.number not in found]
    # rules drawn as thin filled outlines (curves, not lines or rectangles) are invisible to the
    # vector engine; the page's image shows them. Pages with rules and a row of amounts: the last
    # row of a table carried over holds a page on its own.
    outlined = [n for n in ruled if n not in found and n not in scanned and _may_hold_table(by_number[n], 1)]
    fragments += lattice_fragments(pdf, scanned + outlined, engine="raster")
    # a table's last rows on the next page under its repeated header, in a grid camelot drops as
    # noise (a page of empty ruled rows) or reads with too few columns: read in the table's columns
    fragments = continued_grids([by_number[n] for n in ruled], fragments)
    found = {f.page for f in fragments}
    borderless = [p for p in text_pages if p.number not in found and _may_hold_table(p)]
    fragments += word_fragments(borderless, rules)
    found |= {f.page for f in fragments}
    # camelot's network flavor only where the words showed no table: it merges neighbouring
    # cells and runs tables together, so it is the last resort, not the borderless reader
    fallback = [p for p in borderless if p.number not in found and p.number not in ocr]
    fragments += borderless_fragments(pdf, fallback)
    fragments.sort(key=lambda f: (f.page, -f.top))
    return fragments


def _figure_cells(line: TextLine) -> int:
    """Words of the line that are a bare figure: cells of a row, even beside a cell of prose
    (a 绩效目标 column's sentence printed on the row's line)."""
    return sum(1 for w in line.words if w.is_figure)


def _may_hold_table(page: PdfPage, min_rows: int = 3) -> bool:
    """A page without a grid is worth a borderless pass if it names a table or lists amounts (a
    page with rules needs fewer rows of them: ``min_rows``)."""
    if any(
        looks_like_table_title(ln.text) and not is_toc_entry(ln.text) and not _HEADING.match(ln.text)
        for ln in page.lines
    ):
        return True
    tabular = [
        ln for ln in page.lines
        if (len(DECIMAL_FIGURE_IN_TEXT.findall(ln.text)) >= 2 and not SENTENCE_MARK.search(ln.text)) or _figure_cells(ln) >= 3
    ]
    if len(tabular) >= min_rows:
        return True
    # a one-column table (经济科目 | 预算): rows of a label and one figure, as a column of them
    labelled = [
        ln for ln in page.lines
        if len(ln.words) >= 2 and ln.words[-1].is_figure and not SENTENCE_MARK.search(ln.text)
    ]
    if len(labelled) >= _LABELLED_ROWS:
        return True
    # the last rows of a table run over from the page before: the page opens with rows of cells
    # (several words, or one that opens an item: '（三）其他结转'; no sentence), one of them with
    # amounts (rows above it may have none: the 收支总表's lines the other side leaves blank)
    content = (ln for ln in page.lines if not is_page_artefact(ln.text))
    opening = takewhile(
        lambda ln: (len(ln.words) >= 2 or opens_row(ln)) and not SENTENCE_MARK.search(ln.text), content
    )
    return any(DECIMAL_FIGURE_IN_TEXT.search(ln.text) for ln in opening)
