"""`budget-etl sql` as the DuckDB CLI's user expects it: query sources, a row cap, every type as JSON,
export through --output, and SQL that can read the warehouse and nothing else."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from cli_warehouse import BUDGET, build

import budget_cli.main as cli


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("sql") / "budget.duckdb")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = cli.main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def sql(capsys, warehouse: Path, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "sql", *argv, "--warehouse", str(warehouse))


def one_line_error(rc: int, out: str, err: str) -> str:
    assert (rc, out) == (1, ""), err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    return err.removeprefix("error: ").rstrip("\n")


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_query_comes_from_the_argument_a_file_or_standard_input(warehouse, capsys, tmp_path, monkeypatch):
    q = "SELECT count(*) AS documents FROM dim_document"
    assert sql(capsys, warehouse, q, "--format", "csv")[1] == "documents\n2\n"  # no BOM, no CR on stdout
    (tmp_path / "q.sql").write_text(f"-- the documents\n{q};\n", encoding="utf-8")
    assert sql(capsys, warehouse, "-f", str(tmp_path / "q.sql"), "--format", "csv")[1].splitlines()[1] == "2"
    for argv in (["-"], [], ["-f", "-"]):  # `-`, nothing with input piped in, -f -
        monkeypatch.setattr("sys.stdin", io.StringIO("SELECT 'piped' AS source"))
        rc, out, err = sql(capsys, warehouse, *argv, "--format", "csv")
        assert (rc, out.splitlines(), err) == (0, ["source", "piped"], ""), argv
    monkeypatch.setattr("sys.stdin", Tty(""))
    assert "no query: pass one as an argument" in one_line_error(*sql(capsys, warehouse))


@pytest.mark.parametrize("argv, message", [
    (["", ], "the query is empty"),
    ([" \n\t "], "the query is empty"),
    (["-- only a comment\n;"], "the query has no SQL statement"),
    (["SELECT 1", "-f", "q.sql"], "give the query either as an argument or with -f FILE, not both"),
    (["-f", "no-such.sql"], "cannot read the query file no-such.sql: No such file or directory"),
])
def test_an_empty_or_missing_query_is_one_line(warehouse, capsys, monkeypatch, tmp_path, argv, message):
    monkeypatch.chdir(tmp_path)
    assert one_line_error(*sql(capsys, warehouse, *argv)) == message


def test_empty_standard_input_is_an_empty_query(warehouse, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert one_line_error(*sql(capsys, warehouse)) == "the query is empty (read from standard input)"


def test_a_table_is_capped_with_a_note_and_limit_changes_the_cap(warehouse, capsys):
    q = "SELECT range AS i FROM range(1234)"
    rc, out, err = sql(capsys, warehouse, q)
    header, rule, *body, footer = out.rstrip("\n").split("\n")
    assert (rc, err, header.strip(), len(body), body[-1].strip()) == (0, "", "i", 1000, "999")
    assert footer == ("(1234 rows, 1000 shown, 234 left out: --limit 0 shows all, "
                      "--format csv --output FILE exports them)")
    _, out, _ = sql(capsys, warehouse, q, "--limit", "5")
    assert out.splitlines()[2:] == ["0", "1", "2", "3", "4", out.splitlines()[-1]]
    assert "1229 left out" in out.splitlines()[-1]
    _, out, _ = sql(capsys, warehouse, q, "--limit", "0")
    assert len(out.splitlines()) == 2 + 1234 + 1 and out.splitlines()[-1] == "(1234 rows)"


def test_data_formats_carry_every_row_unless_limited(warehouse, capsys):
    q = "SELECT range AS i FROM range(1234)"
    rc, out, err = sql(capsys, warehouse, q, "--format", "csv")
    assert (rc, err, len(out.splitlines())) == (0, "", 1235)
    rc, out, err = sql(capsys, warehouse, q, "--format", "jsonl", "--limit", "3")
    assert [json.loads(ln) for ln in out.splitlines()] == [{"i": 0}, {"i": 1}, {"i": 2}]
    assert err == "note: --limit 3 left 1231 more rows out\n"  # on stderr: the data stays clean
    rc, out, _ = sql(capsys, warehouse, q, "--format", "json")
    assert len(json.loads(out)) == 1234
    with pytest.raises(SystemExit):
        cli.main(["sql", q, "--limit", "-1", "--warehouse", str(warehouse)])
    assert "expected a whole number ≥ 0, got '-1'" in capsys.readouterr().err


TYPES = """SELECT 1.50::DECIMAL(20,2) AS d, 'nan'::DOUBLE AS nan, '-inf'::FLOAT AS ninf, 0.25::DOUBLE AS f,
  DATE '2024-01-02' AS day, TIMESTAMP '2024-01-02 03:04:05.123' AS ts, TIMESTAMPTZ '2024-01-02 03:04:05+08' AS tz,
  TIME '12:34:56' AS t, INTERVAL '1 month 2 days 3 hours 4.5 seconds' AS iv, '\\xAA\\x00'::BLOB AS b,
  '8c3e0b49-8a2c-4f4f-9d0e-2f7f5d0c6a11'::UUID AS u, [1, 2, NULL] AS l, [1, 2]::INTEGER[2] AS arr,
  {'a': 1, 'b': [DATE '2024-01-01']} AS s, MAP {1: 'x', 2: 'y'} AS m,
  170141183460469231731687303715884105727::HUGEINT AS h, '{"k": [1, 2]}'::JSON AS j, true AS yes,
  '嘉兴' AS city, NULL AS nothing, 1 AS a, 2 AS a"""


def test_every_duckdb_type_is_valid_json_never_a_python_repr(warehouse, capsys):
    rc, out, err = sql(capsys, warehouse, TYPES, "--format", "json")
    assert (rc, err) == (0, "")
    for python in ("Decimal(", "datetime.", "UUID(", "b'", "timedelta", "{'"):
        assert python not in out
    [row] = json.loads(out)
    assert datetime.fromisoformat(row.pop("tz")) == datetime(2024, 1, 1, 19, 4, 5, tzinfo=UTC)
    assert row == {
        "d": "1.50", "nan": "NaN", "ninf": "-Infinity", "f": 0.25, "day": "2024-01-02",
        "ts": "2024-01-02T03:04:05.123000", "t": "12:34:56", "iv": "P32DT3H4.5S", "b": "aa00",
        "u": "8c3e0b49-8a2c-4f4f-9d0e-2f7f5d0c6a11", "l": [1, 2, None], "arr": [1, 2],
        "s": {"a": 1, "b": ["2024-01-01"]}, "m": {"1": "x", "2": "y"},
        "h": 170141183460469231731687303715884105727, "j": '{"k": [1, 2]}', "yes": True, "city": "嘉兴",
        "nothing": None, "a": 1, "a_1": 2,  # a repeated name is not lost
    }
    rc, out, _ = sql(capsys, warehouse, TYPES, "--format", "jsonl")
    assert json.loads(out.splitlines()[0])["s"] == {"a": 1, "b": ["2024-01-01"]} and len(out.splitlines()) == 1
    rc, out, _ = sql(capsys, warehouse, TYPES, "--format", "csv")
    header, cells = list(csv.reader(io.StringIO(out)))
    got = dict(zip(header, cells, strict=True))
    assert (got["s"], got["m"], got["l"], got["b"], got["yes"], got["nothing"], got["ts"]) == (
        '{"a": 1, "b": ["2024-01-01"]}', '{"1": "x", "2": "y"}', "[1, 2, null]", "aa00", "true", "",
        "2024-01-02 03:04:05.123000")
    rc, out, _ = sql(capsys, warehouse, TYPES)
    assert rc == 0 and '{"a": 1, "b": ["2024-01-01"]}' in out and "Decimal(" not in out


def test_output_writes_the_result_to_a_file(warehouse, capsys, tmp_path):
    target = tmp_path / "facts.csv"
    q = "SELECT line_item, measure, amount_yuan FROM fact_expenditure WHERE document_id = ? ORDER BY 1, 2"
    q = q.replace("?", f"'{BUDGET.id}'")
    rc, out, err = sql(capsys, warehouse, q, "--format", "csv", "--output", str(target))
    assert (rc, out, err) == (0, "", f"wrote 4 rows to {target}\n")
    # a byte-order mark for spreadsheets, LF line ends for shell tools
    assert target.read_bytes().startswith("\ufeffline_item,".encode()) and b"\r" not in target.read_bytes()
    assert list(csv.reader(target.open(encoding="utf-8-sig", newline=""))) == [
        ["line_item", "measure", "amount_yuan"], ["合计", "basic", "600000.00"], ["合计", "total", "1000000.00"],
        ["行政运行", "basic", "600000.00"], ["行政运行", "total", "600000.00"]]
    # A failing query writes nothing; an unwritable target is one line.
    assert one_line_error(*sql(capsys, warehouse, "SELEC 1", "-o", str(tmp_path / "bad.csv"))).startswith(
        "Parser Error: syntax error")
    assert not (tmp_path / "bad.csv").exists()
    message = one_line_error(*sql(capsys, warehouse, "SELECT 1", "-o", str(tmp_path / "no" / "x.csv")))
    assert message == f"cannot write {tmp_path / 'no' / 'x.csv'}: No such file or directory"


REFUSED = "budget-etl sql reads the warehouse only"


def test_an_excel_export_keeps_numbers_numbers_and_chinese_text(warehouse, capsys, tmp_path):
    """--format xlsx: one sheet, a bold header, amounts as numeric cells with their two decimals shown (exact:
    1,000,000.00 is 1000000.0, not a string), Chinese as text, a date as a date; a DECIMAL too long for a
    double stays text; without --output it is one clear line, nothing written."""
    from openpyxl import load_workbook

    target = tmp_path / "facts.xlsx"
    q = (f"SELECT line_item, measure, amount_yuan, DATE '2026-01-31' AS day, 12345678901234567.89::DECIMAL(20,2) "
         f"AS big FROM fact_expenditure WHERE document_id = '{BUDGET.id}' ORDER BY 1, 2")
    rc, out, err = sql(capsys, warehouse, q, "--format", "xlsx", "--output", str(target))
    assert (rc, out, err) == (0, "", f"wrote 4 rows to {target}\n")
    sheet = load_workbook(target).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["line_item", "measure", "amount_yuan", "day", "big"] and sheet["A1"].font.bold
    assert [r[:3] for r in rows[1:]] == [["合计", "basic", 600000.0], ["合计", "total", 1000000.0],
                                         ["行政运行", "basic", 600000.0], ["行政运行", "total", 600000.0]]
    assert sheet["C2"].number_format == "#,##0.00" and sheet["D2"].value.date().isoformat() == "2026-01-31"
    assert sheet["E2"].value == "12345678901234567.89"
    assert one_line_error(*sql(capsys, warehouse, "SELECT 1", "--format", "xlsx")) == (
        "--format xlsx writes an Excel workbook: give it a file with --output FILE.xlsx")


@pytest.mark.parametrize("statement, duckdb_says", [
    ("COPY (SELECT 1) TO '{tmp}/copied.csv'", 'Cannot access file "{tmp}/copied.csv"'),
    ("COPY dim_document TO '{tmp}/copied.parquet' (FORMAT parquet)", "Cannot access file"),
    ("EXPORT DATABASE '{tmp}/copied'", "Cannot access file"),
    ("ATTACH '{tmp}/other.duckdb' AS other", 'Cannot access file "{tmp}/other.duckdb"'),
    ("INSTALL httpfs", "Cannot access directory"),
    ("LOAD httpfs", "Loading external extensions is disabled"),
    ("SELECT * FROM read_text('{tmp}/secret.txt')", 'Cannot access file "{tmp}/secret.txt"'),
    ("SELECT * FROM read_csv('{tmp}/secret.txt')", 'Cannot access file "{tmp}/secret.txt"'),
    ("SELECT * FROM read_blob('/etc/hostname')", 'Cannot access file "/etc/hostname"'),
    ("SELECT * FROM glob('{tmp}/*')", "Cannot access file"),
    ("SET enable_external_access = true", "the configuration has been locked"),
    ("SET threads = 1", "the configuration has been locked"),
])
def test_files_extensions_and_settings_are_refused(warehouse, capsys, tmp_path, statement, duckdb_says):
    (tmp_path / "secret.txt").write_text("a secret\n", encoding="utf-8")
    duckdb.connect(str(tmp_path / "other.duckdb")).close()
    before = sorted(tmp_path.iterdir())
    message = one_line_error(*sql(capsys, warehouse, statement.format(tmp=tmp_path)))
    assert duckdb_says.format(tmp=tmp_path) in message and message.endswith(
        f"({REFUSED}: no files, extensions, other databases or settings; "
        "export a result with --format csv|json|jsonl --output FILE)")
    assert "a secret" not in message
    assert sorted(tmp_path.iterdir()) == before  # nothing written


@pytest.mark.parametrize("statement", ["DROP TABLE dim_document", "DELETE FROM fact_expenditure",
                                       "CREATE TABLE t AS SELECT 1"])
def test_writing_the_warehouse_is_refused(warehouse, capsys, statement):
    assert "read-only" in one_line_error(*sql(capsys, warehouse, statement))


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_amounts_in_wan_yuan_print_without_the_scales_padding(warehouse, capsys, fmt):
    """v_expenditure's amount_wan_yuan is DECIMAL(24,6): 1348.91 万元 prints as 1348.91, not 1348.910000; the
    digits that are there stay (12.3456), and a whole amount keeps its cents (5.00)."""
    q = ("SELECT CAST(13489100 AS DECIMAL(20, 2)) / 10000 :: DECIMAL(24, 6) AS a, "
         "CAST(12.3456 AS DECIMAL(24, 6)) AS b, CAST(5 AS DECIMAL(24, 6)) AS c, CAST(1.5 AS DECIMAL(4, 1)) AS d")
    rc, out, err = sql(capsys, warehouse, q, "--format", fmt)
    assert (rc, err) == (0, "")
    for printed in ("1348.91", "12.3456", "5.00", "1.5"):
        assert printed in out, out
    assert "000" not in out.replace("13489100", "")


def test_the_warehouse_its_views_and_builtin_functions_still_answer(warehouse, capsys):
    q = """SELECT count(*) AS facts, sum(amount_yuan) AS yuan,
                  (SELECT count(*) FROM v_budget_vs_final) > 0 AS compared,
                  json_extract('{"a": 7}', '$.a')::INT AS seven, current_database() AS catalog
           FROM fact_expenditure"""
    rc, out, err = sql(capsys, warehouse, q, "--format", "json")
    assert (rc, err) == (0, "")
    assert json.loads(out) == [{"facts": 5, "yuan": "3430500.00", "compared": True, "seven": 7,
                                "catalog": "budget"}]


def test_hardened_while_this_process_holds_the_file_another_way(warehouse, capsys, tmp_path):
    """DuckDB refuses a second configuration for a file open in this process: the reader then uses a
    private instance, as hardened, and the catalog keeps the file's name."""
    held = duckdb.connect(str(warehouse), read_only=True)
    try:
        rc, out, _ = sql(capsys, warehouse, "SELECT current_database() AS c, count(*) AS n FROM dim_document",
                         "--format", "csv")
        assert (rc, out.splitlines()) == (0, ["c,n", "budget,2"])
        message = one_line_error(*sql(capsys, warehouse, f"COPY dim_document TO '{tmp_path}/x.csv'"))
        assert REFUSED in message and not (tmp_path / "x.csv").exists()
        assert "locked" in one_line_error(*sql(capsys, warehouse, "SET enable_external_access = true"))
        assert held.execute("SELECT count(*) FROM dim_document").fetchone() == (2,)  # the other one is unharmed
    finally:
        held.close()
