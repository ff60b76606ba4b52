"""The printed tables seen again through the fact frames: rows, unit sections, grand totals.

Identity and consistency checks work on the layout of a table, not on loose facts. This module
rebuilds it from ``fact_expenditure`` / ``fact_income``: the facts of one printed row (same
``table_index``, ``row_index`` and ``line_item``) become a :class:`TableRow` holding one exact
Decimal per measure; consecutive tables of one kind and title (a table continued under a repeated
title) become one :class:`LogicalTable`; and a table's rows are cut into unit sections.

Extension columns used when present: ``table_index``, ``row_index``, ``table_title`` and
``unit_multiplier``. Without them the order of first appearance stands in for the indexes and the
multiplier is inferred from the amounts (all multiples of 100 yuan: 万元).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from pipeline.quality.formatting import clip, join_details
from pipeline.reference.classification import classification_of
from pipeline.vocabulary import SUMMARY_KINDS, TABLE_KINDS

# Kinds whose rows are subject codes with a 类/款/项 hierarchy and unit sections.
SUBJECT_TABLE_KINDS = tuple(
    k for k in TABLE_KINDS if k not in ("three_public", "project_expenditure", "performance", "other")
)
SUMMARY_TABLE_KINDS = SUMMARY_KINDS  # side-by-side income | expenditure tables


def squash(text: str | None) -> str:
    return "".join((text or "").split())


def code_classification(code: str | None) -> str | None:
    """``function`` (2xx, 3/5/7 digits), ``economic`` (3xx, 3/5 digits) or None."""
    return classification_of(code) if code else None


def code_ancestors(code: str) -> list[str]:
    """Proper prefixes that are codes of a higher level: 2010101 → [201, 20101]."""
    return [code[:n] for n in (3, 5) if n < len(code)]


@dataclass
class TableRow:
    """One printed row: its labels and one exact amount per measure (yuan)."""

    document_id: str
    table_index: int
    row_index: int
    table_kind: str
    table_title: str | None
    row_role: str
    unit_id: str | None
    subject_code: str | None
    printed_code: str | None
    line_item: str | None
    project_name: str | None
    page: int | None
    source_row: str | None
    unit_multiplier: int
    amounts: dict[str, Decimal] = field(default_factory=dict)
    stage: str = "budget"  # a final account's table printing 预算数 beside 决算数 is two tables

    @property
    def order(self) -> tuple[int, int]:
        return (self.table_index, self.row_index)

    @property
    def classification(self) -> str | None:
        return code_classification(self.subject_code)

    def label(self) -> str:
        code = self.subject_code or self.printed_code
        return f"{code} {self.line_item}" if code else str(self.line_item)

    def where(self, measure: str | None = None, **extra: object) -> str:
        """Where this row is: table, row, code, unit, measure, page, source row."""
        if self.table_kind == "narrative":
            table = "explanatory text (narrative)"
            row = f"{self.line_item} (statement #{self.row_index})"
        else:
            table = f"{self.table_title or '(untitled)'} ({self.table_kind}, table #{self.table_index})"
            row = f"{self.line_item} (row #{self.row_index}, {self.row_role})"
        pieces: dict[str, object] = {
            "table": table,
            "row": row,
            "subject_code": self.subject_code,
            "printed_code": self.printed_code if self.printed_code != self.subject_code else None,
            "project": self.project_name if self.project_name != self.line_item else None,
            "unit": self.unit_id,
            "measure": measure,
            "page": self.page,
        }
        pieces.update(extra)
        pieces["source_row"] = clip(self.source_row)
        return join_details(pieces)


@dataclass
class LogicalTable:
    """A printed table, possibly continued over several extracted tables of the same title."""

    document_id: str
    source: str  # 'fact_expenditure' | 'fact_income'
    table_kind: str
    table_title: str | None
    table_indexes: tuple[int, ...]
    rows: list[TableRow]

    @property
    def unit_multiplier(self) -> int:
        return max((r.unit_multiplier for r in self.rows), default=1)

    @property
    def stage(self) -> str:
        return self.rows[0].stage if self.rows else "budget"

    def label(self) -> str:
        idx = ",".join(str(i) for i in self.table_indexes)
        return f"{self.table_title or '(untitled)'} ({self.table_kind}, table #{idx})"

    def measures(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.rows:
            for m in r.amounts:
                seen.setdefault(m, None)
        return list(seen)


@dataclass
class DocumentFacts:
    """The fact rows of one document, as tables and narrative statements."""

    document_id: str
    expenditure_tables: list[LogicalTable] = field(default_factory=list)
    income_tables: list[LogicalTable] = field(default_factory=list)
    narrative: list[TableRow] = field(default_factory=list)

    def by_stage(self) -> list[DocumentFacts]:
        """The document's facts one stage at a time (budget, adjusted_budget, final)."""
        stages = {t.stage for t in (*self.expenditure_tables, *self.income_tables)} | {
            r.stage for r in self.narrative
        }
        return [
            DocumentFacts(
                self.document_id,
                [t for t in self.expenditure_tables if t.stage == stage],
                [t for t in self.income_tables if t.stage == stage],
                [r for r in self.narrative if r.stage == stage],
            )
            for stage in sorted(stages)
        ] or [self]

    def tables_of(self, *kinds: str, source: str = "fact_expenditure") -> list[LogicalTable]:
        tables = self.expenditure_tables if source == "fact_expenditure" else self.income_tables
        return [t for t in tables if t.table_kind in kinds]


