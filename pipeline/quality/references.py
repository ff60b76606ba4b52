"""Keys that point elsewhere, and oddities a person should look at.

Errors: a fact whose document or unit is not in its dimension, a department unknown to dim_unit,
a fact_id used by two documents. Warnings: a unit spelled in a way no alias knows, a subject
row whose code could not be matched to dim_subject_code, a table printed without amounts and
without the note that says so (本表无数据 / 空表列示), or a table with that note and amounts.

The empty-table checks need a frame named ``table_inventory`` (an extension, not a warehouse
table): one row per extracted table with ``document_id``, ``table_index``, ``table_kind``,
``table_title`` and ``has_no_data_note`` (BOOLEAN), optionally ``page``. Without it they report
"0 checked" (see :mod:`pipeline.quality.empty_tables`).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipeline.model import Place
from pipeline.outcome import CheckDef, CheckOutcome, CheckTallies
from pipeline.quality.empty_tables import check_empty_tables
from pipeline.schema import FACT_TABLES
from pipeline.text import clip, join_details, squash

REFERENCE_CHECKS: dict[str, CheckDef] = {
    "fact_document_known": CheckDef("error", "every fact's document_id is in dim_document", "references"),
    "fact_unit_known": CheckDef("error", "every fact's unit_id is in dim_unit", "references"),
    "document_department_known": CheckDef(
        "error", "dim_document.department_unit_id is in dim_unit", "references"
    ),
    "fact_id_unique_across_documents": CheckDef(
        "error", "a fact_id / indicator_id belongs to one document only", "references"
    ),
    "unit_spelling_known": CheckDef(
        "warn",
        "a unit named in a table is a known spelling (dim_unit_alias.alias or dim_unit.unit_name)",
        "references",
    ),
    "subject_code_matched": CheckDef("warn", "a subject row's code is matched to dim_subject_code", "references"),
    "empty_table_has_note": CheckDef(
        "warn", "a table printed without amounts says so (本表无数据 / 空表列示)", "references"
    ),
    "no_data_table_has_no_amounts": CheckDef(
        "warn", "a table noted 本表无数据 carries no non-zero amount", "references"
    ),
}

KEYED_TABLES = {"fact_expenditure": "fact_id", "fact_income": "fact_id", "fact_performance_indicator": "indicator_id"}


def _col(frame: pl.DataFrame | None, name: str) -> set:
    if frame is None or name not in frame.columns:
        return set()
    return {v for v in frame.get_column(name).to_list() if v is not None}


def _fact_where(table: str, rec: dict) -> str:
    return join_details(
        {
            "frame": table,
            "table": f"{rec.get('table_title') or '(untitled)'} ({rec.get('table_kind')}, table #{rec.get('table_index')})",
            "row": rec.get("line_item"),
            "subject_code": rec.get("subject_code"),
            "printed_code": rec.get("printed_code"),
            "unit": rec.get("unit_id"),
            "page": rec.get("page"),
            "source_row": clip(rec.get("source_row")),
        }
    )


def _first_rows(frame: pl.DataFrame, by: str) -> dict[object, dict]:
    """First record for each distinct value of ``by``."""
    out: dict[object, dict] = {}
    for rec in frame.to_dicts():
        out.setdefault(rec.get(by), rec)
    return out


def _doc_frame(frame: pl.DataFrame | None, doc: str) -> pl.DataFrame | None:
    if frame is None or "document_id" not in frame.columns:
        return None
    return frame.filter(pl.col("document_id") == doc)


def check_references(frames: dict[str, pl.DataFrame], document_ids: Iterable[str]) -> list[CheckOutcome]:
    """Referential and oddity checks for each document (failures, or one success per check)."""
    dim_document = frames.get("dim_document")
    dim_unit = frames.get("dim_unit")
    aliases = frames.get("dim_unit_alias")
    subjects = frames.get("dim_subject_code")
    inventory = frames.get("table_inventory")
    known_docs = _col(dim_document, "document_id")
    known_units = _col(dim_unit, "unit_id")
    spellings = {squash(a) for a in _col(aliases, "alias") | _col(dim_unit, "unit_name")}
    known_codes = _col(subjects, "subject_code")
    owners = _key_owners(frames)

    outcomes: list[CheckOutcome] = []
    for doc in document_ids:
        tallies = CheckTallies(doc, REFERENCE_CHECKS)
        doc_facts = {table: _doc_frame(frames.get(table), doc) for table in FACT_TABLES}
        for table, facts in doc_facts.items():
            if facts is None or facts.height == 0:
                continue
            _check_fact_keys(table, facts, doc, tallies, dim_document, known_docs, dim_unit, known_units)
            _check_spellings(table, facts, tallies, aliases, dim_unit, spellings)
            _check_subject_codes(table, facts, tallies, subjects, known_codes)
        _check_department(_doc_frame(dim_document, doc), tallies, dim_unit, known_units)
        _check_owners(doc, owners, tallies)
        check_empty_tables(_doc_frame(inventory, doc), doc_facts.values(), tallies)
        outcomes.extend(tallies.outcomes())
    return outcomes


def _check_fact_keys(
    table: str,
    facts: pl.DataFrame,
    doc: str,
    tallies: CheckTallies,
    dim_document: pl.DataFrame | None,
    known_docs: set,
    dim_unit: pl.DataFrame | None,
    known_units: set,
) -> None:
    if dim_document is not None:
        if doc in known_docs:
            tallies["fact_document_known"].passed()
        else:
            tallies["fact_document_known"].failed(
                observed=f"{facts.height} {table} rows of document {doc}",
                expected="document_id present in dim_document",
                details=join_details({"frame": table, "document_id": doc}),
            )
    if dim_unit is not None and "unit_id" in facts.columns:
        for unit, rec in _first_rows(facts, "unit_id").items():
            if unit in known_units:
                tallies["fact_unit_known"].passed()
            else:
                tallies["fact_unit_known"].failed(
                    observed=f"unit_id {unit!r} not in dim_unit",
                    expected="unit_id present in dim_unit",
                    details=_fact_where(table, rec),
                    at=Place.of_record(rec),
                )


def _check_spellings(
    table: str,
    facts: pl.DataFrame,
    tallies: CheckTallies,
    aliases: pl.DataFrame | None,
    dim_unit: pl.DataFrame | None,
    spellings: set[str],
) -> None:
    if (aliases is None and dim_unit is None) or "row_role" not in facts.columns:
        return
    unit_rows = facts.filter(pl.col("row_role") == "unit_total")
    labels: dict[str, dict] = {}
    for rec in unit_rows.to_dicts():
        label = _unit_label(rec)
        if label:
            labels.setdefault(label, rec)
    for label, rec in labels.items():
        if squash(str(label)) in spellings:
            tallies["unit_spelling_known"].passed()
        else:
            tallies["unit_spelling_known"].failed(
                observed=f"unit printed as {label!r}",
                expected="a spelling listed in dim_unit_alias",
                details=_fact_where(table, rec),
                at=Place.of_record(rec),
            )


def _unit_label(rec: dict) -> str | None:
    """The unit as printed: the row label, or in a 三公 table (whose line_item is the category)
    the first cell of the source row."""
    if rec.get("table_kind") == "three_public":
        cells = [c.strip() for c in (rec.get("source_row") or "").split("|")]
        return next((c for c in cells if c), None)
    return rec.get("line_item")


def _check_subject_codes(
    table: str,
    facts: pl.DataFrame,
    tallies: CheckTallies,
    subjects: pl.DataFrame | None,
    known_codes: set,
) -> None:
    if "row_role" not in facts.columns or "subject_code" not in facts.columns:
        return
    rows = facts.filter(pl.col("row_role") == "subject")
    key_cols = [c for c in ("table_index", "row_index", "line_item", "subject_code", "printed_code") if c in rows.columns]
    seen: set[tuple] = set()
    for rec in rows.to_dicts():
        key = tuple(rec.get(c) for c in key_cols)
        if key in seen:
            continue
        seen.add(key)
        code = rec.get("subject_code")
        if code is None:
            tallies["subject_code_matched"].failed(
                observed=f"printed code {rec.get('printed_code')!r} ({rec.get('line_item')}) not matched",
                expected="subject_code set from dim_subject_code",
                details=_fact_where(table, rec),
                at=Place.of_record(rec),
            )
        elif subjects is not None and code not in known_codes:
            tallies["subject_code_matched"].failed(
                observed=f"subject_code {code!r} not in dim_subject_code",
                expected="subject_code present in dim_subject_code",
                details=_fact_where(table, rec),
                at=Place.of_record(rec),
            )
        else:
            tallies["subject_code_matched"].passed()


def _check_department(
    docs: pl.DataFrame | None, tallies: CheckTallies, dim_unit: pl.DataFrame | None, known_units: set
) -> None:
    if docs is None or dim_unit is None or "department_unit_id" not in docs.columns:
        return
    for rec in docs.to_dicts():
        dep = rec.get("department_unit_id")
        if dep is None:
            continue  # the dim_document suite warns about a missing department
        if dep in known_units:
            tallies["document_department_known"].passed()
        else:
            tallies["document_department_known"].failed(
                observed=f"department_unit_id {dep!r} not in dim_unit",
                expected="department_unit_id present in dim_unit",
                details=join_details({"frame": "dim_document", "title": rec.get("title"), "file": rec.get("file_name")}),
            )


def _key_owners(frames: dict[str, pl.DataFrame]) -> dict[tuple[str, str], set[str]]:
    """(frame, key) → documents using it, for keys used by more than one document."""
    out: dict[tuple[str, str], set[str]] = {}
    for table, key in KEYED_TABLES.items():
        frame = frames.get(table)
        if frame is None or key not in frame.columns or "document_id" not in frame.columns:
            continue
        shared = (
            frame.select(key, "document_id")
            .drop_nulls()
            .unique()
            .group_by(key)
            .agg(pl.col("document_id"))
            .filter(pl.col("document_id").list.len() > 1)
        )
        for k, docs in shared.iter_rows():
            out[(table, k)] = set(docs)
    return out


def _check_owners(doc: str, owners: dict[tuple[str, str], set[str]], tallies: CheckTallies) -> None:
    mine = [(t, k, docs) for (t, k), docs in owners.items() if doc in docs]
    if not mine:
        tallies["fact_id_unique_across_documents"].passed()
        return
    for table, key, docs in mine:
        others = sorted(docs - {doc})
        tallies["fact_id_unique_across_documents"].failed(
            observed=f"{KEYED_TABLES[table]} {key!r} also used by {len(others)} other document(s)",
            expected="keys unique across documents",
            details=join_details({"frame": table, "key": key, "other_documents": ", ".join(others)}),
        )
