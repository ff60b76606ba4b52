"""Agreement between the tables of one document, and between its text and its tables.

A disclosure prints the same amount several times (支出总表, 一般公共预算支出表, 收支总表, the
explanatory text). Where a scan damaged one copy the copies disagree (行政运行 printed 1,348.91
in one table and 1,346.91 in two others); such conflicts are findings, never averaged.

Tables cover different funds: 一般公共预算 tables hold only general-budget money, 支出总表 and
收支总表 all funds. They are compared with each other only when the document shows no other
money (see :func:`only_general_budget`); otherwise only tables of one fund scope are compared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from pipeline.quality.formatting import fmt_amount, fmt_diff, tolerance
from pipeline.quality.outcome import CheckDef, CheckOutcome, CheckTallies, Severity
from pipeline.quality.tables import (
    Amount,
    DocumentFacts,
    LogicalTable,
    TableRow,
    grand_amount,
    row_amount,
    squash,
    sum_amounts,
    table_layout,
)
from pipeline.vocabulary import THREE_PUBLIC_ITEMS

CONSISTENCY_CHECKS: dict[str, CheckDef] = {
    "subject_amount_consistent": CheckDef(
        "error",
        "a function subject of a unit carries the same total / basic / project amount in every "
        "table that prints it (支出总表, 一般公共预算支出表, 收支总表 …)",
        "consistency",
    ),
    "basic_table_matches_expenditure": CheckDef(
        "error",
        "一般公共预算基本支出表 合计 (人员经费, 公用经费) = 基本支出 (人员经费, 公用经费) of the expenditure tables",
        "consistency",
    ),
    "narrative_matches_tables": CheckDef(
        "error",
        "amounts stated in the text (收支总预算, 基本支出, 人员经费, 公用经费, 项目支出, “三公”经费) = the tables'",
        "consistency",
    ),
}

# Which money a table kind covers.
FUND_SCOPE: dict[str, str] = {
    "income_expenditure_summary": "all_funds",
    "income_summary": "all_funds",
    "expenditure_summary": "all_funds",
    "fiscal_grant_summary": "fiscal_grants",
    "general_budget_expenditure": "general_budget",
    "general_budget_basic_expenditure": "general_budget",
    "gov_fund_expenditure": "gov_fund",
    "state_capital_expenditure": "state_capital",
}
NON_GENERAL_MEASURES = (
    "gov_fund",
    "state_capital",
    "special_account",
    "unit_funds",
    "business_operating",
    "carryover",
)
# Income labels that name money other than the general budget.
NON_GENERAL_INCOME_WORDS = (
    "政府性基金",
    "国有资本",
    "财政专户",
    "事业收入",
    "经营收入",
    "上级补助",
    "附属单位",
    "其他收入",
    "上年结转",
    "单位资金",
    "其他资金",
)
COMPARED_MEASURES = ("total", "basic", "project")


def only_general_budget(doc: DocumentFacts, parents: dict[str, str | None] | None = None) -> bool:
    """True when nothing in the document shows money besides the general budget, so that
    all-funds tables and 一般公共预算 tables must print the same amounts."""
    for t in [*doc.expenditure_tables, *doc.income_tables]:
        for r in t.rows:
            if t.table_kind in ("gov_fund_expenditure", "state_capital_expenditure") and any(
                v != 0 for v in r.amounts.values()
            ):
                return False
            if any(r.amounts.get(m, Decimal(0)) != 0 for m in NON_GENERAL_MEASURES):
                return False
            if (
                t.source == "fact_income"
                and r.row_role != "total"
                and any(w in squash(r.line_item) for w in NON_GENERAL_INCOME_WORDS)
                and any(v != 0 for v in r.amounts.values())
            ):
                return False
    all_funds = [grand_amount(t, "total", parents=parents) for t in doc.tables_of("expenditure_summary")]
    general = [grand_amount(t, "total", parents=parents) for t in doc.tables_of("general_budget_expenditure")]
    mult = max((t.unit_multiplier for t in doc.expenditure_tables), default=1)
    for a in all_funds:
        for g in general:
            if a is not None and g is not None and abs(a.value - g.value) > tolerance(mult, max(a.n, g.n)):
                return False
    return True


def _scope(kind: str, single_scope: bool) -> str:
    return "document" if single_scope else FUND_SCOPE[kind]


def _fmt_entry(table: LogicalTable, row: TableRow, amount: Amount) -> str:
    derived = f" (= {amount.derived})" if amount.derived else ""
    page = f", p.{row.page}" if row.page is not None else ""
    return f"{fmt_amount(amount.value, table.unit_multiplier)}{derived} in {table.label()} row #{row.row_index}{page}"


# --------------------------------------------------------------------------- subjects


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


def _check_subject_amounts(
    doc: DocumentFacts, tallies: CheckTallies, single_scope: bool, parents: dict
) -> None:
    units = {r.unit_id for t in doc.expenditure_tables for r in t.rows}
    single_unit = len(units) <= 1
    entries: dict[tuple, list[tuple[LogicalTable, TableRow, Amount]]] = {}
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
                scope = _scope(t.table_kind, single_scope)
            for m in COMPARED_MEASURES:
                a = row_amount(r, m)
                if a is not None:
                    entries.setdefault((scope, unit_scopes[id(r)], r.subject_code, m), []).append((t, r, a))
    for (_scope_key, _unit, code, measure), found in entries.items():
        tables = {id(t) for t, _, _ in found}
        if len(tables) < 2:
            continue
        mult = max(t.unit_multiplier for t, _, _ in found)
        tol = tolerance(mult, max(a.n for _, _, a in found))
        values = [a.value for _, _, a in found]
        if max(values) - min(values) <= tol:
            tallies["subject_amount_consistent"].passed()
            continue
        # The value most copies print is the expected one and the others are the outliers;
        # with no majority every copy is reported.
        counts = Counter(values)
        ranked = counts.most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            r0 = found[0][1]
            tallies["subject_amount_consistent"].failed(
                observed="; ".join(_fmt_entry(t, r, a) for t, r, a in found),
                expected=f"one amount for {code} in every table (no majority among {len(found)} copies)",
                details=r0.where(
                    measure,
                    conflict=f"{len(found)} copies, {len(counts)} different amounts",
                    other_tables=", ".join(t.label() for t, _, _ in found[1:]),
                    diff=fmt_diff(max(values) - min(values), tol),
                ),
            )
            continue
        expected_value = ranked[0][0]
        outliers = [(t, r, a) for t, r, a in found if abs(a.value - expected_value) > tol]
        agreeing = [(t, r, a) for t, r, a in found if abs(a.value - expected_value) <= tol]
        _, r0, a0 = outliers[0]
        tallies["subject_amount_consistent"].failed(
            observed="; ".join(_fmt_entry(t, r, a) for t, r, a in outliers),
            expected=f"{fmt_amount(expected_value, mult)} as in "
            + "; ".join(_fmt_entry(t, r, a) for t, r, a in agreeing),
            details=r0.where(
                measure,
                conflict=f"{len(outliers)} of {len(found)} copies differ",
                diff=fmt_diff(abs(a0.value - expected_value), tol),
            ),
        )


# --------------------------------------------------------------------------- 基本支出表


def _compare_pair(
    tally_name: str,
    tallies: CheckTallies,
    stated: tuple[LogicalTable, Amount],
    other: tuple[LogicalTable, Amount],
    what: str,
    measure: str,
) -> None:
    (t1, a1), (t2, a2) = stated, other
    mult = max(t1.unit_multiplier, t2.unit_multiplier)
    tol = tolerance(mult, max(a1.n, a2.n))
    diff = abs(a1.value - a2.value)
    if diff <= tol:
        tallies[tally_name].passed()
        return
    tallies[tally_name].failed(
        observed=f"{what}: {_fmt_entry(t1, a1.rows[0], a1)}",
        expected=f"= {_fmt_entry(t2, a2.rows[0], a2)}",
        details=a1.rows[0].where(measure, compared_with=t2.label(), diff=fmt_diff(diff, tol)),
    )


def _expenditure_tables(doc: DocumentFacts, single_scope: bool) -> list[LogicalTable]:
    kinds = ("general_budget_expenditure", "expenditure_summary") if single_scope else ("general_budget_expenditure",)
    return doc.tables_of(*kinds)


def _check_basic_table(doc: DocumentFacts, tallies: CheckTallies, single_scope: bool, parents: dict) -> None:
    for bt in doc.tables_of("general_budget_basic_expenditure"):
        for b_measure, e_measure, what in (
            ("total", "basic", "基本支出"),
            ("personnel", "personnel", "人员经费"),
            ("public_operating", "public_operating", "公用经费"),
        ):
            b = grand_amount(bt, b_measure, parents=parents)
            if b is None:
                continue
            for et in _expenditure_tables(doc, single_scope):
                e = grand_amount(et, e_measure, parents=parents)
                if e is not None:
                    _compare_pair(
                        "basic_table_matches_expenditure", tallies, (bt, b), (et, e), what, b_measure
                    )


# --------------------------------------------------------------------------- narrative


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


def _narrative_sources(
    doc: DocumentFacts, item: str, single_scope: bool, parents: dict
) -> list[tuple[LogicalTable, Amount]]:
    found: list[tuple[LogicalTable, Amount]] = []

    def add(tables: Sequence[LogicalTable], measure: str, prefer: str = "合计") -> None:
        for t in tables:
            a = grand_amount(t, measure, prefer=prefer, parents=parents)
            if a is not None:
                found.append((t, a))

    if item == "income_expenditure_total":
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


def _check_narrative(doc: DocumentFacts, tallies: CheckTallies, single_scope: bool, parents: dict) -> None:
    """One outcome per statement of the text: it agrees with every table that prints the figure
    (with funds besides the general budget, with at least one: the text may mean either)."""
    tally = tallies["narrative_matches_tables"]
    for nr in doc.narrative:
        if not nr.amounts:
            continue
        value = nr.amounts.get("total", next(iter(nr.amounts.values())))
        sources = _narrative_sources(doc, nr.line_item or "", single_scope, parents)
        if not sources:
            continue
        mismatches = []
        for t, a in sources:
            tol = tolerance(max(nr.unit_multiplier, t.unit_multiplier), a.n)
            if abs(value - a.value) > tol:
                mismatches.append((t, a, tol))
        if not mismatches or (not single_scope and len(mismatches) < len(sources)):
            tally.passed()
            continue
        mult = max(nr.unit_multiplier, max(t.unit_multiplier for t, _ in sources))
        largest = max(abs(value - a.value) for _, a, _ in mismatches)
        tally.failed(
            observed=f"text states {nr.line_item} = {fmt_amount(value, mult)}",
            expected="; ".join(f"= {_fmt_entry(t, a.rows[0], a)}" for t, a, _ in mismatches),
            details=nr.where(
                nr.line_item,
                disagrees_with=", ".join(t.label() for t, _, _ in mismatches),
                agrees_with=", ".join(t.label() for t, a in sources if all(a is not m[1] for m in mismatches))
                or None,
                diff=fmt_diff(largest, max(tol for _, _, tol in mismatches)),
            ),
        )


# --------------------------------------------------------------------------- entry point


def check_consistency(
    doc: DocumentFacts,
    parents: dict[str, str | None] | None = None,
    *,
    narrative_severity: Severity = "error",
) -> list[CheckOutcome]:
    """All cross-table and text-versus-table checks of one document.

    ``narrative_severity`` sets how a text-versus-table disagreement counts: 'error' (default)
    or 'warn' (the tables are what the warehouse holds; a text may misstate its
    一般公共预算基本支出 as the grand total where every table prints the basic expenditure).
    """
    catalog = dict(CONSISTENCY_CHECKS)
    narrative = CONSISTENCY_CHECKS["narrative_matches_tables"]
    catalog["narrative_matches_tables"] = replace(narrative, severity=narrative_severity)
    tallies = CheckTallies(doc.document_id, catalog)
    parents = parents or {}
    # a final account that prints 预算数 beside 决算数 compares each stage with itself only
    for staged in doc.by_stage():
        single_scope = only_general_budget(staged, parents)
        _check_subject_amounts(staged, tallies, single_scope, parents)
        _check_basic_table(staged, tallies, single_scope, parents)
        _check_narrative(staged, tallies, single_scope, parents)
    return tallies.outcomes()