# --------------------------------------------------------------------------- building


def _infer_multiplier(amounts: Iterable[Decimal]) -> int:
    values = [a for a in amounts if a is not None]
    if not values:
        return 1
    for m in (100_000_000, 10_000):
        step = Decimal(m) / 100
        if all(v % step == 0 for v in values):
            return m
    return 1


def _as_int(value: object) -> int | None:
    if value is None:
        return None
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _rows_from_frame(frame: pl.DataFrame) -> list[TableRow]:
    """Group facts into printed rows; indexes and multipliers filled in where missing."""
    cols = set(frame.columns)
    records = frame.to_dicts()
    # Stand-ins for missing extension columns: order of first appearance.
    table_keys: dict[tuple, int] = {}
    tables_per_doc: dict[str, int] = {}
    row_keys: dict[tuple, int] = {}
    rows_per_table: dict[tuple[str, int], int] = {}
    rows: dict[tuple, TableRow] = {}
    multipliers_missing: dict[tuple[str, int], list[TableRow]] = {}
    for rec in records:
        doc = rec.get("document_id") or ""
        kind = rec.get("table_kind") or ""
        title = rec.get("table_title")
        t_idx = _as_int(rec.get("table_index")) if "table_index" in cols else None
        if t_idx is None:
            tkey = (doc, kind, title)
            if tkey not in table_keys:
                table_keys[tkey] = tables_per_doc.get(doc, 0)
                tables_per_doc[doc] = table_keys[tkey] + 1
            t_idx = table_keys[tkey]
        r_idx = _as_int(rec.get("row_index")) if "row_index" in cols else None
        if r_idx is None:
            rkey = (doc, t_idx, rec.get("source_row"), rec.get("line_item"))
            if rkey not in row_keys:
                row_keys[rkey] = rows_per_table.get((doc, t_idx), 0)
                rows_per_table[(doc, t_idx)] = row_keys[rkey] + 1
            r_idx = row_keys[rkey]
        line_item = rec.get("line_item")
        stage = rec.get("stage") or "budget"
        key = (doc, t_idx, r_idx, line_item, stage)
        row = rows.get(key)
        if row is None:
            mult = _as_int(rec.get("unit_multiplier")) if "unit_multiplier" in cols else None
            row = TableRow(
                document_id=doc,
                table_index=t_idx,
                row_index=r_idx,
                table_kind=kind,
                table_title=title,
                row_role=rec.get("row_role") or "",
                unit_id=rec.get("unit_id"),
                subject_code=rec.get("subject_code"),
                printed_code=rec.get("printed_code"),
                line_item=line_item,
                project_name=rec.get("project_name"),
                page=_as_int(rec.get("page")),
                source_row=rec.get("source_row"),
                unit_multiplier=mult or 0,
                stage=stage,
            )
            rows[key] = row
            if not mult:
                multipliers_missing.setdefault((doc, t_idx), []).append(row)
        measure = rec.get("measure") or "total"
        amount = rec.get("amount_yuan")
        if amount is not None and measure not in row.amounts:
            row.amounts[measure] = Decimal(amount)
    for group in multipliers_missing.values():
        inferred = _infer_multiplier(a for r in group for a in r.amounts.values())
        for r in group:
            r.unit_multiplier = inferred
    return sorted(rows.values(), key=lambda r: (r.document_id, r.table_index, r.row_index))


