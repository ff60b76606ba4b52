"""How often one document's file is opened and parsed while it is read (issue 29: once per library).

The reader opens the file once (:class:`pipeline.extract.pdf.document.PdfFile`): pdfium (page sizes,
rules, images, renderings for OCR and camelot's raster engine) and playa (the characters, and the
pages camelot lays out) each parse it once, however many kinds of page the document has (lattice on
ruled pages, network on unruled ones) and whichever readers its pages need. camelot's own
``read_pdf``, which parses the file again in each call, is never called.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.extract.pdf import document, grids
from pipeline.extract.pdf.reader import read_pdf
from pipeline.ingest import describe
from tests import pdfgen
from tests.pdf_corpus import KEQIAO_TEXT

PDF = Path(__file__).parent / "fixtures" / "pdf"
pytestmark = pytest.mark.slow


def _opens(monkeypatch, path: Path) -> tuple[Counter[str], int]:
    calls: Counter[str] = Counter()

    def counting(module, attr: str, label: str) -> None:
        original = getattr(module, attr)

        def wrapper(*args, **kwargs):
            calls[label] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, attr, wrapper)

    # the library modules themselves, so a parse from inside camelot counts too
    counting(document.pdfium, "PdfDocument", "pdfium")
    counting(document.playa, "open", "playa")
    counting(grids.camelot, "read_pdf", "camelot.read_pdf")
    counting(grids.camelot.parsers.Lattice, "extract_tables", "lattice pages")
    counting(grids.camelot.parsers.Network, "extract_tables", "network pages")
    extracted = read_pdf(describe(path))
    return calls, len(extracted.tables)


@pytest.mark.parametrize("name", ["jiaxing-npc-office-2024.pdf", "dongxihu-npc-office-2022.pdf"])
def test_each_library_parses_the_file_once(monkeypatch, name):
    calls, n_tables = _opens(monkeypatch, PDF / name)
    assert calls["pdfium"] == 1 and calls["playa"] == 1
    assert calls["camelot.read_pdf"] == 0
    assert calls["lattice pages"] >= 1 and n_tables >= 10


def test_a_document_with_ruled_and_unruled_pages_is_parsed_once(monkeypatch):
    """Its ruled pages go to camelot's lattice, its unruled table pages to the word-position reader
    and network: before, each kind of page was a camelot call of its own that parsed the file again."""
    calls, _ = _opens(monkeypatch, PDF / "dongxihu-npc-office-2022.pdf")
    assert calls["lattice pages"] >= 1 and calls["network pages"] >= 1
    assert calls["pdfium"] == 1 and calls["playa"] == 1


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    specs = [pdfgen.fixture_table(KEQIAO_TEXT, "三公”经费支出表")]
    workdir = tmp_path_factory.mktemp("opens")
    ruled = pdfgen.build_tables_pdf(workdir / "ruled.pdf", specs, layout="ruled")
    return {
        "ocr_layer": pdfgen.build_ocr_scan_pdf(workdir / "ocr_layer.pdf", specs),
        "image_only": pdfgen.build_scan_pdf(workdir / "image_only.pdf", ruled),
    }


@pytest.mark.parametrize("kind", ["ocr_layer", "image_only"])
def test_a_scan_is_rendered_from_the_open_file(monkeypatch, scans, kind):
    """A scan with an OCR text layer has its rules found by camelot on a rendering; one without a
    text layer is rendered for OCR: both render from the document already open."""
    calls, n_tables = _opens(monkeypatch, scans[kind])
    assert calls["pdfium"] == 1 and calls["playa"] == 1 and calls["camelot.read_pdf"] == 0
    assert n_tables == 1
    if kind == "ocr_layer":
        assert calls["lattice pages"] >= 1
