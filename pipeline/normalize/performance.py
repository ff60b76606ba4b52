"""Performance-target tables (绩效目标表) into one :class:`IndicatorRow` per indicator.

Disclosures print indicators in very different shapes: column tables with a unit and project
per row (单位名称 | 项目名称 | 一级指标 | … | 计算符号 | 指标值 | 计量单位), summary tables with a
funds block per project, one table per project with its name in the title, and application
forms (申报表) that start with key/value fields and carry a header row for the indicators in
the middle of the body. Every rule here keys on header words, form labels and the vocabulary
of the national indicator framework (产出/效益/满意度, 数量/质量/时效 …), never on a document.

Cells are placed by meaning, not only by position: a row broken by a page or by OCR can lose
or gain a cell and come out shifted, so each row's indicator block is aligned to the column
roles by a small dynamic programme that scores what each cell looks like (a level word, a
target, a basis such as 计划标准) plus a bonus for sitting in its own column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from pipeline.extract.titles import UNIT_MULTIPLIERS, squash
from pipeline.model import ExtractedTable
from pipeline.normalize.amounts import parse_amount, to_yuan
from pipeline.normalize.targets import (
    Target,
    is_quantitative,
    normalize_text,
    normalize_unit,
    parse_target,
    sign_of,
)

__all__ = ["IndicatorRow", "Target", "parse_target", "performance_rows"]


@dataclass
class IndicatorRow:
    table_index: int
    row_index: int  # body-row index within the table (stable)
    page: int | None  # from table.row_pages
    scope: str  # 'project' | 'department'
    unit_name: str | None  # 单位名称 / 项目实施单位 as printed, None when the table names none
    project_name: str | None  # second-level project
    parent_project_name: str | None  # 一级项目 where printed
    project_budget_yuan: Decimal | None  # the project's funds where the table states them, in yuan
    level1: str  # 一级指标 (forward-filled down the table)
    level2: str | None  # 二级指标
    indicator_name: str  # 三级指标 / 明细指标 / 指标内容
    comparator: str | None  # '>=','<=','=','>','<','between'; None for a qualitative target
    target_value: float | None
    target_max: float | None
    target_unit: str | None
    target_text: str  # the target as printed (cleaned cell)
    description: str | None  # 指标描述 / 绩效指标描述
    basis: str | None  # 指标值确定依据 / 绩效标准


# --- column roles -------------------------------------------------------------------------

UNIT, UNIT_OR_PROJECT, PARENT, PROJECT, FUNDS_TOTAL, FUNDS = (
    "unit", "unit_or_project", "parent", "project", "funds_total", "funds",
)
L1, L2, NAME, DESC, SIGN, TARGET, MEASURE, BASIS = (
    "l1", "l2", "name", "desc", "sign", "target", "measure", "basis",
)
INDICATOR_ROLES = (L1, L2, NAME, DESC, SIGN, TARGET, MEASURE, BASIS)
PREFIX_ROLES = (UNIT, UNIT_OR_PROJECT, PARENT, PROJECT, FUNDS_TOTAL, FUNDS)

_PAREN = re.compile(r"[（(][^（()）]*[)）]")

# Header word → role. Checked in order: the more specific words first (指标值确定依据 is a
# basis, not a target; 计量单位 is a unit of measure, not a budget unit).
_HEADER_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"单位(?:及|和|与|/|、).*项目|项目(?:及|和|与|/|、).*单位"), UNIT_OR_PROJECT),
    (re.compile(r"计量单位|度量单位|^计量$"), MEASURE),
    (re.compile(r"确定依据|绩效标准|评价标准|评分标准|指标值来源|^标准$|^依据$"), BASIS),
    (re.compile(r"指标描述|指标说明|指标解释|指标定义"), DESC),
    (re.compile(r"计算符号|运算符号|^符号$|比较符号"), SIGN),
    (re.compile(r"一级指标"), L1),
    (re.compile(r"二级指标"), L2),
    (re.compile(r"三级指标|明细指标|指标内容|指标名称|具体指标"), NAME),
    (re.compile(r"指标值|目标值|绩效目标值|^目标$"), TARGET),
    (re.compile(r"一级项目"), PARENT),
    (re.compile(r"二级项目|项目名称|^项目$"), PROJECT),
    (re.compile(r"单位名称|预算单位|实施单位|部门名称|^单位$"), UNIT),
    (re.compile(r"^(?:合计|小计|总计|资金总额|项目资金|资金安排|预算数|预算金额|金额|项目预算)$"), FUNDS_TOTAL),
    (re.compile(r"一般公共预算|政府性基金|专户|其他资金|财政拨款|上年结转|单位资金|自有资金"), FUNDS),
]


def header_role(cell: str) -> str | None:
    """The column role a header word announces ('三级指标' → name), None for other words."""
    s = _PAREN.sub("", squash(cell)).strip("★*:：")
    if not s:
        return None
    for pattern, role in _HEADER_RULES:
        if pattern.search(s):
            return role
    return None


# --- cell vocabulary ----------------------------------------------------------------------

_CJK = "\u4e00-\u9fff"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}（）“”、，])\s+(?=[{_CJK}（）“”、，])")
_JUNK = re.compile(r"^[\s\-—–_=~.。…·*/|]*$")
_L1_STRONG = re.compile(r"^(?:产出|效益|效果|满意度)指标$|^(?:产出|效益)$")
_L1_OR_L2 = re.compile(r"^(?:成本(?:指标)?|满意度)$")
_L2_WORDS = re.compile(
    r"^(?:数量|质量|时效性?|成本|社会效益|经济效益|生态效益|环境效益|可持续影响|服务对象满意度|满意度)(?:指标)?$"
)
_BASIS = re.compile(r"^(?:计划|行业|历史|其他|国家|地方|省级?|市级?|县级?|区级?)\S{0,2}(?:标准|指标)$")
_LABEL = re.compile(r"^(?:项目|部门|整体)?(?:年度|长期|中期)?(?:绩效)?(?:指标|目标)?$")
_GOAL_HEADING = re.compile(r"(?:长期|中期|年度)(?:绩效)?目标\s*\d+\s*[:：]")
_GOAL_LABEL = re.compile(r"^(?:项目|部门|整体)?(?:年度|长期|中期)?(?:绩效)?总?目标$|^(?:整体|项目)绩效总目标$")
_PLACEHOLDER = re.compile(r"^(?:指标值?\s*\d+|\.{2,}|…+)$")
_FORM_LABEL = re.compile(
    r"^(?:项目名称|一级项目名称|二级项目名称|项目主管|主管部门|项目执行|执行单位|项目实施单位|实施单位|"
    r"项目负责人|负责人|联系电话|填报人|审核人|项目类型|项目申请|项目主要|项目总预算|项目当年预算|当年预算|"
    r"项目资金|资金来源|项目支出|测算依据|项目前两年|部门名称|单位名称|部门编码|单位编码|部门职能|"
    r"年度工作|部门总体|总体资金|备注|项目标准|项目内容|预算金额)"
)
# Key/value fields of application forms: label → what it gives.
_FIELD_PROJECT = re.compile(r"^(?:二级)?项目名称$")
_FIELD_PARENT = re.compile(r"^一级项目名称$")
_FIELD_BUDGET_YEAR = re.compile(r"^(?:项目)?(?:当年|本年|年度)(?:预算|资金)(?:总额|金额)?$|^年度资金总额$")
_FIELD_BUDGET_TOTAL = re.compile(r"^(?:项目)?总预算$|^项目资金总额$|^资金总额$|^预算金额$")
_FIELD_UNIT = re.compile(r"^(?:单位名称|项目实施单位|实施单位|预算单位|部门名称|部门\(单位\)名称)$")
_BUDGET_VALUE = re.compile(r"^([\d,]+(?:\.\d+)?)\s*(亿元|万元|千元|元|万)?$")
_LIST_MARKER = re.compile(r"^\s*(?:[（(]?[\d一二三四五六七八九十]+[)）]|[\d一二三四五六七八九十]+\s*[、.．])\s*")
_TITLE_TAIL = re.compile(r"(?:绩效目标|绩效指标)(?:申报|汇总|明细)?表$")
_GENERIC_TITLE_WORDS = re.compile(
    r"\d{4}\s*年度?|区级|市级|县级|省级|市本级|本级|部门|单位|预算|项目|整体|支出|财政拨款|汇总|申报|的|[“”\"'《》]"
)


def join_cjk(text: str) -> str:
    """'参加会议人 数' → '参加会议人数': OCR splits CJK words with spaces; Chinese has none."""
    return _CJK_GAP.sub("", text).strip()


def _clean(cell: str | None) -> str:
    s = join_cjk(cell or "")
    return "" if _JUNK.match(s) else s


def _key(cell: str) -> str:
    """A label as compared: no whitespace, no brackets content, no trailing colon."""
    return _PAREN.sub("", squash(cell)).rstrip(":：").replace("(", "").replace(")", "")


def _is_label(text: str) -> bool:
    s = squash(text)
    return bool(s) and bool(_LABEL.match(s)) and any(w in s for w in ("年度", "长期", "中期", "绩效"))


@dataclass(frozen=True)
class _Cell:
    col: int
    text: str  # cleaned: CJK gaps joined
    key: str  # squashed, for vocabulary tests


def _compat(cell: _Cell, role: str) -> float:
    """How well a cell's content fits a role (positive: fits, negative: does not)."""
    k = cell.key
    l1 = bool(_L1_STRONG.match(k))
    amb = bool(_L1_OR_L2.match(k))
    l2 = not l1 and not amb and not _BASIS.match(k) and (
        bool(_L2_WORDS.match(k)) or (k.endswith("指标") and len(k) <= 12 and not _is_label(k))
    )
    basis = bool(_BASIS.match(k)) and not l1 and not amb
    sign = sign_of(k) is not None or k in ("定性", "定量")
    quant = not sign and is_quantitative(k)
    if role == L1:
        return 4 if l1 else 2 if amb else -3 if l2 else -6  # 成本/满意度 fit both levels
    if role == L2:
        if l2:
            return 4
        if amb:
            return 2
        if l1:
            return -3
        return -5 if (quant or basis or sign) else -2
    if role in (NAME, DESC):
        if sign:
            return -5
        if l1:
            return -4
        if quant or basis:
            return -3
        if l2:
            return -2
        return 1 if role == NAME else 0.5
    if role == SIGN:
        return 4 if sign else -8
    if role == TARGET:
        if quant:
            return 4
        if l1 or l2 or amb or sign:
            return -4
        if basis:
            return -3
        return 2 if len(k) <= 8 else 0
    if role == MEASURE:
        return -4 if (quant or l1 or l2 or sign) else 2 if len(k) <= 6 else -2
    if role == BASIS:
        if basis:
            return 4
        if quant:
            return -3
        return -4 if (l1 or l2) else 0
    return -8


