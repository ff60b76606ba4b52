"""Every fact of the corpus README, read back from a warehouse built by the Dagster assets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import doc_id


def amounts(con, key, kind, where="", params=()):
    sql = f"""SELECT amount_yuan FROM fact_expenditure
              WHERE document_id = ? AND table_kind = ? {where} ORDER BY table_index, row_index"""
    return [r[0] for r in con.execute(sql, [doc_id(con, key), kind, *params]).fetchall()]


def unit_id(con, name):
    return con.execute("SELECT unit_id FROM dim_unit_alias WHERE alias = ?", [name]).fetchone()[0]


D = Decimal


@pytest.mark.parametrize(
    "key, kind, where, params, expected",
    [
        ("keqiao2023", "expenditure_summary", "AND row_role='total' AND measure=?", ["total"], [D("27525300.00")]),
        ("keqiao2023", "expenditure_summary", "AND row_role='total' AND measure=?", ["personnel"], [D("19124500.00")]),
        ("keqiao2023", "expenditure_summary", "AND row_role='total' AND measure=?", ["public_operating"],
         [D("1600800.00")]),
        ("keqiao2023", "expenditure_summary", "AND row_role='total' AND measure=?", ["project"], [D("6800000.00")]),
        ("keqiao2023", "three_public", "AND row_role='total' AND line_item=?", ["three_public_total"],
         [D("202000.00")]),
        # a 三公 category is an 'item' whether the table prints categories as columns or rows
        ("keqiao2023", "three_public", "AND row_role='item' AND line_item=?", ["official_reception"],
         [D("82000.00")]),
        ("keqiao2023", "project_expenditure", "AND line_item=? AND measure='total'", ["二届人大二次会议"],
         [D("2750000.00")]),
        ("pingxiang2023", "expenditure_summary", "AND row_role='total' AND measure=?", ["total"], [D("5935800.00")]),
        ("pingxiang2023", "expenditure_summary", "AND row_role='total' AND measure=?", ["project"], [D("1630000.00")]),
        ("pingxiang2023", "general_budget_expenditure", "AND subject_code=? AND measure='total'", ["2010101"],
         [D("3229100.00")]),
        # The table prints its total twice, on 合计 and on “三公”经费小计: both are the total.
        ("pingxiang2023", "three_public", "AND row_role='total' AND measure='total' AND line_item=?",
         ["three_public_total"], [D("83000.00"), D("83000.00")]),
        ("pingxiang2023", "three_public", "AND measure='total' AND line_item=?", ["vehicle_operation"],
         [D("68000.00")]),
        ("jiaxing2024", "expenditure_summary", "AND row_role='total' AND measure=?", ["total"], [D("38220800.00")]),
        ("jiaxing2024", "expenditure_summary", "AND row_role='total' AND measure=?", ["personnel"],
         [D("22463100.00")]),
        ("jiaxing2024", "general_budget_basic_expenditure", "AND subject_code=? AND measure='total'", ["30101"],
         [D("2813400.00")]),
        ("jiaxing2024", "project_expenditure", "AND line_item=? AND measure='total'", ["人大会议"], [D("3700000.00")]),
        ("dongxihu2022", "three_public", "AND row_role='total' AND line_item=?", ["three_public_total"],
         [D("68000.00")]),
        ("dongxihu2022", "three_public", "AND line_item=?", ["official_reception"], [D("8000.00")]),
    ],
)
def test_readme_amounts(wh, key, kind, where, params, expected):
    assert amounts(wh, key, kind, where, params) == expected


def test_keqiao_information_centre_is_a_unit_section(wh):
    centre = unit_id(wh, "绍兴市柯桥区人大信息中心")
    got = amounts(wh, "keqiao2023", "expenditure_summary", "AND row_role='unit_total' AND measure='total' AND unit_id=?",
                  [centre])
    assert got == [D("523300.00")]
    parent = wh.execute("SELECT parent_unit_id FROM dim_unit WHERE unit_id = ?", [centre]).fetchone()[0]
    assert parent == unit_id(wh, "区人大办") == unit_id(wh, "绍兴市柯桥区人民代表大会常务委员会办公室")
    assert unit_id(wh, "柯桥区人大信息中心") == centre  # the spelling without the city prefix


def test_keqiao_truncated_code_is_repaired(wh):
    row = wh.execute(
        """SELECT subject_code, printed_code, amount_yuan FROM fact_expenditure
           WHERE document_id = ? AND table_kind = 'general_budget_expenditure' AND line_item = '行政运行'
             AND measure = 'total' AND unit_id = ?""",
        [doc_id(wh, "keqiao2023"), unit_id(wh, "区人大办")],
    ).fetchall()
    assert row == [("2010101", "20101", D("17800200.00"))]
    meeting = wh.execute(
        "SELECT DISTINCT subject_code FROM fact_expenditure WHERE document_id = ? AND printed_code = '20104'",
        [doc_id(wh, "keqiao2023")],
    ).fetchall()
    assert meeting == [("2010104",)]


def test_keqiao_basic_salary_per_unit(wh):
    got = wh.execute(
        """SELECT u.unit_name, f.amount_yuan FROM fact_expenditure f JOIN dim_unit u USING (unit_id)
           WHERE f.document_id = ? AND f.table_kind = 'general_budget_basic_expenditure'
             AND f.subject_code = '30101' AND f.measure = 'total' ORDER BY f.amount_yuan DESC""",
        [doc_id(wh, "keqiao2023")],
    ).fetchall()
    assert got == [("绍兴市柯桥区人民代表大会常务委员会办公室", D("2557000.00")), ("绍兴市柯桥区人大信息中心", D("61700.00"))]


def test_dongxihu_garbled_codes_repaired_and_conflict_kept(wh):
    con, d = wh, doc_id(wh, "dongxihu2022")
    general = amounts(con, "dongxihu2022", "general_budget_expenditure", "AND subject_code='2010101' AND measure='total'")
    assert general == [D("13469100.00"), D("13469100.00")]
    # 部门支出总表 prints 5011001 行政运行 1,348.91: repaired to 2010101, the conflicting amount kept as printed.
    summary = con.execute(
        """SELECT printed_code, amount_yuan FROM fact_expenditure WHERE document_id = ?
           AND table_kind = 'expenditure_summary' AND subject_code = '2010101' AND measure = 'total'""",
        [d],
    ).fetchall()
    assert summary == [("5011001", D("13489100.00"))]


def test_same_department_in_two_years_is_one_unit(wh):
    rows = wh.execute(
        "SELECT fiscal_year, department_unit_id FROM dim_document WHERE file_name LIKE 'keqiao%' ORDER BY 1"
    ).fetchall()
    assert [y for y, _ in rows] == [2020, 2023]
    assert rows[0][1] == rows[1][1]


def test_documents_titles_and_regions(wh):
    got = dict(wh.execute(
        """SELECT d.title, u.region FROM dim_document d JOIN dim_unit u ON u.unit_id = d.department_unit_id"""
    ).fetchall())
    assert got["嘉兴市人民代表大会常务委员会办公室2024年部门预算"] == "嘉兴市"
    assert got["平乡县人民代表大会常务委员会2023年部门预算"] == "平乡县"
    assert got["绍兴市柯桥区人民代表大会常务委员会办公室2023年部门预算"] == "绍兴市柯桥区"
    codes = dict(wh.execute("SELECT unit_name, unit_code FROM dim_unit WHERE unit_code IS NOT NULL").fetchall())
    assert codes["嘉兴市人民代表大会常务委员会办公室"] == "001"
    # every seed's department sits in its province, city and (where it names one) county
    areas = {title: area for title, *area in wh.execute(
        """SELECT d.title, u.province, u.city, u.county, u.adcode, u.department_type FROM dim_document d
           JOIN dim_unit u ON u.unit_id = d.department_unit_id""").fetchall()}
    assert areas["平乡县人民代表大会常务委员会2023年部门预算"] == ["河北省", "邢台市", "平乡县", "130532", "npc_office"]
    assert areas["嘉兴市人民代表大会常务委员会办公室2024年部门预算"] == ["浙江省", "嘉兴市", None, "330400", "npc_office"]
    assert all(area[0] and area[1] for area in areas.values()), areas
    assert codes["平乡县人民代表大会常务委员会"] == "101"


def test_narrative_amounts(wh):
    got = amounts(wh, "keqiao2023", "narrative", "AND line_item = ?", ["income_expenditure_total"])
    assert got[0] == D("27525300.00")
    three = amounts(wh, "dongxihu2022", "narrative", "AND line_item = ?", ["three_public_total"])
    assert set(three) == {D("68000.00")}


@pytest.mark.parametrize(
    "key, project, indicator, comparator, value, unit",
    [
        ("keqiao2023", "区代表活动专项", "代表经费人均成本", ">=", 3400, "元/人"),
        ("pingxiang2023", "平乡县第十七届人民代表大会第三次会议经费", "参会代表人数（人）", ">=", 150, "人"),
        ("jiaxing2024", "市人代会经费", "会议审议议案建议数（件）", "=", 250, "件"),
        ("dongxihu2022", "人代会", "人代会天数", "=", 5, "天"),
        ("keqiao2020", "区人大常委会例会和其他会议", "会议参加人数", ">=", 1000, "人"),
    ],
)
def test_readme_indicators(wh, key, project, indicator, comparator, value, unit):
    rows = wh.execute(
        """SELECT comparator, target_value, target_unit FROM fact_performance_indicator
           WHERE document_id = ? AND project_name = ? AND indicator_name = ?""",
        [doc_id(wh, key), project, indicator],
    ).fetchall()
    assert (comparator, value, unit) in rows


def test_indicator_parents_and_budgets(wh):
    parent = wh.execute(
        "SELECT DISTINCT parent_project_name FROM fact_performance_indicator WHERE project_name = '市人代会经费'"
    ).fetchall()
    assert parent == [("人大会议",)]
    budget = wh.execute(
        """SELECT DISTINCT project_budget_yuan FROM fact_performance_indicator
           WHERE project_name = '区人大常委会例会和其他会议' AND document_id = ?""",
        [doc_id(wh, "keqiao2020")],
    ).fetchall()
    assert budget == [(D("470000.00"),)]
    scopes = wh.execute(
        "SELECT DISTINCT scope FROM fact_performance_indicator WHERE document_id = ? ORDER BY 1",
        [doc_id(wh, "dongxihu2022")],
    ).fetchall()
    assert scopes == [("department",), ("project",)]


def test_amount_type_is_exact_decimal(wh):
    types = dict(wh.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'fact_expenditure'"
    ).fetchall())
    assert types["amount_yuan"] == "DECIMAL(20,2)"
