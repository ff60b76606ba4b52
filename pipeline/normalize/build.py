"""One extracted document → the star-schema rows it contributes (polars frames)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl

from pipeline.extract.layout import is_no_data_note
from pipeline.extract.narrative import narrative_amounts
from pipeline.extract.titles import classify_title
from pipeline.model import ExtractedDocument, ExtractedTable, QuarantineError
from pipeline.normalize.coded_tables import coded_table_facts
from pipeline.normalize.context import DocContext, make_fact, stable_id
from pipeline.normalize.document_meta import read_meta
from pipeline.normalize.subjects import SubjectResolver, split_code_name
from pipeline.normalize.summary_tables import summary_facts
from pipeline.normalize.three_public import three_public_facts
from pipeline.normalize.units import UnitRegistry
from pipeline.schema import frame

INVENTORY_SCHEMA = {"document_id": pl.Utf8, "table_index": pl.Int32, "table_kind": pl.Utf8,
                    "table_title": pl.Utf8, "has_no_data_note": pl.Boolean, "page": pl.Int32}
SUMMARY_KINDS = ("income_expenditure_summary", "fiscal_grant_summary")
INCOME_KINDS = ("income_summary",)
CODED_KINDS = (
    "expenditure_summary",
    "general_budget_expenditure",
    "general_budget_basic_expenditure",
    "gov_fund_expenditure",
    "state_capital_expenditure",
    "project_expenditure",
)


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


def _default_unit(doc: ExtractedDocument) -> str:
    declared = Counter(t.unit_label for t in doc.tables if t.unit_label)
    return declared.most_common(1)[0][0] if declared else "万元"


def normalize_document(doc: ExtractedDocument, ingested_at: datetime | None = None) -> DocumentFrames:
    """Build every warehouse row one document contributes; QuarantineError if it is no disclosure."""
    raw = doc.raw
    kinds = [(t, table_kind(t)) for t in doc.tables]
    budget_tables = [(t, k) for t, k in kinds if k and k != "other"]
    narrative = narrative_amounts(doc.text)
    if not budget_tables and not narrative:
        raise QuarantineError(
            f"{raw.file_name} does not look like a budget disclosure (部门预算公开): no budget table "
            "titles such as 收支总表 or 支出总表 and no budget amounts in its text were found. "
            "Check that it is the right file; a scanned PDF needs OCR first."
        )
    meta = read_meta(doc)
    if not meta.department_name:
        raise QuarantineError(
            f"{raw.file_name}: the publishing department could not be identified (no 单位名称 or "
            "cover line naming it). Add the department's full name to the file or report the layout."
        )
    units = UnitRegistry.for_department(meta.department_name, meta.department_code, meta.aliases)
    resolver = SubjectResolver()
    resolver.learn(_code_name_pairs(doc))
    ctx = DocContext(raw.document_id, meta.fiscal_year, units, resolver, _default_unit(doc))

    expenditure: list[dict] = []
    income: list[dict] = []
    indicators: list[dict] = []
    for table, kind in budget_tables:
        if table.unit_label is None and kind != "performance":
            ctx.note(
                "table_unit_declared", "warn", "no 单位 declared",
                f"assumed {ctx.default_unit_label}, the unit the document's other tables declare",
                f"table {table.title} page {table.page}",
            )
        if kind in SUMMARY_KINDS:
            exp, inc = summary_facts(table, kind, ctx)
            expenditure += exp
            income += inc
        elif kind in INCOME_KINDS:
            income += coded_table_facts(table, kind, ctx)
        elif kind in CODED_KINDS:
            expenditure += coded_table_facts(table, kind, ctx)
        elif kind == "three_public":
            expenditure += three_public_facts(table, ctx)
        elif kind == "performance":
            indicators += _indicator_rows(table, ctx)
    for i, stated in enumerate(narrative):
        expenditure.append(
            make_fact(
                ctx, None, "narrative", i, 0,
                unit_id=units.department.unit_id, row_role="item", line_item=stated.line_item,
                measure="total", amount=stated.amount, source_row=stated.sentence, unit_label=stated.unit_label,
            )
        )
    now = ingested_at or datetime.now(UTC).replace(tzinfo=None)
    document = {
        "document_id": raw.document_id,
        "file_name": raw.file_name,
        "file_format": raw.file_format,
        "title": meta.title,
        "fiscal_year": meta.fiscal_year,
        "department_unit_id": units.department.unit_id,
        "page_count": doc.page_count,
        "status": "loaded",
        "status_reason": None,
        "ingested_at": now,
        "file_size_bytes": raw.size_bytes,
        "table_count": len(budget_tables),
    }
    unit_rows = [
        dict(unit_id=u.unit_id, unit_name=u.unit_name, unit_code=u.unit_code, parent_unit_id=u.parent_unit_id,
             region=u.region)
        for u in units.units.values()
    ]
    alias_rows = [dict(alias=a, unit_id=uid) for a, uid in sorted(units.alias_index.items())]
    return DocumentFrames(
        document_id=raw.document_id,
        dim_document=frame("dim_document", [document]),
        dim_unit=frame("dim_unit", unit_rows),
        dim_unit_alias=frame("dim_unit_alias", alias_rows),
        fact_expenditure=frame("fact_expenditure", expenditure),
        fact_income=frame("fact_income", income),
        fact_performance_indicator=frame("fact_performance_indicator", indicators),
        findings=ctx.findings,
        table_inventory=pl.DataFrame(
            [
                dict(document_id=raw.document_id, table_index=t.index, table_kind=k, table_title=t.title,
                     has_no_data_note=any(is_no_data_note(n) for n in t.notes), page=t.page)
                for t, k in budget_tables
            ],
            schema=INVENTORY_SCHEMA,
        ),
    )


def _indicator_rows(table: ExtractedTable, ctx: DocContext) -> list[dict]:
    from pipeline.normalize.performance import performance_rows

    rows = []
    for ind in performance_rows(table):
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
