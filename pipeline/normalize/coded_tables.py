"""Tables whose rows are subjects, units or projects and whose columns are measures.

支出总表, 一般公共预算支出表, 基本支出表, 政府性基金/国有资本经营预算支出表, 收入总表 and
项目支出表 share one shape: label columns (code, name, unit, project) on the left, amount
columns on the right, units as row groups (a unit's subtotal row, then its rows).
"""

from __future__ import annotations

from pipeline.extract.layout import is_header_row, is_numbering_row
from pipeline.extract.titles import squash
from pipeline.model import ExtractedTable
from pipeline.normalize.amounts import parse_amount
from pipeline.normalize.context import DocContext, is_total_label, make_fact, normalise_label
from pipeline.normalize.headers import Column, column_roles
from pipeline.normalize.subjects import clean_subject_name, split_code_name
from pipeline.normalize.units import looks_like_unit_name

_LABEL_ROLES = ("name", "unit", "text")


def _first(row: list[str], cols: list[Column]) -> str:
    return next((row[c.index] for c in cols if c.index < len(row) and row[c.index]), "")


def source_row(row: list[str]) -> str:
    return " | ".join(row)


def classification_for(kind: str, code: str | None) -> str:
    if code and code.startswith("3"):
        return "economic"
    return "economic" if kind == "general_budget_basic_expenditure" else "function"


def coded_table_facts(table: ExtractedTable, kind: str, ctx: DocContext) -> list[dict]:
    """Facts of one coded table; income tables produce rows of the same shape for fact_income."""
    width = table.n_columns
    cols = column_roles(table.header_rows, table.body_rows, width)
    code_cols = [c for c in cols if c.role == "code"]
    label_cols = [c for c in cols if c.role in _LABEL_ROLES]
    project_cols = [c for c in cols if c.role == "project"]
    amount_cols = [c for c in cols if c.role == "amount"]
    dept = ctx.units.department
    section_unit = dept
    hint: str | None = None
    facts: list[dict] = []
    for r, row in enumerate(table.body_rows):
        if is_numbering_row(row) or is_header_row(row):
            continue
        amounts = [(c, parse_amount(row[c.index])) for c in amount_cols if c.index < len(row)]
        amounts = [(c, a) for c, a in amounts if a is not None]
        code = _first(row, code_cols) or None
        label = _first(row, label_cols)
        project = _first(row, project_cols)
        if not code and label:
            code, label = split_code_name(label)
        unit_label_cell = next((row[c.index] for c in label_cols if c.role == "unit" and row[c.index]), "")
        page = table.row_pages[r] if r < len(table.row_pages) else None
        unit = section_unit
        subject_code = None
        project_name = None
        if project and not is_total_label(project):
            role, line_item, project_name = "item", project, project
            if unit_label_cell or (label and looks_like_unit_name(label)):
                found = ctx.units.resolve(unit_label_cell or label, code)
                if found is not None:
                    unit = section_unit = found
        elif is_total_label(label) or (not label and is_total_label(project)):
            role, line_item, unit = "total", squash(label or project), dept
            section_unit = dept
        elif label and _names_unit(label, code, ctx):
            found = ctx.units.resolve(label, code)
            assert found is not None
            role, line_item, unit = "unit_total", label, found
            section_unit = found
        elif code or label:
            cls = classification_for(kind, code)
            res = ctx.subjects.resolve(code, label, cls, hint)
            subject_code = res.code
            role, line_item = ("subject", clean_subject_name(label) or label) if (code or res.code) else ("item", label)
            if res.code:
                hint = res.code if len(res.code) < 7 else res.code[:5]
            if code and res.how != "exact":
                ctx.note(
                    "subject_code_repaired" if res.code else "subject_code_unresolved",
                    "warn",
                    f"printed {code} {normalise_label(label)}",
                    res.code or "a code of the official classification",
                    f"table {table.title} row {r + 1} page {page}: {res.how}",
                )
        else:
            continue
        if not amounts:
            continue
        for c, amount in amounts:
            facts.append(
                make_fact(
                    ctx, table, kind, r, c.index,
                    unit_id=unit.unit_id,
                    row_role=role,
                    line_item=line_item,
                    measure=c.measure or "other",
                    amount=amount,
                    subject_code=subject_code,
                    printed_code=code,
                    project_name=project_name,
                    column_label=c.label,
                    source_row=source_row(row),
                    page=page,
                )
            )
    return facts


def _names_unit(label: str, code: str | None, ctx: DocContext) -> bool:
    """A row label naming a budget unit (a section header), not a subject or project."""
    s = squash(label)
    if s in ctx.units.alias_index:
        return True
    if code and ctx.subjects.resolve(code, label).code:
        return False
    return looks_like_unit_name(label) and ctx.units.resolve(label, code, create=True) is not None
