"""How the reader does on real disclosures it was not built from, with oracles that need no hand-read facts.

    .venv/bin/python benchmarks/wild_corpus.py DIR [--holdout CITY ...] [--workers N] [--warehouse FILE]
                                               [--no-ingest] [--details] [--details-holdout]

DIR holds one folder per city (``../shared/corpus/wild``). Every file is ingested once by the real
console script (``budget-etl ingest``) into a fresh warehouse (or ``--warehouse FILE`` read as it is
with ``--no-ingest``); the figures are then read from that warehouse and from the PDFs themselves:

- documents loaded / quarantined (reasons grouped) / failed;
- the 8 standard tables found per loaded budget, and which are missing;
- documents without an error finding;
- misplaced rows: a fact whose printed, well-formed code is official and names another subject than
  the row's label; and facts whose stored code differs from a well-formed printed one;
- loaded documents without a fiscal year, a department, or a disclosure title;
- ``table_unreadable`` tables, and pages that print amounts but gave no fact;
- ambiguous cells: amounts that share the contract's cell key with another amount (a SUM counts both);
- documents listing tables the reader did not find (``listed_table_missing``).

Cities named by ``--holdout`` are reported apart from the others. A file whose content another
city's folder holds too counts for the first city in name order.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.reference.classification import load_subjects  # noqa: E402
from pipeline.reference.labels import labels_agree, well_formed_printed_code  # noqa: E402
from pipeline.schema import FACT_TABLES  # noqa: E402
from pipeline.vocabulary import DISCLOSURE_TITLE, STANDARD_BUDGET_TABLES  # noqa: E402
from pipeline.warehouse.connect import cell_key_sql  # noqa: E402

# A figure standing alone, as in a table cell: the narrative writes '32852.05 万元' or '8.12%'.
AMOUNT_ON_PAGE = re.compile(r"(?<![\d.])\d[\d,]*\.\d{2}(?![\d%])(?!\s*(?:万元|亿元|元|%))")
MIN_AMOUNTS_ON_PAGE = 3  # a page printing fewer such figures is narrative, not a table


def city_of_documents(root: Path) -> dict[str, tuple[str, Path]]:
    """sha256 → (city folder, file) of every PDF, the first city in name order for shared content."""
    out: dict[str, tuple[str, Path]] = {}
    for path in sorted(root.glob("*/*.pdf")):
        out.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), (path.parent.name, path))
    return out


def ingest(files: list[Path], warehouse: Path, workers: int) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "budget_cli", "ingest", *map(str, files), "--warehouse", str(warehouse),
                    "--workers", str(workers)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def amount_pages(path: Path) -> set[int]:
    """1-based pages whose text layer prints at least a few amounts (pdfium's text: fast)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return {i for i, page in enumerate(pdf, 1)
                if len(AMOUNT_ON_PAGE.findall(page.get_textpage().get_text_range())) >= MIN_AMOUNTS_ON_PAGE}
    finally:
        pdf.close()


def _reason_group(reason: str) -> str:
    text = re.sub(r"^\S+\.pdf:?\s*", "", reason or "")
    text = re.sub(r"\d+", "N", text)  # 'its 6 page(s) are scans' and 'its 19 page(s)' are one reason
    return text.split(":")[0][:80].strip()


def cell_keys(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each fact table's cell key as SQL, of the columns the warehouse has (a file written before
    fund_source existed is keyed without it); read once per run."""
    keys = {}
    for table in FACT_TABLES:
        columns = [c for (c,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()]
        keys[table] = cell_key_sql(columns)
    return keys


def ambiguous_cells(con: duckdb.DuckDBPyConnection, keys: dict[str, str], document_id: str) -> int:
    """Cells sharing the contract's cell key with a cell of another amount: a SUM counts both."""
    total = 0
    for table, key in keys.items():
        total += con.execute(
            f"SELECT COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM {table} WHERE document_id = ? "
            f"GROUP BY {key} HAVING COUNT(DISTINCT amount_yuan) > 1)", [document_id]).fetchone()[0]
    return int(total)


