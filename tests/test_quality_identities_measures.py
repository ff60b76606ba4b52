"""Identities between the measures of one table, on small hand-made tables (amounts as printed, in 万元):
basic = personnel + public, 三公 total = its parts, the project table, income = expenditure."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from identity_runs import checked, run
from quality_frames import DEPT, Facts, failures

# --------------------------------------------------------------------------- measures in a row


def test_basic_equals_personnel_plus_public_and_total_equals_basic_plus_project():
    f = Facts().table("general_budget_expenditure")
    f.row(
        "total",
        "合计",
        {"total": "3822.08", "basic": "2672.82", "personnel": "2246.31", "public_operating": "426.51", "project": "1149.26"},
    )
    out = run(f)
    assert not failures(out)
    assert checked(out, "basic_equals_personnel_plus_public") == 1
    assert checked(out, "total_equals_basic_plus_project") == 1


def test_row_measures_that_do_not_add_up():
    f = Facts().table("general_budget_expenditure", "2022年一般公共预算支出总表")
    f.row("subject", "行政运行", {"total": "1348.91", "basic": "1346.91", "personnel": "854.45",
                                   "public_operating": "152.14", "project": "0.00"}, code="2010101", page=7)
    out = run(f)
    (b,) = failures(out, "basic_equals_personnel_plus_public")
    (t,) = failures(out, "total_equals_basic_plus_project")
    assert "row: 行政运行" in b.details and "subject_code: 2010101" in b.details and "page: 7" in b.details
    assert "measures basic + project" in t.details


def test_basic_is_derived_from_its_parts_when_not_printed():
    """keqiao 行政运行: 1780.02 = 1349.25 + 155.78 + 275.00 (= 1780.03, within 3 cents)."""
    f = Facts().table("general_budget_expenditure")
    f.row("subject", "行政运行", {"total": "1780.02", "personnel": "1349.25", "public_operating": "155.78",
                                   "project": "275.00"}, code="2010101")
    out = run(f)
    assert not failures(out)
    assert checked(out, "total_equals_basic_plus_project") == 1


def test_empty_cells_are_missing_not_zero():
    f = Facts().table("general_budget_expenditure")
    f.row("subject", "行政运行", {"total": "1936.35", "personnel": "1509.84"}, code="2010101")
    out = run(f)
    assert checked(out, "basic_equals_personnel_plus_public") == 0
    assert checked(out, "total_equals_basic_plus_project") == 0


# --------------------------------------------------------------------------- 三公


def three_public(total: str = "20.20", purchase: str | None = None) -> Facts:
    f = Facts().table("three_public", "2023年部门一般公共预算“三公”经费支出表")
    cats = {"three_public_total": total, "overseas_travel": "12.00", "vehicle_total": "5.00",
            "vehicle_operation": "5.00", "official_reception": "3.20"}
    if purchase is not None:
        cats["vehicle_purchase"] = purchase
    # categories in columns: one printed row, one fact per category
    f.row_index += 1
    for cat, amount in cats.items():
        f.records.append(_three_public_fact(f, cat, amount))
    return f


def _three_public_fact(f: Facts, cat: str, amount: str) -> dict:
    return {
        "fact_id": f"tp-{cat}", "document_id": f.document_id, "fiscal_year": 2023, "unit_id": DEPT,
        "table_kind": "three_public", "row_role": "total", "subject_code": None, "printed_code": None,
        "line_item": cat, "project_name": None, "measure": "total",
        "amount_yuan": Decimal(amount) * 10_000, "page": 3, "source_row": "合计 | …",
        "table_index": f.table_index, "row_index": f.row_index, "table_title": f.title, "unit_multiplier": 10_000,
    }


def test_three_public_total_and_vehicle_total():
    out = run(three_public(purchase="0.00"))
    assert not failures(out)
    assert checked(out, "three_public_total_equals_parts") == 1
    assert checked(out, "vehicle_total_equals_parts") == 1


def test_three_public_total_that_does_not_add_up():
    (bad,) = failures(run(three_public(total="21.20", purchase="0.00")), "three_public_total_equals_parts")
    assert "“三公”经费支出表" in bad.details and "three_public_total" in bad.details


def test_blank_three_public_category_is_missing_unless_asked():
    out = run(three_public())  # 公务用车购置费 blank
    assert checked(out, "vehicle_total_equals_parts") == 0
    out = run(three_public(), blank_three_public_as_zero=True)
    assert checked(out, "vehicle_total_equals_parts") == 1
    assert not failures(out)


def test_three_public_categories_in_rows():
    """dongxihu / pingxiang print one category per row."""
    f = Facts().table("three_public", "2022年一般公共预算‘三公’经费支出表")
    for cat, amount in (("three_public_total", "6.80"), ("overseas_travel", "0.00"), ("vehicle_total", "6.00"),
                        ("vehicle_purchase", "0.00"), ("vehicle_operation", "6.00"), ("official_reception", "1.80")):
        f.row("total" if cat == "three_public_total" else "item", cat, {"total": amount})
    (bad,) = failures(run(f), "three_public_total_equals_parts")
    assert "6.80 万元" in bad.expected and "7.80 万元" in bad.observed


# --------------------------------------------------------------------------- 项目支出表


def test_project_table_total_equals_its_projects():
    f = Facts().table("project_expenditure", "2024年部门项目支出预算表")
    f.row("total", "合计", {"total": "1149.26", "general_budget": "1149.26"})
    for name, amount in (("人大监督", "231.20"), ("人大事务综合业务管理", "78.68"), ("人大会议", "370.00"),
                         ("信息化建设和运维", "245.18"), ("代表履职", "224.20")):
        f.row("item", name, {"total": amount, "general_budget": amount}, project=name)
    out = run(f)
    assert not failures(out)
    assert checked(out, "project_total_equals_projects") == 2


def test_project_table_whose_total_and_groups_do_not_match_its_projects():
    """dongxihu 2022 项目支出预算表: 合计 182.40 over projects adding to 272.40 + 92.00."""
    f = Facts().table("project_expenditure", "2022年项目支出预算表")
    f.row("total", "合计", {"total": "182.40"})
    f.row("subject", "一般行政管理事务", {"total": "182.40"}, code="2010102", printed_code="2310102")
    f.row("unit_total", "武汉市东西湖区人民代表大会常务委员会办公室", {"total": "182.40"})
    for name, amount in (("日常维保工作经费", "20.00"), ("人大代表培训费", "90.00"), ("人大代表履职经费", "42.80"),
                         ("老干工作经费", "7.00"), ("街道工作委员会工作经费", "12.00"), ("网络运行维护经费", "20.00"),
                         ("专门委工作经费", "40.00"), ("学习考察工作经费", "8.00"), ("信息化平台服务费", "31.00"),
                         ("党建工作经费", "1.60")):
        f.row("item", name, {"total": amount}, project=name)
    f.row("subject", "人大会议", {"total": "92.00"}, code="2010104", printed_code="2310104")
    f.row("item", "人代会", {"total": "92.00"}, project="人代会")
    out = run(f)
    (total,) = failures(out, "project_total_equals_projects")
    assert "2022年项目支出预算表" in total.details and "row: 合计" in total.details
    assert "364.40 万元" in total.observed
    groups = failures(out, "project_group_equals_projects")
    assert {g.details.split("; ")[1] for g in groups} == {
        "row: 一般行政管理事务 (row #1, subject)",
        "row: 武汉市东西湖区人民代表大会常务委员会办公室 (row #2, unit_total)",
    }
    assert len(groups) == 2  # the 人大会议 group (92.00 = 92.00) passes


# --------------------------------------------------------------------------- 收入总计 = 支出总计


def summary(expenditure_total: str) -> tuple[Facts, pl.DataFrame]:
    exp = Facts().table("income_expenditure_summary", "2024年部门收支预算总表")
    exp.row("subject", "一般公共服务支出", {"total": "3822.08"}, code="201")
    exp.row("total", "本年支出合计", {"total": "3822.08"})
    exp.row("total", "支出总计", {"total": expenditure_total})
    inc = Facts().table("income_expenditure_summary", "2024年部门收支预算总表")
    inc.row("item", "一般公共预算拨款收入", {"total": "3822.08"})
    inc.row("total", "本年收入合计", {"total": "3822.08"})
    inc.row("total", "收入总计", {"total": "3822.08"})
    return exp, inc.frame()


def test_income_equals_expenditure():
    exp, inc = summary("3822.08")
    out = run(exp, inc)
    assert not failures(out)
    assert checked(out, "income_equals_expenditure") == 1


def test_income_that_does_not_equal_expenditure():
    exp, inc = summary("3832.08")
    (bad,) = failures(run(exp, inc), "income_equals_expenditure")
    assert "row: 支出总计" in bad.details and "income_row: 收入总计" in bad.details
    assert bad.check_name == "income_equals_expenditure"
