"""The Dagster definitions `workspace.yaml` loads."""

import dagster as dg

from assets import documents as reference_assets
from assets import warehouse
from assets.ingest_job import ingest_documents
from assets.resources import BudgetPaths
from assets.schedules import nightly_ingest_schedule
from assets.sensors import new_document_sensor

reference_job = dg.define_asset_job(
    "load_reference",
    selection=dg.AssetSelection.assets(reference_assets.warehouse_dim_subject_code),
)

defs = dg.Definitions(
    assets=[
        warehouse.raw_document,
        *warehouse.document_stages,
        *warehouse.warehouse_tables,
        reference_assets.warehouse_dim_subject_code,
    ],
    asset_checks=[warehouse.warehouse_checks],
    jobs=[ingest_documents, reference_job],
    # Both on by default: `dagster dev` (or `dagster-daemon run`) evaluates them; see README "Running unattended".
    sensors=[new_document_sensor],
    schedules=[nightly_ingest_schedule],
    resources={
        "paths": BudgetPaths(warehouse_path=dg.EnvVar("BUDGET_WAREHOUSE"), raw_dir=dg.EnvVar("BUDGET_RAW_DIR")),
    },
)
