"""`budget-etl report`: the data-quality findings per document, then budget execution per unit and year."""

from __future__ import annotations

import duckdb

from budget_cli.output import format_table
from pipeline.warehouse.execution import (
    ExecutionLine,
    ExecutionScope,
    execution_scopes,
    has_execution_view,
    largest_gaps,
    subject_table,
    three_public_lines,
)

QUALITY_QUERY = """
SELECT d.title, d.file_name, d.status, d.status_reason,
       count(*) FILTER (WHERE q.severity = 'error') OVER w AS errors,
       count(*) FILTER (WHERE q.severity = 'warn') OVER w AS warnings,
       q.check_name, q.severity, q.observed, q.expected, q.details
FROM dim_document d
LEFT JOIN dq_check_result q ON q.document_id = d.document_id AND NOT q.success
WINDOW w AS (PARTITION BY d.document_id)
ORDER BY d.fiscal_year, d.title, q.severity, q.check_name
"""
GAPS = 10


def print_quality(con: duckdb.DuckDBPyConnection) -> None:
    current = None
    for title, file_name, status, reason, n_err, n_warn, check, severity, observed, expected, details in con.execute(
        QUALITY_QUERY
    ).fetchall():
        if (title, file_name) != current:
            current = (title, file_name)
            print(f"\n== {title or file_name} ({file_name}): {status}, {n_err} errors, {n_warn} warnings")
            if reason:
                print(f"   quarantined: {reason}")
        if check:
            print(f"   [{severity}] {check}: observed {observed}; expected {expected}")
            if details:
                print(f"          where: {details}")


FIGURES = ["budget_yuan", "final_yuan", "difference_yuan", "rate", "budget_from"]


def _table(lines: list[ExecutionLine], subjects: bool) -> str:
    """The lines as an aligned table indented under the section's heading."""
    head = ["subject_code", "name"] if subjects else ["line_item"]
    rows = [(ln.code_or_item, *((ln.name,) if subjects else ()), ln.budget_yuan, ln.final_yuan,
             ln.difference_yuan, ln.execution_rate, ln.budget_source) for ln in lines]
    return "\n".join("   " + row for row in format_table(head + FIGURES, rows, footer=False).splitlines())


def print_execution(con: duckdb.DuckDBPyConnection, scope: ExecutionScope) -> None:
    print(f"\n== Execution: {scope.unit_name} {scope.fiscal_year} (budget against final accounts)")
    kind = subject_table(con, scope)
    if kind is None:
        print("   no subject line of the final accounts has a budget disclosure's amount to compare")
    else:
        gaps = largest_gaps(con, scope, kind, GAPS)
        print(f"   largest gaps by subject ({kind}, measure total; the {len(gaps)} largest):")
        print(_table(gaps, subjects=True))
    three = three_public_lines(con, scope)
    if three:
        print("   “三公” categories:")
        print(_table(three, subjects=False))


def print_report(con: duckdb.DuckDBPyConnection) -> None:
    print_quality(con)
    if not has_execution_view(con):
        print("\n(budget execution: this warehouse predates final accounts; the next `budget-etl ingest` "
              "upgrades it)")
        return
    for scope in execution_scopes(con):
        print_execution(con, scope)
