"""A ruled table whose rules are filled outlines is read as ruled.

Word processors draw a cell border as a thin filled outline with a mitred end: to a PDF parser it is
neither a line nor a rectangle, so the lattice reader's vector pass sees no grid. Left to the
word-position reader, a header of column groups with wrapped headings (财政拨款 over 合计 |
一般公共预 / 算 | 政府性基金 / 预算 | 国有资本经 / 营预算) ran its words into the wrong columns
('政府性基金国有资本经预算', '营预算'), two columns took one measure and the table was refused.
The page's image shows the rules: the table reads as printed, each column with its own measure.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.disclosure_pdfs import Disclosure, Grid, Layout, build_disclosure_pdf
from tests.read_back import ReadBack, errors, read_back

DEPT = "云岭市澄溪县文化广电旅游局"
TITLE = "部门预算项目支出及其他支出预算表"
# 财政拨款 spans its four columns; every other heading spans both header rows
HEADER = [
    ["支出项目类别（资金使用单位）", "总计", "财政拨款", "", "", "", "财政专户拨款", "其他资金", "绩效目标"],
    ["", "", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算", "", "", ""],
]
SPANS = [(2, 0, 5, 0)] + [(c, 0, c, 1) for c in (0, 1, 6, 7, 8)]
GOAL = "持续做好文化惠民演出工作，确保全年演出场次和群众满意度达到年度目标，保障公共文化服务均等化。"
BASE = "云岭市澄溪县非遗保护传承基地"  # a unit whose name ends like no office
PLATFORM = "澄溪县非遗数字化平台"  # a project whose name ends like an institution
BODY = [
    ["合计", "2,026.40", "1,926.40", "1,600.80", "0.00", "325.60", "0.00", "100.00", ""],
    [DEPT, "1,726.40", "1,626.40", "1,300.80", "0.00", "325.60", "0.00", "100.00", ""],
    ["2026年文化惠民演出经费", "600.00", "600.00", "600.00", "0.00", "0.00", "0.00", "0.00", GOAL],
    ["2026年文艺院团改革发展专项资金", "1,126.40", "1,026.40", "700.80", "0.00", "325.60", "0.00", "100.00", GOAL],
    [BASE, "300.00", "300.00", "300.00", "0.00", "0.00", "0.00", "0.00", ""],
    [PLATFORM, "100.00", "100.00", "100.00", "0.00", "0.00", "0.00", "0.00", GOAL],
    ["2026年非遗传承人补助", "200.00", "200.00", "200.00", "0.00", "0.00", "0.00", "0.00", GOAL],
]


def _disclosure(layout: Layout) -> Disclosure:
    grid = Grid(TITLE, HEADER, BODY, SPANS, heading=[f"单位名称：{DEPT}　单位：万元"])
    return Disclosure([f"{DEPT}2026年部门预算"], [grid], layout)


@pytest.fixture(scope="module")
def read(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("outlined")
    cache: dict[str, ReadBack] = {}

    def _read(layout: Layout) -> ReadBack:
        if layout not in cache:
            cache[layout] = read_back(build_disclosure_pdf(folder / f"{layout}.pdf", _disclosure(layout)))
        return cache[layout]

    return _read


def _project_cells(doc: ReadBack) -> dict[tuple[str, str], Decimal]:
    return {(f["line_item"], f["measure"]): f["amount_yuan"] / 10000
            for f in doc.where("fact_expenditure", table_kind="project_expenditure")}


def test_outlined_rules_read_the_grouped_header_as_printed(read):
    doc = read("outlined")
    cells = _project_cells(doc)
    project = "2026年文艺院团改革发展专项资金"
    assert {m: cells[(project, m)] for m in
            ("total", "fiscal_grant", "general_budget", "gov_fund", "state_capital", "special_account", "other")} == {
        "total": Decimal("1126.40"), "fiscal_grant": Decimal("1026.40"), "general_budget": Decimal("700.80"),
        "gov_fund": Decimal("0"), "state_capital": Decimal("325.60"), "special_account": Decimal("0"),
        "other": Decimal("100.00"),
    }
    assert [e for e in errors(doc) if TITLE in e] == []


def test_units_and_projects_in_one_column_are_told_apart_by_their_sums(read):
    """The unit's row is the sum of the rows under it, whatever its name ends with; a project named
    like an institution is a project of that unit."""
    rows = {f["line_item"]: f for f in read("outlined").where(
        "fact_expenditure", table_kind="project_expenditure", measure="total")}
    assert {name: rows[name]["row_role"] for name in (DEPT, BASE, PLATFORM, "2026年非遗传承人补助")} == {
        DEPT: "unit_total", BASE: "unit_total", PLATFORM: "item", "2026年非遗传承人补助": "item"}
    assert rows[PLATFORM]["unit_id"] == rows[BASE]["unit_id"] != rows[DEPT]["unit_id"]
    assert rows[PLATFORM]["project_name"] == PLATFORM


def test_outlined_rules_give_the_same_cells_as_stroked_ones(read):
    assert _project_cells(read("outlined")) == _project_cells(read("ruled")) != {}


def test_a_last_row_alone_on_a_page_of_empty_ruled_rows_continues_the_table(tmp_path):
    """The table's last project stands on the next page under the repeated title and header, above
    twenty empty ruled rows: a grid the lattice reader drops as noise. It is read in the columns of
    the page before and joins the table, each figure under its own heading."""
    first = Grid(TITLE, HEADER, BODY[:-1], SPANS, heading=[f"单位名称：{DEPT}　单位：万元"])
    last = Grid(TITLE, HEADER, BODY[-1:] + [[""] * 9 for _ in range(20)], SPANS,
                heading=[f"单位名称：{DEPT}　单位：万元"])
    doc = read_back(build_disclosure_pdf(tmp_path / "carried.pdf", Disclosure([f"{DEPT}2026年部门预算"], [first, last])))
    carried = {(f["table_index"], f["measure"]): f["amount_yuan"] / 10000 for f in doc.where(
        "fact_expenditure", table_kind="project_expenditure", line_item="2026年非遗传承人补助")}
    assert carried == {(0, "total"): Decimal("200.00"), (0, "fiscal_grant"): Decimal("200.00"),
                       (0, "general_budget"): Decimal("200.00"), (0, "gov_fund"): Decimal("0"),
                       (0, "state_capital"): Decimal("0"), (0, "special_account"): Decimal("0"),
                       (0, "other"): Decimal("0")}
    assert [e for e in errors(doc) if TITLE in e] == []
