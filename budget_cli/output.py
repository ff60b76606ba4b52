"""Printing query results: aligned tables for people, exact values for scripts."""

from __future__ import annotations

from decimal import Decimal


def plain(value: object) -> object:
    """A JSON/CSV-safe value: DECIMAL as an exact string, other non-basic values as text."""
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def width(s: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in s)


def _pad(s: str, cols: int, right: bool) -> str:
    gap = " " * (cols - width(s))
    return gap + s if right else s + gap


def format_table(columns: list[str], rows: list[tuple], footer: bool = True) -> str:
    """Columns padded to their widest cell; numbers right-aligned; '(n rows)' below."""
    cells = [[("" if v is None else str(plain(v))) for v in row] for row in rows]
    widths = [max([width(c)] + [width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(r[i], (int, float, Decimal)) or r[i] is None for r in rows) for i in range(len(columns))]

    def fmt(values: list[str]) -> str:
        return "  ".join(_pad(v, w, right) for v, w, right in zip(values, widths, numeric, strict=True)).rstrip()

    out = [fmt(columns), "  ".join("-" * w for w in widths)]
    out += [fmt(r) for r in cells]
    if footer:
        out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
