"""Put each finding next to the printed row it concerns.

dq_check_result.details says where, in the forms the checks write (see pipeline/quality):

- ``table: <title> (<kind>, table #<i>); row: <label> (row #<r>, <role>); measure: …; fact_id: …``
  (identities, consistency, references; the GE suites join up to three such places with `` | ``);
- ``table: explanatory text (narrative); row: <item> (statement #<r>)``;
- ``table <title> row <n> page <p>: …`` or ``table <title> page <p>: …`` (the reader's notes; n is
  1-based), ``table <title> page <p>: row <label> (row #<r>), column …`` (an amount OCR could not read).

A finding whose place names no row of a loaded table (a table that loaded nothing, a whole-document
check) stays with the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from budget_cli.findings import Finding as ReportFinding

_PLACE_SPLIT = re.compile(r" \| (?=(?:table|frame): )")
_PIECE_SPLIT = re.compile(r"; (?=[a-z_]+: )")
_TABLE = re.compile(r"^(?P<title>.*) \((?P<kind>\w+), table #(?P<idx>[-\d,]+|None)\)$")
_ROW = re.compile(r"^(?P<label>.*) \((?:row|statement) #(?P<idx>-?\d+)(?:, \w+)?\)$")
_NOTE = re.compile(r"^table (?P<title>.*?)(?: row (?P<row>\d+))? page (?P<page>\S+?)(?::|$)")
_NOTE_ROW = re.compile(r"\(row #(\d+)\)")
_MEASURE = re.compile(r"measure: [^;|]*(?:; )?")
NARRATIVE_TABLE = -1  # the table_index the normaliser gives statements of the explanatory text

RowKey = tuple[int, int]  # (table_index, row_index)


@dataclass
class Place:
    table_indexes: tuple[int, ...] = ()
    table_title: str | None = None
    row_index: int | None = None
    row_label: str | None = None
    printed_code: str | None = None
    measure: str | None = None
    fact_id: str | None = None


@dataclass
class Finding(ReportFinding):
    """The report's finding, with the cells of the page it concerns."""

    # (row label, measure) of each place: the cells to highlight (None matches any)
    cells: list[tuple[str | None, str | None]] = field(default_factory=list)

    def concerns(self, line_item: str | None, measure: str | None) -> bool:
        # A statement of the explanatory text names its figure by line item (basic, project, …).
        return any((lab is None or lab == line_item) and m in (None, measure, line_item) for lab, m in self.cells)


def _pieces(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for piece in _PIECE_SPLIT.split(text):
        key, sep, value = piece.partition(": ")
        if sep and key not in out:
            out[key] = value
    return out


def _table_place(value: str, place: Place) -> None:
    if value == "explanatory text (narrative)":
        place.table_indexes = (NARRATIVE_TABLE,)
    elif m := _TABLE.match(value):
        place.table_title = m["title"]
        place.table_indexes = tuple(int(i) for i in m["idx"].split(",") if i.lstrip("-").isdigit())
    else:
        place.table_title = value


def parse_places(details: str | None) -> list[Place]:
    """Every place a finding's details name (none when they name no table)."""
    if not details:
        return []
    if m := _NOTE.match(details):
        row = _NOTE_ROW.search(details, m.end())  # an OCR note names the row after the page
        index = int(m["row"]) - 1 if m["row"] else (int(row[1]) if row else None)
        return [Place(table_title=m["title"], row_index=index)]
    places = []
    for text in _PLACE_SPLIT.split(details):
        pieces = _pieces(text)
        if "table" not in pieces:
            continue
        place = Place(measure=pieces.get("measure"), fact_id=pieces.get("fact_id"),
                      printed_code=pieces.get("printed_code"))
        _table_place(pieces["table"], place)
        if "row" in pieces:
            row = _ROW.match(pieces["row"])
            place.row_label = row["label"] if row else pieces["row"]
            place.row_index = int(row["idx"]) if row else None
        places.append(place)
    return places


class RowIndex:
    """The rows a document's facts fill, to resolve places against."""

    def __init__(self, facts: Iterable[dict]) -> None:
        self.by_fact: dict[str, RowKey] = {}
        self.rows: dict[RowKey, list[dict]] = {}
        self.titles: dict[str, int] = {}
        for f in facts:
            key = (f["table_index"], f["row_index"])
            self.by_fact[f["fact_id"]] = key
            self.rows.setdefault(key, []).append(f)
            if f["table_title"]:
                self.titles.setdefault(f["table_title"], f["table_index"])

    def _by_label(self, tables: tuple[int, ...], place: Place) -> RowKey | None:
        for (t, r), facts in self.rows.items():
            if t in tables and any(f["line_item"] == place.row_label and (
                    place.printed_code is None or f["printed_code"] == place.printed_code) for f in facts):
                return (t, r)
        return None

    def resolve(self, place: Place) -> RowKey | int | None:
        """The row (table_index, row_index), else the table (table_index), else None."""
        if place.fact_id and place.fact_id in self.by_fact:
            return self.by_fact[place.fact_id]
        tables = place.table_indexes or (
            (self.titles[place.table_title],) if place.table_title in self.titles else ())
        if place.row_index is not None:
            for t in tables:
                if (t, place.row_index) in self.rows:
                    return (t, place.row_index)
        if place.row_label and (key := self._by_label(tables, place)):
            return key
        known = [t for t in tables if any(k[0] == t for k in self.rows)]
        return known[0] if known else None


@dataclass
class Placed:
    """Findings by row, by table, and those left to the document."""

    by_row: dict[RowKey, list[Finding]] = field(default_factory=dict)
    by_table: dict[int, list[Finding]] = field(default_factory=dict)
    document: list[Finding] = field(default_factory=list)


def _key(rec: dict) -> tuple:
    return (rec["check_name"], rec["observed"], rec["expected"], _MEASURE.sub("", rec["details"] or ""))


def _add(bucket: list[Finding], rec: dict, place: Place | None) -> None:
    """A check that fails alike for several measures of one row is listed once, with its measures."""
    measure = place.measure if place else None
    cell = (place.row_label, place.measure) if place else None
    for f in bucket:
        if _key(f.__dict__) == _key(rec):
            if measure and measure not in f.measures:
                f.measures.append(measure)
            if cell and cell not in f.cells:
                f.cells.append(cell)
            return
    bucket.append(Finding(rec["check_name"], rec["severity"], rec["observed"], rec["expected"], rec["details"],
                          [measure] if measure else [], [cell] if cell else []))


def place_findings(findings: Iterable[dict], facts: Iterable[dict]) -> Placed:
    """Each finding at every row (or table) its details name; the rest at the document."""
    index = RowIndex(facts)
    placed = Placed()
    for rec in findings:
        targets = [(index.resolve(p), p) for p in parse_places(rec["details"])]
        targets = [(t, p) for t, p in targets if t is not None]
        if not targets:
            _add(placed.document, rec, None)
        for target, place in targets:
            if isinstance(target, tuple):
                _add(placed.by_row.setdefault(target, []), rec, place)
            else:
                _add(placed.by_table.setdefault(target, []), rec, place)
    return placed
