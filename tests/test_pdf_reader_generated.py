"""The PDF reader on generated PDFs: layouts read back as drawn; files that cannot be read are
quarantined with a reason a person can act on."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from pipeline.extract.pdf.reader import read_pdf
from pipeline.model import ExtractedDocument, QuarantineError
from tests import pdfgen
from tests.pdf_corpus import KEQIAO_TEXT, PDF_DIR, kind_of, raw_document

# --- generated layouts -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def specs() -> list[pdfgen.TableSpec]:
    return [
        pdfgen.fixture_table(KEQIAO_TEXT, "支出预算总表"),
        pdfgen.fixture_table(KEQIAO_TEXT, "三公”经费支出表"),
    ]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdfgen")


def assert_reads_back(doc: ExtractedDocument, specs: list[pdfgen.TableSpec]) -> None:
    assert [t.title for t in doc.tables] == [s.title for s in specs]
    for table, spec in zip(doc.tables, specs, strict=True):
        assert table.unit_label == spec.unit
        assert table.header_rows + table.body_rows == spec.padded_rows()
        assert len(table.header_rows) == spec.n_header


@pytest.mark.parametrize("layout", ["ruled", "borderless", "plain"])
@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
def test_generated_layout(
    specs: list[pdfgen.TableSpec], workdir: Path, layout: pdfgen.Layout, landscape: bool
) -> None:
    path = workdir / f"{layout}-{'landscape' if landscape else 'portrait'}.pdf"
    pdfgen.build_tables_pdf(
        path, specs, layout=layout, landscape_pages=landscape, preamble=["一、部门概况", "本部门预算如下表。"]
    )
    doc = read_pdf(raw_document(path))
    assert_reads_back(doc, specs)
    assert [kind_of(t) for t in doc.tables] == ["expenditure_summary", "three_public"]
    assert "一、部门概况" in doc.page_texts[0]


@pytest.mark.parametrize("layout", ["ruled", "borderless"])
@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "header-once"])
def test_generated_two_page_table(
    specs: list[pdfgen.TableSpec], workdir: Path, layout: pdfgen.Layout, repeat_header: bool
) -> None:
    path = workdir / f"{layout}-two-pages-{repeat_header}.pdf"
    pdfgen.build_tables_pdf(path, specs[:1], layout=layout, break_after=5, repeat_header=repeat_header)
    doc = read_pdf(raw_document(path))
    assert doc.page_count == 2
    assert_reads_back(doc, specs[:1])
    assert doc.tables[0].row_pages == [1] * 5 + [2] * (len(specs[0].rows) - specs[0].n_header - 5)


@pytest.mark.parametrize("rules", ["one-path", "filled-rects", "mitred-outlines"])
def test_generated_grid_drawn_other_ways(specs: list[pdfgen.TableSpec], workdir: Path, rules: pdfgen.GridRules) -> None:
    """Rules drawn as one path for the whole grid, as thin filled rectangles, or as filled outlines
    with a mitred end (no vector line for the lattice reader: it reads them from the page image)."""
    for spec in specs:
        path = pdfgen.build_canvas_grid_pdf(workdir / f"canvas-{rules}-{spec.n_columns}.pdf", spec, rules)
        assert_reads_back(read_pdf(raw_document(path)), [spec])


def test_generated_rotated_page(specs: list[pdfgen.TableSpec], workdir: Path) -> None:
    """A page turned by /Rotate: text and grids are read in the page's upright frame."""
    source = pdfgen.build_tables_pdf(workdir / "upright.pdf", specs, layout="ruled")
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        page.rotate(90)
    rotated = workdir / "rotated.pdf"
    with rotated.open("wb") as fh:
        writer.write(fh)
    assert_reads_back(read_pdf(raw_document(rotated)), specs)


def test_generated_ocr_scan(specs: list[pdfgen.TableSpec], workdir: Path) -> None:
    """A scanned page with an OCR text layer: ruling lines found in the picture."""
    path = pdfgen.build_ocr_scan_pdf(workdir / "ocr.pdf", specs)
    assert_reads_back(read_pdf(raw_document(path)), specs)


# --- files that cannot be read -----------------------------------------------------------------


@pytest.fixture(scope="module")
def ruled_pdf(specs: list[pdfgen.TableSpec], workdir: Path) -> Path:
    return pdfgen.build_tables_pdf(workdir / "source.pdf", specs, layout="ruled")


def quarantine_message(path: Path) -> str:
    with pytest.raises(QuarantineError) as caught:
        read_pdf(raw_document(path))
    message = str(caught.value)
    assert path.name in message
    return message


def test_scan_without_text_layer_is_read_by_ocr(
    ruled_pdf: Path, workdir: Path, specs: list[pdfgen.TableSpec]
) -> None:
    """Issue 12: a scan is OCR'd, not quarantined; even at 100 dpi its body rows read as printed
    (tests/test_ocr.py checks facts, findings and the quarantine of scans OCR cannot help)."""
    doc = read_pdf(raw_document(pdfgen.build_scan_pdf(workdir / "scan.pdf", ruled_pdf)))
    assert doc.text_source == "ocr" and list(doc.ocr_seconds) == [1]
    assert [t.title for t in doc.tables] == [s.title for s in specs]
    for table, spec in zip(doc.tables, specs, strict=True):
        assert table.body_rows == spec.padded_rows()[spec.n_header:]


def test_encrypted_pdf_is_quarantined(ruled_pdf: Path, workdir: Path) -> None:
    message = quarantine_message(pdfgen.build_encrypted_pdf(workdir / "locked.pdf", ruled_pdf))
    assert "is encrypted" in message and "provide an unencrypted copy" in message


def test_owner_password_only_pdf_is_read(
    ruled_pdf: Path, workdir: Path, specs: list[pdfgen.TableSpec]
) -> None:
    """Encrypted with an empty user password: every viewer opens it, and text may be extracted."""
    path = pdfgen.build_encrypted_pdf(workdir / "restricted.pdf", ruled_pdf, user_password="")
    assert_reads_back(read_pdf(raw_document(path)), specs)


def test_truncated_pdf_is_quarantined(workdir: Path) -> None:
    source = PDF_DIR / "keqiao-npc-office-2023.pdf"
    message = quarantine_message(pdfgen.build_truncated_pdf(workdir / "cut.pdf", source))
    assert "truncated" in message


def test_corrupt_pdf_is_quarantined(workdir: Path) -> None:
    path = workdir / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    assert "corrupt" in quarantine_message(path)


def test_not_a_pdf_is_quarantined(workdir: Path) -> None:
    path = workdir / "page.pdf"
    path.write_text("<html><body>404</body></html>", encoding="utf-8")
    assert "not a PDF" in quarantine_message(path)


def test_zero_page_pdf_is_quarantined(workdir: Path) -> None:
    assert "no pages" in quarantine_message(pdfgen.build_zero_page_pdf(workdir / "empty.pdf"))