def _logical_tables(rows: Sequence[TableRow], source: str) -> list[LogicalTable]:
    """Consecutive extracted tables of one kind and title form one logical table."""
    tables: list[LogicalTable] = []
    by_table: dict[tuple[str, int, str], list[TableRow]] = {}
    for r in rows:
        by_table.setdefault((r.document_id, r.table_index, r.stage), []).append(r)
    for (doc, t_idx, _stage), trs in sorted(by_table.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])):
        first = trs[0]
        last = tables[-1] if tables else None
        if (
            last is not None
            and last.document_id == doc
            and last.rows[0].stage == first.stage
            and last.table_kind == first.table_kind
            and first.table_title
            and squash(last.table_title) == squash(first.table_title)
        ):
            last.table_indexes = (*last.table_indexes, t_idx)
            last.rows.extend(trs)
            continue
        tables.append(
            LogicalTable(
                document_id=doc,
                source=source,
                table_kind=first.table_kind,
                table_title=first.table_title,
                table_indexes=(t_idx,),
                rows=list(trs),
            )
        )
    return tables


def document_facts(
    fact_expenditure: pl.DataFrame | None, fact_income: pl.DataFrame | None = None
) -> dict[str, DocumentFacts]:
    """Per document: its expenditure and income tables and its narrative statements."""
    docs: dict[str, DocumentFacts] = {}
    if fact_expenditure is not None and fact_expenditure.height:
        rows = _rows_from_frame(fact_expenditure)
        narrative = [r for r in rows if r.table_kind == "narrative"]
        tabular = [r for r in rows if r.table_kind != "narrative"]
        for r in narrative:
            docs.setdefault(r.document_id, DocumentFacts(r.document_id)).narrative.append(r)
        for t in _logical_tables(tabular, "fact_expenditure"):
            docs.setdefault(t.document_id, DocumentFacts(t.document_id)).expenditure_tables.append(t)
    if fact_income is not None and fact_income.height:
        for t in _logical_tables(_rows_from_frame(fact_income), "fact_income"):
            docs.setdefault(t.document_id, DocumentFacts(t.document_id)).income_tables.append(t)
    return docs


# --------------------------------------------------------------------------- sections


@dataclass
class Section:
    """Rows under one unit heading (``header`` None: rows before any heading)."""

    header: TableRow | None
    members: list[TableRow] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)  # for a unit group: its sections
    is_group: bool = False


@dataclass
class TableLayout:
    """Total rows, unit groups (a department printed above its 本级 and subordinate sections)
    and sections of a table, in print order."""

    totals: list[TableRow]
    sections: list[Section]
    groups: list[Section]


