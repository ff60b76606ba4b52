"""Great Expectations Data Docs for a run, and a static page of every dq_check_result row.

Data Docs come from Great Expectations itself: the validation results of the suites (kept by
:class:`~pipeline.quality.suites.SuiteRunner`, so nothing is validated twice) are put in the
in-memory validation-results store of an ephemeral context that has a filesystem docs site rooted
at ``out_dir``; ``build_data_docs`` renders the suites and the results as static HTML
(``index.html``, ``expectations/…``, ``validations/<suite>/<run>/<time>/doc_<id>-<table>.html``).
The identity, consistency and reference checks are not Great Expectations expectations, so
``quality-results.html`` renders every dq_check_result row next to them.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from pipeline.quality.suites import SuiteRunner, SuiteValidation, ephemeral_context

SITE_NAME = "budget_etl_dq"
RESULTS_PAGE = "quality-results.html"
_GE_OUTPUT = ("index.html", "expectations", "validations", "static")


def _clean(out: Path) -> None:
    """Remove what a previous build wrote (only Great Expectations' own files and our page)."""
    for name in (*_GE_OUTPUT, RESULTS_PAGE):
        p = out / name
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


def write_validation_docs(
    validations: Sequence[SuiteValidation],
    out_dir: str | Path,
    *,
    run_id: str,
    results: pl.DataFrame | None = None,
    titles: dict[str, str] | None = None,
) -> Path:
    """Build the Data Docs site from kept validation results (replacing a previous build)."""
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    _clean(out)
    ctx = ephemeral_context()
    ctx.add_data_docs_site(
        site_name=SITE_NAME,
        site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(out)},
        },
    )
    run = RunIdentifier(run_name=run_id, run_time=datetime.now(UTC))
    added: set[str] = set()
    for v in validations:
        if v.suite.name not in added:
            ctx.suites.add(v.suite)
            added.add(v.suite.name)
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=v.suite.name),
            run_id=run,
            batch_identifier=f"doc_{v.document_id[:16]}-{v.table}",
        )
        ctx.validation_results_store.set(key, v.result)
    ctx.build_data_docs(site_names=[SITE_NAME])
    if results is not None:
        write_results_page(results, out / RESULTS_PAGE, titles)
    return out / "index.html"


def render_data_docs(
    frames: dict[str, pl.DataFrame],
    out_dir: str | Path,
    *,
    run_id: str = "budget-etl",
    suites_dir: str | Path | None = None,
    results: pl.DataFrame | None = None,
    titles: dict[str, str] | None = None,
) -> Path:
    """Validate ``frames`` with the suites and build the Data Docs site; returns index.html."""
    runner = SuiteRunner(suites_dir, keep_results=True)
    runner.run(frames)
    return write_validation_docs(runner.validations, out_dir, run_id=run_id, results=results, titles=titles)


def write_results_page(results: pl.DataFrame, path: str | Path, titles: dict[str, str] | None = None) -> Path:
    """A self-contained HTML page of dq_check_result rows: per document, failures first."""
    titles = titles or {}
    esc = html.escape
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>budget-etl data quality</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
        "td,th{border:1px solid #ccc;padding:4px;vertical-align:top;font-size:13px}"
        ".error{background:#fdd}.warn{background:#ffd}.ok{color:#777}</style></head><body>",
        "<h1>Data-quality results</h1><p><a href='index.html'>Great Expectations Data Docs</a></p>",
    ]
    ordered = results.with_columns(
        pl.when(pl.col("success")).then(2).when(pl.col("severity") == "error").then(0).otherwise(1).alias("_o")
    ).sort(["document_id", "_o", "check_name"])
    for (doc,), part in ordered.group_by("document_id", maintain_order=True):
        failed = part.filter(~pl.col("success")).height
        parts.append(f"<h2>{esc(titles.get(str(doc), str(doc)))}</h2><p>{failed} failed of {part.height}</p>")
        parts.append(
            "<table><tr><th>check</th><th>severity</th><th>ok</th><th>observed</th>"
            "<th>expected</th><th>where</th></tr>"
        )
        for rec in part.iter_rows(named=True):
            cls = "ok" if rec["success"] else rec["severity"]
            cells = [rec["check_name"], rec["severity"], "yes" if rec["success"] else "NO"]
            cells += [rec["observed"] or "", rec["expected"] or "", rec["details"] or ""]
            parts.append(f"<tr class='{cls}'>" + "".join(f"<td>{esc(str(c))}</td>" for c in cells) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    target = Path(path)
    target.write_text("\n".join(parts), encoding="utf-8")
    return target
