"""`budget-etl report --html DIR`'s site (budget_cli.site.write_site) on a small real warehouse.

Two text disclosures go through the ingest's reading and checking steps (no Dagster, no Great
Expectations suites: the identities and consistency checks give the findings), hand-made budget and
final accounts give v_budget_vs_final something to show, and a quarantined file with markup in its
name tests escaping. The pages are read as HTML, then drawn by a real headless chromium.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest
from conftest import TEXT
from execution_rows import budget_and_final
from ingest_steps import read_file
from PIL import Image

from budget_cli.site.build import write_site
from pipeline.ingest import quarantine_document
from pipeline.quality.runner import run_quality
from pipeline.reference.classification import load_subject_codes
from pipeline.schema import frame
from pipeline.warehouse.connect import open_writer
from pipeline.warehouse.load import load_subject_dimension, replace_document

FRAMES = ("dim_document", "dim_unit", "dim_unit_alias", "fact_expenditure", "fact_income",
          "fact_performance_indicator")
FILES = ("jiaxing-npc-office-2024.txt", "keqiao-npc-office-2023.txt")
HOSTILE = "<img src=x onerror=alert(1)>.pdf"
CHROMIUM = shutil.which("chromium")


def ingest_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Read, normalise, check and load one file as the assets do (findings included)."""
    outcome = read_file(path)
    doc_id = outcome.raw.document_id
    if outcome.frames is None:
        replace_document(con, doc_id, {"dim_document": quarantine_document(outcome.raw, outcome.reason or "")})
        return
    frames = {t: outcome.frames.table(t) for t in FRAMES}
    now = datetime(2026, 1, 1)
    notes = frame("dq_check_result", [dict(f, run_id="t", document_id=doc_id, success=False, checked_at=now)
                                      for f in outcome.frames.findings])
    results = run_quality(frames | {"dim_subject_code": load_subject_codes(),
                                    "table_inventory": outcome.frames.table_inventory},
                          "t", checked_at=now, with_suites=False)
    dq = pl.concat([results.select(notes.columns).cast(notes.schema), notes])
    replace_document(con, doc_id, frames | {"dq_check_result": dq})


def hostile_document(con: duckdb.DuckDBPyConnection) -> None:
    replace_document(con, "hostile", {"dim_document": frame("dim_document", [dict(
        document_id="hostile", file_name=HOSTILE, file_format="pdf", status="quarantined",
        status_reason="<script>alert('reason')</script> is not a disclosure", ingested_at=datetime(2026, 1, 2))])})


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html-wh") / "budget.duckdb"
    con = open_writer(path)
    try:
        load_subject_dimension(con)
        for name in FILES:
            ingest_file(con, TEXT / name)
        for doc in budget_and_final():
            if doc.name == "budget-2024":  # as if OCR had read 行政运行's 基本支出
                next(f for f in doc.facts if f["measure"] == "basic")["confidence"] = 0.834
            replace_document(con, doc.id, doc.frames())
        hostile_document(con)
    finally:
        con.close()
    return path


