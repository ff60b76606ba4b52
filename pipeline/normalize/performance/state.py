"""What a performance table gives per indicator, and what the reader carries down a table."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.normalize.performance.roles import INDICATOR_ROLES


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


# budget_rank: which statement of a project's funds is kept when several are printed.
BUDGET_OF_YEAR, BUDGET_TOTAL, BUDGET_COLUMN, NO_BUDGET = 0, 1, 2, 9


@dataclass
class State:
    roles: dict[int, str] = field(default_factory=dict)  # column → role
    roles_from_body: bool = False
    unit: str | None = None
    project: str | None = None
    parent: str | None = None
    budget: Decimal | None = None
    budget_rank: int = NO_BUDGET  # 0: 当年预算, 1: 总预算, 2: funds column
    level1: str | None = None
    level2: str | None = None
    goal: str | None = None
    last_was_header: bool = False
    last: IndicatorRow | None = None  # the indicator a broken-off line may continue
    last_index: int = -1  # the body row that indicator (or its last continuation) ended on

    def reset_levels(self) -> None:
        self.level1 = None
        self.level2 = None

    def start_project(self, project: str | None) -> None:
        """A new project: its funds are not known yet."""
        self.project, self.budget, self.budget_rank = project, None, NO_BUDGET

    @property
    def block_start(self) -> int | None:
        cols = [c for c, r in self.roles.items() if r in INDICATOR_ROLES]
        return min(cols) if cols else None

    def col_of(self, role: str) -> int | None:
        for c, r in self.roles.items():
            if r == role:
                return c
        return None
