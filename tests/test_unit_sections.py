"""Units named in a table's one label column: found by the table's sums (pipeline.normalize.sections) or
vouched for by a column headed 单位名称, whatever their names end with (…监狱, …12348法律服务中心)."""

from __future__ import annotations

from decimal import Decimal

from pipeline.model import ExtractedTable
from pipeline.normalize.build import _checked_table_facts
from pipeline.normalize.context import DocContext, is_total_label
from pipeline.normalize.grid import PlacedRow
from pipeline.normalize.sections import section_heads
from pipeline.normalize.subjects import SubjectResolver
from pipeline.normalize.units import UnitRegistry
from pipeline.schema import frame
from pipeline.table.from_facts import document_facts
from pipeline.table.identities import identity_counts


def _rows(*printed: tuple[str, str | None]) -> list[PlacedRow]:
    return [PlacedRow(index=k, block=0, page=1, cells=[label], code=None, printed_code=None, label=label,
                      amounts={} if amount is None else {1: Decimal(amount)})
            for k, (label, amount) in enumerate(printed)]


def test_each_unit_opens_the_rows_that_add_up_to_it():
    rows = _rows(("合计", "15.50"), ("某局", "10.00"), ("甲项目", "4.00"), ("乙项目", "6.00"),
                 ("某某监狱", "5.50"), ("丙项目", "5.50"))
    assert section_heads(rows, 1, is_total_label) == {1, 4}


def test_a_project_equal_to_the_next_is_no_unit_and_rows_of_nothing_stay_items():
    """丁 (3.00) equals 戊, but then 己 would be left over: only the unit's reading covers every row."""
    rows = _rows(("合计", "9.00"), ("某局", "9.00"), ("丁平台", "3.00"), ("戊项目", "3.00"), ("己项目", "3.00"),
                 ("庚项目", "0.00"), ("一行说明", None))
    assert section_heads(rows, 1, is_total_label) == {1}


def test_rows_without_sections_give_no_reading():
    rows = _rows(("合计", "10.00"), ("甲项目", "4.00"), ("乙项目", "6.00"))
    assert section_heads(rows, 1, is_total_label) is None


def _read(title: str, kind: str, header: list[list[str]], body: list[list[str]]) -> tuple[list[dict], DocContext]:
    table = ExtractedTable(index=2, title=title, unit_label="万元", header_rows=header, body_rows=body,
                           row_pages=[9] * len(body), page=9)
    ctx = DocContext("doc", 2026, UnitRegistry.for_department("某市司法局"), SubjectResolver())
    expenditure, income = _checked_table_facts(table, kind, ctx)
    return expenditure + income, ctx


def _roles(facts: list[dict]) -> dict[str, tuple[str, str | None]]:
    return {f["line_item"]: (f["row_role"], f.get("subject_code")) for f in facts if f["measure"] == "total"}


def test_every_row_of_a_column_headed_unit_name_is_a_unit_whatever_its_name_ends_with():
    facts, ctx = _read("收入总体情况表", "income_summary", [["单位名称", "合计", "一般公共预算"]],
                       [["合计", "300.00", "300.00"], ["某市司法局", "200.00", "200.00"],
                        ["某省某市第一监狱", "100.00", "100.00"]])
    assert [f for f in ctx.findings if f["severity"] == "error"] == []
    assert _roles(facts) == {"合计": ("total", None), "某市司法局": ("unit_total", None),
                             "某省某市第一监狱": ("unit_total", None)}


def test_rows_beside_the_units_own_codes_are_units_and_the_codes_theirs():
    """无锡 教育局's 收入总表 heads its columns 部门代码 | 部门名称: 305 the department, 305007 无锡市少年宫 and
    305010 无锡市辅仁高级中学 its units (their codes are no subject codes), not subjects named like schools."""
    facts, ctx = _read("收入总表", "income_summary", [["部门代码", "部门名称", "合计", "一般公共预算"]],
                       [["", "合计", "300.00", "300.00"], ["305", "某市教育局", "300.00", "300.00"],
                        ["305007", "某市少年宫", "100.00", "100.00"], ["305010", "某市辅仁高级中学", "200.00", "200.00"]])
    assert [f for f in ctx.findings if f["severity"] == "error"] == []
    assert _roles(facts) == {"合计": ("total", None), "某市教育局": ("unit_total", None),
                             "某市少年宫": ("unit_total", None), "某市辅仁高级中学": ("unit_total", None)}
    assert {u.unit_name: u.unit_code for u in ctx.units.units.values()}["某市少年宫"] == "305007"


def test_units_over_their_economic_classes_are_found_by_their_sums():
    """部门预算基本支出预算表 naming units and their 类 in one column: the units by their sums, the 类
    by their names (never a unit: they name a subject)."""
    facts, _ = _read("部门预算基本支出预算表", "basic_expenditure", [["支出项目类别（资金使用单位）", "总计"]],
                     [["合计", "150.00"], ["某市司法局", "100.00"], ["工资福利支出", "80.00"],
                      ["商品和服务支出", "20.00"], ["某市司法局12348法律服务中心", "50.00"], ["工资福利支出", "50.00"]])
    roles = {(f["row_index"], f["line_item"]): (f["row_role"], f["subject_code"]) for f in facts}
    assert roles == {(0, "合计"): ("total", None), (1, "某市司法局"): ("unit_total", None),
                     (2, "工资福利支出"): ("subject", "301"), (3, "商品和服务支出"): ("subject", "302"),
                     (4, "某市司法局12348法律服务中心"): ("unit_total", None), (5, "工资福利支出"): ("subject", "301")}


