"""Facts read by hand from real 2026 budgets of other cities (tests/fixtures/wild, copied byte for byte
from the crawled corpus), each checked on the rendered page: the reader must give each one, on the page
it is printed on.

``fixtures/wild/facts/*.csv`` holds one row per fact: the file, the page, the table kind, the fact table,
the row (role, code or line item), the measure, the amount in yuan and the amount as printed. A fact
the reader does not yet give is listed in ``KNOWN_GAPS`` with what goes wrong: it is expected to
fail (strictly, so a fix shows), and the list is the reader's to-do, not a tolerance.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from tests.read_back import DOCUMENT_FRAMES, ReadBack, read_back

WILD = Path(__file__).parent / "fixtures" / "wild"
FACT_FILES = sorted((WILD / "facts").glob("*.csv"))
NOT_DISCLOSURES = ("011_宁波/卫生健康委员会_2026年部门预算.pdf", "018_济南/2026年济南市审计局部门预算.pdf",
                   "018_济南/2026年济南市应急管理局部门预算.pdf")
# The crawl's folders from this one on are the cities added last (issue 27's "new cities").
NEW_CITIES_FROM = "025"
# The crawler filed every file under 2026; these covers state another year (read by hand).
COVER_YEARS = {"014_无锡/信访局_2026年部门预算.pdf": 2025}
# (file, page, table kind, measure, row) of facts the reader does not give yet, and why.
KNOWN_GAPS: dict[tuple[str, str, str, str, str], str] = {}


def _facts() -> list[dict]:
    rows = []
    for path in FACT_FILES:
        with path.open(encoding="utf-8", newline="") as f:
            rows += [dict(r, source=path.name) for r in csv.DictReader(f)]
    return rows


FACTS = _facts()


@cache
def _document(file: str) -> ReadBack:
    return read_back(WILD / file)


def _row_key(fact: dict) -> str:
    return fact["subject_code"] or fact["line_item"] or fact["label"] or fact["row_role"]


def _matching_amounts(doc: ReadBack, fact: dict) -> list[Decimal]:
    where = dict(table_kind=fact["table_kind"], measure=fact["measure"], stage="budget")
    if fact["table_kind"] != "narrative":  # a sentence's amount is the document's, not a page's
        where["page"] = int(fact["page"])
    if fact["table_kind"] != "three_public":
        where["row_role"] = fact["row_role"]
    if fact["subject_code"]:
        where["subject_code"] = fact["subject_code"]
    if fact["line_item"]:
        where["line_item"] = fact["line_item"]
    return doc.amounts(fact["fact_table"], **where)


def _param(fact: dict):
    key = (fact["file"], fact["page"], fact["table_kind"], fact["measure"], _row_key(fact))
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[key])] if key in KNOWN_GAPS else []
    return pytest.param(fact, marks=marks, id="-".join(key))


def test_the_hand_read_facts_cover_the_wild_corpus():
    """At least 80 facts from 25 documents of 8 cities, ten of them documents of the cities added to the
    crawl last (folders 025 on), every amount exact in yuan and as printed."""
    files = {f["file"] for f in FACTS}
    assert len(FACTS) >= 80 and len(files) >= 25 and len({f.split("/")[0] for f in files}) >= 8
    assert len({f for f in files if f.split("_")[0] >= NEW_CITIES_FROM}) >= 10
    for fact in FACTS:
        assert (WILD / fact["file"]).is_file(), fact["file"]
        assert Decimal(fact["amount_yuan"]).as_tuple().exponent == -2, fact


@pytest.mark.parametrize("fact", [_param(f) for f in FACTS])
def test_hand_read_fact(fact: dict):
    doc = _document(fact["file"])
    assert doc.frames is not None, f"{fact['file']} was quarantined: {doc.quarantine}"
    amounts = _matching_amounts(doc, fact)
    assert Decimal(fact["amount_yuan"]) in amounts, (fact["printed"], fact["label"], amounts)


@pytest.mark.parametrize("file", NOT_DISCLOSURES)
def test_a_file_that_is_no_disclosure_is_quarantined_saying_so(file: str):
    doc = _document(file)
    assert doc.frames is None and "does not look like a budget disclosure" in (doc.quarantine or "")


@pytest.mark.parametrize("file", sorted({f["file"] for f in FACTS}))
def test_every_hand_read_document_has_its_year_and_department(file: str):
    doc = _document(file)
    assert doc.frames is not None, f"{file} was quarantined: {doc.quarantine}"
    meta = doc.document()
    assert meta["fiscal_year"] == COVER_YEARS.get(file, 2026) and doc.department_name(), (meta["title"], meta["fiscal_year"])
    assert meta["title"].endswith(("部门预算", "单位预算")) and "部分" not in meta["title"], meta["title"]


def test_a_three_public_table_loads_only_this_years_group():
    """烟台 审计局 prints its 三公 as 2025年预算数 (合计 11.90, 因公出国 8.50, 接待 3.40) | 2026年预算数 (合计 3.40,
    接待 3.40), the year headings above the grid: only the 2026 figures load, each once."""
    doc = _document("025_烟台/2026年烟台市审计局部门预算.pdf")
    loaded = sorted((f["line_item"], f["amount_yuan"]) for f in doc.where(table_kind="three_public"))
    assert loaded == [("official_reception", Decimal("34000.00")), ("three_public_total", Decimal("34000.00"))]


def test_a_cross_classified_row_keeps_the_governments_code():
    """烟台 审计局's 基本支出预算情况表 prints 302 01 办公费 under 502 01 办公经费 (47.50) and again under 505 02
    商品和服务支出 (14.12): each government code keeps the name printed beside it."""
    doc = _document("025_烟台/2026年烟台市审计局部门预算.pdf")
    rows = {(f["gov_economic_code"], f["gov_economic_name"], f["amount_yuan"]) for f in doc.where(
        table_kind="basic_expenditure", subject_code="30201", measure="total", page=23)}
    assert rows == {("50201", "办公经费", Decimal("475000.00")), ("50502", "商品和服务支出", Decimal("141200.00"))}


def test_a_carry_over_balances_the_grand_totals_not_the_years_own():
    """福州 民政局 prints 本年收入合计 2219.92 and 上年结转结余 30.00 against 本年支出合计 2249.92; its
    收入合计 and 支出合计 (2249.92 each) balance, so the summary raises no income_equals_expenditure."""
    doc = _document("017_福州/2026年福州市民政局部门预算.pdf")
    assert Decimal("22199200.00") in doc.amounts("fact_income", table_kind="income_expenditure_summary",
                                                 line_item="本年收入合计", measure="total")
    assert not [f for f in doc.findings() if f["check_name"] == "income_equals_expenditure"]


# Hand-read facts that are a figure of v_disclosure_summary: (table kind, fact table, row role, line item,
# measure) → the view's column.
SUMMARY_COLUMNS = {
    ("income_expenditure_summary", "fact_income", "total", "收入总计", "total"): "income_total_yuan",
    ("income_expenditure_summary", "fact_expenditure", "total", "支出总计", "total"): "expenditure_total_yuan",
    ("expenditure_summary", "fact_expenditure", "total", "合计", "basic"): "basic_yuan",
    ("expenditure_summary", "fact_expenditure", "total", "合计", "project"): "project_yuan",
    ("three_public", "fact_expenditure", "total", "three_public_total", "total"): "three_public_total_yuan",
    ("three_public", "fact_expenditure", "item", "overseas_travel", "total"): "overseas_travel_yuan",
    ("three_public", "fact_expenditure", "item", "vehicle_total", "total"): "vehicle_total_yuan",
    ("three_public", "fact_expenditure", "item", "vehicle_purchase", "total"): "vehicle_purchase_yuan",
    ("three_public", "fact_expenditure", "item", "vehicle_operation", "total"): "vehicle_operation_yuan",
    ("three_public", "fact_expenditure", "item", "official_reception", "total"): "official_reception_yuan",
}


def test_the_disclosure_summary_agrees_with_the_hand_read_facts(tmp_path):
    """v_disclosure_summary over every hand-read document gives each hand-read figure it has a column for
    (收入总计, 支出总计, the 支出总表's 基本支出 and 项目支出, the 三公 total and categories), and a row per
    document with its department and year; the codes they print alike that the shipped list lacks are
    observed."""
    from pipeline.warehouse.connect import open_writer
    from pipeline.warehouse.load import replace_document
    from pipeline.warehouse.observed import refresh_observed_codes

    wanted = [(f, SUMMARY_COLUMNS[k]) for f in FACTS
              if (k := (f["table_kind"], f["fact_table"], f["row_role"], f["line_item"], f["measure"])) in SUMMARY_COLUMNS]
    files = sorted({f["file"] for f in FACTS})
    assert len(wanted) >= 100 and len({f["file"] for f, _ in wanted}) >= 25
    con = open_writer(tmp_path / "summary.duckdb")
    ids = {}
    for file in files:
        frames = _document(file).frames
        ids[file] = frames.dim_document["document_id"][0]
        replace_document(con, ids[file], {t: frames.table(t) for t in DOCUMENT_FRAMES})
    summary = {row[0]: row for row in con.execute("SELECT * FROM v_disclosure_summary").fetchall()}
    names = [d[0] for d in con.description]
    # 20140 信访事务 is newer than the shipped classification; the 信访局 of several cities print it
    refresh_observed_codes(con)
    observed = con.execute("SELECT subject_code, subject_name, parent_code, fiscal_year FROM dim_subject_code "
                           "WHERE source = 'observed'").fetchall()
    con.close()
    assert ("20140", "信访事务", "201", 2026) in observed
    assert set(summary) == set(ids.values())
    for file in files:
        row = dict(zip(names, summary[ids[file]], strict=True))
        assert row["unit_name"] and row["fiscal_year"] == COVER_YEARS.get(file, 2026), (file, row)
    for fact, column in wanted:
        row = dict(zip(names, summary[ids[fact["file"]]], strict=True))
        assert row[column] == Decimal(fact["amount_yuan"]), (fact["file"], fact["page"], column, fact["printed"])


@pytest.mark.parametrize("file", sorted({f["file"] for f in FACTS}))
def test_every_hand_read_department_sits_in_its_province_and_city(file: str):
    """The department is placed by its name (烟台市审计局 → 山东省 烟台市 370600), or a warn finding says why
    not (国家信访局 is a national office); the city is the one the crawl filed the file under."""
    doc = _document(file)
    dept = doc.document()["department_unit_id"]
    (unit,) = [u for u in doc.frames.dim_unit.iter_rows(named=True) if u["unit_id"] == dept]
    unplaced = [f for f in doc.frames.findings if f["check_name"] == "area_unplaced"]
    if unit["province"] is None:
        assert unit["unit_name"].startswith("国家") and unplaced, unit
        return
    assert not unplaced and unit["city"] == file.split("_")[1].split("/")[0] + "市", unit
    assert unit["adcode"].isdigit() and len(unit["adcode"]) == 6, unit
