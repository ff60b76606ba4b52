"""Every row of a warehouse's tables, to show that a run (or a killed one) changed nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb

TABLES = ("dim_document", "dim_unit", "dim_unit_alias", "dim_subject_code", "fact_expenditure", "fact_income",
          "fact_performance_indicator", "dq_check_result")
RUN_COLUMNS = "EXCLUDE (run_id, checked_at)"


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table; for dq_check_result without run_id/checked_at (they name the run)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: sorted(con.execute(f"SELECT * {RUN_COLUMNS if t == 'dq_check_result' else ''} FROM {t}")
                          .fetchall(), key=repr) for t in TABLES}
    finally:
        con.close()
