"""Self-verification: before a table's rows become facts, its own arithmetic checks the placement.

The reader placed every amount in a row and a column. If that placement is right, the table's
identities hold (children against parents, 合计 against its rows, 基本 + 项目 against the total)
apart from a few misprints or OCR damage. A table contradicted on most of them was misread
(columns shifted, a code read as an amount): it loads nothing and is reported ``table_unreadable``.
A few failures stay ordinary findings of the quality checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.model import ExtractedTable
from pipeline.reference.classification import load_subjects
from pipeline.reference.labels import labels_agree
from pipeline.schema import CELL_KEY, frame
from pipeline.table.from_facts import document_facts
from pipeline.table.identities import identity_counts

# Fewer identities than this say too little about a placement to refuse the table.
MIN_CHECKS = 3
# Share of failed identities beyond which the placement, not the publication, is wrong.
MAX_FAILED_SHARE = 0.5
# Rows whose label names another subject than their printed code: one is a misprint, several (and
# a share of the table's coded rows) say the labels were read beside the wrong codes.
MIN_MISPLACED_ROWS = 2
MAX_MISPLACED_SHARE = 0.2


@dataclass(frozen=True)
class Verdict:
    checked: int
    failed: int
    example: str | None = None  # one failure, to show where

    @property
    def readable(self) -> bool:
        return self.checked < MIN_CHECKS or self.failed <= MAX_FAILED_SHARE * self.checked


def misplaced_rows(facts: list[dict]) -> tuple[int, int, str | None]:
    """(coded rows, rows whose label contradicts their printed official code, one example)."""
    subjects = load_subjects()
    rows: dict[tuple, bool] = {}
    example = None
    for f in facts:
        code, label = f.get("subject_code"), f.get("line_item")
        if f.get("row_role") != "subject" or not code or f.get("printed_code") is None:
            continue
        key = (f.get("table_index"), f.get("row_index"))
        official = subjects.get(code)
        wrong = official is not None and bool(label) and not labels_agree(official.name, label)
        rows[key] = rows.get(key, False) or wrong
        if wrong and example is None:
            example = f"row {label!r} printed {f.get('printed_code')}, which is {official.name}"
    return len(rows), sum(rows.values()), example


def labels_misplaced(facts: list[dict]) -> str | None:
    """Why the table's labels stand beside the wrong codes, or None when they agree."""
    coded, wrong, example = misplaced_rows(facts)
    if wrong >= MIN_MISPLACED_ROWS and wrong > MAX_MISPLACED_SHARE * coded:
        return f"{wrong} of {coded} coded rows name another subject than their printed code, e.g. {example}"
    return None


def one_cell_each(facts: list[dict]) -> tuple[list[dict], str | None]:
    """The facts with one amount per cell key, and why the reader does not know some amounts'
    columns (None when it does).

    Two columns the vocabulary reads alike that print the same figure in a row (项目支出/小计 beside
    its only part 部门项目) are one amount: the first is kept. Two different amounts in one cell mean
    the placement lost a dimension (a fund, a period): a SUM would count both, so the table is refused.
    """
    first: dict[tuple, dict] = {}
    kept: list[dict] = []
    clashes: list[tuple[dict, dict]] = []
    for f in facts:
        key = tuple(f.get(k) for k in CELL_KEY)
        if key not in first:
            first[key] = f
            kept.append(f)
        elif first[key]["amount_yuan"] != f["amount_yuan"]:
            clashes.append((first[key], f))
    if not clashes:
        return kept, None
    a, b = clashes[0]
    return kept, (f"{len(clashes)} amounts share their row, measure, fund and stage with another amount, e.g. "
                  f"row {a['line_item']!r} {a['measure']}: {a['amount_yuan']} (column {a.get('column_label')!r}) "
                  f"and {b['amount_yuan']} (column {b.get('column_label')!r})")


def verify_table(document_id: str, expenditure: list[dict], income: list[dict]) -> Verdict:
    """Check one table's facts against its own identities."""
    exp = frame("fact_expenditure", expenditure) if expenditure else None
    inc = frame("fact_income", income) if income else None
    docs = document_facts(exp, inc)
    if document_id not in docs:
        return Verdict(0, 0)
    checked, failures = identity_counts(docs[document_id])
    failures = [f for f in failures if f.severity == "error"]
    example = f"{failures[0].check_name}: {failures[0].details}" if failures else None
    return Verdict(checked, len(failures), example)


def unreadable_details(table: ExtractedTable, verdict: Verdict) -> str:
    return (
        f"table {table.title or '(untitled)'} page {table.page}: {verdict.failed} of {verdict.checked} "
        f"of its own sums contradict the columns the reader placed its amounts in, so none of its "
        f"rows were loaded; e.g. {verdict.example}"
    )
