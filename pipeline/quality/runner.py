"""Entry points: run every check on the frames of an ingest, and read the results back.

``run_quality(frames, run_id)`` gives the dq_check_result rows of every outcome, passes included:
the Great Expectations suites (schema and domain, ``<table>.<rule>``), the identities inside a
table, the agreement between tables and text, and the referential checks. ``failed_checks`` and
``format_failed_checks`` serve ``budget-etl report``; ``check_catalog`` lists every check name
with its severity and family (the asset checks group by it); ``check_summary`` folds results per check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from pipeline.outcome import CheckOutcome, Severity, outcomes_frame
from pipeline.quality.balance import BALANCE_CHECKS, check_balance
from pipeline.quality.consistency import CONSISTENCY_CHECKS, check_consistency
from pipeline.quality.notes import EXTRACTION_NOTES
from pipeline.quality.references import REFERENCE_CHECKS, check_references
from pipeline.quality.suite_slices import document_ids
from pipeline.quality.suites import SuiteRunner, suite_check_names
from pipeline.table.from_facts import document_facts
from pipeline.table.identities import IDENTITY_CHECKS, check_identities
from pipeline.table.rows import DocumentFacts


@dataclass(frozen=True)
class CheckSpec:
    """A check the package can report: its stable name, severity, what it holds, its family (one
    of :data:`FAMILIES`) and the warehouse table it is reported on."""

    check_name: str
    severity: str
    rule: str
    family: str
    table: str


def check_catalog(suites_dir: str | Path | None = None) -> list[CheckSpec]:
    """Every check name that can appear in dq_check_result, with the family it was declared in."""
    specs = [
        CheckSpec(name, sev, rule, "schema_and_domain", table)
        for table, name, sev, rule in suite_check_names(suites_dir)
    ]
    for catalog in (IDENTITY_CHECKS, BALANCE_CHECKS, CONSISTENCY_CHECKS, REFERENCE_CHECKS, EXTRACTION_NOTES):
        specs += [CheckSpec(name, c.severity, c.rule, c.family, c.table) for name, c in catalog.items()]
    return specs


def unit_parents(frames: dict[str, pl.DataFrame]) -> dict[str, str | None]:
    dim_unit = frames.get("dim_unit")
    if dim_unit is None or not {"unit_id", "parent_unit_id"} <= set(dim_unit.columns):
        return {}
    return dict(dim_unit.select("unit_id", "parent_unit_id").iter_rows())


def table_checks(
    frames: dict[str, pl.DataFrame],
    *,
    blank_three_public_as_zero: bool = False,
    narrative_severity: Severity = "error",
) -> list[CheckOutcome]:
    """Identity and consistency outcomes of every document (no Great Expectations involved)."""
    facts = document_facts(frames.get("fact_expenditure"), frames.get("fact_income"))
    parents = unit_parents(frames)
    outcomes: list[CheckOutcome] = []
    for doc in document_ids(frames):
        doc_facts = facts.get(doc) or DocumentFacts(doc)
        outcomes += check_identities(doc_facts, parents, blank_three_public_as_zero=blank_three_public_as_zero)
        outcomes += check_consistency(doc_facts, parents, narrative_severity=narrative_severity)
        outcomes += check_balance(doc_facts)
    return outcomes


def run_quality(
    frames: dict[str, pl.DataFrame],
    run_id: str,
    *,
    suites_dir: str | Path | None = None,
    checked_at: datetime | None = None,
    blank_three_public_as_zero: bool = False,
    narrative_severity: Severity = "error",
    with_suites: bool = True,
    suite_tables: Iterable[str] | None = None,
    data_docs_dir: str | Path | None = None,
) -> pl.DataFrame:
    """All checks on the frames of one ingest, as dq_check_result rows (passes included).

    ``frames`` holds polars frames named like the warehouse tables (dim_document, dim_unit,
    dim_unit_alias, dim_subject_code, fact_expenditure, fact_income, fact_performance_indicator);
    any may be missing. An optional ``table_inventory`` frame enables the empty-table checks
    (see :mod:`pipeline.quality.references`). ``blank_three_public_as_zero`` and
    ``narrative_severity`` are passed to the identity and consistency checks; ``with_suites``
    False skips Great Expectations (identities, consistency and references only), ``suite_tables``
    limits the suites run (a dimension validated once elsewhere need not be validated per document). With
    ``data_docs_dir`` the same validation results are also rendered as Data Docs there, with a
    page of all rows (see :func:`write_data_docs`).
    """
    outcomes: list[CheckOutcome] = []
    runner = SuiteRunner(suites_dir, keep_results=data_docs_dir is not None) if with_suites else None
    if runner is not None:
        outcomes += runner.run(frames, suite_tables)
    outcomes += table_checks(
        frames, blank_three_public_as_zero=blank_three_public_as_zero, narrative_severity=narrative_severity
    )
    outcomes += check_references(frames, document_ids(frames))
    results = outcomes_frame(outcomes, run_id, checked_at)
    if data_docs_dir is not None:
        from pipeline.quality.data_docs import write_validation_docs

        validations = runner.validations if runner is not None else []
        write_validation_docs(validations, data_docs_dir, run_id=run_id, results=results, titles=document_titles(frames))
    return results


def document_titles(frames: dict[str, pl.DataFrame]) -> dict[str, str]:
    """document_id → 'title (file name)' from dim_document, for reports."""
    docs = frames.get("dim_document")
    if docs is None or not {"document_id", "title", "file_name"} <= set(docs.columns):
        return {}
    return {
        d: f"{t} ({f})" if t else str(f)
        for d, t, f in docs.select("document_id", "title", "file_name").iter_rows()
    }


_SEVERITY_ORDER = pl.when(pl.col("severity") == "error").then(0).otherwise(1)


def failed_checks(results: pl.DataFrame, *, include_warnings: bool = True) -> dict[str, pl.DataFrame]:
    """Per document, its failed checks (errors first), from dq_check_result rows."""
    failed = results.filter(~pl.col("success"))
    if not include_warnings:
        failed = failed.filter(pl.col("severity") == "error")
    failed = failed.with_columns(_SEVERITY_ORDER.alias("_order")).sort(
        ["document_id", "_order", "check_name"], maintain_order=True
    )
    return {
        doc: part.drop("_order")
        for (doc,), part in failed.group_by("document_id", maintain_order=True)
    }


def check_summary(results: pl.DataFrame) -> pl.DataFrame:
    """One row per (check_name, severity): documents checked, documents failing, instances failed."""
    return (
        results.group_by("check_name", "severity")
        .agg(
            pl.col("document_id").n_unique().alias("documents"),
            pl.col("document_id").filter(~pl.col("success")).n_unique().alias("documents_failed"),
            (~pl.col("success")).sum().alias("failures"),
        )
        .with_columns((pl.col("failures") == 0).alias("passed"))
        .sort("check_name")
    )


def format_failed_checks(
    results: pl.DataFrame,
    titles: dict[str, str] | None = None,
    *,
    include_warnings: bool = True,
) -> str:
    """Plain-text report: per document (title when known), each failed check with observed and
    expected values and where it was found."""
    titles = titles or {}
    per_doc = failed_checks(results, include_warnings=include_warnings)
    all_docs = results.get_column("document_id").unique(maintain_order=True).to_list() if results.height else []
    lines: list[str] = []
    for doc in all_docs:
        name = titles.get(doc) or doc
        part = per_doc.get(doc)
        if part is None or part.height == 0:
            lines.append(f"{name}: all checks passed")
            continue
        n_err = part.filter(pl.col("severity") == "error").height
        lines.append(f"{name}: {n_err} error(s), {part.height - n_err} warning(s)")
        for rec in part.iter_rows(named=True):
            lines.append(f"  [{rec['severity']}] {rec['check_name']}")
            lines.append(f"      observed: {rec['observed']}")
            lines.append(f"      expected: {rec['expected']}")
            if rec["details"]:
                lines.append(f"      where:    {rec['details']}")
    return "\n".join(lines)


def write_data_docs(
    frames: dict[str, pl.DataFrame],
    out_dir: str | Path,
    *,
    run_id: str = "budget-etl",
    suites_dir: str | Path | None = None,
    results: pl.DataFrame | None = None,
) -> Path:
    """Great Expectations Data Docs of the suites on ``frames`` under ``out_dir`` (a previous
    build there is replaced), plus ``quality-results.html`` of ``results`` when given.

    Validates again; to render the validations of a :func:`run_quality` call instead, pass it
    ``data_docs_dir``. Returns the site's index.html.
    """
    from pipeline.quality.data_docs import render_data_docs

    return render_data_docs(
        frames, out_dir, run_id=run_id, suites_dir=suites_dir, results=results, titles=document_titles(frames)
    )


def validate_reference(subject_codes: pl.DataFrame, run_id: str, checked_at: datetime | None = None) -> pl.DataFrame:
    """The dim_subject_code suite on the whole shipped classification, once (document_id NULL).

    The classification is the same for every document, so it is validated when it is loaded,
    not again with each document.
    """
    outcomes = SuiteRunner().validate("", "dim_subject_code", subject_codes)
    return outcomes_frame(outcomes, run_id, checked_at).with_columns(pl.lit(None, pl.Utf8).alias("document_id"))
