"""The generated disclosures of a fictional department, one layout feature per document.

云岭市澄溪县教育局 is invented: its amounts are ours and add up (parents, 合计, 基本 + 项目, the
economic table against the basic column, income against expenditure). ``DOCUMENTS`` maps a
short name to a builder; each :class:`Generated` keeps the table specs, so a test can ask which
facts a reader must load from any of its tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from tests.disclosure_data import (
    CodedTable,
    Column,
    Fact,
    Style,
    SummaryLine,
    SummaryTable,
    ThreePublicTable,
    coded_rows,
    expected_facts,
    render_coded,
    render_summary,
    render_three_public,
    subject_name,
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


# --- budgets: one layout feature each --------------------------------------------------------------


def baseline(layout: Layout = "ruled") -> Generated:
    """万元, one code column, 合计 in the name column: the layout every other one is compared with."""
    return budget(f"baseline-{layout}", [expenditure_summary(BUDGET_YEAR), basic_economic(BUDGET_YEAR)],
                  layout=layout)


def split_codes(layout: Layout = "ruled") -> Generated:
    return budget(f"split-codes-{layout}", [general_budget(BUDGET_YEAR), basic_economic(BUDGET_YEAR)],
                  Style(split=True), layout=layout)


def total_in_code_column() -> Generated:
    tables = [expenditure_summary(BUDGET_YEAR, total_at="bottom"), basic_economic(BUDGET_YEAR, total_at="bottom")]
    return budget("total-in-code-column", tables, Style(total_in_code=True))


def blank_cells() -> Generated:
    """A 项 and an economic 款 with nothing in any column, beside rows blank in one column."""
    leaves = FUNCTION_BUDGET | {"2080506": {}}
    economic = ECONOMIC_BUDGET | {"30107": {}}
    return budget("blank-cells", [expenditure_summary(BUDGET_YEAR, leaves), basic_economic(BUDGET_YEAR, economic)])


def amounts_in_yuan() -> Generated:
    return budget("amounts-in-yuan", [expenditure_summary(BUDGET_YEAR), basic_economic(BUDGET_YEAR)],
                  Style(unit="元", separators=True))


def empty_table() -> Generated:
    empty = CodedTable(f"{BUDGET_YEAR}年政府性基金预算支出功能分类预算表", "gov_fund_expenditure", "功能分类科目编码",
                       BUDGET_COLUMNS, coded_rows({}))
    doc = budget("empty-table", [expenditure_summary(BUDGET_YEAR), empty])
    grid = doc.disclosure.grids[1]
    grid.body = [[""] * len(grid.body[0]) for _ in range(2)] + grid.body  # WPS prints blank rows above
    grid.notes = [EMPTY_NOTE]
    return doc


CLIPPED_PRINTED, CLIPPED_AMOUNT = "3,216,437", D("3216437.00")


def clipped_cell() -> Generated:
    """元 with cents; the second table prints 2050101's 合计 without them (a clipped cell)."""
    leaves = FUNCTION_BUDGET | {"2050101": {"basic": "3216437.56"}}
    style = Style(unit="元", separators=True)
    doc = budget("clipped-cell", [expenditure_summary(BUDGET_YEAR, leaves), general_budget(BUDGET_YEAR, leaves)],
                 style)
    row = next(r for r in doc.disclosure.grids[1].body if r[0] == "2050101")
    assert row[2] == "3,216,437.56"
    row[2] = CLIPPED_PRINTED
    return doc


def publisher_in_headings() -> Generated:
    """The department named only in 编制部门 above each table; the cover title does not name it."""
    return budget("publisher-in-headings", [expenditure_summary(BUDGET_YEAR), basic_economic(BUDGET_YEAR)],
                  Style(publisher=DEPT), cover=[f"{BUDGET_YEAR}年部门预算"])


def shuffled_columns() -> Generated:
    """A 支出总表 whose 合计 | 基本支出 | 项目支出 values are rotated row by row: its arithmetic
    contradicts its columns on every row. The basic table after it is sound."""
    mixed = expenditure_summary(BUDGET_YEAR, FUNCTION_MIXED)
    doc = budget("shuffled-columns", [mixed, basic_economic(BUDGET_YEAR)])
    for r, row in enumerate(doc.disclosure.grids[0].body):
        values = row[2:5]
        k = 1 + r % 2
        row[2:5] = values[k:] + values[:k]
    return doc


# --- final accounts ---------------------------------------------------------------------------------


