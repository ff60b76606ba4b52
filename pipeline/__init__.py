"""budget-etl: Chinese government budget disclosures into a DuckDB star schema.

The library has no Dagster import; the thin orchestration layer lives in ``assets/``.
"""

__version__ = "0.1.0"
