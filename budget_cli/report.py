"""`budget-etl report`: the data-quality findings per document, then budget execution per unit and year."""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from budget_cli.errors import CliError
from budget_cli.findings import Document, Finding, check_schema, documents, fails, findings, select_documents
from budget_cli.output import format_table
from pipeline.warehouse.connect import open_reader
from pipeline.warehouse.execution import (
    ExecutionLine,
    ExecutionScope,
    execution_scopes,
    has_execution_view,
    largest_gaps,
    subject_table,
    three_public_lines,
)

GAPS = 10
# `--fail-on`: the exit status when findings at that level exist (2 is ingest's "some quarantined").
FAIL_STATUS = 3


def print_quality(docs: list[Document], found: dict[str, list[Finding]], severity: str | None = None) -> None:
    """Each document's heading (status, counts), then its findings (of ``severity`` only when given)."""
    if not docs:
        print("(no documents in the warehouse yet: `budget-etl ingest` loads them)")
    for doc in docs:
        fs = found.get(doc.document_id, [])
        n_err, n_warn = (sum(f.severity == s for f in fs) for s in ("error", "warn"))
        print(f"\n== {doc.name} ({doc.file_name}): {doc.status}, {n_err} errors, {n_warn} warnings")
        if doc.status_reason:
            print(f"   quarantined: {doc.status_reason}")
        for f in fs:
            if severity is None or f.severity == severity:
                print(f"   [{f.severity}] {f.check_name}: observed {f.observed}; expected {f.expected}")
                if f.where:
                    print(f"          where: {f.where}")


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


def _scopes_of(con: duckdb.DuckDBPyConnection, docs: list[Document] | None) -> list[ExecutionScope]:
    """Execution scopes, only those of the units and years the given documents print when given."""
    scopes = execution_scopes(con)
    if docs is None:
        return scopes
    pairs = set(con.execute("SELECT DISTINCT unit_id, fiscal_year FROM fact_expenditure "
                            "WHERE list_contains(?, document_id)", [[d.document_id for d in docs]]).fetchall())
    return [s for s in scopes if (s.unit_id, s.fiscal_year) in pairs]


def print_report(con: duckdb.DuckDBPyConnection, docs: list[Document], found: dict[str, list[Finding]],
                 severity: str | None = None, only: bool = False) -> None:
    """The findings of ``docs``, then budget execution (of their units and years when ``only``)."""
    print_quality(docs, found, severity)
    if not has_execution_view(con):
        print("\n(budget execution: this warehouse predates final accounts; the next `budget-etl ingest` "
              "upgrades it)")
        return
    scopes = _scopes_of(con, docs if only else None)
    if not scopes:
        print("\n== Execution (budget against final accounts): none: no final account of a unit and year is "
              "loaded beside its budget")
    for scope in scopes:
        print_execution(con, scope)


def write_html(con: duckdb.DuckDBPyConnection, out_dir: Path) -> None:
    """The warehouse as a static site (budget_cli.site); prints the index page's path."""
    try:
        from budget_cli.site.build import write_site
    except ImportError as exc:
        raise CliError(f"the HTML report is not available in this installation ({exc})") from exc
    print(write_site(con, out_dir))


def cmd_report(args: argparse.Namespace, warehouse: Path) -> int:
    """Print (or --html write) the report; FAIL_STATUS when --fail-on finds findings of that level.

    The site covers the whole warehouse and copes with an empty file itself, so with --html alone
    the findings are not read here; --document and --severity shape the printed report only.
    """
    con = open_reader(warehouse)
    try:
        found: dict[str, list[Finding]] = {}
        if not args.html or args.fail_on or args.document:
            check_schema(con, warehouse)
            docs = select_documents(documents(con), args.document)
            found = findings(con, docs)
        if args.html:
            write_html(con, Path(args.html))
        else:
            print_report(con, docs, found, args.severity, only=bool(args.document))
    finally:
        con.close()
    return FAIL_STATUS if fails(found, args.fail_on) else 0
