"""The transactional load: replace per document, upsert shared units, roll back on failure."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import polars as pl
import pytest

from pipeline.schema import frame
from pipeline.warehouse.connect import open_writer
from pipeline.warehouse.load import replace_document


def _frames(doc: str, amount: str, unit_code: str | None) -> dict[str, pl.DataFrame]:
    now = datetime(2026, 1, 1)
    return {
        "dim_document": frame("dim_document", [dict(document_id=doc, file_name=f"{doc}.txt", file_format="text",
                                                    status="loaded", ingested_at=now, department_unit_id="u1")]),
        "dim_unit": frame("dim_unit", [dict(unit_id="u1", unit_name="某县某局", unit_code=unit_code)]),
        "dim_unit_alias": frame("dim_unit_alias", [dict(alias="某局", unit_id="u1")]),
        "fact_expenditure": frame("fact_expenditure", [dict(
            fact_id=f"{doc}-1", document_id=doc, unit_id="u1", table_kind="expenditure_summary", row_role="total",
            line_item="合计", measure="total", amount_yuan=Decimal(amount), stage="budget")]),
    }


def _amounts(con) -> list[tuple]:
    return con.execute("SELECT document_id, amount_yuan FROM fact_expenditure ORDER BY 1").fetchall()


def test_replace_is_per_document_and_units_keep_known_codes(tmp_path):
    con = open_writer(tmp_path / "w.duckdb")
    replace_document(con, "a", _frames("a", "1.00", "001"))
    replace_document(con, "b", _frames("b", "2.00", None))
    replace_document(con, "a", _frames("a", "3.00", None))
    assert _amounts(con) == [("a", Decimal("3.00")), ("b", Decimal("2.00"))]
    assert con.execute("SELECT unit_code FROM dim_unit").fetchall() == [("001",)]


def test_a_failing_load_leaves_the_previous_state(tmp_path):
    con = open_writer(tmp_path / "w.duckdb")
    replace_document(con, "a", _frames("a", "1.00", "001"))
    bad = _frames("a", "5.00", "001")
    # Two rows with one fact_id: the insert fails after the delete ran inside the transaction.
    bad["fact_expenditure"] = pl.concat([bad["fact_expenditure"], bad["fact_expenditure"]])
    with pytest.raises(Exception, match="(?i)constraint|duplicate"):
        replace_document(con, "a", bad)
    assert _amounts(con) == [("a", Decimal("1.00"))]


def test_a_failed_reingest_keeps_the_loaded_document(tmp_path):
    con = open_writer(tmp_path / "w.duckdb")
    replace_document(con, "a", _frames("a", "1.00", "001"))
    quarantined = _frames("a", "1.00", "001")
    quarantined["dim_document"] = quarantined["dim_document"].with_columns(
        pl.lit("quarantined").alias("status"), pl.lit("a.txt disappeared while it was being ingested").alias(
            "status_reason"))
    replace_document(con, "a", {"dim_document": quarantined["dim_document"]})
    assert con.execute("SELECT status FROM dim_document").fetchall() == [("loaded",)]
    assert _amounts(con) == [("a", Decimal("1.00"))]
    note = con.execute("SELECT check_name, observed FROM dq_check_result").fetchall()
    assert note == [("reingest_failed", "a.txt disappeared while it was being ingested")]
