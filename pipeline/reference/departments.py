"""The kind of office a unit is (``dim_unit.department_type``), from ``department_types.csv``.

A unit's name is matched by its longest listed ending, after any bracketed tail ('（本级）'); a name
whose ending is not listed has no type. See ``SOURCE.md`` for what the list holds.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib.resources import files

from pipeline.text import BRACKETED_TAIL


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, str], ...]:
    """(name ending, department type) in the file's order."""
    text = files("pipeline.reference").joinpath("department_types.csv").read_text(encoding="utf-8")
    return tuple((r["name_ending"], r["department_type"]) for r in csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def _longest_first() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(_rows(), key=lambda row: -len(row[0])))


def department_type_of(unit_name: str) -> str | None:
    """'某市审计局' → 'audit'; '某市公安局交通管理局' → None (no listed ending)."""
    name = BRACKETED_TAIL.sub("", "".join(unit_name.split()))
    return next((kind for ending, kind in _longest_first() if name.endswith(ending)), None)


def department_types() -> tuple[str, ...]:
    """Every type the list gives, in the order it first names them."""
    return tuple(dict.fromkeys(kind for _, kind in _rows()))
