"""A second, independent producer: a generated disclosure as an office makes one, a workbook printed
to PDF by LibreOffice headless (issue 18).

The same :class:`tests.disclosure_pdfs.Disclosure` that reportlab draws becomes an openpyxl
workbook: a cover sheet, then one sheet per table with its title merged and centred over the
table's columns, the lines under it (编制部门, 单位), header cells merged as the grid spans them,
amounts as numbers in a number format (the figures a spreadsheet prints, right-aligned), names
wrapped, each sheet fitted to the width of a landscape A4 page. ``ruled`` boxes every cell;
``borderless`` rules only above and below the header and under the last row. LibreOffice then
prints the workbook, every sheet, to one PDF: its own fonts, glyph placement, line widths and
page layout, none of which the reader was tuned on.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tests.disclosure_pdfs import Disclosure, Grid

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
_AMOUNT = re.compile(r"^-?[\d,]+(\.\d+)?$")
_THIN = Side(style="thin")
_HEADING_GAP = re.compile("\u3000{2,}")
_FONT = "WenQuanYi Micro Hei"


def _number(text: str) -> tuple[Decimal, str] | None:
    """The amount a cell prints and the number format that prints it back the same way. Whole
    numbers (codes, 栏次, counts) stay text, as they are typed."""
    if not _AMOUNT.match(text) or "." not in text:
        return None
    decimals = len(text.partition(".")[2])
    fmt = ("#,##0" if "," in text else "0") + "." + "0" * decimals
    return Decimal(text.replace(",", "")), fmt


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _heading_cells(line: str, n: int) -> list[str | None]:
    """'编制部门：…　　　单位：万元' as a workbook types it: the text in the first cell, what follows the
    run of spaces (the unit) in the table's last cell."""
    parts = _HEADING_GAP.split(line, maxsplit=1)
    if len(parts) == 1 or n < 2:
        return [line]
    return [parts[0].strip(), *([None] * (n - 2)), parts[1].strip()]


def _table_sheet(ws: Worksheet, grid: Grid, layout: str) -> None:
    n = grid.n_columns
    ws.append([grid.title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.cell(1, 1).font = Font(name=_FONT, size=14, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    for line in grid.heading:
        ws.append(_heading_cells(line, n))
        for cell in ws[ws.max_row]:
            cell.font = Font(name=_FONT, size=9)
        ws.cell(ws.max_row, n).alignment = Alignment(horizontal="right")
    top = ws.max_row + 1
    for i, row in enumerate(grid.rows):
        in_body = i >= len(grid.header)
        for j, text in enumerate(list(row) + [""] * (n - len(row))):
            cell = ws.cell(top + i, j + 1)
            number = _number(text) if in_body and j >= grid.amount_from else None
            cell.value, cell.number_format = (float(number[0]), number[1]) if number else (text or None, "@")
            cell.font = Font(name=_FONT, size=9)
            cell.alignment = Alignment(horizontal="right" if number else ("center" if not in_body else "left"),
                                       vertical="center", wrap_text=True)
    for c0, r0, c1, r1 in grid.spans:
        ws.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)
    _rule(ws, top, len(grid.header), len(grid.rows), n, layout)
    for line in grid.notes:
        ws.append([line])
    # the unit typed in the last cell widens that column, so it prints on one line
    units = [cells[-1] for cells in (_heading_cells(line, n) for line in grid.heading) if len(cells) > 1]
    for j in range(n):
        widest = max((_width(r[j]) for r in grid.rows if j < len(r)), default=4)
        widest = max([widest, *map(_width, units)]) if j == n - 1 else widest
        ws.column_dimensions[get_column_letter(j + 1)].width = min(max(widest + 2, 8), 40)


def _rule(ws: Worksheet, top: int, n_header: int, n_rows: int, n: int, layout: str) -> None:
    last = top + n_rows - 1
    for r in range(top, last + 1):
        for c in range(1, n + 1):
            if layout == "borderless":
                above = _THIN if r == top else None
                below = _THIN if r in (top + n_header - 1, last) else None
                ws.cell(r, c).border = Border(top=above, bottom=below)
            else:
                ws.cell(r, c).border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _fit_to_landscape_width(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def disclosure_of_tables(first_line: str, tables: list, layout: str) -> Disclosure:
    """The tables of :mod:`tests.pdfgen` (``TableSpec``) as a disclosure: ``first_line`` on the cover,
    each table on its sheet under its title, unit line and context lines."""
    grids = [Grid(t.title, [list(r) for r in t.rows[:t.n_header]], [list(r) for r in t.rows[t.n_header:]],
                  heading=([f"单位：{t.unit}"] if t.unit else []) + list(t.context_lines), notes=list(t.notes))
             for t in tables]
    return Disclosure([first_line], grids, layout)


def build_workbook(path: Path, disclosure: Disclosure) -> Path:
    wb = Workbook()
    cover = wb.active
    cover.title = "封面"
    for i, line in enumerate(disclosure.cover):
        cover.append([line])
        cover.merge_cells(start_row=i + 1, start_column=1, end_row=i + 1, end_column=8)
        cover.cell(i + 1, 1).font = Font(name=_FONT, size=22 if i == 0 else 12)
        cover.cell(i + 1, 1).alignment = Alignment(horizontal="center")
    _fit_to_landscape_width(cover)
    for k, grid in enumerate(disclosure.grids):
        ws = wb.create_sheet(f"表{k + 1}")
        _table_sheet(ws, grid, disclosure.layout)
        _fit_to_landscape_width(ws)
    wb.save(path)
    return path


def build_office_pdfs(jobs: list[tuple[Path, Disclosure]]) -> list[Path]:
    """Print each disclosure to its path as LibreOffice prints its workbook, all in one start of
    LibreOffice (its start is most of a conversion's second)."""
    if SOFFICE is None:
        raise RuntimeError("LibreOffice is not installed (make system-deps installs it)")
    with tempfile.TemporaryDirectory(prefix="office-pdf-") as tmp:
        books = [str(build_workbook(Path(tmp) / f"{k}.xlsx", disclosure)) for k, (_, disclosure) in enumerate(jobs)]
        # A profile of its own: two conversions at once do not share (and lock) one.
        profile = f"-env:UserInstallation=file://{tmp}/profile"
        subprocess.run([SOFFICE, profile, "--headless", "--convert-to", "pdf", "--outdir", tmp, *books],
                       check=True, capture_output=True, timeout=600)
        for k, (path, _) in enumerate(jobs):
            shutil.move(Path(tmp) / f"{k}.pdf", path)
    return [path for path, _ in jobs]


def build_office_pdf(path: Path, disclosure: Disclosure) -> Path:
    """Print ``disclosure`` to ``path`` as LibreOffice prints its workbook."""
    return build_office_pdfs([(path, disclosure)])[0]
