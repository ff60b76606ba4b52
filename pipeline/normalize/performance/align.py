"""Indicator grids: a row's indicator cells aligned to the column roles by meaning and position.

A row broken by a page or by OCR can lose or gain a cell and come out shifted, so each row's
indicator block is aligned to the column roles by a small dynamic programme that scores what
each cell looks like (a level word, a target, a basis such as 计划标准) plus a bonus for
sitting in its own column.
"""

from __future__ import annotations

from pipeline.normalize.performance.cells import BASIS_WORDS, L1_OR_L2, L1_STRONG, L2_WORDS, Cell, is_label
from pipeline.normalize.performance.roles import BASIS, DESC, L1, L2, MEASURE, NAME, SIGN, TARGET
from pipeline.normalize.targets import is_quantitative, sign_of

_POSITION_BONUS = 1.5
_DROP_CELL = -6.0
_SKIP_COST = {TARGET: -3.0, NAME: -3.0}
_SHIFTS = (0, -1, 1, -2)  # a row as printed first; then one lost cell, one extra cell, two lost


def _looks(k: str) -> tuple[bool, bool, bool, bool, bool, bool]:
    """What a squashed cell looks like: (level 1, level 1 or 2, level 2, basis, sign, quantity)."""
    l1 = bool(L1_STRONG.match(k))
    amb = bool(L1_OR_L2.match(k))
    l2 = not l1 and not amb and not BASIS_WORDS.match(k) and (
        bool(L2_WORDS.match(k)) or (k.endswith("指标") and len(k) <= 12 and not is_label(k))
    )
    basis = bool(BASIS_WORDS.match(k)) and not l1 and not amb
    sign = sign_of(k) is not None or k in ("定性", "定量")
    quant = not sign and is_quantitative(k)
    return l1, amb, l2, basis, sign, quant


def compat(cell: Cell, role: str) -> float:
    """How well a cell's content fits a role (positive: fits, negative: does not)."""
    k = cell.key
    l1, amb, l2, basis, sign, quant = _looks(k)
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


Back = dict[tuple[int, int], tuple[int, int, bool]]


def _align_shifted(cells: list[Cell], roles: list[tuple[str, int]], shift: int) -> tuple[float, dict[str, Cell]]:
    """Best order-preserving assignment when the row sits ``shift`` columns off its header."""
    n, m = len(cells), len(roles)
    neg = float("-inf")
    dp = [[neg] * (m + 1) for _ in range(n + 1)]
    back: Back = {}
    dp[0][0] = 0.0

    def relax(i: int, j: int, val: float, step: tuple[int, int, bool]) -> None:
        if val > dp[i][j]:
            dp[i][j] = val
            back[(i, j)] = step

    for i in range(n + 1):
        for j in range(m + 1):
            cur = dp[i][j]
            if cur == neg:
                continue
            if j < m:  # leave role j empty
                relax(i, j + 1, cur + _SKIP_COST.get(roles[j][0], 0.0), (i, j, False))
            if i < n:  # drop cell i
                relax(i + 1, j, cur + _DROP_CELL, (i, j, False))
            if i < n and j < m:  # cell i fills role j
                role, col = roles[j]
                bonus = _POSITION_BONUS if cells[i].col == col + shift else 0.0
                relax(i + 1, j + 1, cur + compat(cells[i], role) + bonus, (i, j, True))
    return dp[n][m], _trace(back, cells, roles)


def _trace(back: Back, cells: list[Cell], roles: list[tuple[str, int]]) -> dict[str, Cell]:
    """Follow the back-pointers from the end: which cell fills which role."""
    out: dict[str, Cell] = {}
    i, j = len(cells), len(roles)
    while (i, j) != (0, 0):
        pi, pj, assigned = back[(i, j)]
        if assigned:
            out[roles[pj][0]] = cells[pi]
        i, j = pi, pj
    return out


def align(cells: list[Cell], roles: list[tuple[str, int]]) -> dict[str, Cell]:
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
