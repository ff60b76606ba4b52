"""First- and second-level indicators: carried down a table, completed from the national framework."""

from __future__ import annotations

from pipeline.normalize.performance.state import State
from pipeline.text import squash


def infer_level1(level2: str | None) -> str | None:
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


def carry_levels(state: State, level1: str | None, level2: str | None) -> None:
    """Level cells merged over several rows are printed once: carry them down the table.

    A row that prints only a second level moves the first level too when that second level
    belongs elsewhere in the framework (社会效益指标 after rows under 产出指标).
    """
    if level1:
        state.level1, state.level2 = level1_name(level1), level2
        return
    if level2:
        state.level2 = level2
        inferred = infer_level1(level2)
        if inferred and canonical_level1(state.level1) != inferred:
            state.level1 = inferred
    if state.level1 is None:
        state.level1 = infer_level1(state.level2)


def level1_name(printed: str) -> str:
    """A first level as printed, with the framework's short forms completed ('满意度' → '满意度指标').

    Forms cut the word to fit a narrow column; analysts group by it, so the three (four)
    first levels of the framework get one spelling each. Anything else stays as printed.
    """
    k = squash(printed)
    return k + "指标" if k in ("产出", "效益", "满意度", "成本", "效果") else printed


def canonical_level1(level1: str | None) -> str | None:
    """The canonical first-level name of a printed one ('满意度' → '满意度指标')."""
    k = squash(level1 or "")
    for canon in ("产出指标", "效益指标", "满意度指标"):
        if k == canon or k == canon[:-2]:
            return canon
    return None