def reader(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection like the CLI's: read-only, no file access from SQL."""
    return duckdb.connect(str(path), read_only=True,
                          config={"enable_external_access": False, "lock_configuration": True})


@pytest.fixture(scope="module")
def site(warehouse: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    con = reader(warehouse)
    try:
        index = write_site(con, out)
    finally:
        con.close()
    assert index == out / "index.html"
    return out


def documents(path: Path) -> list[dict]:
    con = reader(path)
    try:
        cur = con.execute("SELECT document_id, file_name, title, status FROM dim_document")
        return [dict(zip([c[0] for c in cur.description], r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def index_row(html: str, text: str) -> str:
    """The index's row with a cell (or link) reading exactly ``text``."""
    rows = [r for r in html.split("<tr")[1:] if f">{text}<" in r]
    assert len(rows) == 1, f"{text!r} in {len(rows)} rows of the index"
    return rows[0]


def page_of(site: Path, title: str) -> str:
    row = index_row((site / "index.html").read_text(encoding="utf-8"), title)
    href = re.search(r'href="(documents/[^"]+)"', row)[1]
    return (site / href).read_text(encoding="utf-8")


def test_the_index_lists_every_document_with_its_title_and_status(site, warehouse):
    html = (site / "index.html").read_text(encoding="utf-8")
    docs = documents(warehouse)
    assert len(docs) == 2 + len(budget_and_final()) + 1
    for d in docs:
        if d["document_id"] == "hostile":
            continue
        row = index_row(html, d["file_name"])
        assert d["title"] in row and f">{d['status']}</span>" in row
    jiaxing = index_row(html, "jiaxing-npc-office-2024.txt")
    assert "嘉兴市人民代表大会常务委员会办公室2024年部门预算" in jiaxing and "预算 · 部门" in jiaxing
    keqiao = index_row(html, "keqiao-npc-office-2023.txt")
    # its one misprint, and the 收入预算总表 and 财政拨款收支预算总表 its contents list but its pages do not print
    assert re.search(r'badge error">3 errors<', keqiao), "keqiao 2023's misprint and two listed tables it lacks"
    held = index_row(html, "final-2024-held.pdf")
    assert ">quarantined</span>" in held and "held back for the test" in held


def test_a_document_page_shows_the_amounts_the_disclosure_prints(site):
    page = page_of(site, "jiaxing-npc-office-2024.txt")
    # 支出预算表: 2010101 行政运行 1936.35 万元 = 基本 1509.84 + ... (printed in 万元, exact in 元 too)
    row = re.search(r"<td>2010101</td>\s*<td>行政运行</td>.*?</tr>", page, re.S)[0]
    assert "1,936.35" in row and "19,363,500.00" in row
    assert "1,509.84" in page and "426.51" in page
    assert "公务接待费" in page and "15.00" in page  # the 三公 table


def test_an_amount_read_by_ocr_shows_the_engine_s_confidence(site):
    page = page_of(site, "budget-2024.pdf")
    assert re.search(r"基本支出 <span class=\"small\">basic</span></td>.*?600,000.00<div class=\"small\">OCR 83%</div>",
                     page, re.S)
    assert page.count("OCR ") == 1


def test_a_finding_sits_beside_the_row_it_concerns(site):
    page = page_of(site, "keqiao-npc-office-2023.txt")
    # The text states 基本支出 2752.53 万元, the tables 2072.53: the error follows that statement's row.
    narrative = page[page.index('<section id="narrative">'):]
    groups = narrative.split('<tr class="group-start')
    basic = [g for g in groups if "<td>基本支出</td>" in g]
    assert len(basic) == 1 and "2,752.53" in basic[0]
    assert "narrative_matches_tables" in basic[0] and "2072.53" in basic[0]


def test_text_is_escaped_and_nothing_is_fetched(site):
    pages = [site / "index.html", site / "charts.html", site / "tables.html", *(site / "documents").glob("*.html")]
    assert len(pages) == 3 + 2 + len(budget_and_final()) + 1
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"https?://", html), f"{page.name} refers to a URL"
        assert "<script" not in html and "<img" not in html and "<link" not in html, page.name
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in index
    assert "&lt;script&gt;alert(&#39;reason&#39;)&lt;/script&gt;" in index


def test_charts_and_tables_pages(site):
    charts = (site / "charts.html").read_text(encoding="utf-8")
    assert charts.count("<svg") == 4, "三公, 基本/项目, budget against final, largest subjects"
    # Budget against final (hand-made): 合计 1,000,000 → 950,000 yuan, 95.00%; 三公 32,000 → 25,000, 78.13%.
    assert re.search(r"支出合计</td><td class=\"num\">100.00</td>\s*<td class=\"num\">95.00</td>", charts)
    assert "78.13%" in charts and "95.00%" in charts
    assert "公务接待费" in charts and "2010101" in charts
    # keqiao 2023 prints 人员经费 and 公用经费, not 基本支出: 1912.45 + 160.08 = 2072.53 万元 beside 项目 680.00.
    assert re.search(r"2023 预算</td><td>基本支出 \(人员经费 \+ 公用经费\)</td><td class=\"num\">2,072.53</td>", charts)
    tables = (site / "tables.html").read_text(encoding="utf-8")
    for name in ("dim_document", "fact_expenditure", "dq_check_result", "v_budget_vs_final", "v_expenditure"):
        assert f'id="{name}"' in tables
    assert "sha256 hex of the file" in tables  # the contract's meaning of document_id
    facts = tables[tables.index('id="fact_expenditure"'):tables.index('id="fact_income"')]
    stage = next(row for row in facts.split("<tr>") if "<code>stage</code>" in row)
    assert "<code>adjusted_budget</code>, <code>budget</code>, <code>final</code>" in stage  # values loaded
    assert "DECIMAL(20,2)" in tables


def test_an_empty_or_quarantined_only_warehouse_says_so(tmp_path):
    bare = tmp_path / "bare.duckdb"
    duckdb.connect(str(bare)).close()  # a DuckDB file with no tables at all
    empty = tmp_path / "empty.duckdb"
    open_writer(empty).close()  # the schema, no document
    held = tmp_path / "held.duckdb"
    con = open_writer(held)
    hostile_document(con)
    con.close()
    says = {bare: "holds none of budget-etl", empty: "no document has been ingested",
            held: "every file was quarantined"}
    for path, text in says.items():
        con = reader(path)
        try:
            index = write_site(con, tmp_path / path.stem)
        finally:
            con.close()
        assert text in index.read_text(encoding="utf-8"), path.name
        charts = (tmp_path / path.stem / "charts.html").read_text(encoding="utf-8")
        assert "<svg" not in charts and "nothing to chart" in charts


def test_a_warehouse_from_before_final_accounts(tmp_path):
    """A file written before milestone 2 (no document_kind, disclosure_level, stage, no views) is read
    as budgets, as the ingest's upgrade would read it."""
    path = tmp_path / "old.duckdb"
    con = open_writer(path)
    for doc in budget_and_final()[:2]:  # two budgets
        replace_document(con, doc.id, doc.frames())
    con.execute("DROP VIEW v_budget_vs_final; DROP VIEW v_expenditure; DROP VIEW v_disclosure_summary")
    con.execute("DROP INDEX fact_expenditure_one_cell; DROP INDEX fact_income_one_cell")  # not in old files
    for table, column in (("dim_document", "document_kind"), ("dim_document", "disclosure_level"),
                          ("fact_expenditure", "stage"), ("fact_income", "stage")):
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    con.close()
    con = reader(path)
    try:
        index = write_site(con, tmp_path / "site").read_text(encoding="utf-8")
    finally:
        con.close()
    assert ">budget-2024.pdf<" in index and ">budget-2024-first-print.pdf<" in index
    charts = (tmp_path / "site" / "charts.html").read_text(encoding="utf-8")
    assert "某县某局 2024 预算" in charts and "1.00</td>" in charts  # 三公 10,000 yuan = 1.00 万元
    compare = (tmp_path / "site" / "compare.html").read_text(encoding="utf-8")
    assert "has no v_disclosure_summary" in compare


def screenshot(page: Path, out: Path, height: int = 2000) -> Image.Image:
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--user-data-dir={out.parent / 'chromium-profile'}", f"--screenshot={out}",
                    f"--window-size=1280,{height}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return Image.open(out).convert("RGB")


def inked(img, box=None) -> tuple[float, int]:
    """(share of pixels that are not near-white, number of strongly coloured pixels) in box."""
    px = list((img.crop(box) if box else img).getdata())
    ink = sum(1 for r, g, b in px if min(r, g, b) < 235)
    colour = sum(1 for r, g, b in px if max(r, g, b) - min(r, g, b) > 80)
    return ink / len(px), colour


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (`make system-deps` installs it)")
def test_pages_render_in_a_headless_browser(site, tmp_path):
    index = screenshot(site / "index.html", tmp_path / "index.png")
    share, _ = inked(index, (0, 0, 1280, 700))
    assert share > 0.04, f"index looks blank: {share:.1%} of the top is drawn"
    charts = screenshot(site / "charts.html", tmp_path / "charts.png", 2600)
    share, colour = inked(charts)
    assert share > 0.03 and colour > 30000, f"charts: {share:.1%} drawn, {colour} coloured pixels"
    page = screenshot(site / "documents" / sorted(p.name for p in (site / "documents").glob("*.html"))[0],
                      tmp_path / "doc.png")
    share, _ = inked(page, (0, 0, 1280, 900))
    assert share > 0.04, f"document page looks blank: {share:.1%}"
    compare = screenshot(site / "compare.html", tmp_path / "compare.png")
    share, _ = inked(compare, (0, 0, 1280, 900))
    assert share > 0.04, f"comparison page looks blank: {share:.1%}"


def test_a_large_warehouse_draws_the_largest_bars_and_says_so():
    from decimal import Decimal

    from budget_cli.site.chart_data import Point
    from budget_cli.site.charts import drawable

    points = [Point(f"单位{i} 2024 预算", f"类别{i % 15}", Decimal(1000 * (i + 1))) for i in range(100)]
    drawn, note = drawable(points)
    assert {p.label for p in drawn} == {f"单位{i} 2024 预算" for i in range(40, 100)}
    assert len({p.series for p in drawn}) == 10 and "其他 6 项" in {p.series for p in drawn}
    assert "60 largest of 100 bars" in note and "9 largest of 15 colours" in note
    assert drawable(points[:5]) == (points[:5], "")


def test_each_finding_sits_where_dq_check_result_places_it():
    """At its row when the row loaded (a check failing alike under two measures: once, flagging those two
    cells), beside its table when only the table loaded, else with the document."""
    from budget_cli.site.findings import place_findings

    facts = [dict(table_index=2, row_index=0), dict(table_index=2, row_index=1), dict(table_index=None, row_index=5)]

    def rec(check: str, table: int | None, row: int | None, measure: str | None = None) -> dict:
        return dict(check_name=check, severity="error", observed="Σ 1", expected="= 2", details="合计",
                    table_index=table, row_index=row, measure=measure)

    placed = place_findings([rec("sum", 2, 0, "basic"), rec("sum", 2, 0, "total"), rec("narrative", -1, 5),
                             rec("unit", 2, 9), rec("unreadable", 7, None), rec("listed", None, None)], facts)
    (total_row,) = placed.by_row[(2, 0)]
    assert total_row.measures == ["basic", "total"] and total_row.concerns("basic") and not total_row.concerns("other")
    assert [f.check_name for f in placed.by_row[(-1, 5)]] == ["narrative"] and placed.by_row[(-1, 5)][0].concerns("x")
    assert {t: [f.check_name for f in fs] for t, fs in placed.by_table.items()} == {2: ["unit"], 7: ["unreadable"]}
    assert [f.check_name for f in placed.document] == ["listed"]


def test_the_comparison_page_sets_the_same_office_side_by_side(site):
    """Both seeds are people's congress offices: side by side under npc_office with their areas, 柯桥's
    “三公” 20.20 万元 (printed) and 公务接待费 8.20, and each under its own city."""
    html = (site / "compare.html").read_text(encoding="utf-8")
    kinds, cities = html.split("departments side by side</h2>")
    office = kinds[kinds.index(">npc_office <"):].split("</section>")[0]
    keqiao = [r for r in office.split("<tr")[1:] if "浙江省 绍兴市 柯桥区" in r]
    assert len(keqiao) == 1 and ">20.20</td>" in keqiao[0] and ">8.20</td>" in keqiao[0], keqiao
    assert "浙江省 嘉兴市" in office and "嘉兴市人民代表大会常务委员会办公室" in office
    assert ">浙江省 绍兴市 <" in cities and ">浙江省 嘉兴市 <" in cities
    assert "/ 8</td>" in keqiao[0]
