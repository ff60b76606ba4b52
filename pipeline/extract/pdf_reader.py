"""Read a budget disclosure PDF into an :class:`ExtractedDocument`.

Steps: check and read the pages (:mod:`pdf_pages`), find table grids with camelot
(:mod:`pdf_tables`), then walk every page top to bottom to give each grid its title, unit,
context lines and notes from the text around it, joining grids that continue a table from the
previous page (:mod:`pdf_assemble`). The result has the same shape as the text reader's, so both
feed one normaliser.
"""

from __future__ import annotations

import re

from pipeline.extract.layout import is_page_artefact
from pipeline.extract.pdf_assemble import assemble_tables, plain_page_text
from pipeline.extract.pdf_borderless import word_fragments
from pipeline.extract.pdf_pages import PdfPage, open_pages
from pipeline.extract.pdf_tables import Fragment, borderless_fragments, lattice_fragments
from pipeline.extract.titles import is_toc_entry, looks_like_table_title
from pipeline.model import ExtractedDocument, QuarantineError, RawDocument

# A ruled table needs a few path segments (a 1x1 box has 4 edges, each a move and a line);
# a page with fewer only has decorations (an underline, a logo).
MIN_RULE_SEGMENTS = 8
# Lines of a borderless table of amounts: two or more amounts and no sentence punctuation.
_AMOUNT = re.compile(r"(?<![\d.,])-?\d{1,3}(?:,\d{3})*\.\d+|(?<![\d.,])-?\d+\.\d+")
_SENTENCE = re.compile(r"[，。；！？]")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")  # '四、2023年…预算表' heads a section of tables


def read_pdf(raw: RawDocument) -> ExtractedDocument:
    """Extract text, tables, titles and units from the PDF ``raw`` points to.

    Raises :class:`QuarantineError` for files that cannot be read (encrypted, damaged, empty,
    scanned without a text layer).
    """
    pages = open_pages(raw.path, raw.file_name)
    try:
        fragments = find_fragments(raw, pages)
    except QuarantineError:
        raise
    except Exception as exc:  # noqa: BLE001 - camelot/playa failing mid-file means a damaged file
        raise QuarantineError(
            f"{raw.file_name}: its tables could not be read ({type(exc).__name__}: {exc}); "
            "the file may be damaged, obtain a new copy from the publisher."
        ) from exc
    page_texts = [plain_page_text(page, fragments) for page in pages]
    return ExtractedDocument(
        raw=raw,
        text="\n".join(page_texts),
        tables=assemble_tables(pages, fragments),
        page_count=len(pages),
        page_texts=page_texts,
    )


def find_fragments(raw: RawDocument, pages: list[PdfPage]) -> list[Fragment]:
    """Table grids on every page, with the flavor chosen per page.

    Ruled pages (vector path segments) go to lattice/vector; image pages with an OCR text layer to
    lattice/raster (their lines are pixels); pages left without a grid that show a table title
    or rows of amounts are read from their words' positions (:mod:`pdf_borderless`), and with
    camelot's network flavor only if the words show no table.
    """
    text_pages = [p for p in pages if p.has_text]
    ruled = [p.number for p in text_pages if p.n_paths >= MIN_RULE_SEGMENTS]
    fragments = lattice_fragments(raw.path, ruled, engine="vector")
    found = {f.page for f in fragments}
    scanned = [p.number for p in text_pages if p.looks_scanned and p.number not in found]
    fragments += lattice_fragments(raw.path, scanned, engine="raster")
    found |= {f.page for f in fragments}
    borderless = [p for p in text_pages if p.number not in found and _may_hold_table(p)]
    fragments += word_fragments(borderless)
    found |= {f.page for f in fragments}
    # camelot's network flavor only where the words showed no table: it merges neighbouring
    # cells and runs tables together, so it is the last resort, not the borderless reader
    fragments += borderless_fragments(raw.path, [p for p in borderless if p.number not in found])
    fragments.sort(key=lambda f: (f.page, -f.top))
    return fragments


def _may_hold_table(page: PdfPage) -> bool:
    """A page without a grid is worth a borderless pass if it names a table or lists amounts."""
    if any(
        looks_like_table_title(ln.text) and not is_toc_entry(ln.text) and not _HEADING.match(ln.text)
        for ln in page.lines
    ):
        return True
    tabular = [
        ln for ln in page.lines if len(_AMOUNT.findall(ln.text)) >= 2 and not _SENTENCE.search(ln.text)
    ]
    if len(tabular) >= 3:
        return True
    # the last rows of a table run over from the page before: the page opens with a row of cells
    opening = next((ln for ln in page.lines if not is_page_artefact(ln.text)), None)
    return (
        opening is not None
        and len(opening.words) >= 2
        and _AMOUNT.search(opening.text) is not None
        and not _SENTENCE.search(opening.text)
    )
