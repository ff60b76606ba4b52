"""Agreement between the tables of a document, and between its text and its tables."""

from __future__ import annotations

from quality_frames import DEPT, SUB, Facts, failures, passes

from pipeline.quality.consistency import CONSISTENCY_CHECKS, check_consistency
from pipeline.quality.printed_copies import only_general_budget
from pipeline.table.from_facts import document_facts

PARENTS = {DEPT: None, SUB: DEPT}


def run(facts: Facts, **kw) -> list:
    return check_consistency(document_facts(facts.frame())[facts.document_id], PARENTS, **kw)


def checked(outcomes, name: str) -> int:
    (o,) = passes(outcomes, name)
    return int(o.observed.split()[0])


def dongxihu_tables(summary_amount: str = "1348.91") -> Facts:
    """行政运行 printed in three tables; the scan damaged the 部门支出总表 copy."""
    f = Facts(fiscal_year=2022).table("expenditure_summary", "2022年部门支出总表")
    f.row("total", "合计", {"total": "2070.44"})
    f.row("subject", "行政运行", {"total": summary_amount}, code="2010101", printed_code="5011001", page=12)
    f.table("general_budget_expenditure", "2022年一般公共预算支出总表")
    f.row("total", "合计", {"total": "2070.44"})
    f.row("subject", "行政运行", {"total": "1346.91"}, code="2010101", page=13)
    f.table("general_budget_expenditure", "2022年一般公共预算支出表（功能分类项级）")
    f.row("total", "合计", {"total": "2070.44"})
    f.row("subject", "行政运行", {"total": "1346.91"}, code="2010101", page=14)
    return f


def test_every_check_reports_once_when_nothing_fails():
    out = run(dongxihu_tables("1346.91"))
    assert not failures(out)
    assert {o.check_name for o in out} == set(CONSISTENCY_CHECKS)
    assert checked(out, "subject_amount_consistent") == 1


def test_conflicting_copies_point_at_the_damaged_table_and_row():
    (bad,) = failures(run(dongxihu_tables()), "subject_amount_consistent")
    assert bad.severity == "error"
    assert "table: 2022年部门支出总表 (expenditure_summary" in bad.details
    assert "row: 行政运行" in bad.details and "subject_code: 2010101" in bad.details
    assert "printed_code: 5011001" in bad.details and "page: 12" in bad.details
    assert "1348.91 万元" in bad.observed
    assert "1346.91 万元" in bad.expected and "2022年一般公共预算支出总表" in bad.expected


def test_department_wide_rows_are_not_compared_with_a_unit_section():
    """keqiao: the 收支总表 prints 人大事务 for the whole department (2226.41), the 支出总表
    for the 本级 section (2185.02) and the 信息中心 section (41.39)."""
    f = Facts(fiscal_year=2023).table("income_expenditure_summary", "2023年部门收支预算总表")
    f.row("subject", "人大事务", {"total": "2226.41"}, code="20101")
    f.table("expenditure_summary", "2023年部门支出预算总表")
    f.row("unit_total", "绍兴市柯桥区人民代表大会常务委员会办公室", {"total": "2185.02"})
    f.row("subject", "人大事务", {"total": "2185.02"}, code="20101")
    f.row("unit_total", "绍兴市柯桥区人大信息中心", {"total": "41.39"}, unit=SUB)
    f.row("subject", "人大事务", {"total": "41.39"}, code="20101", unit=SUB)
    out = run(f)
    assert not failures(out)


def test_tables_of_different_funds_are_not_compared_when_the_document_has_other_funds():
    f = Facts().table("expenditure_summary", "部门支出总表")
    f.row("total", "合计", {"total": "120.00"})
    f.row("subject", "行政运行", {"total": "120.00"}, code="2010101")
    f.table("general_budget_expenditure", "一般公共预算支出表")
    f.row("total", "合计", {"total": "100.00"})
    f.row("subject", "行政运行", {"total": "100.00"}, code="2010101")
    f.table("gov_fund_expenditure", "政府性基金预算支出表")
    f.row("total", "合计", {"total": "20.00"})
    doc = document_facts(f.frame())[f.document_id]
    assert not only_general_budget(doc)
    assert not failures(run(f))


