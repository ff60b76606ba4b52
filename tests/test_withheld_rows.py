"""A table whose note says the publisher left rows out (部分具体项目信息公开时予以剔除) loads as printed:
its projects do not add up to its 合计 by the publisher's choice, not by a misreading."""

from __future__ import annotations

from decimal import Decimal

from pipeline.extract.layout import is_note
from pipeline.model import ExtractedTable
from pipeline.normalize.build import _checked_table_facts
from pipeline.normalize.context import DocContext
from pipeline.normalize.subjects import SubjectResolver
from pipeline.normalize.units import UnitRegistry

NOTE = "（注：根据国家保密法律法规和有关保密事项范围的规定，部分具体项目信息公开时予以剔除。）"


def _project_table(notes: list[str]) -> tuple[list[dict], list[dict]]:
    body = [["合 计", "", "525.00", "525.00", "525.00"], ["实施公车统管费用", "其他运转类", "15.00", "15.00", "15.00"],
            ["接访大厅运行经费", "特定目标类", "145.00", "145.00", "145.00"],
            ["信访业务工作经费", "特定目标类", "75.00", "75.00", "75.00"]]
    table = ExtractedTable(index=18, title="项目支出预算情况表", unit_label="万元",
                           header_rows=[["项目名称", "项目类别", "合计", "财政拨款", ""],
                                        ["", "", "", "小计", "一般公共预算"]], body_rows=body,
                           row_pages=[24] * len(body), page=24, notes=notes)
    ctx = DocContext("doc", 2026, UnitRegistry.for_department("某市信访局"), SubjectResolver())
    expenditure, _ = _checked_table_facts(table, "project_expenditure", ctx)
    return expenditure, ctx.findings


def test_a_bracketed_note_is_a_note():
    assert is_note(NOTE)


def test_projects_left_out_by_the_publisher_load_as_printed():
    facts, findings = _project_table([NOTE])
    totals = [f["amount_yuan"] for f in facts if f["row_role"] == "total" and f["measure"] == "total"]
    assert totals == [Decimal("5250000.00")]
    assert [(f["check_name"], f["severity"]) for f in findings] == [("rows_withheld", "warn")]


def test_without_the_note_the_same_sums_refuse_the_table():
    facts, findings = _project_table([])
    assert facts == [] and [f["check_name"] for f in findings] == ["table_unreadable"]
