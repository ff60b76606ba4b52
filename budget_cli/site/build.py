"""Write the warehouse report: one self-contained static site (no script, no CDN, no network).

Pages: ``index.html`` (the documents), ``documents/<id>.html`` (one per document), ``charts.html``,
``compare.html`` (the disclosures side by side) and ``tables.html`` (the warehouse's tables and columns). CSS is inlined into every page and the
charts are inline SVG, so any page opens on its own, offline. Every text from the warehouse goes
through Jinja's autoescape (markupsafe's escape, the same as ``html.escape``); only the SVG that
vl-convert renders is inserted as markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import jinja2
from markupsafe import Markup, escape

from budget_cli.site import chart_data, charts, fmt
from budget_cli.site.compare import FIGURES, STANDARD_TABLES, comparison
from budget_cli.site.document import document_page
from budget_cli.site.queries import DocumentSummary, Warehouse, documents, warehouse_checks
from budget_cli.site.schema_docs import sources_found, table_docs
from pipeline.warehouse.execution import execution_scopes, largest_gaps, subject_table

DOCUMENTS_DIR = "documents"


def _ticks(text: str | None) -> Markup:
    """Escape, then show the documents' `code` spans as <code> and *emphasis* as <em>."""
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text or "")))
    return Markup(re.sub(r"\*([^*\s][^*]*)\*", r"<em>\1</em>", escaped))


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("budget_cli.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters |= {
        "wan": fmt.wan,
        "yuan": fmt.yuan,
        "rate": fmt.rate,
        "ticks": _ticks,
        "kind_name": lambda v: fmt.DOCUMENT_KIND_NAMES.get(v, v) if v else "—",
        "level_name": lambda v: fmt.LEVEL_NAMES.get(v, v) if v else "",
    }
    return env


@dataclass
class ChartBlock:
    chart: charts.Chart
    points: list = field(default_factory=list)


@dataclass
class ExecutionBlock:
    chart: charts.Chart
    lines: list[chart_data.Execution]
    gaps: list[tuple] = field(default_factory=list)


@dataclass
class SubjectBlock:
    chart: charts.Chart
    subjects: list[chart_data.Subject]


def _execution_gaps(wh: Warehouse) -> list[tuple]:
    """(scope, table kind, largest gaps) per unit and year with a budget and a final account loaded,
    as `budget-etl report` lists them."""
    out = []
    for scope in execution_scopes(wh.con):
        kind = subject_table(wh.con, scope)
        if kind is not None:
            out.append((scope, kind, largest_gaps(wh.con, scope, kind)))
    return out


TITLES = {
    "three_public": "“三公”经费 by department and year",
    "basic_project": "基本支出 and 项目支出 by department",
    "execution": "Budget (预算) against final accounts (决算)",
    "subjects": "Largest subjects (most detailed codes, 支出总表 合计), by document",
}
NO_FIGURES = "No loaded document prints these figures."
NO_EXECUTION = ("No final account with a budget to set it against is loaded (a budget and a final account of "
                "the same unit and year, or a final account that prints its 预算数).")


def _bars(title: str, points: list[chart_data.Point], series: list[str] | None = None) -> charts.Chart:
    drawn, note = charts.drawable(points)
    return charts.chart(title, drawn and charts.stacked_bars(drawn, "万元", None, series), NO_FIGURES, note)


def chart_blocks(wh: Warehouse) -> dict[str, object]:
    """The four charts with the exact figures behind them."""
    three = chart_data.three_public(wh)
    basic = chart_data.basic_and_project(wh)
    lines = chart_data.budget_vs_final(wh)
    subjects, subject_points = chart_data.largest_subjects(wh)
    # Budget against final: two bars per line; the figures below list every line.
    drawn = lines[: charts.MAX_BARS // 2]
    note = f"The first {len(drawn)} of {len(lines)} lines are drawn." if len(drawn) < len(lines) else ""
    return {
        "three_public": ChartBlock(_bars(TITLES["three_public"], three, list(fmt.THREE_PUBLIC_NAMES.values())), three),
        "basic_project": ChartBlock(_bars(TITLES["basic_project"], basic, ["基本支出", "项目支出"]), basic),
        "execution": ExecutionBlock(charts.chart(
            TITLES["execution"], drawn and charts.execution_bars(drawn), NO_EXECUTION, note),
            lines, _execution_gaps(wh) if lines else []),
        "subjects": SubjectBlock(_bars(TITLES["subjects"], subject_points), subjects),
    }


def chart_blocks_empty() -> dict[str, object]:
    """The charts page of a warehouse with nothing loaded: every chart says why it is empty."""
    note = "No loaded document."
    return {
        "three_public": ChartBlock(charts.Chart(TITLES["three_public"], None, note)),
        "basic_project": ChartBlock(charts.Chart(TITLES["basic_project"], None, note)),
        "execution": ExecutionBlock(charts.Chart(TITLES["execution"], None, note), []),
        "subjects": SubjectBlock(charts.Chart(TITLES["subjects"], None, note), []),
    }


class Site:
    """Renders pages into a folder; every page shares the header's context."""

    def __init__(self, wh: Warehouse, out_dir: Path, source: str) -> None:
        self.wh = wh
        self.out_dir = out_dir
        self.env = environment()
        self.common = {"source": source, "written": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                       "usable": wh.usable}

    def write(self, name: str, template: str, active: str, **context: object) -> Path:
        root = "../" * name.count("/")
        html = self.env.get_template(template).render(**self.common, root=root, active=active, **context)
        path = self.out_dir / name
        path.write_text(html, encoding="utf-8")
        return path

    def document_pages(self, docs: list[DocumentSummary], names: dict[str, str]) -> None:
        folder = self.out_dir / DOCUMENTS_DIR
        folder.mkdir(exist_ok=True)
        for old in folder.glob("*.html"):  # a document no longer in the warehouse leaves no stale page
            if old.name not in names.values():
                old.unlink()
        for doc in docs:
            self.write(f"{DOCUMENTS_DIR}/{names[doc.document_id]}", "document.html", "index", doc=doc,
                       page=document_page(self.wh, doc))


def _source_name(con: duckdb.DuckDBPyConnection) -> str:
    rows = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    path = rows[0][0] if rows and rows[0][0] else None
    return Path(path).name if path else "in-memory warehouse"


def write_site(con: duckdb.DuckDBPyConnection, out_dir: Path) -> Path:
    """Write the report of the warehouse behind ``con`` into ``out_dir``; returns its index.html.

    Only reads: works on a read-only connection. Handles an empty DuckDB file, a warehouse with no
    documents, and one whose documents are all quarantined (the pages say so).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wh = Warehouse(con)
    site = Site(wh, out_dir, _source_name(con))
    docs = documents(wh) if wh.usable else []
    names = fmt.page_names([d.document_id for d in docs])
    loaded = sum(d.status == "loaded" for d in docs)
    site.document_pages(docs, names)
    blocks = chart_blocks(wh) if wh.usable and loaded else chart_blocks_empty()
    site.write("charts.html", "charts.html", "charts", loaded=loaded, has_docs=bool(docs), **blocks)
    compared = comparison(wh) if wh.usable else {"missing": None, "by_kind": [], "by_city": []}
    site.write("compare.html", "compare.html", "compare", figures=FIGURES, standard=STANDARD_TABLES, **compared)
    site.write("tables.html", "tables.html", "tables", tables=table_docs(wh), sources=sources_found())
    checks = warehouse_checks(wh) if wh.usable else {"passed": 0, "failed": 0}
    return site.write("index.html", "index.html", "index", docs=docs, pages=names, loaded=loaded,
                      warehouse_checks=checks)

