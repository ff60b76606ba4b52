"""Printing query results: aligned tables for people, exact values for scripts.

Every DuckDB type has one rendering, never a Python repr: DECIMAL as its exact digits (no zeros past
the cent that the column's scale pads it with), dates and
times in ISO 8601, INTERVAL as an ISO 8601 duration, BLOB as hex, UUID as text, LIST/ARRAY/STRUCT/MAP
as JSON (inside csv and table cells too), NaN and infinities as the strings DuckDB prints.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO
from uuid import UUID

FORMATS = ("table", "csv", "json", "jsonl", "xlsx")  # xlsx: a workbook, to --output FILE only (budget_cli.xlsx)


def _iso_duration(td: dt.timedelta) -> str:
    """``P32DT3H``: INTERVAL as ISO 8601 (DuckDB's client gives months as 30 days)."""
    if td < dt.timedelta(0):
        return "-" + _iso_duration(-td)
    hours, rest = divmod(td.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    secs = f"{seconds}.{td.microseconds:06d}".rstrip("0").rstrip(".") if td.microseconds else str(seconds)
    time = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M")) if n)
    time += f"{secs}S" if secs != "0" else ""
    return "P" + (f"{td.days}D" if td.days or not time else "") + (f"T{time}" if time else "")


def decimal_text(value: Decimal) -> str:
    """A DECIMAL's exact digits without the zeros past the cent that its column's scale pads it with
    (`amount_wan_yuan` is DECIMAL(24,6): 1348.910000 → 1348.91, 12.345600 → 12.3456, 5.000000 → 5.00)."""
    text = f"{value:f}"
    if "." not in text:
        return text
    whole, places = text.split(".")
    kept = places.rstrip("0").ljust(min(2, len(places)), "0")
    return f"{whole}.{kept}" if kept else whole


def json_value(value: object) -> object:
    """A value json.dumps writes as valid JSON, exactly (no float where DuckDB had a DECIMAL)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return _iso_duration(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):  # STRUCT, MAP (whose keys may be numbers: JSON keys are text)
        return {k if isinstance(k, str) else text_value(k): json_value(v) for k, v in value.items()}
    return str(value)


def text_value(value: object) -> str:
    """A cell of a table or csv: NULL empty, booleans as SQL prints them, nested values as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(json_value(value), ensure_ascii=False)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    v = json_value(value)
    return v if isinstance(v, str) else str(v)


def unique_names(columns: list[str]) -> list[str]:
    """JSON keys for the columns: a repeated name gets _1, _2 (as DuckDB names them in a subquery)."""
    seen: set[str] = set()
    out = []
    for name in columns:
        key, n = name, 0
        while key in seen:
            n += 1
            key = f"{name}_{n}"
        seen.add(key)
        out.append(key)
    return out


def width(s: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in s)


def _pad(s: str, cols: int, right: bool) -> str:
    gap = " " * (cols - width(s))
    return gap + s if right else s + gap


def rows_note(shown: int, left_out: int) -> str:
    """``(3 rows)``, or how many a cap left out and how to see them."""
    if not left_out:
        return f"({shown} row{'s' if shown != 1 else ''})"
    return (f"({shown + left_out} rows, {shown} shown, {left_out} left out: --limit 0 shows all, "
            "--format csv --output FILE exports them)")


def format_table(columns: list[str], rows: list[tuple], footer: bool = True, left_out: int = 0) -> str:
    """Columns padded to their widest cell; numbers right-aligned; '(n rows)' below."""
    cells = [[text_value(v) for v in row] for row in rows]
    widths = [max([width(c)] + [width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(r[i], (int, float, Decimal)) and not isinstance(r[i], bool) or r[i] is None
                   for r in rows) for i in range(len(columns))]

    def fmt(values: list[str]) -> str:
        return "  ".join(_pad(v, w, right) for v, w, right in zip(values, widths, numeric, strict=True)).rstrip()

    out = [fmt(columns), "  ".join("-" * w for w in widths)]
    out += [fmt(r) for r in cells]
    if footer:
        out.append(rows_note(len(rows), left_out))
    return "\n".join(out)


def write_result(fmt: str, columns: list[str], rows: Iterable[tuple], out: TextIO, left_out: int = 0) -> None:
    """The result in one of FORMATS; only the table carries a note of rows left out (it is for people)."""
    rows = list(rows)
    if fmt == "table":
        out.write(format_table(columns, rows, left_out=left_out) + "\n")
    elif fmt == "csv":
        w = csv.writer(out, lineterminator="\n")  # LF: shell tools read '1', not '1\r'
        w.writerow(columns)
        w.writerows([text_value(v) for v in r] for r in rows)
    elif fmt == "json":
        keys = unique_names(columns)
        data = [dict(zip(keys, map(json_value, r), strict=True)) for r in rows]
        out.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "jsonl":
        keys = unique_names(columns)
        for r in rows:
            out.write(json.dumps(dict(zip(keys, map(json_value, r), strict=True)), ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}")
