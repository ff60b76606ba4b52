"""A printed, well-formed code is evidence: kept as printed, with the label as a witness; only broken
codes are repaired, and never across a 类 or 款."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pipeline.normalize.subjects import SubjectResolver
from tests.read_back import read_back


def test_a_new_kuan_printed_above_keeps_its_xiang_as_printed():
    """20140 信访事务 is newer than the shipped list: its 项 2014001 行政运行 is not moved to 2010101 (人大事务)."""
    r = SubjectResolver()
    kuan = r.resolve("20140", "信访事务", "function")
    assert (kuan.code, kuan.how) == ("20140", "unknown")
    xiang = r.resolve("2014001", "行政运行", "function", parent_hint="20140")
    assert (xiang.code, xiang.how) == ("2014001", "unknown")


def test_a_xiang_of_a_kuan_the_document_prints_elsewhere_is_kept():
    r = SubjectResolver()
    r.learn([("20140", "信访事务"), ("2014004", "信访业务")])
    assert r.resolve("2014004", "信访业务", "function").code == "2014004"


def test_a_code_under_an_unofficial_lei_is_not_well_formed():
    assert not SubjectResolver().well_formed("9990101", parent_hint="99901")


def test_an_official_code_printed_beside_another_subjects_name_is_kept_and_flagged():
    res = SubjectResolver().resolve("2010301", "基本工资", "function")
    assert (res.code, res.how) == ("2010301", "label_mismatch")


def test_a_local_economic_sub_code_is_kept_under_its_official_parent():
    res = SubjectResolver().resolve("3010201", "岗位津贴", "economic")
    assert (res.code, res.how) == ("3010201", "unknown")


def test_a_renamed_subject_is_the_same_subject():
    """Wording differs (punctuation, 支出 suffix): the printed code stands as an exact match."""
    res = SubjectResolver().resolve("20103", "政府办公厅(室)及相关机构事务支出", "function")
    assert (res.code, res.how) == ("20103", "exact")


def test_only_a_broken_code_is_repaired():
    r = SubjectResolver()
    r.learn([("2010101", "行政运行")])
    truncated = r.resolve("20104", "人大会议", "function")  # 类 + 项, the 款 dropped
    assert (truncated.code, truncated.how) == ("2010104", "truncated")
    garbled = r.resolve("5011001", "行政运行", "function")  # no function code has this shape
    assert garbled.code == "2010101" and garbled.how in ("by_name", "fuzzy")


def _split_code_table_facts(rows: list[list[str]]) -> list[dict]:
    from pipeline.model import ExtractedTable
    from pipeline.normalize.coded_tables import coded_table_facts
    from pipeline.normalize.context import DocContext
    from pipeline.normalize.grid import place_table
    from pipeline.normalize.units import UnitRegistry

    table = ExtractedTable(
        index=0, title="2026年一般公共预算支出表", unit_label="万元",
        header_rows=[["科目编码", "", "", "科目名称", "合计"], ["类", "款", "项", "", ""]],
        body_rows=rows, row_pages=[1] * len(rows), page=1,
    )
    ctx = DocContext("doc", 2026, UnitRegistry.for_department("某市信访局"), SubjectResolver())
    return coded_table_facts(place_table(table), "general_budget_expenditure", ctx)


def test_a_kuan_printed_in_its_own_column_takes_the_lei_of_the_row_above():
    """'40 信访事务' in the 款 column under 201: the 款 20140, not the 项 named 信访事务 of another 款."""
    facts = _split_code_table_facts([
        ["201", "", "", "一般公共服务支出", "1,935.36"],
        ["", "40", "", "信访事务", "1,935.36"],
        ["201", "40", "04", "信访业务", "417.41"],
        ["", "", "99", "其他信访事务支出", "1,517.95"],
    ])
    codes = [(f["subject_code"], f["printed_code"], f["amount_yuan"]) for f in facts]
    assert codes == [("201", "201", Decimal("19353600.00")), ("20140", "40", Decimal("19353600.00")),
                     ("2014004", "201 40 04", Decimal("4174100.00")), ("2014099", "99", Decimal("15179500.00"))]
    # a part completed within its parents is the reader's code; the whole code printed is the printer's
    assert [f["code_source"] for f in facts] == ["printed", "repaired", "printed", "repaired"]


WILD = Path(__file__).parent / "fixtures" / "wild"


def test_each_code_says_whether_it_was_printed_completed_or_placed_by_name():
    """长沙 信访局 p.14 prints 201 | 40 | 01 on 行政运行's row but only 40 on 信访事务's (its 类 on the row
    above): the first is printed, the second completed by the reader. 上海 审计局's 收支预算总表 (p.7) names
    一、一般公共服务支出 without a code: the 201 is placed by the name."""
    changsha = read_back(WILD / "015_长沙" / "2026年长沙市信访局部门预算.pdf")
    summary = [f for f in changsha.where("fact_expenditure", page=14, measure="total")]
    assert {(f["printed_code"], f["subject_code"], f["code_source"], f["amount_yuan"]) for f in summary} >= {
        ("201 40 01", "2014001", "printed", Decimal("15179500.00")),
        ("40", "20140", "repaired", Decimal("19353600.00")),
    }
    shanghai = read_back(WILD / "001_上海" / "2026年上海市审计局_部门预算.pdf")
    named = shanghai.where("fact_expenditure", page=7, line_item="一般公共服务支出", measure="total")
    assert [(f["printed_code"], f["subject_code"], f["code_source"], f["amount_yuan"]) for f in named] == [
        (None, "201", "inferred", Decimal("134339860.00"))]
    assert {f["code_source"] for f in shanghai.facts() if f["subject_code"] is None} == {None}


def test_a_bare_name_takes_the_code_the_document_prints_for_it_where_the_classification_lacks_it():
    """A names-only summary table names subjects the shipped classification lacks but the document's coded
    tables print (21498 超长期特别国债安排的支出 / 2149801 公路水路运输; 2069999 其他科学技术支出, the 项 of its own
    款's name): a bare name is placed at the document's code, under the row above, never at its 款 again."""
    resolver = SubjectResolver()
    resolver.learn([("214", "交通运输支出"), ("21401", "公路水路运输"), ("2140199", "其他公路水路运输支出"),
                    ("21498", "超长期特别国债安排的支出"), ("2149801", "公路水路运输"),
                    ("20699", "其他科学技术支出"), ("2069901", "科技奖励"), ("2069999", "其他科学技术支出"),
                    ("2069902", "1234.50")])  # a figure beside a code is no name
    assert "2069902" not in resolver.local

    def placed(name: str, above: str) -> str | None:
        return resolver.resolve(None, name, "function", above).code

    assert placed("超长期特别国债安排的支出", "21401") == "21498"
    assert placed("公路水路运输", "21498") == "2149801"  # under the 款 above, not 21401 again
    assert placed("公路水路运输", "214") == "21401"
    assert placed("其他科学技术支出", "206") == "20699"
    assert placed("其他科学技术支出", "20699") == "2069999"  # after 2069901 科技奖励: the 项, not the 款 again
    # a printed code is evidence as before: the document's own codes do not make it 'exact'
    assert resolver.resolve("2149801", "公路水路运输", "function").how == "unknown"
