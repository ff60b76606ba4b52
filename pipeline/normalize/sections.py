"""Unit sections of a table that names units and their projects in one column, found by its sums.

A 项目支出表 may print, under its 合计, each unit's subtotal row followed by that unit's projects, all
in one name column and without codes. A name does not say which rows are units: institutions are
named by many endings (…监狱, …平台) and projects by institution-like words. The sums do: the rows
split into sections, each opened by a row whose amount is the sum of the rows under it up to the
next section, and every row belongs to one. Where the rows split that way, that split is the
reading; where they do not, the table has no unit sections to find by sum.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pipeline.normalize.grid import PlacedRow


def section_heads(rows: list[PlacedRow], column: int, is_total: Callable[[str], bool]) -> set[int] | None:
    """Body indexes of the rows that open a section, or None when the rows between the table's
    totals do not split into sections that add up (amounts in ``column``)."""
    heads: set[int] = set()
    run: list[PlacedRow] = []
    for row in [*rows, None]:
        if row is not None and column in row.amounts and not is_total(row.label):
            run.append(row)
            continue
        if row is not None and column not in row.amounts and not is_total(row.label):
            continue  # a row of text only (a wrapped name, a note) belongs to its neighbours
        if run:
            found = _split(run, column)
            if found is None:
                return None
            heads |= found
            run = []
    return heads or None


def _split(run: list[PlacedRow], column: int) -> set[int] | None:
    amounts = [row.amounts[column] for row in run]
    # ends[pos]: where the section opened at pos ends, when the rows from pos split into sections;
    # filled from the last row up, so each position looks only at ones already settled
    ends: list[int | None] = [None] * len(run) + [len(run)]
    for pos in range(len(run) - 1, -1, -1):
        ends[pos] = _section_end(amounts, pos, ends)
    if ends[0] is None:
        return None
    heads, pos = set(), 0
    while pos < len(run):
        heads.add(run[pos].index)
        pos = ends[pos]
    return heads


def _section_end(amounts: list[Decimal], pos: int, ends: list[int | None]) -> int | None:
    """Where the section opened at ``pos`` ends: after the rows under it have added up to its
    amount, where another section (or the run's end) begins. Of several such places (rows of 0.00
    after the sum is reached) the last: a row of nothing is an item, not a unit."""
    value = amounts[pos]
    step = Decimal(1).scaleb(value.as_tuple().exponent)  # one unit of the printed last digit
    running, found = Decimal(0), None
    for end in range(pos + 1, len(amounts) + 1):
        addends = end - pos - 1
        tolerance = step * max(addends, 1)
        if abs(running - value) <= tolerance and (addends or not value) and ends[end] is not None:
            found = end
        if end == len(amounts) or running > value + tolerance:
            break
        running += amounts[end]
    return found
