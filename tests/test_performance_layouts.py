"""Performance-target tables in layouts the corpus does not print: column orders, merged forms, page breaks."""

from __future__ import annotations

from decimal import Decimal

from pipeline.model import ExtractedTable
from pipeline.normalize.build import _table_rows
from pipeline.normalize.context import DocContext
from pipeline.normalize.performance.rows import performance_rows
from pipeline.normalize.subjects import SubjectResolver
from pipeline.normalize.units import UnitRegistry

D = Decimal



# --- layouts never seen -------------------------------------------------------------------

def test_unseen_column_layout_with_ascii_signs_and_pages():
    table = ExtractedTable(
        index=3,
        title="2025年项目绩效目标表",
        unit_label="元",
        header_rows=[["项目名称", "项目资金", "一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"]],
        body_rows=[
            ["乡村道路养护", "120,000", "产出指标", "数量指标", "养护里程（公里）", ">=35", "年度计划"],
            ["", "", "", "时效指标", "完工时间", "2025年10月底前", "合同"],
            ["", "", "效益指标", "社会效益指标", "群众出行便利度", "明显提升", "问卷"],
            ["", "", "满意度指标", "服务对象满意度指标", "群众满意度（%）", "90", "问卷"],
        ],
        row_pages=[7, 7, 8, 8],
    )
    rows = performance_rows(table)
    assert [r.row_index for r in rows] == [0, 1, 2, 3]
    first = rows[0]
    assert (first.project_name, first.project_budget_yuan, first.page) == ("乡村道路养护", D("120000.00"), 7)
    assert (first.comparator, first.target_value, first.target_unit, first.basis) == (">=", 35, "公里", "年度计划")
    assert (rows[1].level1, rows[1].comparator, rows[1].target_text) == ("产出指标", None, "2025年10月底前")
    # The unit in the name's brackets completes a bare-number target.
    assert (rows[3].comparator, rows[3].target_value, rows[3].target_unit) == ("=", 90, "%")
    assert all(r.project_name == "乡村道路养护" and r.table_index == 3 for r in rows)


def test_two_forms_read_as_one_table_keep_their_own_projects():
    # A PDF reader that misses the second form's title hands both forms over as one table.
    form = [
        ["项目名称", "{name}", "", "", ""],
        ["项目当年预算", "{budget}", "", "", ""],
        ["项目资金来源", "资金来源", "金额", "", ""],
        ["", "合计", "{budget}", "", ""],
        ["项目绩效总目标", "保障工作正常开展。", "", "", ""],
        ["项目年度绩效指标", "一级指标", "二级指标", "指标内容", "指标值"],
        ["", "产出指标", "数量指标", "{indicator}", "≥{n}次"],
        ["", "满意度指标", "服务对象满意度指标", "满意度", "≥95%"],
    ]
    rows = [[c.format(name=name, budget=budget, indicator=ind, n=n) for c in r] for name, budget, ind, n in (
        ("甲项目经费", "12", "开展活动次数", 3), ("乙项目经费", "8 万元", "召开会议次数", 6),
    ) for r in form]
    table = ExtractedTable(index=0, title="项目绩效目标申报表", unit_label="万元", body_rows=rows)
    got = performance_rows(table)
    assert [(r.project_name, r.project_budget_yuan, r.indicator_name, r.target_value) for r in got] == [
        ("甲项目经费", D("120000.00"), "开展活动次数", 3),
        ("甲项目经费", D("120000.00"), "满意度", 95),
        ("乙项目经费", D("80000.00"), "召开会议次数", 6),
        ("乙项目经费", D("80000.00"), "满意度", 95),
    ]


