"""The whole ingest next to a bare pdfplumber table dump of the same files, side by side in one run.

    .venv/bin/python benchmarks/ingest_speed.py [FILE_OR_DIR ...] [--before REV] [--sizes 10,50,150,500]
                                                [--no-scaling] [--profile]

1. The corpus PDFs (tests/fixtures/pdf and tests/fixtures/real, or the files and folders named, such
   as ``../shared/corpus/wild``): a pdfplumber ``extract_tables()`` dump of every page (a fresh
   interpreter, imports included), then ``budget-etl ingest`` into a fresh warehouse with
   ``--workers 1`` and ``--workers 2``, then a second ingest with nothing new. With ``--before REV``
   the console script of that revision (a git worktree) ingests the same files with ``--workers 2``
   in the same run, so a change is measured side by side. Wall times, the ratio to the dump, peak
   memory (largest single process and the whole process tree), and a check that every ingest loaded
   the same facts.
2. Cost per page as the input grows (generated disclosures, three pages each, distinct years so
   each is a document of its own): seconds per page of the ingest and of the dump.
3. With ``--profile``: where an in-process ingest of the corpus spends its time (cProfile).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.revisions import checkout, expand, ingest_command  # noqa: E402

PYTHON = sys.executable
CORPUS = sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf")) + sorted(
    (ROOT / "tests" / "fixtures" / "real").glob("*.pdf"))
DUMP = ("import sys, pdfplumber\n"
        "for f in sys.argv[1:]:\n"
        "    with pdfplumber.open(f) as pdf:\n"
        "        [page.extract_tables() for page in pdf.pages]\n")


def measured(cmd: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> tuple[float, float, float, int]:
    """Wall seconds, peak RSS of the largest process and of the whole tree (MiB), exit status."""
    start = time.perf_counter()
    proc = psutil.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    largest = tree = 0
    while proc.poll() is None:
        try:
            rss = [p.memory_info().rss for p in [proc, *proc.children(recursive=True)]]
        except psutil.Error:
            rss = []
        largest, tree = max(largest, *rss, 0), max(tree, sum(rss))
        time.sleep(0.1)
    mib = 1024 * 1024
    return time.perf_counter() - start, largest / mib, tree / mib, proc.returncode


def pages(files: list[Path]) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(f).pages) for f in files)


def ingest(files: list[Path], warehouse: Path, *flags: str, tree: Path = ROOT) -> tuple[float, float, float, int]:
    """The console script of ``tree`` ingests ``files``."""
    cmd, env = ingest_command(tree, files, warehouse, *flags)
    return measured(cmd, cwd=tree, env=env)


def facts(warehouse: Path) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return sorted(con.execute("SELECT fact_id, amount_yuan FROM fact_expenditure UNION ALL "
                                  "SELECT fact_id, amount_yuan FROM fact_income").fetchall())
    finally:
        con.close()


def corpus_section(work: Path, files: list[Path], before: tuple[str, Path] | None) -> None:
    n_pages = pages(files)
    print(f"\n## {len(files)} PDFs, {n_pages} pages\n")
    runs = {"pdfplumber extract_tables() dump": measured([PYTHON, "-c", DUMP, *map(str, files)])}
    warehouses = {}
    if before:
        rev, tree = before
        name = f"ingest --workers 2, before ({rev})"
        warehouses[name] = work / "before" / "w.duckdb"
        runs[name] = ingest(files, warehouses[name], "--workers", "2", tree=tree)
    for workers in ("1", "2"):
        name = f"ingest --workers {workers}"
        warehouses[name] = work / f"w{workers}" / "w.duckdb"
        runs[name] = ingest(files, warehouses[name], "--workers", workers)
    runs["second ingest, nothing new"] = ingest(files, warehouses["ingest --workers 2"])
    dump = runs["pdfplumber extract_tables() dump"][0]
    print("| run | wall s | × dump | s/page | largest process MiB | process tree MiB | exit |")
    print("|---|---|---|---|---|---|---|")
    for name, (wall, largest, tree_mib, rc) in runs.items():
        print(f"| {name} | {wall:.1f} | {wall / dump:.2f} | {wall / n_pages:.3f} | {largest:.0f} | "
              f"{tree_mib:.0f} | {rc} |")
    loaded = {name: facts(path) for name, path in warehouses.items()}
    same = all(f == loaded["ingest --workers 1"] for f in loaded.values())
    one, two = runs["ingest --workers 1"][0], runs["ingest --workers 2"][0]
    print(f"\n--workers 2 against --workers 1: {one / two:.2f}× faster; same facts loaded by every ingest: {same}")


def generated(folder: Path, count: int) -> list[Path]:
    """``count`` generated budgets of the fictional department, one per year (three pages each)."""
    from tests.disclosure_docs import BUDGET_YEAR, basic_economic, budget, expenditure_summary
    from tests.disclosure_pdfs import build_disclosure_pdf

    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        year = BUDGET_YEAR - i
        doc = budget(f"y{year}", [expenditure_summary(year), basic_economic(year)], year=year)
        files.append(build_disclosure_pdf(folder / f"budget-{year}.pdf", doc.disclosure))
    return files


def scaling_section(work: Path, sizes: list[int]) -> None:
    print("\n## Cost per page and memory as the input grows (generated budgets, --workers 2)\n")
    print("| pages | documents | ingest s | ingest s/page | dump s/page | × dump | largest process MiB | process tree MiB |")
    print("|---|---|---|---|---|---|---|---|")
    per_page = []
    for size in sizes:
        files = generated(work / f"gen-{size}", max(1, round(size / 3)))
        n = pages(files)
        wall, largest, tree, _ = ingest(files, work / f"gen-{size}-wh" / "w.duckdb", "--workers", "2")
        dump = measured([PYTHON, "-c", DUMP, *map(str, files)])[0]
        per_page.append(wall / n)
        print(f"| {n} | {len(files)} | {wall:.1f} | {wall / n:.3f} | {dump / n:.3f} | {wall / dump:.2f} | "
              f"{largest:.0f} | {tree:.0f} |")
    spread = (max(per_page[1:] or per_page) / min(per_page[1:] or per_page) - 1) * 100
    print(f"\nspread of s/page from the second size up: {spread:.0f}% (the first size pays the fixed start-up)")


def profile_section(work: Path) -> None:
    import cProfile
    import pstats

    from assets.runner import ingest as run

    print("\n## Where an in-process ingest of the corpus spends its time (cProfile, cumulative)\n")
    profiler = cProfile.Profile()
    profiler.runcall(run, CORPUS, work / "profile" / "w.duckdb", work, workers=1)
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    wanted = ("stage_document", "read_pdf", "normalize_document", "_table_checks", "check_suites",
              "run_suites_together", "_load_documents", "ensure_reference", "extract_tables", "read_pdf_pages")
    rows = {}
    for (file, _, name), (_, _, _, cum, _) in stats.stats.items():
        if name in wanted and ("pipeline" in file or "assets" in file or "camelot" in file):
            rows[name] = max(rows.get(name, 0), cum)
    print(f"total {total:.1f} s")
    for name, cum in sorted(rows.items(), key=lambda kv: -kv[1]):
        print(f"- {name}: {cum:.1f} s ({cum / total:.0%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="PDFs or folders (default: the corpus fixtures)")
    parser.add_argument("--before", help="also ingest with the console script of this git revision")
    parser.add_argument("--sizes", default="10,50,150,500", help="pages of generated input, comma separated")
    parser.add_argument("--no-scaling", action="store_true", help="skip the cost-per-page section")
    parser.add_argument("--profile", action="store_true", help="profile an in-process ingest of the corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as tmp:
        work = Path(tmp)
        files = expand(args.files, (".pdf",)) if args.files else CORPUS
        if args.before:
            with checkout(args.before) as tree:
                corpus_section(work, files, (args.before, tree))
        else:
            corpus_section(work, files, None)
        if not args.no_scaling:
            scaling_section(work, [int(s) for s in args.sizes.split(",")])
        if args.profile:
            profile_section(work)


if __name__ == "__main__":
    main()
