"""Read a PDF back the way the ingest does, without Dagster, and look its facts and findings up.

``read_back(path)`` runs ``read_pdf(describe(path))`` then ``normalize_document``; a file the
pipeline refuses keeps its quarantine reason instead of frames. Lookups return plain lists, and a
column the frames do not have reads as None, so a missing column fails an assertion with the
values in view rather than a KeyError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pipeline.ingest import describe
from pipeline.model import QuarantineError
from pipeline.normalize.build import DocumentFrames, normalize_document

FACT_TABLES = ("fact_expenditure", "fact_income")
DOCUMENT_FRAMES = ("dim_document", "dim_unit", "dim_unit_alias", "fact_expenditure", "fact_income",
                   "fact_performance_indicator")


@dataclass
class ReadBack:
    path: Path
    frames: DocumentFrames | None
    quarantine: str | None = None
    _findings: list[dict] | None = field(default=None, repr=False)

    def facts(self, table: str | None = None) -> list[dict]:
        """Every fact row (fact_expenditure and fact_income), each tagged with ``fact_table``."""
        assert self.frames is not None, f"{self.path.name} was quarantined: {self.quarantine}"
        rows = []
        for name in FACT_TABLES if table is None else (table,):
            rows += [r | {"fact_table": name} for r in self.frames.table(name).iter_rows(named=True)]
        return rows

    def where(self, table: str | None = None, **where) -> list[dict]:
        return [f for f in self.facts(table) if all(f.get(k) == v for k, v in where.items())]

    def amounts(self, table: str | None = None, **where) -> list[Decimal]:
        return [f["amount_yuan"] for f in self.where(table, **where)]

    def document(self) -> dict:
        assert self.frames is not None, f"{self.path.name} was quarantined: {self.quarantine}"
        return self.frames.dim_document.row(0, named=True)

    def department_name(self) -> str | None:
        dept = self.document()["department_unit_id"]
        names = [r["unit_name"] for r in self.frames.dim_unit.iter_rows(named=True) if r["unit_id"] == dept]
        return names[0] if names else None

    def findings(self) -> list[dict]:
        """Every failed check of the document: the reader's own notes and the quality run's failures
        (Great Expectations suites, identities, consistency, references), as the ingest stores them."""
        if self._findings is None:
            from pipeline.quality.runner import run_quality
            from pipeline.reference.classification import load_subject_codes

            assert self.frames is not None, f"{self.path.name} was quarantined: {self.quarantine}"
            frames = {t: self.frames.table(t) for t in DOCUMENT_FRAMES}
            frames |= {"dim_subject_code": load_subject_codes(), "table_inventory": self.frames.table_inventory}
            results = run_quality(frames, "read-back", suite_tables=DOCUMENT_FRAMES)
            failed = [r for r in results.iter_rows(named=True) if not r["success"]]
            self._findings = [dict(f, success=False) for f in self.frames.findings] + failed
        return self._findings


def read_back(path: Path) -> ReadBack:
    from pipeline.extract.pdf.reader import read_pdf

    try:
        return ReadBack(path, normalize_document(read_pdf(describe(path))))
    except QuarantineError as exc:
        return ReadBack(path, None, str(exc))


def finding_text(finding: dict) -> str:
    """The finding in one line, its measure (a column of dq_check_result) as `measure: …`."""
    measure = f"measure: {finding['measure']}" if finding.get("measure") else ""
    return " ".join(str(finding.get(k) or "") for k in ("check_name", "observed", "expected", "details")) + measure


# --- the property: a code column is never an amount -------------------------------------------------

_DIGITS = re.compile(r"^\d{2,7}$")
_CODE_THEN_NAME = re.compile(r"^(\d{3,7})\s*[\u4e00-\u9fff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def code_cells(source_row: str) -> set[int]:
    """Integer values of the codes and code parts a row prints: runs of digit cells that lead to a
    name cell (not right after a label, where a whole-number amount would stand), and a code
    printed in front of its name in one cell."""
    cells = [c.strip() for c in (source_row or "").split(" | ")]
    found: set[int] = set()
    run: list[str] = []
    for i, cell in enumerate(cells):
        if _DIGITS.match(cell):
            run.append(cell)
            continue
        start = i - len(run)
        after_label = start > 0 and _CJK.search(cells[start - 1])
        if run and _CJK.search(cell) and not after_label:
            found |= {int(c) for c in run}
        run = []
        if m := _CODE_THEN_NAME.match(cell):
            found.add(int(m.group(1)))
    return found


def facts_printing_a_code(readback: ReadBack) -> list[tuple]:
    """Facts whose amount, in the units the table printed, equals a code or code part of its row."""
    bad = []
    for f in readback.facts():
        if f.get("table_kind") == "narrative" or f.get("amount_yuan") is None:
            continue
        as_printed = f["amount_yuan"] / (f.get("unit_multiplier") or 1)
        if as_printed in code_cells(f.get("source_row") or ""):
            bad.append((f.get("table_title"), f.get("source_row"), f.get("measure"), f["amount_yuan"]))
    return bad


# The generated disclosures' two producers: reportlab draws them; LibreOffice prints them as an
# office prints its workbook (tests/office_pdfs.py), with fonts and geometry the reader was not tuned on.
PRODUCERS = ("reportlab", "libreoffice")


def library(request, folder: Path) -> GeneratedLibrary:
    """The library of the producer a fixture is parametrized with (``request.param``)."""
    import pytest

    from tests.office_pdfs import SOFFICE

    if request.param == "libreoffice" and SOFFICE is None:
        pytest.skip("LibreOffice is not installed (`make system-deps` installs it)")
    return GeneratedLibrary(folder, request.param)


class GeneratedLibrary:
    """Generated disclosures written to ``folder`` by ``producer`` ('reportlab' draws them,
    'libreoffice' prints them as a workbook) and read back once each, on first use."""

    def __init__(self, folder: Path, producer: str = "reportlab") -> None:
        self.folder, self.producer = folder, producer
        self._cache: dict[str, tuple] = {}
        self._printed: dict[str, Path] = {}

    def __call__(self, name: str) -> tuple:
        """(Generated, ReadBack) of the document ``name`` of tests.disclosure_docs.DOCUMENTS."""
        from tests.disclosure_docs import DOCUMENTS

        if name not in self._cache:
            generated = DOCUMENTS[name]()
            self._cache[name] = (generated, read_back(self._pdf(generated)))
        return self._cache[name]

    def _pdf(self, generated) -> Path:
        if self.producer == "reportlab":
            return generated.write(self.folder)
        if not self._printed:  # LibreOffice prints every document at its first start
            from tests.disclosure_docs import DOCUMENTS
            from tests.office_pdfs import build_office_pdfs

            every = [DOCUMENTS[n]() for n in DOCUMENTS]
            paths = build_office_pdfs([(self.folder / f"{g.name}.pdf", g.disclosure) for g in every])
            self._printed = {g.name: path for g, path in zip(every, paths, strict=True)}
        return self._printed[generated.name]

    def loaded(self, name: str) -> ReadBack:
        """The read-back of ``name``, which must have loaded (not been quarantined)."""
        doc = self(name)[1]
        assert doc.frames is not None, f"{name} was quarantined: {doc.quarantine}"
        return doc


def facts_of(doc: ReadBack, kind: str) -> set[tuple]:
    """Every fact of one table kind as (kind, role, code, item, measure, stage, amount)."""
    return {(f["table_kind"], f["row_role"], f["subject_code"], f["line_item"], f["measure"], f.get("stage"),
             f["amount_yuan"]) for f in doc.where(table_kind=kind)}


def errors(doc: ReadBack) -> list[str]:
    return [finding_text(f) for f in doc.findings() if f["severity"] == "error"]
