"""How many tables of each fixture pass the reader's self-verification (issue: one table model).

For every PDF under tests/fixtures (the seed corpus and the real disclosures), each table is read
through the shared table model and checked against its own identities before it would become
facts. Prints per document: tables read, tables with enough identities to judge, those whose
placement the identities confirm (failures allowed as ordinary findings) and those refused
(table_unreadable). Run: .venv/bin/python benchmarks/self_check.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.extract.pdf.reader import read_pdf  # noqa: E402
from pipeline.ingest import describe  # noqa: E402
from pipeline.model import QuarantineError  # noqa: E402
from pipeline.normalize.build import normalize_document, table_facts, table_kind  # noqa: E402
from pipeline.normalize.context import DocContext  # noqa: E402
from pipeline.normalize.document_meta import read_meta  # noqa: E402
from pipeline.normalize.subjects import SubjectResolver  # noqa: E402
from pipeline.normalize.units import UnitRegistry  # noqa: E402
from pipeline.normalize.verify import MIN_CHECKS, verify_table  # noqa: E402


def tally(path: Path) -> str:
    raw = describe(path)
    try:
        doc = read_pdf(raw)
        normalize_document(doc)
    except QuarantineError as exc:
        return f"{path.name}: quarantined ({str(exc)[:80]}…)"
    meta = read_meta(doc)
    units = UnitRegistry.for_department(meta.department_name or "?", meta.department_code, meta.aliases)
    ctx = DocContext(raw.document_id, meta.fiscal_year, units, SubjectResolver(), "万元", meta.document_kind)
    read = judged = confirmed = refused = 0
    for table in doc.tables:
        kind = table_kind(table)
        if not kind or kind in ("other", "performance"):
            continue
        read += 1
        verdict = verify_table(raw.document_id, *table_facts(table, kind, ctx))
        if verdict.checked >= MIN_CHECKS:
            judged += 1
            confirmed += verdict.readable
            refused += not verdict.readable
    return f"{path.name}: {read} tables, {judged} judged, {confirmed} confirmed, {refused} table_unreadable"


def main() -> None:
    fixtures = ROOT / "tests" / "fixtures"
    for path in sorted([*fixtures.glob("pdf/*.pdf"), *fixtures.glob("real/*.pdf")]):
        print(tally(path))


if __name__ == "__main__":
    main()
