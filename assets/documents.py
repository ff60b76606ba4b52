"""The classification: the shipped 政府收支分类科目 and its table in DuckDB.

The per-document work is the ingest job's (assets/ingest_job.py); its loading step also loads
the classification when it changed. This asset rebuilds it on demand (the `load_reference` job, the UI).
"""


import dagster as dg

from assets.checks import reference_check_result, reference_check_spec
from assets.resources import BudgetPaths
from assets.warehouse import GROUP, REFERENCE_KEY, WRITER_POOL
from pipeline.reference.classification import load_subject_codes
from pipeline.staging import ensure_reference
from pipeline.warehouse.connect import open_writer


@dg.asset(group_name=GROUP, key=REFERENCE_KEY, pool=WRITER_POOL, check_specs=[reference_check_spec()])
def warehouse_dim_subject_code(context: dg.AssetExecutionContext, paths: BudgetPaths):
    """The official 政府收支分类科目 shipped under pipeline/reference, in DuckDB, validated by its GE
    suite when it is (re)loaded. The ingest's loader loads it too when the shipped one changed."""
    con = open_writer(paths.warehouse)
    try:
        checks = ensure_reference(con, context.run_id, force=True)
    finally:
        con.close()
    yield dg.MaterializeResult(metadata={"rows": load_subject_codes().height})
    yield reference_check_result(checks)
