"""The PDF of each corpus disclosure gives the same warehouse rows as its text, table by table.

Rows are compared on everything but the document id (the files differ), fact ids derived from it,
`page` and `source_row`. A difference fails with a readable diff of the rows on each side.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import PDF, STEMS

FACT_COLUMNS = ("table_kind", "table_index", "row_index", "row_role", "unit_id", "subject_code", "printed_code",
                "line_item", "project_name", "measure", "amount_yuan", "fiscal_year")
INDICATOR_COLUMNS = ("table_index", "row_index", "scope", "unit_id", "project_name", "parent_project_name",
                     "project_budget_yuan", "level1", "level2", "indicator_name", "comparator", "target_value",
                     "target_max", "target_unit", "target_text", "fiscal_year")


@pytest.fixture(scope="module")
def pdf_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from assets.runner import ingest

    path = tmp_path_factory.mktemp("pdfwh") / "budget.duckdb"
    runs = ingest([PDF], path, PDF)
    assert [r.status for r in runs] == ["loaded"] * 5, [(r.raw.file_name, r.reason) for r in runs]
    return path


def _rows(path: Path, stem: str, fmt: str, table: str, columns: tuple[str, ...]) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        cols = ", ".join(f"f.{c}" for c in columns)
        return sorted(
            con.execute(
                f"""SELECT {cols} FROM {table} f JOIN dim_document d USING (document_id)
                    WHERE d.file_name = ?""",
                [f"{stem}.{fmt}"],
            ).fetchall(),
            key=repr,
        )
    finally:
        con.close()


def _diff(text_rows: list[tuple], pdf_rows: list[tuple]) -> str:
    only_text = [r for r in text_rows if r not in pdf_rows]
    only_pdf = [r for r in pdf_rows if r not in text_rows]
    lines = [f"{len(only_text)} rows only from text, {len(only_pdf)} only from PDF"]
    lines += ["  text: " + repr(r) for r in only_text[:15]]
    lines += ["  pdf:  " + repr(r) for r in only_pdf[:15]]
    return "\n".join(lines)


@pytest.mark.parametrize("key", sorted(STEMS))
@pytest.mark.parametrize("table, columns", [
    ("fact_expenditure", FACT_COLUMNS),
    ("fact_income", FACT_COLUMNS),
    ("fact_performance_indicator", INDICATOR_COLUMNS),
])
def test_pdf_rows_equal_text_rows(text_warehouse, pdf_warehouse, key, table, columns):
    stem = STEMS[key]
    text_rows = _rows(text_warehouse, stem, "txt", table, columns)
    pdf_rows = _rows(pdf_warehouse, stem, "pdf", table, columns)
    assert text_rows == pdf_rows, _diff(text_rows, pdf_rows)


def test_pdf_documents_match_text_documents(text_warehouse, pdf_warehouse):
    def docs(path: Path) -> list[tuple]:
        con = duckdb.connect(str(path), read_only=True)
        try:
            return sorted(con.execute(
                "SELECT regexp_replace(file_name, '\\.(txt|pdf)$', ''), title, fiscal_year, department_unit_id "
                "FROM dim_document").fetchall())
        finally:
            con.close()

    assert docs(text_warehouse) == docs(pdf_warehouse)


def test_pdf_facts_carry_their_page(pdf_warehouse):
    con = duckdb.connect(str(pdf_warehouse), read_only=True)
    try:
        pages = con.execute(
            """SELECT DISTINCT f.page FROM fact_expenditure f JOIN dim_document d USING (document_id)
               WHERE d.file_name = 'keqiao-npc-office-2023.pdf' AND f.table_kind = 'three_public'"""
        ).fetchall()
        missing = con.execute(
            "SELECT count(*) FROM fact_expenditure WHERE table_kind <> 'narrative' AND page IS NULL"
        ).fetchone()[0]
    finally:
        con.close()
    assert len(pages) == 1 and pages[0][0] >= 1
    assert missing == 0


GENERATED_LAYOUTS = [
    dict(layout="ruled"),
    dict(layout="borderless"),
    dict(layout="ruled", break_after=5),
    dict(layout="borderless", break_after=5, repeat_header=False),
    dict(layout="ruled", landscape_pages=True),
    dict(layout="borderless", landscape_pages=True),
]


@pytest.mark.parametrize("options", GENERATED_LAYOUTS, ids=lambda o: "-".join(str(v) for v in o.values()))
def test_generated_pdfs_give_the_facts_of_the_text(text_warehouse, tmp_path, options):
    """Ruled, borderless, split over two pages, landscape: the same facts as the text disclosure."""
    from pipeline.extract.pdf.reader import read_pdf
    from pipeline.ingest import describe
    from pipeline.normalize.build import normalize_document
    from tests import pdfgen
    from tests.conftest import TEXT

    source = TEXT / "keqiao-npc-office-2023.txt"
    specs = [pdfgen.fixture_table(source, "支出预算总表"), pdfgen.fixture_table(source, "三公”经费支出表")]
    path = tmp_path / "generated.pdf"
    # The cover names the department and year, as a disclosure's first page does.
    pdfgen.build_tables_pdf(path, specs, preamble=["绍兴市柯桥区人民代表大会常务委员会办公室", "2023年部门预算"],
                            **options)
    facts = normalize_document(read_pdf(describe(path))).fact_expenditure
    columns = ("table_kind", "row_role", "unit_id", "subject_code", "line_item", "measure", "amount_yuan")
    got = sorted(facts.filter(facts["table_kind"] != "narrative").select(columns).rows(), key=repr)
    expected = [
        r for r in _rows(text_warehouse, STEMS["keqiao2023"], "txt", "fact_expenditure", columns)
        if r[0] in ("expenditure_summary", "three_public")
    ]
    assert got == expected, _diff(expected, got)
