"""One cell, one meaning: every loaded amount knows its column's measure, fund and period, and no two
amounts of a table share a cell key (so a user's SUM never counts one twice).

The tables are what a reader hands over from a page (header rows over body rows, cells as printed),
in the layouts real producers use: 2025 | 2026 | 增减 column groups, 2025 / 2026 / 增减 rows stacked in
one 三公 table, fund rows under its 合计, fund column groups over 基本支出 | 项目支出.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipeline.model import ExtractedTable
from pipeline.normalize.build import _checked_table_facts
from pipeline.normalize.context import DocContext
from pipeline.normalize.subjects import SubjectResolver
from pipeline.normalize.units import UnitRegistry
from pipeline.warehouse.connect import open_writer

FIXTURES = Path(__file__).parent / "fixtures"
WAN = Decimal(10000)


def _context() -> DocContext:
    return DocContext("doc", 2026, UnitRegistry.for_department("某市审计局"), SubjectResolver())


def _read(title: str, kind: str, header: list[list[str]], body: list[list[str]],
          context: list[str] | None = None) -> tuple[list[dict], DocContext]:
    table = ExtractedTable(index=3, title=title, unit_label="万元", header_rows=header, body_rows=body,
                           row_pages=[5] * len(body), page=5, context_lines=context or [])
    ctx = _context()
    expenditure, income = _checked_table_facts(table, kind, ctx)
    return expenditure + income, ctx


def _errors(ctx: DocContext) -> list[dict]:
    return [f for f in ctx.findings if f["severity"] == "error"]


def _cells(facts: list[dict]) -> set[tuple]:
    return {(f["line_item"], f["measure"], f["fund_source"], f["amount_yuan"] / WAN) for f in facts}


def test_only_this_years_column_group_loads():
    """2025年预算数 | 2026年预算数 | 增减: the earlier year and the change are not amounts of the 2026 budget."""
    facts, ctx = _read(
        "2026年一般公共预算支出表", "general_budget_expenditure",
        [["科目编码", "科目名称", "2025年预算数", "", "2026年预算数", "", "增减变化情况"],
         ["", "", "合计", "基本支出", "合计", "基本支出", ""]],
        [["201", "一般公共服务支出", "90.00", "50.00", "100.00", "60.00", "10.00"],
         ["20108", "审计事务", "90.00", "50.00", "100.00", "60.00", "10.00"],
         ["2010801", "行政运行", "90.00", "50.00", "100.00", "60.00", "10.00"]],
    )
    assert _errors(ctx) == []
    assert _cells(facts) == {
        ("一般公共服务支出", "total", None, Decimal(100)), ("一般公共服务支出", "basic", None, Decimal(60)),
        ("审计事务", "total", None, Decimal(100)), ("审计事务", "basic", None, Decimal(60)),
        ("行政运行", "total", None, Decimal(100)), ("行政运行", "basic", None, Decimal(60)),
    }


_THREE_PUBLIC_HEADER = [["项目", "合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"]]


def test_stacked_year_rows_of_a_three_public_table_load_this_years_row():
    facts, _ = _read(
        "2026年“三公”经费支出预算表", "three_public", _THREE_PUBLIC_HEADER,
        [["2025年预算数", "12.00", "0.00", "10.00", "2.00"],
         ["2026年预算数", "11.00", "0.00", "9.50", "1.50"],
         ["增减变化金额", "-1.00", "0.00", "-0.50", "-0.50"]],
    )
    assert sorted((f["line_item"], f["row_role"], f["amount_yuan"] / WAN) for f in facts) == [
        ("official_reception", "item", Decimal("1.5")),
        ("overseas_travel", "item", Decimal(0)),
        ("three_public_total", "total", Decimal(11)),
        ("vehicle_total", "item", Decimal("9.5")),
    ]


def test_fund_rows_of_a_three_public_table_name_their_fund():
    """The rows under 合计 are the same 三公 split by fund: they load with fund_source, never as a second total."""
    facts, _ = _read(
        "2026年“三公”经费支出预算表", "three_public", _THREE_PUBLIC_HEADER,
        [["合计", "11.00", "0.00", "9.50", "1.50"],
         ["一般公共预算财政拨款", "10.00", "0.00", "8.50", "1.50"],
         ["政府性基金预算财政拨款", "1.00", "0.00", "1.00", "0.00"]],
    )
    totals = {(f["fund_source"], f["amount_yuan"] / WAN) for f in facts if f["line_item"] == "three_public_total"}
    assert totals == {(None, Decimal(11)), ("general_budget", Decimal(10)), ("gov_fund", Decimal(1))}
    assert all(f["row_role"] == "total" for f in facts if f["line_item"] == "three_public_total")


def test_fund_column_groups_keep_their_fund():
    """一般公共预算 | 政府性基金 groups over 基本支出 | 项目支出: four amounts, four cells."""
    facts, ctx = _read(
        "2026年部门支出总表", "expenditure_summary",
        [["科目编码", "科目名称", "合计", "一般公共预算", "", "政府性基金预算", ""],
         ["", "", "", "基本支出", "项目支出", "基本支出", "项目支出"]],
        [["201", "一般公共服务支出", "100.00", "60.00", "30.00", "4.00", "6.00"],
         ["20108", "审计事务", "100.00", "60.00", "30.00", "4.00", "6.00"]],
    )
    assert _errors(ctx) == []
    row = {c[1:] for c in _cells(facts) if c[0] == "审计事务"}
    assert row == {("total", None, Decimal(100)), ("basic", "general_budget", Decimal(60)),
                   ("project", "general_budget", Decimal(30)), ("basic", "gov_fund", Decimal(4)),
                   ("project", "gov_fund", Decimal(6))}


def test_year_groups_named_above_the_grid_load_this_years_group():
    """The 2025年预算数 | 2026年预算数 line stands above the ruled grid, whose header repeats per year."""
    top = ["合计", "因公出国（境）经费", "公务用车购置及运行维护费", "", "", "公务接待费"]
    sub = ["", "", "小计", "公务用车购置经费", "公务用车运行维护费", ""]
    facts, _ = _read(
        "一般公共预算“三公”经费支出情况表", "three_public", [top + top, sub + sub],
        [["11.90", "8.50", "", "", "", "3.40", "3.40", "", "", "", "", "3.40"]],
        context=["部门（单位）：某市审计局 单位：万元", "2025年预算数 2026年预算数"],
    )
    assert sorted((f["line_item"], f["amount_yuan"] / WAN) for f in facts) == [
        ("official_reception", Decimal("3.4")), ("three_public_total", Decimal("3.4"))]


def test_the_grant_subtotal_is_every_fiscal_grant():
    """财政拨款 over 小计 | 一般公共预算 | 政府性基金预算: the 小计 is all grants (fiscal_grant), not a second
    general_budget; 使用非财政拨款结余 is not a grant at all."""
    facts, ctx = _read(
        "项目支出预算情况表", "project_expenditure",
        [["项目名称", "合计", "财政拨款", "", "", "单位资金", "使用非财政拨款结余"],
         ["", "", "小计", "一般公共预算", "政府性基金预算", "", ""]],
        [["合计", "120.00", "110.00", "100.00", "10.00", "6.00", "4.00"],
         ["档案数字化", "120.00", "110.00", "100.00", "10.00", "6.00", "4.00"]],
    )
    assert _errors(ctx) == []
    row = {(f["measure"], f["fund_source"], f["amount_yuan"] / WAN) for f in facts if f["row_role"] == "total"}
    assert row == {("total", None, Decimal(120)), ("fiscal_grant", None, Decimal(110)),
                   ("general_budget", None, Decimal(100)), ("gov_fund", None, Decimal(10)),
                   ("unit_funds", None, Decimal(6)), ("non_grant_balance", None, Decimal(4))}


def test_a_table_whose_columns_cannot_be_told_apart_loads_nothing():
    """Two columns the vocabulary both reads as the total, with other amounts: the reader lost what
    tells them apart, so the table is refused loudly instead of doubling a SUM."""
    facts, ctx = _read(
        "2026年一般公共预算支出表", "general_budget_expenditure",
        [["科目编码", "科目名称", "合计", "预算数"]],
        [["201", "一般公共服务支出", "100.00", "80.00"], ["20108", "审计事务", "100.00", "80.00"]],
    )
    assert facts == []
    refused = [f for f in ctx.findings if f["check_name"] == "table_unreadable"]
    assert len(refused) == 1 and "share their row, measure, fund and stage" in refused[0]["observed"]


def test_the_seed_project_table_loads_its_total_once():
    """dongxihu-npc-office-2022's 项目支出预算表 prints 总计 beside 项目类资金, 纳入预算管理的预算外资金 and
    上缴专款转移支付 (and 事业收入, a measure of its own): only 总计 is the total (182.40 万元 in its 合计 row); the unnamed columns load nothing."""
    from pipeline.ingest import describe, extract
    from pipeline.normalize.build import normalize_document

    frames = normalize_document(extract(describe(FIXTURES / "text" / "dongxihu-npc-office-2022.txt")))
    project = frames.fact_expenditure.filter(table_kind="project_expenditure").to_dicts()
    totals = [f["amount_yuan"] for f in project if f["row_role"] == "total" and f["measure"] == "total"]
    assert totals == [Decimal("1824000.00")]
    assert not [f for f in project if "预算外" in (f["column_label"] or "")]
    keys = [(f["table_index"], f["row_index"], f["line_item"], f["measure"], f["fund_source"], f["stage"])
            for f in frames.fact_expenditure.to_dicts()]
    assert len(keys) == len(set(keys))


def test_the_warehouse_refuses_a_second_amount_in_one_cell(tmp_path):
    con = open_writer(tmp_path / "w.duckdb")
    row = ("f1", "d", 2026, "u", "general_budget_expenditure", "subject", "20108", "20108", "审计事务", None,
           "total", Decimal("1.00"), 1, "", 0, "t", 4, "合计", 10000, "budget", None, None, None, "printed", None)
    insert = f"INSERT INTO fact_expenditure VALUES ({', '.join('?' * len(row))})"
    con.execute(insert, list(row))
    with pytest.raises(duckdb.ConstraintException):
        con.execute(insert, ["f2", *row[1:11], Decimal("2.00"), *row[12:]])
    # the same cell of another fund is another cell
    con.execute(insert, ["f3", *row[1:11], Decimal("2.00"), *row[12:-4], "gov_fund", None, "printed", None])
    assert con.execute("SELECT COUNT(*) FROM fact_expenditure").fetchone()[0] == 2
    con.close()


def test_a_cross_classified_basic_table_keeps_both_codes():
    """部门经济分类 301 01 beside 政府经济分类 501 01: the subject is 30101, the government's code 50101 is
    kept beside it, never joined into one code; the all-funds 基本支出表 is a kind of its own."""
    from pipeline.extract.titles import classify_title

    header = [["科目编码", "", "部门预算支出经济分类科目", "科目编码", "", "政府预算支出经济分类科目", "合计"],
              ["类", "款", "", "类", "款", "", ""]]
    assert classify_title("基本支出预算情况表", "经济分类") == "basic_expenditure"
    facts, ctx = _read("基本支出预算情况表", "basic_expenditure", header, [
        ["", "", "合计", "", "", "", "1,812.81"],
        ["301", "", "工资福利支出", "501", "", "机关工资福利支出", "1,812.81"],
        ["301", "01", "基本工资", "501", "01", "工资奖金津补贴", "917.19"],
        ["301", "02", "津贴补贴", "501", "01", "工资奖金津补贴", "895.62"],
    ])
    assert _errors(ctx) == []
    assert [(f["subject_code"], f["printed_code"], f["gov_economic_code"], f["gov_economic_name"])
            for f in facts if f["row_role"] == "subject"] == [
        ("301", "301", "501", "机关工资福利支出"), ("30101", "301 01", "50101", "工资奖金津补贴"),
        ("30102", "301 02", "50101", "工资奖金津补贴")]


def test_an_economic_table_places_function_like_names_in_the_economic_classification():
    """A basic table by 经济分类 printing names only: 机关事业单位基本养老保险缴费 and 住房公积金 are the
    economic 30108 and 30113, never the function subjects of the same names (2080505, 2210201)."""
    facts, _ = _read("一般公共预算基本支出表", "general_budget_basic_expenditure",
                     [["经济分类科目名称", "合计", "人员经费", "公用经费"]], [
        ["合计", "150.00", "150.00", ""],
        ["工资福利支出", "150.00", "150.00", ""],
        ["机关事业单位基本养老保险缴费", "100.00", "100.00", ""],
        ["住房公积金", "50.00", "50.00", ""],
    ])
    codes = {f["line_item"]: f["subject_code"] for f in facts if f["row_role"] == "subject"}
    assert codes == {"工资福利支出": "301", "机关事业单位基本养老保险缴费": "30108", "住房公积金": "30113"}


def test_a_xiang_named_like_an_institution_is_a_subject_not_a_unit():
    """'06 艺术表演场所' in the 项 column is the subject 2070106, not a unit header splitting the table."""
    facts, ctx = _read(
        "一般公共预算支出情况表", "general_budget_expenditure",
        [["科目编码", "", "", "科目名称", "合计"], ["类", "款", "项", "", ""]],
        [["", "", "", "合计", "200.00"], ["207", "", "", "文化旅游体育与传媒支出", "200.00"],
         ["", "01", "", "文化和旅游", "200.00"], ["", "", "01", "行政运行", "150.00"],
         ["", "", "06", "艺术表演场所", "50.00"]],
    )
    assert _errors(ctx) == []
    assert {f["row_role"] for f in facts} == {"total", "subject"}
    assert [f["subject_code"] for f in facts if f["line_item"] == "艺术表演场所"] == ["2070106"]


def test_a_numbered_class_row_of_a_summary_is_that_class():
    """'二十一、其他支出' on a 收支总表's expenditure side is the 类 229, though the name alone also fits the
    款 22999: left out, the side's 类 rows would not add up to its 本年支出合计."""
    facts, _ = _read(
        "收支总体情况表", "income_expenditure_summary",
        [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]],
        [["一、财政拨款收入", "100.00", "一、一般公共服务支出", "60.00"],
         ["", "", "二十一、其他支出", "40.00"],
         ["本年收入合计", "100.00", "本年支出合计", "100.00"]],
    )
    assert {f["line_item"]: f["subject_code"] for f in facts if f["row_role"] == "subject"} == {
        "一般公共服务支出": "201", "其他支出": "229"}


