"""A table printed on under its repeated title and header on the next page is one table (烟台's
项目支出预算情况表 over pages 28-29: its 合计 is the sum of the projects of both pages)."""

from __future__ import annotations

from pipeline.extract.pdf.table_build import join_repeated_titles
from pipeline.model import ExtractedTable

HEADER = [["项目名称", "项目类别", "合计"]]


def _table(index: int, page: int, rows: list[list[str]], title: str = "项目支出预算情况表") -> ExtractedTable:
    return ExtractedTable(index=index, title=title, unit_label="万元", header_rows=[list(r) for r in HEADER],
                          body_rows=rows, row_pages=[page] * len(rows), page=page)


def test_a_repeated_title_on_the_next_page_continues_the_table():
    first = _table(5, 28, [["类", "款", ""], ["合 计", "", "3,274.33"], ["调引客水水费", "特定目标类", "1,215.43"]])
    second = _table(6, 29, [["类", "款", ""], ["宫家岛橡胶坝大修工程", "特定目标类", "373.37"]])
    after = _table(7, 30, [["办公设备", "", "10.00"]], title="政府采购预算表")
    joined = join_repeated_titles([first, second, after])
    assert [(t.index, t.title, t.page) for t in joined] == [(0, "项目支出预算情况表", 28), (1, "政府采购预算表", 30)]
    assert [r[0] for r in joined[0].body_rows] == ["类", "合 计", "调引客水水费", "宫家岛橡胶坝大修工程"]
    assert joined[0].row_pages == [28, 28, 28, 29]


def test_the_same_title_on_the_same_page_or_another_header_stays_apart():
    first = _table(0, 6, [["合计", "", "2,752.53"]])
    same_page = _table(1, 6, [["本年收入合计", "", "2,752.53"]])
    other_header = _table(2, 7, [["合计", "", "1.00"]])
    other_header.header_rows = [["项目名称", "合计", "基本支出"]]
    assert len(join_repeated_titles([first, same_page, other_header])) == 3
