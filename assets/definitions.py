"""The Dagster definitions `workspace.yaml` loads."""

import dagster as dg

from assets import documents as doc_assets
from assets.resources import BudgetPaths
from assets.schedules import nightly_ingest_schedule, nightly_job
from assets.sensors import new_document_sensor

ingest_job = dg.define_asset_job(
    "ingest_documents",
    selection=dg.AssetSelection.groups(doc_assets.GROUP) - dg.AssetSelection.assets(
        doc_assets.dim_subject_code_frame, doc_assets.warehouse_dim_subject_code
    ),
    partitions_def=doc_assets.documents,
)
reference_job = dg.define_asset_job(
    "load_reference",
    selection=dg.AssetSelection.assets(doc_assets.dim_subject_code_frame, doc_assets.warehouse_dim_subject_code),
)

defs = dg.Definitions(
    assets=[
        doc_assets.raw_document,
        doc_assets.extracted_tables,
        doc_assets.normalized_frames,
        doc_assets.dq_check_frame,
        doc_assets.dim_subject_code_frame,
        doc_assets.warehouse_dim_subject_code,
        doc_assets.warehouse_load,
    ],
    jobs=[ingest_job, reference_job, nightly_job],
    # Both on by default: `dagster dev` (or `dagster-daemon run`) evaluates them; see README "Running unattended".
    sensors=[new_document_sensor],
    schedules=[nightly_ingest_schedule],
    resources={
        "paths": BudgetPaths(warehouse_path=dg.EnvVar("BUDGET_WAREHOUSE"), raw_dir=dg.EnvVar("BUDGET_RAW_DIR")),
    },
)
