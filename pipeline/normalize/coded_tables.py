"""Tables whose rows are subjects, units or projects and whose columns are measures.

支出总表, 一般公共预算支出表, 基本支出表, 政府性基金/国有资本经营预算支出表, 收入总表 and
项目支出表 share one shape: label columns (code, name, unit, project) on the left, amount
columns on the right, units as row groups (a unit's subtotal row, then its rows). The cells come
placed by :mod:`pipeline.normalize.grid`.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.model import Place
from pipeline.normalize.context import DocContext, is_total_label, make_fact, normalise_label
from pipeline.normalize.grid import PlacedRow, PlacedTable
from pipeline.normalize.headers import measure_of
from pipeline.normalize.sections import section_heads
from pipeline.normalize.subjects import Resolution, clean_subject_name, split_code_name
from pipeline.normalize.units import Unit, looks_like_unit_name
from pipeline.reference.classification import GOV_ECONOMIC, classification_of
from pipeline.text import squash
from pipeline.vocabulary import CLASSIFIED_WORDS, ECONOMIC_KINDS, UNIT_CODE_WORDS, contains_any

# The note each resolution of a printed code leaves (a code kept as printed names what it is).
_NOTES = {"unknown": "subject_code_unknown", "label_mismatch": "subject_label_mismatch",
          "unresolved": "subject_code_unresolved"}


def note_resolution(ctx: DocContext, res: Resolution, printed: str, label: str, where: str, at: Place) -> None:
    """A finding for a printed code that was not exact: repaired, kept as printed, or unresolved."""
    expected = {
        "unknown": "a code of the classification of its year (kept as printed, named by its row)",
        "label_mismatch": f"the label of {res.code}: {ctx.subjects.subjects[res.code].name}"
        if res.code in ctx.subjects.subjects else "",
    }.get(res.how, res.code or "a code of the official classification")
    ctx.note(_NOTES.get(res.how, "subject_code_repaired"), "warn", f"printed {printed} {normalise_label(label)}",
             expected, f"{where}: {res.how}", at)


def source_row(row: list[str]) -> str:
    return " | ".join(row)


def classification_for(kind: str, code: str | None) -> str:
    """The classification a printed code is searched in: its own shape's (a 5xx code is a government
    economic class, never a function subject of the same name; any 3xx code, a local 7-digit sub-code
    of an economic 款 included, is economic), else the table kind's."""
    shaped = classification_of(code) if code else None
    if shaped:
        return shaped
    if code and code.startswith("3"):
        return "economic"
    return "economic" if kind in ECONOMIC_KINDS else "function"


@dataclass
class _RowMeaning:
    role: str
    line_item: str
    unit: Unit
    subject_code: str | None = None
    project_name: str | None = None
    printed_code: str | None = None  # digits printed in the label itself ('[301]工资福利支出')


