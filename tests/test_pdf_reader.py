"""The PDF reader on the corpus: each PDF gives the tables, kinds and cells a person reads in it
(the same tables as the text versions: test_pdf_reader_text; generated layouts and unreadable
files: test_pdf_reader_generated)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from pypdf import PdfReader

from pipeline.model import ExtractedDocument
from pipeline.text import squash
from tests.pdf_corpus import PDF_DIR, corpus_reader, kind_of, row, tables, values


@pytest.fixture(scope="module")
def corpus() -> Callable[[str], ExtractedDocument]:
    return corpus_reader()



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
