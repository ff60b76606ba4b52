"""A function subject of a unit carries the same amount in every table that prints it.

Where a scan damaged one copy the copies disagree (行政运行 printed 1,348.91 in one table and
1,346.91 in two others): the amount most copies print is expected and the others are reported,
never averaged; with no majority every copy is reported.
"""

from __future__ import annotations

from collections import Counter

from pipeline.outcome import CheckTallies, CheckTally, fmt_amount, fmt_diff, tolerance
from pipeline.quality.printed_copies import FUND_SCOPE, describe_copy, fund_scope
from pipeline.table.rows import DocumentFacts, LogicalTable, TableRow
from pipeline.table.sections import Amount, row_amount, table_layout

COMPARED_MEASURES = ("total", "basic", "project")

# one printed copy of a subject's amount: the table, the row and the amount
Copy = tuple[LogicalTable, TableRow, Amount]


def _unit_scopes(table: LogicalTable, parents: dict, single_unit: bool) -> dict[int, tuple]:
    """Row → whose money it counts: a unit's section (that unit only) or the whole department
    (rows of a table printed without unit sections). In a one-unit document both are the same."""
    scopes: dict[int, tuple] = {}
    for sec in table_layout(table, parents).sections:
        for r in sec.members:
            if single_unit:
                scopes[id(r)] = ("unit", r.unit_id)
            elif sec.header is not None:
                scopes[id(r)] = ("unit", sec.header.unit_id)
            else:
                scopes[id(r)] = ("department", None)
    return scopes


def _subject_copies(doc: DocumentFacts, single_scope: bool, parents: dict) -> dict[tuple, list[Copy]]:
    """(fund scope, unit scope, code, measure) → every copy of that amount in the expenditure tables."""
    units = {r.unit_id for t in doc.expenditure_tables for r in t.rows}
    single_unit = len(units) <= 1
    entries: dict[tuple, list[Copy]] = {}
    for t in doc.expenditure_tables:
        if t.table_kind not in FUND_SCOPE:
            continue
        unit_scopes = _unit_scopes(t, parents, single_unit)
        for r in t.rows:
            if r.row_role != "subject" or r.classification is None or id(r) not in unit_scopes:
                continue
            if r.classification == "economic":
                if t.table_kind != "general_budget_basic_expenditure":
                    continue  # economic rows of summary tables cover all spending, not basic only
                scope = "basic_expenditure"
            else:
                scope = fund_scope(t, single_scope)
            for m in COMPARED_MEASURES:
                a = row_amount(r, m)
                if a is not None:
                    entries.setdefault((scope, unit_scopes[id(r)], r.subject_code, m), []).append((t, r, a))
    return entries


def check_subject_amounts(doc: DocumentFacts, tallies: CheckTallies, single_scope: bool, parents: dict) -> None:
    for (_scope_key, _unit, code, measure), found in _subject_copies(doc, single_scope, parents).items():
        tables = {id(t) for t, _, _ in found}
        if len(tables) < 2:
            continue
        _judge_copies(tallies["subject_amount_consistent"], code, measure, found)


def _judge_copies(tally: CheckTally, code: str | None, measure: str, found: list[Copy]) -> None:
    """Pass when the copies agree within their tolerance, else report the outliers."""
    mult = max(t.unit_multiplier for t, _, _ in found)
    tol = tolerance(mult, max(a.n for _, _, a in found))
    values = [a.value for _, _, a in found]
    if max(values) - min(values) <= tol:
        tally.passed()
        return
    # The value most copies print is the expected one and the others are the outliers;
    # with no majority every copy is reported.
    counts = Counter(values)
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        r0 = found[0][1]
        tally.failed(
            observed="; ".join(describe_copy(t, r, a) for t, r, a in found),
            expected=f"one amount for {code} in every table (no majority among {len(found)} copies)",
            details=r0.where(
                conflict=f"{len(found)} copies, {len(counts)} different amounts",
                other_tables=", ".join(t.label() for t, _, _ in found[1:]),
                diff=fmt_diff(max(values) - min(values), tol),
            ),
            at=r0.place(measure),
        )
        return
    expected_value = ranked[0][0]
    outliers = [(t, r, a) for t, r, a in found if abs(a.value - expected_value) > tol]
    agreeing = [(t, r, a) for t, r, a in found if abs(a.value - expected_value) <= tol]
    _, r0, a0 = outliers[0]
    tally.failed(
        observed="; ".join(describe_copy(t, r, a) for t, r, a in outliers),
        expected=f"{fmt_amount(expected_value, mult)} as in "
        + "; ".join(describe_copy(t, r, a) for t, r, a in agreeing),
        details=r0.where(
            conflict=f"{len(outliers)} of {len(found)} copies differ",
            diff=fmt_diff(abs(a0.value - expected_value), tol),
        ),
        at=r0.place(measure),
    )
