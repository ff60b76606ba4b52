"""Put each finding next to the printed row it concerns.

dq_check_result places a finding (``table_index``, ``row_index``, ``measure``, as the fact tables number
them): at that row when the row loaded, else beside its table when the table loaded anything, else
with the document (a table that loaded nothing, a whole-document check). ``details`` says the same in
words, with the other rows a finding names (the addends of a sum, a sample of rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from budget_cli.findings import Finding as ReportFinding

NARRATIVE_TABLE = -1  # the table_index the normaliser gives statements of the explanatory text

RowKey = tuple[int, int]  # (table_index, row_index)


@dataclass
class Finding(ReportFinding):
    """The report's finding, as the page shows it beside a row."""

    def concerns(self, measure: str | None) -> bool:
        """Whether the finding is about this row's cell of ``measure`` (a finding of no measure: every cell)."""
        return not self.measures or measure in self.measures


@dataclass
class Placed:
    """Findings by row, by table, and those left to the document."""

    by_row: dict[RowKey, list[Finding]] = field(default_factory=dict)
    by_table: dict[int, list[Finding]] = field(default_factory=dict)
    document: list[Finding] = field(default_factory=list)


def _add(bucket: list[Finding], rec: dict) -> None:
    """A check that fails alike for several measures of one row is listed once, with its measures."""
    key = (rec["check_name"], rec["severity"], rec["observed"], rec["expected"], rec["details"])
    for f in bucket:
        if (f.check_name, f.severity, f.observed, f.expected, f.details) == key:
            if rec["measure"] and rec["measure"] not in f.measures:
                f.measures.append(rec["measure"])
            return
    bucket.append(Finding(*key, [rec["measure"]] if rec["measure"] else []))


def place_findings(findings: Iterable[dict], facts: Iterable[dict]) -> Placed:
    """Each finding at the row (or table) it names; the rest at the document."""
    rows: set[RowKey] = set()
    for f in facts:
        rows.add((NARRATIVE_TABLE if f["table_index"] is None else f["table_index"], f["row_index"]))
    placed = Placed()
    for rec in findings:
        table, row = rec["table_index"], rec["row_index"]
        if table is not None and (table, row) in rows:
            _add(placed.by_row.setdefault((table, row), []), rec)
        elif table is not None:
            _add(placed.by_table.setdefault(table, []), rec)
        else:
            _add(placed.document, rec)
    return placed
