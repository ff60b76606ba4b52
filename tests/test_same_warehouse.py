"""benchmarks/same_warehouse.py: two warehouses compared table by table, row by row."""

from __future__ import annotations

import duckdb

from benchmarks.same_warehouse import compare


def _warehouse(path, amounts: list[str], checked_at: str) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE fact_expenditure (fact_id VARCHAR, line_item VARCHAR, amount_yuan DECIMAL(20, 2))")
    con.execute("CREATE TABLE dq_check_result (run_id VARCHAR, check_name VARCHAR, checked_at TIMESTAMP)")
    for k, amount in enumerate(amounts):
        con.execute("INSERT INTO fact_expenditure VALUES (?, '一般公共服务支出', ?)", [f"f{k}", amount])
    con.execute("INSERT INTO dq_check_result VALUES (?, 'total_equals_sum_of_rows', ?)", [checked_at, checked_at])
    con.close()


def test_a_changed_amount_is_a_difference_and_the_time_of_writing_is_not(tmp_path, capsys):
    before, after, again = tmp_path / "before.duckdb", tmp_path / "after.duckdb", tmp_path / "again.duckdb"
    _warehouse(before, ["1348.91", "12.00"], "2026-01-01 00:00:00")
    _warehouse(again, ["1348.91", "12.00"], "2026-06-01 00:00:00")
    _warehouse(after, ["1348.91", "12.50"], "2026-01-01 00:00:00")
    assert compare(before, again, show=5)
    assert not compare(before, after, show=5)
    out = capsys.readouterr().out
    assert "fact_expenditure: 2 rows before, 2 after: 1 only before, 1 only after" in out
    assert "- fact_id=f1, line_item=一般公共服务支出, amount_yuan=12.00" in out
    assert "+ fact_id=f1, line_item=一般公共服务支出, amount_yuan=12.50" in out
