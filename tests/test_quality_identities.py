"""Identities inside one table, on small hand-made tables (amounts as printed, in 万元): totals and
sections against their rows, subjects against their children (measures, 三公, projects and income:
test_quality_identities_measures)."""

from __future__ import annotations

from decimal import Decimal

from identity_runs import checked, run
from quality_frames import SUB, Facts, failures

from pipeline.outcome import tolerance
from pipeline.table.identities import IDENTITY_CHECKS


def test_every_check_reports_once_when_nothing_fails():
    f = Facts().table("expenditure_summary")
    f.row("total", "合计", {"total": "100.00"})
    f.row("subject", "一般公共服务支出", {"total": "100.00"}, code="201")
    out = run(f)
    assert not failures(out)
    assert {o.check_name for o in out} == set(IDENTITY_CHECKS)


# --------------------------------------------------------------------------- 合计 = Σ rows


def basic_table(total: str = "2672.82") -> Facts:
    """jiaxing 2024 一般公共预算基本支出表: 合计 2672.82 while its 类 add up to 2672.81."""
    f = Facts().table("general_budget_basic_expenditure", "2024年部门一般公共预算基本支出表")
    f.row("total", "合计", {"total": total, "personnel": "2246.31", "public_operating": "426.51"})
    f.row("subject", "工资福利支出", {"total": "2021.10", "personnel": "2021.10"}, code="301")
    f.row("subject", "商品和服务支出", {"total": "426.51", "public_operating": "426.51"}, code="302")
    f.row("subject", "对个人和家庭的补助", {"total": "225.20", "personnel": "225.20"}, code="303")
    return f


def test_total_within_rounding_tolerance_passes():
    out = run(basic_table())
    assert not failures(out)
    assert checked(out, "total_equals_sum_of_rows") == 3  # total, personnel, public_operating


def test_total_that_does_not_add_up_is_an_error_with_where():
    out = run(basic_table(total="2682.82"))
    (bad,) = failures(out, "total_equals_sum_of_rows")
    assert bad.severity == "error"
    assert "2024年部门一般公共预算基本支出表" in bad.details
    assert "general_budget_basic_expenditure" in bad.details
    assert "row: 合计" in bad.details and bad.place.measure == "total"
    assert "2672.81 万元" in bad.observed
    assert "2682.82 万元" in bad.expected


def test_tolerance_is_a_cent_per_rounded_addend_in_the_printed_unit():
    # 2672.82 printed, two addends making 2672.81: 100 yuan off, 200 yuan allowed in 万元.
    assert tolerance(10_000, 2) == Decimal("200.00")
    f = Facts().table("general_budget_expenditure", "2024年部门一般公共预算支出表")
    f.row("total", "合计", {"basic": "2672.82"})
    f.row("subject", "一般公共服务支出", {"basic": "1936.35"}, code="201")
    f.row("subject", "社会保障和就业支出", {"basic": "736.46"}, code="208")
    assert not failures(run(f))
    # 3 cents off with 2 addends is beyond 2 × 0.01 万元.
    g = Facts().table("general_budget_expenditure")
    g.row("total", "合计", {"basic": "2672.84"})
    g.row("subject", "一般公共服务支出", {"basic": "1936.35"}, code="201")
    g.row("subject", "社会保障和就业支出", {"basic": "736.46"}, code="208")
    (bad,) = failures(run(g), "total_equals_sum_of_rows")
    assert "difference 300.00 yuan, tolerance 200.00 yuan" in bad.details


def test_tolerance_follows_the_declared_unit():
    f = Facts().table("expenditure_summary", unit_multiplier=1)  # printed in 元
    f.row("total", "合计", {"total": "1000.00"})
    f.row("subject", "一般公共服务支出", {"total": "999.90"}, code="201")
    (bad,) = failures(run(f), "total_equals_sum_of_rows")
    assert "tolerance 0.01 yuan" in bad.details


# --------------------------------------------------------------------------- unit sections


def sectioned_table(info_total: str = "52.33", admin_row: str = "1780.02") -> Facts:
    """keqiao 2023 一般公共预算支出表: 区人大办 (the department) above its 本级 and the 信息中心."""
    f = Facts().table("general_budget_expenditure", "2023年部门一般公共预算支出表")
    f.row("unit_total", "区人大办", {"total": "2752.53", "personnel": "1912.45"})
    f.row("unit_total", "绍兴市柯桥区人民代表大会常务委员会办公室", {"total": "2700.20", "personnel": "1864.42"})
    f.row("subject", "行政运行", {"total": admin_row, "personnel": "1349.25"}, code="2010101", printed_code="20101")
    f.row("subject", "人大会议", {"total": "920.18"}, code="2010104", printed_code="20104")
    f.row("subject", "住房公积金", {"total": "0.00", "personnel": "515.17"}, code="2210201")
    f.row("unit_total", "绍兴市柯桥区人大信息中心", {"total": info_total, "personnel": "48.03"}, unit=SUB)
    f.row("subject", "事业运行", {"total": "41.39", "personnel": "37.09"}, code="2010150", unit=SUB)
    f.row("subject", "住房公积金", {"total": "10.94", "personnel": "10.94"}, code="2210201", unit=SUB)
    return f


