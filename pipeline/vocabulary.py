"""What the reader knows, declared once as data: every other module reads its words from here.

Table kinds with their title words (budgets and final accounts), measures and stages with their
header words, code columns and their 类/款/项 parts, money units, row labels, the “三公”
categories, document kinds and disclosure levels. Adding a synonym is a one-line change here.
Words are compared squashed (no whitespace).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# --- table kinds --------------------------------------------------------------------------------

# Every kind of table the reader recognises, declared once: which reader turns its rows into facts
# ('summary': side-by-side income | expenditure; 'income': income rows; 'coded': label columns (codes,
# names, units, projects) beside measure columns; 'three_public'; 'performance': indicators; None:
# recognised, then ignored), whether it is one of the eight standard tables of a department budget
# (what a complete disclosure prints, counted by the wild-corpus benchmark and the disclosure summary),
# whether its rows are subjects of a 类/款/项 hierarchy with unit sections, and the classification its
# codes belong to (an economic table's rows are never placed in the function one by name). The contract's
# table kinds are all but 'performance' (绩效目标表 → fact_performance_indicator) and 'other' (政府采购,
# 固定资产 …). How a title names each kind is TITLE_RULES below (an ordered list: the first rule wins).
@dataclass(frozen=True)
class TableKind:
    name: str
    reader: Literal["summary", "income", "coded", "three_public", "performance"] | None
    standard: bool = False
    subjects: bool = True
    classification: Literal["function", "economic"] | None = "function"


TABLE_KIND_RECORDS: tuple[TableKind, ...] = (
    TableKind("income_expenditure_summary", "summary", standard=True),
    TableKind("income_summary", "income", standard=True),
    TableKind("expenditure_summary", "coded", standard=True),
    TableKind("fiscal_grant_summary", "summary", standard=True),
    TableKind("general_budget_expenditure", "coded", standard=True),
    TableKind("general_budget_basic_expenditure", "coded", standard=True, classification="economic"),
    TableKind("three_public", "three_public", standard=True, subjects=False, classification=None),
    TableKind("gov_fund_expenditure", "coded", standard=True),
    TableKind("state_capital_expenditure", "coded"),
    TableKind("project_expenditure", "coded", subjects=False),
    # 基本支出表 of every fund (the title names none), beside the 一般公共预算 one
    TableKind("basic_expenditure", "coded", classification="economic"),
    TableKind("performance", "performance", subjects=False, classification=None),
    TableKind("other", None, subjects=False, classification=None),
)


def table_kinds(**wanted: object) -> tuple[str, ...]:
    """The names of the table kinds whose record has every ``field=value`` given, in declared order."""
    return tuple(k.name for k in TABLE_KIND_RECORDS if all(getattr(k, f) == v for f, v in wanted.items()))


TABLE_KINDS = table_kinds()
TABLE_KIND_BY_NAME: dict[str, TableKind] = {k.name: k for k in TABLE_KIND_RECORDS}
# Kinds the reader reads (not 'other'), and those whose amounts go to fact_expenditure / fact_income.
READ_TABLE_KINDS = tuple(k.name for k in TABLE_KIND_RECORDS if k.reader is not None)
AMOUNT_TABLE_KINDS = tuple(k for k in READ_TABLE_KINDS if TABLE_KIND_BY_NAME[k].reader != "performance")
FACT_TABLE_KINDS = AMOUNT_TABLE_KINDS + ("narrative",)
SUMMARY_KINDS = table_kinds(reader="summary")
INCOME_KINDS = table_kinds(reader="income")
CODED_KINDS = table_kinds(reader="coded")
ECONOMIC_KINDS = table_kinds(classification="economic")
STANDARD_BUDGET_TABLES = table_kinds(standard=True)
SUBJECT_TABLE_KINDS = table_kinds(subjects=True)

# (kind, word groups of which the title holds at least one word each),
# first match wins. 决算 titles (收入支出决算总表, 支出决算表 …) follow the same rules.
Rule = tuple[str, tuple[tuple[str, ...], ...]]
TITLE_RULES: tuple[Rule, ...] = (
    ("other", (("政府采购", "购买服务", "固定资产", "资产占用", "民生项目", "机构设置", "目录"),)),
    ("performance", (("绩效",),)),
    ("three_public", (("三公",),)),
    ("gov_fund_expenditure", (("政府性基金", "政府基金"),)),
    ("state_capital_expenditure", (("国有资本经营",),)),
    ("project_expenditure", (("项目支出", "项目表"),)),
    ("general_budget_basic_expenditure", (("一般公共预算", "财政拨款"), ("基本支出",))),
    ("basic_expenditure", (("基本支出",), ("表",))),
    ("fiscal_grant_summary", (("财政拨款",), ("收支", "收入支出"))),
    ("general_budget_expenditure", (("一般公共预算", "财政拨款"), ("支出",))),
    ("income_expenditure_summary", (("收支", "收入支出"),)),
    ("income_summary", (("收入",), ("总表", "决算表", "预算表", "总体情况表"))),
    ("expenditure_summary", (("支出",), ("总表", "决算表", "总体情况表"))),
)
# (kind, word groups the title must hold, word groups the header must hold): checked before the
# title rules, for a header that settles what the title leaves open (or an untitled grid).
HEADER_RULES: tuple[tuple[str, tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]], ...] = (
    ("performance", (), (("一级指标",),)),
    ("performance", (("项目",),), (("绩效指标",),)),
    ("general_budget_basic_expenditure", (("一般公共预算", "财政拨款"), ("基本支出",)), (("经济分类",),)),
    ("basic_expenditure", (("基本支出",),), (("经济分类",),)),
)

# --- documents ----------------------------------------------------------------------------------

DOCUMENT_KINDS = ("budget", "final_accounts")
DISCLOSURE_LEVELS = ("department", "unit")
# Where a document's text came from: a text layer (or a text file), OCR of scanned pages, or both.
TEXT_SOURCES = ("text_layer", "ocr", "mixed")
FINAL_ACCOUNTS_WORDS = ("决算",)  # in a title: 2024年度部门决算, 收入支出决算总表
UNIT_LEVEL_WORDS = ("单位预算", "单位决算", "预算单位")  # 单位预算 of one 预算单位
DEPARTMENT_LEVEL_WORDS = ("部门预算", "部门决算", "预算主管部门")
# Lines that name the publisher: cover (预算主管部门：…) and table headings (编制部门：…).
PUBLISHER_LABELS = (
    "预算主管部门", "主管部门", "预算单位", "决算单位", "编制部门", "编制单位", "单位名称", "部门名称",
    "填报部门", "填报单位",
)
PUBLISHER_LINE = re.compile(
    r"(?:" + "|".join(PUBLISHER_LABELS) + r")(?:（盖章）|\(盖章\))?\s*[:：]\s*([^\s:：]{3,40})"
)
# A publication title: '…2024年度部门决算', '…2025年区级单位预算'.
# '2024年度部门决算', '2026年市级单位预算', and covers that drop the 年 ('2026 部门预算情况的说明')
DISCLOSURE_TITLE = re.compile(
    r"(?<!\d)(20\d{2})\s*(?:年度?)?\s*(?:[\u4e00-\u9fff]{0,2}级)?\s*(部门|单位)?\s*(预算|决算)(?![\u4e00-\u9fff]*表)"
)

# The contract's row roles: 合计/总计, a unit's subtotal row, a coded subject, any other labelled row, and
# a row the table prints as the sum of other rows below the total (公务用车购置及运行费 over its parts).
ROW_ROLES = ("total", "unit_total", "subject", "item", "subtotal")

# A row that restates part of the rows above it ('其中：机关运行经费') rather than adding to them.
MEMO_WORDS = ("其中", "注")

# A Party committee's department is named after its prefix: '中共某市委宣传部' is in 某市.
PARTY_PREFIXES = ("中国共产党", "中共")

# --- stages and measures -------------------------------------------------------------------------

STAGES = ("budget", "adjusted_budget", "final")
# Header word → stage, most specific first. A column naming no stage takes the document's.
STAGE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("调整预算", "全年预算", "调整后预算"), "adjusted_budget"),
    (("决算",), "final"),
    (("年初预算", "预算数"), "budget"),
)

# A column whose heading compares or derives (2026年预算数比2025年执行数/增减额, 上年执行数, 扣除中央基建投资后
# 预算数) holds no amount of the disclosure's own stage: its figures are not loaded.
COMPARISON_WORDS = ("增减", "比上年", "较上年", "同比", "增长", "增幅", "变动", "执行数", "扣除")

# Leaf heading → measure, most specific first.
MEASURE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("非财政拨款结余", "使用非财政拨款"), "non_grant_balance"),
    (("年末结转", "年末财政拨款结转"), "year_end_balance"),
    (("年初结转", "上年结转", "结转结余", "结转和结余", "结转"), "carryover"),
    (("人员经费", "人员支出"), "personnel"),
    (("公用经费", "公用支出", "日常公用"), "public_operating"),
    (("基本支出",), "basic"),
    (("项目支出", "部门项目"), "project"),
    (("经营支出",), "business_operating"),
    (("上缴上级", "上解上级"), "to_superior"),
    (("对附属单位补助",), "to_subsidiary"),
    (("财政专户", "专户资金", "专户收入"), "special_account"),
    (("政府性基金", "政府基金"), "gov_fund"),
    (("国有资本经营",), "state_capital"),
    (("一般公共预算", "财政拨款收入", "财政拨款（补助）", "财政拨款"), "general_budget"),
    (("本年收入",), "current_year_income"),
    (("本年支出",), "total"),
    (("单位资金",), "unit_funds"),
    (("预算外",), "other"),
    (("事业收入",), "business_income"),
    (("经营收入",), "operating_income"),
    (("上级补助收入",), "superior_subsidy"),
    (("附属单位上缴收入", "附属单位缴款"), "subsidiary_remit"),
    (("其他收入",), "other_income"),
    (("工资福利",), "wage_welfare"),
    (("商品和服务",), "goods_services"),
    (("对个人和家庭",), "household_subsidy"),
    (("资本性支出",), "capital"),
    (("合计", "总计", "预算数", "决算数", "金额", "本年预算", "小计"), "total"),
)
# A heading that ends in the stage's own name (预算, 2026年决算) is the total; one that only mentions it
# (调用预算资金, 纳入预算管理的…) is not.
TOTAL_SUFFIXES = ("预算", "决算")
# A heading above an amount column, or a row block's label, that names the fund its figures come from
# (the contract's fund_source). A column headed by the fund alone keeps it as its measure instead.
FUND_SOURCE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("政府性基金", "政府基金"), "gov_fund"),
    (("国有资本经营",), "state_capital"),
    (("财政专户", "专户管理", "专户资金"), "special_account"),
    (("单位资金",), "unit_funds"),
    (("一般公共预算",), "general_budget"),
)
FUND_MEASURES = ("general_budget", "gov_fund", "state_capital", "special_account", "unit_funds")
FUND_SOURCES = (*FUND_MEASURES, "other")
# Where a fact's subject code comes from (the contract's code_source): the code as printed, a code the
# reader completed or corrected from what was printed (a part in the 款 column, a truncated or
# garbled code), or a code placed by a name printed without one.
CODE_SOURCES = ("printed", "repaired", "inferred")

# --- periods --------------------------------------------------------------------------------------
# A column or row of another period than the disclosure's year, or of a change, holds no amount of
# the disclosure's own stage and is not loaded. A year printed in a heading ('2025年预算数') is
# compared with the disclosure's fiscal year; these words name another period without a year.
PRIOR_PERIOD = re.compile(r"上年(?!度?(?:财政拨款)?(?:结转|结余))|上一年|去年")
# A year the money is carried over from (2025年结转) is not the period of the column.
PRINTED_YEAR = re.compile(r"(20\d{2})\s*年(?!度?(?:财政拨款)?(?:结转|结余))")
PERIODS = ("current", "earlier", "later", "change")

CONTRACT_MEASURES = (
    "total", "basic", "personnel", "public_operating", "project", "business_operating", "to_superior",
    "to_subsidiary", "general_budget", "gov_fund", "state_capital", "special_account", "unit_funds",
    "carryover",
)
# A heading over fund columns (财政拨款: 一般公共预算 | 政府性基金 | 国有资本经营) whose 小计 is all the
# fiscal grants together, measure GRANT_TOTAL; the heading alone still reads as general_budget.
GRANT_GROUP_WORDS = ("财政拨款",)
GRANT_TOTAL = "fiscal_grant"
MEASURES = tuple(dict.fromkeys((*CONTRACT_MEASURES, *(m for _, m in MEASURE_WORDS), GRANT_TOTAL, "other")))

# --- columns --------------------------------------------------------------------------------------

SEQ_WORDS = ("序号", "栏次", "行次")
CODE_WORDS = ("编码", "代码", "科目编号")
# Parts of a code printed over several columns, with the digits each part has.
CODE_PARTS: tuple[tuple[str, int], ...] = (("类", 3), ("款", 2), ("项", 2))
PROJECT_WORDS = ("项目名称", "二级项目")
PARENT_PROJECT_WORDS = ("一级项目",)
UNIT_COLUMN_WORDS = ("单位名称", "部门名称")  # a column of unit names (or headed by a bare 单位)
UNIT_CODE_WORDS = ("单位代码", "部门代码", "单位编码", "部门编码")  # a column of the units' own codes
NAME_WORDS = ("科目名称", "名称", "项目", "科目", "经济分类", "功能分类")
# A title or heading naming a classification (按经济分类科目, 功能分类科目名称): its rows are subjects,
# even in a 项目支出表 that prints names only.
CLASSIFIED_WORDS = ("分类", "科目")

# --- money units ----------------------------------------------------------------------------------

UNIT_MULTIPLIERS = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}
# yuan per unit → the unit's name, as a table declares it (单位：万元)
UNIT_NAMES: dict[int, str] = {multiplier: name for name, multiplier in UNIT_MULTIPLIERS.items()}
DEFAULT_UNIT = "万元"  # the convention of these tables when none is declared
# '单位：万元', '金额单位：元', '单 位:万' (a lone 万 is the common truncation of 万元).
UNIT_DECLARATION = re.compile(r"(?:金额)?单\s*位\s*[：:]\s*(亿元|万元|千元|元|万)")

# --- row labels -----------------------------------------------------------------------------------

TOTAL_WORDS = ("合计", "总计")
GRAND_TOTAL_WORDS = ("总计",)  # the line that closes a final account's summary (after carry-overs)
SUBTOTAL_WORDS = ("小计",)
# Words by which a table says it is empty on purpose.
# A note saying the publisher left rows out (部分具体项目信息公开时予以剔除): the table's sums are not
# expected to hold over the rows it prints.
WITHHELD_WORDS = ("予以剔除", "不予公开", "未予公开", "不宜公开", "涉密")
NO_DATA_WORDS = ("本表无数据", "空表列示", "无数据", "此表为空", "本表为空", "空表")
# Cells that hold no amount (a blank, a dash, 无).
EMPTY_CELLS = ("", "-", "—", "–", "－", "/", "——", "无", "0-")
# Lines of the summary tables of final accounts (their labels stay line items as printed).
CARRYOVER_IN_WORDS = ("年初结转和结余", "年初财政拨款结转和结余", "上年结转", "年初结转")
CARRYOVER_OUT_WORDS = ("年末结转和结余", "年末财政拨款结转和结余", "年末结转")
SURPLUS_USED_WORDS = ("使用非财政拨款结余", "用事业基金弥补收支差额")
CURRENT_INCOME_TOTAL_WORDS = ("本年收入合计",)
CURRENT_EXPENDITURE_TOTAL_WORDS = ("本年支出合计",)

# --- the “三公” table -----------------------------------------------------------------------------

THREE_PUBLIC_ITEMS = (
    "three_public_total",
    "overseas_travel",
    "overseas_travel_academic",
    "overseas_travel_other",
    "vehicle_total",
    "vehicle_purchase",
    "vehicle_operation",
    "official_reception",
)
AGENCY_OPERATING_COST = "agency_operating_cost"  # 机关运行经费: printed beside, not part of the total
AGENCY_OPERATING_WORDS = ("机关运行经费",)

# --- narrative ------------------------------------------------------------------------------------

# (line item, key-word pattern) of amounts the explanatory text states.
NARRATIVE_RULES: tuple[tuple[str, str], ...] = (
    # '财政拨款收支总预算 18,728.91 万元': the fiscal grants' total (财政拨款收支总表), not the whole budget's
    ("fiscal_grant_total", r"财政拨款收支总预算|财政拨款收支预算总额|财政拨款收支总计"),
    # '2026 年支出预算 32852.05 万元': a year's whole income or expenditure budget, stated alone
    ("income_expenditure_total",
     r"(?<!财政拨款)(?:收支总预算|收支预算总额|预算收支安排|收支总计)|收入、支出决算总计|收支决算总计"
     r"|20\d{2}\s*年度?(?:收入|支出)预算"),
    ("basic", r"基本支出"),
    # a kind of staff before the words (临聘人员经费, 离退休人员经费) names a part, often a project's name
    ("personnel", r"(?<!聘)(?<!编外)(?<!退休)(?<!离休)(?<!在职)(?<!派遣)(?:人员经费|人员支出)"),
    ("public_operating", r"(?<!机关运行)(?:日常)?公用经费|日常公用支出"),
    ("project", r"(?<!其中)项目支出"),
    ("three_public_total", r"[“\"‘']三公[”\"’']经费(?:财政拨款)?(?:支出)?(?:预算|决算)?"),
    ("overseas_travel", r"因公出国[（(]境[)）](?:经)?费(?:用)?"),
    ("vehicle_total", r"公务用车购置(?:及|和)运(?:行)?(?:维护|维)?费"),
    ("vehicle_purchase", r"公务用车购置费"),
    ("vehicle_operation", r"公务用车运行(?:维护)?费"),
    ("official_reception", r"公务接待费"),
)


# A clause about one subject rather than the department: '2.“农林水支出”科目80万元，主要用于人员经费50万元…'
# or '一般公共服务支出（类）…行政运行（项）'. The amounts after it in the clause are that subject's, never
# the department's. (pattern, level the marker names or None for any level)
NARRATIVE_SUBJECT_SCOPES: tuple[tuple[str, int | None], ...] = (
    (r"[“\"‘']([\u4e00-\u9fff、]{2,24}?)[”\"’']\s*科目", None),
    (r"([\u4e00-\u9fff、]{2,24})\s*[（(]\s*类\s*[)）]", 1),
    (r"([\u4e00-\u9fff、]{2,24})\s*[（(]\s*款\s*[)）]", 2),
    (r"([\u4e00-\u9fff、]{2,24})\s*[（(]\s*项\s*[)）]", 3),
)
# A clause starts after a full stop or at a line opening with an enumeration ('2.', '（三）', '四、').
NARRATIVE_CLAUSE_START = r"[。；;]|\n\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])"


def contains_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def match_rules(rules: tuple[Rule, ...], text: str) -> str | None:
    """The kind of the first rule whose word groups all occur in ``text`` (squashed)."""
    for kind, groups in rules:
        if all(contains_any(text, g) for g in groups):
            return kind
    return None


def stage_of_words(words: tuple[str, ...] | list[str]) -> str | None:
    """The stage a column's heading path names, deepest heading first; None if it names none."""
    for word in reversed(list(words)):
        for needles, stage in STAGE_WORDS:
            if contains_any(word, needles):
                return stage
    return None