def test_a_unit_named_by_its_place_without_the_level_word_keeps_its_name():
    """无锡 教育局's 无锡教育电视台 is in 无锡市 as printed (it loaded as 无锡市无锡教育电视台); a name without any
    place is put under the department's region once (区人大信息中心 under 某某市丙丁区: not …区区…)."""
    registry = UnitRegistry.for_department("某某市教育局")
    station = registry.resolve("某某教育电视台", create=True)
    assert (station.unit_name, station.region) == ("某某教育电视台", "某某市")
    district = UnitRegistry.for_department("某某市丙丁区人民代表大会常务委员会办公室")
    centre = district.resolve("区人大信息中心", create=True)
    assert (centre.unit_name, centre.region) == ("某某市丙丁区人大信息中心", "某某市丙丁区")
    assert district.resolve("丙丁区人大信息中心") is centre


def test_a_section_of_classes_in_other_words_adds_up_with_the_rows_no_class_names():
    """A basic-expenditure table by unit whose 类 are worded otherwise (工资和福利支出 for 工资福利支出) and one row
    no 类 names (其他资本性等支出): 工资和福利支出 is 301, and the unit's subtotal is checked against all its rows,
    not against its named 类 alone (4,250.28 + 445.41 + 1,507.04 + 56.00 = 6,258.73, no error)."""
    facts, ctx = _read("部门预算基本支出预算表", "basic_expenditure", [["支出项目类别（资金使用单位）", "总计"]],
                       [["合计", "6,258.73"], ["某市商务局", "6,258.73"], ["工资和福利支出", "4,250.28"],
                        ["商品和服务支出", "445.41"], ["对个人和家庭的补助", "1,507.04"], ["其他资本性等支出", "56.00"]])
    roles = {f["line_item"]: (f["row_role"], f["subject_code"], f["code_source"]) for f in facts}
    assert roles["工资和福利支出"] == ("subject", "301", "inferred")
    assert roles["其他资本性等支出"] == ("item", None, None)
    # the quality stage's identities over the loaded facts
    checked, failures = identity_counts(document_facts(frame("fact_expenditure", facts), None)["doc"])
    assert checked and failures == []


def test_a_total_label_printed_with_its_colon_is_a_total():
    """长春's tables label their first row '总计：' (a colon after the word): the table's total, not an item."""
    assert is_total_label("总计：") and is_total_label("合 计:") and not is_total_label("其中：")


def test_a_class_printed_with_its_code_in_brackets_is_never_a_unit_section():
    """广州's 项目支出情况表（按经济分类科目） prints '[301]工资福利支出' over its items in one column. When every
    class adds up to the rows under it, the sums read like units' sections; the printed code says
    subject (the classes loaded as units named '[301]工资福利支出' once a continuation row made the sums whole)."""
    facts, ctx = _read("一般公共预算项目支出情况表（按经济分类科目）", "project_expenditure",
                       [["部门预算支出经济科目", "预算"]],
                       [["合计", "130.00"], ["[301]工资福利支出", "30.00"], ["[30199]其他工资福利支出", "30.00"],
                        ["[310]资本性支出", "100.00"], ["[31002]办公设备购置", "60.00"],
                        ["[31003]专用设备购置", "40.00"]])
    roles = {f["line_item"]: (f["row_role"], f["subject_code"]) for f in facts}
    assert roles == {"合计": ("total", None), "工资福利支出": ("subject", "301"),
                     "其他工资福利支出": ("subject", "30199"), "资本性支出": ("subject", "310"),
                     "办公设备购置": ("subject", "31002"), "专用设备购置": ("subject", "31003")}
    assert [u.unit_name for u in ctx.units.units.values()] == ["某市司法局"]
    # the bracketed digits are the code as printed: code_source 'printed', not placed by name
    sources = {f["line_item"]: (f["printed_code"], f["code_source"]) for f in facts if f["subject_code"]}
    assert sources["工资福利支出"] == ("301", "printed") and sources["办公设备购置"] == ("31002", "printed")


def test_a_government_economic_class_is_never_the_function_subject_of_its_name():
    """'[512]债务还本支出' prints a government economic class (政府预算支出经济分类 512): by its name alone it
    would be the function class 231 债务还本支出. Its code's shape says which classification it is in."""
    facts, ctx = _read("一般公共预算项目支出情况表（按经济分类科目）", "project_expenditure",
                       [["部门预算支出经济科目", "预算"]],
                       [["合计", "70.00"], ["[302]商品和服务支出", "60.00"], ["[30201]办公费", "60.00"],
                        ["[512]债务还本支出", "10.00"]])
    codes = {f["line_item"]: f["subject_code"] for f in facts}
    assert codes == {"合计": None, "商品和服务支出": "302", "办公费": "30201", "债务还本支出": None}
    assert {f["line_item"]: f["printed_code"] for f in facts}["债务还本支出"] == "512"  # kept as printed
    assert [f["check_name"] for f in ctx.findings] == ["subject_code_unresolved"]  # said, not guessed