class _Reader:
    """Walks a placed table top to bottom, keeping the current unit section and code parent."""

    def __init__(self, placed: PlacedTable, kind: str, ctx: DocContext) -> None:
        self.placed, self.kind, self.ctx = placed, kind, ctx
        self.dept = ctx.units.department
        self.section = self.dept
        self.hint: str | None = ctx.code_hints.get(squash(placed.table.title))
        # a 项目支出表 naming units and their projects in one column, without codes: each row is a
        # project, or a unit's section when the rows under it add up to it (not a subject by name)
        label_roles = {c.role for c in placed.columns}
        names_only = not label_roles & {"code", "project", "unit"}
        # a table whose one label column is headed 单位名称 (beside, at most, the units' own codes, 部门代码
        # 101001): each of its rows but the totals is a unit, and its code the unit's, never a subject's
        unit_codes = all(contains_any("".join(c.path), UNIT_CODE_WORDS) for c in placed.columns if c.role == "code")
        self.units_only = ("unit" in label_roles and not label_roles & {"project", "name"}
                           and ("code" not in label_roles or unit_codes))
        headings = squash(placed.table.title + "".join("".join(c.path) for c in placed.columns if c.role == "name"))
        self.names_are_projects = (kind == "project_expenditure" and names_only
                                   and not contains_any(headings, CLASSIFIED_WORDS))
        # units named in the one name column: the rows the table's sums show to open a section
        total_column = next((c.index for c in placed.amount_columns() if c.measure == "total"), None)
        self._heads = (section_heads(placed.rows, total_column, is_total_label)
                       if names_only and total_column is not None and len(placed.blocks) == 1 else None)

    def meaning(self, row: PlacedRow) -> _RowMeaning | None:
        code, label, project = row.code, row.label, row.project
        if self.units_only and not is_total_label(label) or not code and row.index in (self._heads or ()):
            unit = self._section_unit(label, code if self.units_only else None)
            if unit is not None:
                self.section = unit
                return _RowMeaning("unit_total", label, unit)
        if self.names_are_projects and label and not code and not is_total_label(label):
            return self._project(label)  # '12320卫生热线服务项目' is a name, not a code
        in_label = None
        if not code and label:
            code, label = split_code_name(label)
            in_label = code
        if project and not is_total_label(project):
            if row.unit_cell or (label and looks_like_unit_name(label)):
                found = self.ctx.units.resolve(row.unit_cell or label, code)
                if found is not None:
                    self.section = found
            return _RowMeaning("item", project, self.section, project_name=project)
        if is_total_label(label) or (not label and is_total_label(project)):
            self.section = self.dept
            return _RowMeaning("total", squash(label or project), self.dept)
        # digits printed in the 款 or 项 column ('06 艺术表演场所') are a subject's part, never a unit's code
        subject_part = bool(code) and row.first_part > 0
        if label and not subject_part and self._heads is None and self._names_unit(label, code):
            found = self.ctx.units.resolve(label, code)
            assert found is not None
            self.section = found
            return _RowMeaning("unit_total", label, found)
        if code or label:
            return self._subject(row, code, label, in_label)
        return None

    def _subject(self, row: PlacedRow, code: str | None, label: str, in_label: str | None = None) -> _RowMeaning:
        code = self._completed(row, code)
        res = self.ctx.subjects.resolve(code, label, classification_for(self.kind, code), self.hint,
                                        ocr=row.page in self.ctx.ocr_pages)
        if res.code:
            self.hint = res.code if len(res.code) < 7 else res.code[:5]
        if code and res.how != "exact":
            note_resolution(self.ctx, res, row.printed_code or code, label,
                            f"table {self.placed.table.title} row {row.index + 1} page {row.page}",
                            Place(self.placed.table.index, row.index, row.page))
        if code or res.code:
            return _RowMeaning("subject", clean_subject_name(label) or label, self.section, res.code,
                               printed_code=in_label)
        return _RowMeaning("item", label, self.section)

    def _completed(self, row: PlacedRow, code: str | None) -> str | None:
        """A code printed in the 款 or 项 column only ('40' under 款 below 类 201) takes the parts the
        rows above printed: its own column says which level it is, so no name is needed to place it."""
        keep = {1: 3, 2: 5}.get(row.first_part)
        if code and keep and self.hint and len(self.hint) >= keep:
            return self.hint[:keep] + code
        return code

    def _section_unit(self, label: str, unit_code: str | None = None) -> Unit | None:
        """The unit of a row that opens a section by the table's sums or stands in a column of units,
        unless it names a subject, by its name or by the code it prints before it ('[301]工资福利支出')."""
        code, name = split_code_name(label) if label else (None, label)
        if not label or self.ctx.subjects.resolve(None, name).code or (
                code and self.ctx.subjects.resolve(code, name).how == "exact"):
            return None
        return self.ctx.units.resolve(label, unit_code, vouched=True)

    def _project(self, label: str) -> _RowMeaning:
        """A row of a names-only project table: a project, or (without sums that split the table
        into sections) a unit's section when its name says so."""
        if self._heads is None and self._names_unit(label, None):
            self.section = self.ctx.units.resolve(label, None) or self.section
            return _RowMeaning("unit_total", label, self.section)
        return _RowMeaning("item", label, self.section, project_name=label)

    def _names_unit(self, label: str, code: str | None) -> bool:
        """A row label naming a budget unit (a section header), not a subject or project."""
        units = self.ctx.units
        if squash(label) in units.alias_index:
            return True
        if code and self.ctx.subjects.resolve(code, label).code:
            return False
        return looks_like_unit_name(label) and units.resolve(label, code, create=True) is not None


def _row_measure(column_measure: str | None, meaning: _RowMeaning) -> str:
    """A total row that names its measure ('人员经费合计' under a 决算数 column) keeps that measure."""
    measure = column_measure or "other"
    if meaning.role == "total" and measure == "total":
        named = measure_of((squash(meaning.line_item).removesuffix("合计").removesuffix("总计"),))
        if named not in ("other", "total"):
            return named
    return measure


def coded_table_facts(placed: PlacedTable, kind: str, ctx: DocContext) -> list[dict]:
    """Facts of one coded table; income tables produce rows of the same shape for fact_income."""
    reader = _Reader(placed, kind, ctx)
    columns = {c.index: c for c in placed.columns}
    facts: list[dict] = []
    for row in placed.rows:
        meaning = reader.meaning(row)
        if meaning is None:
            continue
        gov_code = row.second_code if classification_of(row.second_code or "") == GOV_ECONOMIC else None
        for index, amount in row.amounts.items():
            col = columns[index]
            facts.append(
                make_fact(
                    ctx, placed.table, kind, row.index, index,
                    unit_id=meaning.unit.unit_id,
                    row_role=meaning.role,
                    line_item=meaning.line_item,
                    measure=_row_measure(col.measure, meaning),
                    amount=amount,
                    stage=ctx.stage_of(col.stage),
                    subject_code=meaning.subject_code,
                    printed_code=meaning.printed_code or row.printed_code or (row.code if row.code else None),
                    project_name=meaning.project_name,
                    column_label=col.label,
                    source_row=row.source,
                    page=row.page,
                    fund_source=col.fund_source,
                    gov_economic_code=gov_code,
                    gov_economic_name=row.second_label if gov_code else None,
                )
            )
    ctx.code_hints[squash(placed.table.title)] = reader.hint
    return facts
