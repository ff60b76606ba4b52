"""Row placement: each body row of a performance table read into the state or into an indicator.

Rows that are not indicators (goal text, key/value form fields, header rows, project or unit
headings, placeholder templates such as '指标 1 | 指标值 1') are skipped; any other row of the
indicator block becomes one :class:`IndicatorRow` with what it holds.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from pipeline.model import ExtractedTable
from pipeline.normalize.amounts import parse_amount, to_yuan
from pipeline.normalize.performance.align import align
from pipeline.normalize.performance.cells import (
    Cell,
    clean,
    holds_indicator,
    is_label,
    is_level_word,
    is_placeholder,
    join_cjk,
    label_key,
    unit_in_name,
)
from pipeline.normalize.performance.forms import (
    FORM_LABEL,
    GOAL_HEADING,
    GOAL_LABEL,
    goal_text,
    is_department,
    project_from_title,
    read_fields,
    split_glued_goal,
    unit_from_title,
)
from pipeline.normalize.performance.levels import carry_levels
from pipeline.normalize.performance.roles import (
    BASIS,
    DESC,
    FUNDS_TOTAL,
    INDICATOR_ROLES,
    L1,
    L2,
    LABEL_ROLES,
    MEASURE,
    NAME,
    PARENT,
    PREFIX_ROLES,
    PROJECT,
    REMARK,
    SCORE,
    SIGN,
    TARGET,
    UNIT,
    UNIT_OR_PROJECT,
    has_indicator_roles,
    is_header_continuation,
    is_indicator_header,
    roles_from_header,
)
from pipeline.normalize.performance.state import BUDGET_COLUMN, IndicatorRow, State
from pipeline.normalize.targets import parse_target
from pipeline.text import squash


def performance_rows(table: ExtractedTable) -> list[IndicatorRow]:
    """Every indicator of a performance table, with its project, target and levels."""
    scope = "department" if is_department(table) else "project"
    state = State(roles=roles_from_header(table.header_rows))
    if not has_indicator_roles(state.roles):
        # A form: the reader may have taken its first field row ('项目名称 | …') for a header.
        state.roles = {}
        for row in table.header_rows:
            read_fields([clean(c) for c in row], state, table.unit_label)
    title_project = project_from_title(table.title) if scope == "project" else None
    state.unit = state.unit or (unit_from_title(table.title) if scope == "project" else None)
    out: list[IndicatorRow] = []

    for index, raw in enumerate(table.body_rows):
        cells, glued_goal = split_glued_goal([clean(c) for c in raw])
        row = _read_row(table, index, cells, state, scope, title_project)
        if row is not None:
            out.append(row)
            state.last, state.last_index = row, index
        if glued_goal:
            state.goal = goal_text(glued_goal)
            state.reset_levels()
    return out


def _read_row(
    table: ExtractedTable, index: int, cells: list[str], state: State, scope: str, title_project: str | None
) -> IndicatorRow | None:
    """One body row into the state; the indicator it prints, if it prints one."""
    filled = [(c, t) for c, t in enumerate(cells) if t]
    was_header, state.last_was_header = state.last_was_header, False
    if not filled or _take_header(cells, state, was_header):
        return None
    if _take_form_line(cells, filled, state, table.unit_label):
        return None
    texts = _indicator_texts(cells, state, table.unit_label)
    if texts is None or _continues_last(texts, state, index):
        return None
    carry_levels(state, texts.get(L1), texts.get(L2))
    if set(texts) <= {L1, L2}:
        return None  # a level cell on a line of its own heads the rows below it
    return _indicator(table, index, texts, state, scope, title_project)


def _take_header(cells: list[str], state: State, was_header: bool) -> bool:
    """An indicator header in the body (forms, page breaks) sets the roles: True when it was one."""
    if is_indicator_header(cells):
        roles = roles_from_header([cells])
        if not state.roles_from_body:  # keep unit/project columns the table header named
            roles = {**{c: r for c, r in state.roles.items() if r in PREFIX_ROLES}, **roles}
        if roles != state.roles:
            state.reset_levels()
        # else: the header repeated after a page break; merged level cells run on across it
        state.roles, state.roles_from_body = roles, True
        state.last_was_header = True
        return True
    if was_header and is_header_continuation(cells):
        state.last_was_header = True
        return True
    return False


def _take_form_line(
    cells: list[str], filled: list[tuple[int, str]], state: State, unit_label: str | None
) -> bool:
    """A goal heading, a form's key/value fields, or text before any indicator header: True."""
    first_col, first = filled[0]
    if GOAL_HEADING.match(first) and len(filled) <= 2:
        state.goal = goal_text(" ".join(t for _, t in filled))
        state.reset_levels()
        return True
    block_start = state.block_start
    in_label_col = block_start is None or (first_col < block_start and first_col not in state.roles)
    is_field = FORM_LABEL.match(label_key(first)) or (
        GOAL_LABEL.match(label_key(first)) and not holds_indicator(t for _, t in filled[1:])
    )
    if in_label_col and is_field:
        if read_fields(cells, state, unit_label):
            # The next form of a merged table: its fields come before its own indicator header.
            state.reset_levels()
            state.last = None
            if state.roles_from_body:
                state.roles, state.roles_from_body = {}, False
        return True
    return block_start is None  # before the indicator header of a form: budget tables, reasons, contacts


