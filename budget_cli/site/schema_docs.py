"""The warehouse's tables and columns, like a dbt docs site: DuckDB says what exists, the contract
(docs/warehouse-contract.md) and the README's extension notes say what each column means.

The documents are read from the repository checkout the package runs from; without them (an
installed copy) the columns keep DuckDB's own comments, usually none, and the page says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from budget_cli.site.queries import Warehouse, row_count

REPO = Path(__file__).resolve().parents[2]
CONTRACT = REPO / "docs" / "warehouse-contract.md"
README = REPO / "README.md"

_HEADING = re.compile(r"^###\s+(?P<names>[^—]+?)(?:\s+—\s+(?P<about>.*))?$")
_ROW = re.compile(r"^\|(?P<col>[^|]+)\|(?P<type>[^|]*)\|(?P<meaning>.*)\|\s*$")
_NAMES = re.compile(r"`?([a-z_][a-z0-9_]*)`?")
_BULLET = re.compile(r"^- (?:\*\*)?((?:`[a-z_.]+`(?:\s*/\s*|,\s*)?)+)(?:\*\*)?\s*(—|:)\s*(.*)$")
# `name` (meaning) or `table.column` (meaning): a parenthesis right after a name explains that name.
_GROUP = re.compile(r"`([a-z_.]+)`\s*\(((?:[^()`]|`[^`]*`|\([^()]*\))*)\)")
# Tables the documents describe through another: the contract gives fact_income "the same columns",
# the README calls v_expenditure "fact_expenditure plus amount_wan_yuan".
SAME_COLUMNS_AS = {"fact_income": "fact_expenditure", "v_expenditure": "fact_expenditure"}


@dataclass
class Column:
    name: str
    data_type: str
    nullable: bool
    meaning: str = ""
    values: list[str] = field(default_factory=list)  # an enum's values found in the warehouse


@dataclass
class TableDoc:
    name: str
    kind: str  # 'table' | 'view'
    about: str
    rows: int | None
    columns: list[Column] = field(default_factory=list)
    sql: str | None = None
    primary_key: list[str] = field(default_factory=list)


def _contract(text: str) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """(table → description, (table, column) → meaning) from the contract's ### sections."""
    about: dict[str, str] = {}
    meanings: dict[tuple[str, str], str] = {}
    tables: list[str] = []
    for line in text.splitlines():
        if m := _HEADING.match(line):
            tables = [n for n in _NAMES.findall(m["names"]) if "_" in n]
            for t in tables:
                if m["about"]:
                    about.setdefault(t, m["about"].strip())
        elif (m := _ROW.match(line)) and tables and m["col"].strip() not in ("column", "---"):
            for col in (c.strip(" `") for c in m["col"].split(",")):
                for t in tables:
                    meanings.setdefault((t, col), m["meaning"].strip())
    return about, meanings


def _readme_bullets(text: str) -> list[tuple[list[str], bool, str]]:
    """(table names, whether the bullet describes them (``—``) or lists their columns (``:``), text)
    of each bullet that starts with backticked names."""
    out: list[tuple[list[str], bool, str]] = []
    for block in re.split(r"\n(?=- )", text):
        joined = " ".join(line.strip() for line in block.splitlines())
        if m := _BULLET.match(joined):
            out.append((re.findall(r"`([a-z_.]+)`", m[1]), m[2] == "—", m[3]))
    return out


def _readme(text: str) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    about: dict[str, str] = {}
    meanings: dict[tuple[str, str], str] = {}
    for names, describes, body in _readme_bullets(text):
        tables = [n for n in names if "." not in n]
        if describes:
            for t in tables:
                about.setdefault(t, body.split(". ")[0].rstrip(".").replace("`", ""))
        for col, meaning in _GROUP.findall(body):
            table, _, column = col.rpartition(".")
            for t in [table] if table else tables:
                meanings.setdefault((t, column), meaning.replace("`", ""))
    return about, meanings


def documented() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """What the contract, then the README, say about tables and columns (the contract wins)."""
    about: dict[str, str] = {}
    meanings: dict[tuple[str, str], str] = {}
    for path, parse in ((CONTRACT, _contract), (README, _readme)):
        if path.is_file():
            a, m = parse(path.read_text(encoding="utf-8"))
            about |= {k: v for k, v in a.items() if k not in about}
            meanings |= {k: v for k, v in m.items() if k not in meanings}
    return about, meanings


