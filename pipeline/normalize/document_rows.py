"""The dimension rows a loaded document contributes: its dim_document row, its department's units
and their aliases, and the inventory of the budget tables read (for the empty-table checks).
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from pipeline.extract.layout import is_no_data_note
from pipeline.model import ExtractedDocument, ExtractedTable
from pipeline.normalize.areas import Area, area_of, area_of_name
from pipeline.normalize.document_meta import DocumentMeta
from pipeline.normalize.units import UnitRegistry, region_parts
from pipeline.reference.departments import department_type_of

INVENTORY_SCHEMA = {"document_id": pl.Utf8, "table_index": pl.Int32, "table_kind": pl.Utf8,
                    "table_title": pl.Utf8, "has_no_data_note": pl.Boolean, "page": pl.Int32}


def document_row(
    doc: ExtractedDocument, meta: DocumentMeta, units: UnitRegistry, kinds: list[str], ingested_at: datetime
) -> dict:
    """The dim_document row of a document that loads; ``kinds`` has one entry per budget table read."""
    raw = doc.raw
    return {
        "document_id": raw.document_id,
        "file_name": raw.file_name,
        "file_format": raw.file_format,
        "title": meta.title,
        "fiscal_year": meta.fiscal_year,
        "department_unit_id": units.department.unit_id,
        "page_count": doc.page_count,
        "status": "loaded",
        "status_reason": None,
        "ingested_at": ingested_at,
        "file_size_bytes": raw.size_bytes,
        "table_count": len(kinds),
        "document_kind": meta.document_kind,
        "disclosure_level": meta.disclosure_level,
        "text_source": doc.text_source,
        "table_kinds": " ".join(sorted(set(kinds))) or None,
    }


def unit_areas(units: UnitRegistry) -> dict[str, Area | None]:
    """Where each unit sits: by its own name; a place its name shares with other areas (普陀区) within its
    department's area; else where its department sits."""
    department = area_of_name(units.department.unit_name)

    def placed(name: str) -> Area | None:
        own = area_of_name(name)
        if own is not None or department is None:
            return own or department
        parts = region_parts(name)
        return (area_of([*department.levels, *parts]) if parts else None) or department

    return {u.unit_id: placed(u.unit_name) for u in units.units.values()}


def unit_rows(units: UnitRegistry, areas: dict[str, Area | None]) -> list[dict]:
    rows = []
    for u in units.units.values():
        area = areas.get(u.unit_id)
        rows.append(dict(
            unit_id=u.unit_id, unit_name=u.unit_name, unit_code=u.unit_code, parent_unit_id=u.parent_unit_id,
            region=u.region, province=area.province if area else None, city=area.city if area else None,
            county=area.county if area else None, adcode=area.adcode if area else None,
            department_type=department_type_of(u.unit_name),
        ))
    return rows


def alias_rows(units: UnitRegistry) -> list[dict]:
    return [dict(alias=a, unit_id=uid) for a, uid in sorted(units.alias_index.items())]


def table_inventory(document_id: str, budget_tables: list[tuple[ExtractedTable, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            dict(document_id=document_id, table_index=t.index, table_kind=k, table_title=t.title,
                 has_no_data_note=any(is_no_data_note(n) for n in t.notes), page=t.page)
            for t, k in budget_tables
        ],
        schema=INVENTORY_SCHEMA,
    )
