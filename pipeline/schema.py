"""Column names and types of every warehouse table, shared by the normaliser and the loader.

The contract's columns come first, in its order; extension columns (documented in the README)
follow. Columns added later (the contract's milestone 2, then the OCR extension columns) come last,
in the order an upgraded warehouse file gets them (ALTER TABLE appends), so a new and an upgraded
file have one layout.
``pipeline/warehouse/ddl.sql`` and the expectations' column lists are tested equal to this.
Amounts are Decimal(20, 2): exact, never float.
"""

from __future__ import annotations

import polars as pl

AMOUNT = pl.Decimal(20, 2)

_FACT_AMOUNTS = {
    "fact_id": pl.Utf8,
    "document_id": pl.Utf8,
    "fiscal_year": pl.Int32,
    "unit_id": pl.Utf8,
    "table_kind": pl.Utf8,
    "row_role": pl.Utf8,
    "subject_code": pl.Utf8,
    "printed_code": pl.Utf8,
    "line_item": pl.Utf8,
    "project_name": pl.Utf8,
    "measure": pl.Utf8,
    "amount_yuan": AMOUNT,
    "page": pl.Int32,
    "source_row": pl.Utf8,
    # extensions
    "table_index": pl.Int32,
    "table_title": pl.Utf8,
    "row_index": pl.Int32,
    "column_label": pl.Utf8,
    "unit_multiplier": pl.Int64,
    # milestone 2 (contract): which figure the amount is, vocabulary.STAGES
    "stage": pl.Utf8,
    # extension, added after milestone 2: the OCR engine's confidence in the amount (NULL when
    # the amount was read from a text layer)
    "confidence": pl.Float64,
    # milestone 3 (contract): the fund a column group or row block splits by (vocabulary.FUND_SOURCES)
    "fund_source": pl.Utf8,
    # milestone 3 (contract): a cross-classified table's government economic code (50101) beside 30101
    "gov_economic_code": pl.Utf8,
    # milestone 3 (contract): how the subject code was known (vocabulary.CODE_SOURCES)
    "code_source": pl.Utf8,
    # extension: the name the table prints beside gov_economic_code ('工资奖金津补贴' by 50101), which
    # names the observed 50101-style rows of dim_subject_code
    "gov_economic_name": pl.Utf8,
}

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "dim_document": {
        "document_id": pl.Utf8,
        "file_name": pl.Utf8,
        "file_format": pl.Utf8,
        "title": pl.Utf8,
        "fiscal_year": pl.Int32,
        "department_unit_id": pl.Utf8,
        "page_count": pl.Int32,
        "status": pl.Utf8,
        "status_reason": pl.Utf8,
        "ingested_at": pl.Datetime("us"),
        # extensions
        "file_size_bytes": pl.Int64,
        "table_count": pl.Int32,
        # milestone 2 (contract): vocabulary.DOCUMENT_KINDS, vocabulary.DISCLOSURE_LEVELS
        "document_kind": pl.Utf8,
        "disclosure_level": pl.Utf8,
        # extension, added after milestone 2: vocabulary.TEXT_SOURCES
        "text_source": pl.Utf8,
        # extension, added after OCR: the kinds of the disclosure tables the document prints, sorted
        # and space-separated (an empty table counts: it was printed), for completeness queries
        "table_kinds": pl.Utf8,
    },
    "dim_unit": {
        "unit_id": pl.Utf8,
        "unit_name": pl.Utf8,
        "unit_code": pl.Utf8,
        "parent_unit_id": pl.Utf8,
        "region": pl.Utf8,
        # milestone 3 (contract): where the unit sits (normalize.areas) and the kind of office
        # (reference/department_types.csv)
        "province": pl.Utf8,
        "city": pl.Utf8,
        "county": pl.Utf8,
        "adcode": pl.Utf8,
        "department_type": pl.Utf8,
    },
    "dim_unit_alias": {"alias": pl.Utf8, "unit_id": pl.Utf8},
    "dim_subject_code": {
        "subject_code": pl.Utf8,
        "classification": pl.Utf8,
        "subject_name": pl.Utf8,
        "level": pl.Int16,
        "parent_code": pl.Utf8,
        # milestone 3 (contract): 'reference' (the shipped list) or 'observed' (pipeline.warehouse.observed),
        # and the year an observed code was first printed alike by two disclosures (NULL for the list)
        "source": pl.Utf8,
        "fiscal_year": pl.Int32,
    },
    "fact_expenditure": dict(_FACT_AMOUNTS),
    "fact_income": dict(_FACT_AMOUNTS),
    "fact_performance_indicator": {
        "indicator_id": pl.Utf8,
        "document_id": pl.Utf8,
        "fiscal_year": pl.Int32,
        "unit_id": pl.Utf8,
        "scope": pl.Utf8,
        "project_name": pl.Utf8,
        "parent_project_name": pl.Utf8,
        "project_budget_yuan": AMOUNT,
        "level1": pl.Utf8,
        "level2": pl.Utf8,
        "indicator_name": pl.Utf8,
        "comparator": pl.Utf8,
        "target_value": pl.Float64,
        "target_max": pl.Float64,
        "target_unit": pl.Utf8,
        "target_text": pl.Utf8,
        "description": pl.Utf8,
        "basis": pl.Utf8,
        # extensions
        "table_index": pl.Int32,
        "row_index": pl.Int32,
        "page": pl.Int32,
    },
    "dq_check_result": {
        "run_id": pl.Utf8,
        "document_id": pl.Utf8,
        "check_name": pl.Utf8,
        "severity": pl.Utf8,
        "success": pl.Boolean,
        "observed": pl.Utf8,
        "expected": pl.Utf8,
        "details": pl.Utf8,
        "checked_at": pl.Datetime("us"),
        # Where a failure is: the printed table and row (as the fact tables number them), the page and
        # the measure. NULL where the finding concerns the whole document.
        "table_index": pl.Int32,
        "row_index": pl.Int32,
        "page": pl.Int32,
        "measure": pl.Utf8,
    },
}

