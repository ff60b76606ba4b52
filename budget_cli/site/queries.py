"""What the site reads from the warehouse: documents, their facts and findings.

A warehouse may be empty (no tables yet) or written before milestone 2 (no document_kind or stage
columns): every read here copes, so the site says what is missing instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

DOCUMENT_TABLES = ("dim_document", "dim_unit", "fact_expenditure", "fact_income", "dq_check_result")


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None) -> list[dict]:
    """Every row as a dict (fetchall: DuckDB keeps a half-read result open otherwise)."""
    cur = con.execute(sql, params or [])
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def table_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """table or view name → its columns in order, for the main schema."""
    out: dict[str, list[str]] = {}
    for r in rows(con, """SELECT table_name, column_name FROM information_schema.columns
                          WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"""):
        out.setdefault(r["table_name"], []).append(r["column_name"])
    return out


class Warehouse:
    """A connection plus the columns it has, to read old and new warehouse files alike."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.columns = table_columns(con)

    def has(self, table: str, column: str | None = None) -> bool:
        cols = self.columns.get(table)
        return cols is not None and (column is None or column in cols)

    @property
    def usable(self) -> bool:
        """The tables every page reads exist (an empty DuckDB file has none)."""
        return all(self.has(t) for t in DOCUMENT_TABLES)

    def col(self, alias: str, table: str, column: str, default: str = "NULL") -> str:
        """``alias.column``, or a constant when an older warehouse lacks the column."""
        return f"{alias}.{column}" if self.has(table, column) else f"{default}"

    def rows(self, sql: str, params: list | dict | None = None) -> list[dict]:
        return rows(self.con, sql, params)


@dataclass
class DocumentSummary:
    document_id: str
    file_name: str
    file_format: str
    title: str | None
    fiscal_year: int | None
    department: str | None
    document_kind: str | None
    disclosure_level: str | None
    status: str
    status_reason: str | None
    page_count: int | None
    table_count: int | None
    text_source: str | None
    tables_with_rows: int
    facts: int
    errors: int
    warnings: int
    passed: int

    @property
    def name(self) -> str:
        return self.title or self.file_name


def documents(wh: Warehouse) -> list[DocumentSummary]:
    """Every document with its department, tables and findings counts, by year then title. A loaded
    document's errors and warnings are counted as `budget-etl report` counts them (v_disclosure_summary:
    failed rows that differ only by measure are one finding); an older warehouse counts failed rows."""
    merged = "s.error_findings" if wh.has("v_disclosure_summary") else "NULL"
    summary = ("LEFT JOIN v_disclosure_summary s ON s.document_id = d.document_id"
               if wh.has("v_disclosure_summary") else "")
    sql = f"""
    WITH facts AS (
        SELECT document_id, table_index FROM fact_expenditure
        UNION ALL SELECT document_id, table_index FROM fact_income
    ), tables AS (
        SELECT document_id, count(DISTINCT table_index) FILTER (WHERE table_index >= 0) AS tables_with_rows,
               count(*) AS facts
        FROM facts GROUP BY document_id
    ), checks AS (
        SELECT document_id,
               count(*) FILTER (WHERE NOT success AND severity = 'error') AS errors,
               count(*) FILTER (WHERE NOT success AND severity <> 'error') AS warnings,
               count(*) FILTER (WHERE success) AS passed
        FROM dq_check_result WHERE document_id IS NOT NULL GROUP BY document_id
    )
    SELECT d.document_id, d.file_name, d.file_format, d.title, d.fiscal_year, u.unit_name AS department,
           {wh.col('d', 'dim_document', 'document_kind')} AS document_kind,
           {wh.col('d', 'dim_document', 'disclosure_level')} AS disclosure_level,
           d.status, d.status_reason, d.page_count, {wh.col('d', 'dim_document', 'table_count')} AS table_count,
           {wh.col('d', 'dim_document', 'text_source')} AS text_source,
           coalesce(t.tables_with_rows, 0) AS tables_with_rows, coalesce(t.facts, 0) AS facts,
           coalesce({merged}, c.errors, 0) AS errors,
           coalesce({wh.col('s', 'v_disclosure_summary', 'warning_findings')}, c.warnings, 0) AS warnings,
           coalesce(c.passed, 0) AS passed
    FROM dim_document d
    LEFT JOIN dim_unit u ON u.unit_id = d.department_unit_id
    LEFT JOIN tables t ON t.document_id = d.document_id
    LEFT JOIN checks c ON c.document_id = d.document_id
    {summary}
    ORDER BY d.fiscal_year NULLS LAST, d.title NULLS LAST, d.file_name
    """
    return [DocumentSummary(**r) for r in wh.rows(sql)]


def facts(wh: Warehouse, document_id: str) -> list[dict]:
    """Every fact of a document (both fact tables), with the official subject name and unit name,
    in printed order: table, row, then the fact's column."""
    parts = []
    for source in ("fact_income", "fact_expenditure"):
        stage = wh.col("f", source, "stage", "'budget'")  # a pre-milestone-2 file held budgets only
        parts.append(f"""
        SELECT '{source}' AS source, f.fact_id, f.table_index, f.table_title, f.table_kind, f.row_index,
               f.row_role, f.subject_code, f.printed_code, f.line_item, f.project_name, f.measure,
               f.column_label, {stage} AS stage, f.amount_yuan, f.page,
               f.unit_multiplier, f.unit_id, u.unit_name, s.subject_name,
               {wh.col("f", source, "confidence")} AS confidence
        FROM {source} f
        LEFT JOIN dim_unit u ON u.unit_id = f.unit_id
        LEFT JOIN dim_subject_code s ON s.subject_code = f.subject_code
        WHERE f.document_id = $doc""")
    sql = " UNION ALL ".join(parts) + """
        ORDER BY table_index NULLS LAST, row_index NULLS LAST, source, fact_id"""
    return wh.rows(sql, {"doc": document_id})


def findings(wh: Warehouse, document_id: str) -> list[dict]:
    """The document's failed checks, errors first."""
    return wh.rows("""
        SELECT check_name, severity, observed, expected, details, table_index, row_index, measure
        FROM dq_check_result WHERE document_id = $doc AND NOT success
        ORDER BY severity = 'error' DESC, check_name, details, measure
    """, {"doc": document_id})


def indicators(wh: Warehouse, document_id: str) -> list[dict]:
    """The document's 绩效指标, as printed."""
    if not wh.has("fact_performance_indicator"):
        return []
    page = wh.col("p", "fact_performance_indicator", "page")
    return wh.rows(f"""
        SELECT scope, project_name, project_budget_yuan, level1, level2, indicator_name, target_text, {page} AS page
        FROM fact_performance_indicator p WHERE document_id = $doc
        ORDER BY {wh.col('p', 'fact_performance_indicator', 'table_index')} NULLS LAST,
                 {wh.col('p', 'fact_performance_indicator', 'row_index')} NULLS LAST, indicator_id
    """, {"doc": document_id})


def warehouse_checks(wh: Warehouse) -> dict[str, int]:
    """Outcomes of the checks that belong to no document (the classification's own suite)."""
    if not wh.has("dq_check_result"):
        return {"passed": 0, "failed": 0}
    got = wh.rows("""SELECT count(*) FILTER (WHERE success) AS passed, count(*) FILTER (WHERE NOT success) AS failed
                     FROM dq_check_result WHERE document_id IS NULL""")
    return got[0]


def row_count(wh: Warehouse, table: str) -> int | None:
    if table not in wh.columns:
        return None
    return wh.rows(f'SELECT count(*) AS n FROM "{table}"')[0]["n"]
