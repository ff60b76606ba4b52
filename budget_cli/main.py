"""`budget-etl`: ingest, sql, report.

Exit status: 0 done; 1 the command could not do its work (a one-line `error: …` on stderr, never a
traceback: a missing or foreign --warehouse, a busy one, a bad query); `ingest` 2 when some document
was quarantined (the rest loaded); `report --fail-on LEVEL` 3 when findings of that level exist.
Readers open the warehouse read-only, without access to other files, and say so when it is locked.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import duckdb

from budget_cli.errors import CliError, duckdb_message
from budget_cli.findings import SEVERITIES
from budget_cli.output import FORMATS
from budget_cli.sql import TABLE_ROW_CAP
from pipeline.warehouse.connect import WarehouseError

DEFAULT_WAREHOUSE = "data/warehouse/budget.duckdb"
DEFAULT_RAW_DIR = "data/raw"
WAREHOUSE_HELP = f"the DuckDB warehouse file (default: $BUDGET_WAREHOUSE, else {DEFAULT_WAREHOUSE})"

INGEST_EXAMPLES = """examples:
  budget-etl ingest                              # every file under data/raw (or $BUDGET_RAW_DIR)
  budget-etl ingest new/2024.pdf other/ --warehouse /tmp/try.duckdb
  budget-etl ingest --force                      # read every file again
  budget-etl ingest --retry-quarantined          # read again the files quarantined before (a newer reader)
  budget-etl ingest --workers 1                  # one document at a time, in this process
  budget-etl ingest data/raw --dask-scheduler tcp://10.0.0.5:8786 --staging-dir /shared/staging

exit status: 0 every document loaded or unchanged, 2 some quarantined (the rest loaded), 1 the run failed"""

SQL_EXAMPLES = f"""examples:
  budget-etl sql "SELECT title, fiscal_year, status FROM dim_document"
  budget-etl sql -f query.sql --format csv --output result.csv
  budget-etl sql -f query.sql --format xlsx --output result.xlsx
  echo "SELECT count(*) AS n FROM fact_expenditure" | budget-etl sql
  budget-etl sql - --format jsonl < query.sql
  budget-etl sql "SELECT * FROM v_expenditure" --limit 0     # every row, no cap

The table shows at most {TABLE_ROW_CAP} rows and says how many it left out; csv, json, jsonl and xlsx carry
every row unless --limit is given. JSON: DECIMAL as an exact string, dates ISO 8601, BLOB as hex,
lists and structs as JSON. The SQL is read-only: writing, COPY, ATTACH, INSTALL/LOAD and reading other
files (read_csv, read_text, …) are refused; export with --format … --output FILE.
exit status: 0 done, 1 error"""

REPORT_EXAMPLES = """examples:
  budget-etl report
  budget-etl report --document 2024年部门预算 --severity error   # errors of the matching documents
  budget-etl report --document 3fa2c1 --document office.pdf   # an id prefix, a file name
  budget-etl report --fail-on error > report.txt            # exit 3 when any error finding exists
  budget-etl report --html site/                            # a static site; prints its index.html

