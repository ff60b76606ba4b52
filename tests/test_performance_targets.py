"""Performance targets as printed ("≥95%", "明显提升") into comparators and numbers, and titles into projects."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.normalize.performance.forms import project_from_title, unit_from_title
from pipeline.normalize.targets import Target, parse_target

D = Decimal



@pytest.mark.parametrize(
    "text, expected",
    [
        # keqiao 2020 free-text targets
        ("1000人以上", Target(">=", 1000, None, "人")),
        ("1500人以上", Target(">=", 1500, None, "人")),
        ("≥6个", Target(">=", 6, None, "个")),
        ("≥12次", Target(">=", 12, None, "次")),
        ("1-5条", Target("between", 1, 5, "条")),
        ("5-10条", Target("between", 5, 10, "条")),
        ("400元/天", Target("=", 400, None, "元/天")),
        ("3400元/人", Target("=", 3400, None, "元/人")),
        ("100人/次", Target("=", 100, None, "人/次")),
        ("2本/人", Target("=", 2, None, "本/人")),
        (">5篇", Target(">", 5, None, "篇")),
        (">300篇", Target(">", 300, None, "篇")),
        (">50人", Target(">", 50, None, "人")),
        ("100%", Target("=", 100, None, "%")),
        ("≥80%", Target(">=", 80, None, "%")),
        ("控制在10%内", Target("<=", 10, None, "%")),
        ("5年", Target("=", 5, None, "年")),
        ("1", Target("=", 1, None, None)),
        # pingxiang 2023
        ("≥150人", Target(">=", 150, None, "人")),
        ("≤5%", Target("<=", 5, None, "%")),
        ("≤27万元", Target("<=", 27, None, "万元")),
        ("≥1年", Target(">=", 1, None, "年")),
        # dongxihu 2022 (OCR spacing)
        ("5天", Target("=", 5, None, "天")),
        ("540 人", Target("=", 540, None, "人")),
        ("≥ 3", Target(">=", 3, None, None)),
        ("≥3 份", Target(">=", 3, None, "份")),
        ("≤ 24 小时", Target("<=", 24, None, "小时")),
        ("≤3周", Target("<=", 3, None, "周")),
        ("≥214", Target(">=", 214, None, None)),
        # signs in words and full-width forms
        ("不低于95%", Target(">=", 95, None, "%")),
        ("不少于3次", Target(">=", 3, None, "次")),
        ("至少2次", Target(">=", 2, None, "次")),
        ("不超过5天", Target("<=", 5, None, "天")),
        ("不高于10%", Target("<=", 10, None, "%")),
        ("5%以下", Target("<=", 5, None, "%")),
        ("3个工作日以内", Target("<=", 3, None, "个工作日")),
        ("大于90%", Target(">", 90, None, "%")),
        ("低于1%", Target("<", 1, None, "%")),
        ("＞９０％", Target(">", 90, None, "%")),
        ("≥95％", Target(">=", 95, None, "%")),
        ("=100%", Target("=", 100, None, "%")),
        (">=90%", Target(">=", 90, None, "%")),
        ("1～3天", Target("between", 1, 3, "天")),
        ("1~3天", Target("between", 1, 3, "天")),
        ("2至4次", Target("between", 2, 4, "次")),
        ("90%-100%", Target("between", 90, 100, "%")),
        ("1,000人", Target("=", 1000, None, "人")),
        ("95.5%", Target("=", 95.5, None, "%")),
    ],
)
def test_parse_target_quantities(text, expected):
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # qualitative words
        "是", "及时", "良好", "及时有效", "有所提升", "不超预算", "不超标准", "保障", "四星以上",
        "控制在预算数内", "按照法定程序规定时间召开会议", "广播、电视、报纸、网", "人代会前一个月",
        # a bound against something that is not a number
        "≤上期会议经费",
        # deadlines: dates are not quantities
        "2021年2月底前", "2020年11月底前", "6月30日前",
        # a sentence that merely contains a number
        "每个月1次", "",
    ],
)
def test_parse_target_qualitative(text):
    assert parse_target(text) == Target(None, None, None, None)


@pytest.mark.parametrize(
    "value, unit, sign, expected",
    [
        ("3400", "元/人", "≥", Target(">=", 3400, None, "元/人")),
        ("5", "%", "≤", Target("<=", 5, None, "%")),
        ("0", "次", "<", Target("<", 0, None, "次")),
        ("85", "(%)", ">", Target(">", 85, None, "%")),
        ("90", "（%）", ">", Target(">", 90, None, "%")),
        ("90", "（/ %）", "≥", Target(">=", 90, None, "%")),
        ("250", "件", "=", Target("=", 250, None, "件")),
        ("350", "人次", ">", Target(">", 350, None, "人次")),
        ("及时", "", "定性", Target(None, None, None, None)),
        # 定性 wins over a number in the value column (jiaxing prints one such row)
        ("40", "", "定性", Target(None, None, None, None)),
        # a sign in the value itself wins over the column
        ("≥95%", None, "=", Target(">=", 95, None, "%")),
    ],
)
def test_parse_target_with_sign_and_unit_columns(value, unit, sign, expected):
    assert parse_target(value, unit, sign) == expected



@pytest.mark.parametrize(
    "title, expected",
    [
        ("2、平乡县第十七届人民代表大会第三次会议经费绩效目标表", "平乡县第十七届人民代表大会第三次会议经费"),
        ("4、综合业务和事务管理经费绩效目标表", "综合业务和事务管理经费"),
        ("（三）区人大代表培训经费项目绩效目标表", "区人大代表培训经费项目"),
        ("2023年部门预算项目绩效目标表", None),
        ("2020年区级部门预算项目绩效目标汇总表", None),
        ("项目绩效目标申报表", None),
        ("2023年部门支出预算总表", None),
        ("301007_某市公安局某分局_综合修缮改造项目绩效目标表", "综合修缮改造项目"),
        ("2026_年度_项目绩效目标表", "2026_年度_项目"),
    ],
)
def test_project_from_title(title, expected):
    assert project_from_title(title) == expected


def test_a_budget_systems_title_names_the_unit_before_the_project():
    """泉州 公安局's forms are titled 'unit code_unit name_project': the unit is the 分局, not the project."""
    assert unit_from_title("301007_某市公安局某分局_综合修缮改造项目绩效目标表") == "某市公安局某分局"
    assert unit_from_title("2、某县会议经费绩效目标表") is None
