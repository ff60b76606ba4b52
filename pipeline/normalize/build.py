"""One extracted document → the star-schema rows it contributes (polars frames)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl

from pipeline.extract.narrative import NarrativeAmount, narrative_amounts
from pipeline.extract.titles import classify_title
from pipeline.model import ExtractedDocument, ExtractedTable, Place, QuarantineError
from pipeline.normalize.amounts import parse_amount
from pipeline.normalize.checklist import check_listed_tables
from pipeline.normalize.coded_tables import coded_table_facts
from pipeline.normalize.context import DocContext, stable_id
from pipeline.normalize.document_meta import DocumentMeta, read_meta
from pipeline.normalize.document_rows import alias_rows, document_row, table_inventory, unit_areas, unit_rows
from pipeline.normalize.grid import PlacedTable, place_table
from pipeline.normalize.narrative_facts import narrative_facts
from pipeline.normalize.ocr_cells import unreadable_amounts
from pipeline.normalize.performance.cells import names_indicators
from pipeline.normalize.performance.continued import read_performance
from pipeline.normalize.subjects import SubjectResolver, split_code_name
from pipeline.normalize.summary_tables import summary_facts
from pipeline.normalize.three_public import three_public_facts
from pipeline.normalize.units import UnitRegistry
from pipeline.normalize.verify import labels_misplaced, one_cell_each, unreadable_details, verify_table
from pipeline.schema import frame
from pipeline.vocabulary import READ_TABLE_KINDS, TABLE_KIND_BY_NAME, WITHHELD_WORDS, contains_any


@dataclass
class DocumentFrames:
    """What one document adds to the warehouse, plus extraction-time findings."""

    document_id: str
    dim_document: pl.DataFrame
    dim_unit: pl.DataFrame
    dim_unit_alias: pl.DataFrame
    fact_expenditure: pl.DataFrame
    fact_income: pl.DataFrame
    fact_performance_indicator: pl.DataFrame
    findings: list[dict]
    table_inventory: pl.DataFrame  # one row per budget table read (feeds the empty-table checks)

    def table(self, name: str) -> pl.DataFrame:
        return getattr(self, name)


def table_kind(table: ExtractedTable) -> str | None:
    header = " ".join(" ".join(r) for r in table.header_rows[:3])
    body_head = " ".join(" ".join(r) for r in table.body_rows[:3])
    return classify_title(table.title, f"{header} {body_head}")


def _code_name_pairs(doc: ExtractedDocument) -> list[tuple[str | None, str]]:
    """Every (code, name) a document prints, for the resolver's first pass."""
    pairs = []
    for t in doc.tables:
        for row in t.body_rows:
            cells = [c for c in row if c]
            for i, c in enumerate(cells[:-1]):
                if c.isdigit() and 3 <= len(c) <= 7:
                    pairs.append((c, cells[i + 1]))
            for c in cells:
                code, name = split_code_name(c)
                if code:
                    pairs.append((code, name))
    return pairs


def _holds_figures(tables: list[tuple[ExtractedTable, str]]) -> bool:
    """Any amount printed in a table's body (a template prints headings and codes only)."""
    return any(
        parse_amount(cell) is not None and not cell.strip().isdigit()
        for table, _ in tables
        for row in table.body_rows
        for cell in row
    )


def _default_unit(doc: ExtractedDocument) -> str:
    declared = Counter(t.unit_label for t in doc.tables if t.unit_label)
    return declared.most_common(1)[0][0] if declared else "万元"


def normalize_document(doc: ExtractedDocument, ingested_at: datetime | None = None) -> DocumentFrames:
    """Build every warehouse row one document contributes; QuarantineError if it is no disclosure."""
    raw = doc.raw
    kinds = [(t, table_kind(t)) for t in doc.tables]
    budget_tables = [(t, k) for t, k in kinds if k in READ_TABLE_KINDS]
    narrative = narrative_amounts(doc.text)
    _require_budget_content(raw.file_name, budget_tables, narrative)
    meta = read_meta(doc)
    _require_figures_and_department(raw.file_name, meta, budget_tables, narrative)
    ctx = _document_context(doc, meta)
    expenditure, income, indicators = _table_rows(budget_tables, ctx)
    check_listed_tables(doc.text, {k for _, k in budget_tables}, meta.document_kind, ctx)
    expenditure += narrative_facts(narrative, ctx)
    areas = unit_areas(ctx.units)
    if areas[ctx.units.department.unit_id] is None:
        ctx.note("area_unplaced", "warn", f"{ctx.units.department.unit_name}: no province or city",
                 "the department's name opens with the places of one administrative area",
                 "a national office, a name without its area, or an area the division list names otherwise")
    now = ingested_at or datetime.now(UTC).replace(tzinfo=None)
    return DocumentFrames(
        document_id=raw.document_id,
        dim_document=frame("dim_document", [document_row(doc, meta, ctx.units, [k for _, k in budget_tables], now)]),
        dim_unit=frame("dim_unit", unit_rows(ctx.units, areas)),
        dim_unit_alias=frame("dim_unit_alias", alias_rows(ctx.units)),
        fact_expenditure=frame("fact_expenditure", expenditure),
        fact_income=frame("fact_income", income),
        fact_performance_indicator=frame("fact_performance_indicator", indicators),
        findings=ctx.findings,
        table_inventory=table_inventory(raw.document_id, budget_tables),
    )


