"""Per-document state shared by the table normalisers, and the fact-row constructor."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.model import NOWHERE, ExtractedTable, Place
from pipeline.normalize.amounts import to_yuan, unit_multiplier
from pipeline.normalize.subjects import SubjectResolver
from pipeline.normalize.units import UnitRegistry
from pipeline.text import is_ideograph, squash
from pipeline.vocabulary import DEFAULT_UNIT, TOTAL_WORDS


def is_total_label(label: str) -> bool:
    s = squash(label).rstrip(":：")  # '总计：' as a label cell prints it
    return bool(s) and (s in TOTAL_WORDS or s.endswith(TOTAL_WORDS)) and len(s) <= 12


def code_source(printed_code: str | None, subject_code: str | None) -> str | None:
    """How a fact's subject code was known (vocabulary.CODE_SOURCES): printed whole, made from printed
    digits that were not the code (a part, a truncated or garbled code), or placed by name alone.
    ddl.sql's upgrade fills older rows by the same rule."""
    if subject_code is None:
        return None
    if not printed_code:
        return "inferred"
    return "printed" if squash(printed_code) == subject_code else "repaired"


def stable_id(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]


def normalise_label(text: str) -> str:
    """Whitespace-normalised label: spaces between two CJK characters are converter noise."""
    s = " ".join(text.split())
    prev = None
    while prev != s:
        prev = s
        s = _cjk_gap(s)
    return s


def _cjk_gap(s: str) -> str:
    out = []
    for i, ch in enumerate(s):
        if ch == " " and 0 < i < len(s) - 1 and _set_solid(s[i - 1]) and _set_solid(s[i + 1]):
            continue
        out.append(ch)
    return "".join(out)


def _set_solid(ch: str) -> bool:
    """An ideograph or a CJK punctuation mark of a label: a space typed between two of them is layout."""
    return is_ideograph(ch) or ch in "（）“”、，："


@dataclass
class DocContext:
    document_id: str
    fiscal_year: int | None
    units: UnitRegistry
    subjects: SubjectResolver
    default_unit_label: str = DEFAULT_UNIT
    document_kind: str = "budget"
    findings: list[dict] = field(default_factory=list)  # extraction-time data-quality notes
    # (page, cell text without spaces) → OCR confidence, for the pages a scan was read from
    ocr_confidence: dict[tuple[int, str], float] = field(default_factory=dict)
    # table title → the code parent its last row left: a table printed again under its title on the next
    # page ('02 一般行政管理事务' in the 项 column first) continues from there
    code_hints: dict[str, str | None] = field(default_factory=dict)

    @property
    def ocr_pages(self) -> set[int]:
        return {page for page, _ in self.ocr_confidence}

    def confidence(self, table: ExtractedTable | None, row_index: int, col_index: int, page: int | None) -> float | None:
        """The OCR engine's confidence in a table cell's figure; None for text read from a text layer."""
        if not self.ocr_confidence or table is None or page is None or row_index >= len(table.body_rows):
            return None
        row = table.body_rows[row_index]
        cell = row[col_index] if col_index < len(row) else ""
        found = self.ocr_confidence.get((page, squash(cell)))
        if found is None:  # a cell joined from several OCR words: the least sure of them
            parts = [self.ocr_confidence.get((page, w)) for w in cell.split()]
            found = min((p for p in parts if p is not None), default=None)
        return found

    def stage_of(self, column_stage: str | None) -> str:
        """Every figure of a budget is a budget figure; final accounts print 决算数 unless a
        column names another stage (年初预算数, 调整预算数 beside 决算数)."""
        if self.document_kind == "budget":
            return "budget"
        return column_stage or "final"

    def note(self, check_name: str, severity: str, observed: str, expected: str, details: str,
             at: Place = NOWHERE) -> None:
        """An extraction note: a dq_check_result row (``at`` the table or row it concerns)."""
        self.findings.append(dict(check_name=check_name, severity=severity, observed=observed, expected=expected,
                                  details=details, **at.columns()))


def make_fact(
    ctx: DocContext,
    table: ExtractedTable | None,
    table_kind: str,
    row_index: int,
    col_index: int,
    *,
    unit_id: str,
    row_role: str,
    line_item: str,
    measure: str,
    amount: Decimal,
    stage: str | None = None,
    subject_code: str | None = None,
    printed_code: str | None = None,
    project_name: str | None = None,
    column_label: str = "",
    source_row: str = "",
    unit_label: str | None = None,
    page: int | None = None,
    fund_source: str | None = None,
    gov_economic_code: str | None = None,
    gov_economic_name: str | None = None,
) -> dict:
    """One amount cell as a warehouse row (fact_expenditure / fact_income share the shape)."""
    declared = unit_label if unit_label is not None else (table.unit_label if table else None)
    label = declared or ctx.default_unit_label
    table_index = table.index if table is not None else -1
    stage = stage or ctx.stage_of(None)
    return {
        "fact_id": stable_id(ctx.document_id, table_kind, table_index, row_index, col_index, measure, stage),
        "document_id": ctx.document_id,
        "fiscal_year": ctx.fiscal_year,
        "unit_id": unit_id,
        "table_kind": table_kind,
        "row_role": row_role,
        "subject_code": subject_code,
        "printed_code": printed_code,
        "line_item": normalise_label(line_item),
        "project_name": normalise_label(project_name) if project_name else None,
        "measure": measure,
        "stage": stage,
        "amount_yuan": to_yuan(amount, label),
        "page": page,
        "source_row": source_row,
        "table_index": table_index,
        "table_title": table.title if table is not None else None,
        "row_index": row_index,
        "column_label": column_label,
        "unit_multiplier": unit_multiplier(label),
        "confidence": ctx.confidence(table, row_index, col_index, page),
        "fund_source": fund_source,
        "gov_economic_code": gov_economic_code,
        "code_source": code_source(printed_code, subject_code),
        "gov_economic_name": normalise_label(gov_economic_name) if gov_economic_code and gov_economic_name else None,
    }
