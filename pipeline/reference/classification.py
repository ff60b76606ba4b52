"""The official 政府收支分类科目 reference behind ``dim_subject_code``.

Plain functions over the CSV shipped as package data (``subject_codes.csv``); see ``SOURCE.md``
beside it for the edition and how complete each 类/款 is. No Dagster import here.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import polars as pl

CSV_NAME = "subject_codes.csv"

# Column order and dtypes of the table (and of dim_subject_code).
SCHEMA: dict[str, pl.DataType] = {
    "subject_code": pl.Utf8(),
    "classification": pl.Utf8(),
    "subject_name": pl.Utf8(),
    "level": pl.Int16(),
    "parent_code": pl.Utf8(),
}

REFERENCE = "reference"  # dim_subject_code.source of the shipped list's rows
FUNCTION = "function"  # 支出功能分类: 类 3 digits, 款 5, 项 7; codes start with 2
ECONOMIC = "economic"  # 部门预算支出经济分类: 类 3 digits, 款 5; codes start with 3
GOV_ECONOMIC = "gov_economic"  # 政府预算支出经济分类: 类 3 digits, 款 5; codes start with 5

# Code length -> level (1 类, 2 款, 3 项) for each classification.
LEVEL_BY_LENGTH: dict[str, dict[int, int]] = {
    FUNCTION: {3: 1, 5: 2, 7: 3},
    ECONOMIC: {3: 1, 5: 2},
    GOV_ECONOMIC: {3: 1, 5: 2},
}

_FUNCTION_RE = re.compile(r"2\d{2}(?:\d{2}){0,2}")
_ECONOMIC_RE = re.compile(r"3\d{2}(?:\d{2})?")
_GOV_ECONOMIC_RE = re.compile(r"5\d{2}(?:\d{2})?")


@dataclass(frozen=True, slots=True)
class Subject:
    """One 科目: a 类, 款 or 项 of either classification."""

    code: str
    classification: str
    name: str
    level: int
    parent_code: str | None


def _csv_text() -> str:
    # Read through importlib.resources so it works from a wheel as well as a checkout.
    return files("pipeline.reference").joinpath(CSV_NAME).read_text(encoding="utf-8")


def load_subject_codes() -> pl.DataFrame:
    """The whole reference table, one row per code, with the dtypes of ``SCHEMA`` and dim_subject_code's
    ``source`` and ``fiscal_year``.

    ``parent_code`` is null for level 1 (类). Codes are read as strings, never as numbers.
    """
    # schema= pins every column (no inference, so "201" stays text); the empty parent cell of a
    # 类 row reads as null. Every row is the shipped list's (source 'reference', of no one year).
    listed = pl.read_csv(io.StringIO(_csv_text()), schema=SCHEMA, empty_string_is_null=True)
    return listed.with_columns(pl.lit(REFERENCE).alias("source"), pl.lit(None, pl.Int32).alias("fiscal_year"))


@lru_cache(maxsize=1)
def load_subjects() -> dict[str, Subject]:
    """All subjects keyed by code (cached: the CSV is read once per process)."""
    return {
        row["subject_code"]: Subject(
            code=row["subject_code"],
            classification=row["classification"],
            name=row["subject_name"],
            level=row["level"],
            parent_code=row["parent_code"],
        )
        for row in load_subject_codes().iter_rows(named=True)
    }


def classification_of(code: str) -> str | None:
    """``"function"`` for 2xx codes of 3/5/7 digits, ``"economic"`` for 3xx codes of 3/5 digits,
    ``"gov_economic"`` for 5xx codes of 3/5 digits.

    Anything else (other lengths, other leading digits, non-digits) gives ``None``. Only the
    shape is checked: the code need not be in the reference table.
    """
    code = code.strip()
    if _FUNCTION_RE.fullmatch(code):
        return FUNCTION
    if _ECONOMIC_RE.fullmatch(code):
        return ECONOMIC
    if _GOV_ECONOMIC_RE.fullmatch(code):
        return GOV_ECONOMIC
    return None


def level_of(code: str) -> int | None:
    """1 (类), 2 (款) or 3 (项) from the code's shape, or ``None`` if it is not a subject code."""
    classification = classification_of(code)
    if classification is None:
        return None
    return LEVEL_BY_LENGTH[classification][len(code.strip())]


def lineage(code: str) -> list[Subject]:
    """The subject and its ancestors, 类 first (e.g. 201 > 20101 > 2010101); [] if unknown."""
    subjects = load_subjects()
    chain: list[Subject] = []
    current = subjects.get(code.strip())
    while current is not None:
        chain.append(current)
        current = subjects.get(current.parent_code) if current.parent_code else None
    return chain[::-1]
