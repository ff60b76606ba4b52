"""The comparison page: the disclosures side by side, from ``v_disclosure_summary``.

Two groupings a budget supervisor asks for first: the same kind of office across areas (every 审计局),
and one city's departments side by side. Each row is one disclosure with its completeness (standard
tables found, error findings) beside its figures; a figure the disclosure does not print shows as "—".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budget_cli.site.queries import Warehouse

SUMMARY = "v_disclosure_summary"
# The columns the page shows, in order: (column, heading).
FIGURES = (
    ("expenditure_total_yuan", "支出总计"),
    ("basic_yuan", "基本支出"),
    ("project_yuan", "项目支出"),
    ("three_public_total_yuan", "“三公”经费"),
    ("official_reception_yuan", "公务接待费"),
)
STANDARD_TABLES = 8
NOT_PLACED = "not placed in an area"
NO_KIND = "kind of office not listed"


@dataclass
class Group:
    name: str
    rows: list[dict] = field(default_factory=list)


def _area(row: dict) -> str:
    """'浙江省 绍兴市 柯桥区'; a municipality named once ('上海市')."""
    parts = [p for p in (row["province"], row["city"], row["county"]) if p]
    return " ".join(dict.fromkeys(parts)) or NOT_PLACED


def _city(row: dict) -> str:
    """'浙江省 绍兴市', '上海市'; the group of disclosures placed in no city."""
    if not row["city"]:
        return NOT_PLACED
    return " ".join(dict.fromkeys(p for p in (row["province"], row["city"]) if p))


def _grouped(rows: list[dict], key) -> list[Group]:
    groups: dict[str, Group] = {}
    for row in rows:
        name = key(row)
        groups.setdefault(name, Group(name)).rows.append(row)
    # named groups first, by size then name; the catch-all groups last
    return sorted(groups.values(), key=lambda g: (g.name in (NOT_PLACED, NO_KIND), -len(g.rows), g.name))


def comparison(wh: Warehouse) -> dict[str, object]:
    """The page's context: groups by kind of office and by city, or why there are none."""
    if not wh.has(SUMMARY):
        return {"missing": "This warehouse has no v_disclosure_summary (it was written by an older budget-etl): "
                           "`budget-etl ingest` brings it up to date.", "by_kind": [], "by_city": []}
    rows = wh.rows(f"SELECT * FROM {SUMMARY} ORDER BY province, city, county, unit_name, fiscal_year")
    for row in rows:
        row["area"] = _area(row)
    return {
        "missing": None,
        "by_kind": _grouped(rows, lambda r: r["department_type"] or NO_KIND),
        "by_city": _grouped(rows, _city),
    }
