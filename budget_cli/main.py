"""`budget-etl`: ingest, sql, report.

Exit status of `ingest`: 0 every document loaded (or unchanged), 2 some quarantined (the rest
loaded), 1 the run itself failed. Readers open the warehouse read-only and say so when it is locked.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

import duckdb

from budget_cli.output import format_table, plain
from pipeline.warehouse.connect import WarehouseBusyError, WarehouseMissingError, open_reader

DEFAULT_WAREHOUSE = "data/warehouse/budget.duckdb"
DEFAULT_RAW_DIR = "data/raw"


def warehouse_path(arg: str | None) -> Path:
    return Path(arg or os.environ.get("BUDGET_WAREHOUSE") or DEFAULT_WAREHOUSE)


def raw_dir() -> Path:
    return Path(os.environ.get("BUDGET_RAW_DIR") or DEFAULT_RAW_DIR)


def open_for_reading(args: argparse.Namespace) -> duckdb.DuckDBPyConnection | None:
    """A read-only connection, or None after printing why there is none."""
    try:
        return open_reader(warehouse_path(args.warehouse))
    except (WarehouseBusyError, WarehouseMissingError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def cmd_ingest(args: argparse.Namespace) -> int:
    from budget_cli.ingest import run_ingest

    return run_ingest(args.paths, warehouse_path(args.warehouse), raw_dir(), force=args.force)


def cmd_sql(args: argparse.Namespace) -> int:
    con = open_for_reading(args)
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
        w.writerows([[plain(v) for v in r] for r in rows])
    elif args.format == "json":
        print(json.dumps([dict(zip(columns, map(plain, r), strict=True)) for r in rows], ensure_ascii=False, indent=1))
    else:
        print(format_table(columns, rows))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from budget_cli.report import print_report

    con = open_for_reading(args)
    if con is None:
        return 1
    try:
        print_report(con)
    finally:
        con.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="budget-etl", description="Budget disclosures into a DuckDB warehouse.")
    sub = p.add_subparsers(dest="command", required=True)
    ing = sub.add_parser("ingest", help="ingest files or folders (default: the raw folder)")
    ing.add_argument("paths", nargs="*")
    ing.add_argument("--warehouse")
    ing.add_argument("--force", action="store_true",
                     help="read and load files again even when their content is already loaded")
    ing.set_defaults(func=cmd_ingest)
    sql = sub.add_parser("sql", help="read-only SQL against the warehouse")
    sql.add_argument("query")
    sql.add_argument("--warehouse")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.set_defaults(func=cmd_sql)
    rep = sub.add_parser("report", help="data-quality findings per document, then budget execution")
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
