"""Tables that print their title in the grid's first row, under a part heading ('第二部分 2026年度部门预算表'),
one to a page, with a column group of money carried over from earlier years (合计 | 当年预算 | 上年结转结余).

Drawn here with reportlab as such a budget system prints them: no title line outside the rules, so each
page's grid must start its own table (not continue the one above), the part heading names no table, and the
carry-over group's parts never load as a second 基本支出 or a second total.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from pipeline.extract.titles import looks_like_table_title
from pipeline.ingest import describe, extract
from pipeline.normalize.build import normalize_document
from tests.pdfgen import FONT

_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=TA_CENTER)
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=16)

_SUMMARY = [
    ["收支总表（预算表 1）", "", "", "", "", "", "", ""],
    ["预算单位：某市信访局", "", "", "", "", "", "", "单位：万元"],
    ["项目", "本年预算", "编制预算", "上年结转", "项目", "本年预算", "编制预算", "上年结转"],
    ["一、财政拨款收入", "130.00", "120.00", "10.00", "一、一般公共服务支出", "100.00", "90.00", "10.00"],
    ["一般公共预算拨款收入", "130.00", "120.00", "10.00", "二、住房保障支出", "30.00", "30.00", "0.00"],
    ["本年收入合计", "130.00", "120.00", "10.00", "本年支出合计", "130.00", "120.00", "10.00"],
    ["收入总计", "130.00", "120.00", "10.00", "支出总计", "130.00", "120.00", "10.00"],
]
# 合计 | 当年预算: 小计 基本支出 项目支出 | 上年结转结余: 小计 基本支出 项目支出. The year's group total of
# 2010202 prints 0.00 where its parts hold 40.00 (as a real one does): a misprint in a column not loaded.
_SPENDING = [
    ["本年一般公共预算支出表（预算表 5）", "", "", "", "", "", "", "", ""],
    ["预算单位：某市信访局", "", "", "", "", "", "", "", "单位：万元"],
    ["科目编码", "功能分类科目名称", "合计", "当年预算", "", "", "上年结转结余", "", ""],
    ["", "", "", "小计", "基本支出", "项目支出", "小计", "基本支出", "项目支出"],
    ["总计：", "", "130.00", "120.00", "80.00", "40.00", "10.00", "0.00", "10.00"],
    ["201", "一般公共服务支出", "100.00", "90.00", "50.00", "40.00", "10.00", "0.00", "10.00"],
    ["2010201", "行政运行", "50.00", "50.00", "50.00", "0.00", "0.00", "0.00", "0.00"],
    ["2010202", "一般行政管理事务", "50.00", "0.00", "0.00", "40.00", "10.00", "0.00", "10.00"],
    ["221", "住房保障支出", "30.00", "30.00", "30.00", "0.00", "0.00", "0.00", "0.00"],
    ["2210201", "住房公积金", "30.00", "30.00", "30.00", "0.00", "0.00", "0.00", "0.00"],
]


def _grid(rows: list[list[str]], widths: list[int]) -> Table:
    last = len(rows[0]) - 1
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONT", (0, 0), (-1, -1), FONT, 8),
        ("SPAN", (0, 0), (last, 0)),  # the title spans the whole grid
        ("ALIGN", (0, 0), (last, 0), "CENTER"),
        ("SPAN", (0, 1), (last - 1, 1)),
    ]
    if rows is _SPENDING:
        style += [("SPAN", (3, 2), (5, 2)), ("SPAN", (6, 2), (8, 2))]
        style += [("SPAN", (c, 2), (c, 3)) for c in (0, 1, 2)]
    return Table(rows, colWidths=widths, style=TableStyle(style))


def _disclosure(path: Path) -> Path:
    story = [
        Paragraph("某市信访局2026年度部门预算公开", _TITLE),
        Paragraph("2026年收支总预算130.00万元。", _BODY),
        PageBreak(),
        Paragraph("第二部分 2026年度部门预算表", _TITLE),
        _grid(_SUMMARY, [110, 60, 60, 60, 110, 60, 60, 60]),
        PageBreak(),
        _grid(_SPENDING, [60, 110, 60, 60, 60, 60, 60, 60, 60]),
    ]
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)
    return path


def test_a_part_heading_names_no_table():
    assert not looks_like_table_title("第二部分 2026年度部门预算表")
    assert looks_like_table_title("收支总表（预算表 1）")


def test_each_grid_with_its_own_title_row_is_its_own_table(tmp_path):
    doc = extract(describe(_disclosure(tmp_path / "in-grid.pdf")))
    assert [(t.title, t.page) for t in doc.tables] == [
        ("收支总表（预算表 1）", 2), ("本年一般公共预算支出表（预算表 5）", 3)]


def test_the_carried_over_group_loads_no_second_measure(tmp_path):
    frames = normalize_document(extract(describe(_disclosure(tmp_path / "in-grid.pdf"))))
    spending = frames.fact_expenditure.filter(table_kind="general_budget_expenditure")
    got = {(r["subject_code"], r["measure"]): r["amount_yuan"] for r in spending.iter_rows(named=True)}
    wan = Decimal(10_000)
    # 合计 is the total; the year's basic and project are 当年预算's; the carry-over is its group's 小计
    assert got[("2010202", "total")] == 50 * wan
    assert got[("2010202", "project")] == 40 * wan
    assert got[("2010202", "carryover")] == 10 * wan
    assert got[("201", "basic")] == 50 * wan
    # one amount per subject and measure: no carried-over 基本支出/项目支出, no 当年预算/小计 as a total
    assert len(got) == spending.height
    (note,) = [f for f in frames.findings if f["check_name"] == "amount_column_unplaced"]
    assert "上年结转结余/基本支出" in note["observed"] and "当年预算/小计" in note["observed"]
