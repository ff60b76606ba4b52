"""The document's own checklist: a table it lists that the reader did not find is an error finding
naming it; a standard table of a budget it neither prints nor lists is a warn finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.normalize.checklist import check_listed_tables, listed_tables
from pipeline.normalize.context import DocContext
from pipeline.normalize.subjects import SubjectResolver
from pipeline.normalize.units import UnitRegistry
from pipeline.vocabulary import STANDARD_BUDGET_TABLES

FIXTURES = Path(__file__).parent / "fixtures"

CONTENTS = """某市审计局2026年部门预算目录
一、部门职责及机构设置
1.2026年部门收支总表 ........ 5
2.2026年部门收入总表 ........ 6
3.2026年部门支出总表 ........ 7
4.2026年财政拨款收支总表 ........ 8
5.2026年一般公共预算支出表 ........ 9
6.2026年一般公共预算基本支出表 ........ 10
7.2026年一般公共预算“三公”经费支出表 ........ 11
8.2026年政府性基金预算支出表 ........ 12
9.2026年政府采购预算表 ........ 13
"""


def _notes(text: str, found: set[str], kind: str = "budget") -> list[dict]:
    ctx = DocContext("doc", 2026, UnitRegistry.for_department("某市审计局"), SubjectResolver())
    check_listed_tables(text, found, kind, ctx)
    return ctx.findings


def test_a_contents_page_listing_a_table_the_file_lacks_names_it():
    found = set(STANDARD_BUDGET_TABLES) - {"income_summary"} | {"gov_fund_expenditure"}
    notes = _notes(CONTENTS, found)
    assert [(n["check_name"], n["severity"]) for n in notes] == [("listed_table_missing", "error")]
    assert "2026年部门收入总表" in notes[0]["observed"] and "line 4" in notes[0]["details"]


def test_a_listed_table_printed_empty_with_a_note_is_not_missing():
    text = CONTENTS + "\n2026年政府性基金预算支出表\n单位：万元\n本部门2026年无政府性基金预算收支，故本表无数据。\n"
    assert _notes(text, set(STANDARD_BUDGET_TABLES)) == []


def test_tables_published_as_an_attachment_are_reported_apart():
    text = CONTENTS + "\n第二部分 2026年度部门预算报表\n附件：某市审计局 2026 年度部门\n预算报表\n"
    notes = _notes(text, set(STANDARD_BUDGET_TABLES) - {"income_summary"} | {"gov_fund_expenditure"})
    assert [(n["check_name"], n["severity"]) for n in notes] == [("listed_table_attached", "warn")]
    assert "附件：某市审计局2026年度部门预算报表" in notes[0]["observed"]


@pytest.mark.parametrize("line, kind", [
    ("表1：2026年市级部门收支预算总表", "income_expenditure_summary"),
    ("2026年部门一般公共预算支出表（预算表 5）", "general_budget_expenditure"),
    ("（七）2026年一般公共预算“三公”经费支出预算表", "three_public"),
    ("- 10.东西湖区人大常委会办公室 2022 年项目支出表", "project_expenditure"),
])
def test_numbered_titles_are_listings(line: str, kind: str):
    assert [t.kind for t in listed_tables(line)] == [kind]


@pytest.mark.parametrize("line", [
    "三、财政拨款收支预算总体情况",  # a narrative section, not a table
    "2026年部门收支总表",  # a title without a number is a table's own title, not a listing
    "9.2026年政府采购预算表",  # a table the reader does not read
])
def test_other_lines_are_not_listings(line: str):
    assert listed_tables(line) == []


def test_a_budget_neither_printing_nor_listing_a_standard_table_is_warned():
    notes = _notes("某市审计局2026年部门预算", set(STANDARD_BUDGET_TABLES) - {"three_public"})
    assert [(n["check_name"], n["severity"], n["details"]) for n in notes] == [
        ("standard_table_missing", "warn", "table kind three_public: neither printed nor listed")]
    assert _notes("某市审计局2025年部门决算", set(), "final") == []


@pytest.mark.parametrize("stem, missing", [
    # Both list 收入预算总表 in their contents; their pages print 收支预算总表 then 支出预算总表.
    ("jiaxing-npc-office-2024", ["2024年部门收入预算总表"]),
    # keqiao prints its 收支预算总表 twice (the title repeated over its last rows) and neither the
    # 收入预算总表 nor the 财政拨款收支预算总表 its contents list.
    ("keqiao-npc-office-2023", ["2023年区人大办收入预算总表", "2023年区人大办财政拨款收支预算总表"]),
    ("dongxihu-npc-office-2022", []),
])
def test_seed_disclosures_listing_tables_they_do_not_print(stem: str, missing: list[str]):
    from pipeline.ingest import describe, extract
    from pipeline.normalize.build import normalize_document

    frames = normalize_document(extract(describe(FIXTURES / "text" / f"{stem}.txt")))
    notes = [f for f in frames.findings if f["check_name"] == "listed_table_missing"]
    assert [n["details"].split(":")[0].removeprefix("table ") for n in notes] == missing
