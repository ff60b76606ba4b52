"""Summary tables that print incomes and expenditures side by side (收支总表, 财政拨款收支总表).

Each block of the placed table (a label column and the amount columns to its right) is one side;
the first is the income side, every later one an expenditure side (by economic or functional
class). Final accounts add their carry-over lines (年初结转和结余, 年末结转和结余) as items.
"""

from __future__ import annotations

import re

from pipeline.normalize.context import DocContext, is_total_label, make_fact
from pipeline.normalize.grid import PlacedRow, PlacedTable
from pipeline.normalize.subjects import clean_subject_name, split_code_name
from pipeline.text import ENUMERATION, squash


def _label_class(placed: PlacedTable, block: int) -> str:
    label = next((c for c in placed.blocks[block] if c.role in ("name", "text", "code", "unit")), None)
    return "economic" if label is not None and "经济分类" in label.label else "function"


def _meaning(row: PlacedRow, ctx: DocContext, cls: str, hint: str | None) -> tuple[str, str, str | None]:
    """(row role, line item, subject code) of one side's row."""
    label = row.label
    code, name = split_code_name(label)
    if is_total_label(label):
        return "total", squash(label), None
    if row.block > 0:
        res = ctx.subjects.resolve(code, name, cls, hint)
        if res.code:
            return "subject", clean_subject_name(name), res.code
        top = _numbered_class(label, name, cls, ctx)
        if top:
            return "subject", clean_subject_name(name), top
    return "item", ENUMERATION.sub("", squash(label)), None


_ORDINAL = re.compile(r"^[一二三四五六七八九十]+[、.．]")


def _numbered_class(label: str, name: str, cls: str, ctx: DocContext) -> str | None:
    """A side's row numbered 一、二、… ('二十一、其他支出') is a 类: the one 类 of that name, where the name
    alone also fits a 款 (22999 其他支出) and so resolves to none."""
    if not _ORDINAL.match(squash(label)):
        return None
    wanted = clean_subject_name(name)
    top = [s.code for s in ctx.subjects.subjects.values()
           if s.level == 1 and s.classification == cls and clean_subject_name(s.name) == wanted]
    return top[0] if len(top) == 1 else None


def summary_facts(placed: PlacedTable, kind: str, ctx: DocContext) -> tuple[list[dict], list[dict]]:
    """(expenditure facts, income facts) of a side-by-side summary table."""
    columns = {c.index: c for c in placed.columns}
    dept = ctx.units.department
    expenditure: list[dict] = []
    income: list[dict] = []
    hints: dict[int, str | None] = {}
    for row in placed.rows:
        if not row.label:
            continue
        role, line_item, subject_code = _meaning(row, ctx, _label_class(placed, row.block), hints.get(row.block))
        if subject_code:
            hints[row.block] = subject_code if len(subject_code) < 7 else subject_code[:5]
        for index, amount in row.amounts.items():
            col = columns[index]
            fact = make_fact(
                ctx, placed.table, kind, row.index, index, unit_id=dept.unit_id, row_role=role,
                line_item=line_item, measure=col.measure or "total", amount=amount,
                stage=ctx.stage_of(col.stage), subject_code=subject_code,
                printed_code=split_code_name(row.label)[0], column_label=col.label,
                source_row=row.source, page=row.page, fund_source=col.fund_source,
            )
            (income if row.block == 0 else expenditure).append(fact)
    return expenditure, income
