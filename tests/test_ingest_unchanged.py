"""`budget-etl ingest` skips content that is loaded: `unchanged`, unless --force.

With nothing new the command starts no Dagster run and imports neither Dagster nor Great
Expectations; the time is not asserted (the README reports it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

import budget_cli.main as cli
from tests.conftest import TEXT

ROOT = Path(__file__).resolve().parents[1]


def rows(warehouse: Path, query: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


@pytest.mark.slow  # ingests through Dagster twice
def test_a_second_ingest_reports_unchanged_and_force_reads_again(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(TEXT / "keqiao-npc-office-2020-performance.txt", raw / "a.txt")
    wh = tmp_path / "w.duckdb"
    assert cli.main(["ingest", str(raw), "--warehouse", str(wh)]) == 0
    first = capsys.readouterr().out.splitlines()
    assert first[0].startswith("loaded      绍兴市柯桥区") and first[0].endswith("(a.txt, 0 facts, 54 indicators)")
    title = first[0][len("loaded      "):first[0].index("  (")]

    (raw / "a.txt").rename(raw / "renamed.txt")  # the same bytes under another name: not read again
    assert cli.main(["ingest", str(raw), "--warehouse", str(wh)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"unchanged   {title}  (renamed.txt, 0 facts, 54 indicators)",
        f"1 documents: 0 loaded, 1 unchanged, 0 quarantined, 0 failed → {wh}",
    ]
    assert rows(wh, "SELECT file_name FROM dim_document") == [("renamed.txt",)]  # as last seen

    assert cli.main(["ingest", str(raw), "--warehouse", str(wh), "--force"]) == 0
    forced = capsys.readouterr().out.splitlines()
    assert forced[0] == f"loaded      {title}  (renamed.txt, 0 facts, 54 indicators)"
    assert forced[-1] == f"1 documents: 1 loaded, 0 unchanged, 0 quarantined, 0 failed → {wh}"


NOTHING_NEW_CHILD = """
import sys
import budget_cli.main as cli
rc = cli.main(sys.argv[1:])
heavy = sorted(m for m in ("dagster", "great_expectations", "camelot", "pdfplumber") if m in sys.modules)
print("exit", rc, "heavy", heavy)
"""


def _loaded_by_hand(wh: Path, files: list[Path]) -> None:
    """dim_document rows (status loaded, 2 facts each) for the files' contents, as an earlier ingest left them."""
    from execution_rows import Doc

    from pipeline.ingest import sha256_of
    from pipeline.warehouse.connect import open_writer
    from pipeline.warehouse.load import replace_document

    con = open_writer(wh)
    try:
        for f in files:
            doc = Doc(f.stem, "budget", "department", datetime(2025, 1, 1))
            doc.row("expenditure_summary", "total", "合计", {("total", "budget"): "1.00", ("basic", "budget"): "1.00"})
            frames = doc.frames()
            frames["dim_document"] = frames["dim_document"].with_columns(
                pl.lit(sha256_of(f)).alias("document_id"), pl.lit(f.name).alias("file_name"))
            frames["fact_expenditure"] = frames["fact_expenditure"].with_columns(pl.lit(sha256_of(f)).alias("document_id"))
            replace_document(con, sha256_of(f), frames)
    finally:
        con.close()


def test_nothing_new_starts_no_run_and_imports_neither_dagster_nor_great_expectations(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("one.txt", "two.txt"):
        (raw / name).write_text(f"{name} 部门预算\n", encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    _loaded_by_hand(wh, sorted(raw.iterdir()))
    r = subprocess.run([sys.executable, "-c", NOTHING_NEW_CHILD, "ingest", str(raw), "--warehouse", str(wh)],
                       cwd=ROOT, capture_output=True, text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "unchanged   某县某局2024年部门预算  (one.txt, 2 facts, 0 indicators)",
        "unchanged   某县某局2024年部门预算  (two.txt, 2 facts, 0 indicators)",
        f"2 documents: 0 loaded, 2 unchanged, 0 quarantined, 0 failed → {wh}",
        "exit 0 heavy []",
    ]


def test_nothing_new_still_upgrades_a_warehouse_of_an_older_release(tmp_path, capsys):
    from pipeline.ingest import sha256_of

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "one.txt").write_text("one 部门预算\n", encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    old = duckdb.connect(str(wh))
    old.execute((ROOT / "tests" / "data" / "ddl_before_milestone2.sql").read_text(encoding="utf-8"))
    old.execute("INSERT INTO dim_document (document_id, file_name, file_format, title, fiscal_year, status, ingested_at) "
                "VALUES (?, 'one.txt', 'text', '某局2023年部门预算', 2023, 'loaded', TIMESTAMP '2024-01-01')",
                [sha256_of(raw / "one.txt")])
    old.close()
    assert cli.main(["ingest", str(raw), "--warehouse", str(wh)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "unchanged   某局2023年部门预算  (one.txt, 0 facts, 0 indicators)"
    assert rows(wh, "SELECT document_kind, disclosure_level FROM dim_document") == [("budget", "department")]
    assert rows(wh, "SELECT count(*) FROM v_budget_vs_final") == [(0,)]
