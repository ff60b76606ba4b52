"""Unit tests of the text readers and normalisers on small slices of the corpus."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.extract.narrative import narrative_amounts
from pipeline.extract.text_reader import _cell_per_line_items, read_text
from pipeline.extract.titles import classify_title, parse_unit
from pipeline.model import RawDocument
from pipeline.normalize.amounts import parse_amount, to_yuan
from pipeline.normalize.build import table_kind
from pipeline.normalize.headers import column_roles
from pipeline.normalize.subjects import SubjectResolver
from pipeline.normalize.three_public import category_of
from pipeline.normalize.units import UnitRegistry, region_of
from tests.conftest import STEMS, TEXT


def read(key: str):
    p = TEXT / f"{STEMS[key]}.txt"
    return read_text(RawDocument(p, key, p.name, "text", p.stat().st_size))


@pytest.mark.parametrize("title, kind", [
    ("2023年部门支出预算总表", "expenditure_summary"),
    ("部门预算支出总表", "expenditure_summary"),
    ("2022年部门支出总表", "expenditure_summary"),
    ("2024 年部门收支预算总表", "income_expenditure_summary"),
    ("部门预算财政拨款收支总表", "fiscal_grant_summary"),
    ("2022年一般公共预算支出表（功能分类项级）", "general_budget_expenditure"),
    ("部门预算一般公共预算财政拨款基本支出表", "general_budget_basic_expenditure"),
    ("2022年一般公共预算‘三公’经费支出表", "three_public"),
    ("部门预算政府基金预算财政拨款支出表", "gov_fund_expenditure"),
    ("2023年部门项目支出预算表", "project_expenditure"),
    ("2022年政府采购预算表", "other"),
])
def test_classify_title(title, kind):
    assert classify_title(title) == kind


def test_unit_split_over_two_lines():
    assert parse_unit("单位：万  ", "元") == "万元"
    assert parse_unit("单位名称：某单位→单位：元") == "元"


@pytest.mark.parametrize("cell, value", [("2752.53", "2752.53"), ("2,070.44", "2070.44"), ("8.3", "8.3"),
                                         ("", None), ("-", None), ("90 万元", "90"), ("及时", None)])
def test_parse_amount(cell, value):
    assert parse_amount(cell) == (Decimal(value) if value else None)


def test_to_yuan_is_exact():
    assert to_yuan(Decimal("8.3"), "万元") == Decimal("83000.00")
    assert to_yuan(Decimal("2,070.44".replace(",", "")), "万元") == Decimal("20704400.00")
    assert to_yuan(Decimal("1.5"), "元") == Decimal("1.50")


def test_cell_per_line_layout_becomes_rows():
    text = "部门预算收支总表\n\t101某县某单位\n\t单位：万元\n\n\t1\n\t合计\n\t8.3\n\n"
    rows = [it.cells for it in _cell_per_line_items(text.split("\n")) if it.kind == "row"]
    assert rows == [["101某县某单位", "单位：万元"], ["1", "合计", "8.3"]]


def test_keqiao_tables_and_headers():
    doc = read("keqiao2023")
    kinds = [table_kind(t) for t in doc.tables]
    assert kinds.count("general_budget_basic_expenditure") == 2
    summary = doc.tables[kinds.index("expenditure_summary")]
    assert summary.unit_label == "万元"
    cols = column_roles(summary.header_rows, summary.body_rows, summary.n_columns)
    assert [c.measure for c in cols if c.role == "amount"][:4] == ["total", "personnel", "public_operating", "project"]


def test_pingxiang_collapsed_headers_align():
    doc = read("pingxiang2023")
    t = next(t for t in doc.tables if table_kind(t) == "income_summary")
    cols = column_roles(t.header_rows, t.body_rows, t.n_columns)
    assert [c.role for c in cols[:4]] == ["seq", "code", "name", "amount"]
    assert cols[3].measure == "total"
    assert cols[5].measure == "general_budget"


def test_three_public_categories():
    assert category_of("二、公务用车购置及运维费") == "vehicle_total"
    assert category_of("其中：（1）公务用车购置") == "vehicle_purchase"
    assert category_of("公务用车运行维护费") == "vehicle_operation"
    assert category_of("“三公”经费小计") == "three_public_total"
    assert category_of("3. 公务接待费") == "official_reception"


def test_subject_repair():
    r = SubjectResolver()
    r.learn([("2010101", "行政运行"), ("20101", "人大事务")])
    assert r.resolve("20101", "行政运行", "function").code == "2010101"
    assert r.resolve("20104", "人大会议", "function").code == "2010104"
    assert r.resolve("5011001", "行政运行", "function").code == "2010101"
    assert r.resolve("30101", "基本工资", "economic").code == "30101"


def test_units_and_regions():
    assert region_of("武汉市东西湖区人民代表大会常务委员会办公室") == "武汉市东西湖区"
    reg = UnitRegistry.for_department("武汉市东西湖区人民代表大会常务委员会办公室")
    dept = reg.department
    assert reg.resolve("东西湖区人大常委会办公室") is dept
    assert reg.resolve("武汉市东湖高新区人民代表大会常务委员会办公室本级") is dept  # OCR-garbled spelling


def test_a_unit_whose_name_differs_from_the_departments_in_its_last_word_is_another_unit():
    """泉州 人民政府办公室 lists 泉州市人民政府公报室 among its units: 87 % alike, another body."""
    reg = UnitRegistry.for_department("某市人民政府办公室")
    unit = reg.resolve("某市人民政府公报室", vouched=True)
    assert unit is not None and unit is not reg.department and unit.unit_name == "某市人民政府公报室"
    assert reg.resolve("中共某市人民政府办公室") is reg.department  # the same name with words added


def test_narrative_skips_changes_against_last_year():
    items = narrative_amounts("2023年部门预算收支安排593.58万元，较2022年预算增加2.75万元，其中：基本支出减少3.25万元。")
    assert [(a.line_item, a.amount) for a in items] == [("income_expenditure_total", Decimal("593.58"))]


def test_unrelated_text_is_quarantined(tmp_path: Path):
    from ingest_steps import read_file

    p = tmp_path / "notes.txt"
    p.write_text("会议纪要\n今天讨论了绿化问题。\n", encoding="utf-8")
    out = read_file(p)
    assert out.status == "quarantined" and "does not look like a budget disclosure" in out.reason
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert "empty" in read_file(empty).reason


def test_short_names_of_the_department_and_of_subordinates():
    reg = UnitRegistry.for_department("绍兴市柯桥区人民代表大会常务委员会办公室")
    assert reg.resolve("区人大办") is reg.department
    centre = reg.resolve("区人大信息中心")
    assert centre is not None and centre.unit_name == "绍兴市柯桥区人大信息中心"
    assert reg.resolve("绍兴市柯桥区人大信息中心") is centre
    assert centre.parent_unit_id == reg.department.unit_id


@pytest.mark.parametrize("name, region", [
    ("甲省乙市丙县教育体育局", "甲省乙市丙县"),
    ("某市城市管理局", "某市"),
    ("某市市场监督管理局", "某市"),
    ("内蒙古自治区某盟某旗财政局", "内蒙古自治区某盟某旗"),
    ("平乡县人民代表大会常务委员会", "平乡县"),
])
def test_region_of_any_body(name, region):
    assert region_of(name) == region


def test_a_fiscal_grant_total_in_the_text_is_not_the_whole_budget():
    """'财政拨款收支总预算' is the 财政拨款收支总表's total; the whole budget is stated apart."""
    items = narrative_amounts("2026年国家信访局收支总预算50,616.94万元。2026年国家信访局财政拨款收支总预算18,728.91万元。")
    assert [(a.line_item, a.amount) for a in items] == [
        ("income_expenditure_total", Decimal("50616.94")), ("fiscal_grant_total", Decimal("18728.91"))]
