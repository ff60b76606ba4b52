"""The “三公” table, printed with its categories either as columns or as rows.

Whatever the layout, the total is row_role 'total' with line item ``three_public_total`` and each
category an 'item' (a unit's row of a table with unit rows is 'unit_total'). 机关运行经费, printed
beside the 三公 by many disclosures, is line item ``agency_operating_cost``: not a 三公 category.
"""

from __future__ import annotations

import re

from pipeline.normalize.context import DocContext, is_total_label, make_fact
from pipeline.normalize.grid import PlacedRow, PlacedTable
from pipeline.normalize.units import Unit
from pipeline.text import squash
from pipeline.vocabulary import (
    AGENCY_OPERATING_COST,
    AGENCY_OPERATING_WORDS,
    contains_any,
    fund_source_of,
    names_figure_of_period,
    period_of,
)

_LEAD = re.compile(r"^(?:其中[:：]?)?(?:[一二三四五六七八九十]+[、.．]|[（(]?\d+[)）.、．]|\d+[.、．])?")
_VEHICLE = ("vehicle_total", "vehicle_purchase", "vehicle_operation")


def category_of(text: str) -> str | None:
    """Contract line item for a “三公” heading or row label, None for anything else."""
    s = _LEAD.sub("", squash(text))
    if contains_any(s, AGENCY_OPERATING_WORDS):
        return AGENCY_OPERATING_COST
    if "因公出国" in s:
        if "教学科研" in s:
            return "overseas_travel_academic"
        if s.startswith("其他因公出国"):
            return "overseas_travel_other"
        return "overseas_travel"
    if "公务用车" in s or "车辆购置" in s:
        if re.search(r"购置(?:及|和|与)运", s):
            return "vehicle_total"
        if "购置" in s:
            return "vehicle_purchase"
        if "运行" in s or "运维" in s:
            return "vehicle_operation"
        return "vehicle_total"
    if "公务接待" in s:
        return "official_reception"
    if "三公" in s or s in ("合计", "总计", "小计"):
        return "three_public_total"
    return None


def _column_category(path: tuple[str, ...]) -> str | None:
    """The category a column's heading path names; a bare 购置费/运行费 under a vehicle heading
    is that vehicle part."""
    for depth in range(len(path) - 1, -1, -1):
        word = path[depth]
        if word in ("小计", "合计") and depth > 0 and any(category_of(w) for w in path[:depth]):
            continue  # a category's own subtotal (公务用车购置及运行费/小计): the category names it
        cat = category_of(word)
        if cat:
            return cat
        parents = {category_of(w) for w in path[:depth]}
        if parents & set(_VEHICLE):
            if "购置" in word:
                return "vehicle_purchase"
            if "运行" in word or "运维" in word:
                return "vehicle_operation"
    return None


def _role(category: str, row_role: str) -> str:
    if row_role != "total":
        return row_role
    return "total" if category == "three_public_total" else "item"


def _row_block(row: PlacedRow, ctx: DocContext) -> tuple[Unit, str, str | None] | None:
    """(unit, row role, fund) of a row of a table whose categories are columns; None for a row of
    another period or of a change (2025年预算数, 增减变化金额 stacked under this year's row).

    A row naming a fund (一般公共预算财政拨款) is the whole 三公 of that fund; a row naming this year's
    figure (2026年预算数) is the table's total like 合计; a row naming a unit is that unit's.
    """
    dept, label = ctx.units.department, row.label
    if not label or is_total_label(label):
        return dept, "total", None
    if period_of((label,), ctx.fiscal_year) != "current":
        return None
    fund = fund_source_of(label)
    if fund is not None or names_figure_of_period(label):
        return dept, "total", fund
    found = ctx.units.resolve(label)
    return (found, "unit_total", None) if found is not None else (dept, "item", None)


def _column_facts(placed: PlacedTable, categories: dict[int, str], ctx: DocContext) -> list[dict]:
    columns = {c.index: c for c in placed.columns}
    facts: list[dict] = []
    for row in placed.rows:
        block = _row_block(row, ctx)
        if block is None:
            continue
        unit, row_role, fund = block
        for index, amount in row.amounts.items():
            cat = categories.get(index)
            if cat is None:
                continue
            col = columns[index]
            facts.append(make_fact(
                ctx, placed.table, "three_public", row.index, index, unit_id=unit.unit_id,
                row_role=_role(cat, row_role), line_item=cat, measure="total", amount=amount,
                stage=ctx.stage_of(col.stage), column_label=col.label, source_row=row.source, page=row.page,
                fund_source=fund or col.fund_source,
            ))
    return facts


def _row_layout_role(category: str, label: str) -> str:
    """The 三公 total is 'total' however its row is labelled (合计, “三公”经费小计); categories are 'item'."""
    return "total" if category == "three_public_total" or is_total_label(label) else "item"


def _row_facts(placed: PlacedTable, ctx: DocContext) -> list[dict]:
    dept = ctx.units.department
    columns = {c.index: c for c in placed.columns}
    facts: list[dict] = []
    for row in placed.rows:
        cat = category_of(row.label)
        if cat is None:
            continue
        for index, amount in row.amounts.items():
            col = columns[index]
            facts.append(make_fact(
                ctx, placed.table, "three_public", row.index, index, unit_id=dept.unit_id,
                row_role=_row_layout_role(cat, row.label), line_item=cat,
                measure=col.measure or "total",
                amount=amount, stage=ctx.stage_of(col.stage), column_label=col.label,
                source_row=row.source, page=row.page, fund_source=col.fund_source,
            ))
    return facts


def three_public_facts(placed: PlacedTable, ctx: DocContext) -> list[dict]:
    named = [(c, cat) for c in placed.columns if (cat := _column_category(c.path))]
    # money carried over from earlier years (上年结转结余/小计) is no category of this year's
    categories = {c.index: cat for c, cat in named if c.role == "amount" and c.measure != "carryover"}
    # categories across the columns, counted with those left blank (a column of no amounts is read as text)
    in_columns = len({cat for _, cat in named} - {"three_public_total"}) >= 2
    return _vehicle_subtotals(_column_facts(placed, categories, ctx) if in_columns else _row_facts(placed, ctx))


def _vehicle_subtotals(facts: list[dict]) -> list[dict]:
    """公务用车购置及运行费 printed beside its parts (购置费, 运行费) is their sum: a 'subtotal', so summing the
    categories ('item') never counts the vehicle money twice. Printed without its parts, it is the category."""
    def scope(f: dict) -> tuple:
        return f["unit_id"], f["stage"], f["fund_source"]

    vehicle_total, *parts = _VEHICLE
    with_parts = {scope(f) for f in facts if f["line_item"] in parts}
    for f in facts:
        if f["line_item"] == vehicle_total and f["row_role"] == "item" and scope(f) in with_parts:
            f["row_role"] = "subtotal"
    return facts