_POSITION_BONUS = 1.5
_DROP_CELL = -6.0
_SKIP_COST = {TARGET: -3.0, NAME: -3.0}


def _align_shifted(cells: list[_Cell], roles: list[tuple[str, int]], shift: int) -> tuple[float, dict[str, _Cell]]:
    """Best order-preserving assignment when the row sits ``shift`` columns off its header."""
    n, m = len(cells), len(roles)
    neg = float("-inf")
    dp = [[neg] * (m + 1) for _ in range(n + 1)]
    back: dict[tuple[int, int], tuple[int, int, bool]] = {}
    dp[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            cur = dp[i][j]
            if cur == neg:
                continue
            if j < m:  # leave role j empty
                val = cur + _SKIP_COST.get(roles[j][0], 0.0)
                if val > dp[i][j + 1]:
                    dp[i][j + 1] = val
                    back[(i, j + 1)] = (i, j, False)
            if i < n:  # drop cell i
                val = cur + _DROP_CELL
                if val > dp[i + 1][j]:
                    dp[i + 1][j] = val
                    back[(i + 1, j)] = (i, j, False)
            if i < n and j < m:  # cell i fills role j
                role, col = roles[j]
                bonus = _POSITION_BONUS if cells[i].col == col + shift else 0.0
                val = cur + _compat(cells[i], role) + bonus
                if val > dp[i + 1][j + 1]:
                    dp[i + 1][j + 1] = val
                    back[(i + 1, j + 1)] = (i, j, True)
    out: dict[str, _Cell] = {}
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj, assigned = back[(i, j)]
        if assigned:
            out[roles[pj][0]] = cells[pi]
        i, j = pi, pj
    return dp[n][m], out


_SHIFTS = (0, -1, 1, -2)  # a row as printed first; then one lost cell, one extra cell, two lost


def align(cells: list[_Cell], roles: list[tuple[str, int]]) -> dict[str, _Cell]:
    """Assign cells, in order, to roles, in order, maximising fit plus position bonuses.

    A role may stay empty (level cells merged over several rows are printed once) and a cell
    may be dropped (at a price). The position bonus is tried for the row as printed and for
    the row shifted by a cell or two, because a page break or OCR moves a whole row at once:
    a row whose every cell sits one column left is one row that lost its first cell.
    """
    best_score, best = float("-inf"), {}
    # A shift needs evidence: a lone cell or a pair is placed where it was printed.
    for shift in _SHIFTS if len(cells) >= 3 else (0,):
        score, got = _align_shifted(cells, roles, shift)
        if score > best_score:  # strict: ties keep the row as printed
            best_score, best = score, got
    return best


# --- table state --------------------------------------------------------------------------


@dataclass
class _State:
    roles: dict[int, str] = field(default_factory=dict)  # column → role
    roles_from_body: bool = False
    unit: str | None = None
    project: str | None = None
    parent: str | None = None
    budget: Decimal | None = None
    budget_rank: int = 9  # 0: 当年预算, 1: 总预算, 2: funds column
    level1: str | None = None
    level2: str | None = None
    goal: str | None = None
    last_was_header: bool = False
    last: IndicatorRow | None = None  # the indicator a broken-off line may continue
    last_index: int = -1  # the body row that indicator (or its last continuation) ended on

    def reset_levels(self) -> None:
        self.level1 = None
        self.level2 = None

    @property
    def block_start(self) -> int | None:
        cols = [c for c, r in self.roles.items() if r in INDICATOR_ROLES]
        return min(cols) if cols else None

    def col_of(self, role: str) -> int | None:
        for c, r in self.roles.items():
            if r == role:
                return c
        return None


def _roles_from_header(rows: list[list[str]]) -> dict[int, str]:
    """Column roles from (possibly several) header rows: the lowest word under a span wins."""
    width = max((len(r) for r in rows), default=0)
    roles: dict[int, str] = {}
    for c in range(width):
        for row in reversed(rows):
            if c < len(row) and row[c].strip():
                role = header_role(row[c])
                if role is not None:
                    roles[c] = role
                    break
    # Two columns claiming one role (e.g. 单位 twice): keep the first.
    seen: set[str] = set()
    for c in sorted(roles):
        if roles[c] in seen and roles[c] != FUNDS:
            del roles[c]
        else:
            seen.add(roles[c])
    return roles


def _has_indicator_roles(roles: dict[int, str]) -> bool:
    present = set(roles.values())
    return L1 in present or (NAME in present and TARGET in present)


def _is_indicator_header(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    roles = [header_role(c) for c in filled]
    if sum(1 for r in roles if r in INDICATOR_ROLES) < 2:
        return False
    if not _has_indicator_roles({i: r for i, r in enumerate(roles) if r}):
        return False
    # Every other cell must be a label ('项目年度绩效指标') or another header word.
    return all(r is not None or _is_label(c) for c, r in zip(filled, roles, strict=True))


def _is_header_continuation(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and all(header_role(c) is not None or _is_label(c) for c in filled)


def _budget_from(value: str, unit_label: str | None) -> Decimal | None:
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


def _read_fields(cells: list[str], state: _State, unit_label: str | None) -> bool:
    """Key/value pairs of a form row into the state. True when a new project starts."""
    new_project = False
    filled = [c for c in cells if c]
    for i, cell in enumerate(filled[:-1]):
        key, value = _key(cell), filled[i + 1]
        if _FORM_LABEL.match(_key(value)):
            continue  # two labels in a row: the first one has no value
        if _FIELD_PROJECT.match(key):
            state.project, state.budget, state.budget_rank = value, None, 9
            new_project = True
        elif _FIELD_PARENT.match(key):
            state.parent = value
        elif _FIELD_UNIT.match(key):
            state.unit = value
        elif _FIELD_BUDGET_YEAR.match(key) or _FIELD_BUDGET_TOTAL.match(key):
            rank = 0 if _FIELD_BUDGET_YEAR.match(key) else 1
            amount = _budget_from(value, unit_label)
            if amount is not None and rank < state.budget_rank:
                state.budget, state.budget_rank = amount, rank
    return new_project


def _split_glued_goal(cells: list[str]) -> tuple[list[str], str | None]:
    """'≥98% 长期目标 5：…' → '≥98%' plus the goal heading that starts the next section.

    Converters glue a section heading printed below a table row onto that row's last cell.
    """
    out: list[str] = []
    goal: str | None = None
    for c in cells:
        m = _GOAL_HEADING.search(c)
        if m and m.start() > 0:
            goal = c[m.start():].strip()
            c = c[: m.start()].strip()
        out.append(c)
    return out, goal


def _goal_text(text: str) -> str:
    """A goal heading with OCR spacing removed: '长期目标 1： 做好…' → '长期目标1：做好…'."""
    s = join_cjk(text)
    s = re.sub(r"(?<=目标)\s+(?=\d)|\s+(?=[:：])|(?<=[:：])\s+", "", s)
    return re.sub(r"(?<=\d):", "：", s)


def project_from_title(title: str) -> str | None:
    """'2、某县…会议经费绩效目标表' → '某县…会议经费'; None for a generic title.

    Tables printed one per project name the project only in their title; summary tables
    ('2023年部门预算项目绩效目标表', '项目绩效目标申报表') name none.
    """
    s = _LIST_MARKER.sub("", squash(title))
    if not _TITLE_TAIL.search(s):
        return None
    s = _TITLE_TAIL.sub("", s)
    if not _GENERIC_TITLE_WORDS.sub("", s):
        return None
    return s


_DEPARTMENT_LABEL = re.compile(r"^(?:部门|单位)?整体(?:支出)?绩效")


def _is_department(table: ExtractedTable) -> bool:
    """部门整体支出绩效目标: said by the title or by a form label such as 整体绩效总目标."""
    if "整体" in squash(table.title):
        return True
    return any(_DEPARTMENT_LABEL.match(_key(c)) for r in table.header_rows + table.body_rows for c in r[:2] if c)


def _infer_level1(level2: str | None) -> str | None:
    """The first-level indicator a second-level one belongs to in the national framework.

    成本 is left open: newer frameworks make 成本指标 a first-level indicator of its own.
    """
    if not level2:
        return None
    k = squash(level2)
    if "效益" in k or "影响" in k:
        return "效益指标"
    if "满意" in k:
        return "满意度指标"
    if k.startswith(("数量", "质量", "时效")):
        return "产出指标"
    return None


def _prefix(cells: list[str], state: _State) -> tuple[str | None, str | None, str | None, str | None, Decimal | None]:
    """Unit, unit-or-project, parent, project and funds cells of a column-table row."""
    unit = unit_or_project = parent = project = None
    funds: Decimal | None = None
    total_col = state.col_of(FUNDS_TOTAL)
    block = state.block_start if state.block_start is not None else len(cells)
    for c, role in state.roles.items():
        if c >= len(cells) or not cells[c]:
            continue
        if role == UNIT:
            unit = cells[c]
        elif role == UNIT_OR_PROJECT:
            unit_or_project = cells[c]
        elif role == PARENT:
            parent = cells[c]
        elif role == PROJECT:
            project = cells[c]
    if total_col is not None:
        # The 合计 cell, or (when a page break shifted the row) the first amount of the block.
        candidates = [total_col] + [c for c in range(total_col + 1, block) if c < len(cells)]
        for c in candidates:
            amount = parse_amount(cells[c]) if c < len(cells) else None
            if amount is not None:
                funds = amount
                break
    return unit, unit_or_project, parent, project, funds


def _block_cells(cells: list[str], state: _State) -> list[_Cell]:
    """The cells of a row's indicator block, reaching left where a row came out shifted.

    Only a level word ('产出指标') is taken from the columns before the block: that is what a
    row shifted left puts there; labels, funds and names stay out.
    """
    start = state.block_start or 0
    prefix_cols = {c for c, r in state.roles.items() if r in (UNIT, UNIT_OR_PROJECT, PARENT, PROJECT)}
    first = start
    for c in range(start - 1, max(start - 3, -1), -1):
        text = cells[c] if c < len(cells) else ""
        if c in prefix_cols or not _is_level_word(text):
            break
        first = c
    out = []
    for c in range(first, len(cells)):
        text = cells[c]
        if text and not (c < start and _is_label(text)):
            out.append(_Cell(c, text, squash(text)))
    return out


def _is_level_word(text: str) -> bool:
    k = squash(text)
    return bool(k) and not _is_label(k) and bool(
        _L1_STRONG.match(k) or _L1_OR_L2.match(k) or _L2_WORDS.match(k) or (k.endswith("指标") and len(k) <= 12)
    )


def _block_roles(state: _State) -> list[tuple[str, int]]:
    roles = sorted(((r, c) for c, r in state.roles.items() if r in INDICATOR_ROLES), key=lambda rc: rc[1])
    if not any(r == BASIS for r, _ in roles):
        # Forms often print a 绩效标准 value without a heading for it.
        last = max((c for _, c in roles), default=0)
        roles.append((BASIS, last + 1))
    return roles


def performance_rows(table: ExtractedTable) -> list[IndicatorRow]:
    """Every indicator of a performance table, with its project, target and levels.

    Rows that are not indicators (goal text, key/value form fields, header rows, project or
    unit headings, placeholder templates such as '指标 1 | 指标值 1') are skipped; any other row
    of the indicator block is returned with what it holds.
    """
    scope = "department" if _is_department(table) else "project"
    state = _State(roles=_roles_from_header(table.header_rows))
    if not _has_indicator_roles(state.roles):
        # A form: the reader may have taken its first field row ('项目名称 | …') for a header.
        state.roles = {}
        for row in table.header_rows:
            _read_fields([_clean(c) for c in row], state, table.unit_label)
    title_project = project_from_title(table.title) if scope == "project" else None
    out: list[IndicatorRow] = []

    for index, raw in enumerate(table.body_rows):
        cells, glued_goal = _split_glued_goal([_clean(c) for c in raw])
        _read_row(table, index, cells, state, scope, title_project, out)
        if glued_goal:
            state.goal = _goal_text(glued_goal)
            state.reset_levels()
    return out


def _read_row(
    table: ExtractedTable,
    index: int,
    cells: list[str],
    state: _State,
    scope: str,
    title_project: str | None,
    out: list[IndicatorRow],
) -> None:
    filled = [(c, t) for c, t in enumerate(cells) if t]
    was_header, state.last_was_header = state.last_was_header, False
    if not filled:
        return
    if _is_indicator_header(cells):
        roles = _roles_from_header([cells])
        if not state.roles_from_body:  # keep unit/project columns the table header named
            roles = {**{c: r for c, r in state.roles.items() if r in PREFIX_ROLES}, **roles}
        if roles != state.roles:
            state.reset_levels()
        # else: the header repeated after a page break; merged level cells run on across it
        state.roles, state.roles_from_body = roles, True
        state.last_was_header = True
        return
    if was_header and _is_header_continuation(cells):
        state.last_was_header = True
        return
    first_col, first = filled[0]
    if _GOAL_HEADING.match(first) and len(filled) <= 2:
        state.goal = _goal_text(" ".join(t for _, t in filled))
        state.reset_levels()
        return
    block_start = state.block_start
    in_label_col = block_start is None or (first_col < block_start and first_col not in state.roles)
    is_field = _FORM_LABEL.match(_key(first)) or (
        _GOAL_LABEL.match(_key(first)) and not _holds_indicator(t for _, t in filled[1:])
    )
    if in_label_col and is_field:
        if _read_fields(cells, state, table.unit_label):
            # The next form of a merged table: its fields come before its own indicator header.
            state.reset_levels()
            state.last = None
            if state.roles_from_body:
                state.roles, state.roles_from_body = {}, False
        return
    if block_start is None:
        return  # before the indicator header of a form: budget tables, reasons, contacts

    unit, unit_or_project, parent, project, funds = _prefix(cells, state)
    block = _block_cells(cells, state)
    if unit:
        state.unit = unit
    if parent:
        state.parent = parent
    if unit_or_project:
        if not block and funds is None:
            # A name with neither money nor indicators heads a unit's group of projects.
            state.unit, state.project, state.budget = unit_or_project, None, None
            state.reset_levels()
            return
        project = unit_or_project
    if project and project != state.project:
        state.project = project
        state.budget, state.budget_rank = None, 9
        state.reset_levels()
        state.last = None
    if project and funds is not None:
        state.budget = to_yuan(funds, table.unit_label)
        state.budget_rank = 2
    if not block:
        return  # a project (or unit) heading row with its indicator cells empty

    got = align(block, _block_roles(state))
    texts = {role: cell.text for role, cell in got.items()}
    if _is_placeholder(texts):
        return
    if set(texts) <= {NAME, DESC} and state.last is not None and state.last_index == index - 1:
        # The rest of the previous row's text, broken onto a line of its own; the indicator
        # keeps the index of its first line.
        if NAME in texts:
            state.last.indicator_name = join_cjk(state.last.indicator_name + texts[NAME])
        if DESC in texts:
            state.last.description = join_cjk((state.last.description or "") + texts[DESC])
        state.last_index = index
        return

    _carry_levels(state, texts.get(L1), texts.get(L2))
    if set(texts) <= {L1, L2}:
        return  # a level cell on a line of its own heads the rows below it
    target_text = texts.get(TARGET, "")
    target = parse_target(target_text, texts.get(MEASURE), texts.get(SIGN))
    if target.comparator is not None and target.unit is None:
        target = replace(target, unit=_unit_in_name(texts.get(NAME)))
    description = texts.get(DESC)
    if description is None and scope == "department":
        description = state.goal
    name = texts.get(NAME) or texts.get(DESC) or texts.get(L2) or target_text
    page = table.row_pages[index] if index < len(table.row_pages) else None
    row = IndicatorRow(
        table_index=table.index,
        row_index=index,
        page=page,
        scope=scope,
        unit_name=state.unit,
        project_name=None if scope == "department" else (state.project or title_project),
        parent_project_name=state.parent,
        project_budget_yuan=state.budget,
        level1=state.level1 or "",
        level2=state.level2,
        indicator_name=name,
        comparator=target.comparator,
        target_value=target.value,
        target_max=target.max,
        target_unit=target.unit,
        target_text=target_text,
        description=description,
        basis=texts.get(BASIS),
    )
    out.append(row)
    state.last, state.last_index = row, index


def _carry_levels(state: _State, level1: str | None, level2: str | None) -> None:
    """Level cells merged over several rows are printed once: carry them down the table.

    A row that prints only a second level moves the first level too when that second level
    belongs elsewhere in the framework (社会效益指标 after rows under 产出指标).
    """
    if level1:
        state.level1, state.level2 = _level1_name(level1), level2
        return
    if level2:
        state.level2 = level2
        inferred = _infer_level1(level2)
        if inferred and _canonical_level1(state.level1) != inferred:
            state.level1 = inferred
    if state.level1 is None:
        state.level1 = _infer_level1(state.level2)


def _level1_name(printed: str) -> str:
    """A first level as printed, with the framework's short forms completed ('满意度' → '满意度指标').

    Forms cut the word to fit a narrow column; analysts group by it, so the three (four)
    first levels of the framework get one spelling each. Anything else stays as printed.
    """
    k = squash(printed)
    return k + "指标" if k in ("产出", "效益", "满意度", "成本", "效果") else printed


def _canonical_level1(level1: str | None) -> str | None:
    """The canonical first-level name of a printed one ('满意度' → '满意度指标')."""
    k = squash(level1 or "")
    for canon in ("产出指标", "效益指标", "满意度指标"):
        if k == canon or k == canon[:-2]:
            return canon
    return None


_NAME_UNIT = re.compile(r"[（(]\s*/?\s*([%‰A-Za-z\u4e00-\u9fff/]{1,3})\s*[)）]$")


def _unit_in_name(name: str | None) -> str | None:
    """'会议审议议案建议数（件）' → '件': the unit a name announces for a bare-number target."""
    m = _NAME_UNIT.search(name or "")
    if not m or any(w in m.group(1) for w in ("含", "不", "等", "率")):
        return None
    return normalize_unit(m.group(1))


def _holds_indicator(texts: Iterable[str]) -> bool:
    """True when cells hold a first-level word or a numeric target (an indicator, not a goal)."""
    return any(_L1_STRONG.match(squash(t)) or is_quantitative(t) for t in texts)


def _is_placeholder(texts: dict[str, str]) -> bool:
    """Template rows ('指标 1 | 指标值 1', '... | ...') that a publisher left unfilled."""
    values = [squash(texts[r]) for r in (NAME, TARGET) if texts.get(r)]
    return bool(values) and all(_PLACEHOLDER.match(v) for v in values)
