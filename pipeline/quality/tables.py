"""The printed tables seen again through the fact frames: rows, unit sections, grand totals.

Identity and consistency checks work on the layout of a table, not on loose facts. This module
rebuilds it from ``fact_expenditure`` / ``fact_income``: the facts of one printed row (same
``table_index``, ``row_index`` and ``line_item``) become a :class:`TableRow` holding one exact
Decimal per measure; consecutive tables of one kind and title (a table continued under a repeated
title) become one :class:`LogicalTable`; and a table's rows are cut into unit sections.

Extension columns used when present: ``table_index``, ``row_index``, ``table_title`` and
``unit_multiplier``. Without them the order of first appearance stands in for the indexes and the
multiplier is inferred from the amounts (all multiples of 100 yuan: 万元).

The model lives in :mod:`pipeline.quality.table_rows`, the reading of the frames in
:mod:`pipeline.quality.table_facts` and the sections and amounts in
:mod:`pipeline.quality.table_sections`; the checks import them all from here.
"""

from pipeline.quality.table_facts import document_facts
from pipeline.quality.table_rows import (
    SUBJECT_TABLE_KINDS,
    SUMMARY_TABLE_KINDS,
    DocumentFacts,
    LogicalTable,
    TableRow,
    code_ancestors,
    code_classification,
    squash,
)
from pipeline.quality.table_sections import (
    Amount,
    Section,
    TableLayout,
    describe_rows,
    grand_amount,
    preferred_totals,
    row_amount,
    sum_amounts,
    table_layout,
)

__all__ = [
    "SUBJECT_TABLE_KINDS",
    "SUMMARY_TABLE_KINDS",
    "Amount",
    "DocumentFacts",
    "LogicalTable",
    "Section",
    "TableLayout",
    "TableRow",
    "code_ancestors",
    "code_classification",
    "describe_rows",
    "document_facts",
    "grand_amount",
    "preferred_totals",
    "row_amount",
    "squash",
    "sum_amounts",
    "table_layout",
]