def _require_budget_content(
    file_name: str, budget_tables: list[tuple[ExtractedTable, str]], narrative: list[NarrativeAmount]
) -> None:
    """Quarantine a file with neither a budget table nor a budget amount in its text."""
    if not budget_tables and not narrative:
        raise QuarantineError(
            f"{file_name} does not look like a budget disclosure (部门预算公开): no budget table "
            "titles such as 收支总表 or 支出总表 and no budget amounts in its text were found. "
            "Check that it is the right file; a scanned PDF needs OCR first."
        )


def _require_figures_and_department(
    file_name: str, meta: DocumentMeta, budget_tables: list[tuple[ExtractedTable, str]],
    narrative: list[NarrativeAmount],
) -> None:
    """Quarantine a blank form (headings, no amounts) and a disclosure whose department is unnamed."""
    if not narrative and not _holds_figures(budget_tables):
        raise QuarantineError(
            f"{file_name} holds no figures: its {len(budget_tables)} disclosure tables have headings "
            "but no amounts (a template or a blank form). Ingest the filled-in disclosure instead."
        )
    if not meta.department_name:
        raise QuarantineError(
            f"{file_name}: the publishing department could not be identified (no 单位名称 or "
            "cover line naming it). Add the department's full name to the file or report the layout."
        )
    if meta.fiscal_year is None:
        # a disclosure is of one year's budget or accounts; a file that names none (an evaluation
        # report, a notice) cannot be compared with anything, and a fact table needs its year
        raise QuarantineError(
            f"{file_name}: no budget year found (no '…2026年部门预算' title on its cover and no year in "
            "its table titles): it does not look like a budget or final-accounts disclosure. Check "
            "that it is the right file, or report the layout if it is one."
        )


def _document_context(doc: ExtractedDocument, meta: DocumentMeta) -> DocContext:
    """The department's units, the subjects the document prints and its default money unit."""
    units = UnitRegistry.for_department(meta.department_name, meta.department_code, meta.aliases)
    resolver = SubjectResolver()
    resolver.learn(_code_name_pairs(doc))
    return DocContext(doc.raw.document_id, meta.fiscal_year, units, resolver, _default_unit(doc),
                      meta.document_kind, ocr_confidence=doc.ocr_confidence)


def _table_rows(
    budget_tables: list[tuple[ExtractedTable, str]], ctx: DocContext
) -> tuple[list[dict], list[dict], list[dict]]:
    """(expenditure facts, income facts, performance indicators) of the document's tables."""
    expenditure: list[dict] = []
    income: list[dict] = []
    indicators: list[dict] = []
    previous: ExtractedTable | None = None  # the performance table before, that a next page may continue
    for table, kind in budget_tables:
        if kind == "performance":
            read = _indicator_rows(table, previous, ctx)
            previous = table
            header, body = [c for r in table.header_rows for c in r], [c for r in table.body_rows for c in r]
            if not read and names_indicators(header, body):
                ctx.note(  # indicators printed, none read: never a silent empty table
                    "table_unreadable", "error", "a performance table whose rows hold indicators gave none",
                    "its indicators read", f"table {table.title} page {table.page}: not loaded", _table_place(table),
                )
            elif not read and any(body):
                ctx.note(
                    "performance_goals_only", "warn", "a performance table of goals with no indicator",
                    "indicators (一级/二级/三级指标 and targets) to load",
                    f"table {table.title} page {table.page}: not loaded", _table_place(table),
                )
            indicators += read
            continue
        if table.unit_label is None:
            ctx.note(
                "table_unit_declared", "warn", "no 单位 declared",
                f"assumed {ctx.default_unit_label}, the unit the document's other tables declare",
                f"table {table.title} page {table.page}", _table_place(table),
            )
        exp, inc = _checked_table_facts(table, kind, ctx)
        expenditure += exp
        income += inc
    return expenditure, income, indicators


def _table_place(table: ExtractedTable) -> Place:
    """A table-wide note's place: the table as the fact tables number it, its first page."""
    return Place(table.index, None, table.page)


