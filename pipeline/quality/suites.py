"""Great Expectations suites (``expectations/*.json``) run per document on pandas frames.

Great Expectations has no polars engine (and its SQL path through duckdb_engine crashes), so each
document's slice of a frame is handed over as a pandas frame to an in-memory (ephemeral) context:
``data_sources.add_pandas`` → ``add_dataframe_asset`` → ``add_batch_definition_whole_dataframe``
→ ``batch.validate(suite)``. Decimal amounts go over as Python ``Decimal`` objects: the suites only
compare them with 0, which Great Expectations does on object columns, so no float copy is made.

Every expectation carries ``meta.check_name`` (stable, ``<table>.<rule>``) and ``meta.severity``
(``error`` / ``warn``); ``meta.optional_column`` marks rules on extension columns that are skipped
when the column is absent, ``meta.requires_columns`` names the columns a ``row_condition`` reads.

Each document's slice of the frames comes from :mod:`pipeline.quality.suite_slices`; results are
put in the words of dq_check_result by :mod:`pipeline.quality.suite_results`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from pipeline.outcome import CheckOutcome
from pipeline.quality.suite_results import runnable_expectations, validation_outcomes
from pipeline.quality.suite_slices import document_ids, document_slices

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


ENV_EXPECTATIONS_DIR = "BUDGET_EXPECTATIONS_DIR"


def expectations_dir(path: str | Path | None = None) -> Path:
    """The suites folder: ``path``, else ``$BUDGET_EXPECTATIONS_DIR``, else ``<repo>/expectations``."""
    if path is not None:
        return Path(path)
    env = os.environ.get(ENV_EXPECTATIONS_DIR)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "expectations"


@dataclass(frozen=True)
class SuiteSpec:
    """A suite file as stored: the frame it validates and its GE 1.x suite dict."""

    table: str
    path: Path
    suite: dict[str, Any]

    @property
    def expectations(self) -> list[dict[str, Any]]:
        return list(self.suite.get("expectations", []))


def load_suite_specs(path: str | Path | None = None) -> dict[str, SuiteSpec]:
    """Every ``*.json`` suite in the folder, keyed by the table it validates (``meta.table``)."""
    folder = expectations_dir(path)
    specs: dict[str, SuiteSpec] = {}
    for file in sorted(folder.glob("*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        table = (data.get("meta") or {}).get("table") or data.get("name") or file.stem
        specs[table] = SuiteSpec(table=table, path=file, suite=data)
    return specs


def load_suites(path: str | Path | None = None) -> dict[str, Any]:
    """The suites as ``great_expectations.ExpectationSuite`` objects, keyed by table."""
    import great_expectations as gx

    return {t: gx.ExpectationSuite(**spec.suite) for t, spec in load_suite_specs(path).items()}


def suite_check_names(path: str | Path | None = None) -> list[tuple[str, str, str, str]]:
    """(table, check_name, severity, description) of every expectation, for declaring asset checks."""
    out = []
    for spec in load_suite_specs(path).values():
        for exp in spec.expectations:
            meta = exp.get("meta") or {}
            out.append(
                (spec.table, meta["check_name"], meta.get("severity", "error"), meta.get("description", exp["type"]))
            )
    return out


# --------------------------------------------------------------------------- GE context


def ephemeral_context() -> Any:
    """An in-memory Great Expectations context: no analytics, no progress bars, no docs sites."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def to_pandas(frame: pl.DataFrame) -> pd.DataFrame:
    """A pandas copy for Great Expectations (Decimal stays Decimal, as Python objects)."""
    return frame.to_pandas()


# --------------------------------------------------------------------------- runner


@dataclass(frozen=True)
class SuiteValidation:
    """One suite run on one document's rows, as Great Expectations returned it."""

    document_id: str
    table: str
    suite: Any  # great_expectations.ExpectationSuite (the expectations that could run)
    result: Any  # great_expectations ExpectationSuiteValidationResult


class SuiteRunner:
    """Runs the suites on frames through one ephemeral Great Expectations context.

    With ``keep_results`` the raw validation results are kept in ``validations`` (for Data Docs).
    """

    def __init__(self, suites_dir: str | Path | None = None, *, keep_results: bool = False) -> None:
        self.specs = load_suite_specs(suites_dir)
        self.keep_results = keep_results
        self.validations: list[SuiteValidation] = []
        self._context: Any = None
        self._batch_defs: dict[str, Any] = {}

    def _batch_definition(self, table: str) -> Any:
        if self._context is None:
            self._context = ephemeral_context()
            self._source = self._context.data_sources.add_pandas(name="budget_etl")
        if table not in self._batch_defs:
            asset = self._source.add_dataframe_asset(name=table)
            self._batch_defs[table] = asset.add_batch_definition_whole_dataframe(f"{table}_whole")
        return self._batch_defs[table]

    def validate(self, document_id: str, table: str, frame: pl.DataFrame) -> list[CheckOutcome]:
        """Outcomes of one table's suite on one document's rows (one per expectation)."""
        import great_expectations as gx

        spec = self.specs[table]
        runnable, outcomes = runnable_expectations(document_id, table, spec.expectations, set(frame.columns))
        if not runnable:
            return outcomes
        name = table if len(runnable) == len(spec.expectations) else f"{table} (columns missing)"
        suite = gx.ExpectationSuite(name=name, expectations=runnable, meta=spec.suite.get("meta") or {})
        batch = self._batch_definition(table).get_batch(batch_parameters={"dataframe": to_pandas(frame)})
        result = batch.validate(suite, result_format={"result_format": "COMPLETE", "partial_unexpected_count": 20})
        if self.keep_results:
            self.validations.append(SuiteValidation(document_id, table, suite, result))
        return outcomes + validation_outcomes(document_id, table, result, frame)

    def run(self, frames: dict[str, pl.DataFrame], tables: Iterable[str] | None = None) -> list[CheckOutcome]:
        """Every suite whose table is among ``frames`` (and ``tables``, when given), per document."""
        wanted = set(tables) if tables is not None else set(self.specs)
        outcomes: list[CheckOutcome] = []
        for doc in document_ids(frames):
            slices = document_slices(frames, doc)
            for table in self.specs:
                frame = slices.get(table) if table in wanted else None
                if frame is not None:
                    outcomes.extend(self.validate(doc, table, frame))
        return outcomes


def run_suites(frames: dict[str, pl.DataFrame], suites_dir: str | Path | None = None) -> list[CheckOutcome]:
    """Run the JSON suites on each document's rows; one outcome per expectation and document."""
    return SuiteRunner(suites_dir).run(frames)
