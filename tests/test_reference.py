"""The 政府收支分类科目 reference table (pipeline/reference/subject_codes.csv) and its loader."""

from __future__ import annotations

import csv
import dataclasses
from importlib.resources import files

import polars as pl
import pytest

from pipeline.reference.classification import (
    SCHEMA,
    Subject,
    classification_of,
    level_of,
    lineage,
    load_subject_codes,
    load_subjects,
)

HEADER = ["subject_code", "classification", "subject_name", "level", "parent_code"]
LEVEL_BY_LENGTH = {"function": {3: 1, 5: 2, 7: 3}, "economic": {3: 1, 5: 2}}


@pytest.fixture(scope="module")
def raw_rows() -> list[dict[str, str]]:
    # The shipped file itself, read with the csv module (independent of the polars loader).
    text = files("pipeline.reference").joinpath("subject_codes.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    assert reader.fieldnames == HEADER
    return list(reader)


@pytest.fixture(scope="module")
def df() -> pl.DataFrame:
    return load_subject_codes()


# --- the file -------------------------------------------------------------------------------


def test_csv_codes_are_unique_digit_strings(raw_rows: list[dict[str, str]]) -> None:
    codes = [r["subject_code"] for r in raw_rows]
    assert len(codes) == len(set(codes))
    assert all(c.isdigit() for c in codes)
    assert all(r["subject_name"].strip() == r["subject_name"] and r["subject_name"] for r in raw_rows)


def test_csv_classification_matches_code_shape(raw_rows: list[dict[str, str]]) -> None:
    for r in raw_rows:
        assert r["classification"] in ("function", "economic"), r
        assert classification_of(r["subject_code"]) == r["classification"], r


def test_levels_match_code_lengths(raw_rows: list[dict[str, str]]) -> None:
    for r in raw_rows:
        expected = LEVEL_BY_LENGTH[r["classification"]][len(r["subject_code"])]
        assert int(r["level"]) == expected, r


def test_every_parent_exists_and_is_the_two_digit_shorter_prefix(raw_rows: list[dict[str, str]]) -> None:
    by_code = {r["subject_code"]: r for r in raw_rows}
    for r in raw_rows:
        code, parent = r["subject_code"], r["parent_code"]
        if r["level"] == "1":
            assert parent == "", r
            continue
        assert parent in by_code, r
        # 3 -> 5 -> 7 (function) and 3 -> 5 (economic): the parent is the code less its last 2 digits.
        assert len(parent) == len(code) - 2
        assert code.startswith(parent)
        assert by_code[parent]["classification"] == r["classification"]
        assert int(by_code[parent]["level"]) == int(r["level"]) - 1


def test_file_is_sorted_function_first_then_by_code(raw_rows: list[dict[str, str]]) -> None:
    keys = [(r["classification"] != "function", r["subject_code"]) for r in raw_rows]
    assert keys == sorted(keys)


def test_all_function_classes_present(df: pl.DataFrame) -> None:
    classes = set(
        df.filter((pl.col("classification") == "function") & (pl.col("level") == 1))["subject_code"]
    )
    expected = {str(c) for c in [*range(201, 218), *range(219, 225), 227, *range(229, 234)]}
    assert expected <= classes
    assert classes <= expected | {"234"}


def test_all_economic_classes_present(df: pl.DataFrame) -> None:
    classes = dict(
        df.filter((pl.col("classification") == "economic") & (pl.col("level") == 1))
        .select("subject_code", "subject_name")
        .iter_rows()
    )
    assert classes == {
        "301": "工资福利支出",
        "302": "商品和服务支出",
        "303": "对个人和家庭的补助",
        "307": "债务利息及费用支出",
        "309": "资本性支出（基本建设）",
        "310": "资本性支出",
        "311": "对企业补助（基本建设）",
        "312": "对企业补助",
        "313": "对社会保障基金补助",
        "399": "其他支出",
    }


def test_every_economic_class_has_kuan(df: pl.DataFrame) -> None:
    economic = df.filter(pl.col("classification") == "economic")
    parents = set(economic.filter(pl.col("level") == 2)["parent_code"])
    assert parents == set(economic.filter(pl.col("level") == 1)["subject_code"])


# --- named spot checks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name", "parent"),
    [
        ("201", "一般公共服务支出", None),
        ("20101", "人大事务", "201"),
        ("2010101", "行政运行", "20101"),
        ("2010104", "人大会议", "20101"),
        ("2010107", "人大代表履职能力提升", "20101"),
        ("2010150", "事业运行", "20101"),
        ("2010199", "其他人大事务支出", "20101"),
        ("20805", "行政事业单位养老支出", "208"),
        ("2080501", "行政单位离退休", "20805"),
        ("2080505", "机关事业单位基本养老保险缴费支出", "20805"),
        ("2080506", "机关事业单位职业年金缴费支出", "20805"),
        ("21011", "行政事业单位医疗", "210"),
        ("2101103", "公务员医疗补助", "21011"),
        ("2109999", "其他卫生健康支出", "21099"),
        ("22102", "住房改革支出", "221"),
        ("2210201", "住房公积金", "22102"),
        ("2210202", "提租补贴", "22102"),
        ("2210203", "购房补贴", "22102"),
        ("233", "债务发行费用支出", None),
        ("30101", "基本工资", "301"),
        ("30108", "机关事业单位基本养老保险缴费", "301"),
        ("30217", "公务接待费", "302"),
        ("30231", "公务用车运行维护费", "302"),
        ("30302", "退休费", "303"),
    ],
)
def test_named_subjects(code: str, name: str, parent: str | None) -> None:
    subject = load_subjects()[code]
    assert subject.name == name
    assert subject.parent_code == parent