A finding that fails the same way in several measures (columns) of one row is one line naming them.
exit status: 0 done, 1 error, 3 findings at the --fail-on level (in the --document selection)"""


def warehouse_path(arg: str | None) -> Path:
    return Path(arg or os.environ.get("BUDGET_WAREHOUSE") or DEFAULT_WAREHOUSE)


def raw_dir() -> Path:
    return Path(os.environ.get("BUDGET_RAW_DIR") or DEFAULT_RAW_DIR)


def package_version() -> str:
    try:
        return version("budget-etl")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def non_negative(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 0, got {text!r}")
    return n


def positive_int(text: str) -> int:
    n = non_negative(text)
    if n == 0:
        raise argparse.ArgumentTypeError("expected a whole number ≥ 1, got 0")
    return n


def cmd_ingest(args: argparse.Namespace) -> int:
    from budget_cli.ingest import run_ingest

    staging = args.staging_dir or os.environ.get("BUDGET_STAGING_DIR")
    return run_ingest(args.paths, warehouse_path(args.warehouse), raw_dir(), force=args.force,
                      retry_quarantined=args.retry_quarantined, workers=args.workers,
                      scheduler=args.dask_scheduler, staging=Path(staging) if staging else None)


def cmd_sql(args: argparse.Namespace) -> int:
    from budget_cli.sql import cmd_sql as run

    return run(args, warehouse_path(args.warehouse))


def cmd_report(args: argparse.Namespace) -> int:
    from budget_cli.report import cmd_report as run

    return run(args, warehouse_path(args.warehouse))


def _subparser(sub: argparse._SubParsersAction, name: str, help: str, epilog: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help, description=help, epilog=epilog,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--warehouse", metavar="FILE", help=WAREHOUSE_HELP)
    return p


def add_sql_options(sql: argparse.ArgumentParser) -> None:
    sql.add_argument("query", nargs="?", help="the SQL; '-' or none with input piped in: read standard input")
    sql.add_argument("-f", "--file", metavar="FILE", help="read the SQL from FILE ('-': standard input)")
    sql.add_argument("--format", choices=FORMATS, default="table",
                     help="table for people (default), csv, json (an array of objects), jsonl (one per line) "
                     "or xlsx (an Excel workbook, with --output FILE)")
    sql.add_argument("--limit", type=non_negative, metavar="N",
                     help=f"at most N rows, 0 for all (default: {TABLE_ROW_CAP} for a table, all otherwise)")
    sql.add_argument("-o", "--output", metavar="FILE", help="write the result to FILE instead of standard output")


def add_report_options(rep: argparse.ArgumentParser) -> None:
    rep.add_argument("--document", action="append", metavar="TEXT",
                     help="only documents whose id starts with TEXT or whose file name or title contains it "
                          "(repeat for several)")
    rep.add_argument("--severity", choices=SEVERITIES, help="list only findings of this severity")
    rep.add_argument("--fail-on", choices=SEVERITIES, metavar="{error,warn}",
                     help="exit 3 when the selected documents have findings of this severity (warn: or error)")
    rep.add_argument("--html", metavar="DIR",
                     help="write the whole warehouse as a static, offline site into DIR and print its index.html "
                          "(instead of the printed report; --document and --severity do not apply)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="budget-etl", description="Budget disclosures into a DuckDB warehouse.",
                                epilog="`budget-etl COMMAND --help` shows each command's options and examples.")
    p.add_argument("--version", action="version", version=f"%(prog)s {package_version()}",
                   help="print the installed version and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", help="what to do")
    ing = _subparser(sub, "ingest", "ingest files or folders (default: the raw folder)", INGEST_EXAMPLES)
    ing.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to ingest (default: the raw folder)")
    ing.add_argument("--force", action="store_true",
                     help="read and load files again even when their content is already loaded")
    ing.add_argument("--retry-quarantined", action="store_true",
                     help="read again the files whose content an earlier run quarantined (they are skipped, "
                     "with the reason recorded then, as the sensor skips them)")
    ing.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1, metavar="N",
                     help="documents read at once, each step in its own process (default: the number of "
                     f"cores, {os.cpu_count() or 1} here); 1 runs everything in this process")
    ing.add_argument("--dask-scheduler", metavar="ADDRESS",
                     help="run the read and check steps on an existing Dask cluster (dagster-dask), e.g. "
                     "tcp://HOST:8786; the workers need this project installed and --staging-dir shared")
    ing.add_argument("--staging-dir", metavar="DIR",
                     help="where read steps leave each document's frames for the loader (default: "
                     "$BUDGET_STAGING_DIR, else staging/ beside the warehouse); must be shared with Dask workers")
    ing.set_defaults(func=cmd_ingest)
    sql = _subparser(sub, "sql", "read-only SQL against the warehouse", SQL_EXAMPLES)
    add_sql_options(sql)
    sql.set_defaults(func=cmd_sql)
    rep = _subparser(sub, "report", "data-quality findings per document, then budget execution", REPORT_EXAMPLES)
    add_report_options(rep)
    rep.set_defaults(func=cmd_report)
    return p


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        # `budget-etl report | head`: the reader went away; that is not an error of ours.
        sys.stderr.close()
        return 0
    except (CliError, WarehouseError) as exc:
        return _fail(str(exc))
    except duckdb.Error as exc:  # a bad query, a damaged file: DuckDB's sentence, not a traceback
        return _fail(duckdb_message(exc))
    except KeyboardInterrupt:  # Ctrl-C: the shell's convention, 128 + SIGINT
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
