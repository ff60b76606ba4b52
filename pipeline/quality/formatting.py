"""How outcomes say amounts and places: in the unit the table printed, and where in the document."""

from __future__ import annotations

from decimal import Decimal

from pipeline.vocabulary import UNIT_NAMES

CENT = Decimal("0.01")


def tolerance(unit_multiplier: int, n_addends: int) -> Decimal:
    """Allowed difference in yuan: 0.01 printed unit per rounded addend (at least one)."""
    return CENT * unit_multiplier * max(n_addends, 1)


def fmt_amount(amount_yuan: Decimal, unit_multiplier: int = 1) -> str:
    """``1234.56 万元 (12345600.00 yuan)``; plain ``… 元`` for tables printed in yuan."""
    yuan = amount_yuan.quantize(CENT)
    if unit_multiplier == 1:
        return f"{yuan} 元"
    printed = (amount_yuan / unit_multiplier).quantize(CENT) if unit_multiplier else yuan
    unit = UNIT_NAMES.get(unit_multiplier, f"×{unit_multiplier} 元")
    return f"{printed} {unit} ({yuan} yuan)"


def fmt_diff(diff_yuan: Decimal, tol_yuan: Decimal) -> str:
    return f"difference {diff_yuan.quantize(CENT)} yuan, tolerance {tol_yuan.quantize(CENT)} yuan"
