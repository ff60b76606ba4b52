"""Where the raw folder and the warehouse live, configured through environment variables."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

DEFAULT_WAREHOUSE = "data/warehouse/budget.duckdb"
DEFAULT_RAW_DIR = "data/raw"


class BudgetPaths(dg.ConfigurableResource):
    """Paths of the raw drop folder and the DuckDB warehouse.

    definitions.py binds both to dg.EnvVar("BUDGET_WAREHOUSE") / dg.EnvVar("BUDGET_RAW_DIR");
    the repository's .env (read by `dagster dev`) and the CLI supply the contract's defaults.
    """

    warehouse_path: str = DEFAULT_WAREHOUSE
    raw_dir: str = DEFAULT_RAW_DIR
    # Where the reading steps leave each document's frames for the loader; on a Dask cluster, a
    # folder every worker and the loader share. Empty: `staging/` beside the warehouse file.
    staging_dir: str = ""

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_path)

    @property
    def staging(self) -> Path:
        return Path(self.staging_dir) if self.staging_dir else self.warehouse.parent / "staging"

    @property
    def raw(self) -> Path:
        return Path(self.raw_dir)
