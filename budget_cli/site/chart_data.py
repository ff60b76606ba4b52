"""The figures behind the charts, read from loaded documents only, as exact Decimals.

Each document is charted at its own stage: a budget's 预算数, a final account's 决算数. A label names
the department, the year and the kind, so a department's budget and final account stand apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budget_cli.site import fmt
from budget_cli.site.queries import Warehouse

# Where a document's expenditure totals are read, in order of preference (支出总表 covers every source).
EXPENDITURE_TABLES = ("expenditure_summary", "general_budget_expenditure")
# 三公 line items that contain others: charted only when the document prints none of their parts.
THREE_PUBLIC_PARENTS = {
    "vehicle_total": ("vehicle_purchase", "vehicle_operation"),
    "overseas_travel": ("overseas_travel_academic", "overseas_travel_other"),
}
NOT_A_CATEGORY = ("three_public_total", "agency_operating_cost")


@dataclass(frozen=True)
class Point:
    """One bar segment: which document (label), which series, how much (yuan, exact)."""

    label: str
    series: str
    amount_yuan: Decimal
    note: str = ""  # how the figure was read, where that is not a printed cell


def _doc_sql(wh: Warehouse) -> str:
    """Columns naming a loaded document, and the stage its own figures carry."""
    kind = wh.col("d", "dim_document", "document_kind", "'budget'")
    level = wh.col("d", "dim_document", "disclosure_level", "'department'")
    stage = wh.col("f", "fact_expenditure", "stage", "'budget'")
    return f"""d.document_id, coalesce(u.unit_name, d.title, d.file_name) AS department, d.fiscal_year,
        {kind} AS document_kind, {level} AS disclosure_level,
        {stage} = CASE WHEN {kind} = 'final_accounts' THEN 'final' ELSE 'budget' END AS own_stage"""


def _facts(wh: Warehouse, where: str) -> list[dict]:
    return wh.rows(f"""
        SELECT {_doc_sql(wh)}, f.table_kind, f.table_index, f.row_index, f.row_role, f.subject_code,
               f.line_item, f.measure, f.amount_yuan, s.subject_name
        FROM fact_expenditure f
        JOIN dim_document d ON d.document_id = f.document_id AND d.status = 'loaded'
        LEFT JOIN dim_unit u ON u.unit_id = d.department_unit_id
        LEFT JOIN dim_subject_code s ON s.subject_code = f.subject_code
        WHERE {where}
        ORDER BY department, d.fiscal_year, document_kind, d.document_id, f.table_index, f.row_index
    """)


def doc_label(r: dict) -> str:
    """``某部门 2024 预算`` (``· 单位`` for a unit-level disclosure)."""
    kind = fmt.DOCUMENT_KIND_NAMES.get(r["document_kind"], r["document_kind"] or "")
    level = " · 单位" if r["disclosure_level"] == "unit" else ""
    return f"{r['department']} {r['fiscal_year'] or ''} {kind}{level}".strip()


def _group(rows: list[dict], *key: str) -> dict[tuple, list[dict]]:
    """Rows by key, in the order keys first appear (one pass: thousands of documents stay cheap)."""
    out: dict[tuple, list[dict]] = {}
    for r in rows:
        out.setdefault(tuple(r[k] for k in key), []).append(r)
    return out


def _first_per(rows: list[dict], key: tuple[str, ...]) -> list[dict]:
    """The first row of each key (rows come in printed order): a line printed twice counts once."""
    seen: set[tuple] = set()
    out = []
    for r in rows:
        k = tuple(r[c] for c in key)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def three_public(wh: Warehouse) -> list[Point]:
    """The 三公 categories of each document's 合计 row; the total alone where it prints no category."""
    rows = _facts(wh, """f.table_kind = 'three_public' AND f.row_role IN ('total', 'item', 'subtotal') AND f.measure = 'total'""")
    rows = _first_per([r for r in rows if r["own_stage"]], ("document_id", "line_item"))
    points: list[Point] = []
    for doc_rows in _group(rows, "document_id").values():
        mine = {r["line_item"]: r for r in doc_rows}
        items = [i for i in mine if i not in NOT_A_CATEGORY
                 and not any(p in mine for p in THREE_PUBLIC_PARENTS.get(i, ()))]
        if not items and "three_public_total" in mine:
            items = ["three_public_total"]
        points += [Point(doc_label(mine[i]), fmt.THREE_PUBLIC_NAMES.get(i, i), mine[i]["amount_yuan"])
                   for i in items]
    return points


def _preferred_table(rows: list[dict], measures: tuple[str, ...]) -> list[dict]:
    """Per document, the rows of the first preferred table that prints every one of ``measures``."""
    out: list[dict] = []
    for mine in _group(rows, "document_id").values():
        tables = sorted({(EXPENDITURE_TABLES.index(r["table_kind"]), r["table_index"]) for r in mine})
        for _rank, index in tables:
            picked = [r for r in mine if r["table_index"] == index]
            if {r["measure"] for r in picked} >= set(measures):
                out += picked
                break
    return out


def _basic_project(row: list[dict]) -> tuple[Decimal, str, Decimal] | None:
    """(基本支出, how it was read, 项目支出) of a 合计 row; 基本 is 人员 + 公用 where the table prints
    those instead (as the consistency checks read it)."""
    m: dict[str, Decimal] = {}
    for r in row:
        m.setdefault(r["measure"], r["amount_yuan"])
    if "project" not in m:
        return None
    if "basic" in m:
        return m["basic"], "基本支出", m["project"]
    if "personnel" in m and "public_operating" in m:
        return m["personnel"] + m["public_operating"], "基本支出 (人员经费 + 公用经费)", m["project"]
    return None


