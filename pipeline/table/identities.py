"""Arithmetic identities inside one printed table, in exact Decimal yuan.

Each check compares a printed figure with the sum of the printed figures it stands for and
allows 0.01 printed unit per rounded addend (``unit_multiplier`` × 0.01 × addends yuan: a 万元
table with 2 addends tolerates 200 yuan). A check runs only where its cells are printed: an
empty cell is missing, never zero (the normaliser emits zero facts where a table says 本表无数据).
Sums take the addends that are printed and need at least one.

They are the printed table's own arithmetic: the quality checks report them for every document
(:mod:`pipeline.quality.runner`), and the normaliser runs them on each table it placed, before it
loads, to refuse a misread one (:mod:`pipeline.normalize.verify`).

Check names and what they hold are listed in :data:`IDENTITY_CHECKS`.
The checks live by the shape of table they read: :mod:`pipeline.table.coded_identities`
(tables coded by subject, cut into unit sections) and :mod:`pipeline.table.row_identities`
(row measures, 三公, 项目支出表, 收支总表); :mod:`pipeline.table.sums` compares.
"""

from __future__ import annotations

from pipeline.outcome import CheckDef, CheckOutcome, CheckTallies
from pipeline.table.coded_identities import check_subject_table
from pipeline.table.row_identities import (
    check_income_equals_expenditure,
    check_project_table,
    check_row_measures,
    check_three_public,
)
from pipeline.table.rows import DocumentFacts
from pipeline.vocabulary import SUBJECT_TABLE_KINDS

IDENTITY_CHECKS: dict[str, CheckDef] = {
    "income_equals_expenditure": CheckDef(
        "error",
        "收入总计 = 支出总计 in each 收支总表 / 财政拨款收支总表 (fact_income vs fact_expenditure)",
        "identities",
        table="fact_income",
    ),
    "total_equals_sum_of_rows": CheckDef(
        "error",
        "合计 = Σ unit groups, else Σ unit subtotals, else Σ top-level subject rows "
        "(per measure and classification)",
        "identities",
    ),
    "unit_group_equals_sections": CheckDef(
        "error",
        "a department's subtotal = Σ the subtotals of its 本级 and subordinate unit sections",
        "identities",
    ),
    "section_total_equals_rows": CheckDef(
        "error",
        "a unit section's subtotal = Σ its top-level subject rows (per measure and classification)",
        "identities",
    ),
    "subject_equals_sum_of_children": CheckDef(
        "error",
        "类 = Σ its 款 and 款 = Σ its 项 (by code prefix, within a table section, per measure)",
        "identities",
    ),
    "basic_equals_personnel_plus_public": CheckDef(
        "error",
        "基本支出 = 人员经费 + 公用经费 in a row that prints all three",
        "identities",
    ),
    "total_equals_basic_plus_project": CheckDef(
        "error",
        "合计 = 基本支出 (or 人员经费 + 公用经费) + 项目支出 (+ 经营/上缴上级/对附属单位补助支出) in a row",
        "identities",
    ),
    "three_public_total_equals_parts": CheckDef(
        "error",
        "“三公”经费合计 = 因公出国(境)费 + 公务用车购置及运行费 + 公务接待费",
        "identities",
    ),
    "vehicle_total_equals_parts": CheckDef(
        "error",
        "公务用车购置及运行费 = 公务用车购置费 + 公务用车运行维护费",
        "identities",
    ),
    "project_total_equals_projects": CheckDef(
        "error",
        "项目支出表 合计 = Σ its projects (per measure)",
        "identities",
    ),
    "project_group_equals_projects": CheckDef(
        "error",
        "a subject or unit subtotal in a 项目支出表 = Σ the projects under it (per measure)",
        "identities",
    ),
    "duplicate_subject_in_table": CheckDef(
        "warn",
        "a subject code appears once per table section (a repeated code makes its sums unknowable)",
        "identities",
    ),
}

# tables whose rows hold categories or text, not a row's measures
_ROW_SKIP_KINDS = ("three_public", "narrative")


def check_identities(
    doc: DocumentFacts,
    parents: dict[str, str | None] | None = None,
    *,
    blank_three_public_as_zero: bool = False,
) -> list[CheckOutcome]:
    """All identity checks of one document: failures, or one success per check.

    ``parents`` maps unit_id → parent_unit_id (from dim_unit) to recognise a department's
    subtotal printed above its 本级 and subordinate sections. ``blank_three_public_as_zero``
    reads blank 三公 categories as zero when the row prints a total and at least one category
    (the corpus tables leave zero categories blank); off by default: blank is missing.
    """
    return _identity_tallies(doc, parents, blank_three_public_as_zero).outcomes()


def identity_counts(doc: DocumentFacts) -> tuple[int, list[CheckOutcome]]:
    """(identities checked, the failed ones) of one document's (or one table's) facts."""
    return _identity_tallies(doc, {}, False).counts()


def _identity_tallies(
    doc: DocumentFacts, parents: dict[str, str | None] | None, blank_three_public_as_zero: bool
) -> CheckTallies:
    tallies = CheckTallies(doc.document_id, IDENTITY_CHECKS)
    parents = parents or {}
    check_income_equals_expenditure(doc, tallies)
    for table in [*doc.expenditure_tables, *doc.income_tables]:
        if table.table_kind in SUBJECT_TABLE_KINDS:
            check_subject_table(table, tallies, parents)
        if table.table_kind == "three_public":
            check_three_public(table, tallies, blank_three_public_as_zero)
        if table.table_kind == "project_expenditure":
            check_project_table(table, tallies)
        if table.table_kind not in _ROW_SKIP_KINDS:
            check_row_measures(table, tallies)
    return tallies

