"""Shared fixtures: the corpus and a warehouse built from it by the Dagster assets."""

from __future__ import annotations

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
