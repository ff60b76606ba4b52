"""Performance-target tables of the corpus into indicator rows (targets: test_performance_targets,
unseen layouts: test_performance_layouts)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.extract.text_reader import read_text
from pipeline.extract.titles import classify_title
from pipeline.model import ExtractedTable, RawDocument
from pipeline.normalize.performance.rows import performance_rows
from pipeline.normalize.performance.state import IndicatorRow
from tests.conftest import STEMS, TEXT

D = Decimal



def _tables(key: str) -> list[ExtractedTable]:
    path = TEXT / f"{STEMS[key]}.txt"
    doc = read_text(RawDocument(path, "test", path.name, "text", path.stat().st_size))
    return doc.tables


def _performance(key: str) -> dict[int, list[IndicatorRow]]:
    """Indicators per performance table (table index → rows)."""
    out = {}
    for t in _tables(key):
        if classify_title(t.title, " ".join(sum(t.header_rows, []))) == "performance":
            out[t.index] = performance_rows(t)
    return out


@pytest.fixture(scope="module")
def keqiao2023() -> dict[int, list[IndicatorRow]]:
    return _performance("keqiao2023")


@pytest.fixture(scope="module")
def keqiao2020() -> dict[int, list[IndicatorRow]]:
    return _performance("keqiao2020")


@pytest.fixture(scope="module")
def jiaxing2024() -> dict[int, list[IndicatorRow]]:
    return _performance("jiaxing2024")


@pytest.fixture(scope="module")
def pingxiang2023() -> dict[int, list[IndicatorRow]]:
    return _performance("pingxiang2023")


@pytest.fixture(scope="module")
def dongxihu2022() -> dict[int, list[IndicatorRow]]:
    return _performance("dongxihu2022")


def _all(doc: dict[int, list[IndicatorRow]]) -> list[IndicatorRow]:
    return [r for rows in doc.values() for r in rows]


def _find(rows: list[IndicatorRow], project: str | None, indicator: str) -> list[IndicatorRow]:
    return [r for r in rows if r.project_name == project and r.indicator_name == indicator]



# --- column tables ------------------------------------------------------------------------

def test_keqiao2023_one_row_per_indicator_line(keqiao2023):
    assert list(keqiao2023) == [10]
    rows = keqiao2023[10]
    # 69 body rows: 1 unit-only row and 10 project-only rows carry no indicator.
    assert len(rows) == 58
    assert all(r.indicator_name and r.level1 and r.level2 for r in rows)
    assert len({r.row_index for r in rows}) == 58
    assert {r.unit_name for r in rows} == {"绍兴市柯桥区人民代表大会常务委员会办公室"}
    assert len({r.project_name for r in rows}) == 9
    assert all(r.scope == "project" and r.project_budget_yuan is None for r in rows)


def test_keqiao2023_fact(keqiao2023):
    [row] = _find(keqiao2023[10], "区代表活动专项", "代表经费人均成本")
    assert (row.comparator, row.target_value, row.target_unit) == (">=", 3400, "元/人")
    assert (row.level1, row.level2, row.target_text) == ("产出指标", "数量指标", "3400")
    [qual] = _find(keqiao2023[10], "区代表活动专项", "代表工作及时性")
    assert (qual.comparator, qual.target_value, qual.target_unit, qual.target_text) == (None, None, None, "及时")


def test_jiaxing2024_parent_projects_and_units(jiaxing2024):
    assert list(jiaxing2024) == [9]
    rows = jiaxing2024[9]
    assert len(rows) == 40
    [fact] = _find(rows, "市人代会经费", "会议审议议案建议数（件）")
    assert (fact.comparator, fact.target_value, fact.target_unit) == ("=", 250, "件")
    assert fact.parent_project_name == "人大会议"
    assert {r.parent_project_name for r in rows if r.project_name == "市人代会经费"} == {"人大会议"}
    units = {r.target_unit for r in rows}
    assert "%" in units and not any("(" in u or "（" in u for u in units if u)
    qualitative = [r for r in rows if r.comparator is None]
    assert {r.target_text for r in qualitative} >= {"及时", "健全", "较高"}
    assert all(r.target_value is None for r in qualitative)
    assert {r.comparator for r in rows} == {None, "<", "=", ">", ">="}


def test_jiaxing_placeholder_template_is_not_indicators():
    template = next(t for t in _tables("jiaxing2024") if "民生项目" in t.title)
    assert performance_rows(template) == []


# --- summary table with funds and a shifted page ------------------------------------------

def test_keqiao2020_fact_and_budget(keqiao2020):
    rows = keqiao2020[0]
    assert len(rows) == 54  # 55 body rows, one of them the unit heading 区人大办
    [fact] = _find(rows, "区人大常委会例会和其他会议", "会议参加人数")
    assert (fact.comparator, fact.target_value, fact.target_unit) == (">=", 1000, "人")
    assert fact.target_text == "1000人以上"
    assert fact.project_budget_yuan == D("470000.00")
    assert fact.unit_name == "区人大办"
    assert fact.description == "会议参加人数"
    budgets = {r.project_name: r.project_budget_yuan for r in rows}
    assert budgets == {
        "财政系统联网监督系统": D("100000.00"),
        "区人大财政预算咨询小组工作经历": D("100000.00"),
        "区人大常委会例会和其他会议": D("470000.00"),
        "常委考察调研经费": D("380000.00"),
        "区代表工作经费": D("972000.00"),
        "区人大一届四次会议经费": D("2000000.00"),
        "人大工作专项": D("700000.00"),
        "区人大刊物/信息专项": D("450000.00"),
        "老领导（研究会）工作经费": D("470000.00"),
    }
    # Continuation rows (empty project cell) belong to the project above.
    assert [r.row_index for r in rows if r.project_name == "区人大常委会例会和其他会议"] == list(range(11, 17))


def test_keqiao2020_shifted_rows_are_realigned(keqiao2020):
    rows = {r.row_index: r for r in keqiao2020[0]}
    # Row 26 onwards is printed one cell to the left (one funds cell fewer).
    r26 = rows[26]
    assert (r26.project_name, r26.level1, r26.indicator_name, r26.target_text, r26.description) == (
        "区代表工作经费", "效益指标", "保障人大代表工作开展", "良好", "保障人大代表工作开展方面的作用",
    )
    r27 = rows[27]
    assert (r27.project_name, r27.project_budget_yuan, r27.indicator_name) == (
        "区人大一届四次会议经费", D("2000000.00"), "单位成本",
    )
    assert (r27.comparator, r27.target_value, r27.target_unit) == ("=", 550, "元/天")
    assert r27.description == "反映人均日均成本控制情况"
    r41 = rows[41]
    assert (r41.indicator_name, r41.comparator, r41.target_value, r41.target_unit) == (
        "与上期宣传经费增长", "<=", 10, "%",
    )
    # Every row, shifted or not, has its level in level1 and the target where it belongs.
    assert {r.level1 for r in rows.values()} == {"产出指标", "效益指标"}
    assert not any(r.target_text.endswith("指标") for r in rows.values())


def test_keqiao2020_free_text_targets(keqiao2020):
    by_name = {(r.project_name, r.indicator_name): r for r in keqiao2020[0]}
    deadline = by_name[("财政系统联网监督系统", "出具第三方评价时间")]
    assert (deadline.comparator, deadline.target_value, deadline.target_text) == (None, None, "2021年2月底前")
    spread = by_name[("财政系统联网监督系统", "提出意见建议数")]
    assert (spread.comparator, spread.target_value, spread.target_max, spread.target_unit) == (
        "between", 1, 5, "条",
    )
    vs_last = by_name[("区人大常委会例会和其他会议", "与上期会议的经费增长")]
    assert vs_last.comparator is None and vs_last.target_text == "≤上期会议经费"


# --- one table per project ----------------------------------------------------------------

def test_pingxiang2023_per_project_tables(pingxiang2023):
    assert {i: len(rows) for i, rows in pingxiang2023.items()} == {9: 9, 10: 8, 11: 11, 12: 9}
    rows = pingxiang2023[10]
    assert {r.project_name for r in rows} == {"平乡县第十七届人民代表大会第三次会议经费"}
    [fact] = _find(rows, "平乡县第十七届人民代表大会第三次会议经费", "参会代表人数（人）")
    assert (fact.comparator, fact.target_value, fact.target_unit, fact.target_text) == (">=", 150, "人", "≥150人")
    assert (fact.description, fact.basis) == ("参加会议的人大代表人数", "签到表")
    # level1 is printed once per group and carried down.
    assert [r.level1 for r in rows] == ["产出指标"] * 4 + ["效益指标"] * 3 + ["满意度指标"]
    # The 绩效目标 row (goal text) and the header row inside the body are not indicators.
    assert rows[0].row_index == 2
    assert pingxiang2023[9][0].project_name == "“智慧人大”建设项目（平乡县人大网上代表之家建设）"



# --- application forms --------------------------------------------------------------------

def test_dongxihu2022_project_forms(dongxihu2022):
    counts = {i: len(rows) for i, rows in dongxihu2022.items()}
    assert counts == {10: 6, 11: 5, 12: 5, 13: 5, 14: 5, 15: 6, 16: 5, 17: 6, 18: 6, 19: 9, 20: 5, 21: 61}
    projects = [r for i, rows in dongxihu2022.items() if i != 21 for r in rows]
    assert {r.scope for r in projects} == {"project"}
    [fact] = _find(projects, "人代会", "人代会天数")
    assert (fact.comparator, fact.target_value, fact.target_unit, fact.target_text) == ("=", 5, "天", "5天")
    assert (fact.level1, fact.level2, fact.basis) == ("产出指标", "时效指标", "计划标准")
    budgets = {rows[0].project_name: rows[0].project_budget_yuan for i, rows in dongxihu2022.items() if i != 21}
    assert budgets["党建工作经费"] == D("16000.00")  # '1.6 万元'
    assert budgets["街道工作委员会工作经费"] == D("120000.00")  # '12' in a 万元 form
    assert budgets["老干工作经费"] == D("70000.00")  # '7 万'
    assert budgets["人代会"] == D("900000.00")  # '90 万元'


def test_dongxihu2022_ocr_damage_is_repaired(dongxihu2022):
    # A name broken over two lines ('活动参与人' / '数') is one indicator.
    rows14 = dongxihu2022[14]
    assert rows14[0].indicator_name == "活动参与人数" and rows14[0].target_text == "≥214"
    assert [r.row_index for r in rows14] == [18, 20, 21, 22, 23]
    # CJK split by OCR spaces is joined.
    assert dongxihu2022[12][0].indicator_name == "开展老干活动次数"
    assert dongxihu2022[12][3].level2 == "社会效益指标"
    # A row that lost its level1 cell (and came out shifted) keeps level1 from above.
    shifted = dongxihu2022[12][2]
    assert (shifted.level1, shifted.level2, shifted.indicator_name, shifted.target_text, shifted.basis) == (
        "产出指标", "成本指标", "老干人均支出成本", "不超标准", "计划标准",
    )
    # A basis printed in a column without heading, and a second level that implies its first level.
    rows13 = dongxihu2022[13]
    assert [(r.level1, r.level2) for r in rows13] == [
        ("产出指标", "质量指标"), ("产出指标", "质量指标"), ("产出指标", "成本指标"),
        ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标"),
    ]
    assert rows13[1].indicator_name == "微信小程序正常运行率"
    # '满意度' cut short in the level1 column reads as the framework's 满意度指标.
    assert dongxihu2022[16][-1].level1 == "满意度指标"


def test_dongxihu2022_department_form(dongxihu2022):
    rows = dongxihu2022[21]
    assert {r.scope for r in rows} == {"department"}
    assert {r.project_name for r in rows} == {None}
    assert {r.unit_name for r in rows} == {"东西湖区人大常委会办公室"}
    assert all(r.project_budget_yuan is None for r in rows)  # its money table is not an indicator
    long_term = [r for r in rows if r.description and r.description.startswith("长期目标")]
    annual = [r for r in rows if r.description and r.description.startswith("年度目标")]
    assert (len(long_term), len(annual)) == (30, 31)
    days = [r for r in rows if r.indicator_name == "人代会天数"]
    assert [(r.comparator, r.target_value, r.target_unit) for r in days] == [("=", 5, "天")] * 2
    assert days[0].description == "长期目标1：做好区人民代表大会议、区人大常委会会议等会议服务保障工作。"
    # A heading glued onto the last cell of a row ('≥98% 长期目标 5：…') is split off.
    glued = next(r for r in rows if r.row_index == 44)
    assert glued.target_text == "≥98%" and glued.description.startswith("长期目标4")
    assert next(r for r in rows if r.row_index == 46).description.startswith("长期目标5")
    # A name broken over two rows, with the next heading glued to its second half.
    split = next(r for r in rows if r.row_index == 75)
    assert split.indicator_name == "上级人大及对口业务部门满意度"
    assert next(r for r in rows if r.row_index == 78).description.startswith("年度目标4：")


# --- whole corpus -------------------------------------------------------------------------

def test_every_indicator_is_complete(keqiao2023, keqiao2020, jiaxing2024, pingxiang2023, dongxihu2022):
    for doc in (keqiao2023, keqiao2020, jiaxing2024, pingxiang2023, dongxihu2022):
        for row in _all(doc):
            assert row.indicator_name and row.level1, row
            assert row.level1.endswith("指标"), row
            assert (row.comparator is None) == (row.target_value is None), row
            assert row.page is None  # text input has no pages
        for rows in doc.values():
            assert len({r.row_index for r in rows}) == len(rows)


def test_non_performance_tables_yield_nothing():
    for key in STEMS:
        for t in _tables(key):
            if classify_title(t.title, " ".join(sum(t.header_rows, []))) not in ("performance", "other"):
                assert performance_rows(t) == [], (key, t.title)
