"""A title set over two lines is one title: a PDF drawn here (reportlab, centred title broken before its
end, as 泉州 公安局 prints its 27 project forms) reads back with the whole title, so the project and unit
it names are the form's, not the second line's fragment."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from pipeline.extract.titles import wrapped_title
from pipeline.ingest import describe, extract
from pipeline.normalize.build import normalize_document
from tests.pdfgen import FONT

_BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=16)
_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=TA_CENTER)
_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11, wordWrap="CJK")
FORM = [
    ["专项资金情况（万元）", "资金总额：", "57.00", "", ""],
    ["", "财政拨款：", "57.00", "", ""],
    ["项目实施期目标", "完成备勤宿舍改造与停车场建设。", "", "", ""],
    ["绩效目标指标", "一级指标", "二级指标", "三级指标", "目标值"],
    ["", "成本指标", "经济成本指标", "预算执行率", "100%"],
    ["", "产出指标", "时效指标", "备勤宿舍改造完成及时率", "100%"],
]


def _disclosure(path: Path) -> Path:
    """Cover and narrative; a list entry '1.项目支出绩效目标表' ends a page with no grid under it (a title
    waiting for its grid takes the next page's first line as context); then the form under its title."""
    story = [
        Paragraph("某市公安局2026年部门预算", _TITLE),
        Paragraph("一、收支预算总体情况", _BODY),
        Paragraph("2026年收支总预算 1,000.00 万元。其中基本支出 600.00 万元，项目支出 400.00 万元。", _BODY),
        Paragraph("（二）绩效目标表及说明", _BODY),
        Paragraph("1.项目支出绩效目标表", _BODY),
        PageBreak(),
        Paragraph("301007_某市公安局某某机场分局_机场公安综<br/>合修缮改造项目绩效目标表", _TITLE),
        Table([[Paragraph(c, _CELL) for c in row] for row in FORM], colWidths=[80, 90, 110, 150, 60],
              style=TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black)])),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_a_title_wrapped_over_two_lines_names_the_forms_project_and_unit(tmp_path):
    doc = extract(describe(_disclosure(tmp_path / "wrapped.pdf")))
    (form,) = [t for t in doc.tables if t.page == 2]
    assert form.title == "301007_某市公安局某某机场分局_机场公安综合修缮改造项目绩效目标表"
    frames = normalize_document(doc)
    indicators = frames.fact_performance_indicator
    units = dict(frames.dim_unit.select("unit_id", "unit_name").iter_rows())
    assert {(r["project_name"], units[r["unit_id"]], r["project_budget_yuan"]) for r in indicators.iter_rows(named=True)} == {
        ("机场公安综合修缮改造项目", "某市公安局某某机场分局", Decimal("570000.00"))}
    assert indicators["indicator_name"].to_list() == ["预算执行率", "备勤宿舍改造完成及时率"]


def test_a_line_that_ends_a_sentence_or_opens_a_section_is_no_part_of_the_title_below():
    assert wrapped_title("某市公安局某分局_综", "合修缮改造项目绩效目标表") == "某市公安局某分局_综合修缮改造项目绩效目标表"
    assert wrapped_title("本单位2026年无此项支出。", "政府性基金预算支出表") is None
    assert wrapped_title("三、2026年部门预算表", "收支预算总表") is None
    assert wrapped_title("单位：万元", "收支预算总表") is None
    assert wrapped_title("2026年部门收入预算表", "2026年部门支出预算表") is None
