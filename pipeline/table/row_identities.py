"""Identities read along printed rows, with no subject hierarchy: the measures of one row
(基本支出 = 人员经费 + 公用经费; 合计 = 基本 + 项目 …), the 三公 table's categories, a 项目支出表's
projects under their totals and subtotals, and 收入总计 = 支出总计 in a 收支总表.
"""

from __future__ import annotations

from pipeline.outcome import CheckTallies
from pipeline.table.rows import DocumentFacts, LogicalTable, TableRow
from pipeline.table.sections import Amount, row_amount, sum_amounts
from pipeline.table.sums import compare_each_measure, compare_sum
from pipeline.text import squash
from pipeline.vocabulary import SUMMARY_KINDS

# row measures besides 基本 and 项目 that a row's 合计 also covers
_ROW_EXTRA_MEASURES = ("business_operating", "to_superior", "to_subsidiary")


# --------------------------------------------------------------------------- rows


def check_row_measures(table: LogicalTable, tallies: CheckTallies) -> None:
    mult = table.unit_multiplier
    for row in table.rows:
        a = row.amounts
        if "basic" in a and "personnel" in a and "public_operating" in a:
            compare_sum(
                tallies["basic_equals_personnel_plus_public"],
                Amount(a["basic"], 1, (row,)),
                [Amount(a["personnel"], 1, (row,)), Amount(a["public_operating"], 1, (row,))],
                mult,
                stated_what="基本支出",
                parts_what="人员经费 + 公用经费",
                row=row, measure="basic",
                addends="measures personnel + public_operating of the same row",
            )
        basic = row_amount(row, "basic")
        if "total" in a and "project" in a and basic is not None:
            parts = [basic, Amount(a["project"], 1, (row,))]
            parts += [Amount(a[m], 1, (row,)) for m in _ROW_EXTRA_MEASURES if m in a]
            names = "基本支出" if basic.derived is None else "(人员经费 + 公用经费)"
            measures = ["basic" if basic.derived is None else "personnel + public_operating", "project"]
            measures += [m for m in _ROW_EXTRA_MEASURES if m in a]
            compare_sum(
                tallies["total_equals_basic_plus_project"],
                Amount(a["total"], 1, (row,)),
                parts,
                mult,
                stated_what="合计",
                parts_what=f"{names} + 项目支出" + (" + other columns" if len(parts) > 2 else ""),
                row=row, measure="total",
                addends="measures " + " + ".join(measures) + " of the same row",
            )


# --------------------------------------------------------------------------- 三公


def _three_public_blocks(table: LogicalTable) -> list[dict[str, dict[str, Amount]]]:
    """Blocks of category → measure → amount: one per printed row when the categories are
    columns; runs of rows starting at each 三公 total when the categories are rows."""
    by_row: dict[tuple[int, int], list[TableRow]] = {}
    for r in table.rows:
        by_row.setdefault(r.order, []).append(r)
    columns_layout = any(len({r.line_item for r in rs}) > 1 for rs in by_row.values())
    blocks: list[dict[str, dict[str, Amount]]] = []
    if columns_layout:
        for _, rs in sorted(by_row.items()):
            block: dict[str, dict[str, Amount]] = {}
            for r in rs:
                for m, v in r.amounts.items():
                    block.setdefault(r.line_item or "", {})[m] = Amount(v, 1, (r,))
            blocks.append(block)
        return blocks
    current: dict[str, dict[str, Amount]] | None = None
    for r in table.rows:
        if r.line_item == "three_public_total" or current is None:
            current = {}
            blocks.append(current)
        for m, v in r.amounts.items():
            current.setdefault(r.line_item or "", {}).setdefault(m, Amount(v, 1, (r,)))
    return blocks