def document_figures(con: duckdb.DuckDBPyConnection, doc: dict, path: Path, subjects: dict,
                     keys: dict[str, str]) -> dict:
    """The oracles of one loaded document."""
    did = doc["document_id"]
    facts = con.execute(
        "SELECT printed_code, subject_code, line_item, row_role, page FROM fact_expenditure WHERE document_id = ? "
        "UNION ALL SELECT printed_code, subject_code, line_item, row_role, page FROM fact_income WHERE document_id = ?",
        [did, did]).fetchall()
    misplaced, restated = set(), set()
    for printed, stored, label, role, _ in facts:
        code = well_formed_printed_code(printed)
        if code is None or role == "unit_total":  # a unit's own code (328 无锡市应急管理局) is no subject
            continue
        if stored != code:
            restated.add((printed, stored, label))
        official = subjects.get(code)
        if official is not None and label and not labels_agree(official.name, label):
            misplaced.add((printed, label, official.name))
    errors = con.execute(
        "SELECT check_name, details FROM dq_check_result WHERE document_id = ? AND severity = 'error' "
        "AND NOT success", [did]).fetchall()
    indicator_pages = con.execute("SELECT DISTINCT page FROM fact_performance_indicator WHERE document_id = ?",
                                  [did]).fetchall()
    fact_pages = {p for *_, p in facts if p is not None} | {p for (p,) in indicator_pages if p is not None}
    kinds = set((doc["table_kinds"] or "").split())
    cursor = con.execute("SELECT * FROM dim_unit WHERE unit_id = ?", [doc["department_unit_id"]])
    unit = dict(zip([c[0] for c in cursor.description], cursor.fetchone() or (), strict=False))
    return dict(
        placed=bool(unit.get("province") and unit.get("city")),  # NULL in a file written before areas
        kinds=kinds, misplaced=misplaced, restated=restated, errors=errors,
        unreadable=[d for n, d in errors if n == "table_unreadable"],
        ambiguous=ambiguous_cells(con, keys, did),
        pages_without_facts=sorted(amount_pages(path) - fact_pages),
        no_year=doc["fiscal_year"] is None, no_department=doc["department_unit_id"] is None,
        bad_title=not _is_disclosure_title(doc["title"]),
    )


def _is_disclosure_title(title: str | None) -> bool:
    return bool(title) and DISCLOSURE_TITLE.search(title) is not None and not re.search(r"第.部分|目录", title)


def report(label: str, docs: list[dict], details: bool) -> None:
    loaded = [d for d in docs if d["status"] == "loaded"]
    # a budget that prints any disclosure table (some publish the tables in a file of their own)
    budgets = [d for d in loaded if d["document_kind"] == "budget" and d["fig"]["kinds"]]
    print(f"\n== {label}: {len(docs)} documents: {len(loaded)} loaded, "
          f"{sum(d['status'] == 'quarantined' for d in docs)} quarantined, "
          f"{sum(d['status'] == 'failed' for d in docs)} failed")
    for reason, n in Counter(_reason_group(d["status_reason"]) for d in docs
                             if d["status"] == "quarantined").most_common():
        print(f"   quarantined ×{n}: {reason}")
    if not loaded:
        return
    found = [len(d["fig"]["kinds"] & set(STANDARD_BUDGET_TABLES)) for d in budgets]
    missing = Counter(k for d in budgets for k in STANDARD_BUDGET_TABLES if k not in d["fig"]["kinds"])
    clean = sum(not d["fig"]["errors"] for d in loaded)
    print(f"   loaded budgets with tables: {len(budgets)}; narrative only: "
          f"{sum(not d['fig']['kinds'] for d in loaded)}")
    print(f"   standard tables per budget: {sum(found) / max(len(found), 1):.2f} of {len(STANDARD_BUDGET_TABLES)}"
          f"; missing: {dict(missing.most_common())}")
    print(f"   documents without an error finding: {clean} of {len(loaded)} ({100 * clean / len(loaded):.0f} %); "
          f"error findings by check: {dict(Counter(n for d in loaded for n, _ in d['fig']['errors']).most_common())}")
    print(f"   misplaced rows loaded: {sum(len(d['fig']['misplaced']) for d in loaded)}; "
          f"codes stored differently from a well-formed print: {sum(len(d['fig']['restated']) for d in loaded)}")
    print(f"   loaded without fiscal year: {sum(d['fig']['no_year'] for d in loaded)}, without department: "
          f"{sum(d['fig']['no_department'] for d in loaded)}, without a disclosure title: "
          f"{sum(d['fig']['bad_title'] for d in loaded)}")
    placed = sum(d["fig"]["placed"] for d in loaded)
    print(f"   departments placed in a province and city: {placed} of {len(loaded)} "
          f"({100 * placed / len(loaded):.0f} %)")
    listed = [sum(n == "listed_table_missing" for n, _ in d["fig"]["errors"]) for d in loaded]
    print(f"   documents listing tables the reader did not find: {sum(n > 0 for n in listed)} "
          f"(listed_table_missing findings: {sum(listed)})")
    ambiguous = [d["fig"]["ambiguous"] for d in loaded]
    print(f"   ambiguous cells (a cell key shared with another amount): {sum(ambiguous)} in "
          f"{sum(n > 0 for n in ambiguous)} documents")
    print(f"   table_unreadable tables: {sum(len(d['fig']['unreadable']) for d in loaded)}; pages with amounts "
          f"that gave no fact: {sum(len(d['fig']['pages_without_facts']) for d in loaded)}")
    if details:
        for d in docs:
            _print_details(d)


