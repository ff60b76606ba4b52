"""Issue 12: scanned (image-only) disclosures are read with OCR, and what OCR cannot read is caught.

Scans are made here (:mod:`tests.scans`): pages rendered to 200 dpi greyscale, turned a fraction
of a degree, speckled, saved as image-only PDFs. Each is compared with the text-layer PDF it was
made from: the same facts (value, table, row, measure, page), the same findings. OCR is slow on
two cores, so every page image is recognised once per session (the engine's boxes are kept by
image), and the scans hold a few pages each.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pytest
from pypdf import PdfReader, PdfWriter

from pipeline.extract.pdf import ocr as pdf_ocr
from pipeline.extract.pdf import ocr_engine
from pipeline.model import QuarantineError
from tests.conftest import PDF
from tests.disclosure_docs import DOCUMENTS
from tests.read_back import ReadBack, errors, read_back
from tests.scans import require_cjk_font, scan_pdf

KEQIAO = PDF / "keqiao-npc-office-2023.pdf"
_BOXES: dict[tuple, list[ocr_engine.OcrBox]] = {}
_REAL = {"recognise": ocr_engine.recognise, "reread_unsure": ocr_engine.reread_unsure}


def _once(name: str):
    """``pdf_ocr``'s engine call ``name``, run on first sight of its image and arguments only (the
    boxes are copied: tests edit them)."""
    def call(image: np.ndarray, *args, **kwargs) -> list[ocr_engine.OcrBox]:
        image_key = hashlib.sha1(np.ascontiguousarray(image).tobytes()).hexdigest()
        key = (name, image_key, repr(args), repr(sorted(kwargs.items())))
        if key not in _BOXES:
            _BOXES[key] = _REAL[name](image, *args, **kwargs)
        return [ocr_engine.OcrBox(**vars(b)) for b in _BOXES[key]]
    return call


@pytest.fixture(scope="module", autouse=True)
def ocr_once():
    with pytest.MonkeyPatch.context() as mp:
        for name in _REAL:
            mp.setattr(pdf_ocr, name, _once(name))
        yield


def fact_keys(doc: ReadBack) -> set[tuple]:
    """What a person reads off each fact: table, row, column, stage, amount, and its page."""
    return {(f["table_kind"], f["table_index"], f["row_role"], f["subject_code"], f["line_item"], f["measure"],
             f["stage"], f["amount_yuan"], f["page"]) for f in doc.facts()}


def pages_of(source: Path, pages: list[int], target: Path) -> Path:
    writer = PdfWriter()
    reader = PdfReader(source)
    for n in pages:
        writer.add_page(reader.pages[n - 1])
    with target.open("wb") as fh:
        writer.write(fh)
    return target


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("scans")


@pytest.fixture(scope="module")
def generated(folder: Path) -> tuple[ReadBack, ReadBack, Path]:
    """The baseline disclosure (cover, 支出预算总表, 基本支出经济分类表): its text PDF and a light scan."""
    require_cjk_font()
    source = DOCUMENTS["baseline"]().write(folder)
    scan = scan_pdf(source, folder / "baseline-scan.pdf", dpi=200, degrees=0.4, noise=0.004)
    return read_back(source), read_back(scan), scan


def test_a_scan_gives_the_facts_of_its_text_pdf(generated):
    text, scan, _ = generated
    assert scan.quarantine is None
    assert len(fact_keys(text)) == 51
    assert fact_keys(scan) == fact_keys(text)
    # what a person reads in the 支出预算总表: 行政运行 321.64 万元, all of it 基本支出
    row = scan.where(table_kind="expenditure_summary", subject_code="2050101", measure="total")
    assert [(f["amount_yuan"], f["page"]) for f in row] == [(3216400, 2)]
    assert errors(scan) == errors(text) == []


def test_text_source_and_confidence_say_how_each_amount_was_read(generated):
    text, scan, path = generated
    assert text.document()["text_source"] == "text_layer"
    assert scan.document()["text_source"] == "ocr"
    assert {f["confidence"] for f in text.facts()} == {None}
    confidences = sorted(f["confidence"] for f in scan.facts())
    assert 0 < confidences[0] and confidences[-1] <= 1 and confidences[len(confidences) // 2] > 0.9
    from pipeline.extract.pdf.reader import read_pdf
    from pipeline.ingest import describe

    doc = read_pdf(describe(path))
    assert sorted(doc.ocr_seconds) == [1, 2, 3] and all(s > 0 for s in doc.ocr_seconds.values())


def test_one_ocr_engine_per_process():
    assert ocr_engine.engine() is ocr_engine.engine()


def _misread(edits: dict[str, str]):
    """The engine's final boxes, the first box of each text in ``edits`` read as its replacement."""
    final = _once("reread_unsure")

    def reread_unsure(image: np.ndarray, boxes: list) -> list[ocr_engine.OcrBox]:
        boxes = final(image, boxes)
        for box in boxes:
            read = pdf_ocr._normalise(box.text)  # as the reader takes it: '.5.23' is 5.23
            if read in edits:
                box.text, box.chars = edits.pop(read), []
        return boxes
    return reread_unsure


