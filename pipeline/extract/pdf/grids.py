"""Table grids from PDF pages with camelot, as plain rows of clean cell strings.

Two camelot flavors are used, chosen per page by the reader (from pdfium's count of vector paths,
not camelot's ``flavor="auto"``, which renders every page to decide: ~800 ms a page):

* ``lattice`` with ``engine="vector"`` for ruled tables: camelot 2 reads the ruling lines straight
  from the PDF's vector graphics instead of rendering the page and finding lines with OpenCV
  (``engine="raster"``, the 1.x way; ~10x slower on the corpus: 355 against 33 ms a page).
  ``split_text=True`` because office suites write a row's text as one line that crosses cell
  borders ('1234.56 一般公共服务支出').
* ``network`` only as a fallback for unruled pages where the word-position reader
  (:mod:`words`) finds no table (text-alignment analysis); its rows are physical text lines,
  so lines of a wrapped cell are merged back into their row here (:func:`_merge_wrapped_rows`).

``lattice`` with ``engine="raster"`` (pdfium render + OpenCV, no system package) is kept for
pages that are pictures with an OCR text layer, where the ruling lines exist only as pixels.
"""

from __future__ import annotations

import statistics
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import camelot
import numpy as np
import playa
from camelot.parsers.base import BaseParser
from camelot.utils import get_image_char_and_text_objects, get_page_layout, get_rotation

from pipeline.extract.pdf.document import PdfFile, PdfPage
from pipeline.extract.text_cleaning import clean_cell, is_ruler
from pipeline.extract.titles import looks_like_table_title, parse_unit
from pipeline.text import is_wide

Bbox = tuple[float, float, float, float]  # x0, bottom, x1, top in PDF points (y grows up)


@dataclass
class Fragment:
    """The part of one table that lies on one page."""

    page: int
    flavor: str
    bbox: Bbox
    rows: list[list[str]]
    row_spans: list[tuple[float, float]]  # (top, bottom) of each row
    col_spans: list[tuple[float, float]]  # (left, right) of each column
    raw_rows: list[list[str]]  # cells before cleaning, with the PDF's line breaks

    @property
    def top(self) -> float:
        return self.bbox[3]

    @property
    def bottom(self) -> float:
        return self.bbox[1]

    @property
    def n_columns(self) -> int:
        return len(self.col_spans)


def lattice_fragments(pdf: PdfFile, pages: Sequence[int], engine: str = "vector") -> list[Fragment]:
    """Ruled tables on ``pages`` (1-based)."""
    if not pages:
        return []
    backend = _Renderer(pdf) if engine == "raster" else "pdfium"
    parser = camelot.parsers.Lattice(engine=engine, split_text=True, backend=backend)
    tables = _camelot(pdf, pages, parser)
    # empty rows of a ruled grid are kept (the table prints them: '空表列示'), empty grids not
    return [f for f in (_fragment(t, "lattice") for t in tables) if any(any(r) for r in f.rows)]


def borderless_fragments(pdf: PdfFile, pages: Sequence[PdfPage]) -> list[Fragment]:
    """Tables without a ruled grid on ``pages``, wrapped cell lines merged into rows.

    The pages' text lines give where each row's text sits (camelot's row spans run midway
    between rows, which blurs the spacing the merge relies on).
    """
    if not pages:
        return []
    by_number = {p.number: p for p in pages}
    tables = _camelot(pdf, list(by_number), camelot.parsers.Network())
    fragments = []
    for table in tables:
        fragment = _fragment(table, "network")
        keep = [k for k, r in enumerate(fragment.rows) if any(r)]  # gaps between text lines
        fragment.rows = [fragment.rows[k] for k in keep]
        fragment.row_spans = [fragment.row_spans[k] for k in keep]
        centres = _row_centres(fragment, by_number[fragment.page])
        fragment.rows, fragment.row_spans = _merge_wrapped_rows(fragment.rows, fragment.row_spans, centres)
        fragment.raw_rows = fragment.rows  # line structure is gone once rows are merged
        if fragment.rows:
            fragments.append(fragment)
    return fragments


# Characters further apart than this share of their size get a space between them. The parser's
# default (0.1) splits '1000人以上' and '201一般公共服务' where an office suite switches from the
# Latin to the CJK font; typed spaces ('项 目') are characters and are kept whatever the value.
WORD_MARGIN = 0.3
_LAYOUT = {"word_margin": WORD_MARGIN}
# camelot's raster engine finds rules on a rendering at this resolution (its own default)
RASTER_DPI = 300


def _camelot(pdf: PdfFile, pages: Sequence[int], parser: BaseParser) -> list[camelot.core.Table]:
    """camelot's tables on ``pages``, laid out from the document's open character parser.

    What ``camelot.read_pdf`` does per page, without parsing the file again in each call.
    """
    tables: list[camelot.core.Table] = []
    with warnings.catch_warnings():
        # camelot warns for every page without a table; the reader decides what is missing
        warnings.simplefilter("ignore")
        for number in sorted(set(pages)):
            page = pdf.layout_page(number)
            try:
                tables += _page_tables(pdf.path, page, parser)
            finally:
                page.set_initial_ctm(page.space, page.rotate)  # as opened, for the next reader
    return sorted(tables)