def _print_details(d: dict) -> None:
    print(f"   - {d['city']}/{d['path'].name}: {d['status']} {d['title']!r} {d['fiscal_year']}")
    if d["status"] != "loaded":
        print(f"       {d['status_reason']}")
        return
    fig = d["fig"]
    print(f"       missing: {[k for k in STANDARD_BUDGET_TABLES if k not in fig['kinds']]}; "
          f"pages without facts: {fig['pages_without_facts']}")
    for name, detail in fig["errors"][:8]:
        print(f"       error {name}: {(detail or '')[:160]}")
    for row in sorted(fig["misplaced"])[:5]:
        print(f"       misplaced {row}")
    for row in sorted(fig["restated"])[:5]:
        print(f"       restated {row}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", type=Path, help="a folder of city folders of PDFs")
    parser.add_argument("--holdout", nargs="*", default=[], help="city folders reported apart")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warehouse", type=Path, help="the warehouse to write (or read with --no-ingest)")
    parser.add_argument("--no-ingest", action="store_true", help="read --warehouse as it is")
    parser.add_argument("--details", action="store_true", help="one block per document of the cities worked on")
    parser.add_argument("--details-holdout", action="store_true",
                        help="the held-out documents' blocks too: their findings are then seen, and no longer held out")
    args = parser.parse_args()
    by_sha = city_of_documents(args.root)
    warehouse = args.warehouse or Path(tempfile.mkdtemp(prefix="wild-")) / "wild.duckdb"
    if not args.no_ingest:
        seconds = ingest([p for _, p in by_sha.values()], warehouse, args.workers)
        print(f"ingest of {len(by_sha)} distinct files: {seconds:.1f} s (--workers {args.workers}) → {warehouse}")
    subjects = load_subjects()
    con = duckdb.connect(str(warehouse), read_only=True)
    keys = cell_keys(con)
    rows = con.execute("SELECT * FROM dim_document").fetchall()
    names = [c[0] for c in con.description]
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        doc = dict(zip(names, row, strict=True))
        if doc["document_id"] not in by_sha:
            continue
        doc["city"], doc["path"] = by_sha[doc["document_id"]]
        if doc["status"] == "loaded":
            doc["fig"] = document_figures(con, doc, doc["path"], subjects, keys)
        groups["hold-out" if doc["city"] in args.holdout else "developed on"].append(doc)
    missing = set(by_sha) - {d["document_id"] for g in groups.values() for d in g}
    for sha in missing:  # no row at all: the run failed on it
        city, path = by_sha[sha]
        groups["hold-out" if city in args.holdout else "developed on"].append(
            dict(status="failed", status_reason="no dim_document row", city=city, path=path, title=None,
                 fiscal_year=None, document_kind=None))
    con.close()
    for label in ("developed on", "hold-out"):
        docs = groups.get(label, [])
        if not docs:
            continue
        for city in sorted({d["city"] for d in docs}):
            report(city, [d for d in docs if d["city"] == city], False)
        details = args.details_holdout if label == "hold-out" else args.details
        report(f"{label.upper()} ({', '.join(sorted({d['city'] for d in docs}))})", docs, details)


if __name__ == "__main__":
    main()