def test_header_repeated_after_a_page_break():
    header = ["单位名称", "项目名称", "一级指标", "二级指标", "三级指标", "计算符号", "指标值", "计量单位"]
    table = ExtractedTable(
        index=1,
        title="部门预算项目绩效目标表",
        unit_label="万元",
        header_rows=[header],
        body_rows=[
            ["某单位", "某项目", "产出指标", "数量指标", "培训人数", "≥", "100", "人"],
            header,
            ["某单位", "某项目", "", "成本指标", "人均培训成本", "≤", "500", "元/人"],
        ],
        row_pages=[1, 2, 2],
    )
    got = performance_rows(table)
    assert [(r.row_index, r.page, r.level1, r.level2, r.comparator, r.target_value, r.target_unit) for r in got] == [
        (0, 1, "产出指标", "数量指标", ">=", 100, "人"),
        (2, 2, "产出指标", "成本指标", "<=", 500, "元/人"),
    ]


def test_level_heading_rows_and_stray_rows():
    table = ExtractedTable(
        index=0,
        title="某某项目绩效目标表",
        unit_label=None,
        body_rows=[
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "", "", ""],  # a merged level cell printed on a line of its own
            ["", "数量指标", "培训人数", "≥100人"],
            ["", "", "", "≥3次"],  # a target whose name was lost: kept, not dropped
        ],
    )
    got = performance_rows(table)
    assert [(r.row_index, r.project_name, r.level1, r.level2, r.indicator_name, r.target_text) for r in got] == [
        (2, "某某项目", "产出指标", "数量指标", "培训人数", "≥100人"),
        (3, "某某项目", "产出指标", "数量指标", "≥3次", "≥3次"),
    ]


def test_label_column_fragment_is_not_an_indicator():
    # A page break cuts the form's label '项目年度绩效指标' in two; the tail lands on a row alone.
    table = ExtractedTable(
        index=0,
        title="项目绩效目标申报表",
        unit_label="万元",
        body_rows=[
            ["项目名称", "某某会议经费", "", "", ""],
            ["", "一级指标", "二级指标", "指标内容", "指标值"],
            ["项目年度绩效指", "产出指标", "数量指标", "会议天数", "3天"],
            ["标", "", "", "", ""],
            ["", "", "质量指标", "议程完成率", "100%"],
        ],
        row_pages=[1, 1, 1, 2, 2],
    )
    got = performance_rows(table)
    assert [(r.row_index, r.indicator_name, r.level2, r.target_text) for r in got] == [
        (2, "会议天数", "数量指标", "3天"),
        (4, "议程完成率", "质量指标", "100%"),
    ]


def test_a_form_labelled_with_goal_and_indicator_words_reads_its_indicators():
    """泉州 公安局 prints 27 project forms whose indicator block is labelled 绩效目标指标 (绩效 目标 指标 at
    once): the header row under it heads the indicators, as under 年度绩效指标."""
    table = ExtractedTable(
        index=10, title="301007_某市公安局某分局_综合修缮改造项目绩效目标表", unit_label="万元",
        body_rows=[
            ["专项资金情况（万元）", "资金总额：", "57.00", "", ""],
            ["", "财政拨款：", "57.00", "", ""],
            ["项目实施期目标", "完成备勤宿舍改造与停车场建设。", "", "", ""],
            ["绩效目标指标", "一级指标", "二级指标", "三级指标", "目标值"],
            ["", "成本指标", "经济成本指标", "预算执行率", "100%"],
            ["", "产出指标", "时效指标", "备勤宿舍改造完成及时率", "100%"],
            ["", "效益指标", "社会效益指标", "提升辖区社会治理能力", "1次"],
        ],
        row_pages=[26] * 7,
    )
    rows = performance_rows(table)
    assert [(r.level2, r.indicator_name, r.target_value, r.target_unit) for r in rows][:2] == [
        ("经济成本指标", "预算执行率", 100, "%"), ("时效指标", "备勤宿舍改造完成及时率", 100, "%")]
    assert len(rows) == 3 and rows[0].project_budget_yuan == D("570000.00")


def _read_in_document(table: ExtractedTable, department: str) -> tuple[list[dict], DocContext]:
    """The indicators the document's reading takes from one performance table, and its findings."""
    ctx = DocContext("doc", 2026, UnitRegistry.for_department(department), SubjectResolver())
    _, _, indicators = _table_rows([(table, "performance")], ctx)
    return indicators, ctx


