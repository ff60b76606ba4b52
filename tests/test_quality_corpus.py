"""Data-quality findings on the corpus, read back from dq_check_result and the asset checks."""

from __future__ import annotations

from tests.conftest import doc_id


def errors(con, key):
    return con.execute(
        """SELECT check_name, observed, expected, details FROM dq_check_result
           WHERE document_id = ? AND NOT success AND severity = 'error' ORDER BY check_name""",
        [doc_id(con, key)],
    ).fetchall()


def test_clean_disclosures_raise_no_error(wh):
    # Rounding stays within the tolerance: jiaxing prints 基本支出 2672.82 while its parts add to 2672.81.
    for key in ("pingxiang2023", "keqiao2020"):
        assert errors(wh, key) == [], key
    # jiaxing's contents list a 收入预算总表 that its pages (收支预算总表, then 支出预算总表) do not print:
    # its only error, and its numbers raise none.
    assert [(c, o) for c, o, _, _ in errors(wh, "jiaxing2024")] == [
        ("listed_table_missing", "the document lists 2024年部门收入预算总表 (income_summary); the reader found no such table")
    ]


def test_keqiao_narrative_misprint_is_the_only_error_in_its_numbers(wh):
    # keqiao 2023's text says 一般公共预算基本支出 2752.53 万元 (the grand total) while all three tables
    # print 2072.53: a real contradiction in the publication, reported, not hidden. Its contents also list
    # two tables its pages do not print.
    found = errors(wh, "keqiao2023")
    assert sorted((c, o.split(" (")[0]) for c, o, _, _ in found) == [
        ("listed_table_missing", "the document lists 2023年区人大办收入预算总表"),
        ("listed_table_missing", "the document lists 2023年区人大办财政拨款收支预算总表"),
        ("narrative_matches_tables", "text states basic = 2752.53 万元"),
    ]
    assert "2072.53" in [e for c, _, e, _ in found if c == "narrative_matches_tables"][0]


def test_dongxihu_flagged_at_its_damaged_rows(wh):
    found = errors(wh, "dongxihu2022")
    admin = [f for f in found if f[0] == "subject_amount_consistent" and "subject_code: 2010101" in f[3]]
    assert admin, "the 行政运行 row (1,348.91 vs 1,346.91) must be flagged"
    assert any("1348.91" in o for _, o, _, _ in admin)
    project = [f for f in found if f[0] == "project_total_equals_projects"]
    assert project and all("项目支出预算表" in d for *_, d in project)
    # Every error names a table and a row, so a person can find it.
    assert all("table:" in d and "row:" in d for *_, d in found)


def test_every_outcome_is_recorded(wh):
    rows = wh.execute(
        """SELECT count(*), count(DISTINCT check_name), bool_and(run_id IS NOT NULL)
           FROM dq_check_result WHERE success"""
    ).fetchone()
    assert rows[0] > 100 and rows[1] > 50 and rows[2]


def test_suites_ran_once_for_the_run(wh):
    """The five documents came in one ingest run: every suite outcome carries that run's id, and each
    document has its own outcome of each rule (given back from the one validation)."""
    runs, per_document = wh.execute(
        """SELECT count(DISTINCT run_id), count(*) FILTER (WHERE check_name = 'fact_expenditure.fact_id_unique')
           FROM dq_check_result WHERE check_name LIKE 'fact_expenditure.%'""").fetchone()
    assert (runs, per_document) == (1, 5)