def test_department_and_its_sections_add_up_without_false_errors():
    out = run(sectioned_table())
    assert not failures(out)
    assert checked(out, "unit_group_equals_sections") == 2  # total, personnel
    assert checked(out, "section_total_equals_rows") == 4  # two sections × two measures


def test_a_unit_section_that_does_not_add_up():
    out = run(sectioned_table(admin_row="1790.02"))
    (bad,) = failures(out, "section_total_equals_rows")
    assert "row: 绍兴市柯桥区人民代表大会常务委员会办公室" in bad.details
    assert "unit: u_dept" in bad.details
    assert "2010101 行政运行" in bad.details  # the addends are named


def test_a_department_subtotal_that_does_not_match_its_sections():
    out = run(sectioned_table(info_total="62.33"))
    assert failures(out, "unit_group_equals_sections")
    (sec,) = failures(out, "section_total_equals_rows")  # 62.33 ≠ 41.39 + 10.94 as well
    assert "绍兴市柯桥区人大信息中心" in sec.details and "unit: u_sub" in sec.details


def test_total_row_equals_the_sum_of_unit_sections():
    """keqiao 2023 部门支出预算总表: 合计 = 本级 2700.20 + 信息中心 52.33."""
    f = Facts().table("expenditure_summary", "2023年部门支出预算总表")
    f.row("total", "合计", {"total": "2752.53"})
    f.row("unit_total", "绍兴市柯桥区人民代表大会常务委员会办公室", {"total": "2700.20"})
    f.row("subject", "人大事务", {"total": "2700.20"}, code="20101")
    f.row("unit_total", "绍兴市柯桥区人大信息中心", {"total": "52.33"}, unit=SUB)
    f.row("subject", "人大事务", {"total": "52.33"}, code="20101", unit=SUB)
    assert not failures(run(f))
    g = Facts().table("expenditure_summary", "2023年部门支出预算总表")
    g.row("total", "合计", {"total": "2762.53"})
    g.row("unit_total", "绍兴市柯桥区人民代表大会常务委员会办公室", {"total": "2700.20"})
    g.row("unit_total", "绍兴市柯桥区人大信息中心", {"total": "52.33"}, unit=SUB)
    (bad,) = failures(run(g), "total_equals_sum_of_rows")
    assert "unit section subtotals" in bad.observed


def test_a_table_continued_under_the_same_title_is_one_table():
    """keqiao prints the 信息中心 part of its basic-expenditure table as a second table."""
    f = Facts().table("general_budget_basic_expenditure", "2023年部门一般公共预算基本支出表")
    f.row("total", "合计", {"total": "2072.53"})
    f.row("unit_total", "区人大办", {"total": "2072.53"})
    f.row("unit_total", "绍兴市柯桥区人民代表大会常务委员会办公室", {"total": "2020.20"})
    f.row("subject", "基本工资", {"total": "2020.20"}, code="30101")
    f.table("general_budget_basic_expenditure", "2023年部门一般公共预算基本支出表")
    f.row("unit_total", "绍兴市柯桥区人大信息中心", {"total": "52.33"}, unit=SUB)
    f.row("subject", "基本工资", {"total": "52.33"}, code="30101", unit=SUB)
    out = run(f)
    assert not failures(out)
    assert checked(out, "unit_group_equals_sections") == 1


# --------------------------------------------------------------------------- 类 / 款 / 项


def hierarchy(item_amount: str = "1936.35") -> Facts:
    f = Facts().table("general_budget_expenditure", "2024年部门一般公共预算支出表")
    f.row("subject", "一般公共服务支出", {"total": "3085.61"}, code="201")
    f.row("subject", "人大事务", {"total": "3085.61"}, code="20101")
    f.row("subject", "行政运行", {"total": item_amount}, code="2010101")
    f.row("subject", "一般行政管理事务", {"total": "1149.26"}, code="2010102")
    return f


def test_class_equals_its_kuan_and_kuan_equals_its_xiang():
    out = run(hierarchy())
    assert not failures(out)
    assert checked(out, "subject_equals_sum_of_children") == 2


def test_kuan_that_does_not_match_its_xiang():
    (bad,) = failures(run(hierarchy("1946.35")), "subject_equals_sum_of_children")
    assert "subject_code: 20101" in bad.details
    assert "row: 人大事务" in bad.details
    assert "2010101 行政运行" in bad.details and "2010102 一般行政管理事务" in bad.details


def test_repeated_code_in_a_section_is_a_warning_not_a_sum():
    f = Facts().table("income_expenditure_summary", "2022年部门收支总表")
    f.row("total", "本年支出合计", {"total": "10.00"})
    f.row("subject", "工资福利支出", {"total": "10.00"}, code="301")
    f.row("subject", "工资福利支出", {"total": "7.00"}, code="301")
    out = run(f)
    (warn,) = failures(out, "duplicate_subject_in_table")
    assert warn.severity == "warn" and "301" in warn.observed
    assert not failures(out, "total_equals_sum_of_rows")
