"""Field/key-value forms (申报表): labels and their values, goal headings, and what a title says.

Application forms start with key/value fields (项目名称 | …, 当年预算 | 90 万元) and carry a
header row for the indicators in the middle of the body; tables printed one per project name
the project only in their title.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pipeline.model import ExtractedTable
from pipeline.normalize.amounts import parse_amount, to_yuan
from pipeline.normalize.performance.cells import join_cjk, label_key
from pipeline.normalize.performance.state import BUDGET_OF_YEAR, BUDGET_TOTAL, State
from pipeline.normalize.targets import normalize_text
from pipeline.normalize.units import looks_like_unit_name
from pipeline.text import squash
from pipeline.vocabulary import UNIT_MULTIPLIERS

GOAL_HEADING = re.compile(r"(?:长期|中期|年度)(?:绩效)?目标\s*\d+\s*[:：]")
GOAL_LABEL = re.compile(r"^(?:项目|部门|整体)?(?:年度|长期|中期)?(?:绩效)?总?目标$|^(?:整体|项目)绩效总目标$")
FORM_LABEL = re.compile(
    r"^(?:项目名称|一级项目名称|二级项目名称|项目主管|主管部门|项目执行|执行单位|项目实施单位|实施单位|"
    r"项目负责人|负责人|联系电话|填报人|审核人|项目类型|项目申请|项目主要|项目总预算|项目当年预算|当年预算|"
    r"项目资金|资金来源|项目支出|测算依据|项目前两年|部门名称|单位名称|部门编码|单位编码|部门职能|"
    r"年度工作|部门总体|总体资金|专项资金|资金总额|备注|项目标准|项目内容|预算金额)"
)
# Key/value fields of application forms: label → what it gives.
_FIELD_PROJECT = re.compile(r"^(?:二级)?项目名称$")
_FIELD_PARENT = re.compile(r"^一级项目名称$")
_FIELD_BUDGET_YEAR = re.compile(r"^(?:项目)?(?:当年|本年|年度)(?:预算资金|预算|资金)(?:总额|金额)?$")
_FIELD_BUDGET_TOTAL = re.compile(r"^(?:项目)?总预算$|^项目资金总额$|^资金总额$|^预算金额$")
_FIELD_UNIT = re.compile(r"^(?:单位名称|项目实施单位|实施单位|预算单位|部门名称|部门\(单位\)名称)$")
# An amount with the money unit a form cell may print after it ('万' cuts 万元 short).
_UNITS = "|".join(sorted(UNIT_MULTIPLIERS, key=len, reverse=True))
_BUDGET_VALUE = re.compile(rf"^([\d,]+(?:\.\d+)?)\s*({_UNITS}|万)?$")
# A label that declares the money unit of the figures on its row: '项目资金（万元）', '当年预算(元)'.
_LABEL_UNIT = re.compile(rf"[（(]\s*({_UNITS})\s*[)）]")
_LIST_MARKER = re.compile(r"^\s*(?:[（(]?[\d一二三四五六七八九十]+[)）]|[\d一二三四五六七八九十]+\s*[、.．])\s*")
_TITLE_TAIL = re.compile(r"(?:绩效目标|绩效指标)(?:申报|汇总|明细)?表$")
_GENERIC_TITLE_WORDS = re.compile(
    r"\d{4}\s*年度?|区级|市级|县级|省级|市本级|本级|部门|单位|预算|项目|整体|支出|财政拨款|汇总|申报|的|[“”\"'《》]"
)
# A budget system's unit code and unit name before the project: '301007_某局某分局_'.
_CODED_UNIT = re.compile(r"^\d{3,}_([^_]+)_(?=.)")
_DEPARTMENT_LABEL = re.compile(r"^(?:部门|单位)?整体(?:支出)?绩效")


def budget_from(value: str, unit_label: str | None) -> Decimal | None:
    """'90 万元' / '7 万' / '12' (in a 万元 form) → yuan; the cell's own unit wins."""
    m = _BUDGET_VALUE.match(normalize_text(value))
    if not m:
        return None
    amount = parse_amount(m.group(1))
    if amount is None:
        return None
    unit = m.group(2)
    if unit == "万":
        unit = "万元"
    return to_yuan(amount, unit if unit in UNIT_MULTIPLIERS else unit_label)


