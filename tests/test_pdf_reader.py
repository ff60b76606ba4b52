"""The PDF reader: corpus PDFs give the text versions' tables; generated layouts read back as drawn;
files that cannot be read are quarantined with a reason a person can act on."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pytest
from pypdf import PdfReader, PdfWriter

from pipeline.extract.narrative import narrative_amounts
from pipeline.extract.pdf_reader import read_pdf
from pipeline.extract.text_reader import read_text
from pipeline.extract.titles import classify_title, squash
from pipeline.model import ExtractedDocument, ExtractedTable, QuarantineError, RawDocument
from tests import pdfgen

FIXTURES = Path(__file__).parent / "fixtures"
PDF_DIR = FIXTURES / "pdf"
TEXT_DIR = FIXTURES / "text"
KEQIAO_TEXT = TEXT_DIR / "keqiao-npc-office-2023.txt"


def raw_document(path: Path) -> RawDocument:
    data = path.read_bytes()
    return RawDocument(
        path=path,
        document_id=hashlib.sha256(data).hexdigest(),
        file_name=path.name,
        file_format="pdf" if path.suffix == ".pdf" else "text",
        size_bytes=len(data),
    )


@pytest.fixture(scope="module")
def corpus() -> Callable[[str], ExtractedDocument]:
    """Read a corpus PDF once per test module (reading the five takes a few seconds)."""
    cache: dict[str, ExtractedDocument] = {}

    def read(stem: str) -> ExtractedDocument:
        if stem not in cache:
            cache[stem] = read_pdf(raw_document(PDF_DIR / f"{stem}.pdf"))
        return cache[stem]

    return read


def kind_of(table: ExtractedTable) -> str | None:
    return classify_title(table.title, " ".join(c for row in table.header_rows for c in row))


def tables(doc: ExtractedDocument, kind: str) -> list[ExtractedTable]:
    return [t for t in doc.tables if kind_of(t) == kind]


def row(table: ExtractedTable, *cells: str) -> list[str]:
    """The first body row holding all ``cells`` (compared without whitespace)."""
    wanted = [squash(c) for c in cells]
    for body_row in table.body_rows:
        have = [squash(c) for c in body_row]
        if all(w in have for w in wanted):
            return body_row
    raise AssertionError(f"no row with {cells} in {table.title!r}")


def values(table_row: list[str]) -> list[str]:
    """The non-empty cells of a row."""
    return [c for c in table_row if c]


# --- the corpus --------------------------------------------------------------------------------

CORPUS_KINDS = {
    "keqiao-npc-office-2023": {
        "income_expenditure_summary": 2,  # the title is printed again above the second part
        "expenditure_summary": 1,
        "general_budget_expenditure": 1,
        "general_budget_basic_expenditure": 2,  # one per budget unit
        "three_public": 1,
        "gov_fund_expenditure": 1,
        "state_capital_expenditure": 1,
        "project_expenditure": 1,
        "performance": 1,
    },
    "jiaxing-npc-office-2024": {
        "income_expenditure_summary": 1,
        "expenditure_summary": 1,
        "fiscal_grant_summary": 1,
        "general_budget_expenditure": 1,
        "general_budget_basic_expenditure": 1,
        "three_public": 1,
        "gov_fund_expenditure": 1,
        "state_capital_expenditure": 1,
        "project_expenditure": 1,
        "performance": 1,
        "other": 1,
    },
    "pingxiang-county-npc-2023": {
        "income_expenditure_summary": 1,
        "income_summary": 1,
        "expenditure_summary": 1,
        "fiscal_grant_summary": 1,
        "general_budget_expenditure": 1,
        "general_budget_basic_expenditure": 1,
        "gov_fund_expenditure": 1,
        "state_capital_expenditure": 1,
        "three_public": 1,
        # one per project: a 绩效目标 box and an indicator grid under one title, read as one
        # table (the lines between run on in the box's cell, as in the text version)
        "performance": 4,
    },
    "keqiao-npc-office-2020-performance": {"performance": 1},
}


@pytest.mark.parametrize("stem", sorted(CORPUS_KINDS))
def test_corpus_table_kinds(corpus: Callable[[str], ExtractedDocument], stem: str) -> None:
    doc = corpus(stem)
    assert dict(Counter(kind_of(t) for t in doc.tables)) == CORPUS_KINDS[stem]


def test_dongxihu_table_kinds(corpus: Callable[[str], ExtractedDocument]) -> None:
    kinds = Counter(kind_of(t) for t in corpus("dongxihu-npc-office-2022").tables)
    for kind in (
        "income_expenditure_summary",
        "income_summary",
        "expenditure_summary",
        "fiscal_grant_summary",
        "general_budget_basic_expenditure",
        "three_public",
        "gov_fund_expenditure",
        "project_expenditure",
    ):
        assert kinds[kind] == 1, kind
    assert kinds["general_budget_expenditure"] == 2  # 支出总表 and 支出表（功能分类项级）
    assert kinds["performance"] >= 12  # one 项目绩效目标申报表 per project, and the department form


@pytest.mark.parametrize("stem", sorted(p.stem for p in PDF_DIR.glob("*.pdf")))
def test_corpus_document_shape(corpus: Callable[[str], ExtractedDocument], stem: str) -> None:
    doc = corpus(stem)
    assert doc.page_count == len(doc.page_texts) == len(PdfReader(PDF_DIR / f"{stem}.pdf").pages)
    assert doc.text and all(text in doc.text for text in doc.page_texts if text)
    assert [t.index for t in doc.tables] == list(range(len(doc.tables)))
    for table in doc.tables:
        assert len(table.row_pages) == len(table.body_rows)
        assert all(1 <= p <= doc.page_count for p in table.row_pages)
        assert table.row_pages == sorted(table.row_pages)
        # every row keeps the header's column positions
        assert len({len(r) for r in table.header_rows + table.body_rows}) <= 1, table.title
        assert all(c == " ".join(c.split()) for r in table.body_rows for c in r)


def test_keqiao_2023_key_cells(corpus: Callable[[str], ExtractedDocument]) -> None:
    doc = corpus("keqiao-npc-office-2023")
    (summary,) = tables(doc, "expenditure_summary")
    assert summary.title == "2023年部门支出预算总表"
    assert summary.unit_label == "万元"
    assert values(row(summary, "合计")) == ["合计", "2752.53", "1912.45", "160.08", "680.00"]
    assert values(row(summary, "绍兴市柯桥区人大信息中心"))[1] == "52.33"  # a name wrapped in its cell
    assert any(squash(c) == "事业单位经营支出" for c in summary.header_rows[0])
    assert any("1" in r and "7" in r for r in summary.header_rows)  # the numbering row

    (general,) = tables(doc, "general_budget_expenditure")
    assert values(row(general, "20101", "行政运行"))[2] == "1780.02"
    assert set(general.row_pages) == {7, 8}  # runs over a page break, header not repeated

    first, second = tables(doc, "general_budget_basic_expenditure")
    assert values(row(first, "30101", "基本工资"))[2] == "255.70"
    assert values(row(second, "30101", "基本工资"))[2] == "6.17"

    (three,) = tables(doc, "three_public")
    assert three.title == "2023年部门一般公共预算“三公”经费支出表"
    assert row(three, "合计") == ["合计", "20.20", "12.00", "", "", "", "8.20"]

    (project,) = tables(doc, "project_expenditure")
    assert values(row(project, "二届人大二次会议"))[-1] == "275.00"

    (fund,) = tables(doc, "gov_fund_expenditure")
    assert any("本表无数据" in n for n in fund.notes)

    (performance,) = tables(doc, "performance")
    target = row(performance, "区代表活动专项", "代表经费人均成本")
    assert target[-3:] == ["≥", "3400", "元/人"]
    assert set(performance.row_pages) == {11, 12, 13, 14, 15}


def test_pingxiang_key_cells(corpus: Callable[[str], ExtractedDocument]) -> None:
    doc = corpus("pingxiang-county-npc-2023")
    (summary,) = tables(doc, "expenditure_summary")
    assert values(row(summary, "合计"))[2:5] == ["593.58", "430.58", "163.00"]
    # the last line of this name was pushed onto the next page: joined back into its row
    assert values(row(summary, "2080506"))[2] == "机关事业单位职业年金缴费支出"

    (general,) = tables(doc, "general_budget_expenditure")
    assert values(row(general, "2010101", "行政运行"))[3] == "322.91"

    (three,) = tables(doc, "three_public")
    assert three.unit_label == "万元"  # declared in the grid's first row, kept as context
    assert any("预算年度" in c for c in three.context_lines)
    assert values(row(three, "合计"))[2:] == ["8.3", "8.3"]  # after 序号 and 项目
    assert values(row(three, "公务用车运行维护费"))[-1] == "6.80"

    titles = {t.title for t in tables(doc, "performance")}
    assert "2、平乡县第十七届人民代表大会第三次会议经费绩效目标表" in titles
    (meeting,) = [t for t in doc.tables if t.title.startswith("2、")]
    assert values(row(meeting, "参会代表人数（人）"))[-2] == "≥150人"
    assert values(row(meeting, "绩效目标"))[1].startswith("1.成立工作机构")


def test_jiaxing_key_cells(corpus: Callable[[str], ExtractedDocument]) -> None:
    doc = corpus("jiaxing-npc-office-2024")
    (summary,) = tables(doc, "income_expenditure_summary")
    assert summary.unit_label == "万元"  # printed as '单位：万' and '元' on two lines
    assert summary.context_lines == ["001-嘉兴市人民代表大会常务委员会办公室（部门）", "单位：万", "元"]

    (expenditure,) = tables(doc, "expenditure_summary")
    assert values(row(expenditure, "合计"))[1:3] == ["3822.08", "2246.31"]

    (basic,) = tables(doc, "general_budget_basic_expenditure")
    assert values(row(basic, "30101", "基本工资"))[2] == "281.34"

    (project,) = tables(doc, "project_expenditure")
    assert values(row(project, "人大会议"))[2] == "370.00"

    (performance,) = tables(doc, "performance")
    assert values(row(performance, "会议审议议案建议数（件）"))[-3:] == ["=", "250", "件"]
    # a row cut in two by the page break (unit, project and 一级指标 names split) is one row again
    cut = row(performance, "有效投诉次数(次)")
    assert cut[0] == "嘉兴市人民代表大会常务委员会办公室" and cut[1] == "人大事务综合业务管理"
    assert cut[3] == "效益指标"

    (fund,) = tables(doc, "gov_fund_expenditure")
    assert fund.notes == ["注：没有政府性基金预算拨款安排的支出，故本表无数据"]


def test_dongxihu_key_cells(corpus: Callable[[str], ExtractedDocument]) -> None:
    doc = corpus("dongxihu-npc-office-2022")
    by_title = {t.title: t for t in doc.tables}
    general = by_title["2022年一般公共预算支出总表"]
    assert values(row(general, "2010101", "行政运行"))[2] == "1,346.91"
    (three,) = tables(doc, "three_public")
    assert values(row(three, "合计")) == ["合计", "6.80"]
    assert values(row(three, "3. 公务接待费")) == ["3. 公务接待费", "0.80"]
    forms = [t for t in doc.tables if t.title == "项目绩效目标申报表"]
    assert any(values(r)[:2] == ["项目名称", "人代会"] for t in forms for r in t.body_rows)


def test_keqiao_2020_untitled_performance_table(corpus: Callable[[str], ExtractedDocument]) -> None:
    """The PDF lost the title the text version has: the header names the table kind."""
    (table,) = corpus("keqiao-npc-office-2020-performance").tables
    assert table.title == "" and kind_of(table) == "performance"
    assert table.unit_label == "万元"
    assert values(row(table, "区人大常委会例会和其他会议"))[1] == "47"
    assert values(row(table, "会议参加人数", "1000人以上"))
    assert values(row(table, "按时完成监督工作"))  # cut by the page break, joined again


def _cells(rows: list[list[str]]) -> list[list[str]]:
    """Rows compared without whitespace, trailing blanks, or the '**' placeholders a text
    version puts in numbering rows (the PDF prints nothing there)."""
    out = []
    for r in rows:
        cells = [squash(c).replace("**", "") for c in r]
        while cells and not cells[-1]:
            cells.pop()
        out.append(cells)
    return out


# What the PDFs themselves lack: keqiao 2020's title line is not in its PDF (a blank first page),
# and a column of dongxihu's 部门支出总表 runs off the PDF page.
PDF_ONLY_DIFFERENCES = {
    ("keqiao-npc-office-2020-performance", 0): {"title"},
    ("dongxihu-npc-office-2022", 2): {"header", "columns"},
}


@pytest.mark.parametrize("stem", sorted(p.stem for p in PDF_DIR.glob("*.pdf")))
def test_same_tables_as_text_reader(corpus: Callable[[str], ExtractedDocument], stem: str) -> None:
    """The PDF path gives the text path's tables: titles, units, context, rows, notes."""
    text_doc = read_text(raw_document(TEXT_DIR / f"{stem}.txt"))
    pdf_doc = corpus(stem)
    assert len(pdf_doc.tables) == len(text_doc.tables)
    for pdf_table, text_table in zip(pdf_doc.tables, text_doc.tables, strict=True):
        allowed = PDF_ONLY_DIFFERENCES.get((stem, pdf_table.index), set())
        where = f"{stem} table {pdf_table.index} {text_table.title!r}"
        if "title" not in allowed:
            assert squash(pdf_table.title) == squash(text_table.title), where
        assert pdf_table.unit_label == text_table.unit_label, where
        assert [squash(c) for c in pdf_table.context_lines] == [squash(c) for c in text_table.context_lines], where
        if "header" not in allowed:
            assert _cells(pdf_table.header_rows) == _cells(text_table.header_rows), where
        assert _cells(pdf_table.body_rows) == _cells(text_table.body_rows), where
        assert [squash(n) for n in pdf_table.notes] == [squash(n) for n in text_table.notes], where
        if "columns" not in allowed:
            assert pdf_table.n_columns == text_table.n_columns, where


@pytest.mark.parametrize("stem", sorted(p.stem for p in PDF_DIR.glob("*.pdf")))
def test_same_narrative_amounts_as_text_reader(corpus: Callable[[str], ExtractedDocument], stem: str) -> None:
    """The plain text keeps sentences whole and table rows tab-separated, as the text path does."""

    def stated(doc: ExtractedDocument) -> Counter[tuple[str, object, str]]:
        return Counter((n.line_item, n.amount, n.unit_label) for n in narrative_amounts(doc.text))

    assert stated(corpus(stem)) == stated(read_text(raw_document(TEXT_DIR / f"{stem}.txt")))


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


@pytest.mark.parametrize("rules", ["one-path", "filled-rects"])
def test_generated_grid_drawn_other_ways(
    specs: list[pdfgen.TableSpec], workdir: Path, rules: Literal["one-path", "filled-rects"]
) -> None:
    """Rules drawn as one path for the whole grid, or as thin filled rectangles."""
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
