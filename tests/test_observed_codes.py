"""dim_subject_code's observed rows: codes the shipped classification lacks that two disclosures of a
year print alike (contract milestone 3), made again from the fact tables after every load."""

from __future__ import annotations

from decimal import Decimal

from pipeline.warehouse.connect import open_writer
from pipeline.warehouse.load import load_subject_dimension
from pipeline.warehouse.observed import refresh_observed_codes


def _fact(con, fact_id: str, document: str, code: str, printed: str | None, name: str, year: int = 2026) -> None:
    source = None if code is None else "printed" if printed and printed.replace(" ", "") == code else (
        "repaired" if printed else "inferred")
    con.execute(
        "INSERT INTO fact_expenditure (fact_id, document_id, fiscal_year, unit_id, table_kind, row_role, subject_code, "
        "printed_code, line_item, measure, amount_yuan, stage, table_index, row_index, code_source) VALUES "
        "(?, ?, ?, 'u', 'general_budget_expenditure', 'subject', ?, ?, ?, 'total', ?, 'budget', 0, ?, ?)",
        [fact_id, document, year, code, printed, name, Decimal("1.00"), int(fact_id[1:]), source])


def test_a_code_two_disclosures_of_a_year_print_alike_is_observed(tmp_path):
    con = open_writer(tmp_path / "w.duckdb")
    try:
        load_subject_dimension(con)
        _fact(con, "f1", "a", "20140", "20140", "信访事务")
        _fact(con, "f2", "b", "20140", "201 40", "信访事务")  # printed over the 类 | 款 columns: printed
        _fact(con, "f3", "a", "2014004", "2014004", "信访业务")
        _fact(con, "f4", "b", "2014004", "04", "信访业务")  # completed by the reader: not evidence
        _fact(con, "f5", "a", "2010101", "2010101", "行政运行")  # in the shipped list
        _fact(con, "f6", "b", "2010101", "2010101", "行政运行")
        _fact(con, "f7", "c", "2014099", "2014099", "其他信访事务支出", 2025)
        _fact(con, "f8", "d", "2014099", "2014099", "其他信访事务支出", 2026)  # two years, one each: not alike
        assert refresh_observed_codes(con) == 1
        rows = con.execute("SELECT * FROM dim_subject_code WHERE source = 'observed'").fetchall()
        assert rows == [("20140", "function", "信访事务", 2, "201", "observed", 2026)]
        assert con.execute("SELECT count(*) FROM dim_subject_code WHERE source = 'reference'").fetchone()[0] == 928
        # a document replaced without the code leaves no observed row behind
        con.execute("DELETE FROM fact_expenditure WHERE document_id = 'b'")
        assert refresh_observed_codes(con) == 0
        assert con.execute("SELECT count(*) FROM dim_subject_code WHERE source = 'observed'").fetchone()[0] == 0
    finally:
        con.close()


def test_a_government_economic_code_printed_alike_beside_the_departments_is_observed(tmp_path):
    """A cross-classified 基本支出表 prints 501 01 工资奖金津补贴 beside 301 01 基本工资 (and 301 02 津贴补贴): two
    disclosures of 2026 doing so make 50101 an observed gov_economic 款 under 501, named as printed."""
    con = open_writer(tmp_path / "w.duckdb")
    try:
        load_subject_dimension(con)
        for fact_id, document, code in (("f1", "a", "30101"), ("f2", "a", "30102"), ("f3", "b", "30101")):
            _fact(con, fact_id, document, code, code, "基本工资")
            con.execute("UPDATE fact_expenditure SET gov_economic_code = '50101', gov_economic_name = '工资奖金津补贴' "
                        "WHERE fact_id = ?", [fact_id])
        _fact(con, "f4", "c", "30201", "30201", "办公费")  # one disclosure only: not yet observed
        con.execute("UPDATE fact_expenditure SET gov_economic_code = '50201', gov_economic_name = '办公经费' "
                    "WHERE fact_id = 'f4'")
        assert refresh_observed_codes(con) == 1
        assert con.execute("SELECT * FROM dim_subject_code WHERE source = 'observed'").fetchall() == [
            ("50101", "gov_economic", "工资奖金津补贴", 2, "501", "observed", 2026)]
    finally:
        con.close()
