"""Arithmetic identities inside one printed table, in exact Decimal yuan.

Each check compares a printed figure with the sum of the printed figures it stands for and
allows 0.01 printed unit per rounded addend (``unit_multiplier`` × 0.01 × addends yuan: a 万元
table with 2 addends tolerates 200 yuan). A check runs only where its cells are printed: an
empty cell is missing, never zero (the normaliser emits zero facts where a table says 本表无数据).
Sums take the addends that are printed and need at least one.

Check names and what they hold are listed in :data:`IDENTITY_CHECKS`.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.quality.formatting import fmt_amount, fmt_diff, tolerance
from pipeline.quality.outcome import CheckDef, CheckOutcome, CheckTallies, CheckTally
from pipeline.quality.tables import (
    SUBJECT_TABLE_KINDS,
    SUMMARY_TABLE_KINDS,
    Amount,
    DocumentFacts,
    LogicalTable,
    TableRow,
    code_ancestors,
    describe_rows,
    preferred_totals,
    row_amount,
    sum_amounts,
    table_layout,
)

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

_ROW_EXTRA_MEASURES = ("business_operating", "to_superior", "to_subsidiary")
_ROW_SKIP_KINDS = ("three_public", "narrative")


def compare_sum(
    tally: CheckTally,
    stated: Amount,
    parts: Sequence[Amount],
    unit_multiplier: int,
    *,
    stated_what: str,
    parts_what: str,
    where: str,
    addends: str | None = None,
) -> None:
    """Pass or fail one identity ``stated = Σ parts`` with the tolerance for Σ n addends.

    ``addends`` describes the parts in the details (default: the rows they come from)."""
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
        details=f"{where}; addends: {addends or describe_rows(total.rows)}; {fmt_diff(diff, tol)}",
    )


# --------------------------------------------------------------------------- subject hierarchy


def _coded_rows(rows: Sequence[TableRow], cls: str) -> list[TableRow]:
    return [r for r in rows if r.row_role == "subject" and r.classification == cls]


def _hierarchy_known(rows: Sequence[TableRow]) -> bool:
    """False when a subject row has no usable code: its place in the 类/款/项 tree is unknown."""
    return all(r.classification is not None for r in rows if r.row_role == "subject")


def _duplicates(rows: Sequence[TableRow]) -> dict[str, list[TableRow]]:
    seen: dict[str, list[TableRow]] = {}
    for r in rows:
        seen.setdefault(r.subject_code or "", []).append(r)
    return {c: rs for c, rs in seen.items() if len(rs) > 1}


def _top_level(rows: Sequence[TableRow]) -> list[TableRow]:
    codes = {r.subject_code for r in rows}
    return [r for r in rows if not any(a in codes for a in code_ancestors(r.subject_code or ""))]


def _children(rows: Sequence[TableRow]) -> dict[str, list[TableRow]]:
    """Code → rows whose nearest printed ancestor is that code."""
    codes = {r.subject_code for r in rows}
    out: dict[str, list[TableRow]] = {}
    for r in rows:
        present = [a for a in code_ancestors(r.subject_code or "") if a in codes]
        if present:
            out.setdefault(present[-1], []).append(r)
    return out


def _present(rows: Sequence[TableRow], measure: str) -> list[Amount]:
    out = []
    for r in rows:
        a = row_amount(r, measure, derive=False)
        if a is not None:
            out.append(a)
    return out


def _usable_classes(
    table: LogicalTable, rows: Sequence[TableRow], tallies: CheckTallies, reported: set[tuple]
) -> dict[str, list[TableRow]]:
    """Classification → coded rows of a section, leaving out classes with repeated codes."""
    if not _hierarchy_known(rows):
        return {}
    out: dict[str, list[TableRow]] = {}
    for cls in ("function", "economic"):
        coded = _coded_rows(rows, cls)
        if not coded:
            continue
        dups = _duplicates(coded)
        if dups:
            for code, rs in dups.items():
                key = (table.table_indexes, code, rs[0].unit_id)
                if key in reported:
                    continue
                reported.add(key)
                tallies["duplicate_subject_in_table"].failed(
                    observed=f"{code} printed {len(rs)} times in one section",
                    expected="each subject code once per section",
                    details=rs[0].where(other_rows=", ".join(f"#{r.row_index}" for r in rs[1:])),
                )
            continue
        tallies["duplicate_subject_in_table"].passed()
        out[cls] = coded
    return out


def _check_subject_table(table: LogicalTable, tallies: CheckTallies, parents: dict[str, str | None]) -> None:
    layout = table_layout(table, parents)
    mult = table.unit_multiplier
    reported: set[tuple] = set()
    usable = {id(sec): _usable_classes(table, sec.members, tallies, reported) for sec in layout.sections}

    # a unit section's subtotal = Σ its top-level rows; 类 = Σ 款; 款 = Σ 项
    for sec in layout.sections:
        for cls, coded in usable[id(sec)].items():
            if sec.header is not None:
                top = _top_level(coded)
                for measure in sec.header.amounts:
                    parts = _present(top, measure)
                    if parts:
                        compare_sum(
                            tallies["section_total_equals_rows"],
                            Amount(sec.header.amounts[measure], 1, (sec.header,)),
                            parts,
                            mult,
                            stated_what="unit subtotal",
                            parts_what=f"top-level {cls} rows of the section",
                            where=sec.header.where(measure),
                        )
            children = _children(coded)
            for parent in coded:
                kids = children.get(parent.subject_code or "")
                if not kids:
                    continue
                for measure in parent.amounts:
                    parts = _present(kids, measure)
                    if parts:
                        compare_sum(
                            tallies["subject_equals_sum_of_children"],
                            Amount(parent.amounts[measure], 1, (parent,)),
                            parts,
                            mult,
                            stated_what=f"{parent.subject_code} {parent.line_item}",
                            parts_what=f"sub-items of {parent.subject_code}",
                            where=parent.where(measure),
                        )

    # a unit group's subtotal = Σ its sections' subtotals
    for group in layout.groups:
        assert group.header is not None
        heads = [s.header for s in group.children if s.header is not None]
        for measure in group.header.amounts:
            parts = _present(heads, measure)
            if parts:
                compare_sum(
                    tallies["unit_group_equals_sections"],
                    Amount(group.header.amounts[measure], 1, (group.header,)),
                    parts,
                    mult,
                    stated_what="department subtotal",
                    parts_what="unit section subtotals",
                    where=group.header.where(measure),
                )

    # 合计 = Σ groups, else Σ sections, else Σ top-level rows
    headed = [s for s in layout.sections if s.header is not None]
    root = [s for s in layout.sections if s.header is None]
    for total_row in preferred_totals(layout.totals, "合计"):
        for measure in total_row.amounts:
            stated = Amount(total_row.amounts[measure], 1, (total_row,))
            if layout.groups or headed:
                if root and any(r.row_role == "subject" for s in root for r in s.members):
                    continue  # rows outside any unit section next to unit sections: ambiguous
                heads = [g.header for g in layout.groups] if layout.groups else [s.header for s in headed]
                parts = _present([h for h in heads if h is not None], measure)
                what = "unit group subtotals" if layout.groups else "unit section subtotals"
                if parts:
                    compare_sum(
                        tallies["total_equals_sum_of_rows"],
                        stated,
                        parts,
                        mult,
                        stated_what="合计",
                        parts_what=what,
                        where=total_row.where(measure),
                    )
                continue
            for sec in root:
                for cls, coded in usable[id(sec)].items():
                    parts = _present(_top_level(coded), measure)
                    if parts:
                        compare_sum(
                            tallies["total_equals_sum_of_rows"],
                            stated,
                            parts,
                            mult,
                            stated_what="合计",
                            parts_what=f"top-level {cls} rows",
                            where=total_row.where(measure),
                        )


# --------------------------------------------------------------------------- rows


def _check_row_measures(table: LogicalTable, tallies: CheckTallies) -> None:
    mult = table.unit_multiplier
    for row in table.rows:
        a = row.amounts
        if "basic" in a and "personnel" in a and "public_operating" in a:
            compare_sum(
                tallies["basic_equals_personnel_plus_public"],
                Amount(a["basic"], 1, (row,)),
                [Amount(a["personnel"], 1, (row,)), Amount(a["public_operating"], 1, (row,))],
                mult,
                stated_what="基本支出",
                parts_what="人员经费 + 公用经费",
                where=row.where("basic"),
                addends="measures personnel + public_operating of the same row",
            )
        basic = row_amount(row, "basic")
        if "total" in a and "project" in a and basic is not None:
            parts = [basic, Amount(a["project"], 1, (row,))]
            parts += [Amount(a[m], 1, (row,)) for m in _ROW_EXTRA_MEASURES if m in a]
            names = "基本支出" if basic.derived is None else "(人员经费 + 公用经费)"
            measures = ["basic" if basic.derived is None else "personnel + public_operating", "project"]
            measures += [m for m in _ROW_EXTRA_MEASURES if m in a]
            compare_sum(
                tallies["total_equals_basic_plus_project"],
                Amount(a["total"], 1, (row,)),
                parts,
                mult,
                stated_what="合计",
                parts_what=f"{names} + 项目支出" + (" + other columns" if len(parts) > 2 else ""),
                where=row.where("total"),
                addends="measures " + " + ".join(measures) + " of the same row",
            )


# --------------------------------------------------------------------------- 三公


def _three_public_blocks(table: LogicalTable) -> list[dict[str, dict[str, Amount]]]:
    """Blocks of category → measure → amount: one per printed row when the categories are
    columns; runs of rows starting at each 三公 total when the categories are rows."""
    by_row: dict[tuple[int, int], list[TableRow]] = {}
    for r in table.rows:
        by_row.setdefault(r.order, []).append(r)
    columns_layout = any(len({r.line_item for r in rs}) > 1 for rs in by_row.values())
    blocks: list[dict[str, dict[str, Amount]]] = []
    if columns_layout:
        for _, rs in sorted(by_row.items()):
            block: dict[str, dict[str, Amount]] = {}
            for r in rs:
                for m, v in r.amounts.items():
                    block.setdefault(r.line_item or "", {})[m] = Amount(v, 1, (r,))
            blocks.append(block)
        return blocks
    current: dict[str, dict[str, Amount]] | None = None
    for r in table.rows:
        if r.line_item == "three_public_total" or current is None:
            current = {}
            blocks.append(current)
        for m, v in r.amounts.items():
            current.setdefault(r.line_item or "", {}).setdefault(m, Amount(v, 1, (r,)))
    return blocks


def _check_three_public(table: LogicalTable, tallies: CheckTallies, blank_as_zero: bool) -> None:
    mult = table.unit_multiplier
    for block in _three_public_blocks(table):
        measures = {m for cat in block.values() for m in cat}
        for m in sorted(measures):

            def get(cat: str, m: str = m, block: dict[str, dict[str, Amount]] = block) -> Amount | None:
                return block.get(cat, {}).get(m)

            purchase, operation, vehicle = get("vehicle_purchase"), get("vehicle_operation"), get("vehicle_total")
            if vehicle is not None and (
                (purchase is not None and operation is not None)
                or (blank_as_zero and (purchase is not None or operation is not None))
            ):
                parts = [p for p in (purchase, operation) if p is not None]
                compare_sum(
                    tallies["vehicle_total_equals_parts"],
                    vehicle,
                    parts,
                    mult,
                    stated_what="公务用车购置及运行费",
                    parts_what="购置费 + 运行维护费",
                    where=vehicle.rows[0].where(m),
                )
            if vehicle is None and purchase is not None and operation is not None:
                vehicle = sum_amounts([purchase, operation])
            elif vehicle is None and blank_as_zero and (purchase is not None or operation is not None):
                vehicle = sum_amounts([p for p in (purchase, operation) if p is not None])
            total, overseas, reception = get("three_public_total"), get("overseas_travel"), get("official_reception")
            parts_opt = [overseas, vehicle, reception]
            if total is None:
                continue
            if all(p is not None for p in parts_opt) or (
                blank_as_zero and any(p is not None for p in parts_opt)
            ):
                compare_sum(
                    tallies["three_public_total_equals_parts"],
                    total,
                    [p for p in parts_opt if p is not None],
                    mult,
                    stated_what="“三公”经费合计",
                    parts_what="因公出国(境) + 公务用车 + 公务接待",
                    where=total.rows[0].where(m),
                )


# --------------------------------------------------------------------------- 项目支出表


def _check_project_table(table: LogicalTable, tallies: CheckTallies) -> None:
    mult = table.unit_multiplier
    items = [r for r in table.rows if r.row_role == "item"]
    for total_row in (r for r in table.rows if r.row_role == "total"):
        for measure, value in total_row.amounts.items():
            parts = _present(items, measure)
            if parts:
                compare_sum(
                    tallies["project_total_equals_projects"],
                    Amount(value, 1, (total_row,)),
                    parts,
                    mult,
                    stated_what="合计",
                    parts_what="projects",
                    where=total_row.where(measure),
                )
    rows = table.rows
    for i, head in enumerate(rows):
        if head.row_role not in ("subject", "unit_total"):
            continue
        stops = ("total", "subject") if head.row_role == "subject" else ("total", "subject", "unit_total")
        group: list[TableRow] = []
        for r in rows[i + 1 :]:
            if r.row_role in stops:
                break
            if r.row_role == "item":
                group.append(r)
        for measure, value in head.amounts.items():
            parts = _present(group, measure)
            if parts:
                compare_sum(
                    tallies["project_group_equals_projects"],
                    Amount(value, 1, (head,)),
                    parts,
                    mult,
                    stated_what="subtotal",
                    parts_what="projects under it",
                    where=head.where(measure),
                )


# --------------------------------------------------------------------------- 收支总表


def _check_income_equals_expenditure(doc: DocumentFacts, tallies: CheckTallies) -> None:
    for inc in doc.tables_of(*SUMMARY_TABLE_KINDS, source="fact_income"):
        exp = next(
            (
                t
                for t in doc.tables_of(inc.table_kind)
                if set(t.table_indexes) & set(inc.table_indexes)
            ),
            None,
        )
        if exp is None:
            continue
        inc_rows = [r for r in preferred_totals([r for r in inc.rows if r.row_role == "total"], "总计")]
        exp_rows = [r for r in preferred_totals([r for r in exp.rows if r.row_role == "total"], "总计")]
        income = next((Amount(r.amounts["total"], 1, (r,)) for r in inc_rows if "total" in r.amounts), None)
        if income is None:
            continue
        mult = max(inc.unit_multiplier, exp.unit_multiplier)
        for r in exp_rows:
            if "total" not in r.amounts:
                continue
            spent = Amount(r.amounts["total"], 1, (r,))
            compare_sum(
                tallies["income_equals_expenditure"],
                income,
                [spent],
                mult,
                stated_what=f"收入总计 ({income.rows[0].line_item})",
                parts_what=f"支出总计 ({r.line_item})",
                where=r.where("total", income_row=income.rows[0].line_item),
            )


# --------------------------------------------------------------------------- entry point


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
    _check_income_equals_expenditure(doc, tallies)
    for table in [*doc.expenditure_tables, *doc.income_tables]:
        if table.table_kind in SUBJECT_TABLE_KINDS:
            _check_subject_table(table, tallies, parents)
        if table.table_kind == "three_public":
            _check_three_public(table, tallies, blank_three_public_as_zero)
        if table.table_kind == "project_expenditure":
            _check_project_table(table, tallies)
        if table.table_kind not in _ROW_SKIP_KINDS:
            _check_row_measures(table, tallies)
    return tallies

