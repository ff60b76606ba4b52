"""Great Expectations suites (``expectations/*.json``) run per document on pandas frames.

Great Expectations has no polars engine (and its SQL path through duckdb_engine crashes), so each
document's slice of a frame is handed over as a pandas frame to an in-memory (ephemeral) context:
``data_sources.add_pandas`` → ``add_dataframe_asset`` → ``add_batch_definition_whole_dataframe``
→ ``batch.validate(suite)``. Decimal amounts go over as Python ``Decimal`` objects: the suites only
compare them with 0, which Great Expectations does on object columns, so no float copy is made.

Every expectation carries ``meta.check_name`` (stable, ``<table>.<rule>``) and ``meta.severity``
(``error`` / ``warn``); ``meta.optional_column`` marks rules on extension columns that are skipped
when the column is absent, ``meta.requires_columns`` names the columns a ``row_condition`` reads.

Dimension tables are sliced to what a document uses: its units (and their parents), their
aliases, and its subject codes (and their parents).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from pipeline.quality.formatting import clip, join_details
from pipeline.quality.outcome import CheckOutcome

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

ENV_EXPECTATIONS_DIR = "BUDGET_EXPECTATIONS_DIR"
_SAMPLE = 5  # unexpected values quoted in observed
_PLACES = 3  # unexpected rows described in details


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


# --------------------------------------------------------------------------- slicing


def document_ids(frames: dict[str, pl.DataFrame]) -> list[str]:
    """Every document named by dim_document or by a frame's document_id column, sorted."""
    ids: set[str] = set()
    for frame in frames.values():
        if frame is not None and "document_id" in frame.columns:
            ids.update(v for v in frame.get_column("document_id").to_list() if v is not None)
    return sorted(ids)


def _values(frame: pl.DataFrame | None, col: str) -> set:
    if frame is None or col not in frame.columns:
        return set()
    return {v for v in frame.get_column(col).to_list() if v is not None}


def document_slices(frames: dict[str, pl.DataFrame], document_id: str) -> dict[str, pl.DataFrame]:
    """The rows of every frame that concern one document.

    Frames with a document_id column are filtered on it; dim_unit to the document's units and
    their parents, dim_unit_alias to those units, dim_subject_code to the document's codes and
    their parents; other frames are passed whole.
    """
    out: dict[str, pl.DataFrame] = {}
    for name, frame in frames.items():
        if frame is not None and "document_id" in frame.columns:
            out[name] = frame.filter(pl.col("document_id") == document_id)
    units: set = set()
    codes: set = set()
    for frame in out.values():
        units |= _values(frame, "unit_id") | _values(frame, "department_unit_id")
        codes |= _values(frame, "subject_code")
    dim_unit = frames.get("dim_unit")
    if dim_unit is not None:
        if {"unit_id", "parent_unit_id"} <= set(dim_unit.columns):
            parents = dict(dim_unit.select("unit_id", "parent_unit_id").iter_rows())
            frontier = set(units)
            while frontier:
                frontier = {parents.get(u) for u in frontier} - units - {None}
                units |= frontier
        out["dim_unit"] = dim_unit.filter(pl.col("unit_id").is_in(list(units))) if "unit_id" in dim_unit.columns else dim_unit
    aliases = frames.get("dim_unit_alias")
    if aliases is not None:
        out["dim_unit_alias"] = (
            aliases.filter(pl.col("unit_id").is_in(list(units))) if "unit_id" in aliases.columns else aliases
        )
    subjects = frames.get("dim_subject_code")
    if subjects is not None:
        codes |= {str(c)[:n] for c in codes for n in (3, 5) if len(str(c)) > n}
        if "parent_code" in subjects.columns and "subject_code" in subjects.columns:
            codes |= _values(subjects.filter(pl.col("subject_code").is_in(list(codes))), "parent_code")
        out["dim_subject_code"] = (
            subjects.filter(pl.col("subject_code").is_in(list(codes))) if "subject_code" in subjects.columns else subjects
        )
    for name, frame in frames.items():
        out.setdefault(name, frame)
    return out


# --------------------------------------------------------------------------- results


def _columns_needed(exp: dict[str, Any]) -> list[str]:
    kw = exp.get("kwargs") or {}
    cols = [kw[k] for k in ("column", "column_A", "column_B") if kw.get(k)]
    cols += list(kw.get("column_list") or [])
    cols += list((exp.get("meta") or {}).get("requires_columns") or [])
    return cols


