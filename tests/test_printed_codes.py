"""A printed, well-formed code is evidence: kept as printed, with the label as a witness; only broken
codes are repaired, and never across a 类 or 款."""

from __future__ import annotations

from pipeline.normalize.subjects import SubjectResolver


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