def test_a_warehouse_holding_cells_loaded_before_the_key_opens_and_says_so(tmp_path, caplog):
    """A file from before the index may hold two amounts in one cell: it still opens, nothing in it is
    lost, and the log says to ingest again with --force; once they are gone the index is created."""
    path = tmp_path / "old.duckdb"
    con = open_writer(path)
    con.execute("DROP INDEX fact_expenditure_one_cell; DROP INDEX fact_income_one_cell")
    row = ["f1", "d", 2026, "u", "three_public", "total", None, None, "three_public_total", None,
           "total", Decimal("1.00"), 1, "", 0, "t", 4, "合计", 10000, "budget", None, None, None, None, None]
    insert = f"INSERT INTO fact_expenditure VALUES ({', '.join('?' * len(row))})"
    con.execute(insert, row)
    con.execute(insert, ["f2", *row[1:11], Decimal("2.00"), *row[12:]])
    con.close()
    with caplog.at_level("WARNING", logger="pipeline.warehouse.connect"):
        con = open_writer(path)
    assert con.execute("SELECT COUNT(*) FROM fact_expenditure").fetchone()[0] == 2
    assert any("--force" in r.getMessage() for r in caplog.records)
    con.execute("DELETE FROM fact_expenditure WHERE fact_id = 'f2'")
    con.close()
    con = open_writer(path)
    names = {n for (n,) in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    assert {"fact_expenditure_one_cell", "fact_income_one_cell"} <= names
    con.close()


def test_a_heading_naming_several_funds_run_together_loads_nothing_under_it():
    """A continuation page read by word positions runs the wrapped headings 一般公共预 | 政府性基金 |
    国有资本经 into one (烟台 交通运输局 p31): its 4.00 is no 政府性基金 figure, so it is not loaded."""
    facts, ctx = _read(
        "项目支出预算情况表", "project_expenditure",
        [["项目名称", "项目类别", "合计", "小计", "财政拨款一般公共预政府性基金国有资本经算预算", "单位资金"]],
        [["实施公车统管", "其他运转类", "4.00", "4.00", "4.00", ""]],
    )
    assert _cells(facts) == {("实施公车统管", "total", None, Decimal(4))}
    assert [f["check_name"] for f in ctx.findings] == ["amount_column_unplaced"]