def test_a_performance_table_whose_indicators_the_reader_cannot_place_says_so():
    """A form whose indicator block no header heads loads no indicator, and an error finding names it."""
    table = ExtractedTable(index=4, title="某项目绩效目标表", unit_label="万元", page=30,
                           body_rows=[["产出指标", "完成率"], ["满意度指标", "≥95%"]], row_pages=[30, 30])
    indicators, ctx = _read_in_document(table, "某市公安局")
    assert indicators == []
    (note,) = ctx.findings
    assert (note["check_name"], note["severity"]) == ("table_unreadable", "error") and "page 30" in note["details"]


def test_a_list_of_project_goals_without_indicators_is_no_unreadable_table():
    """单位名称 | 项目名称 | 金额 | 项目总体绩效目标: goals quoting figures, no indicator heading or level word. It
    loads nothing (the warehouse holds indicators) and says so as a warning, not as a misread table."""
    table = ExtractedTable(
        index=10, title="2026年市级部门项目支出绩效表", unit_label=None, page=32,
        header_rows=[["单位名称", "项目名称", "金额", "项目总体绩效目标"]],
        body_rows=[["", "", "1,266.75", ""],
                   ["某市某中心", "市级预算项目评审", "371.00", "2026年，全年完成审核目标100亿元，节约资金8亿元以上。"]],
        row_pages=[32, 32],
    )
    indicators, ctx = _read_in_document(table, "某市财政局")
    assert indicators == []
    (note,) = ctx.findings
    assert (note["check_name"], note["severity"]) == ("performance_goals_only", "warn") and "page 32" in note["details"]


def _yantai_form(unit_group: str, amount: str) -> ExtractedTable:
    """烟台 信访局 p.30 as the reader hands it over: no unit line above the form, the unit in a row label."""
    return ExtractedTable(
        index=13, title="政策和项目预算绩效目标表", unit_label=None, page=30,
        header_rows=[["项目名称", "", "", "实施公车统管费用", "", ""],
                     ["主管部门及代码", "", "", "229_烟台市信访局", "实施单位", "烟台市信访局"]],
        body_rows=[[unit_group, "", "", "年度预算资金总额：", amount, ""],
                   ["", "", "", "其中：财政拨款", amount, ""],
                   ["", "一级指标", "二级指标", "三级指标", "指标值", ""],
                   ["绩效指标", "成本指标", "经济成本", "实施公车统管费用", "≤15万元", ""]],
        row_pages=[30] * 4)


def test_a_forms_year_budget_field_and_the_unit_its_row_label_declares():
    """烟台's forms print 项目资金（万元） | 年度预算资金总额： | 15.00: the project's budget of the year is
    150,000 yuan; the same row declaring （元） would make it 15 yuan, whatever the convention."""
    (row,) = performance_rows(_yantai_form("项目资金（万元）", "15.00"))
    assert (row.project_name, row.indicator_name, row.project_budget_yuan) == (
        "实施公车统管费用", "实施公车统管费用", D("150000.00"))
    (row,) = performance_rows(_yantai_form("项目资金（元）", "15.00"))
    assert row.project_budget_yuan == D("15.00")


def test_a_score_column_is_not_part_of_the_indicator():
    """The national 信访局's forms print 分值（90） after 指标值: the header still heads the block, and the
    points (20, 8) are never read as a target or a basis."""
    table = ExtractedTable(
        index=6, title="信息化运行维护绩效目标表", unit_label="万元",
        body_rows=[
            ["项目名称", "", "信息化运行维护", "", "", "", ""],
            ["项目资金（万元）", "", "年度资金总额：", "", "2,134.87", "", "执行率分值（10）"],
            ["绩 效 指 标", "一级指标", "二级指标", "三级指标", "", "指标值", "分值（90）"],
            ["", "成本指标", "经济成本指标", "项目总成本", "", "≤2134.87万元", "20"],
            ["", "产出指标", "质量指标", "设备完好率", "", "≥96%", "8"],
        ],
        row_pages=[30] * 5,
    )
    rows = performance_rows(table)
    assert [(r.indicator_name, r.comparator, r.target_value, r.target_unit, r.basis) for r in rows] == [
        ("项目总成本", "<=", 2134.87, "万元", None), ("设备完好率", ">=", 96, "%", None)]
    assert rows[0].project_name == "信息化运行维护" and rows[0].project_budget_yuan == D("21348700.00")


