"""Identities of the tables coded by subject (类/款/项) and cut into unit sections.

A unit section's subtotal = Σ its top-level rows, 类 = Σ 款 and 款 = Σ 项, a department's subtotal
= Σ its sections' subtotals, and 合计 = Σ groups, else Σ sections, else Σ top-level rows. A class
whose codes repeat within a section is left out of these sums (its sums are unknowable).
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.outcome import CheckTallies
from pipeline.table.rows import LogicalTable, TableRow, code_ancestors
from pipeline.table.sections import Amount, Section, TableLayout, preferred_totals, table_layout
from pipeline.table.sums import compare_each_measure, compare_sum, present_amounts
from pipeline.text import squash
from pipeline.vocabulary import MEMO_WORDS

# id(section) → classification → the coded rows of that section usable in sums
UsableClasses = dict[int, dict[str, list[TableRow]]]


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
                    at=rs[0].place(),
                )
            continue
        tallies["duplicate_subject_in_table"].passed()
        out[cls] = coded
    return out


def check_subject_table(table: LogicalTable, tallies: CheckTallies, parents: dict[str, str | None]) -> None:
    """Every hierarchy identity of one table coded by subject."""
    layout = table_layout(table, parents)
    mult = table.unit_multiplier
    reported: set[tuple] = set()
    usable = {id(sec): _usable_classes(table, sec.members, tallies, reported) for sec in layout.sections}
    for sec in layout.sections:
        for cls, coded in usable[id(sec)].items():
            _check_section_total(sec, cls, coded, tallies, mult)
            _check_children(coded, tallies, mult)
    _check_unit_groups(layout, tallies, mult)
    _check_grand_totals(layout, usable, tallies, mult)


def _check_section_total(sec: Section, cls: str, coded: list[TableRow], tallies: CheckTallies, mult: int) -> None:
    """A unit section's subtotal = Σ its top-level rows of one classification, with the rows the
    classification did not place (a names-only row in another wording, '其他资本性等支出'): parts of the
    section all the same. A memo row ('其中：…') is no part."""
    if sec.header is None:
        return
    unplaced = [r for r in sec.members if r.row_role == "item" and r.amounts
                and not squash(r.line_item or "").startswith(MEMO_WORDS)]
    compare_each_measure(tallies["section_total_equals_rows"], sec.header, _top_level(coded) + unplaced, mult,
                         stated_what="unit subtotal", parts_what=f"top-level {cls} rows of the section")


def _check_children(coded: list[TableRow], tallies: CheckTallies, mult: int) -> None:
    """类 = Σ 款 and 款 = Σ 项 (the nearest printed ancestor's code)."""
    children = _children(coded)
    for parent in coded:
        kids = children.get(parent.subject_code or "")
        if not kids:
            continue
        compare_each_measure(tallies["subject_equals_sum_of_children"], parent, kids, mult,
                             stated_what=f"{parent.subject_code} {parent.line_item}",
                             parts_what=f"sub-items of {parent.subject_code}")


def _check_unit_groups(layout: TableLayout, tallies: CheckTallies, mult: int) -> None:
    """A unit group's subtotal = Σ its sections' subtotals."""
    for group in layout.groups:
        assert group.header is not None
        heads = [s.header for s in group.children if s.header is not None]
        compare_each_measure(tallies["unit_group_equals_sections"], group.header, heads, mult,
                             stated_what="department subtotal", parts_what="unit section subtotals")


def _check_grand_totals(layout: TableLayout, usable: UsableClasses, tallies: CheckTallies, mult: int) -> None:
    """合计 = Σ groups, else Σ sections, else Σ top-level rows."""
    headed = [s for s in layout.sections if s.header is not None]
    root = [s for s in layout.sections if s.header is None]
    for total_row in preferred_totals(layout.totals, "合计"):
        for measure in total_row.amounts:
            stated = Amount(total_row.amounts[measure], 1, (total_row,))
            if layout.groups or headed:
                if root and any(r.row_role == "subject" for s in root for r in s.members):
                    continue  # rows outside any unit section next to unit sections: ambiguous
                heads = [g.header for g in layout.groups] if layout.groups else [s.header for s in headed]
                parts = present_amounts([h for h in heads if h is not None], measure)
                what = "unit group subtotals" if layout.groups else "unit section subtotals"
                if parts:
                    compare_sum(tallies["total_equals_sum_of_rows"], stated, parts, mult, stated_what="合计",
                                parts_what=what, row=total_row, measure=measure)
                continue
            for sec in root:
                for cls, coded in usable[id(sec)].items():
                    parts = present_amounts(_top_level(coded), measure)
                    if parts:
                        compare_sum(tallies["total_equals_sum_of_rows"], stated, parts, mult, stated_what="合计",
                                    parts_what=f"top-level {cls} rows", row=total_row, measure=measure)
