"""The `budget-etl` console script: ingest, sql, report.

Exit status of `ingest`: 0 every document loaded, 2 some quarantined (the rest loaded),
1 the run itself failed. Readers open the warehouse read-only and say so when it is locked.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

from pipeline.warehouse.connect import WarehouseBusyError, WarehouseMissingError, open_reader

DEFAULT_WAREHOUSE = "data/warehouse/budget.duckdb"
DEFAULT_RAW_DIR = "data/raw"


def _warehouse(arg: str | None) -> Path:
    return Path(arg or os.environ.get("BUDGET_WAREHOUSE") or DEFAULT_WAREHOUSE)


def _raw_dir() -> Path:
    return Path(os.environ.get("BUDGET_RAW_DIR") or DEFAULT_RAW_DIR)


def cmd_ingest(args: argparse.Namespace) -> int:
    from assets.runner import ingest  # Dagster is imported only for this command

    warehouse = _warehouse(args.warehouse)
    inputs = [Path(p) for p in args.paths] or [_raw_dir()]
    missing = [p for p in inputs if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 1
    tty = sys.stderr.isatty()

    def progress(i: int, n: int, raw) -> None:
        if tty:
            print(f"[{i + 1}/{n}] {raw.file_name} …", file=sys.stderr, flush=True)

    try:
        runs = ingest(inputs, warehouse, _raw_dir(), on_start=progress)
    except WarehouseBusyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for r in runs:
        line = f"{r.status:<11} {r.title}  ({r.raw.file_name}, {r.rows} rows)"
        if r.reason:
            line += f"\n            reason: {r.reason}"
        print(line)
    loaded = sum(r.status == "loaded" for r in runs)
    quarantined = sum(r.status == "quarantined" for r in runs)
    failed = sum(r.status == "failed" for r in runs)
    print(f"{len(runs)} documents: {loaded} loaded, {quarantined} quarantined, {failed} failed → {warehouse}")
    if failed:
        return 1
    return 2 if quarantined else 0


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def format_table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[("" if v is None else str(_plain(v))) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(r[i], (int, float, Decimal)) or r[i] is None for r in rows) for i in range(len(columns))]

    def fmt(values: list[str]) -> str:
        return "  ".join(_pad(v, w, right) for v, w, right in zip(values, widths, numeric, strict=True)).rstrip()

    out = [fmt(columns), "  ".join("-" * w for w in widths)]
    out += [fmt(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _width(s: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in s)


def _pad(s: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(s))
    return gap + s if right else s + gap


def _open(args: argparse.Namespace):
    """A read-only connection, or None after printing why there is none."""
    try:
        return open_reader(_warehouse(args.warehouse))
    except (WarehouseBusyError, WarehouseMissingError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def cmd_sql(args: argparse.Namespace) -> int:
    con = _open(args)
    if con is None:
        return 1
    try:
        cur = con.execute(args.query)
        columns = [d[0] for d in cur.description or []]
        rows = cur.fetchall()
    except Exception as exc:  # a bad query is the user's to fix: show DuckDB's message, not a traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    if args.format == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(columns)
        w.writerows([[_plain(v) for v in r] for r in rows])
    elif args.format == "json":
        print(json.dumps([dict(zip(columns, map(_plain, r), strict=True)) for r in rows], ensure_ascii=False, indent=1))
    else:
        print(format_table(columns, rows))
    return 0


REPORT_QUERY = """
SELECT d.title, d.file_name, d.status, d.status_reason,
       count(*) FILTER (WHERE q.severity = 'error') OVER w AS errors,
       count(*) FILTER (WHERE q.severity = 'warn') OVER w AS warnings,
       q.check_name, q.severity, q.observed, q.expected, q.details
FROM dim_document d
LEFT JOIN dq_check_result q ON q.document_id = d.document_id AND NOT q.success
WINDOW w AS (PARTITION BY d.document_id)
ORDER BY d.fiscal_year, d.title, q.severity, q.check_name
"""


def cmd_report(args: argparse.Namespace) -> int:
    con = _open(args)
    if con is None:
        return 1
    try:
        rows = con.execute(REPORT_QUERY).fetchall()
    finally:
        con.close()
    current = None
    for title, file_name, status, reason, n_err, n_warn, check, severity, observed, expected, details in rows:
        if (title, file_name) != current:
            current = (title, file_name)
            print(f"\n== {title or file_name} ({file_name}): {status}, {n_err} errors, {n_warn} warnings")
            if reason:
                print(f"   quarantined: {reason}")
        if check:
            print(f"   [{severity}] {check}: observed {observed}; expected {expected}")
            if details:
                print(f"          where: {details}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="budget-etl", description="Budget disclosures into a DuckDB warehouse.")
    sub = p.add_subparsers(dest="command", required=True)
    ing = sub.add_parser("ingest", help="ingest files or folders (default: the raw folder)")
    ing.add_argument("paths", nargs="*")
    ing.add_argument("--warehouse")
    ing.set_defaults(func=cmd_ingest)
    sql = sub.add_parser("sql", help="read-only SQL against the warehouse")
    sql.add_argument("query")
    sql.add_argument("--warehouse")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.set_defaults(func=cmd_sql)
    rep = sub.add_parser("report", help="data-quality report per document")
    rep.add_argument("--warehouse")
    rep.set_defaults(func=cmd_report)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        # `budget-etl report | head`: the reader went away; that is not an error of ours.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
