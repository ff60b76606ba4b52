"""The suites run once over the frames of many documents together, outcomes still per document.

Validating each document on its own costs one Great Expectations validation per table and
document, and most of that is GE's own overhead, not the rows. Here each table's frames are
concatenated (one validation per table for the whole ingest run) and every unexpected row is
given back to the document it came from, so ``dq_check_result`` holds the same per-document
outcomes as before.

Two kinds of rule need care:
- uniqueness held within one document's frame (a unit appears in the dim_unit frame of every
  document that names it): a hidden document column is added to the frame and to every
  uniqueness rule, so a unit in two documents is no duplicate, as before;
- a rule on the table itself (its columns) has no rows: each document gets its outcome.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import polars as pl

from pipeline.outcome import CheckOutcome
from pipeline.quality.suite_results import runnable_expectations, validation_outcomes
from pipeline.quality.suites import SuiteRunner, to_pandas

DOCUMENT_COLUMN = "_budget_document"  # which document a row came from; never a warehouse column
_SAMPLE = 20


def scoped(exp: dict[str, Any]) -> dict[str, Any]:
    """The expectation with uniqueness scoped to one document (what a per-document run checked)."""
    kwargs = dict(exp.get("kwargs") or {})
    if exp["type"] == "expect_column_values_to_be_unique":
        column = kwargs.pop("column")
        # A unique-values rule skips nulls; the compound rule must too.
        kwargs |= {"column_list": [column, DOCUMENT_COLUMN], "ignore_row_if": "any_value_is_missing"}
        return exp | {"type": "expect_compound_columns_to_be_unique", "kwargs": kwargs}
    if exp["type"] == "expect_compound_columns_to_be_unique":
        kwargs["column_list"] = [*kwargs["column_list"], DOCUMENT_COLUMN]
        return exp | {"kwargs": kwargs}
    return exp


def _row_value(frame: pl.DataFrame, exp: dict[str, Any], i: int) -> Any:
    """What GE would quote for an unexpected row: the cell, or the cells of a column pair/list."""
    kw = exp.get("kwargs") or {}
    if kw.get("column"):
        return frame[kw["column"]][i]
    if kw.get("column_list"):
        return {c: frame[c][i] for c in kw["column_list"]}
    if kw.get("column_A"):
        return (frame[kw["column_A"]][i], frame[kw["column_B"]][i])
    return None


def _index(i: Any) -> int | None:
    if isinstance(i, int):
        return i
    if isinstance(i, dict):  # GE names the index column when asked to; the row number is under "index"
        return i.get("index") if isinstance(i.get("index"), int) else None
    return None


class Domains:
    """How many rows of a range a rule looks at: those its row condition keeps (pandas syntax).
    Each condition is evaluated once over all the rows, not once per document."""

    def __init__(self, pandas_frame: Any) -> None:
        self.frame = pandas_frame
        self._running: dict[str, list[int]] = {}

    def count(self, exp: dict[str, Any], rows: range) -> int:
        condition = (exp.get("kwargs") or {}).get("row_condition")
        if not condition:
            return len(rows)
        if condition not in self._running:
            kept = self.frame.index.isin(self.frame.query(condition, engine="python").index)
            self._running[condition] = [0, *kept.cumsum().tolist()]  # rows kept before each position
        running = self._running[condition]
        return running[rows.stop] - running[rows.start]


def _per_document_result(r: Any, exp: dict[str, Any], rows: range, frame: pl.DataFrame, domains: Domains) -> Any:
    """One expectation's result cut down to one document's rows (indices made local)."""
    res = dict(r.result or {})
    if "unexpected_count" in res:
        hits = [i - rows.start for i in map(_index, res.get("unexpected_index_list") or []) if i in rows]
        local = frame.slice(rows.start, len(rows))
        domain = domains.count(exp, rows)
        res = {"unexpected_count": len(hits), "element_count": domain, "unexpected_index_list": hits,
               "partial_unexpected_list": [_row_value(local, exp, i) for i in hits[:_SAMPLE]]}
        success = not hits
    else:
        success = r.success
        if isinstance(res.get("observed_value"), list):  # the table's columns: the hidden one is ours
            res["observed_value"] = [c for c in res["observed_value"] if c != DOCUMENT_COLUMN]
    config = SimpleNamespace(type=exp["type"], kwargs=exp.get("kwargs") or {}, meta=exp.get("meta") or {})
    return SimpleNamespace(expectation_config=config, result=res, exception_info=r.exception_info,
                           success=success)


def validate_together(
    runner: SuiteRunner, table: str, frames: dict[str, pl.DataFrame]
) -> list[CheckOutcome]:
    """Outcomes of ``table``'s suite for each document of ``frames`` ({document_id: its rows}),
    from a single validation of all their rows."""
    import great_expectations as gx

    spec = runner.specs[table]
    docs = list(frames)
    if not docs:
        return []
    outcomes: list[CheckOutcome] = []
    columns = set.intersection(*(set(f.columns) for f in frames.values()))
    runnable: list[dict[str, Any]] = []
    for doc in docs:
        runnable, missing = runnable_expectations(doc, table, spec.expectations, columns)
        outcomes += missing
    if not runnable:
        return outcomes
    together = pl.concat([frames[d].select(sorted(columns, key=list(frames[docs[0]].columns).index))
                          for d in docs], how="vertical_relaxed")
    sizes = [frames[d].height for d in docs]
    owner = pl.Series(DOCUMENT_COLUMN, [d for d, n in zip(docs, sizes, strict=True) for _ in range(n)], pl.Utf8)
    pandas_frame = to_pandas(together.with_columns(owner))
    suite = gx.ExpectationSuite(name=f"{table} (together)", expectations=[scoped(e) for e in runnable],
                                meta=spec.suite.get("meta") or {})
    batch = runner._batch_definition(table).get_batch(batch_parameters={"dataframe": pandas_frame})
    result = batch.validate(suite, result_format={"result_format": "COMPLETE", "partial_unexpected_count": 0})
    by_name = {(e.get("meta") or {}).get("check_name"): e for e in runnable}
    assert len(by_name) == len(runnable), f"{table}: check names must be unique to give results back"
    start, domains = 0, Domains(pandas_frame)
    for doc, n in zip(docs, sizes, strict=True):
        rows = range(start, start + n)
        start += n
        results = [_per_document_result(r, by_name[(r.expectation_config.meta or {}).get("check_name")],
                                        rows, together, domains) for r in result.results]
        outcomes += validation_outcomes(doc, table, SimpleNamespace(results=results), frames[doc])
    return outcomes


def run_suites_together(
    per_document: dict[str, dict[str, pl.DataFrame]], tables: list[str], suites_dir: str | None = None
) -> list[CheckOutcome]:
    """Every suite of ``tables`` over all documents at once: one validation per table."""
    runner = SuiteRunner(suites_dir)
    outcomes: list[CheckOutcome] = []
    for table in tables:
        if table not in runner.specs:
            continue
        frames = {doc: f[table] for doc, f in per_document.items() if f.get(table) is not None}
        outcomes += validate_together(runner, table, frames)
    return outcomes