# The project's own columns, not the contract's: a GE suite requires only the others to be present.
EXTENSION_COLUMNS: dict[str, tuple[str, ...]] = {
    "dim_document": ("file_size_bytes", "table_count", "text_source", "table_kinds"),
    "fact_expenditure": ("table_index", "table_title", "row_index", "column_label", "unit_multiplier", "confidence",
                         "gov_economic_name"),
    "fact_income": ("table_index", "table_title", "row_index", "column_label", "unit_multiplier", "confidence",
                    "gov_economic_name"),
    "fact_performance_indicator": ("table_index", "row_index", "page"),
    "dq_check_result": ("table_index", "row_index", "page", "measure"),
}


def contract_columns(table: str) -> list[str]:
    """The table's contract columns (milestone 2 included), in table order."""
    extensions = EXTENSION_COLUMNS.get(table, ())
    return [c for c in SCHEMAS[table] if c not in extensions]


# One cell, one meaning (the contract): no two amounts of a fact table share these columns, so a SUM
# never counts a cell twice. The warehouse enforces it with a unique index; the reader refuses a
# table that would break it. A NULL fund_source (the table does not split by fund) is one value.
CELL_KEY = ("document_id", "table_index", "row_index", "line_item", "measure", "fund_source", "stage")
# The tables of amount cells (they share one shape, _FACT_AMOUNTS).
FACT_TABLES = ("fact_expenditure", "fact_income")

# Tables whose rows belong to one document (replaced per document on load).
DOCUMENT_TABLES = ("fact_expenditure", "fact_income", "fact_performance_indicator", "dq_check_result")


def frame(table: str, rows: list[dict]) -> pl.DataFrame:
    """A frame with exactly the table's columns and types (missing keys become null)."""
    schema = SCHEMAS[table]
    data = {name: [r.get(name) for r in rows] for name in schema}
    return pl.DataFrame(data, schema=schema)