def fund_source_of(text: str) -> str | None:
    """The fund a heading or row label names (FUND_SOURCE_WORDS), or None."""
    for needles, fund in FUND_SOURCE_WORDS:
        if contains_any(text, needles):
            return fund
    return None


def names_several_funds(text: str) -> bool:
    """A heading that names two funds or more, even cut short ('财政拨款一般公共预政府性基金国有资本经算':
    the wrapped headings of neighbouring columns run together), so which fund its figures are is not
    known. A fund's name is recognised by its first four characters."""
    return sum(1 for needles, _ in FUND_SOURCE_WORDS if contains_any(text, tuple(n[:4] for n in needles))) > 1


def period_of(words: tuple[str, ...] | list[str], fiscal_year: int | None) -> str:
    """The period a heading path or row label names: 'change' (增减 …), 'earlier' / 'later' (a year
    other than the fiscal year, 上年), else 'current'."""
    text = "".join(words)
    if contains_any(text, COMPARISON_WORDS):
        return "change"
    years = {int(y) for y in PRINTED_YEAR.findall(text)}
    if fiscal_year is not None and years and fiscal_year not in years:
        return "earlier" if max(years) < fiscal_year else "later"
    if PRIOR_PERIOD.search(text):
        return "earlier"
    return "current"


def names_figure_of_period(text: str) -> bool:
    """A heading or label that names whose figure it holds by a year or a stage (2026年预算数, 决算数)."""
    return bool(PRINTED_YEAR.search(text)) or stage_of_words((text,)) is not None


def squash_year_gaps(text: str) -> str:
    """'2025 年预算数' → '2025年预算数': a converter's gap inside a dated heading."""
    return re.sub(r"(20\d{2})\s+(?=年)", r"\1", text)
