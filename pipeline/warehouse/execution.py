"""Budget execution read from v_budget_vs_final: the report's largest gaps and its “三公” lines.

Only units and years with a loaded budget and a loaded final account are reported: a final account
alone (its 三公 table prints 预算数 too) is in the view, but "execution" here means the two
disclosures side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb

from pipeline.vocabulary import AGENCY_OPERATING_COST, THREE_PUBLIC_ITEMS

# Where subject lines are compared, in order of preference: the first kind the pair of
# disclosures both print is used. 支出(决算)总表 covers every source of funds.
SUBJECT_TABLES = ("expenditure_summary", "general_budget_expenditure", "fiscal_grant_summary")
_THREE_PUBLIC_ORDER = (*THREE_PUBLIC_ITEMS, AGENCY_OPERATING_COST)


@dataclass(frozen=True)
class ExecutionScope:
    unit_id: str
    unit_name: str
    fiscal_year: int


@dataclass(frozen=True)
class ExecutionLine:
    code_or_item: str  # subject code, or the 三公 line item
    name: str
    budget_yuan: Decimal | None
    final_yuan: Decimal | None
    difference_yuan: Decimal | None
    execution_rate: Decimal | None
    budget_source: str | None


def has_execution_view(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_name = 'v_budget_vs_final'"
    ).fetchall())


def execution_scopes(con: duckdb.DuckDBPyConnection) -> list[ExecutionScope]:
    """Units and years for which a budget and a final account are both loaded."""
    rows = con.execute("""
        SELECT f.unit_id, coalesce(any_value(u.unit_name), f.unit_id), f.fiscal_year
        FROM fact_expenditure f
        JOIN dim_document d ON d.document_id = f.document_id AND d.status = 'loaded'
        LEFT JOIN dim_unit u ON u.unit_id = f.unit_id
        GROUP BY f.unit_id, f.fiscal_year
        HAVING bool_or(d.document_kind = 'budget') AND bool_or(d.document_kind = 'final_accounts')
        ORDER BY f.fiscal_year, 2
    """).fetchall()
    return [ExecutionScope(*r) for r in rows]


def subject_table(con: duckdb.DuckDBPyConnection, scope: ExecutionScope) -> str | None:
    """The first of SUBJECT_TABLES whose subject lines have a budget disclosure's amount."""
    kinds = {r[0] for r in con.execute("""
        SELECT DISTINCT table_kind FROM v_budget_vs_final
        WHERE unit_id = ? AND fiscal_year = ? AND row_role = 'subject' AND budget_source = 'budget_disclosure'
    """, [scope.unit_id, scope.fiscal_year]).fetchall()}
    return next((k for k in SUBJECT_TABLES if k in kinds), None)


def largest_gaps(con: duckdb.DuckDBPyConnection, scope: ExecutionScope, table_kind: str,
                 limit: int = 10) -> list[ExecutionLine]:
    """The subject lines (measure 'total') with the largest |final - budget|.

    Only the most detailed codes count: a 类 or 款 whose 项 are listed would repeat their gaps.
    Lines without a budget amount have no gap to rank.
    """
    rows = con.execute("""
        WITH lines AS (
            SELECT * FROM v_budget_vs_final
            WHERE unit_id = $unit AND fiscal_year = $year AND table_kind = $kind
              AND row_role = 'subject' AND measure = 'total'
        )
        SELECT l.subject_code, coalesce(s.subject_name, l.line_item), l.budget_amount_yuan,
               l.final_amount_yuan, l.difference_yuan, l.execution_rate, l.budget_source
        FROM lines l
        LEFT JOIN dim_subject_code s ON s.subject_code = l.subject_code
        WHERE l.budget_amount_yuan IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM lines c WHERE c.subject_code <> l.subject_code
                          AND starts_with(c.subject_code, l.subject_code))
        ORDER BY abs(l.difference_yuan) DESC, l.subject_code
        LIMIT $limit
    """, {"unit": scope.unit_id, "year": scope.fiscal_year, "kind": table_kind, "limit": limit}).fetchall()
    return [ExecutionLine(*r) for r in rows]


def three_public_lines(con: duckdb.DuckDBPyConnection, scope: ExecutionScope) -> list[ExecutionLine]:
    """The 三公 categories (and 机关运行经费) of the unit's own row, in the vocabulary's order.

    The department's 合计 row (its total 'total', its categories 'item') is preferred to its own
    section's subtotal ('unit_total').
    """
    rows = con.execute("""
        WITH t AS (
            SELECT *, CASE WHEN row_role IN ('total', 'item', 'subtotal') THEN 0 WHEN row_role = 'unit_total' THEN 1 ELSE 2 END
                   AS preference
            FROM v_budget_vs_final
            WHERE unit_id = ? AND fiscal_year = ? AND table_kind = 'three_public' AND measure = 'total'
        )
        SELECT line_item, line_item, budget_amount_yuan, final_amount_yuan, difference_yuan,
               execution_rate, budget_source
        FROM t WHERE preference = (SELECT min(preference) FROM t)
    """, [scope.unit_id, scope.fiscal_year]).fetchall()
    order = {item: i for i, item in enumerate(_THREE_PUBLIC_ORDER)}
    return sorted((ExecutionLine(*r) for r in rows), key=lambda x: (order.get(x.code_or_item, len(order)), x.name))