def stage_columns() -> Generated:
    """年初预算数 | 调整预算数 | 决算数 of each 项 (each the row's total at that stage)."""
    cent = D("0.01")
    leaves = {code: {("total", "budget"): D(sum(parts.values())).quantize(cent),
                     ("total", "adjusted_budget"): D(ADJUSTED_TOTAL[code]).quantize(cent),
                     ("total", "final"): D(sum(FUNCTION_FINAL[code].values())).quantize(cent)}
              for code, parts in FUNCTION_BUDGET.items()}
    table = CodedTable("一般公共预算财政拨款支出决算表", "general_budget_expenditure", "支出功能分类科目编码",
                       STAGE_COLUMNS, coded_rows(leaves))
    return final("stage-columns", [table])


def final_codes(split: bool) -> Generated:
    return final(f"final-codes-{'split' if split else 'joined'}", [final_expenditure()], Style(split=split))


THREE_PUBLIC_FINAL = {
    "budget": {"overseas_travel": D("30000.00"), "vehicle_purchase": D("40000.00"),
               "vehicle_operation": D("80000.00"), "official_reception": D("65000.00")},
    "final": {"overseas_travel": D("24600.00"), "vehicle_purchase": D("39800.00"),
              "vehicle_operation": D("72100.00"), "official_reception": D("50200.00")},
}


def three_public_final() -> Generated:
    amounts = {}
    for stage, parts in THREE_PUBLIC_FINAL.items():
        vehicle = parts["vehicle_purchase"] + parts["vehicle_operation"]
        amounts[stage] = parts | {"vehicle_total": vehicle, "three_public_total":
                                  parts["overseas_travel"] + vehicle + parts["official_reception"]}
    return final("three-public-final", [ThreePublicTable("财政拨款“三公”经费支出决算表", amounts)])


def summary_lines() -> SummaryTable:
    """本年收入合计 + 年初结转和结余 = 总计 = 本年支出合计 + 年末结转和结余; spending by 类 as in 支出决算表."""
    spent = expected_facts(final_expenditure())
    by_class = {code: a for _, _, code, _, m, _, a in spent if code and len(code) == 3 and m == "total"}
    total = sum(by_class.values())
    grant, other, carried_in = D("4812600.00"), D("21500.00"), D("36200.00")
    income_total = grant + other
    grand = income_total + carried_in
    numbers = ("一", "二", "三", "四", "五")
    income = [SummaryLine("一、一般公共预算财政拨款收入", grant), SummaryLine("二、政府性基金预算财政拨款收入", None),
              SummaryLine("三、其他收入", other)]
    spending = [SummaryLine(f"{numbers[i]}、{subject_name(c)}", a) for i, (c, a) in enumerate(sorted(by_class.items()))]
    pad = max(len(income), len(spending))
    income += [SummaryLine("", None)] * (pad - len(income))
    spending += [SummaryLine("", None)] * (pad - len(spending))
    income += [SummaryLine("本年收入合计", income_total, "total"), SummaryLine("使用非财政拨款结余", None),
               SummaryLine("年初结转和结余", carried_in), SummaryLine("总计", grand, "total")]
    spending += [SummaryLine("本年支出合计", total, "total"), SummaryLine("", None),
                 SummaryLine("年末结转和结余", grand - total), SummaryLine("总计", grand, "total")]
    return SummaryTable("收入支出决算总表", income, spending)


def final_summary() -> Generated:
    return final("final-summary", [summary_lines(), final_expenditure()])


def pair_budget() -> Generated:
    return budget("pair-budget", [general_budget(FINAL_YEAR)], year=FINAL_YEAR)


def pair_final() -> Generated:
    return final("pair-final", [final_expenditure(title="一般公共预算财政拨款支出决算表",
                                                  kind="general_budget_expenditure")])


DOCUMENTS: dict[str, Callable[[], Generated]] = {
    "baseline": baseline,
    "baseline-borderless": lambda: baseline("borderless"),
    "split-codes": split_codes,
    "split-codes-borderless": lambda: split_codes("borderless"),
    "total-in-code-column": total_in_code_column,
    "blank-cells": blank_cells,
    "amounts-in-yuan": amounts_in_yuan,
    "empty-table": empty_table,
    "clipped-cell": clipped_cell,
    "publisher-in-headings": publisher_in_headings,
    "shuffled-columns": shuffled_columns,
    "stage-columns": stage_columns,
    "final-codes-joined": lambda: final_codes(False),
    "final-codes-split": lambda: final_codes(True),
    "three-public-final": three_public_final,
    "final-summary": final_summary,
    "pair-budget": pair_budget,
    "pair-final": pair_final,
}
