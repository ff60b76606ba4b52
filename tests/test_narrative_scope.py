"""Narrative at its level: a sentence's amount belongs to the subject its clause names, and is compared
only with that subject's figure (issue 27, cause 1).

上海's 单位预算 explain the 财政拨款 by subject: '2.“农林水支出”科目83万元，主要用于人员经费18万元、公用经费
58万元、项目支出7万元' — 213's 人员经费, not the unit's (its 人员经费 is larger, with 208's). Read as the
department's, each became an error finding against the tables.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pipeline.extract.narrative import narrative_amounts
from pipeline.extract.text_reader import read_text
from pipeline.ingest import describe
from pipeline.normalize.build import normalize_document
from pipeline.quality.runner import run_quality
from pipeline.reference.classification import load_subject_codes
from tests.read_back import DOCUMENT_FRAMES, read_back

WILD = Path(__file__).parent / "fixtures" / "wild"

DISCLOSURE = "\n".join([
    "甲市乙区水产服务站",
    "2026年单位预算",
    "",
    "一、单位预算编制说明",
    "2026年收入预算100.00万元。",
    "财政拨款支出主要内容如下：",
    "1.“社会保障和就业支出”科目20万元，主要用于退休人员费用支出",
    "2.“农林水支出”科目80万元，主要用于人员经费50万元、公用经费10万元、项目支出20万元。",
    "3.“海岛开发支出”科目1万元，主要用于项目支出1万元。",
    "2026年基本支出80.00万元，其中：人员经费70.00万元，公用经费10.00万元。",
    "",
    "2026年单位一般公共预算支出表",
    "单位：万元",
    "科目编码\t科目名称\t合计\t基本支出\t项目支出",
    "\t合计\t100.00\t80.00\t20.00",
    "208\t社会保障和就业支出\t20.00\t20.00\t",
    "20805\t行政事业单位养老支出\t20.00\t20.00\t",
    "2080502\t事业单位离退休\t20.00\t20.00\t",
    "213\t农林水支出\t80.00\t60.00\t20.00",
    "21301\t农业农村\t80.00\t60.00\t20.00",
    "2130199\t其他农业农村支出\t80.00\t60.00\t20.00",
    "",
    "2026年单位一般公共预算基本支出表",
    "单位：万元",
    "科目编码\t科目名称\t合计\t人员经费\t公用经费",
    "\t合计\t80.00\t70.00\t10.00",
    "301\t工资福利支出\t50.00\t50.00\t",
    "302\t商品和服务支出\t10.00\t\t10.00",
    "303\t对个人和家庭的补助\t20.00\t20.00\t",
])


def test_a_clause_naming_a_subject_scopes_the_amounts_after_it():
    stated = narrative_amounts(DISCLOSURE)
    by_item = [(a.line_item, a.amount, tuple(name for name, _ in a.scope)) for a in stated]
    assert ("personnel", Decimal("50"), ("农林水支出",)) in by_item
    assert ("project", Decimal("20"), ("农林水支出",)) in by_item
    # the next sentence is the unit's own again
    assert ("personnel", Decimal("70.00"), ()) in by_item and ("basic", Decimal("80.00"), ()) in by_item


def test_marked_levels_name_one_subject_under_the_other():
    (stated,) = narrative_amounts("一般公共服务支出（类）人大事务（款）行政运行（项）项目支出2.50万元。")
    assert stated.scope == (("一般公共服务支出", 1), ("人大事务", 2), ("行政运行", 3))


def _document(tmp_path: Path):
    path = tmp_path / "subject-narrative.txt"
    path.write_text(DISCLOSURE, encoding="utf-8")
    return normalize_document(read_text(describe(path)))


def test_a_subjects_statement_loads_at_its_subject_and_is_checked_against_it(tmp_path):
    frames = _document(tmp_path)
    stated = frames.fact_expenditure.filter(table_kind="narrative")
    by_scope = {(r["line_item"], r["subject_code"]): r["amount_yuan"] for r in stated.iter_rows(named=True)}
    assert by_scope[("personnel", "213")] == Decimal("500000.00")
    assert by_scope[("project", "213")] == Decimal("200000.00")
    assert by_scope[("personnel", None)] == Decimal("700000.00")
    # a subject the classification does not know loads nothing and says so
    assert not [k for k in by_scope if k[1] not in (None, "213")]
    (unplaced,) = [f for f in frames.findings if f["check_name"] == "narrative_scope_unplaced"]
    assert "海岛开发支出" in unplaced["observed"] and unplaced["severity"] == "warn"

    tables = {t: frames.table(t) for t in DOCUMENT_FRAMES}
    tables |= {"dim_subject_code": load_subject_codes(), "table_inventory": frames.table_inventory}
    results = run_quality(tables, "scope", suite_tables=DOCUMENT_FRAMES)
    narrative = results.filter(check_name="narrative_matches_tables")
    # 213's 项目支出 (20) and the unit's 人员经费 (70) and 基本支出 (80) agree; nothing fails
    assert narrative.height >= 1 and narrative["success"].all()


def test_a_subjects_statement_that_disagrees_with_its_row_is_a_finding(tmp_path):
    path = tmp_path / "subject-narrative.txt"
    path.write_text(DISCLOSURE.replace("项目支出20万元", "项目支出23万元"), encoding="utf-8")
    frames = normalize_document(read_text(describe(path)))
    tables = {t: frames.table(t) for t in DOCUMENT_FRAMES}
    tables |= {"dim_subject_code": load_subject_codes(), "table_inventory": frames.table_inventory}
    results = run_quality(tables, "scope", suite_tables=DOCUMENT_FRAMES)
    failed = results.filter(check_name="narrative_matches_tables", success=False)
    assert failed.height == 1 and "subject_code: 213" in failed["details"][0]
    assert "project = 23.00 万元" in failed["observed"][0]


def test_shanghai_units_statement_by_subject_is_no_misprint():
    """上海水产老干部活动室 (filed under 上海市工业和信息化局): '“农林水支出”科目83万元，主要用于人员经费18万元、
    公用经费58万元、项目支出7万元' — 213 prints 项目支出 66,066 元 (7 万元 rounded) on pages 9 and 11."""
    doc = read_back(WILD / "001_上海" / "2026年上海市工业和信息化局_部门预算.pdf")
    stated = {(f["line_item"], f["subject_code"]): f["amount_yuan"] for f in doc.where(table_kind="narrative")}
    assert stated[("project", "213")] == Decimal("70000.00") and ("personnel", None) not in stated
    assert not [f for f in doc.findings() if f["check_name"] == "narrative_matches_tables"]


def test_a_kind_of_staffs_personnel_costs_is_no_statement_of_the_departments():
    """A project list names '某局临聘人员经费15.56万元' (a project): not the department's 人员经费; the basic
    expenditure's own 人员经费 still is."""
    text = ("2026年某局项目支出预算474.56万元，2026信访专项经费30万元，某局临聘人员经费15.56万元。\n"
            "2026年基本支出1208.20万元，其中：人员经费997.20万元，公用经费211.00万元。")
    personnel = [(a.line_item, a.amount) for a in narrative_amounts(text) if a.line_item == "personnel"]
    assert personnel == [("personnel", Decimal("997.20"))]
