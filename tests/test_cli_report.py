"""`budget-etl report` filters, merges and gates; every command says in one line what is wrong with
--warehouse; each command's help has examples; --version comes from the installed package."""

from __future__ import annotations

import argparse
import sqlite3
from importlib.metadata import version
from pathlib import Path

import duckdb
import pytest
from cli_warehouse import BUDGET, TOTAL_ROW, build

import budget_cli.main as cli
from tests.conftest import TEXT


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("report") / "budget.duckdb")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = cli.main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def report(capsys, warehouse: Path, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "report", "--warehouse", str(warehouse), *argv)


def findings(out: str) -> list[str]:
    return [ln.strip() for ln in out.splitlines() if ln.startswith(("   [", "          where:"))]


BUDGET_HEAD = "== 某县某局2024年部门预算 (budget-2024.pdf): loaded, 3 errors, 1 warnings"
FINAL_HEAD = "== 某县某局2024年部门决算 (final-2024.pdf): loaded, 0 errors, 1 warnings"
MERGED = [
    "[error] total_equals_sum_of_rows: observed Σ rows = 600000.00 元; expected = 合计 1000000.00 元",
    f"where: {TOTAL_ROW}; source_row: | 合计 | 1,000,000.00; measures: basic, total",
]
CONFLICTS = [
    "[error] subject_amount_consistent: observed 600000.00 元 in table #0; expected 610000.00 元 as in table #3",
    "where: table: 部门支出总表; row: 行政运行 (row #1, subject); subject_code: 2010101; measure: basic",
    "[error] subject_amount_consistent: observed 600000.00 元 in table #0; expected 630000.00 元 as in table #2",
    "where: table: 部门支出总表; row: 行政运行 (row #1, subject); subject_code: 2010101; measure: total",
]
REPAIRED = ["[warn] subject_code_repaired: observed printed 20101 行政运行; expected 2010101",
            "where: table 部门支出总表 row 3 page 1: truncated"]
UNIT_DECLARED = ["[warn] table_unit_declared: observed no 单位 declared; expected assumed 元",
                 "where: table 支出决算表 page 2"]


def test_a_finding_of_several_measures_is_one_line_values_that_differ_stay_apart(warehouse, capsys):
    rc, out, err = report(capsys, warehouse)
    assert (rc, err) == (0, "")
    lines = out.splitlines()
    assert lines.index(FINAL_HEAD) < lines.index(BUDGET_HEAD)  # fiscal year, then title (决 < 预)
    assert findings(out) == UNIT_DECLARED + CONFLICTS + MERGED + REPAIRED  # errors first, then by check
    assert "== Execution: 某县某局 2024 (budget against final accounts)" in out


@pytest.mark.parametrize("argv, heads, shown", [
    (["--severity", "error"], [FINAL_HEAD, BUDGET_HEAD], CONFLICTS + MERGED),
    (["--severity", "warn"], [FINAL_HEAD, BUDGET_HEAD], UNIT_DECLARED + REPAIRED),
    (["--document", BUDGET.id[:8]], [BUDGET_HEAD], CONFLICTS + MERGED + REPAIRED),  # id prefix
    (["--document", "FINAL-2024.PDF"], [FINAL_HEAD], UNIT_DECLARED),  # file name, any case
    (["--document", "部门决算"], [FINAL_HEAD], UNIT_DECLARED),  # part of the title
    (["--document", "final", "--document", BUDGET.id], [FINAL_HEAD, BUDGET_HEAD],
     UNIT_DECLARED + CONFLICTS + MERGED + REPAIRED),
    (["--document", "budget", "--severity", "warn"], [BUDGET_HEAD], REPAIRED),
])
def test_filters_by_document_and_severity(warehouse, capsys, argv, heads, shown):
    rc, out, err = report(capsys, warehouse, *argv)
    assert (rc, err) == (0, "")
    assert [ln for ln in out.splitlines() if ln.startswith("== ") and "Execution" not in ln] == heads
    assert findings(out) == shown


def test_an_unknown_document_is_one_line(warehouse, capsys):
    rc, out, err = report(capsys, warehouse, "--document", "nowhere")
    assert (rc, out) == (1, "")
    assert err == ("error: no document matches --document nowhere (2 documents in the warehouse; "
                   "match an id prefix, or part of a file name or title)\n")


@pytest.mark.parametrize("argv, status", [
    ([], 0),
    (["--fail-on", "error"], 3),
    (["--fail-on", "warn"], 3),
    (["--fail-on", "error", "--document", "final"], 0),  # the final accounts have a warning only
    (["--fail-on", "warn", "--document", "final"], 3),
    (["--fail-on", "error", "--severity", "warn"], 3),  # --severity narrows the listing, not the gate
])
def test_fail_on_gates_the_exit_status(warehouse, capsys, argv, status):
    assert report(capsys, warehouse, *argv)[0] == status


def test_an_empty_or_older_duckdb_file_is_explained(tmp_path, capsys):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    rc, out, err = report(capsys, empty)
    assert (rc, out) == (1, "")
    assert err == (f"error: {empty} has no warehouse tables (an empty DuckDB database?): "
                   f"load it with `budget-etl ingest --warehouse {empty}` first\n")
    older = tmp_path / "older.duckdb"
    con = duckdb.connect(str(older))
    con.execute("CREATE TABLE dim_document (document_id VARCHAR, title VARCHAR, file_name VARCHAR, status VARCHAR)")
    con.close()
    rc, out, err = report(capsys, older)
    assert (rc, out) == (1, "")
    assert err.startswith(f"error: {older} lacks dim_document.status_reason, dim_document.fiscal_year, "
                          "dq_check_result.document_id,") and err.count("\n") == 1
    assert err.endswith(f"`budget-etl ingest --warehouse {older}` brings a budget-etl warehouse up to date\n")
    rc, out, err = run(capsys, "sql", "SELECT * FROM dim_document", "--warehouse", str(empty))
    assert err.startswith("error: Catalog Error: Table with name dim_document does not exist!") and err.endswith(
        "(this warehouse has no tables yet: run `budget-etl ingest`)\n")


