"""Exact amounts: printed figures to Decimal yuan, never through a float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pipeline.text import FIGURE
from pipeline.vocabulary import DEFAULT_UNIT, EMPTY_CELLS, UNIT_MULTIPLIERS

CENT = Decimal("0.01")


def parse_amount(cell: str | None) -> Decimal | None:
    """'1,234.56' → Decimal('1234.56'); '8.3' → Decimal('8.3'); '' or '-' → None.

    A trailing 万元/元 (application forms print '90 万元') is accepted; anything else that is
    not a plain number returns None so the caller can tell text from amounts.
    """
    if cell is None:
        return None
    s = cell.replace(" ", "").replace("\u3000", "").replace("，", ",")
    s = re.sub(r"(?:万元|元|万)$", "", s)
    if s in EMPTY_CELLS:
        return None
    if not FIGURE.match(s):
        return None
    try:
        return Decimal(s.replace(",", "").replace("−", "-"))
    except InvalidOperation:
        return None


def is_amount(cell: str | None) -> bool:
    return parse_amount(cell) is not None


def unit_multiplier(unit_label: str | None) -> int:
    """Yuan per printed unit; an undeclared unit is taken as 万元 (the convention of these tables)."""
    return UNIT_MULTIPLIERS.get(unit_label or DEFAULT_UNIT, UNIT_MULTIPLIERS[DEFAULT_UNIT])


def to_yuan(amount: Decimal, unit_label: str | None) -> Decimal:
    """Exact conversion to yuan, rounded to the cent (a 万元 figure has at most 6 decimals)."""
    return (amount * unit_multiplier(unit_label)).quantize(CENT)
