"""Data-quality checks of the normalised frames: Great Expectations suites (``expectations/``),
identities inside a table, agreement between tables and text, and referential checks.

Plain functions, no Dagster import; the asset checks in ``assets/`` call :func:`run_quality`.
"""

from pipeline.quality.outcome import CheckOutcome, outcomes_frame
from pipeline.quality.runner import (
    check_catalog,
    check_summary,
    failed_checks,
    format_failed_checks,
    run_quality,
    validate_reference,
    write_data_docs,
)

__all__ = [
    "CheckOutcome",
    "check_catalog",
    "check_summary",
    "failed_checks",
    "format_failed_checks",
    "outcomes_frame",
    "run_quality",
    "validate_reference",
    "write_data_docs",
]
