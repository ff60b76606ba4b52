"""A performance form broken over a page: the next page's table starts with indicator rows and no
header of its own (its first row even taken for one), under the same title every form carries."""

from __future__ import annotations

from dataclasses import replace

from pipeline.model import ExtractedTable
from pipeline.normalize.performance.rows import performance_rows
from pipeline.normalize.performance.state import IndicatorRow
from pipeline.text import squash


def read_performance(table: ExtractedTable, previous: ExtractedTable | None) -> list[IndicatorRow]:
    """The table's indicators; when its own rows give none and it carries the title of the table before
    it, its rows read under that table (its header, project and funds), each kept at its own table, row
    and page."""
    own = performance_rows(table)
    if own or previous is None or squash(previous.title) != squash(table.title):
        return own  # a form under another title is another form, never read under this one's project
    rows = table.header_rows + table.body_rows
    pages = [table.page] * len(table.header_rows) + (list(table.row_pages) or [table.page] * len(table.body_rows))
    before = len(previous.body_rows)
    joined = replace(previous, body_rows=previous.body_rows + rows,
                     row_pages=(list(previous.row_pages) or [previous.page] * before) + pages)
    return [replace(r, table_index=table.index, row_index=r.row_index - before)
            for r in performance_rows(joined) if r.row_index >= before]