def test_a_misread_figure_is_a_finding_at_its_row(generated, monkeypatch):
    """5.23 (其他教育管理事务支出 基本支出, page 2) read as 5.28 breaks 17.28 = 5.23 + 12.05 in its row
    and 教育管理事务's 基本支出 = Σ its 项; 123.60 (基本工资, page 3) read as '12З.60' is no number at
    all: reported at its row, not loaded. The code 2080505 read as 2080595 (no such subject) is
    repaired from its name and parent, as a garbled print is."""
    text, _, path = generated
    monkeypatch.setattr(pdf_ocr, "reread_unsure",
                        _misread({"5.23": "5.28", "123.60": "12З.60", "2080505": "2080595"}))
    damaged = read_back(path)
    changed = fact_keys(damaged) ^ fact_keys(text)
    assert {(k[4], k[5], k[7]) for k in changed} == {
        ("其他教育管理事务支出", "basic", 52800), ("其他教育管理事务支出", "basic", 52300),
        ("基本工资", "total", 1236000)}
    failed = errors(damaged)
    assert any(e.startswith("total_equals_basic_plus_project") and "row: 其他教育管理事务支出" in e
               for e in failed), failed
    assert any(e.startswith("subject_equals_sum_of_children") and "row: 教育管理事务" in e and "measure: basic" in e
               for e in failed), failed
    unreadable = [e for e in failed if e.startswith("amount_unreadable")]
    assert len(unreadable) == 1 and "row 基本工资" in unreadable[0] and "12З.60" in unreadable[0]
    repaired = [f for f in damaged.findings() if f["check_name"] == "subject_code_repaired"]
    assert [(f["observed"], f["expected"]) for f in repaired] == [("printed 2080595 机关事业单位基本养老保险缴费支出", "2080505")]
    assert {f["printed_code"] for f in damaged.where(subject_code="2080505")} == {"2080595"}


@pytest.fixture(scope="module")
def corpus(folder: Path) -> tuple[ReadBack, ReadBack]:
    """keqiao 2023, its cover and page 7 (支出预算总表, 一般公共预算支出表): text and a noisy scan."""
    text = pages_of(KEQIAO, [1, 7], folder / "keqiao-p7.pdf")
    scan = scan_pdf(KEQIAO, folder / "keqiao-p7-scan.pdf", pages=[1, 7], dpi=200, degrees=-0.3, noise=0.006)
    return read_back(text), read_back(scan)


def test_a_scan_of_corpus_pages_gives_their_facts(corpus):
    text, scan = corpus
    assert scan.quarantine is None
    assert scan.document()["text_source"] == "ocr" and text.document()["text_source"] == "text_layer"
    assert fact_keys(scan) == fact_keys(text)
    # the README's figures: 2752.53 万元 in all, 人大事务 2185.02 of it
    assert 27525300 in scan.amounts(table_kind="expenditure_summary", row_role="total", measure="total")
    assert scan.amounts(table_kind="expenditure_summary", line_item="人大事务", measure="total")[0] == 21850200
    # the same findings (a title OCR prints with full-width brackets aside)
    assert sorted((f["check_name"], f["severity"]) for f in scan.findings()) == sorted(
        (f["check_name"], f["severity"]) for f in text.findings())


