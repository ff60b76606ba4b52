"""Does a change leave the warehouse as it was? The same files ingested by two revisions, compared.

    .venv/bin/python benchmarks/same_warehouse.py [--before REV] [--after REV] [FILE_OR_DIR ...]
                                                  [--workers N] [--show N] [--keep DIR]

Each revision is checked out into a temporary git worktree (``--after`` defaults to the working tree
as it is, uncommitted edits included; ``--before`` to ``HEAD``) and ingests the same files with its
own console script (``budget-etl ingest``) into a fresh warehouse. Every table of the two warehouses
is then compared row by row as a multiset: facts, indicators, documents, units, subject codes and
findings (``dq_check_result``), every column but the ones that say when or in which run a row was
written. By default the files are every fixture in ``tests/fixtures/`` (the seeds as text and PDF,
the real Shanghai PDFs and the wild documents with hand-read facts).

Prints, per table, the rows of each side and how many only one side has, with up to ``--show`` of
them; exits 1 when any table differs, so a restructuring can be checked before it is committed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.revisions import checkout, expand, ingest_command  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
# When a row was written and by which run: differ between any two ingests of the same files.
WRITTEN_AT = {"ingested_at", "checked_at", "run_id"}
SUFFIXES = (".pdf", ".txt")


def ingest(tree: Path, files: list[Path], warehouse: Path, workers: int) -> float:
    """Ingest ``files`` with the console script of ``tree``; seconds taken."""
    cmd, env = ingest_command(tree, files, warehouse, "--workers", str(workers))
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    if not warehouse.exists():
        sys.exit(f"{tree}: the ingest wrote no warehouse (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def table_rows(warehouse: Path) -> dict[str, tuple[list[str], Counter[tuple]]]:
    """Every base table: its compared columns and its rows as a multiset."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        out = {}
        for name in names:
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [name]).fetchall() if c not in WRITTEN_AT]
            select = ", ".join(f'"{c}"::VARCHAR' for c in columns)
            out[name] = (columns, Counter(con.execute(f'SELECT {select} FROM "{name}"').fetchall()))
        return out
    finally:
        con.close()


def compare(before: Path, after: Path, show: int) -> bool:
    """Print the differences table by table; True when the warehouses hold the same rows."""
    old, new = table_rows(before), table_rows(after)
    same = True
    for name in sorted(set(old) | set(new)):
        if name not in old or name not in new:
            print(f"{name}: only {'after' if name in new else 'before'}")
            same = False
            continue
        (old_cols, old_rows), (new_cols, new_rows) = old[name], new[name]
        if old_cols != new_cols:
            print(f"{name}: columns differ: before {old_cols}, after {new_cols}")
            same = False
            continue
        lost, gained = old_rows - new_rows, new_rows - old_rows
        n_lost, n_gained = sum(lost.values()), sum(gained.values())
        verdict = "same" if not (n_lost or n_gained) else f"{n_lost} only before, {n_gained} only after"
        print(f"{name}: {sum(old_rows.values())} rows before, {sum(new_rows.values())} after: {verdict}")
        for sign, rows in (("-", lost), ("+", gained)):
            for row in list(rows)[:show]:
                print(f"  {sign} " + ", ".join(f"{c}={v}" for c, v in zip(old_cols, row, strict=True) if v is not None))
        same = same and not (n_lost or n_gained)
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="files or folders (default: every fixture)")
    parser.add_argument("--before", default="HEAD", help="revision before the change (default HEAD)")
    parser.add_argument("--after", default=None, help="revision after it (default: the working tree)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--show", type=int, default=5, help="differing rows shown per table and side")
    parser.add_argument("--keep", type=Path, help="keep both warehouses in this folder")
    args = parser.parse_args()
    files = expand(args.files or [FIXTURES], SUFFIXES)
    with tempfile.TemporaryDirectory(prefix="same-warehouse-") as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        for label, rev in (("before", args.before), ("after", args.after)):
            warehouse = work / f"{label}.duckdb"
            warehouse.unlink(missing_ok=True)
            with checkout(rev) as tree:
                seconds = ingest(tree, files, warehouse, args.workers)
            print(f"{label} ({rev or 'working tree'}): {len(files)} files ingested in {seconds:.1f} s")
        same = compare(work / "before.duckdb", work / "after.duckdb", args.show)
    print("the same warehouse" if same else "the warehouses differ")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
