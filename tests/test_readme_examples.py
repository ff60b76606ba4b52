"""Every SQL example in the README runs against a warehouse of the corpus, and its answer is asserted.

The warehouse: the five seed disclosures (text), the real PDFs (two budgets, a final account, a blank
template) and three generated disclosures of a fictional department (a budget, its final account, and
a final account whose 三公 table prints 预算数 beside 决算数), ingested through the Dagster job.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES, TEXT
from tests.disclosure_docs import DEPT, DOCUMENTS, THREE_PUBLIC_FINAL
from tests.disclosure_pdfs import build_disclosure_pdf

pytestmark = pytest.mark.slow  # ingests the corpus
README = Path(__file__).resolve().parents[1] / "README.md"
D = Decimal


def readme_queries() -> dict[str, str]:
    """Each statement of the README's sql blocks, keyed by the first words of its leading comment."""
    queries: dict[str, str] = {}
    for block in re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for statement in (s.strip() for s in block.split(";")):
            if statement:
                queries[statement.splitlines()[0].removeprefix("--").strip()[:40]] = statement
    return queries


QUERIES = readme_queries()


def query(con: duckdb.DuckDBPyConnection, starts: str) -> list[tuple]:
    (key,) = [k for k in QUERIES if k.startswith(starts)]
    return con.execute(QUERIES[key]).fetchall()


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    from assets.runner import ingest

    generated = tmp_path_factory.mktemp("generated")
    for name in ("pair-budget", "pair-final", "three-public-final"):
        build_disclosure_pdf(generated / f"{name}.pdf", DOCUMENTS[name]().disclosure)
    path = tmp_path_factory.mktemp("readme-wh") / "budget.duckdb"
    runs = ingest([TEXT, FIXTURES / "real", generated], path, TEXT)
    assert sum(r.status == "loaded" for r in runs) == len(runs) - 1  # the blank template is quarantined
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


def test_every_example_is_asserted():
    assert len(QUERIES) == 7, list(QUERIES)


def test_administration_across_departments_names_each_table(con):
    rows = query(con, "行政运行 (2010101) across departments")
    assert len(rows) == len(set(r[:3] for r in rows)), "a row per (document, table, page)"
    amounts = {(title, amount) for title, _, _, amount in rows}
    assert ("嘉兴市人民代表大会常务委员会办公室2024年部门预算", D("19363500.00")) in amounts
    assert ("平乡县人民代表大会常务委员会2023年部门预算", D("3229100.00")) in amounts
    twice = [r for r in rows if r[0].startswith("东西湖区")]
    assert len(twice) == 2 and len({r[1:3] for r in twice}) == 2  # two tables, told apart
    assert {r[3] for r in twice} == {D("13469100.00")}


def test_three_public_has_the_same_shape_whatever_the_layout(con):
    rows = query(con, "the “三公” budget by category")
    groups: dict[tuple, dict[str, list]] = {}
    for unit, level, year, role, item, amount in rows:
        groups.setdefault((unit, level, year), {}).setdefault(role, []).append((item, amount))
    for key, roles in groups.items():
        assert [item for item, _ in roles["total"]] == ["three_public_total"], key
        assert roles.get("item"), f"{key}: categories missing"
    # 平乡 lists categories in rows (合计 and “三公”经费小计 both print the total), 柯桥 in columns.
    assert groups[("平乡县人民代表大会常务委员会", "department", 2023)] == {
        "total": [("three_public_total", D("83000.00"))],
        "item": [("official_reception", D("15000.00")), ("vehicle_operation", D("68000.00"))]}
    keqiao = groups[("绍兴市柯桥区人民代表大会常务委员会办公室", "department", 2023)]
    assert keqiao["total"] == [("three_public_total", D("202000.00"))]
    assert ("overseas_travel", D("120000.00")) in keqiao["item"]
    # 公务用车购置及运行费 printed over its parts is a subtotal, not an item: the items add up to the total
    for key, roles in groups.items():
        assert sum(amount for _, amount in roles["item"]) == roles["total"][0][1], key


def test_budget_against_final_by_subject(con):
    rows = query(con, "how much of each budget line each unit")
    mine = {r[2]: r for r in rows if r[0] == DEPT}
    unit, year, code, name, budget, final, rate = mine["2050101"]
    assert (year, name, budget, final) == (2024, "行政运行", D("3216400.00"), D("3182700.00"))
    assert rate == (final / budget).quantize(D("0.0001"))


def test_three_public_budget_against_final(con):
    rows = query(con, "the “三公” categories, budget against")
    mine = {r[2]: r for r in rows if r[0] == DEPT}
    # The generated 三公 决算表 prints 预算数 beside 决算数 for each category; its total is their sum.
    printed = {stage: D(sum(THREE_PUBLIC_FINAL[stage].values())) for stage in ("budget", "final")}
    budget, final, difference, rate, source = mine["three_public_total"][3:]
    assert (budget, final, source) == (printed["budget"], printed["final"], "same_document")
    assert difference == final - budget and rate == (final / budget).quantize(D("0.0001"))
    reception = THREE_PUBLIC_FINAL["budget"]["official_reception"], THREE_PUBLIC_FINAL["final"]["official_reception"]
    assert mine["official_reception"][3:5] == tuple(D(v) for v in reception)



def test_the_same_kind_of_office_compares_across_areas(con):
    """The five seeds are people's congress offices of four areas: each budget's 三公 total and 公务接待费 as
    the corpus's facts give them (柯桥 20.2 / 8.2 万元, 平乡 8.3 万元 with no 接待 row, 东西湖 6.8 / 0.8)."""
    rows = {(*area[:3], year): (total, reception)
            for *area, year, total, reception in query(con, "the same kind of office")}
    assert rows[("浙江省", "绍兴市", "柯桥区", 2023)] == (D("202000.00"), D("82000.00"))
    assert rows[("河北省", "邢台市", "平乡县", 2023)][0] == D("83000.00")
    assert rows[("湖北省", "武汉市", "东西湖区", 2022)] == (D("68000.00"), D("8000.00"))
    assert ("浙江省", "嘉兴市", None, 2024) in rows


def test_basic_against_projects_is_read_from_the_expenditure_summary(con):
    rows = {(unit, year, stage): (basic, project) for unit, year, stage, basic, project, _ in
            query(con, "basic spending against projects")}
    # 平乡 prints 项目支出 163.00 万元 in its 支出总表; 柯桥's prints 人员 | 公用 | 项目 and no 基本支出 total
    assert rows[("平乡县人民代表大会常务委员会", 2023, "budget")][1] == D("1630000.00")
    assert rows[("绍兴市柯桥区人民代表大会常务委员会办公室", 2023, "budget")] == (None, D("6800000.00"))


def test_completeness_counts_findings_as_the_report_does(con):
    from budget_cli.findings import documents, findings

    rows = query(con, "how complete each disclosure is")
    loaded = [d for d in documents(con) if d.status == "loaded"]
    assert sorted(title for title, _, _ in rows) == sorted(d.title for d in loaded)
    reported = {d.title: sum(f.severity == "error" for f in fs)
                for d in loaded for doc_id, fs in findings(con, [d]).items()}
    assert {title: errors for title, _, errors in rows} == reported
    assert all(0 <= found <= 8 for _, found, _ in rows)
    assert any(found == 8 for _, found, _ in rows)
