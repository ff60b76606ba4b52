"""The generated disclosures of a fictional department, one layout feature per document.

云岭市澄溪县教育局 is invented: its amounts are ours and add up (parents, 合计, 基本 + 项目, the
economic table against the basic column, income against expenditure). ``DOCUMENTS`` maps a
short name to a builder; each :class:`Generated` keeps the table specs, so a test can ask which
facts a reader must load from any of its tables. The department's amounts, the table builders and
:class:`Generated` live in :mod:`tests.disclosure_tables`; the names other modules import stay here.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.disclosure_data import (
    CodedTable,
    Style,
    SummaryLine,
    SummaryTable,
    ThreePublicTable,
    coded_rows,
    expected_facts,
    subject_name,
)
from tests.disclosure_pdfs import Layout
from tests.disclosure_tables import (
    ADJUSTED_TOTAL,
    BUDGET_COLUMNS,
    BUDGET_YEAR,
    DEPT,
    ECONOMIC_BUDGET,
    EMPTY_NOTE,
    FINAL_YEAR,
    FUNCTION_BUDGET,
    FUNCTION_FINAL,
    FUNCTION_MIXED,
    STAGE_COLUMNS,
    D,
    Generated,
    basic_economic,
    budget,
    expenditure_summary,
    final,
    final_expenditure,
    general_budget,
)

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