def read_fields(cells: list[str], state: State, unit_label: str | None) -> bool:
    """Key/value pairs of a form row into the state. True when a new project starts."""
    new_project = False
    filled = [c for c in cells if c]
    declared = next((m.group(1) for c in filled if (m := _LABEL_UNIT.search(c))), None)
    unit_label = declared or unit_label
    for i, cell in enumerate(filled[:-1]):
        key, value = label_key(cell), filled[i + 1]
        if FORM_LABEL.match(label_key(value)):
            continue  # two labels in a row: the first one has no value
        if _FIELD_PROJECT.match(key):
            state.start_project(value)
            new_project = True
        elif _FIELD_PARENT.match(key):
            state.parent = value
        elif _FIELD_UNIT.match(key):
            state.unit = value
        elif _FIELD_BUDGET_YEAR.match(key) or _FIELD_BUDGET_TOTAL.match(key):
            rank = BUDGET_OF_YEAR if _FIELD_BUDGET_YEAR.match(key) else BUDGET_TOTAL
            amount = budget_from(value, unit_label)
            if amount is not None and rank < state.budget_rank:
                state.budget, state.budget_rank = amount, rank
    return new_project


def split_glued_goal(cells: list[str]) -> tuple[list[str], str | None]:
    """'≥98% 长期目标 5：…' → '≥98%' plus the goal heading that starts the next section.

    Converters glue a section heading printed below a table row onto that row's last cell.
    """
    out: list[str] = []
    goal: str | None = None
    for c in cells:
        m = GOAL_HEADING.search(c)
        if m and m.start() > 0:
            goal = c[m.start():].strip()
            c = c[: m.start()].strip()
        out.append(c)
    return out, goal


def goal_text(text: str) -> str:
    """A goal heading with OCR spacing removed: '长期目标 1： 做好…' → '长期目标1：做好…'."""
    s = join_cjk(text)
    s = re.sub(r"(?<=目标)\s+(?=\d)|\s+(?=[:：])|(?<=[:：])\s+", "", s)
    return re.sub(r"(?<=\d):", "：", s)


def project_from_title(title: str) -> str | None:
    """'2、某县…会议经费绩效目标表' → '某县…会议经费'; None for a generic title.

    Tables printed one per project name the project only in their title; summary tables
    ('2023年部门预算项目绩效目标表', '项目绩效目标申报表') name none.
    """
    return _title_parts(title)[1]


def unit_from_title(title: str) -> str | None:
    """The unit a budget system's title names before its project: '301007_某局某分局_某项目绩效目标表'."""
    return _title_parts(title)[0]


def _title_parts(title: str) -> tuple[str | None, str | None]:
    """(unit, project) a performance table's title names."""
    s = _LIST_MARKER.sub("", squash(title))
    if not _TITLE_TAIL.search(s):
        return None, None
    s = _TITLE_TAIL.sub("", s)
    unit = None
    coded = _CODED_UNIT.match(s)
    if coded and looks_like_unit_name(coded.group(1)):
        unit, s = coded.group(1), s[coded.end():]
    return unit, (s if _GENERIC_TITLE_WORDS.sub("", s) else None)


def is_department(table: ExtractedTable) -> bool:
    """部门整体支出绩效目标: said by the title or by a form label such as 整体绩效总目标."""
    if "整体" in squash(table.title):
        return True
    rows = table.header_rows + table.body_rows
    return any(_DEPARTMENT_LABEL.match(label_key(c)) for r in rows for c in r[:2] if c)