def test_a_form_continued_on_the_next_page_reads_under_the_page_before():
    """烟台 商务局's form for 商务事业发展经费 runs onto p.42 under the same title every form carries, its
    first row (绩效指标 | 效益指标 | …) taken for a header: those rows are the same project's indicators."""
    from pipeline.normalize.performance.continued import read_performance

    first = ExtractedTable(
        index=16, title="政策和项目预算绩效目标表", unit_label="万元", page=41,
        header_rows=[["项目名称", "", "", "商务事业发展经费", "", ""]],
        body_rows=[["", "一级指标", "二级指标", "三级指标", "指标值", ""],
                   ["绩效指标", "产出指标", "数量指标", "经贸推进活动举办次数", "≥5次", ""]],
        row_pages=[41, 41])
    second = ExtractedTable(
        index=17, title="政策和项目预算绩效目标表", unit_label="万元", page=42,
        header_rows=[["绩效指标", "效益指标", "可持续影响指标", "项目对老干部工作持续保障情况", "100%"]],
        body_rows=[["绩效指标", "满意度指标", "服务对象满意度指标", "服务对象满意度", "≥95%"]], row_pages=[42])
    assert performance_rows(second) == []
    rows = read_performance(second, first)
    assert [(r.table_index, r.row_index, r.page, r.project_name, r.indicator_name, r.target_text) for r in rows] == [
        (17, 0, 42, "商务事业发展经费", "项目对老干部工作持续保障情况", "100%"),
        (17, 1, 42, "商务事业发展经费", "服务对象满意度", "≥95%")]
    assert len(read_performance(first, None)) == 1


def test_a_table_under_another_title_is_not_read_as_a_continuation():
    from pipeline.normalize.performance.continued import read_performance

    first = ExtractedTable(index=1, title="甲项目绩效目标表", unit_label="万元", page=5,
                           header_rows=[["一级指标", "二级指标", "三级指标", "指标值"]],
                           body_rows=[["产出指标", "数量指标", "培训人次", "≥100人次"]], row_pages=[5])
    other = ExtractedTable(index=2, title="乙项目绩效目标表", unit_label="万元", page=6,
                           body_rows=[["产出指标", "数量指标", "检查次数", "≥12次"]], row_pages=[6])
    assert read_performance(other, first) == []


def test_a_form_whose_indicator_label_is_cut_at_its_cell_still_reads_its_indicators():
    """'绩效目标指' (its 标 wrapped out of the cell) over 一级指标 | 二级指标 | 三级指标 | 指标值 still heads the
    indicator block: the form's indicators load instead of none."""
    table = ExtractedTable(
        index=13, title="综合工作经费项目绩效目标表", unit_label=None, page=30,
        header_rows=[["项目名称", "综合工作经费", "", "", ""]],
        body_rows=[
            ["主管部门", "某市医疗保障局", "", "实施单位", "某市医疗保障局"],
            ["专项资金情况（万元）", "资金总额", "", "260.00", ""],
            ["年度目标", "保证单位的工作运行。", "", "", ""],
            ["绩效目标指", "一级指标", "二级指标", "三级指标", "指标值"],
            ["", "产出指标", "数量指标", "临时聘用人员数量", "≥5人"],
            ["", "满意度指标", "服务对象满意度指标", "因未及时支付合同款造成的纠纷", "≤2次"],
        ],
        row_pages=[30] * 6,
    )
    rows = performance_rows(table)
    assert [(r.level1, r.indicator_name, r.comparator, r.target_value) for r in rows] == [
        ("产出指标", "临时聘用人员数量", ">=", 5), ("满意度指标", "因未及时支付合同款造成的纠纷", "<=", 2)]