def _meaning(meanings: dict[tuple[str, str], str], table: str, column: str) -> str:
    """The column's own meaning, else the table it copies, else the same column's in another table
    ("as above" in the contract)."""
    own = meanings.get((table, column), "")
    if own and own != "as above":
        return own
    if table in SAME_COLUMNS_AS:
        return _meaning(meanings, SAME_COLUMNS_AS[table], column)
    others = [m for (t, c), m in meanings.items() if c == column and m and m != "as above"]
    return others[0] if others else own


def table_docs(wh: Warehouse) -> list[TableDoc]:
    """Every table and view of the main schema, tables first, with typed and explained columns."""
    about, meanings = documented()
    objects = wh.rows("""
        SELECT t.table_name, t.table_type, v.sql, c.comment
        FROM information_schema.tables t
        LEFT JOIN duckdb_views() v ON v.view_name = t.table_name AND v.schema_name = 'main'
        LEFT JOIN duckdb_tables() c ON c.table_name = t.table_name AND c.schema_name = 'main'
        WHERE t.table_schema = 'main' ORDER BY t.table_type, t.table_name""")
    columns = wh.rows("""
        SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'YES' AS nullable, d.comment
        FROM information_schema.columns c
        LEFT JOIN duckdb_columns() d ON d.table_name = c.table_name AND d.column_name = c.column_name
             AND d.schema_name = 'main'
        WHERE c.table_schema = 'main' ORDER BY c.table_name, c.ordinal_position""")
    keys = wh.rows("""SELECT table_name, constraint_column_names AS cols FROM duckdb_constraints()
                      WHERE schema_name = 'main' AND constraint_type = 'PRIMARY KEY'""")
    pk = {k["table_name"]: list(k["cols"]) for k in keys}
    docs = []
    for obj in objects:
        name = obj["table_name"]
        is_view = obj["table_type"] == "VIEW"
        described = about.get(name) or about.get(SAME_COLUMNS_AS.get(name, ""), "")
        doc = TableDoc(name, "view" if is_view else "table", described or obj["comment"] or "",
                       None if is_view else row_count(wh, name), sql=obj["sql"] if is_view else None,
                       primary_key=pk.get(name, []))
        doc.columns = [Column(c["column_name"], c["data_type"], c["nullable"],
                              _meaning(meanings, name, c["column_name"]) or c["comment"] or "")
                       for c in columns if c["table_name"] == name]
        if not is_view:
            enum_values(wh, name, doc.columns)
        docs.append(doc)
    return docs


MAX_ENUM = 40
_ENUM_VALUE = re.compile(r"^[a-z][a-z0-9_]*$")


def enum_values(wh: Warehouse, table: str, columns: list[Column]) -> None:
    """Fill the values of each text column that holds a few snake_case codes (stage, measure,
    table_kind, …): what an analyst may filter on. Distinct counts are estimated first, so a large
    warehouse lists no column of ids."""
    text = [c for c in columns if c.data_type == "VARCHAR" and not c.name.endswith("_id")]  # ids are no enum
    if not text:
        return
    counts = wh.rows("SELECT " + ", ".join(f'approx_count_distinct("{c.name}") AS "{c.name}"' for c in text)
                     + f' FROM "{table}"')[0]
    few = [c for c in text if 0 < counts[c.name] <= MAX_ENUM * 2]
    if not few:
        return
    found = wh.rows("SELECT " + ", ".join(f'list(DISTINCT "{c.name}" ORDER BY "{c.name}") AS "{c.name}"'
                                          for c in few) + f' FROM "{table}"')[0]
    for c in few:
        values = [v for v in found[c.name] or [] if v is not None]
        if 0 < len(values) <= MAX_ENUM and all(_ENUM_VALUE.match(v) for v in values):
            c.values = values


def sources_found() -> list[str]:
    """Which documents the meanings came from (repository paths)."""
    return [str(p.relative_to(REPO)) for p in (CONTRACT, README) if p.is_file()]
