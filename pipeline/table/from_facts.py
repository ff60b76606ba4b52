"""The fact frames read back into printed rows and logical tables, document by document.

The facts of one printed row (same ``table_index``, ``row_index``, ``line_item`` and stage) become
one :class:`~pipeline.table.rows.TableRow`; consecutive tables of one kind and title become
one :class:`~pipeline.table.rows.LogicalTable`. Without the extension columns the order of
first appearance stands in for the indexes and the multiplier is inferred from the amounts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import polars as pl

from pipeline.table.rows import DocumentFacts, LogicalTable, TableRow
from pipeline.text import squash


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


class _StandInIndexes:
    """Table and row indexes by order of first appearance, for facts without the extension columns."""

    def __init__(self, columns: set[str]) -> None:
        self.columns = columns
        self.table_keys: dict[tuple, int] = {}
        self.tables_per_doc: dict[str, int] = {}
        self.row_keys: dict[tuple, int] = {}
        self.rows_per_table: dict[tuple[str, int], int] = {}

    def table_index(self, rec: dict) -> int:
        doc = rec.get("document_id") or ""
        t_idx = _as_int(rec.get("table_index")) if "table_index" in self.columns else None
        if t_idx is None:
            tkey = (doc, rec.get("table_kind") or "", rec.get("table_title"))
            if tkey not in self.table_keys:
                self.table_keys[tkey] = self.tables_per_doc.get(doc, 0)
                self.tables_per_doc[doc] = self.table_keys[tkey] + 1
            t_idx = self.table_keys[tkey]
        return t_idx

    def row_index(self, rec: dict, t_idx: int) -> int:
        doc = rec.get("document_id") or ""
        r_idx = _as_int(rec.get("row_index")) if "row_index" in self.columns else None
        if r_idx is None:
            rkey = (doc, t_idx, rec.get("source_row"), rec.get("line_item"))
            if rkey not in self.row_keys:
                self.row_keys[rkey] = self.rows_per_table.get((doc, t_idx), 0)
                self.rows_per_table[(doc, t_idx)] = self.row_keys[rkey] + 1
            r_idx = self.row_keys[rkey]
        return r_idx


def _printed_row(rec: dict, t_idx: int, r_idx: int, unit_multiplier: int) -> TableRow:
    """The labels of the printed row a fact belongs to, with no amounts yet."""
    return TableRow(
        document_id=rec.get("document_id") or "",
        table_index=t_idx,
        row_index=r_idx,
        table_kind=rec.get("table_kind") or "",
        table_title=rec.get("table_title"),
        row_role=rec.get("row_role") or "",
        unit_id=rec.get("unit_id"),
        subject_code=rec.get("subject_code"),
        printed_code=rec.get("printed_code"),
        line_item=rec.get("line_item"),
        project_name=rec.get("project_name"),
        page=_as_int(rec.get("page")),
        source_row=rec.get("source_row"),
        unit_multiplier=unit_multiplier,
        stage=rec.get("stage") or "budget",
    )


def _rows_from_frame(frame: pl.DataFrame) -> list[TableRow]:
    """Group facts into printed rows; indexes and multipliers filled in where missing."""
    cols = set(frame.columns)
    indexes = _StandInIndexes(cols)
    rows: dict[tuple, TableRow] = {}
    multipliers_missing: dict[tuple[str, int], list[TableRow]] = {}
    for rec in frame.to_dicts():
        doc = rec.get("document_id") or ""
        t_idx = indexes.table_index(rec)
        r_idx = indexes.row_index(rec, t_idx)
        key = (doc, t_idx, r_idx, rec.get("line_item"), rec.get("stage") or "budget")
        row = rows.get(key)
        if row is None:
            mult = _as_int(rec.get("unit_multiplier")) if "unit_multiplier" in cols else None
            row = rows[key] = _printed_row(rec, t_idx, r_idx, mult or 0)
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