def basic_and_project(wh: Warehouse) -> list[Point]:
    """基本支出 and 项目支出 of each document's 合计 row (支出总表, else 一般公共预算支出表)."""
    kinds = ", ".join(f"'{k}'" for k in EXPENDITURE_TABLES)
    rows = _facts(wh, f"""f.table_kind IN ({kinds}) AND f.row_role = 'total'
                          AND f.measure IN ('basic', 'project', 'personnel', 'public_operating')""")
    rows = [r for r in rows if r["own_stage"]]
    points: list[Point] = []
    for mine in _group(rows, "document_id").values():
        for _rank, index in sorted({(EXPENDITURE_TABLES.index(r["table_kind"]), r["table_index"]) for r in mine}):
            table = [r for r in mine if r["table_index"] == index]
            first = min(r["row_index"] for r in table)
            found = _basic_project([r for r in table if r["row_index"] == first])
            if found:
                basic, how, project = found
                points += [Point(doc_label(table[0]), "基本支出", basic, how),
                           Point(doc_label(table[0]), "项目支出", project, "项目支出")]
                break
    return points


@dataclass(frozen=True)
class Subject:
    code: str
    name: str
    amount_yuan: Decimal
    documents: int


def largest_subjects(wh: Warehouse, limit: int = 15) -> tuple[list[Subject], list[Point]]:
    """The most detailed subject codes with the largest amounts (支出总表 合计 column, summed over
    documents), and each document's part of them."""
    kinds = ", ".join(f"'{k}'" for k in EXPENDITURE_TABLES)
    rows = _facts(wh, f"""f.table_kind IN ({kinds}) AND f.row_role = 'subject' AND f.measure = 'total'
                          AND f.subject_code IS NOT NULL""")
    rows = _first_per(_preferred_table([r for r in rows if r["own_stage"]], ("total",)),
                      ("document_id", "subject_code"))
    codes_of: dict[str, set[str]] = {}
    for r in rows:
        codes_of.setdefault(r["document_id"], set()).add(r["subject_code"])
    # A 类 or 款 whose 项 are listed would count its money twice.
    leaves = [r for r in rows if not any(c != r["subject_code"] and c.startswith(r["subject_code"])
                                         for c in codes_of[r["document_id"]])]
    totals: dict[str, list[dict]] = {}
    for r in leaves:
        totals.setdefault(r["subject_code"], []).append(r)
    ranked = sorted(totals.items(), key=lambda kv: (-sum(r["amount_yuan"] for r in kv[1]), kv[0]))[:limit]
    subjects = [Subject(code, rs[0]["subject_name"] or rs[0]["line_item"], sum((r["amount_yuan"] for r in rs),
                        Decimal(0)), len(rs)) for code, rs in ranked]
    points = [Point(f"{s.code} {s.name}", doc_label(r), r["amount_yuan"]) for s in subjects for r in totals[s.code]]
    return subjects, points


@dataclass(frozen=True)
class Execution:
    """A final account's line beside its budget (v_budget_vs_final), exact."""

    scope: str
    line: str
    budget_yuan: Decimal
    final_yuan: Decimal
    difference_yuan: Decimal | None
    execution_rate: Decimal | None
    budget_source: str


_EXECUTION_LINES = {"total": "支出合计", "basic": "基本支出", "project": "项目支出"}


def budget_vs_final(wh: Warehouse) -> list[Execution]:
    """Per unit and year, the expenditure 合计 (total, 基本, 项目) and the 三公 total, where the final
    account's line has a budget: from a loaded budget disclosure, or printed beside it."""
    if not wh.has("v_budget_vs_final"):
        return []
    kinds = ", ".join(f"'{k}'" for k in EXPENDITURE_TABLES)
    rows = wh.rows(f"""
        SELECT coalesce(u.unit_name, v.unit_id) AS unit_name, v.fiscal_year, v.table_kind, v.measure,
               v.line_item, v.budget_amount_yuan, v.final_amount_yuan, v.difference_yuan, v.execution_rate,
               v.budget_source
        FROM v_budget_vs_final v LEFT JOIN dim_unit u ON u.unit_id = v.unit_id
        WHERE v.budget_amount_yuan IS NOT NULL AND v.row_role = 'total' AND (
              (v.table_kind IN ({kinds}) AND v.measure IN ('total', 'basic', 'project'))
           OR (v.table_kind = 'three_public' AND v.line_item = 'three_public_total' AND v.measure = 'total'))
        ORDER BY unit_name, v.fiscal_year, v.table_kind
    """)
    out: list[Execution] = []
    for scope, mine in _group(rows, "unit_name", "fiscal_year").items():
        kinds_here = [k for k in EXPENDITURE_TABLES if any(r["table_kind"] == k for r in mine)]
        picked = [r for r in mine if r["table_kind"] == "three_public" or (kinds_here and r["table_kind"] == kinds_here[0])]
        order = [*_EXECUTION_LINES, "three_public_total"]
        picked.sort(key=lambda r: order.index(r["measure"] if r["table_kind"] != "three_public" else r["line_item"]))
        for r in picked:
            line = fmt.THREE_PUBLIC_NAMES["three_public_total"] if r["table_kind"] == "three_public" \
                else _EXECUTION_LINES[r["measure"]]
            out.append(Execution(f"{scope[0]} {scope[1]}", line, r["budget_amount_yuan"], r["final_amount_yuan"],
                                 r["difference_yuan"], r["execution_rate"], r["budget_source"]))
    return out
