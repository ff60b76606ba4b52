"""The comparison every identity check makes: a printed figure against the sum of the printed
figures it stands for, with the tolerance of its rounded addends (see :mod:`pipeline.table.identities`).
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.outcome import CheckTally, fmt_amount, fmt_diff, tolerance
from pipeline.table.rows import TableRow
from pipeline.table.sections import Amount, describe_rows, row_amount, sum_amounts


def compare_sum(
    tally: CheckTally,
    stated: Amount,
    parts: Sequence[Amount],
    unit_multiplier: int,
    *,
    stated_what: str,
    parts_what: str,
    row: TableRow,
    measure: str,
    context: dict[str, object] | None = None,
    addends: str | None = None,
) -> None:
    """Pass or fail one identity ``stated = Σ parts`` with the tolerance for Σ n addends; a failure is
    placed at ``row``'s cell of ``measure`` (the stated figure).

    ``context`` adds pieces to the row's details; ``addends`` describes the parts (default: the rows
    they come from)."""
    total = sum_amounts(parts)
    n = max(total.n, 1)
    tol = tolerance(unit_multiplier, n)
    diff = abs(stated.value - total.value)
    if diff <= tol:
        tally.passed()
        return
    derived = f" (derived: {stated.derived})" if stated.derived else ""
    tally.failed(
        observed=f"Σ {parts_what} = {fmt_amount(total.value, unit_multiplier)}",
        expected=(
            f"= {stated_what} {fmt_amount(stated.value, unit_multiplier)}{derived} "
            f"within {tolerance(unit_multiplier, n)} yuan ({n} rounded addends)"
        ),
        details=f"{row.where(**(context or {}))}; addends: {addends or describe_rows(total.rows)}; "
                f"{fmt_diff(diff, tol)}",
        at=row.place(measure),
    )

def present_amounts(rows: Sequence[TableRow], measure: str) -> list[Amount]:
    """The printed amounts of ``measure`` in ``rows``; a blank cell is missing, never derived."""
    out = []
    for r in rows:
        a = row_amount(r, measure, derive=False)
        if a is not None:
            out.append(a)
    return out


def compare_each_measure(
    tally: CheckTally,
    head: TableRow,
    rows: Sequence[TableRow],
    unit_multiplier: int,
    *,
    stated_what: str,
    parts_what: str,
) -> None:
    """``head``'s figure = Σ the printed figures of ``rows``, for each measure ``head`` prints
    (a measure none of ``rows`` prints is not checked)."""
    for measure, value in head.amounts.items():
        parts = present_amounts(rows, measure)
        if parts:
            compare_sum(
                tally,
                Amount(value, 1, (head,)),
                parts,
                unit_multiplier,
                stated_what=stated_what,
                parts_what=parts_what,
                row=head,
                measure=measure,
            )
