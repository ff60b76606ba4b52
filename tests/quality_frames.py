"""Small hand-made frames for the data-quality tests.

``Facts`` writes tables the way they are printed: amounts in the table's unit (万元 by default),
one call per printed row, converted exactly to yuan Decimal(20, 2) facts with the contract's
columns plus the extension columns table_index, row_index, table_title and unit_multiplier.
Facts are budget figures (stage 'budget') unless ``stage`` says otherwise; documents are a
department's budget unless ``dims(document_kind=…)`` says otherwise.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import polars as pl

from pipeline.normalize.context import code_source
from pipeline.reference.departments import department_type_of

FACT_SCHEMA: dict[str, pl.DataType] = {
    "fact_id": pl.Utf8(),
    "document_id": pl.Utf8(),
    "fiscal_year": pl.Int32(),
    "unit_id": pl.Utf8(),
    "table_kind": pl.Utf8(),
    "row_role": pl.Utf8(),
    "subject_code": pl.Utf8(),
    "printed_code": pl.Utf8(),
    "line_item": pl.Utf8(),
    "project_name": pl.Utf8(),
    "measure": pl.Utf8(),
    "amount_yuan": pl.Decimal(20, 2),
    "page": pl.Int32(),
    "source_row": pl.Utf8(),
    "table_index": pl.Int32(),
    "row_index": pl.Int32(),
    "table_title": pl.Utf8(),
    "unit_multiplier": pl.Int64(),
    "stage": pl.Utf8(),
    "fund_source": pl.Utf8(),
    "gov_economic_code": pl.Utf8(),
    "code_source": pl.Utf8(),
}


def doc_id(name: str = "doc-a") -> str:
    return hashlib.sha256(name.encode()).hexdigest()


DOC = doc_id()
DEPT = "u_dept"
SUB = "u_sub"


class Facts:
    """Builder of fact_expenditure / fact_income frames, table by table, row by row."""

    def __init__(self, document_id: str = DOC, fiscal_year: int = 2024, unit_id: str = DEPT,
                 stage: str = "budget") -> None:
        self.stage = stage
        self.document_id = document_id
        self.fiscal_year = fiscal_year
        self.unit_id = unit_id
        self.records: list[dict] = []
        self.table_index = -1
        self.row_index = -1
        self.kind = ""
        self.title: str | None = None
        self.multiplier = 10_000

    def table(self, kind: str, title: str | None = None, unit_multiplier: int = 10_000, index: int | None = None) -> Facts:
        self.table_index = self.table_index + 1 if index is None else index
        self.row_index = -1
        self.kind = kind
        self.title = title or f"2024年{kind}"
        self.multiplier = unit_multiplier
        return self

    def row(
        self,
        role: str,
        label: str,
        amounts: dict[str, str],
        *,
        code: str | None = None,
        printed_code: str | None = None,
        unit: str | None = None,
        project: str | None = None,
        page: int | None = 1,
    ) -> int:
        """One printed row; ``amounts`` maps measure → amount as printed (e.g. '2672.82')."""
        self.row_index += 1
        cells = " | ".join([printed_code or code or "", label, *amounts.values()])
        for measure, printed in amounts.items():
            self.records.append(
                {
                    "fact_id": f"{self.document_id[:8]}-{self.table_index}-{self.row_index}-{label}-{measure}",
                    "document_id": self.document_id,
                    "fiscal_year": self.fiscal_year,
                    "unit_id": unit or self.unit_id,
                    "table_kind": self.kind,
                    "row_role": role,
                    "subject_code": code,
                    "printed_code": printed_code or code,
                    "line_item": label,
                    "project_name": project,
                    "measure": measure,
                    "amount_yuan": (Decimal(printed) * self.multiplier).quantize(Decimal("0.01")),
                    "page": page,
                    "source_row": cells,
                    "table_index": self.table_index,
                    "row_index": self.row_index,
                    "table_title": self.title,
                    "unit_multiplier": self.multiplier,
                    "stage": self.stage,
                    "fund_source": None,
                    "gov_economic_code": None,
                    "code_source": code_source(printed_code or code, code),
                }
            )
        return self.row_index

    def narrative(self, item: str, printed: str, sentence: str | None = None, unit_multiplier: int = 10_000) -> None:
        self.records.append(
            {
                "fact_id": f"{self.document_id[:8]}-narrative-{len(self.records)}",
                "document_id": self.document_id,
                "fiscal_year": self.fiscal_year,
                "unit_id": self.unit_id,
                "table_kind": "narrative",
                "row_role": "item",
                "subject_code": None,
                "printed_code": None,
                "line_item": item,
                "project_name": None,
                "measure": "total",
                "amount_yuan": (Decimal(printed) * unit_multiplier).quantize(Decimal("0.01")),
                "page": None,
                "source_row": sentence or f"{item} {printed} 万元",
                "table_index": None,
                "row_index": None,
                "table_title": None,
                "unit_multiplier": unit_multiplier,
                "stage": self.stage,
                "fund_source": None,
                "gov_economic_code": None,
                "code_source": None,
            }
        )

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.records, schema=FACT_SCHEMA)


def dims(
    document_id: str = DOC,
    *,
    units: dict[str, tuple[str, str | None]] | None = None,
    aliases: dict[str, str] | None = None,
    codes: dict[str, str] | None = None,
    document_kind: str = "budget",
    disclosure_level: str = "department",
) -> dict[str, pl.DataFrame]:
    """dim_document, dim_unit, dim_unit_alias and dim_subject_code frames for one document.

    ``units``: unit_id → (unit_name, parent_unit_id); ``aliases``: alias → unit_id;
    ``codes``: subject_code → subject_name.
    """
    units = units or {DEPT: ("嘉兴市人民代表大会常务委员会办公室", None), SUB: ("嘉兴人大研究信息中心", DEPT)}
    aliases = aliases or {name: uid for uid, (name, _) in units.items()}
    codes = codes or {}
    from datetime import datetime

    dim_document = pl.DataFrame(
        {
            "document_id": [document_id],
            "file_name": ["doc.txt"],
            "file_format": ["text"],
            "title": ["嘉兴市人民代表大会常务委员会办公室2024年部门预算"],
            "fiscal_year": [2024],
            "department_unit_id": [DEPT],
            "page_count": [None],
            "status": ["loaded"],
            "status_reason": [None],
            "ingested_at": [datetime(2024, 3, 1, 12, 0)],
            "document_kind": [document_kind],
            "disclosure_level": [disclosure_level],
        },
        schema_overrides={"page_count": pl.Int32, "status_reason": pl.Utf8, "fiscal_year": pl.Int32},
    )
    dim_unit = pl.DataFrame(
        {
            "unit_id": list(units),
            "unit_name": [n for n, _ in units.values()],
            "unit_code": [None] * len(units),
            "parent_unit_id": [p for _, p in units.values()],
            "region": ["嘉兴市"] * len(units),
            "province": ["浙江省"] * len(units),
            "city": ["嘉兴市"] * len(units),
            "county": [None] * len(units),
            "adcode": ["330400"] * len(units),
            "department_type": [department_type_of(n) for n, _ in units.values()],
        },
        schema_overrides={"unit_code": pl.Utf8, "parent_unit_id": pl.Utf8, "county": pl.Utf8, "department_type": pl.Utf8},
    )
    dim_unit_alias = pl.DataFrame({"alias": list(aliases), "unit_id": list(aliases.values())})

    def level(code: str) -> int:
        return {3: 1, 5: 2, 7: 3}[len(code)]

    def parent(code: str) -> str | None:
        return None if len(code) == 3 else code[: len(code) - 2]

    dim_subject_code = pl.DataFrame(
        {
            "subject_code": list(codes),
            "classification": ["function" if c.startswith("2") else "economic" for c in codes],
            "subject_name": list(codes.values()),
            "level": [level(c) for c in codes],
            "parent_code": [parent(c) for c in codes],
            "source": ["reference"] * len(codes),
            "fiscal_year": [None] * len(codes),
        },
        schema={
            "subject_code": pl.Utf8,
            "classification": pl.Utf8,
            "subject_name": pl.Utf8,
            "level": pl.Int16,
            "parent_code": pl.Utf8,
            "source": pl.Utf8,
            "fiscal_year": pl.Int32,
        },
    )
    return {
        "dim_document": dim_document,
        "dim_unit": dim_unit,
        "dim_unit_alias": dim_unit_alias,
        "dim_subject_code": dim_subject_code,
    }


def failures(outcomes, check_name: str | None = None) -> list:
    """Failed outcomes (optionally of one check) from a list of CheckOutcome."""
    return [o for o in outcomes if not o.success and (check_name is None or o.check_name == check_name)]


def passes(outcomes, check_name: str) -> list:
    return [o for o in outcomes if o.success and o.check_name == check_name]
