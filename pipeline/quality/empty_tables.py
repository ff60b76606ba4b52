"""Tables printed empty: the note that says so (本表无数据 / 空表列示) against the amounts read.

Needs the ``table_inventory`` frame (one row per extracted table with ``table_index``,
``table_kind``, ``table_title``, ``has_no_data_note`` and optionally ``page``); see
:mod:`pipeline.quality.references`.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipeline.model import Place
from pipeline.outcome import CheckTallies
from pipeline.text import join_details
from pipeline.vocabulary import AMOUNT_TABLE_KINDS


def check_empty_tables(
    inventory: pl.DataFrame | None, fact_frames: Iterable[pl.DataFrame | None], tallies: CheckTallies
) -> None:
    """A table the inventory lists without amounts is noted empty; a table noted empty has no amounts.

    ``inventory`` and ``fact_frames`` (fact_expenditure, fact_income) hold one document's rows."""
    if inventory is None or "table_index" not in inventory.columns:
        return
    amounts: dict[int, list] = {}
    for facts in fact_frames:
        if facts is None or "table_index" not in facts.columns or "amount_yuan" not in facts.columns:
            continue
        for idx, amount in facts.select("table_index", "amount_yuan").iter_rows():
            if idx is not None:
                amounts.setdefault(int(idx), []).append(amount)
    for rec in inventory.to_dicts():
        if rec.get("table_kind") not in AMOUNT_TABLE_KINDS or rec.get("table_index") is None:
            continue
        values = amounts.get(int(rec["table_index"]), [])
        noted = bool(rec.get("has_no_data_note"))
        where = join_details(
            {
                "table": f"{rec.get('table_title') or '(untitled)'} ({rec.get('table_kind')}, table #{rec['table_index']})",
                "page": rec.get("page"),
            }
        )
        if not values:
            if noted:
                tallies["empty_table_has_note"].passed()
            else:
                tallies["empty_table_has_note"].failed(
                    observed="no amounts read and no 本表无数据 note",
                    expected="an empty table says so (本表无数据 / 空表列示)",
                    details=where,
                    at=Place.of_record(rec),
                )
        elif noted:
            nonzero = [v for v in values if v is not None and v != 0]
            if nonzero:
                tallies["no_data_table_has_no_amounts"].failed(
                    observed=f"{len(nonzero)} non-zero amounts in a table noted 本表无数据",
                    expected="no non-zero amount",
                    details=where,
                    at=Place.of_record(rec),
                )
            else:
                tallies["no_data_table_has_no_amounts"].passed()
