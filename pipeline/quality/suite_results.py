"""Great Expectations results in the words of dq_check_result: the rule an expectation states,
what was observed, and where the unexpected rows are in the disclosure.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from pipeline.model import NOWHERE, Place
from pipeline.outcome import CheckOutcome
from pipeline.schema import FACT_TABLES
from pipeline.text import clip, join_details

_SAMPLE = 5  # unexpected values quoted in observed
_PLACES = 3  # unexpected rows described in details


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
    if table in FACT_TABLES:
        return join_details(
            {
                "table": f"{rec.get('table_title') or '(untitled)'} ({rec.get('table_kind')}, table #{rec.get('table_index')})",
                "row": f"{rec.get('line_item')} (row #{rec.get('row_index')}, {rec.get('row_role')})",
                "subject_code": rec.get("subject_code"),
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
        place = NOWHERE
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
                    rows = [records[i] for i in idx if isinstance(i, int) and i < len(records)]
                    details = " | ".join(describe_record(table, rec) for rec in rows) if rows else details
                    # the first row it names: the one place a finding has (the others are in details)
                    place = Place.of_record(rows[0], cell=True) if rows else place
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
                place=NOWHERE if r.success else place,
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
