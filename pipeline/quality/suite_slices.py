"""The rows of every frame that concern one document, for running the suites per document.

Dimension tables are sliced to what a document uses: its units (and their parents), their
aliases, and its subject codes (and their parents).
"""

from __future__ import annotations

import polars as pl


def document_ids(frames: dict[str, pl.DataFrame]) -> list[str]:
    """Every document named by dim_document or by a frame's document_id column, sorted."""
    ids: set[str] = set()
    for frame in frames.values():
        if frame is not None and "document_id" in frame.columns:
            ids.update(v for v in frame.get_column("document_id").to_list() if v is not None)
    return sorted(ids)


def _values(frame: pl.DataFrame | None, col: str) -> set:
    if frame is None or col not in frame.columns:
        return set()
    return {v for v in frame.get_column(col).to_list() if v is not None}


def document_slices(frames: dict[str, pl.DataFrame], document_id: str) -> dict[str, pl.DataFrame]:
    """The rows of every frame that concern one document.

    Frames with a document_id column are filtered on it; dim_unit to the document's units and
    their parents, dim_unit_alias to those units, dim_subject_code to the document's codes and
    their parents; other frames are passed whole.
    """
    out: dict[str, pl.DataFrame] = {}
    for name, frame in frames.items():
        if frame is not None and "document_id" in frame.columns:
            out[name] = frame.filter(pl.col("document_id") == document_id)
    units: set = set()
    codes: set = set()
    for frame in out.values():
        units |= _values(frame, "unit_id") | _values(frame, "department_unit_id")
        codes |= _values(frame, "subject_code")
    dim_unit = frames.get("dim_unit")
    if dim_unit is not None:
        if {"unit_id", "parent_unit_id"} <= set(dim_unit.columns):
            parents = dict(dim_unit.select("unit_id", "parent_unit_id").iter_rows())
            frontier = set(units)
            while frontier:
                frontier = {parents.get(u) for u in frontier} - units - {None}
                units |= frontier
        out["dim_unit"] = dim_unit.filter(pl.col("unit_id").is_in(list(units))) if "unit_id" in dim_unit.columns else dim_unit
    aliases = frames.get("dim_unit_alias")
    if aliases is not None:
        out["dim_unit_alias"] = (
            aliases.filter(pl.col("unit_id").is_in(list(units))) if "unit_id" in aliases.columns else aliases
        )
    subjects = frames.get("dim_subject_code")
    if subjects is not None:
        codes |= {str(c)[:n] for c in codes for n in (3, 5) if len(str(c)) > n}
        if "parent_code" in subjects.columns and "subject_code" in subjects.columns:
            codes |= _values(subjects.filter(pl.col("subject_code").is_in(list(codes))), "parent_code")
        out["dim_subject_code"] = (
            subjects.filter(pl.col("subject_code").is_in(list(codes))) if "subject_code" in subjects.columns else subjects
        )
    for name, frame in frames.items():
        out.setdefault(name, frame)
    return out