def test_renda_administration_lineage() -> None:
    chain = lineage("2010101")
    assert [(s.code, s.name, s.level) for s in chain] == [
        ("201", "一般公共服务支出", 1),
        ("20101", "人大事务", 2),
        ("2010101", "行政运行", 3),
    ]
    assert lineage("9999999") == []


def test_renda_kuan_has_its_full_xiang_list(df: pl.DataFrame) -> None:
    xiang = df.filter(pl.col("parent_code") == "20101")["subject_code"].to_list()
    assert sorted(xiang) == [
        f"20101{n}" for n in ("01", "02", "03", "04", "05", "06", "07", "08", "09", "50", "99")
    ]


def test_pension_and_health_kuan(df: pl.DataFrame) -> None:
    names = dict(df.select("subject_code", "subject_name").iter_rows())
    assert names["2080502"] == "事业单位离退休"
    assert names["2080503"] == "离退休人员管理机构"
    assert names["2080507"] == "对机关事业单位基本养老保险基金的补助"
    assert names["2080599"] == "其他行政事业单位养老支出"
    assert names["2101101"] == "行政单位医疗"
    assert names["2101102"] == "事业单位医疗"
    assert names["2101199"] == "其他行政事业单位医疗支出"


# --- the loader -----------------------------------------------------------------------------


def test_load_subject_codes_dtypes(df: pl.DataFrame) -> None:
    assert df.schema == pl.Schema(SCHEMA | {"source": pl.Utf8, "fiscal_year": pl.Int32})
    assert df.columns == [*HEADER, "source", "fiscal_year"]
    # every row is the shipped list's, of no one year (contract milestone 3)
    assert df["source"].unique().to_list() == ["reference"] and df["fiscal_year"].null_count() == df.height
    assert df["level"].dtype == pl.Int16
    # Codes stay text (no int inference), and only 类 rows lack a parent.
    assert df.filter(pl.col("subject_code") == "201").height == 1
    assert df.filter(pl.col("parent_code").is_null())["level"].unique().to_list() == [1]
    assert df["subject_code"].is_unique().all()


def test_load_subjects_is_cached_and_frozen() -> None:
    subjects = load_subjects()
    assert subjects is load_subjects()
    assert len(subjects) == load_subject_codes().height
    subject = subjects["30302"]
    assert subject == Subject("30302", "economic", "退休费", 2, "303")
    with pytest.raises(dataclasses.FrozenInstanceError):
        subject.name = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("201", "function"),
        ("20101", "function"),
        ("2010101", "function"),
        ("234", "function"),
        (" 2210201 ", "function"),
        ("301", "economic"),
        ("30217", "economic"),
        ("399", "economic"),
        ("3010101", None),  # economic codes stop at 款
        ("2011", None),
        ("201010101", None),
        ("101", None),  # revenue (收入) codes are not in this table
        ("50101", "gov_economic"),  # 政府预算支出经济分类, a scheme of its own
        ("5010101", None),
        ("2O101", None),
        ("", None),
    ],
)
def test_classification_of(code: str, expected: str | None) -> None:
    assert classification_of(code) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [("201", 1), ("20101", 2), ("2010101", 3), ("302", 1), ("30201", 2), ("3020101", None)],
)
def test_level_of(code: str, expected: int | None) -> None:
    assert level_of(code) == expected
