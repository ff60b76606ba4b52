"""Summary tables that print incomes and expenditures side by side (收支总表, 财政拨款收支总表).

Each label column and the amount columns to its right form one side; the first side is the
income side, every later one an expenditure side (by economic or by functional class).
"""

from __future__ import annotations

from pipeline.extract.layout import is_header_row, is_numbering_row
from pipeline.extract.titles import squash
from pipeline.model import ExtractedTable
from pipeline.normalize.amounts import parse_amount
from pipeline.normalize.coded_tables import source_row
from pipeline.normalize.context import DocContext, is_total_label, make_fact
from pipeline.normalize.headers import Column, column_roles
from pipeline.normalize.subjects import _NUMBERING, clean_subject_name, split_code_name


def _sides(cols: list[Column]) -> list[tuple[Column, list[Column]]]:
    sides: list[tuple[Column, list[Column]]] = []
    for c in cols:
        if c.role in ("name", "text", "unit", "code"):
            sides.append((c, []))
        elif c.role == "amount" and sides:
            sides[-1][1].append(c)
    return [(label, amounts) for label, amounts in sides if amounts]


def summary_facts(table: ExtractedTable, kind: str, ctx: DocContext) -> tuple[list[dict], list[dict]]:
    """(expenditure facts, income facts) of a side-by-side summary table."""
    cols = column_roles(table.header_rows, table.body_rows, table.n_columns)
    sides = _sides(cols)
    dept = ctx.units.department
    expenditure: list[dict] = []
    income: list[dict] = []
    for s, (label_col, amount_cols) in enumerate(sides):
        is_income = s == 0
        cls = "economic" if "经济分类" in label_col.label else "function"
        hint: str | None = None
        for r, row in enumerate(table.body_rows):
            if is_numbering_row(row) or is_header_row(row):
                continue
            label = row[label_col.index]
            amounts = [(c, parse_amount(row[c.index])) for c in amount_cols]
            amounts = [(c, a) for c, a in amounts if a is not None]
            if not label:
                continue
            page = table.row_pages[r] if r < len(table.row_pages) else None
            subject_code = None
            code, name = split_code_name(label)
            if is_total_label(label):
                role, line_item = "total", squash(label)
            elif is_income:
                role, line_item = "item", _NUMBERING.sub("", squash(label))
            else:
                res = ctx.subjects.resolve(code, name, cls, hint)
                if res.code:
                    role, subject_code, line_item = "subject", res.code, clean_subject_name(name)
                    hint = res.code if len(res.code) < 7 else res.code[:5]
                else:
                    role, line_item = "item", _NUMBERING.sub("", squash(label))
            for c, amount in amounts:
                fact = make_fact(
                    ctx, table, kind, r, c.index, unit_id=dept.unit_id, row_role=role, line_item=line_item,
                    measure=c.measure or "total", amount=amount, subject_code=subject_code, printed_code=code,
                    column_label=c.label, source_row=source_row(row), page=page,
                )
                (income if is_income else expenditure).append(fact)
    return expenditure, income