def _indicator_texts(cells: list[str], state: State, unit_label: str | None) -> dict[str, str] | None:
    """The row's indicator cells by role, after its unit/project/funds cells; None when it has none."""
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
            return None
        project = unit_or_project
    if project and project != state.project:
        state.start_project(project)
        state.reset_levels()
        state.last = None
    if project and funds is not None:
        state.budget = to_yuan(funds, unit_label)
        state.budget_rank = BUDGET_COLUMN
    if not block:
        return None  # a project (or unit) heading row with its indicator cells empty
    texts = {role: cell.text for role, cell in align(block, _block_roles(state)).items()}
    return None if is_placeholder((texts.get(NAME, ""), texts.get(TARGET, ""))) else texts


def _continues_last(texts: dict[str, str], state: State, index: int) -> bool:
    """The rest of the previous row's text, broken onto a line of its own, joins that indicator.

    The indicator keeps the index of its first line.
    """
    last = state.last
    if not (set(texts) <= {NAME, DESC} and last is not None and state.last_index == index - 1):
        return False
    if NAME in texts:
        last.indicator_name = join_cjk(last.indicator_name + texts[NAME])
    if DESC in texts:
        last.description = join_cjk((last.description or "") + texts[DESC])
    state.last_index = index
    return True


def _indicator(
    table: ExtractedTable, index: int, texts: dict[str, str], state: State, scope: str, title_project: str | None
) -> IndicatorRow:
    """The indicator a row prints, with the unit, project and levels carried down the table."""
    target_text = texts.get(TARGET, "")
    target = parse_target(target_text, texts.get(MEASURE), texts.get(SIGN))
    if target.comparator is not None and target.unit is None:
        target = replace(target, unit=unit_in_name(texts.get(NAME)))
    description = texts.get(DESC)
    if description is None and scope == "department":
        description = state.goal  # a department's indicators fall under its goal
    return IndicatorRow(
        table_index=table.index,
        row_index=index,
        page=table.row_pages[index] if index < len(table.row_pages) else None,
        scope=scope,
        unit_name=state.unit,
        project_name=None if scope == "department" else (state.project or title_project),
        parent_project_name=state.parent,
        project_budget_yuan=state.budget,
        level1=state.level1 or "",
        level2=state.level2,
        indicator_name=texts.get(NAME) or texts.get(DESC) or texts.get(L2) or target_text,
        comparator=target.comparator,
        target_value=target.value,
        target_max=target.max,
        target_unit=target.unit,
        target_text=target_text,
        description=description,
        basis=texts.get(BASIS),
    )


def _prefix(cells: list[str], state: State) -> tuple[str | None, str | None, str | None, str | None, Decimal | None]:
    """Unit, unit-or-project, parent, project and funds cells of a column-table row."""
    found: dict[str, str] = {}
    for c, role in state.roles.items():
        if role in LABEL_ROLES and c < len(cells) and cells[c]:
            found[role] = cells[c]
    funds: Decimal | None = None
    total_col = state.col_of(FUNDS_TOTAL)
    block = state.block_start if state.block_start is not None else len(cells)
    if total_col is not None:
        # The 合计 cell, or (when a page break shifted the row) the first amount of the block.
        for c in [total_col] + [c for c in range(total_col + 1, block) if c < len(cells)]:
            amount = parse_amount(cells[c]) if c < len(cells) else None
            if amount is not None:
                funds = amount
                break
    return found.get(UNIT), found.get(UNIT_OR_PROJECT), found.get(PARENT), found.get(PROJECT), funds


def _block_cells(cells: list[str], state: State) -> list[Cell]:
    """The cells of a row's indicator block, reaching left where a row came out shifted.

    Only a level word ('产出指标') is taken from the columns before the block: that is what a
    row shifted left puts there; labels, funds and names stay out.
    """
    start = state.block_start or 0
    prefix_cols = {c for c, r in state.roles.items() if r in LABEL_ROLES}
    scores = {c for c, r in state.roles.items() if r in (SCORE, REMARK)}
    first = start
    for c in range(start - 1, max(start - 3, -1), -1):
        text = cells[c] if c < len(cells) else ""
        if c in prefix_cols or not is_level_word(text):
            break
        first = c
    return [
        Cell(c, cells[c], squash(cells[c]))
        for c in range(first, len(cells))
        if cells[c] and c not in scores and not (c < start and is_label(cells[c]))
    ]


def _block_roles(state: State) -> list[tuple[str, int]]:
    roles = sorted(((r, c) for c, r in state.roles.items() if r in INDICATOR_ROLES), key=lambda rc: rc[1])
    if not any(r == BASIS for r, _ in roles):
        # Forms often print a 绩效标准 value without a heading for it.
        last = max((c for _, c in roles), default=0)
        roles.append((BASIS, last + 1))
    return roles
