"""What the checks read instead of loose facts: printed rows (one exact Decimal per measure),
logical tables (a table continued under a repeated title is one) and one document's tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.model import Place
from pipeline.reference.classification import classification_of
from pipeline.text import clip, join_details


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

    def place(self, measure: str | None = None) -> Place:
        """This row (and one of its cells, given the measure) as dq_check_result places it."""
        return Place(self.table_index, self.row_index, self.page, measure)

    def where(self, **extra: object) -> str:
        """Where this row is, in words: table, row, code, unit, page, source row (the measure is a
        column of its own, :meth:`place`)."""
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

    def place(self) -> Place:
        """The table (its first print) as dq_check_result places a table-wide finding."""
        return Place(self.table_indexes[0], None, self.rows[0].page if self.rows else None)

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
