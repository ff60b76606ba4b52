"""Data-quality checks of the normalised frames: Great Expectations suites (``expectations/``),
identities inside a table, agreement between tables and text, and referential checks.

Plain functions, no Dagster import; the asset checks in ``assets/`` call :func:`run_quality`.
"""