def table_layout(table: LogicalTable, parents: dict[str, str | None] | None = None) -> TableLayout:
    """Cut a table into unit sections.

    A ``unit_total`` row opens a section; ``subject``/``item`` rows belong to the open section.
    A ``unit_total`` row with no rows of its own that is directly followed by the subtotal of
    its 本级 (the same unit, or a child unit labelled 本级) is a group: its subtotal covers the
    sections that follow it up to the next group (区X办 1000.00 = 本级 900.00 + a
    subordinate centre 100.00). A unit subtotal with no rows followed by another unit is an empty section.
    """
    parents = parents or {}
    totals: list[TableRow] = []
    sections: list[Section] = [Section(header=None)]
    for row in table.rows:
        if row.row_role == "total":
            totals.append(row)
        elif row.row_role == "unit_total":
            sections.append(Section(header=row))
        else:
            sections[-1].members.append(row)
    if sections[0].header is None and not sections[0].members:
        sections.pop(0)
    groups: list[Section] = []
    current_group: Section | None = None
    plain: list[Section] = []
    for i, sec in enumerate(sections):
        nxt = sections[i + 1] if i + 1 < len(sections) else None
        if (
            sec.header is not None
            and not sec.members
            and nxt is not None
            and nxt.header is not None
            and sec.header.unit_id is not None
            and (
                nxt.header.unit_id == sec.header.unit_id
                or (
                    parents.get(nxt.header.unit_id or "") == sec.header.unit_id
                    and "本级" in squash(nxt.header.line_item)
                )
            )
        ):
            sec.is_group = True
            groups.append(sec)
            current_group = sec
            continue
        plain.append(sec)
        if current_group is not None and sec.header is not None:
            current_group.children.append(sec)
    return TableLayout(totals=totals, sections=plain, groups=groups)


# --------------------------------------------------------------------------- amounts


@dataclass(frozen=True)
class Amount:
    """An amount read or derived from printed figures; ``n`` counts the rounded figures."""

    value: Decimal
    n: int
    rows: tuple[TableRow, ...]
    derived: str | None = None  # how it was derived, e.g. 'personnel + public_operating'


def row_amount(row: TableRow, measure: str, derive: bool = True) -> Amount | None:
    """A row's amount for ``measure``; basic derived as personnel + public_operating when the
    基本支出 cell is not printed as such (tables that only print its two parts)."""
    if measure in row.amounts:
        return Amount(row.amounts[measure], 1, (row,))
    if derive and measure == "basic" and "personnel" in row.amounts and "public_operating" in row.amounts:
        return Amount(
            row.amounts["personnel"] + row.amounts["public_operating"],
            2,
            (row,),
            derived="personnel + public_operating",
        )
    return None


def _sum(amounts: Sequence[Amount]) -> Amount:
    return Amount(
        sum((a.value for a in amounts), Decimal(0)),
        sum(a.n for a in amounts),
        tuple(r for a in amounts for r in a.rows),
        derived=next((a.derived for a in amounts if a.derived), None),
    )


def preferred_totals(totals: Sequence[TableRow], prefer: str = "合计") -> list[TableRow]:
    """Total rows to use: with ``prefer='合计'`` the 本年…合计 / 合计 rows when a table also prints
    a 总计 (which may add carry-overs); with ``prefer='总计'`` the 总计 rows."""
    if prefer == "总计":
        chosen = [r for r in totals if "总计" in squash(r.line_item)]
    else:
        chosen = [r for r in totals if "总计" not in squash(r.line_item)]
    return chosen or list(totals)


def grand_amount(
    table: LogicalTable,
    measure: str,
    prefer: str = "合计",
    parents: dict[str, str | None] | None = None,
    layout: TableLayout | None = None,
) -> Amount | None:
    """The whole table's amount for a measure: its total row, else the sum of its unit groups,
    else the sum of its unit sections' subtotals. None when the table does not print it."""
    layout = layout or table_layout(table, parents)
    for row in preferred_totals(layout.totals, prefer):
        a = row_amount(row, measure)
        if a is not None:
            return a
    for heads in ([g.header for g in layout.groups], [s.header for s in layout.sections if s.header]):
        heads = [h for h in heads if h is not None]
        if heads:
            parts = [row_amount(h, measure) for h in heads]
            if all(p is not None for p in parts):
                return _sum([p for p in parts if p is not None])
            return None
    return None


def sum_amounts(amounts: Sequence[Amount]) -> Amount:
    return _sum(amounts)


def describe_rows(rows: Sequence[TableRow], limit: int = 6) -> str:
    labels = [r.label() for r in rows[:limit]]
    more = f" … (+{len(rows) - limit})" if len(rows) > limit else ""
    return f"{len(rows)} rows: " + ", ".join(labels) + more
