"""A query result as an Excel workbook (`budget-etl sql --format xlsx --output FILE.xlsx`).

A spreadsheet user gets numbers as numbers: an amount (DECIMAL) is a numeric cell shown with its
scale's digits ('#,##0.00'), exact as long as a double holds it (up to 15 significant digits: any
amount below 10 trillion yuan); a longer one stays text, never rounded. Dates are date cells, NULL
an empty cell, nested values JSON text, as in the csv export. Chinese needs no encoding choice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from budget_cli.output import text_value

# Excel's own limits: a longer text is cut by Excel, a longer sheet refused.
_MAX_ROWS = 1_048_576
_MAX_CHARS = 32_767
_DOUBLE_DIGITS = 15


def _decimal_cell(value: Decimal) -> tuple[float | str, str | None]:
    """(cell value, number format) of a DECIMAL: a number when a double holds it exactly."""
    _, digits, exponent = value.as_tuple()
    if len(digits) > _DOUBLE_DIGITS:
        return text_value(value), None
    scale = max(0, -exponent) if isinstance(exponent, int) else 0
    return float(value), "#,##0" + ("." + "0" * scale if scale else "")


def _cell(value: object) -> tuple[object, str | None]:
    if isinstance(value, str):
        return value[:_MAX_CHARS], None
    if value is None or isinstance(value, (bool, int, float)):
        return value, None
    if isinstance(value, Decimal):
        return _decimal_cell(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None), "yyyy-mm-dd hh:mm:ss"
    if isinstance(value, dt.date):
        return value, "yyyy-mm-dd"
    return text_value(value)[:_MAX_CHARS], None


def write_xlsx(columns: list[str], rows: Iterable[tuple], path: Path) -> int:
    """Write the result to ``path`` (one sheet, a bold frozen header); the number of rows written.
    ValueError when the result is longer than a sheet holds."""
    from openpyxl import Workbook  # only an xlsx export needs it
    from openpyxl.styles import Font

    rows = list(rows)
    if len(rows) + 1 > _MAX_ROWS:
        raise ValueError(f"{len(rows)} rows are more than an Excel sheet holds ({_MAX_ROWS - 1}): "
                         "export them with --format csv")
    book = Workbook()
    sheet = book.active
    sheet.title = "result"
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            content, number_format = _cell(value)
            cell = sheet.cell(row=r, column=c, value=content)
            if number_format:
                cell.number_format = number_format
    for c, name in enumerate(columns, start=1):
        width = max([len(str(name))] + [len(text_value(r[c - 1])) for r in rows[:200]])
        sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = min(60, width + 2)
    book.save(path)
    return len(rows)
