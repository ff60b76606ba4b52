"""Shared fixtures: the corpus and a warehouse built from it by the Dagster assets."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = FIXTURES / "text"
PDF = FIXTURES / "pdf"
STEMS = {
    "keqiao2023": "keqiao-npc-office-2023",
    "keqiao2020": "keqiao-npc-office-2020-performance",
    "jiaxing2024": "jiaxing-npc-office-2024",
    "pingxiang2023": "pingxiang-county-npc-2023",
    "dongxihu2022": "dongxihu-npc-office-2022",
}

# The console script and assets.runner record their runs in DAGSTER_HOME (else the project's
# dagster_home/): the tests, and the console scripts they start, use a throwaway one instead.
TEST_DAGSTER_HOME = tempfile.mkdtemp(prefix="budget-etl-test-dagster-home-")
os.environ["DAGSTER_HOME"] = TEST_DAGSTER_HOME


# Modules that run Dagster (dg.materialize, execute_in_process, `dagster dev`), the console script
# end to end, read PDFs of the corpus, or OCR scans: `make test-fast` (-m "not slow") leaves them out. A module
# may also say so itself with `pytestmark = pytest.mark.slow`.
SLOW_MODULES = frozenset({
    "test_bad_inputs",
    "test_borderless",
    "test_cli",
    "test_concurrency",
    "test_corpus_facts",
    "test_dagster_dev_graphql",
    "test_generated_final_accounts",
    "test_generated_layouts",
    "test_killed_load",
    "test_ocr",
    "test_pdf_equivalence",
    "test_pdf_reader",
    "test_wild_facts",
    "test_pdf_reader_generated",
    "test_pdf_reader_text",
    "test_quality_corpus",
    "test_real_disclosures",
    "test_sensor_schedule",
})
# Fixtures that ingest the corpus through Dagster: a test using one is slow wherever it lives.
SLOW_FIXTURES = frozenset({"text_warehouse", "wh"})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs Dagster, the CLI end to end or reads PDFs (not in make test-fast)")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(TEST_DAGSTER_HOME, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if getattr(item, "module", None) else ""
        if module in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def text_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five text disclosures ingested through dg.materialize into a fresh warehouse."""
    from assets.runner import ingest

    path = tmp_path_factory.mktemp("wh") / "budget.duckdb"
    runs = ingest([TEXT], path, TEXT)
    assert [r.status for r in runs] == ["loaded"] * 5, [(r.raw.file_name, r.reason) for r in runs]
    return path


@pytest.fixture(scope="session")
def wh(text_warehouse: Path):
    con = duckdb.connect(str(text_warehouse), read_only=True)
    yield con
    con.close()


def doc_id(con: duckdb.DuckDBPyConnection, key: str) -> str:
    row = con.execute("SELECT document_id FROM dim_document WHERE file_name = ?", [STEMS[key] + ".txt"]).fetchone()
    assert row, key
    return row[0]