def _not_duckdb(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    text, blank, lite, folder = (tmp_path / n for n in ("notes.txt", "blank.duckdb", "lite.db", "folder"))
    text.write_text("not a database\n", encoding="utf-8")
    blank.write_bytes(b"")
    sqlite3.connect(lite).execute("CREATE TABLE t (a)").connection.commit()
    folder.mkdir()
    usual = "--warehouse takes the DuckDB file that `budget-etl ingest` writes (default data/warehouse/budget.duckdb)."
    return {
        "text": (text, f"{text} is not a DuckDB database file; {usual}"),
        "empty file": (blank, f"{blank} is an empty file; {usual}"),
        "sqlite": (lite, f"{lite} is a SQLite database; {usual}"),
        "folder": (folder, f"{folder} is a folder; --warehouse takes the DuckDB file, e.g. {folder / 'budget.duckdb'}."),
        "missing": (tmp_path / "none.duckdb", f"No warehouse at {tmp_path / 'none.duckdb'}. Run `budget-etl ingest` "
                                              "(or `make run`) first, or pass --warehouse."),
    }


@pytest.mark.parametrize("case", ["text", "empty file", "sqlite", "folder", "missing"])
def test_a_warehouse_that_is_not_one_is_one_line(tmp_path, capsys, case):
    path, message = _not_duckdb(tmp_path)[case]
    for command in (["sql", "SELECT 1"], ["report"], ["report", "--html", str(tmp_path / "site")]):
        rc, out, err = run(capsys, *command, "--warehouse", str(path))
        assert (rc, out, err) == (1, "", f"error: {message}\n"), command
    assert path.exists() == (case != "missing")  # a reader never creates the file


def test_ingest_into_a_file_that_is_not_a_warehouse_is_one_line(tmp_path, capsys):
    path, message = _not_duckdb(tmp_path)["text"]
    rc, out, err = run(capsys, "ingest", str(TEXT / "jiaxing-npc-office-2024.txt"), "--warehouse", str(path))
    assert (rc, out, err) == (1, "", f"error: {message}\n")
    assert path.read_text(encoding="utf-8") == "not a database\n"


def test_version_is_the_installed_package(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"budget-etl {version('budget-etl')}\n"


def test_every_option_has_help_and_every_command_an_example(capsys):
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == {"ingest", "sql", "report"}
    for name, command in sub.choices.items():
        undocumented = [a.dest for a in command._actions if not a.help]
        assert undocumented == [], name
        with pytest.raises(SystemExit):
            cli.main([name, "--help"])
        text = capsys.readouterr().out
        assert "\nexamples:\n  budget-etl " + name in text  # the epilog keeps its lines
        assert "exit status: 0" in text
    assert [a.dest for a in parser._actions if not a.help] == []


def test_a_warehouse_without_documents_says_so(tmp_path, capsys):
    from pipeline.warehouse.connect import open_writer

    open_writer(tmp_path / "fresh.duckdb").close()  # the schema, no document yet
    rc, out, err = report(capsys, tmp_path / "fresh.duckdb", "--fail-on", "warn")
    assert (rc, err) == (0, "")
    assert out.splitlines()[0] == "(no documents in the warehouse yet: `budget-etl ingest` loads them)"
    # every section says when it has nothing: no final accounts, no execution to show
    assert out.splitlines()[-1] == ("== Execution (budget against final accounts): none: no final account of a "
                                    "unit and year is loaded beside its budget")


def test_the_html_index_counts_findings_as_the_report_does(warehouse, tmp_path, capsys):
    """The budget fails one identity under two measures with the same values, and (added here) one warning
    check under two measures: `report` says 3 errors and 2 warnings, and so does the HTML index (it counted
    4 and 3 failed rows)."""
    import shutil

    import duckdb

    from budget_cli.site.build import write_site

    copy = shutil.copy(warehouse, tmp_path / "budget.duckdb")
    con = duckdb.connect(str(copy))
    try:
        for measure in ("total", "basic"):
            con.execute("INSERT INTO dq_check_result (run_id, document_id, check_name, severity, success, observed, "
                        "expected, details, checked_at, table_index, row_index, measure) VALUES ('r1', ?, "
                        "'subject_label_mismatch', 'warn', false, 'printed 2010101 人大会议', "
                        "'the label of 2010101: 行政运行', 'table: 部门支出总表; row: 人大会议 (row #2, subject)', "
                        "now(), 0, 2, ?)", [BUDGET.id, measure])
    finally:
        con.close()
    rc, out, _ = report(capsys, copy, "--document", "budget")
    assert rc == 0 and BUDGET_HEAD.replace("1 warnings", "2 warnings") in out.splitlines()
    con = duckdb.connect(str(copy), read_only=True)
    try:
        index = write_site(con, tmp_path / "site").read_text(encoding="utf-8")
    finally:
        con.close()
    (row,) = [r for r in index.split("<tr")[1:] if ">budget-2024.pdf<" in r]
    assert 'badge error">3 errors<' in row and 'badge warn">2 warnings<' in row