def test_a_department_target_grid_with_funds_a_sign_type_column_and_remarks():
    """部门整体支出绩效目标表 as one wide grid: 单位 | 年度预算申请 (资金总额, funds by source and by 基本支出 / 项目支出)
    | 整体绩效目标 | 一级 … 三级指标 | 指标值类型 (≥, 定性) | 指标值 | 计量单位 | 指标解释 | 评（扣）分标准 | 备注, its
    second and third heading rows read as body rows, and the unit's cells printed again at each page's top."""
    prefix = ["126001", "某市信访局", "1,935.36", "1,935.36", "", "1,517.95", "417.41", "1.推动信访工作法治化。"]
    blank = [""] * len(prefix)
    table = ExtractedTable(
        index=9, title="2026年部门整体支出绩效目标表", unit_label="万元", page=30,
        header_rows=[["单位编码", "单位名称", "年度预算申请", "", "", "", "", "整体绩效目标", "部门整体支出年度绩效目标",
                      "", "", "", "", "", "", "", ""]],
        body_rows=[
            ["", "", "资金总额", "按收入性质分", "", "按支出性质分", "", "", "", "", "", "", "", "", "", "", ""],
            ["", "", "", "一般公共预算", "其他资金", "基本支出", "项目支出", "", "一级指标", "二级指标", "三级指标",
             "指标值类型", "指标值", "计量单位", "指标解释", "评（扣）分标准", "备注"],
            prefix + ["成本指标", "经济成本指标", "项目支出控制数", "≤", "417.41", "万元", "厉行节约", "偏离目标不得分", "10"],
            blank + ["产出指标", "数量指标", "接待走访群众数量", "≥", "3000", "人次", "接访人次", "每少10人次减0.1分", "4"],
            prefix + ["效益指标", "社会效益指标", "保障群众信访渠道畅通", "定性", "保障", "", "渠道畅通", "不畅通不得分", "4"],
        ],
        row_pages=[30, 30, 30, 30, 31],
    )
    indicators, ctx = _read_in_document(table, "某市信访局")
    assert not ctx.findings
    assert [(i["level1"], i["indicator_name"], i["comparator"], i["target_value"], i["target_unit"], i["target_text"])
            for i in indicators] == [
        ("成本指标", "项目支出控制数", "<=", 417.41, "万元", "417.41"),
        ("产出指标", "接待走访群众数量", ">=", 3000, "人次", "3000"),
        ("效益指标", "保障群众信访渠道畅通", None, None, None, "保障"),
    ]


def test_a_form_whose_score_column_is_headed_by_two_score_words_reads_its_indicators():
    """'绩 效 指 标 | 一级指标 | 二级指标 | 三级指标 | | 指标值 | 分值权重（90）': 分值权重 is the points column, so the
    row heads the indicator block (the form loaded nothing, reported table_unreadable)."""
    table = ExtractedTable(
        index=11, title="信访业务培训绩效目标表", unit_label=None, page=32,
        body_rows=[
            ["项目名称", "", "信访业务培训", "", "", "", ""],
            ["项目资金（万元）", "", "年度资金总额：", "", "118.01", "", "执行率分值（10）"],
            ["年 度 总 体 目 标", "1.分级分类抓好干部培训。", "", "", "", "", ""],
            ["绩 效 指 标", "一级指标", "二级指标", "三级指标", "", "指标值", "分值权重（90）"],
            ["", "成本指标", "经济成本指标", "项目成本控制", "", "≤118.01万元", "20"],
            ["", "产 出 指 标", "质量指标", "培训合格率", "", "≥98%", "8"],
        ],
        row_pages=[32] * 6,
    )
    indicators, ctx = _read_in_document(table, "某市信访局")
    assert not ctx.findings
    assert [(i["project_name"], i["level1"], i["indicator_name"], i["comparator"], i["target_value"], i["target_unit"])
            for i in indicators] == [("信访业务培训", "成本指标", "项目成本控制", "<=", 118.01, "万元"),
                                     ("信访业务培训", "产出指标", "培训合格率", ">=", 98, "%")]
