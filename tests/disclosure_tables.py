"""The fictional department of the generated disclosures, its amounts, and the tables and
documents built from them (the documents themselves, one layout feature each: tests.disclosure_docs).

云岭市澄溪县教育局 is invented: its amounts are ours and add up (parents, 合计, 基本 + 项目, the
economic table against the basic column, income against expenditure).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from tests.disclosure_data import (
    CodedTable,
    Column,
    Fact,
    Style,
    SummaryTable,
    ThreePublicTable,
    coded_rows,
    expected_facts,
    render_coded,
    render_summary,
    render_three_public,
    with_totals,
)
from tests.disclosure_pdfs import Disclosure, Grid, Layout, build_disclosure_pdf

DEPT = "云岭市澄溪县教育局"
BUDGET_YEAR, FINAL_YEAR = 2025, 2024
D = Decimal

# 基本支出 / 项目支出 of each 项 (元); totals, 款, 类 and 合计 are summed.
FUNCTION_BUDGET = {
    "2050101": {"basic": 3216400},
    "2050102": {"project": 845000},
    "2050199": {"basic": 52300, "project": 120500},
    "2080505": {"basic": 386000},
    "2210201": {"basic": 289500},
}
# 人员经费 / 公用经费 of each economic 款: they add up to the 基本支出 above (3,944,200.00).
ECONOMIC_BUDGET = {
    "30101": {"personnel": 1236000}, "30102": {"personnel": 1491100}, "30108": {"personnel": 386000},
    "30113": {"personnel": 289500}, "30201": {"public_operating": 156000}, "30211": {"public_operating": 83300},
    "30217": {"public_operating": 48700}, "30299": {"public_operating": 253600},
}
# What was spent in the final accounts of the same year.
FUNCTION_FINAL = {
    "2050101": {"basic": 3182700},
    "2050102": {"project": 801300},
    "2050199": {"basic": 51900, "project": 117800},
    "2080505": {"basic": 386000},
    "2210201": {"basic": 291200},
}
ADJUSTED_TOTAL = {"2050101": 3216400, "2050102": 880000, "2050199": 172800, "2080505": 386000, "2210201": 291200}
# Every row has both a basic and a project amount (the table whose columns get shuffled).
FUNCTION_MIXED = {
    "2050101": {"basic": 3216400, "project": 96000},
    "2050199": {"basic": 52300, "project": 120500},
    "2080505": {"basic": 386000, "project": 12600},
    "2210201": {"basic": 289500, "project": 8800},
}
EMPTY_NOTE = "注：本部门无政府性基金预算财政拨款安排的支出，故本表为空表。"

BUDGET_COLUMNS = [Column("合计", "total", "budget"), Column("基本支出", "basic", "budget"),
                  Column("项目支出", "project", "budget")]
BASIC_COLUMNS = [Column("合计", "total", "budget"), Column("人员经费", "personnel", "budget"),
                 Column("公用经费", "public_operating", "budget")]
FINAL_COLUMNS = [Column("本年支出合计", "total", "final"), Column("基本支出", "basic", "final"),
                 Column("项目支出", "project", "final")]
PLAIN = Style()  # 万元, codes in one column, 合计 in the name column, no 编制部门 line
STAGE_COLUMNS = [Column("年初预算数", "total", "budget"), Column("调整预算数", "total", "adjusted_budget"),
                 Column("决算数", "total", "final")]


@dataclass
class Generated:
    """One generated disclosure: what is drawn, and the specs its facts are checked against."""

    name: str
    disclosure: Disclosure
    tables: list  # CodedTable | SummaryTable | ThreePublicTable, parallel to disclosure.grids
    fiscal_year: int
    document_kind: str

    def expected(self, index: int) -> set[Fact]:
        return expected_facts(self.tables[index])

    def page(self, index: int) -> int:
        return self.disclosure.page_of(index)

    def write(self, folder: Path) -> Path:
        return build_disclosure_pdf(folder / f"{self.name}.pdf", self.disclosure)


def expenditure_summary(year: int, leaves=FUNCTION_BUDGET, total_at: str = "top") -> CodedTable:
    rows = coded_rows(with_totals(leaves, ("basic", "project"), "budget"), total_at)
    return CodedTable(f"{year}年部门支出预算总表", "expenditure_summary", "功能分类科目编码", BUDGET_COLUMNS, rows)


def general_budget(year: int, leaves=FUNCTION_BUDGET) -> CodedTable:
    rows = coded_rows(with_totals(leaves, ("basic", "project"), "budget"))
    return CodedTable(f"{year}年一般公共预算支出功能分类预算表", "general_budget_expenditure", "功能分类科目编码",
                      BUDGET_COLUMNS, rows)


def basic_economic(year: int, leaves=ECONOMIC_BUDGET, total_at: str = "top") -> CodedTable:
    rows = coded_rows(with_totals(leaves, ("personnel", "public_operating"), "budget"), total_at)
    return CodedTable(f"{year}年一般公共预算基本支出经济分类预算表", "general_budget_basic_expenditure",
                      "经济分类科目编码", BASIC_COLUMNS, rows)


def budget(name: str, tables: list, style: Style = PLAIN, *, layout: Layout = "ruled",
           cover: list[str] | None = None, year: int = BUDGET_YEAR) -> Generated:
    grids = [render_coded(t, style) for t in tables]
    disclosure = Disclosure(cover or [f"{DEPT}{year}年部门预算"], grids, layout)
    return Generated(name, disclosure, tables, year, "budget")


def final(name: str, tables: list, style: Style = PLAIN, *, layout: Layout = "ruled") -> Generated:
    grids: list[Grid] = []
    for t in tables:
        render = {SummaryTable: render_summary, ThreePublicTable: render_three_public}.get(type(t), render_coded)
        grids.append(render(t, style))
    disclosure = Disclosure([f"{DEPT}{FINAL_YEAR}年度部门决算"], grids, layout)
    return Generated(name, disclosure, tables, FINAL_YEAR, "final_accounts")


def final_expenditure(leaves=FUNCTION_FINAL, title: str = "支出决算表", kind: str = "expenditure_summary"):
    rows = coded_rows(with_totals(leaves, ("basic", "project"), "final"))
    return CodedTable(title, kind, "支出功能分类科目编码", FINAL_COLUMNS, rows)
