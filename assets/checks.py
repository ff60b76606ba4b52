"""Data-quality outcomes as Dagster asset checks on the warehouse tables they validate.

Each warehouse table carries one check per concern (GE schema-and-domain suite, identities,
cross-table consistency, references, extraction notes). A check fails when any of its findings
failed; its severity is ERROR when an error-level finding failed, else WARN. Findings never
block the load: the data is what was published.
"""

import functools
import warnings

import dagster as dg
import polars as pl

from pipeline.quality.runner import check_catalog

# Partitioned asset checks are "preview" in this Dagster; they are what gives each document its own status.
warnings.filterwarnings("ignore", message="Specifying a partitions_def on an AssetCheckSpec", category=Warning)

# (warehouse table, check family) → what it gathers. Every check of the catalog (pipeline.quality.check_catalog)
# declares its family and table; a family a table has no check for is reported on fact_expenditure.
CHECKS: dict[tuple[str, str], str] = {
    ("dim_document", "schema_and_domain"): "Great Expectations suite expectations/dim_document.json",
    ("dim_unit", "schema_and_domain"): "Great Expectations suite expectations/dim_unit.json",
    ("dim_unit_alias", "schema_and_domain"): "Great Expectations suite expectations/dim_unit_alias.json",
    ("fact_expenditure", "schema_and_domain"): "Great Expectations suite expectations/fact_expenditure.json",
    ("fact_expenditure", "identities"): "合计 = rows, 类 = 款 = 项, 基本 = 人员 + 公用, total = 基本 + 项目, 三公",
    ("fact_expenditure", "consistency"): "same subject, same amount across tables; narrative = tables",
    ("fact_expenditure", "references"): "documents, units and subject codes are known",
    ("fact_expenditure", "extraction_notes"): "codes repaired, units not declared, tables not loaded (unreadable)",
    ("fact_income", "schema_and_domain"): "Great Expectations suite expectations/fact_income.json",
    ("fact_income", "identities"): "收入总计 = 支出总计",
    ("fact_performance_indicator", "schema_and_domain"):
        "Great Expectations suite expectations/fact_performance_indicator.json",
}


def check_specs(partitions_def: dg.PartitionsDefinition | None = None) -> list[dg.AssetCheckSpec]:
    """One spec per (table, family); partitioned by document, so each document has its own status."""
    return [
        dg.AssetCheckSpec(name=check, asset=dg.AssetKey(["warehouse", table]), description=desc, blocking=False,
                          partitions_def=partitions_def)
        for (table, check), desc in CHECKS.items()
    ]


REFERENCE_KEY = dg.AssetKey(["warehouse", "dim_subject_code"])


def reference_check_spec() -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(name="schema_and_domain", asset=REFERENCE_KEY, blocking=False,
                             description="Great Expectations suite expectations/dim_subject_code.json")


def reference_check_result(dq: pl.DataFrame) -> dg.AssetCheckResult:
    """The classification's suite outcome, reported once when the classification is loaded."""
    return _result(REFERENCE_KEY, "schema_and_domain", dq)


def reference_check_evaluation(dq: pl.DataFrame) -> dg.AssetCheckEvaluation:
    """The same outcome, logged by the ingest's loading step when it (re)loaded the classification."""
    r = reference_check_result(dq)
    return dg.AssetCheckEvaluation(asset_key=REFERENCE_KEY, check_name=r.check_name, passed=r.passed,
                                   metadata=r.metadata, severity=r.severity)


@functools.cache
def _catalog_routes() -> dict[str, tuple[str, str]]:
    """check_name → (warehouse table, family), as each check was declared in the catalog."""
    return {c.check_name: (c.table, c.family) for c in check_catalog()}


def check_of(check_name: str) -> tuple[str, str]:
    """The (table, check) a dq_check_result check_name is reported under: its catalog family.

    A name the catalog does not know is a suite rule ``<table>.<rule>`` of another suites folder
    when it has a dot, else an extraction-time note. A family the table has no asset check for
    is reported on fact_expenditure, which has one per family.
    """
    route = _catalog_routes().get(check_name)
    if route is None:
        route = (check_name.split(".", 1)[0], "schema_and_domain") if "." in check_name else (
            "fact_expenditure", "extraction_notes")
    return route if route in CHECKS else ("fact_expenditure", route[1])


def check_evaluations(dq: pl.DataFrame, document_id: str, targets: dict) -> list[dg.AssetCheckEvaluation]:
    """One evaluation per declared check for one document partition (logged by the loading step).

    ``targets`` maps a table's key to the materialization of this partition that the check judged:
    Dagster counts a partition's check status only while it targets the partition's latest one.
    """
    return [
        dg.AssetCheckEvaluation(asset_key=r.asset_key, check_name=r.check_name, passed=r.passed,
                                metadata=r.metadata, severity=r.severity, partition=document_id,
                                target_materialization_data=targets.get(r.asset_key))
        for r in check_results(dq)
    ]


def check_results(dq: pl.DataFrame) -> list[dg.AssetCheckResult]:
    """One AssetCheckResult per declared check, from this document's dq rows."""
    keyed = dq.with_columns(
        pl.col("check_name").map_elements(lambda n: "/".join(check_of(n)), return_dtype=pl.Utf8).alias("_check")
    )
    return [
        _result(dg.AssetKey(["warehouse", table]), check,
                keyed.filter(pl.col("_check") == f"{table}/{check}").drop("_check"))
        for (table, check) in CHECKS
    ]


def _result(key: dg.AssetKey, check: str, rows: pl.DataFrame) -> dg.AssetCheckResult:
    failed = rows.filter(~pl.col("success"))
    errors = failed.filter(pl.col("severity") == "error")
    sample = failed.head(20).select("check_name", "severity", "observed", "expected", "details")
    return dg.AssetCheckResult(
        asset_key=key,
        check_name=check,
        passed=failed.height == 0,
        severity=dg.AssetCheckSeverity.ERROR if errors.height else dg.AssetCheckSeverity.WARN,
        metadata={
            "findings": rows.height,
            "failed": failed.height,
            "failed_errors": errors.height,
            "failing_rows": dg.MetadataValue.md(_markdown(sample)),
        },
    )


def _markdown(df: pl.DataFrame) -> str:
    if df.height == 0:
        return "none"
    head = "| " + " | ".join(df.columns) + " |\n|" + "---|" * len(df.columns) + "\n"
    cell = lambda v: ("" if v is None else str(v)).replace("|", "¦").replace("\n", " ")[:160]  # noqa: E731
    return head + "\n".join("| " + " | ".join(cell(v) for v in row) + " |" for row in df.iter_rows())
