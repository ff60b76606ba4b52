"""Tables of a fictional department, and the facts a reader must take back from them.

A :class:`CodedTable` holds subject rows (code, name, amounts by (measure, stage)) whose parents
and 合计 are summed here, so every table adds up. :func:`render_coded` prints it in one of the
layouts real producers use (万元 or 元, codes in one column or over 类 | 款 | 项, 合计 in the name
or the code column) and :func:`expected_facts` lists the rows a reader must load from it,
whatever the layout. Subject names come from the official classification the project ships.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.reference.classification import load_subject_codes
from tests.disclosure_pdfs import Grid, Span, heading_line

Key = tuple[str, str]  # (measure, stage)
# (table_kind, row_role, subject_code, line_item, measure, stage, amount_yuan)
Fact = tuple[str, str, str | None, str, str, str, Decimal]
MULTIPLIERS = {"元": 1, "万元": 10_000}
_NAMES: dict[str, str] = {}


def subject_name(code: str) -> str:
    if not _NAMES:
        _NAMES.update(load_subject_codes().select("subject_code", "subject_name").iter_rows())
    return _NAMES[code]


@dataclass(frozen=True)
class Column:
    label: str  # the printed heading
    measure: str
    stage: str


@dataclass
class Row:
    code: str | None  # None for the 合计 row
    name: str
    amounts: dict[Key, Decimal]  # the printed cells; a key that is absent is a blank cell
    role: str = "subject"


@dataclass
class CodedTable:
    title: str
    kind: str
    code_header: str
    columns: list[Column]
    rows: list[Row]
    name_header: str = "科目名称"


@dataclass(frozen=True)
class Style:
    unit: str = "万元"
    separators: bool = False  # thousands separators: 3,216,400.00
    split: bool = False  # codes over 类 | 款 | 项 columns
    total_in_code: bool = False  # 合计 printed in the (first) code column
    publisher: str | None = None  # 编制部门 named above the table


def with_totals(leaves: dict[str, dict[str, int | str]], parts: tuple[str, ...], stage: str,
                total: str = "total") -> dict[str, dict[Key, Decimal]]:
    """Leaf amounts by measure → by (measure, stage), with the row total (sum of ``parts``) added."""
    out: dict[str, dict[Key, Decimal]] = {}
    for code, amounts in leaves.items():
        row = {(m, stage): Decimal(str(v)).quantize(Decimal("0.01")) for m, v in amounts.items()}
        if any(m in parts for m in amounts):
            row[(total, stage)] = sum((row[(m, stage)] for m in parts if (m, stage) in row), Decimal("0.00"))
        out[code] = row
    return out


def _sum(rows: list[dict[Key, Decimal]]) -> dict[Key, Decimal]:
    out: dict[Key, Decimal] = {}
    for row in rows:
        for k, v in row.items():
            out[k] = out.get(k, Decimal("0.00")) + v
    return out


def coded_rows(leaves: dict[str, dict[Key, Decimal]], total_at: str = "top") -> list[Row]:
    """Every 类 and 款 above the leaves, each the sum of its leaves, and the 合计 row."""
    codes = set(leaves)
    for code in leaves:
        codes |= {code[:n] for n in (3, 5) if n < len(code)}
    rows = [
        Row(code, subject_name(code), _sum([a for c, a in leaves.items() if c.startswith(code)]))
        for code in sorted(codes)
    ]
    total = Row(None, "合计", _sum([a for c, a in leaves.items()]), role="total")
    return [total, *rows] if total_at == "top" else [*rows, total]


def printed(amount: Decimal, style: Style) -> str:
    value = amount / MULTIPLIERS[style.unit]
    assert value == value.quantize(Decimal("0.01")), f"{amount} does not print exactly in {style.unit}"
    return f"{value:,.2f}" if style.separators else f"{value:.2f}"


def code_parts(table: CodedTable) -> int:
    """How many columns the codes take when split: 类 款 项 for 7 digits, 类 款 for 5."""
    longest = max(len(r.code) for r in table.rows if r.code)
    return 3 if longest == 7 else 2


def _code_cells(code: str | None, n: int, style: Style) -> list[str]:
    if not style.split:
        return [code or ""]
    code = code or ""
    return [p for p in (code[:3], code[3:5], code[5:7])][:n]


def render_coded(table: CodedTable, style: Style) -> Grid:
    """The table as printed in ``style``."""
    n = code_parts(table) if style.split else 1
    labels = [c.label for c in table.columns]
    spans: list[Span] = []
    if style.split:
        header = [[table.code_header] + [""] * (n - 1) + [table.name_header, *labels],
                  ["类", "款", "项"][:n] + [""] * (1 + len(labels))]
        spans.append((0, 0, n - 1, 0))
        spans += [(j, 0, j, 1) for j in range(n, n + 1 + len(labels))]
    else:
        header = [[table.code_header, table.name_header, *labels]]
    body = []
    for row in table.rows:
        cells = [printed(row.amounts[(c.measure, c.stage)], style) if (c.measure, c.stage) in row.amounts else ""
                 for c in table.columns]
        if row.role == "total" and style.total_in_code:
            label = ["合计"] + [""] * n
            spans.append((0, len(header) + len(body), n, len(header) + len(body)))
        elif row.role == "total":
            label = [""] * n + ["合计"]
        else:
            label = _code_cells(row.code, n, style) + [row.name]
        body.append(label + cells)
    heading = [heading_line(style.publisher, style.unit)]
    return Grid(table.title, header, body, spans, heading, amount_from=n + 1)


def printed_code(code: str, style: Style) -> str:
    """What a reader keeps as printed_code: the parts joined by a space when split."""
    return " ".join(p for p in (code[:3], code[3:5], code[5:7]) if p) if style.split else code


def expected_facts(table: CodedTable) -> set[Fact]:
    """The rows a reader must load: one per printed amount cell, none for a blank."""
    facts: set[Fact] = set()
    for row in table.rows:
        for (measure, stage), amount in row.amounts.items():
            facts.add((table.kind, row.role, row.code, row.name, measure, stage, amount))
    return facts


# --- side-by-side summary and the “三公” table of final accounts ----------------------------------


@dataclass
class SummaryLine:
    label: str
    amount: Decimal | None
    role: str = "item"  # 'total' for 本年收入合计, 本年支出合计, 总计


@dataclass
class SummaryTable:
    """收入支出决算总表: incomes and expenditures side by side, one 决算数 column each."""

    title: str
    income: list[SummaryLine]
    expenditure: list[SummaryLine]
    stage: str = "final"
    column: str = "决算数"
    kind: str = "income_expenditure_summary"


def render_summary(table: SummaryTable, style: Style) -> Grid:
    header = [["收入", "", "支出", ""], ["项目", table.column, "项目", table.column]]
    n = max(len(table.income), len(table.expenditure))
    blank = SummaryLine("", None)
    body = []
    for i in range(n):
        left = table.income[i] if i < len(table.income) else blank
        right = table.expenditure[i] if i < len(table.expenditure) else blank
        body.append([left.label, printed(left.amount, style) if left.amount is not None else "",
                     right.label, printed(right.amount, style) if right.amount is not None else ""])
    return Grid(table.title, header, body, [(0, 0, 1, 0), (2, 0, 3, 0)],
                [heading_line(style.publisher, style.unit)])


# (line item, printed heading) of the 三公 决算 table, left to right.
THREE_PUBLIC_COLUMNS = (
    ("three_public_total", "合计"),
    ("overseas_travel", "因公出国（境）费"),
    ("vehicle_total", "小计"),
    ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_operation", "公务用车运行费"),
    ("official_reception", "公务接待费"),
)


@dataclass
class ThreePublicTable:
    """财政拨款“三公”经费支出决算表: a 预算数 and a 决算数 column for every category."""

    title: str
    amounts: dict[str, dict[str, Decimal]]  # stage → line item → amount
    stages: tuple[tuple[str, str], ...] = (("预算数", "budget"), ("决算数", "final"))
    kind: str = "three_public"
    notes: list[str] = field(default_factory=list)


def render_three_public(table: ThreePublicTable, style: Style) -> Grid:
    top = ["合计", "", "因公出国（境）费", "", "公务用车购置及运行费", "", "", "", "", "", "公务接待费", ""]
    middle = ["", "", "", "", "小计", "", "公务用车购置费", "", "公务用车运行费", "", "", ""]
    bottom = [label for _ in THREE_PUBLIC_COLUMNS for label, _ in table.stages]
    spans: list[Span] = [(0, 0, 1, 1), (2, 0, 3, 1), (4, 0, 9, 0), (10, 0, 11, 1), (4, 1, 5, 1), (6, 1, 7, 1),
                         (8, 1, 9, 1)]
    body = [[printed(table.amounts[stage][item], style) for item, _ in THREE_PUBLIC_COLUMNS
             for _, stage in table.stages]]
    return Grid(table.title, [top, middle, bottom], body, spans, [heading_line(style.publisher, style.unit)],
                amount_from=0)
