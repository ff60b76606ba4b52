"""The classification: the shipped 政府收支分类科目 and its table in DuckDB.

The per-document work is the ingest job's (assets/ingest_job.py); its loading step also loads
the classification when it changed. These assets rebuild it on demand (the nightly schedule, the UI).
"""


import dagster as dg
import polars as pl

from assets.checks import reference_check_result, reference_check_spec
from assets.resources import BudgetPaths
from assets.warehouse import GROUP, WRITER_POOL
from pipeline.reference.classification import load_subject_codes
from pipeline.staging import ensure_reference
from pipeline.warehouse.connect import open_writer


@dg.asset(group_name=GROUP)
def dim_subject_code_frame() -> pl.DataFrame:
    """The official 政府收支分类科目 shipped under pipeline/reference."""
    return load_subject_codes()


@dg.asset(group_name=GROUP, key=dg.AssetKey(["warehouse", "dim_subject_code"]), pool=WRITER_POOL,
          ins={"dim_subject_code_frame": dg.AssetIn()}, check_specs=[reference_check_spec()])
def warehouse_dim_subject_code(context: dg.AssetExecutionContext, paths: BudgetPaths,
                               dim_subject_code_frame: pl.DataFrame):
    """The classification in DuckDB, validated by its GE suite when it is (re)loaded."""
    con = open_writer(paths.warehouse)
    try:
        checks = ensure_reference(con, context.run_id, force=True)
    finally:
        con.close()
    yield dg.MaterializeResult(metadata={"rows": dim_subject_code_frame.height})
    yield reference_check_result(checks)
