"""A disclosure table while the PDF assembler reads it: a title waiting for its grid, and a table
whose rows are collected over one or more grids until it is finished into an :class:`ExtractedTable`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.extract.layout import split_header
from pipeline.extract.pdf.grids import Fragment
from pipeline.extract.pdf.lines import TextLine
from pipeline.extract.pdf.rows import Row
from pipeline.model import ExtractedTable
from pipeline.text import FIGURE, squash


@dataclass
class PendingTitle:
    """A title waiting for its grid."""

    title: str
    page: int
    unit: str | None = None
    context: list[str] = field(default_factory=list)


@dataclass
class OpenTable:
    """A table being read: its rows so far, the page of each, and how it may go on."""

    title: str
    page: int
    unit: str | None
    context: list[str]
    rows: list[Row]
    pages: list[int]
    last: Fragment
    meta_rows: list[Row] = field(default_factory=list)  # title/context rows taken off its grid
    notes: list[str] = field(default_factory=list)
    continues: bool = True  # nothing but furniture since its last grid
    takes_notes: bool = True
    last_note: tuple[int, TextLine] | None = None  # (page, line) of the latest note line
    notes_at_grid: int = 0  # notes taken before the latest grid
    after_grid: list[TextLine] = field(default_factory=list)  # every line since the latest grid

    def header_rows(self) -> list[Row]:
        return split_header(pad_rows(self.rows))[0]

    def add_rows(self, rows: list[Row], page: int, fragment: Fragment) -> None:
        self.rows.extend(rows)
        self.pages.extend([page] * len(rows))
        self.last = fragment
        self.continues = self.takes_notes = True
        self.last_note = None
        self.notes_at_grid = len(self.notes)
        self.after_grid = []

    def finish(self, index: int) -> ExtractedTable:
        rows = pad_rows(self.rows)
        header, body = split_header(rows)
        header, body = _numbering_tail(header, body)
        return ExtractedTable(
            index=index,
            title=self.title,
            unit_label=self.unit,
            header_rows=header,
            body_rows=body,
            row_pages=list(self.pages[len(header) :]),
            page=self.page,
            context_lines=self.context,
            notes=self.notes,
        )


def pad_rows(rows: list[Row]) -> list[Row]:
    """Copies of the rows, all as wide as the widest: the header split and the table want one width."""
    width = max((len(r) for r in rows), default=0)
    return [list(r) + [""] * (width - len(r)) for r in rows]


def _numbering_tail(header: list[Row], body: list[Row]) -> tuple[list[Row], list[Row]]:
    """A column-number row with a single number ('1' under one amount column) ends the header.

    The shared rule wants two numbered cells; a text version often pads such a row with '**'
    placeholders a PDF does not print.
    """
    if header and body:
        cells = [squash(c) for c in body[0] if squash(c)]
        if cells == ["1"]:
            return header + body[:1], body[1:]
    return header, body


def join_repeated_titles(tables: list[ExtractedTable]) -> list[ExtractedTable]:
    """A table printed on, under its title and header repeated, on the page after another's last row is
    that table going on: its rows are appended (the heading rows it repeats at its top dropped) and the
    tables renumbered. A table of another title or header, or on a later page, stays its own."""
    out: list[ExtractedTable] = []
    for table in tables:
        prev = out[-1] if out else None
        if prev is not None and _continues(prev, table):
            repeated = 0
            while (repeated < min(len(table.body_rows), len(prev.body_rows))
                   and table.body_rows[repeated] == prev.body_rows[repeated]
                   and not any(FIGURE.match(squash(c)) for c in table.body_rows[repeated])):
                repeated += 1
            prev.body_rows.extend(table.body_rows[repeated:])
            prev.row_pages.extend(table.row_pages[repeated:])
            prev.notes.extend(table.notes)
            continue
        out.append(table)
    for index, table in enumerate(out):
        table.index = index
    return out


def _continues(prev: ExtractedTable, table: ExtractedTable) -> bool:
    last_page = next((p for p in reversed(prev.row_pages) if p is not None), prev.page)
    same_header = [[squash(c) for c in r] for r in prev.header_rows] == [[squash(c) for c in r] for r in table.header_rows]
    return (
        bool(prev.title) and squash(prev.title) == squash(table.title) and same_header
        and last_page is not None and table.page == last_page + 1
    )
