"""A table cut into unit sections, and the amounts read from its rows, sections and totals.

:class:`Amount` counts the rounded printed figures it holds, so a comparison knows its tolerance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.table.rows import LogicalTable, TableRow
from pipeline.text import squash


@dataclass
class Section:
    """Rows under one unit heading (``header`` None: rows before any heading)."""

    header: TableRow | None
    members: list[TableRow] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)  # for a unit group: its sections
    is_group: bool = False


@dataclass
class TableLayout:
    """Total rows, unit groups (a department printed above its 本级 and subordinate sections)
    and sections of a table, in print order."""

    totals: list[TableRow]
    sections: list[Section]
    groups: list[Section]


def table_layout(table: LogicalTable, parents: dict[str, str | None] | None = None) -> TableLayout:
    """Cut a table into unit sections.

    A ``unit_total`` row opens a section; ``subject``/``item`` rows belong to the open section.
    A ``unit_total`` row with no rows of its own that is directly followed by the subtotal of
    its 本级 (the same unit, or a child unit labelled 本级) is a group: its subtotal covers the
    sections that follow it up to the next group (区X办 1000.00 = 本级 900.00 + a
    subordinate centre 100.00). A unit subtotal with no rows followed by another unit is an empty section.
    """
    parents = parents or {}
    totals: list[TableRow] = []
    sections: list[Section] = [Section(header=None)]
    for row in table.rows:
        if row.row_role == "total":
            totals.append(row)
        elif row.row_role == "unit_total":
            sections.append(Section(header=row))
        else:
            sections[-1].members.append(row)
    if sections[0].header is None and not sections[0].members:
        sections.pop(0)
    groups: list[Section] = []
    current_group: Section | None = None
    plain: list[Section] = []
    for i, sec in enumerate(sections):
        nxt = sections[i + 1] if i + 1 < len(sections) else None
        if (
            sec.header is not None
            and not sec.members
            and nxt is not None
            and nxt.header is not None
            and sec.header.unit_id is not None
            and (
                nxt.header.unit_id == sec.header.unit_id
                or (
                    parents.get(nxt.header.unit_id or "") == sec.header.unit_id
                    and "本级" in squash(nxt.header.line_item)
                )
            )
        ):
            sec.is_group = True
            groups.append(sec)
            current_group = sec
            continue
        plain.append(sec)
        if current_group is not None and sec.header is not None:
            current_group.children.append(sec)
    return TableLayout(totals=totals, sections=plain, groups=groups)


# --------------------------------------------------------------------------- amounts


@dataclass(frozen=True)
class Amount:
    """An amount read or derived from printed figures; ``n`` counts the rounded figures."""

    value: Decimal
    n: int
    rows: tuple[TableRow, ...]
    derived: str | None = None  # how it was derived, e.g. 'personnel + public_operating'


def row_amount(row: TableRow, measure: str, derive: bool = True) -> Amount | None:
    """A row's amount for ``measure``; basic derived as personnel + public_operating when the
    基本支出 cell is not printed as such (tables that only print its two parts)."""
    if measure in row.amounts:
        return Amount(row.amounts[measure], 1, (row,))
    if derive and measure == "basic" and "personnel" in row.amounts and "public_operating" in row.amounts:
        return Amount(
            row.amounts["personnel"] + row.amounts["public_operating"],
            2,
            (row,),
            derived="personnel + public_operating",
        )
    return None


def _sum(amounts: Sequence[Amount]) -> Amount:
    return Amount(
        sum((a.value for a in amounts), Decimal(0)),
        sum(a.n for a in amounts),
        tuple(r for a in amounts for r in a.rows),
        derived=next((a.derived for a in amounts if a.derived), None),
    )


def preferred_totals(totals: Sequence[TableRow], prefer: str = "合计") -> list[TableRow]:
    """Total rows to use: with ``prefer='合计'`` the 本年…合计 / 合计 rows when a table also prints
    a 总计 (which may add carry-overs); with ``prefer='总计'`` the 总计 rows."""
    if prefer == "总计":
        chosen = [r for r in totals if "总计" in squash(r.line_item)]
    else:
        chosen = [r for r in totals if "总计" not in squash(r.line_item)]
    return chosen or list(totals)


def grand_amount(
    table: LogicalTable,
    measure: str,
    prefer: str = "合计",
    parents: dict[str, str | None] | None = None,
    layout: TableLayout | None = None,
) -> Amount | None:
    """The whole table's amount for a measure: its total row, else the sum of its unit groups,
    else the sum of its unit sections' subtotals. None when the table does not print it."""
    layout = layout or table_layout(table, parents)
    for row in preferred_totals(layout.totals, prefer):
        a = row_amount(row, measure)
        if a is not None:
            return a
    for heads in ([g.header for g in layout.groups], [s.header for s in layout.sections if s.header]):
        heads = [h for h in heads if h is not None]
        if heads:
            parts = [row_amount(h, measure) for h in heads]
            if all(p is not None for p in parts):
                return _sum([p for p in parts if p is not None])
            return None
    return None


def sum_amounts(amounts: Sequence[Amount]) -> Amount:
    return _sum(amounts)


def describe_rows(rows: Sequence[TableRow], limit: int = 6) -> str:
    labels = [r.label() for r in rows[:limit]]
    more = f" … (+{len(rows) - limit})" if len(rows) > limit else ""
    return f"{len(rows)} rows: " + ", ".join(labels) + more
