"""The `budget-etl` console script: the outermost layer.

It may import `assets` (the Dagster layer) and `pipeline` (the library); neither imports it.
Heavy imports (Dagster, Great Expectations, the readers) happen only in the command that needs them.
"""
