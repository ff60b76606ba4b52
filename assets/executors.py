"""The executors an ingest run can use: in this process, a process per step, or a Dask cluster."""

from __future__ import annotations

import dagster as dg

EXECUTORS = ("in_process", "multiprocess", "dask")


def executor_for(kind: str) -> dg.ExecutorDefinition:
    if kind == "in_process":
        return dg.in_process_executor
    if kind == "multiprocess":
        return dg.multiprocess_executor
    if kind == "dask":
        from dagster_dask import dask_executor  # imported only for a cluster run

        return dask_executor
    raise ValueError(f"unknown executor {kind!r}: one of {', '.join(EXECUTORS)}")


def executor_config(kind: str, workers: int, scheduler: str | None = None) -> dict:
    """Run config for the executor: ``workers`` steps at once; the Dask scheduler's address."""
    if kind == "multiprocess":
        # forkserver with the readers preloaded: a step starts in well under a second, not a fresh
        # interpreter that imports Dagster, polars and camelot again.
        preload = ["assets.ingest_job", "pipeline.staging", "pipeline.extract.pdf.reader",
                   "pipeline.normalize.build"]
        return {"execution": {"config": {"max_concurrent": workers,
                                         "start_method": {"forkserver": {"preload_modules": preload}}}}}
    if kind == "dask":
        return {"execution": {"config": {"cluster": {"existing": {"address": scheduler}}}}}
    return {}