def test_a_fiscal_grant_table_is_not_compared_with_the_general_budget_table():
    """无锡 交通运输局 prints 财政拨款支出表（功能科目） (every grant: 城乡社区支出 281,691.11 with its
    政府性基金) beside 一般公共预算支出表 (137,692.11): two scopes, not two copies of one figure."""
    f = Facts().table("general_budget_expenditure", "财政拨款支出表（功能科目）")
    f.row("total", "合计", {"total": "372917.67"})
    f.row("subject", "城乡社区支出", {"total": "281691.11"}, code="212")
    f.table("general_budget_expenditure", "一般公共预算支出表")
    f.row("total", "合计", {"total": "196278.67"})
    f.row("subject", "城乡社区支出", {"total": "137692.11"}, code="212")
    f.table("gov_fund_expenditure", "政府性基金预算支出表")
    f.row("total", "合计", {"total": "143999.00"})
    assert not failures(run(f), "subject_amount_consistent")


def keqiao_basic(total: str = "2072.53") -> Facts:
    f = Facts(fiscal_year=2023).table("general_budget_basic_expenditure", "2023年部门一般公共预算基本支出表")
    f.row("total", "合计", {"total": total, "personnel": "1912.45", "public_operating": "160.08"})
    f.table("general_budget_expenditure", "2023年部门一般公共预算支出表")
    # the 合计 row is printed empty; the department's row carries the figures, 基本支出 only in parts
    f.row("unit_total", "区人大办", {"total": "2752.53", "personnel": "1912.45", "public_operating": "160.08",
                                      "project": "680.00"})
    f.row("unit_total", "绍兴市柯桥区人民代表大会常务委员会办公室", {"total": "2752.53", "personnel": "1912.45",
                                                                         "public_operating": "160.08", "project": "680.00"})
    f.row("subject", "行政运行", {"total": "2752.53"}, code="2010101")
    return f


def test_basic_table_matches_the_basic_expenditure_of_the_expenditure_table():
    out = run(keqiao_basic())
    assert not failures(out)
    assert checked(out, "basic_table_matches_expenditure") == 3  # basic, personnel, public_operating


def test_basic_table_that_does_not_match():
    (bad,) = failures(run(keqiao_basic("2082.53")), "basic_table_matches_expenditure")
    assert "2023年部门一般公共预算基本支出表" in bad.details
    assert "compared_with: 2023年部门一般公共预算支出表" in bad.details
    assert "(= personnel + public_operating)" in bad.expected


def narrative(statement: str, item: str = "basic") -> Facts:
    f = keqiao_basic()
    f.table("three_public", "2023年部门一般公共预算“三公”经费支出表")
    f.row("total", "three_public_total", {"total": "20.20"})
    f.row("item", "official_reception", {"total": "8.20"})
    f.narrative(item, statement, sentence=f"区人大办 2023 年一般公共预算基本支出 {statement} 万元")
    return f


def test_narrative_that_agrees_with_the_tables():
    out = run(narrative("2072.53"))
    assert not failures(out)
    out = run(narrative("8.2", item="official_reception"))
    assert not failures(out)


def test_narrative_that_disagrees_is_one_finding_naming_the_tables():
    """keqiao 2023's text states 一般公共预算基本支出 2752.53 万元; the tables print 2072.53."""
    (bad,) = failures(run(narrative("2752.53")), "narrative_matches_tables")
    assert bad.severity == "error"
    assert "text states basic = 2752.53 万元" in bad.observed
    assert "2072.53 万元" in bad.expected
    assert "explanatory text" in bad.details and "2752.53 万元" in bad.details
    assert "2023年部门一般公共预算基本支出表" in bad.details
    (warn,) = failures(run(narrative("2752.53"), narrative_severity="warn"), "narrative_matches_tables")
    assert warn.severity == "warn"


def test_narrative_three_public_figure():
    (bad,) = failures(run(narrative("20.30", item="three_public_total")), "narrative_matches_tables")
    assert "“三公”经费支出表" in bad.details
