"""The `budget-etl` commands: aligned tables and csv/json for scripts, report, ingest progress."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import shutil
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

import budget_cli.main as cli
from budget_cli.output import width
from tests.conftest import TEXT

ROOT = Path(__file__).resolve().parents[1]
QUERY = """
SELECT u.unit_name, d.fiscal_year, count(*) AS n, sum(f.amount_yuan) AS total_yuan, NULL AS nothing
FROM fact_expenditure f JOIN dim_document d USING (document_id) JOIN dim_unit u ON u.unit_id = f.unit_id
GROUP BY ALL ORDER BY u.unit_name, d.fiscal_year
"""


def expected_rows(warehouse: Path, query: str = QUERY) -> tuple[list[str], list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(query)
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.close()


def sql(capsys, warehouse: Path, query: str, *extra: str) -> tuple[int, str, str]:
    rc = cli.main(["sql", query, "--warehouse", str(warehouse), *extra])
    out, err = capsys.readouterr()
    return rc, out, err


def display_slices(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """Cut a line at terminal-column offsets (CJK characters take two columns)."""
    cols: list[str] = []
    for start, end in spans:
        pos, cell = 0, ""
        for ch in line:
            w = width(ch)
            if start <= pos and pos + w <= end:
                cell += ch
            pos += w
        cols.append(cell)
    return cols


def test_sql_prints_an_aligned_table(text_warehouse, capsys):
    columns, rows = expected_rows(text_warehouse)
    rc, out, err = sql(capsys, text_warehouse, QUERY)
    assert rc == 0 and err == ""
    lines = out.rstrip("\n").split("\n")
    header, rule, *body, footer = lines
    assert footer == f"({len(rows)} rows)"
    assert len(body) == len(rows) >= 5
    # The rule under the header gives every column's span, in terminal columns.
    spans, pos = [], 0
    for dashes in rule.split("  "):
        spans.append((pos, pos + len(dashes)))
        pos += len(dashes) + 2
    assert [c.strip() for c in display_slices(header, spans)] == columns
    for line, row in zip(body, rows, strict=True):
        cells = display_slices(line.ljust(pos), spans)
        assert [c.strip() for c in cells] == ["" if v is None else str(v) for v in row]
        assert not cells[0].startswith(" ")  # text: left-aligned
        for numeric in (1, 2, 3):
            assert cells[numeric] == cells[numeric].rjust(len(cells[numeric]))  # numbers: right-aligned
            assert not cells[numeric].endswith(" ")
    assert all(width(r[0]) == 2 * len(r[0]) for r in rows)  # the CJK case is exercised


def test_sql_csv_and_json_for_scripts(text_warehouse, capsys):
    columns, rows = expected_rows(text_warehouse)
    rc, out, _ = sql(capsys, text_warehouse, QUERY, "--format", "csv")
    assert rc == 0
    parsed = list(csv.reader(io.StringIO(out)))
    assert parsed[0] == columns
    assert parsed[1:] == [[("" if v is None else str(v)) for v in r] for r in rows]
    assert all(Decimal(r[3]) == row[3] for r, row in zip(parsed[1:], rows, strict=True))  # exact, not floats

    rc, out, _ = sql(capsys, text_warehouse, QUERY, "--format", "json")
    assert rc == 0
    assert "\\u" not in out  # Chinese stays readable
    data = json.loads(out)
    assert [list(d) for d in data] == [columns] * len(rows)
    first = data[0]
    assert isinstance(first["fiscal_year"], int) and isinstance(first["n"], int)
    assert first["total_yuan"] == str(rows[0][3])  # DECIMAL as an exact string
    assert first["nothing"] is None

    rc, out, _ = sql(capsys, text_warehouse, "SELECT 1 AS a WHERE false", "--format", "json")
    assert (rc, json.loads(out)) == (0, [])
    rc, out, _ = sql(capsys, text_warehouse, "SELECT 1 AS a WHERE false", "--format", "csv")
    assert (rc, out.splitlines()) == (0, ["a"])
    rc, out, _ = sql(capsys, text_warehouse, "SELECT 1 AS a WHERE false")
    assert rc == 0 and out.splitlines()[-1] == "(0 rows)"


@pytest.mark.parametrize("query, words", [
    ("SELEC nonsense", "syntax error"),
    ("SELECT * FROM no_such_table", "no_such_table"),
    ("DROP TABLE dim_document", "read-only"),
])
def test_sql_errors_are_one_line_not_a_traceback(text_warehouse, capsys, query, words):
    rc, out, err = sql(capsys, text_warehouse, query)
    assert rc == 1 and out == ""
    assert err.startswith("error: ") and words in err.lower()
    assert "Traceback" not in err


def test_missing_warehouse_is_explained(tmp_path, capsys):
    for command in (["sql", "SELECT 1"], ["report"]):
        rc = cli.main([*command, "--warehouse", str(tmp_path / "none.duckdb")])
        _, err = capsys.readouterr()
        assert rc == 1
        assert err.startswith(f"error: No warehouse at {tmp_path / 'none.duckdb'}") and "budget-etl ingest" in err
    assert not (tmp_path / "none.duckdb").exists()  # a reader never creates the file


def test_warehouse_from_the_environment(text_warehouse, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(text_warehouse))
    assert cli.main(["sql", "SELECT count(*) AS n FROM dim_document", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "5"]
    # --warehouse wins over the environment.
    assert cli.main(["sql", "SELECT 1", "--warehouse", str(tmp_path / "other.duckdb")]) == 1


def test_report_lists_every_document_and_quarantines(text_warehouse, tmp_path, capsys):
    from pipeline.ingest import describe, quarantine_document
    from pipeline.warehouse.connect import open_writer
    from pipeline.warehouse.load import replace_document

    wh = tmp_path / "w.duckdb"
    shutil.copy(text_warehouse, wh)
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    con = open_writer(wh)
    try:
        replace_document(con, describe(bad).document_id,
                         {"dim_document": quarantine_document(describe(bad), "scan.pdf has no text layer; run OCR.")})
    finally:
        con.close()
    assert cli.main(["report", "--warehouse", str(wh)]) == 0
    out = capsys.readouterr().out
    _, docs = expected_rows(wh, "SELECT file_name, status FROM dim_document")
    for file_name, status in docs:
        assert f"({file_name}): {status}" in out
    assert "== scan.pdf (scan.pdf): quarantined" in out
    assert "   quarantined: scan.pdf has no text layer; run OCR." in out
    assert "[error] " in out and "expected " in out  # the corpus's damaged dongxihu rows are reported


def test_console_script_is_installed(text_warehouse):
    script = Path(sys.executable).parent / "budget-etl"
    if not script.exists():
        pytest.skip(f"no console script at {script}: run `make setup`")
    r = subprocess.run([str(script), "sql", "SELECT 1 AS one, '嘉兴' AS city", "--warehouse", str(text_warehouse),
                        "--format", "json"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [{"one": 1, "city": "嘉兴"}]


def test_ingest_shows_progress_on_a_terminal_and_exits_0(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    shutil.copy(TEXT / "keqiao-npc-office-2020-performance.txt", raw / "a.txt")
    shutil.copy(TEXT / "keqiao-npc-office-2020-performance.txt", raw / "sub" / "same-bytes.txt")  # one document
    shutil.copy(TEXT / "jiaxing-npc-office-2024.txt", raw / "sub" / "b.txt")
    wh = tmp_path / "w.duckdb"
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "budget_cli", "ingest", str(raw), "--warehouse", str(wh)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=slave, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT), BUDGET_RAW_DIR=str(raw)))
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    out, _ = proc.communicate(timeout=300)
    reader.join(timeout=10)
    os.close(master)
    terminal = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    assert proc.returncode == 0, terminal[-3000:]
    # The live line (rich) on the terminal: the stage running and documents done of all.
    assert "documents" in terminal and "/2" in terminal
    assert any(stage in terminal for stage in ("reading", "checking", "loading"))
    assert "documents" not in out.splitlines()[0]  # progress goes to the terminal (stderr), results to stdout
    lines = out.splitlines()
    by_file = {ln.rsplit("(", 1)[1]: ln for ln in lines[:2]}  # each printed as it was loaded
    assert by_file["a.txt, 0 facts, 54 indicators)"].startswith("loaded      绍兴市柯桥区")
    assert [k for k in by_file if k.startswith("b.txt, ")] and all(ln.startswith("loaded") for ln in lines[:2])
    assert lines[-1] == f"2 documents: 2 loaded, 0 unchanged, 0 quarantined, 0 failed → {wh}"


def test_ingest_of_a_missing_path_exits_1(tmp_path, capsys):
    assert cli.main(["ingest", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "w.duckdb")]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == f"error: no such file or folder: {tmp_path / 'nowhere'}\n"
    assert not (tmp_path / "w.duckdb").exists()


def test_the_console_script_is_the_outermost_layer():
    import ast

    def imported(folder: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for f in (ROOT / folder).rglob("*.py"):
            names: set[str] = set()
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
            out[str(f.relative_to(ROOT))] = names
        return out

    library, dagster_layer = imported("pipeline"), imported("assets")
    assert len(library) > 20 and not (ROOT / "pipeline" / "cli.py").exists()
    assert [f for f, names in library.items() if names & {"budget_cli", "assets", "dagster"}] == []
    assert [f for f, names in dagster_layer.items() if "budget_cli" in names] == []
    assert "assets" in set().union(*imported("budget_cli").values())  # the CLI may use the Dagster layer
