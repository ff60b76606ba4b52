"""Put each finding next to the printed row it concerns.

dq_check_result places a finding (``table_index``, ``row_index``, ``measure``, as the fact tables number
them): at that row when the row loaded, else beside its table when the table loaded anything, else
with the document (a table that loaded nothing, a whole-document check). ``details`` says the same in
words, with the other rows a finding names (the addends of a sum, a sample of rows). Findings are
merged across measures as `budget-etl report` merges them (:func:`budget_cli.findings.merge_measures`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from budget_cli.findings import Finding, merge_measures

NARRATIVE_TABLE = -1  # the table_index the normaliser gives statements of the explanatory text

RowKey = tuple[int, int]  # (table_index, row_index)
_COLUMNS = ("check_name", "severity", "observed", "expected", "details", "table_index", "row_index", "measure")


@dataclass
class Placed:
    """Findings by row, by table, and those left to the document."""

    by_row: dict[RowKey, list[Finding]] = field(default_factory=dict)
    by_table: dict[int, list[Finding]] = field(default_factory=dict)
    document: list[Finding] = field(default_factory=list)


def place_findings(findings: Iterable[dict], facts: Iterable[dict]) -> Placed:
    """Each finding at the row (or table) it names; the rest at the document."""
    rows: set[RowKey] = set()
    for f in facts:
        rows.add((NARRATIVE_TABLE if f["table_index"] is None else f["table_index"], f["row_index"]))
    placed = Placed()
    for found in merge_measures([tuple(rec[c] for c in _COLUMNS) for rec in findings]):
        table, row = found.table_index, found.row_index
        if table is not None and (table, row) in rows:
            placed.by_row.setdefault((table, row), []).append(found)
        elif table is not None:
            placed.by_table.setdefault(table, []).append(found)
        else:
            placed.document.append(found)
    return placed
