"""How fast and how exact is OCR? Generated disclosures, scanned clean and noisy, read back.

    .venv/bin/python benchmarks/ocr_speed.py [--docs baseline split-codes ...] [--dpi 200]

Each generated disclosure (tests/disclosure_docs.py) is written as a text PDF, then scanned with
tests/scans.py: ``clean`` (rendered at --dpi, turned 0.3°) and ``noisy`` (turned 0.5°, sensor
noise, 0.6% specks). Both scans are read like any PDF (OCR, tables, normalisation, quality checks)
and their facts are compared with the text PDF's: a fact is exact when table, row, measure, stage,
amount and page all agree. A fact the scan lacks or has wrong is counted ``at row`` when an error
finding names its row, and ``unflagged`` when no error finding names its row or its table; the aim
is every fact of a clean scan exact and every wrong one flagged.
Seconds per page are the reader's own timing of each OCR'd page (render, deskew, OCR, rules).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.extract.pdf.reader import read_pdf  # noqa: E402
from pipeline.ingest import describe  # noqa: E402
from pipeline.model import QuarantineError  # noqa: E402
from pipeline.normalize.build import normalize_document  # noqa: E402
from pipeline.text import squash  # noqa: E402
from tests.disclosure_docs import DOCUMENTS  # noqa: E402
from tests.read_back import ReadBack, errors, read_back  # noqa: E402
from tests.scans import require_cjk_font, scan_pdf  # noqa: E402

DEFAULT_DOCS = ("baseline", "split-codes", "baseline-borderless", "amounts-in-yuan", "three-public-final",
                "final-summary")
VARIANTS = {"clean": dict(degrees=0.3, noise=0.0), "noisy": dict(degrees=0.5, noise=0.006)}


@dataclass
class Tally:
    docs: int = 0
    seconds: list[float] = field(default_factory=list)  # one per OCR'd page
    facts: int = 0
    exact: int = 0
    wrong: int = 0  # in the scan with another value (or row, page)
    missing: int = 0
    at_row: int = 0  # wrong or missing, and an error finding names its row
    unflagged: int = 0  # wrong or missing, and no error finding names its row or its table

    def row(self, name: str) -> str:
        per_page = statistics.mean(self.seconds) if self.seconds else float("nan")
        share = self.exact / self.facts if self.facts else float("nan")
        return (f"{name:<8} {self.docs:>4} {len(self.seconds):>5} {per_page:>7.2f} {self.facts:>6} {self.exact:>6} "
                f"{share:>7.1%} {self.wrong:>6} {self.missing:>7} {self.at_row:>6} {self.unflagged:>9}")


def key(fact: dict) -> tuple:
    return (fact["table_kind"], fact["table_index"], fact["row_role"], fact["subject_code"], fact["line_item"],
            fact["measure"], fact["stage"], fact["amount_yuan"], fact["page"])


def compare(text: ReadBack, scan: ReadBack, tally: Tally) -> None:
    expected = {key(f): f for f in text.facts()}
    got = {key(f): f for f in scan.facts()} if scan.frames else {}
    tally.facts += len(expected)
    tally.exact += len(expected.keys() & got.keys())
    tally.wrong += len(got.keys() - expected.keys())
    tally.missing += len(expected.keys() - got.keys())
    found = errors(scan) if scan.frames else []
    for k in expected.keys() ^ got.keys():
        fact = expected.get(k) or got[k]
        item, title = fact["line_item"], fact["table_title"] or ""
        if any(f"row: {item}" in e or f"row {item}" in e or f" {item}," in e or f" {item};" in e for e in found):
            tally.at_row += 1
        elif not any(squash(title) in squash(e) for e in found):
            tally.unflagged += 1


def read_scan(path: Path) -> tuple[ReadBack, list[float]]:
    """The scan read back as the ingest reads it, and the seconds each OCR'd page took."""
    try:
        doc = read_pdf(describe(path))
        return ReadBack(path, normalize_document(doc)), list(doc.ocr_seconds.values())
    except QuarantineError as exc:
        return ReadBack(path, None, str(exc)), []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", nargs="*", default=list(DEFAULT_DOCS), choices=sorted(DOCUMENTS))
    parser.add_argument("--dpi", type=int, default=200)
    args = parser.parse_args()
    require_cjk_font()
    tallies = {name: Tally() for name in VARIANTS}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in args.docs:
            source = DOCUMENTS[name]().write(folder)
            text = read_back(source)
            for variant, how in VARIANTS.items():
                scan_path = scan_pdf(source, folder / f"{name}-{variant}.pdf", dpi=args.dpi, **how)
                tally = tallies[variant]
                tally.docs += 1
                scan, seconds = read_scan(scan_path)
                tally.seconds += seconds
                compare(text, scan, tally)
                print(f"  {name:<22} {variant}: {scan.quarantine or 'read'}", file=sys.stderr)
    print(f"OCR of generated disclosures at {args.dpi} dpi ({time.perf_counter() - started:.0f} s in all)")
    print(f"{'scan':<8} {'docs':>4} {'pages':>5} {'s/page':>7} {'facts':>6} {'exact':>6} {'share':>7} "
          f"{'wrong':>6} {'missing':>7} {'at row':>6} {'unflagged':>9}")
    for variant, tally in tallies.items():
        print(tally.row(variant))


if __name__ == "__main__":
    main()