def _num(v: Any) -> Any:
    """0.0 → 0 for display (GE stores bounds as floats)."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


def render_rule(exp: dict[str, Any]) -> str:
    """The rule an expectation states, in a line (dq_check_result.expected)."""
    t = exp["type"]
    kw = exp.get("kwargs") or {}
    col = kw.get("column")
    if t == "expect_column_values_to_not_be_null":
        rule = f"{col} is not null"
    elif t == "expect_column_values_to_be_unique":
        rule = f"{col} is unique"
    elif t == "expect_compound_columns_to_be_unique":
        rule = f"({', '.join(kw['column_list'])}) is unique"
    elif t == "expect_column_values_to_be_in_set":
        rule = f"{col} in {{{', '.join(str(v) for v in kw['value_set'])}}}"
    elif t == "expect_column_values_to_not_be_in_set":
        rule = f"{col} not in {{{', '.join(str(v) for v in kw['value_set'])}}}"
    elif t == "expect_column_values_to_match_regex":
        rule = f"{col} matches {kw['regex']}"
    elif t == "expect_column_values_to_be_between":
        lo, hi = _num(kw.get("min_value")), _num(kw.get("max_value"))
        if hi is None:
            rule = f"{col} >= {lo}"
        elif lo is None:
            rule = f"{col} <= {hi}"
        else:
            rule = f"{lo} <= {col} <= {hi}"
    elif t == "expect_table_columns_to_match_set":
        rule = "columns include " + ", ".join(kw["column_set"])
    elif t == "expect_column_pair_values_a_to_be_greater_than_b":
        op = ">=" if kw.get("or_equal") else ">"
        rule = f"{kw['column_A']} {op} {kw['column_B']}"
    else:
        rule = f"{t}({', '.join(f'{k}={v}' for k, v in kw.items())})"
    if kw.get("row_condition"):
        rule += f" where {kw['row_condition']}"
    return rule


_WHERE_COLUMNS = {
    "dim_document": ("document_id", "file_name", "title", "status"),
    "dim_unit": ("unit_id", "unit_name"),
    "dim_unit_alias": ("alias", "unit_id"),
    "dim_subject_code": ("subject_code", "subject_name", "classification", "level"),
    "fact_performance_indicator": ("indicator_id", "project_name", "indicator_name", "target_text"),
}


def describe_record(table: str, rec: dict[str, Any]) -> str:
    """Where a frame row is, in the words of the disclosure where possible."""
    if table in ("fact_expenditure", "fact_income"):
        return join_details(
            {
                "table": f"{rec.get('table_title') or '(untitled)'} ({rec.get('table_kind')}, table #{rec.get('table_index')})",
                "row": f"{rec.get('line_item')} (row #{rec.get('row_index')}, {rec.get('row_role')})",
                "subject_code": rec.get("subject_code"),
                "measure": rec.get("measure"),
                "page": rec.get("page"),
                "source_row": clip(rec.get("source_row")),
                "fact_id": rec.get("fact_id"),
            }
        )
    cols = _WHERE_COLUMNS.get(table) or tuple(rec)[:4]
    return join_details({c: clip(str(rec.get(c))) if rec.get(c) is not None else None for c in cols})


def _fmt_value(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "null"
    return repr(v) if isinstance(v, str) else str(v)


def validation_outcomes(
    document_id: str,
    table: str,
    result: Any,
    frame: pl.DataFrame,
) -> list[CheckOutcome]:
    """CheckOutcomes from a GE ``ExpectationSuiteValidationResult`` on one document's frame."""
    outcomes: list[CheckOutcome] = []
    records: list[dict[str, Any]] | None = None
    for r in result.results:
        cfg = r.expectation_config
        meta = dict(cfg.meta or {})
        exp = {"type": cfg.type, "kwargs": dict(cfg.kwargs), "meta": meta}
        res = dict(r.result or {})
        exc = r.exception_info or {}
        observed: str | None
        details: str | None = join_details({"frame": table})
        if exc.get("raised_exception"):
            observed = f"could not evaluate: {clip(exc.get('exception_message'), 200)}"
        elif "unexpected_count" in res:
            n, total = res.get("unexpected_count") or 0, res.get("element_count")
            observed = f"{n} of {total} rows unexpected"
            if n:
                sample = res.get("partial_unexpected_list") or []
                observed += "; sample: " + ", ".join(_fmt_value(v) for v in sample[:_SAMPLE])
                idx = list(res.get("unexpected_index_list") or [])[:_PLACES]
                if idx:
                    if records is None:
                        records = frame.to_dicts()
                    places = [describe_record(table, records[i]) for i in idx if isinstance(i, int) and i < len(records)]
                    details = " | ".join(places) if places else details
        elif cfg.type == "expect_table_columns_to_match_set":
            mismatch = (res.get("details") or {}).get("mismatched") or {}
            missing = list(mismatch.get("missing") or [])
            extra = list(mismatch.get("unexpected") or []) if cfg.kwargs.get("exact_match") else []
            observed = "; ".join(
                p for p in (f"missing: {', '.join(missing)}" if missing else "",
                            f"unexpected: {', '.join(extra)}" if extra else "") if p
            ) or f"{len(res.get('observed_value') or [])} columns, all expected present"
        else:
            observed = clip(str(res.get("observed_value")), 300)
        outcomes.append(
            CheckOutcome(
                document_id=document_id,
                check_name=meta.get("check_name") or f"{table}.{cfg.type}",
                severity="warn" if meta.get("severity") == "warn" else "error",
                success=bool(r.success),
                observed=observed,
                expected=render_rule(exp),
                details=None if r.success else details,
            )
        )
    return outcomes


def runnable_expectations(
    document_id: str, table: str, exps: list[dict[str, Any]], columns: set[str]
) -> tuple[list[dict[str, Any]], list[CheckOutcome]]:
    """Split a suite into runnable expectations and outcomes for those whose columns are absent."""
    runnable: list[dict[str, Any]] = []
    outcomes: list[CheckOutcome] = []
    for exp in exps:
        meta = exp.get("meta") or {}
        missing = [c for c in _columns_needed(exp) if c not in columns]
        if not missing:
            runnable.append(exp)
        elif not meta.get("optional_column"):
            outcomes.append(
                CheckOutcome(
                    document_id=document_id,
                    check_name=meta.get("check_name") or f"{table}.{exp['type']}",
                    severity="warn" if meta.get("severity") == "warn" else "error",
                    success=False,
                    observed=f"column(s) missing: {', '.join(missing)}",
                    expected=render_rule(exp),
                    details=join_details({"frame": table}),
                )
            )
    return runnable, outcomes


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
