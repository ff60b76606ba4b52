"""The amounts the explanatory text states (收支总预算, 基本支出, 人员经费, 公用经费, 项目支出,
“三公”经费) against the tables that print the same figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pipeline.outcome import CheckTallies, fmt_amount, fmt_diff, tolerance
from pipeline.quality.printed_copies import describe_copy
from pipeline.table.rows import DocumentFacts, LogicalTable, TableRow
from pipeline.table.sections import Amount, grand_amount, row_amount, sum_amounts
from pipeline.text import FIGURE_IN_TEXT
from pipeline.vocabulary import THREE_PUBLIC_ITEMS


def _three_public_amount(table: LogicalTable, item: str) -> Amount | None:
    """The table's figure for a 三公 category: the first row naming it (the 合计 row comes first)."""
    rows = [r for r in table.rows if r.line_item == item and r.amounts]
    rows.sort(key=lambda r: (r.row_role != "total", r.order))
    if rows:
        r = rows[0]
        return row_amount(r, "total") or Amount(next(iter(r.amounts.values())), 1, (r,))
    if item == "vehicle_total":
        parts = [_three_public_amount(table, c) for c in ("vehicle_purchase", "vehicle_operation")]
        if all(p is not None for p in parts):
            return sum_amounts([p for p in parts if p is not None])
    return None


# The tables that print a subject's figure for a measure the text may state of it.
_SUBJECT_SOURCES = ("general_budget_expenditure", "expenditure_summary")
_SUBJECT_MEASURES = ("basic", "personnel", "public_operating", "project")


def _subject_sources(doc: DocumentFacts, statement: TableRow) -> list[tuple[LogicalTable, Amount]]:
    """A statement about one subject ('“农林水支出”科目…项目支出20万元') against that subject's row of
    each table that prints the measure: the one row of the code, or nothing to compare with."""
    measure = statement.line_item if statement.line_item in _SUBJECT_MEASURES else None
    found: list[tuple[LogicalTable, Amount]] = []
    for table in doc.tables_of(*_SUBJECT_SOURCES) if measure else ():
        rows = [r for r in table.rows if r.subject_code == statement.subject_code]
        amounts = [a for a in (row_amount(r, measure) for r in rows) if a is not None]
        if len(amounts) == 1:
            found.append((table, amounts[0]))
    return found




def _stated_tolerance(statement: TableRow, value: Decimal) -> Decimal:
    """Half the last printed digit of the figure as the sentence prints it: '项目支出20万元' is any amount
    from 19.5 to 20.5 万元 (the text rounds to whole 万元 where the tables print yuan)."""
    if not statement.unit_multiplier:
        return Decimal(0)
    printed = value / statement.unit_multiplier
    for figure in FIGURE_IN_TEXT.findall(statement.source_row or ""):
        number = Decimal(figure.replace(",", ""))
        if number == printed:
            return Decimal(1).scaleb(number.as_tuple().exponent) / 2 * statement.unit_multiplier
    return Decimal(0)


def _narrative_sources(
    doc: DocumentFacts, item: str, single_scope: bool, parents: dict
) -> list[tuple[LogicalTable, Amount]]:
    found: list[tuple[LogicalTable, Amount]] = []

    def add(tables: Sequence[LogicalTable], measure: str, prefer: str = "合计") -> None:
        for t in tables:
            a = grand_amount(t, measure, prefer=prefer, parents=parents)
            if a is not None:
                found.append((t, a))

    if item == "fiscal_grant_total":
        add(doc.tables_of("fiscal_grant_summary"), "total", prefer="总计")
        add(doc.tables_of("fiscal_grant_summary", source="fact_income"), "total", prefer="总计")
    elif item == "income_expenditure_total":
        add(doc.tables_of("expenditure_summary"), "total")
        add(doc.tables_of("income_expenditure_summary"), "total", prefer="总计")
        add(doc.tables_of("income_expenditure_summary", source="fact_income"), "total", prefer="总计")
    elif item in ("basic", "personnel", "public_operating"):
        add(doc.tables_of("general_budget_basic_expenditure"), "total" if item == "basic" else item)
        add(doc.tables_of("general_budget_expenditure"), item)
        add(doc.tables_of("expenditure_summary"), item)
    elif item == "project":
        add(doc.tables_of("general_budget_expenditure"), "project")
        add(doc.tables_of("expenditure_summary"), "project")
        add(doc.tables_of("project_expenditure"), "total")
    elif item in THREE_PUBLIC_ITEMS:
        for t in doc.tables_of("three_public"):
            a = _three_public_amount(t, item)
            if a is not None:
                found.append((t, a))
    return found


def check_narrative(doc: DocumentFacts, tallies: CheckTallies, single_scope: bool, parents: dict) -> None:
    """One outcome per statement of the text: it agrees with every table that prints the figure
    (with funds besides the general budget, with at least one: the text may mean either)."""
    tally = tallies["narrative_matches_tables"]
    for nr in doc.narrative:
        if not nr.amounts:
            continue
        value = nr.amounts.get("total", next(iter(nr.amounts.values())))
        if nr.subject_code:
            sources = _subject_sources(doc, nr)
        else:
            sources = _narrative_sources(doc, nr.line_item or "", single_scope, parents)
        if not sources:
            continue
        mismatches = []
        for t, a in sources:
            tol = max(tolerance(max(nr.unit_multiplier, t.unit_multiplier), a.n), _stated_tolerance(nr, value))
            if abs(value - a.value) > tol:
                mismatches.append((t, a, tol))
        if not mismatches or (not single_scope and len(mismatches) < len(sources)):
            tally.passed()
            continue
        mult = max(nr.unit_multiplier, max(t.unit_multiplier for t, _ in sources))
        largest = max(abs(value - a.value) for _, a, _ in mismatches)
        tally.failed(
            observed=f"text states {nr.line_item} = {fmt_amount(value, mult)}",
            expected="; ".join(f"= {describe_copy(t, a.rows[0], a)}" for t, a, _ in mismatches),
            details=nr.where(
                disagrees_with=", ".join(t.label() for t, _, _ in mismatches),
                agrees_with=", ".join(t.label() for t, a in sources if all(a is not m[1] for m in mismatches))
                or None,
                diff=fmt_diff(largest, max(tol for _, _, tol in mismatches)),
            ),
            at=nr.place(),
        )