def test_a_document_of_text_and_scanned_pages_is_mixed(generated, folder):
    text, _, _ = generated
    source = folder / "baseline-ruled.pdf"
    # page 3 exactly as the baseline scan has it (its third page: turned 0.4°, seed 12 + 2)
    scanned = scan_pdf(source, folder / "page3.pdf", pages=[3], dpi=200, degrees=0.4, noise=0.004, seed=14)
    writer = PdfWriter()
    for page in [*PdfReader(source).pages[:2], *PdfReader(scanned).pages]:
        writer.add_page(page)
    mixed_path = folder / "mixed.pdf"
    with mixed_path.open("wb") as fh:
        writer.write(fh)
    mixed = read_back(mixed_path)
    assert mixed.document()["text_source"] == "mixed"
    assert fact_keys(mixed) == fact_keys(text)
    assert {f["page"] for f in mixed.facts() if f["confidence"] is not None} == {3}
    assert {f["page"] for f in mixed.facts() if f["confidence"] is None} == {2}


def test_a_page_scanned_sideways_is_turned_upright(generated, folder):
    """The landscape 支出预算总表 fed into the scanner upright: its page image lies on its side."""
    import pypdfium2 as pdfium

    from tests.scans import page_images, scanned

    text, _, _ = generated
    cover, table = page_images(folder / "baseline-ruled.pdf", 200, [1, 2])
    pages = [scanned(cover, 0.4, 0.004, 12), scanned(table, -0.3, 0.004, 13).rotate(-90, expand=True, fillcolor=255)]
    path = folder / "sideways.pdf"
    pages[0].save(path, format="PDF", save_all=True, append_images=pages[1:], resolution=200.0)
    doc = pdfium.PdfDocument(str(path))
    try:  # the cover lies as printed (landscape), the table page on its side (portrait)
        assert [doc[i].get_size()[0] > doc[i].get_size()[1] for i in range(2)] == [True, False]
    finally:
        doc.close()
    sideways = read_back(path)
    assert fact_keys(sideways) == {k for k in fact_keys(text) if k[-1] == 2}
    assert errors(sideways) == []


def test_a_scan_of_narrative_pages_is_quarantined_saying_no_tables_were_found(folder):
    """keqiao 2023 page 2: the 部门概况 and its 收支总预算 2752.53 万元, but no table."""
    scan = read_back(scan_pdf(KEQIAO, folder / "narrative.pdf", pages=[2], dpi=200, degrees=0.3, noise=0.004))
    assert scan.quarantine is not None
    assert "narrative.pdf" in scan.quarantine and "no tables were found" in scan.quarantine


def test_a_scan_ocr_reads_nothing_on_is_quarantined(folder):
    """A page image of ruling lines only (a blank form, or a scan too faint to read)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for y in range(200, 1500, 80):
        draw.line([(100, y), (1140, y)], fill=0, width=3)
    path = folder / "blank-form.pdf"
    image.save(path, format="PDF", resolution=150.0)
    from pipeline.extract.pdf.reader import read_pdf
    from pipeline.ingest import describe

    with pytest.raises(QuarantineError, match="OCR read no text") as caught:
        read_pdf(describe(path))
    assert "text layer" in str(caught.value) and "blank-form.pdf" in str(caught.value)


def test_an_older_warehouse_gains_text_source_and_confidence(tmp_path):
    from pipeline.warehouse.connect import open_writer

    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute((Path(__file__).parent / "data" / "ddl_before_milestone2.sql").read_text(encoding="utf-8"))
    when = datetime(2025, 1, 2)
    con.execute("INSERT INTO dim_document (document_id, file_name, file_format, status, ingested_at) VALUES "
                "('a', 'a.pdf', 'pdf', 'loaded', ?), ('q', 'q.pdf', 'pdf', 'quarantined', ?)", [when, when])
    con.execute("INSERT INTO fact_expenditure (fact_id, document_id, unit_id, table_kind, row_role, line_item, "
                "measure, amount_yuan) VALUES ('f', 'a', 'u', 'three_public', 'total', 'x', 'total', 1)")
    con.close()
    con = open_writer(old)
    try:
        assert con.execute("SELECT document_id, text_source FROM dim_document ORDER BY 1").fetchall() == [
            ("a", "text_layer"), ("q", None)]
        assert con.execute("SELECT confidence FROM fact_expenditure").fetchall() == [(None,)]
    finally:
        con.close()


def test_scans_are_image_only(generated):
    """The test scans carry no text at all: whatever the reader gets, OCR read."""
    _, _, path = generated
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        assert all(doc[i].get_textpage().count_chars() == 0 for i in range(len(doc)))
    finally:
        doc.close()