def check_three_public(table: LogicalTable, tallies: CheckTallies, blank_as_zero: bool) -> None:
    mult = table.unit_multiplier
    for block in _three_public_blocks(table):
        measures = {m for cat in block.values() for m in cat}
        for m in sorted(measures):

            def get(cat: str, m: str = m, block: dict[str, dict[str, Amount]] = block) -> Amount | None:
                return block.get(cat, {}).get(m)

            purchase, operation, vehicle = get("vehicle_purchase"), get("vehicle_operation"), get("vehicle_total")
            if vehicle is not None and (
                (purchase is not None and operation is not None)
                or (blank_as_zero and (purchase is not None or operation is not None))
            ):
                parts = [p for p in (purchase, operation) if p is not None]
                compare_sum(
                    tallies["vehicle_total_equals_parts"],
                    vehicle,
                    parts,
                    mult,
                    stated_what="公务用车购置及运行费",
                    parts_what="购置费 + 运行维护费",
                    row=vehicle.rows[0], measure=m,
                )
            if vehicle is None and purchase is not None and operation is not None:
                vehicle = sum_amounts([purchase, operation])
            elif vehicle is None and blank_as_zero and (purchase is not None or operation is not None):
                vehicle = sum_amounts([p for p in (purchase, operation) if p is not None])
            total, overseas, reception = get("three_public_total"), get("overseas_travel"), get("official_reception")
            parts_opt = [overseas, vehicle, reception]
            if total is None:
                continue
            if all(p is not None for p in parts_opt) or (
                blank_as_zero and any(p is not None for p in parts_opt)
            ):
                compare_sum(
                    tallies["three_public_total_equals_parts"],
                    total,
                    [p for p in parts_opt if p is not None],
                    mult,
                    stated_what="“三公”经费合计",
                    parts_what="因公出国(境) + 公务用车 + 公务接待",
                    row=total.rows[0], measure=m,
                )


# --------------------------------------------------------------------------- 项目支出表


def check_project_table(table: LogicalTable, tallies: CheckTallies) -> None:
    mult = table.unit_multiplier
    items = [r for r in table.rows if r.row_role == "item"]
    for total_row in (r for r in table.rows if r.row_role == "total"):
        compare_each_measure(tallies["project_total_equals_projects"], total_row, items, mult,
                             stated_what="合计", parts_what="projects")
    rows = table.rows
    for i, head in enumerate(rows):
        if head.row_role not in ("subject", "unit_total"):
            continue
        stops = ("total", "subject") if head.row_role == "subject" else ("total", "subject", "unit_total")
        group: list[TableRow] = []
        for r in rows[i + 1 :]:
            if r.row_role in stops:
                break
            if r.row_role == "item":
                group.append(r)
        compare_each_measure(tallies["project_group_equals_projects"], head, group, mult,
                             stated_what="subtotal", parts_what="projects under it")


# --------------------------------------------------------------------------- 收支总表


def _grand_totals(totals: list[TableRow]) -> list[TableRow]:
    """The 总计 rows; a table that prints no 总计 closes with its grand total (收入合计 under 本年收入合计
    and 上年结转: the year's own totals differ by the carry-over, the grand ones balance)."""
    chosen = [r for r in totals if "总计" in squash(r.line_item or "")]
    if chosen or not totals:
        return chosen
    return [max(totals, key=lambda r: (r.table_index, r.row_index))]


def check_income_equals_expenditure(doc: DocumentFacts, tallies: CheckTallies) -> None:
    for inc in doc.tables_of(*SUMMARY_KINDS, source="fact_income"):
        exp = next(
            (
                t
                for t in doc.tables_of(inc.table_kind)
                if set(t.table_indexes) & set(inc.table_indexes)
            ),
            None,
        )
        if exp is None:
            continue
        inc_rows = _grand_totals([r for r in inc.rows if r.row_role == "total"])
        exp_rows = _grand_totals([r for r in exp.rows if r.row_role == "total"])
        income = next((Amount(r.amounts["total"], 1, (r,)) for r in inc_rows if "total" in r.amounts), None)
        if income is None:
            continue
        mult = max(inc.unit_multiplier, exp.unit_multiplier)
        for r in exp_rows:
            if "total" not in r.amounts:
                continue
            spent = Amount(r.amounts["total"], 1, (r,))
            compare_sum(
                tallies["income_equals_expenditure"],
                income,
                [spent],
                mult,
                stated_what=f"收入总计 ({income.rows[0].line_item})",
                parts_what=f"支出总计 ({r.line_item})",
                row=r, measure="total", context={"income_row": income.rows[0].line_item},
            )

