"""The schema is written once: ddl.sql, pipeline/schema.py and the GE suites agree, and an old file upgrades.

The DDL is read by DuckDB itself (a fresh in-memory database runs it), so what is compared is what a
warehouse file really gets. The suites' value sets are compared with pipeline/vocabulary.py, the one
place the words are declared.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipeline import vocabulary as v
from pipeline.quality.suites import load_suite_specs
from pipeline.reference.departments import department_type_of, department_types
from pipeline.schema import SCHEMAS, contract_columns
from pipeline.warehouse.connect import ddl, open_writer

OLD_DDL = Path(__file__).parent / "data" / "ddl_before_milestone2.sql"


def duckdb_type(dtype: pl.DataType) -> str:
    """The DuckDB type a polars column of the schema is stored as."""
    if isinstance(dtype, pl.Decimal):
        return f"DECIMAL({dtype.precision},{dtype.scale})"
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMP"
    return {pl.Utf8: "VARCHAR", pl.Int16: "SMALLINT", pl.Int32: "INTEGER", pl.Int64: "BIGINT",
            pl.Float64: "DOUBLE", pl.Boolean: "BOOLEAN"}[dtype.base_type()]


def columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    out: dict[str, list[tuple]] = {}
    for table, *rest in rows:
        out.setdefault(table, []).append(tuple(rest))
    return out


def test_ddl_declares_the_columns_and_types_of_schema_py():
    con = duckdb.connect()
    con.execute(ddl())
    tables = {t: cols for t, cols in columns(con).items() if not t.startswith("v_")}
    assert set(tables) == set(SCHEMAS)
    for table, schema in SCHEMAS.items():
        declared = [(name, dtype) for name, dtype, *_ in tables[table]]
        assert declared == [(name, duckdb_type(t)) for name, t in schema.items()], table


def test_every_suite_requires_exactly_the_contract_columns():
    specs = load_suite_specs()
    assert set(specs) == set(SCHEMAS)
    for table, spec in specs.items():
        (present,) = [e for e in spec.expectations if e["type"] == "expect_table_columns_to_match_set"]
        assert present["kwargs"]["column_set"] == contract_columns(table), table
    assert contract_columns("dim_document")[-2:] == ["document_kind", "disclosure_level"]
    assert contract_columns("fact_income")[-4:] == ["stage", "fund_source", "gov_economic_code", "code_source"]
    assert "table_index" not in contract_columns("fact_income")


VALUE_SETS = {
    "dim_document.document_kind_in_enum": v.DOCUMENT_KINDS,
    "dim_document.disclosure_level_in_enum": v.DISCLOSURE_LEVELS,
    "dim_document.text_source_in_enum": v.TEXT_SOURCES,
    "fact_expenditure.table_kind_in_enum": v.FACT_TABLE_KINDS,
    "fact_income.table_kind_in_enum": v.FACT_TABLE_KINDS,
    "fact_expenditure.measure_in_enum": v.MEASURES,
    "fact_income.measure_in_enum": v.MEASURES,
    "fact_expenditure.stage_in_enum": v.STAGES,
    "fact_income.stage_in_enum": v.STAGES,
    "fact_expenditure.fund_source_in_enum": v.FUND_SOURCES,
    "fact_income.fund_source_in_enum": v.FUND_SOURCES,
    "fact_expenditure.code_source_in_enum": v.CODE_SOURCES,
    "dim_unit.department_type_in_enum": department_types(),
    "fact_expenditure.row_role_in_enum": v.ROW_ROLES,
    "fact_income.row_role_in_enum": v.ROW_ROLES,
    "fact_income.code_source_in_enum": v.CODE_SOURCES,
    "fact_expenditure.three_public_line_item_in_enum": (*v.THREE_PUBLIC_ITEMS, v.AGENCY_OPERATING_COST),
    "fact_expenditure.narrative_line_item_in_enum": tuple(item for item, _ in v.NARRATIVE_RULES),
}


@pytest.mark.parametrize("check_name", sorted(VALUE_SETS))
def test_suite_value_sets_are_the_vocabulary(check_name):
    table = check_name.split(".")[0]
    (exp,) = [e for e in load_suite_specs()[table].expectations if e["meta"]["check_name"] == check_name]
    assert exp["kwargs"]["value_set"] == list(VALUE_SETS[check_name]), (
        f"expectations/{table}.json: {check_name} must list pipeline/vocabulary.py's values, in its order"
    )


def test_the_summary_counts_the_vocabularys_standard_tables():
    """summary.sql spells vocabulary.STANDARD_BUDGET_TABLES out (SQL cannot import it): the same list."""
    from importlib.resources import files

    sql = files("pipeline.warehouse").joinpath("summary.sql").read_text(encoding="utf-8")
    listed = re.search(r"list_intersect\(d\.kinds, \[(.*?)\]\)", sql, re.S).group(1)
    assert re.findall(r"'([a-z_]+)'", listed) == list(v.STANDARD_BUDGET_TABLES)


@pytest.mark.parametrize("name, kind", [
    ("某市审计局", "audit"), ("某市信访办公室", "petition"), ("某市某区人民代表大会常务委员会办公室", "npc_office"),
    ("中共某市委宣传部", "propaganda"), ("某市公安局交通管理局", None), ("某市统计局（本级）", "statistics"),
    ("某市应急管理综合行政执法监督局", None), ("某市人民政府国有资产监督管理委员会", "state_assets"),
])
def test_a_units_kind_of_office_is_read_from_its_names_longest_listed_ending(name, kind):
    assert department_type_of(name) == kind


def _old_warehouse(path: Path) -> None:
    """A file as the release before milestone 2 wrote it: a loaded budget, a quarantined file, facts."""
    con = duckdb.connect(str(path))
    con.execute(OLD_DDL.read_text(encoding="utf-8"))
    when = datetime(2025, 1, 2, 3, 4, 5)
    con.execute("INSERT INTO dim_document (document_id, file_name, file_format, title, fiscal_year, status, "
                "ingested_at) VALUES ('a', 'a.txt', 'text', '某局2024年部门预算', 2024, 'loaded', ?), "
                "('q', 'q.pdf', 'pdf', NULL, NULL, 'quarantined', ?)", [when, when])
    for table in ("fact_expenditure", "fact_income"):
        con.execute(f"INSERT INTO {table} (fact_id, document_id, fiscal_year, unit_id, table_kind, row_role, "
                    "line_item, measure, amount_yuan) VALUES ('f1', 'a', 2024, 'u', 'expenditure_summary', "
                    "'total', '合计', 'total', 12.34)")
    con.close()


def test_a_warehouse_from_before_milestone_2_is_upgraded_in_place(tmp_path):
    old = tmp_path / "old.duckdb"
    _old_warehouse(old)
    con = open_writer(old)
    try:
        fresh = duckdb.connect()
        fresh.execute(ddl())
        assert columns(con) == columns(fresh)  # same columns, order, types, NOT NULL; no default left
        assert con.execute("SELECT document_id, document_kind, disclosure_level FROM dim_document ORDER BY 1"
                           ).fetchall() == [("a", "budget", "department"), ("q", "budget", "department")]
        for table in ("fact_expenditure", "fact_income"):
            assert con.execute(f"SELECT fact_id, stage, amount_yuan FROM {table}").fetchall() == [
                ("f1", "budget", Decimal("12.34"))]
        # The fill was for the old rows only: a new fact must state its stage.
        with pytest.raises(duckdb.ConstraintException, match="stage"):
            con.execute("INSERT INTO fact_expenditure (fact_id, document_id, unit_id, table_kind, row_role, "
                        "line_item, measure, amount_yuan) VALUES ('f2', 'a', 'u', 'three_public', 'total', "
                        "'three_public_total', 'total', 1)")
        assert con.execute("SELECT count(*) FROM v_budget_vs_final").fetchall() == [(0,)]  # no final accounts yet
    finally:
        con.close()
    con = open_writer(old)  # opening again changes nothing
    try:
        assert con.execute("SELECT count(*), min(stage) FROM fact_expenditure").fetchall() == [(1, "budget")]
    finally:
        con.close()


def test_a_warehouse_indexed_before_code_source_gains_it_filled_by_the_readers_rule(tmp_path):
    """A file of the release before code_source holds the one-cell indexes, which block ALTER TABLE: it is
    upgraded all the same, each older row's code_source told by its printed and its loaded code."""
    from pipeline.normalize.context import code_source
    from pipeline.warehouse.connect import cell_key_sql

    path = tmp_path / "indexed.duckdb"
    con = open_writer(path)
    con.execute("DROP INDEX fact_expenditure_one_cell; DROP INDEX fact_income_one_cell")
    for table in ("fact_expenditure", "fact_income"):
        con.execute(f"ALTER TABLE {table} DROP COLUMN gov_economic_name")  # added after code_source
        con.execute(f"ALTER TABLE {table} DROP COLUMN code_source")
        con.execute(f"CREATE UNIQUE INDEX {table}_one_cell ON {table} ({cell_key_sql()})")
    rows = [("p", "201 40 04", "2014004"), ("r", "40", "20140"), ("i", None, "201"), ("n", None, None)]
    for n, (fact_id, printed, code) in enumerate(rows):
        con.execute("INSERT INTO fact_expenditure (fact_id, document_id, unit_id, table_kind, row_role, subject_code, "
                    "printed_code, line_item, measure, amount_yuan, stage, table_index, row_index) VALUES "
                    "(?, 'a', 'u', 'general_budget_expenditure', 'subject', ?, ?, ?, 'total', 1, 'budget', 0, ?)",
                    [fact_id, code, printed, fact_id, n])
    con.close()
    con = open_writer(path)
    try:
        fresh = duckdb.connect()
        fresh.execute(ddl())
        assert columns(con) == columns(fresh)
        got = dict(con.execute("SELECT fact_id, code_source FROM fact_expenditure").fetchall())
        assert got == {"p": "printed", "r": "repaired", "i": "inferred", "n": None}
        assert got == {fact_id: code_source(printed, code) for fact_id, printed, code in rows}
        indexes = {n for (n,) in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
        assert {"fact_expenditure_one_cell", "fact_income_one_cell"} <= indexes
    finally:
        con.close()
