"""The report's findings: documents selected by --document, failed checks merged across measures.

A check that compares amounts runs once per measure (column) of a row, so one misprinted row can
fail the same way under `total` and `other`. Those rows of dq_check_result (same document, check,
severity, observed, expected, details, table and row; another `measure`) are one finding that names
its measures. Rows whose observed or expected values differ stay apart: no value is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from budget_cli.errors import CliError

# What the report reads; a file without it is empty or was not written by budget-etl (or by an old one).
REPORT_COLUMNS = {
    "dim_document": ("document_id", "title", "file_name", "status", "status_reason", "fiscal_year"),
    "dq_check_result": ("document_id", "check_name", "severity", "success", "observed", "expected", "details",
                        "table_index", "row_index", "measure"),
}
SEVERITIES = ("error", "warn")


@dataclass(frozen=True)
class Document:
    document_id: str
    title: str | None
    file_name: str
    status: str
    status_reason: str | None

    @property
    def name(self) -> str:
        return self.title or self.file_name


@dataclass
class Finding:
    check_name: str
    severity: str
    observed: str | None
    expected: str | None
    details: str | None
    measures: list[str] = field(default_factory=list)
    # where dq_check_result places it (None: the whole document, or the whole table)
    table_index: int | None = None
    row_index: int | None = None

    def concerns(self, measure: str | None) -> bool:
        """Whether the finding is about its row's cell of ``measure`` (one of no measure: every cell)."""
        return not self.measures or measure in self.measures

    @property
    def where(self) -> str:
        """The details, then the measures the finding was found under."""
        names = ", ".join(self.measures)
        measures = f"measure{'s' if len(self.measures) > 1 else ''}: {names}" if self.measures else ""
        return "; ".join(p for p in (self.details, measures) if p)


def check_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """CliError naming what is missing when the file is not a (current) budget-etl warehouse."""
    have = set(con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_catalog = current_database() AND table_schema = 'main'"
    ).fetchall())
    if not {t for t, _ in have} & set(REPORT_COLUMNS):
        raise CliError(f"{path} has no warehouse tables (an empty DuckDB database?): "
                       f"load it with `budget-etl ingest --warehouse {path}` first")
    missing = [f"{t}.{c}" for t, cols in REPORT_COLUMNS.items() for c in cols if (t, c) not in have]
    if missing:
        raise CliError(f"{path} lacks {', '.join(missing)}: it was written by an older budget-etl or another "
                       f"program; `budget-etl ingest --warehouse {path}` brings a budget-etl warehouse up to date")


def documents(con: duckdb.DuckDBPyConnection) -> list[Document]:
    rows = con.execute("SELECT document_id, title, file_name, status, status_reason FROM dim_document "
                       "ORDER BY fiscal_year, title, file_name").fetchall()
    return [Document(*r) for r in rows]


def select_documents(docs: list[Document], patterns: list[str] | None) -> list[Document]:
    """The documents any pattern names: an id prefix, or part of the file name or title (any case)."""
    if not patterns:
        return docs

    def named(doc: Document, p: str) -> bool:
        p = p.strip().lower()
        return bool(p) and (doc.document_id.startswith(p) or p in doc.file_name.lower()
                            or p in (doc.title or "").lower())

    chosen = [d for d in docs if any(named(d, p) for p in patterns)]
    if not chosen:
        raise CliError(f"no document matches --document {' / '.join(patterns)} ({len(docs)} documents in the "
                       "warehouse; match an id prefix, or part of a file name or title)")
    return chosen


def merge_measures(rows: list[tuple]) -> list[Finding]:
    """(check, severity, observed, expected, details, table_index, row_index, measure) rows → findings, one per
    place across its measures."""
    merged: dict[tuple, Finding] = {}
    for *key, measure in rows:
        found = merged.get(tuple(key))
        if found is None:
            check, severity, observed, expected, details, table, row = key
            merged[tuple(key)] = Finding(check, severity, observed, expected, details, [measure] if measure else [],
                                         table, row)
        elif measure and measure not in found.measures:
            found.measures.append(measure)
    return list(merged.values())


def findings(con: duckdb.DuckDBPyConnection, docs: list[Document]) -> dict[str, list[Finding]]:
    """Each document's failed checks, errors first, merged across measures."""
    rows = con.execute(
        """SELECT document_id, check_name, severity, observed, expected, details, table_index, row_index, measure
           FROM dq_check_result
           WHERE NOT success AND list_contains($ids, document_id)
           ORDER BY document_id, severity, check_name, details, measure""",
        {"ids": [d.document_id for d in docs]},
    ).fetchall()
    per_doc: dict[str, list[tuple]] = {d.document_id: [] for d in docs}
    for doc_id, *rest in rows:
        per_doc[doc_id].append(tuple(rest))
    return {doc_id: merge_measures(rs) for doc_id, rs in per_doc.items()}


def fails(found: dict[str, list[Finding]], level: str | None) -> bool:
    """Whether a finding at ``level`` or above exists (`warn` counts errors too)."""
    if level is None:
        return False
    levels = SEVERITIES[: SEVERITIES.index(level) + 1]
    return any(f.severity in levels for fs in found.values() for f in fs)
