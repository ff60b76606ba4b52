"""How fast is PDF extraction? read_pdf next to a bare pdfplumber table dump, same files, same run.

    .venv/bin/python benchmarks/extract_speed.py [--repeat 3] [--no-generated] [FILE.pdf ...]

Files: the corpus PDFs (tests/fixtures/pdf) plus PDFs generated with tests/pdfgen.py in a temporary
folder (ruled, borderless, two-page, landscape, and a scanned page with an OCR text layer, which
takes camelot's render-and-OpenCV path). Each file is timed ``--repeat`` times and the fastest run
is kept (less noise from the machine); one untimed read first pays the import costs.

The pdfplumber column is the baseline: ``page.extract_tables()`` on every page, nothing else (no
titles, units, page joins or cell clean-up), so the ratio is an upper bound of what the extra work
of read_pdf costs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from pipeline.extract.pdf.reader import read_pdf  # noqa: E402
from pipeline.model import RawDocument  # noqa: E402
from tests import pdfgen  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "pdf"
KEQIAO_TEXT = ROOT / "tests" / "fixtures" / "text" / "keqiao-npc-office-2023.txt"


@dataclass
class Timing:
    name: str
    pages: int
    reader_s: float
    reader_tables: int
    plumber_s: float
    plumber_tables: int

    @property
    def ratio(self) -> float:
        return self.reader_s / self.plumber_s if self.plumber_s else float("nan")


def raw_document(path: Path) -> RawDocument:
    return RawDocument(path=path, document_id="", file_name=path.name, file_format="pdf", size_bytes=0)


def best_of(repeat: int, run: Callable[[], int]) -> tuple[float, int]:
    """Fastest wall time of ``repeat`` runs, and what the run returned."""
    best, result = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def read_with_reader(path: Path) -> int:
    return len(read_pdf(raw_document(path)).tables)


def dump_with_pdfplumber(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_tables()) for page in pdf.pages)


def page_count(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def generate(folder: Path) -> list[Path]:
    """The generated layouts the tests use, two tables from the keqiao 2023 text fixture."""
    specs = [
        pdfgen.fixture_table(KEQIAO_TEXT, "支出预算总表"),
        pdfgen.fixture_table(KEQIAO_TEXT, "三公”经费支出表"),
    ]
    made = [
        pdfgen.build_tables_pdf(folder / "gen-ruled.pdf", specs, layout="ruled"),
        pdfgen.build_tables_pdf(folder / "gen-borderless.pdf", specs, layout="borderless"),
        pdfgen.build_tables_pdf(
            folder / "gen-ruled-two-pages.pdf", specs[:1], layout="ruled", break_after=5
        ),
        pdfgen.build_tables_pdf(
            folder / "gen-borderless-landscape.pdf", specs, layout="borderless", landscape_pages=True
        ),
        pdfgen.build_ocr_scan_pdf(folder / "gen-ocr-scan.pdf", specs),
    ]
    return [Path(p) for p in made]


def measure(paths: list[Path], repeat: int) -> list[Timing]:
    read_with_reader(paths[0])  # imports and first-call costs stay out of the numbers
    dump_with_pdfplumber(paths[0])
    timings = []
    for path in paths:
        reader_s, reader_tables = best_of(repeat, lambda p=path: read_with_reader(p))
        plumber_s, plumber_tables = best_of(repeat, lambda p=path: dump_with_pdfplumber(p))
        timings.append(
            Timing(path.name, page_count(path), reader_s, reader_tables, plumber_s, plumber_tables)
        )
    return timings


def print_table(timings: list[Timing]) -> None:
    header = (
        f"{'file':<42} {'pages':>5} │ {'read_pdf s':>10} {'ms/page':>8} {'tables':>6} │ "
        f"{'pdfplumber s':>12} {'ms/page':>8} {'tables':>6} │ {'ratio':>5}"
    )
    print(header)
    print("─" * len(header))
    for t in timings:
        print(
            f"{t.name:<42} {t.pages:>5} │ {t.reader_s:>10.3f} {1000 * t.reader_s / t.pages:>8.1f} "
            f"{t.reader_tables:>6} │ {t.plumber_s:>12.3f} {1000 * t.plumber_s / t.pages:>8.1f} "
            f"{t.plumber_tables:>6} │ {t.ratio:>5.2f}"
        )
    pages = sum(t.pages for t in timings)
    reader = sum(t.reader_s for t in timings)
    plumber = sum(t.plumber_s for t in timings)
    print("─" * len(header))
    print(
        f"{'total':<42} {pages:>5} │ {reader:>10.3f} {1000 * reader / pages:>8.1f} "
        f"{sum(t.reader_tables for t in timings):>6} │ {plumber:>12.3f} {1000 * plumber / pages:>8.1f} "
        f"{sum(t.plumber_tables for t in timings):>6} │ {reader / plumber:>5.2f}"
    )
    print("\nratio = read_pdf time / pdfplumber time (below 1: read_pdf is faster).")
    print("read_pdf tables are disclosure tables (a table over three pages counts once);")
    print("pdfplumber counts one table per page fragment and does not join or name them.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, help="PDFs to time (default: corpus + generated)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per file, the fastest is kept")
    parser.add_argument("--no-generated", action="store_true", help="skip the generated PDFs")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="extract-speed-") as tmp:
        paths = list(args.files) or sorted(CORPUS.glob("*.pdf"))
        if not args.files and not args.no_generated:
            paths += generate(Path(tmp))
        print(f"{len(paths)} files, best of {args.repeat} runs each\n")
        print_table(measure(paths, args.repeat))
    print("\nThe whole ingest beside the same dump: benchmarks/ingest_speed.py.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
