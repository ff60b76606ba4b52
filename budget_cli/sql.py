"""`budget-etl sql`: read-only SQL against the warehouse, printed or exported.

The query comes from the argument, from `-f FILE`, or from standard input (`-`, or no query with
input piped in), as with the DuckDB CLI. A table for people is capped (like the DuckDB CLI's
`.maxrows`) with a note of the rows left out; csv/json/jsonl are for scripts and carry every row
unless `--limit` says otherwise (then a note goes to stderr, so the data stays clean).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from budget_cli.errors import CliError
from budget_cli.output import write_result
from budget_cli.xlsx import write_xlsx
from pipeline.warehouse.connect import open_reader

TABLE_ROW_CAP = 1000
_CHUNK = 10_000


def read_query(query: str | None, file: str | None) -> str:
    """The SQL text from the argument, -f FILE or standard input; CliError when there is none."""
    if file is not None and query is not None:
        raise CliError("give the query either as an argument or with -f FILE, not both")
    if file == "-" or query == "-" or (file is None and query is None and not sys.stdin.isatty()):
        text, source = sys.stdin.read(), "standard input"
    elif file is not None:
        try:
            text, source = Path(file).read_text(encoding="utf-8"), file
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"cannot read the query file {file}: {getattr(exc, 'strerror', None) or exc}") from exc
    elif query is None:
        raise CliError('no query: pass one as an argument (budget-etl sql "SELECT …"), with -f FILE, '
                       "or on standard input")
    else:
        text, source = query, None
    if not text.strip():
        raise CliError("the query is empty" + (f" (read from {source})" if source else ""))
    return text


def row_cap(fmt: str, limit: int | None) -> int | None:
    """How many rows to show: --limit when given (0: all), else TABLE_ROW_CAP for a table, all otherwise."""
    if limit is not None:
        return limit or None
    return TABLE_ROW_CAP if fmt == "table" else None


def fetch(cur: duckdb.DuckDBPyConnection, cap: int | None) -> tuple[list[tuple], int]:
    """The first ``cap`` rows and how many more there were (counted in chunks, not kept)."""
    if cap is None:
        return cur.fetchall(), 0
    rows = cur.fetchmany(cap)
    left_out = 0
    while chunk := cur.fetchmany(_CHUNK):
        left_out += len(chunk)
    return rows, left_out


def _no_tables_hint(con: duckdb.DuckDBPyConnection) -> str:
    n = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()").fetchone()
    return " (this warehouse has no tables yet: run `budget-etl ingest`)" if n and n[0] == 0 else ""


def run_query(warehouse: Path, text: str, cap: int | None) -> tuple[list[str], list[tuple], int]:
    con = open_reader(warehouse)
    try:
        try:
            cur = con.execute(text)
        except duckdb.CatalogException as exc:
            hint = _no_tables_hint(con)
            if hint:
                raise CliError(str(exc).splitlines()[0] + hint) from exc
            raise
        if cur is None:  # only comments or semicolons: DuckDB ran no statement
            raise CliError("the query has no SQL statement")
        columns = [d[0] for d in cur.description or []]
        rows, left_out = fetch(cur, cap) if cur.description else ([], 0)
        return columns, rows, left_out
    finally:
        con.close()


def cmd_sql(args: argparse.Namespace, warehouse: Path) -> int:
    text = read_query(args.query, args.file)
    columns, rows, left_out = run_query(warehouse, text, row_cap(args.format, args.limit))
    if not columns:  # a statement without a result (PRAGMA, CREATE TEMP …): nothing to print
        return 0
    if args.format == "xlsx":
        _write_workbook(args.output, columns, rows)
    elif args.output is None:
        write_result(args.format, columns, rows, sys.stdout, left_out)
    else:
        try:
            # A csv file starts with a byte-order mark, so a spreadsheet reads its Chinese as UTF-8.
            encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
            with open(args.output, "w", encoding=encoding, newline="") as out:
                write_result(args.format, columns, rows, out, left_out)
        except OSError as exc:
            raise CliError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
        print(f"wrote {len(rows)} rows to {args.output}", file=sys.stderr)
    if left_out and args.format != "table":  # the table's own footer says it; data formats stay clean
        print(f"note: --limit {args.limit} left {left_out} more rows out", file=sys.stderr)
    return 0


def _write_workbook(output: str | None, columns: list[str], rows: list[tuple]) -> None:
    if output is None:
        raise CliError("--format xlsx writes an Excel workbook: give it a file with --output FILE.xlsx")
    try:
        written = write_xlsx(columns, rows, Path(output))
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror or exc}") from exc
    print(f"wrote {written} rows to {output}", file=sys.stderr)