def _page_tables(path: Path, page: playa.Page, parser: BaseParser) -> list[camelot.core.Table]:
    layout, dimensions = get_page_layout(page, **_LAYOUT)
    images, chars, horizontal, vertical = get_image_char_and_text_objects(layout)
    rotation = get_rotation(chars, horizontal, vertical)
    if rotation:  # a table printed sideways is laid out upright
        page.set_initial_ctm(page.space, page.rotate + (-90 if rotation == "clockwise" else 90))
        layout, dimensions = get_page_layout(page, **_LAYOUT)
        images, chars, horizontal, vertical = get_image_char_and_text_objects(layout)
    parser.prepare_page_parse(
        str(path), layout, dimensions, page.page_idx + 1, images, horizontal, vertical, rotation,
        layout_kwargs=_LAYOUT,
    )
    return list(parser.extract_tables())


class _Renderer:
    """camelot's image backend for the raster engine, rendering from the open document."""

    def __init__(self, pdf: PdfFile) -> None:
        self._pdf = pdf

    def to_array(self, pdf_path: str, page: int = 1) -> np.ndarray:
        rgb = np.asarray(self._pdf.render(page, RASTER_DPI).convert("RGB"))
        return np.ascontiguousarray(rgb[:, :, ::-1])  # OpenCV's channel order: BGR

    def convert(self, pdf_path: str, png_path: str, page: int = 1) -> None:
        self._pdf.render(page, RASTER_DPI).save(png_path)


def _fragment(table: camelot.core.Table, flavor: str) -> Fragment:
    x0, bottom, x1, top = (float(v) for v in table._bbox)
    rows: list[list[str]] = []
    raw_rows: list[list[str]] = []
    spans: list[tuple[float, float]] = []
    for values, (row_top, row_bottom) in zip(table.df.values.tolist(), table.rows, strict=True):
        raw = [str(v) for v in values]
        cells = [camelot_cell_text(v) for v in raw]
        if is_ruler("\t".join(cells)):
            continue  # a markdown table ruler ('---') a converter left in the document
        rows.append(cells)
        raw_rows.append(raw)
        spans.append((float(row_top), float(row_bottom)))
    cols = [(float(a), float(b)) for a, b in table.cols]
    return Fragment(int(table.page), flavor, (x0, bottom, x1, top), rows, spans, cols, raw_rows)


# --- cell text ---------------------------------------------------------------------------------


_NUMERIC = set("0123456789.,%")


def join_lines(lines: Sequence[str]) -> str:
    """Join the lines of one cell: no space inside CJK text or numbers, a space between words.

    A line that ended with a space in the PDF ('国有资本经营 ' + '预算') keeps it.
    """
    out = ""
    for line in lines:
        if not line.strip():
            continue
        if not out:
            out = line
            continue
        a, b = out[-1], line[0]
        if a.isspace() or b.isspace():
            sep = " "
        elif is_wide(a) or is_wide(b) or (a in _NUMERIC and b in _NUMERIC):
            sep = ""
        else:
            sep = " "
        out = out + sep + line
    return " ".join(out.split())


def camelot_cell_text(text: str) -> str:
    """A camelot cell as printed: its lines joined, whitespace collapsed, and the markup that
    document converters leave behind (``<input type="checkbox"/>``, ``$\\geq 95\\%$``) removed
    with the text reader's own rules, so both readers give the same cell."""
    return clean_cell(join_lines(text.split("\n")))


# --- borderless rows ---------------------------------------------------------------------------


def _is_caption(row: Sequence[str]) -> bool:
    """A title or unit line the network grid took in: it never belongs to a neighbour row."""
    cells = [c for c in row if c]
    return len(cells) == 1 and (looks_like_table_title(cells[0]) or parse_unit(cells[0]) is not None)


def _row_centres(fragment: Fragment, page: PdfPage) -> list[float]:
    """Vertical middle of the text in each row (the row span's middle when it holds no line)."""
    x0, _, x1, _ = fragment.bbox
    centres = []
    for top, bottom in fragment.row_spans:
        mids = [ln.y_mid for ln in page.lines if bottom <= ln.y_mid <= top and ln.x1 > x0 and ln.x0 < x1]
        centres.append(sum(mids) / len(mids) if mids else (top + bottom) / 2)
    return centres


def _merge_wrapped_rows(
    rows: list[list[str]], spans: list[tuple[float, float]], centres: list[float]
) -> tuple[list[list[str]], list[tuple[float, float]]]:
    """Merge text lines that belong to one table row.

    Without ruling lines a wrapped cell ('某市某区人民代表大' / '会常务委员会办公室') comes out as
    several rows, the row's other cells centred between them. Lines of one row sit closer than
    rows do: a gap under three quarters of the usual row pitch joins two lines.
    """
    if len(rows) < 3:
        return rows, spans
    gaps = [a - b for a, b in zip(centres, centres[1:], strict=False)]
    pitch = statistics.quantiles(gaps, n=4)[2] if len(gaps) >= 4 else max(gaps)
    merged_rows = [list(rows[0])]
    merged_spans = [spans[0]]
    for gap, row, span in zip(gaps, rows[1:], spans[1:], strict=True):
        if gap < 0.75 * pitch and not _is_caption(merged_rows[-1]) and not _is_caption(row):
            last = merged_rows[-1]
            for j, cell in enumerate(row):
                last[j] = join_lines([last[j], cell])
            merged_spans[-1] = (merged_spans[-1][0], span[1])
        else:
            merged_rows.append(list(row))
            merged_spans.append(span)
    return merged_rows, merged_spans