def table_facts(table: ExtractedTable, kind: str, ctx: DocContext) -> tuple[list[dict], list[dict]]:
    """(expenditure facts, income facts) of one table, read through the shared table model."""
    placed = place_table(table, ctx.fiscal_year, measured_columns=kind != "three_public")
    if placed.unplaced:
        ctx.note(
            "amount_column_unplaced", "warn", f"{placed.unplaced} amounts in columns without a heading",
            "every amount stands under a column heading", f"table {table.title} page {table.page}: not loaded",
            _table_place(table),
        )
    if placed.unnamed:
        headings = ", ".join(sorted({c.label for c in placed.columns if c.role == "unnamed"}))
        ctx.note(
            "amount_column_unplaced", "warn", f"{placed.unnamed} amounts in columns the vocabulary does not name "
            f"apart ({headings})", "every amount column has a measure of its own",
            f"table {table.title} page {table.page}: not loaded", _table_place(table),
        )
    for where, at in unreadable_amounts(placed, ctx.ocr_pages):
        ctx.note("amount_unreadable", "error", "a figure OCR could not read", "an amount", f"{where}: not loaded", at)
    reader = _READERS.get(TABLE_KIND_BY_NAME[kind].reader) if kind in TABLE_KIND_BY_NAME else None
    return reader(placed, kind, ctx) if reader else ([], [])


Facts = tuple[list[dict], list[dict]]  # (fact_expenditure rows, fact_income rows)
# The reader of each TableKind.reader that gives facts ('performance' tables give indicators).
_READERS: dict[str, Callable[[PlacedTable, str, DocContext], Facts]] = {
    "summary": summary_facts,
    "income": lambda placed, kind, ctx: ([], coded_table_facts(placed, kind, ctx)),
    "coded": lambda placed, kind, ctx: (coded_table_facts(placed, kind, ctx), []),
    "three_public": lambda placed, kind, ctx: (three_public_facts(placed, ctx), []),
}


def _checked_table_facts(table: ExtractedTable, kind: str, ctx: DocContext) -> tuple[list[dict], list[dict]]:
    """The table's facts if its labels agree with its codes and its own arithmetic confirms their
    placement; else none, and a finding. A table the reader fails on is refused the same way."""
    where, at = f"table {table.title or '(untitled)'} page {table.page}", _table_place(table)
    try:
        exp, inc = table_facts(table, kind, ctx)
        (exp, exp_clash), (inc, inc_clash) = one_cell_each(exp), one_cell_each(inc)
        ambiguous = exp_clash or inc_clash
        misplaced = labels_misplaced(exp + inc)
        verdict = verify_table(ctx.document_id, exp, inc)
    except Exception as exc:  # noqa: BLE001 - one table's failure must not fail the document
        ctx.note("table_unreadable", "error", f"the reader failed: {type(exc).__name__}: {exc}",
                 "a table the reader can place", f"{where}: none of its rows were loaded", at)
        return [], []
    if misplaced:
        ctx.note("table_unreadable", "error", misplaced, "each row's label names the subject of its printed code",
                 f"{where}: the labels stand beside the wrong codes, so none of its rows were loaded", at)
        return [], []
    if ambiguous:
        ctx.note("table_unreadable", "error", ambiguous, "each amount's column has its own measure, fund and period",
                 f"{where}: the reader lost what tells these columns apart, so none of its rows were loaded", at)
        return [], []
    if verdict.readable:
        return exp, inc
    withheld = next((n for n in table.notes if contains_any(n, WITHHELD_WORDS)), None)
    if withheld:
        ctx.note("rows_withheld", "warn", f"{verdict.failed} of {verdict.checked} identities fail; the table says "
                 f"rows were left out: {withheld}", "the table's own sums hold over the rows it prints",
                 f"{where}: loaded as printed; {verdict.example}", at)
        return exp, inc
    ctx.note(
        "table_unreadable", "error", f"{verdict.failed} of {verdict.checked} identities fail",
        "the table's own sums hold for the reader's placement", unreadable_details(table, verdict), at,
    )
    return [], []


def _indicator_rows(table: ExtractedTable, previous: ExtractedTable | None, ctx: DocContext) -> list[dict]:
    rows = []
    for ind in read_performance(table, previous):
        unit = ctx.units.department
        if ind.unit_name:
            unit = ctx.units.resolve(ind.unit_name) or unit
        rows.append(
            {
                "indicator_id": stable_id(ctx.document_id, "indicator", ind.table_index, ind.row_index),
                "document_id": ctx.document_id,
                "fiscal_year": ctx.fiscal_year,
                "unit_id": unit.unit_id,
                "scope": ind.scope,
                "project_name": ind.project_name,
                "parent_project_name": ind.parent_project_name,
                "project_budget_yuan": ind.project_budget_yuan,
                "level1": ind.level1,
                "level2": ind.level2,
                "indicator_name": ind.indicator_name,
                "comparator": ind.comparator,
                "target_value": ind.target_value,
                "target_max": ind.target_max,
                "target_unit": ind.target_unit,
                "target_text": ind.target_text,
                "description": ind.description,
                "basis": ind.basis,
                "table_index": ind.table_index,
                "row_index": ind.row_index,
                "page": ind.page,
            }
        )
    return rows
