"""Agreement between the tables of one document, and between its text and its tables.

A disclosure prints the same amount several times (支出总表, 一般公共预算支出表, 收支总表, the
explanatory text). Where a scan damaged one copy the copies disagree (行政运行 printed 1,348.91
in one table and 1,346.91 in two others); such conflicts are findings, never averaged.

Tables cover different funds: 一般公共预算 tables hold only general-budget money, 支出总表 and
收支总表 all funds. They are compared with each other only when the document shows no other
money (see :func:`only_general_budget`); otherwise only tables of one fund scope are compared.

Fund scopes live in :mod:`pipeline.quality.printed_copies`, the subject copies in
:mod:`pipeline.quality.subject_consistency` and the text in :mod:`pipeline.quality.narrative_consistency`.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.outcome import CheckDef, CheckOutcome, CheckTallies, Severity, fmt_diff, tolerance
from pipeline.quality.narrative_consistency import check_narrative
from pipeline.quality.printed_copies import describe_copy, only_general_budget
from pipeline.quality.subject_consistency import check_subject_amounts
from pipeline.table.rows import DocumentFacts, LogicalTable
from pipeline.table.sections import Amount, grand_amount

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
        observed=f"{what}: {describe_copy(t1, a1.rows[0], a1)}",
        expected=f"= {describe_copy(t2, a2.rows[0], a2)}",
        details=a1.rows[0].where(compared_with=t2.label(), diff=fmt_diff(diff, tol)),
        at=a1.rows[0].place(measure),
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
        check_subject_amounts(staged, tallies, single_scope, parents)
        _check_basic_table(staged, tallies, single_scope, parents)
        check_narrative(staged, tallies, single_scope, parents)
    return tallies.outcomes()
