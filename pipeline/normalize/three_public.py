"""The “三公” table, printed with its categories either as columns or as rows."""

from __future__ import annotations

import re

from pipeline.extract.layout import is_header_row, is_numbering_row
from pipeline.extract.titles import squash
from pipeline.model import ExtractedTable
from pipeline.normalize.amounts import parse_amount
from pipeline.normalize.coded_tables import source_row
from pipeline.normalize.context import DocContext, is_total_label, make_fact
from pipeline.normalize.headers import column_roles

_LEAD = re.compile(r"^(?:其中[:：]?)?(?:[一二三四五六七八九十]+[、.．]|[（(]?\d+[)）.、．]|\d+[.、．])?")


def category_of(text: str) -> str | None:
    """Contract line item for a “三公” heading or row label, None for anything else."""
    s = _LEAD.sub("", squash(text))
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
    for depth in range(len(path) - 1, -1, -1):
        word = path[depth]
        if word in ("小计", "合计") and depth > 0:
            continue
        cat = category_of(word)
        if cat:
            return cat
    return None


def three_public_facts(table: ExtractedTable, ctx: DocContext) -> list[dict]:
    kind = "three_public"
    width = table.n_columns
    cols = column_roles(table.header_rows, table.body_rows, width)
    categories = {c.index: _column_category(c.path) for c in cols}
    in_columns = sum(1 for v in categories.values() if v and v != "three_public_total") >= 2
    label_cols = [c for c in cols if c.role in ("name", "unit", "text") and not categories.get(c.index)]
    dept = ctx.units.department
    facts: list[dict] = []
    for r, row in enumerate(table.body_rows):
        if is_numbering_row(row) or is_header_row(row):
            continue
        label = next((row[c.index] for c in label_cols if row[c.index]), "")
        page = table.row_pages[r] if r < len(table.row_pages) else None
        if in_columns:
            unit, role = dept, "total"
            if label and not is_total_label(label):
                found = ctx.units.resolve(label)
                unit, role = (found, "unit_total") if found is not None else (dept, "item")
            for c in cols:
                cat = categories.get(c.index)
                amount = parse_amount(row[c.index]) if cat else None
                if cat and amount is not None:
                    facts.append(make_fact(
                        ctx, table, kind, r, c.index, unit_id=unit.unit_id, row_role=role, line_item=cat,
                        measure="total", amount=amount, column_label=c.label, source_row=source_row(row),
                        page=page,
                    ))
            continue
        cat = category_of(label)
        if cat is None:
            continue
        role = "total" if is_total_label(label) else "item"
        for c in cols:
            if c.role != "amount":
                continue
            amount = parse_amount(row[c.index])
            if amount is None:
                continue
            facts.append(make_fact(
                ctx, table, kind, r, c.index, unit_id=dept.unit_id, row_role=role, line_item=cat,
                measure=c.measure or "total", amount=amount, column_label=c.label,
                source_row=source_row(row), page=page,
            ))
    return facts
