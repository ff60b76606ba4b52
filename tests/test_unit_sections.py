"""Unit sections of a names-only project table, found by the table's sums (pipeline.normalize.sections)."""

from __future__ import annotations

from decimal import Decimal

from pipeline.normalize.context import is_total_label
from pipeline.normalize.grid import PlacedRow
from pipeline.normalize.sections import section_heads


def _rows(*printed: tuple[str, str | None]) -> list[PlacedRow]:
    return [PlacedRow(index=k, block=0, page=1, cells=[label], code=None, printed_code=None, label=label,
                      amounts={} if amount is None else {1: Decimal(amount)})
            for k, (label, amount) in enumerate(printed)]


def test_each_unit_opens_the_rows_that_add_up_to_it():
    rows = _rows(("合计", "15.50"), ("某局", "10.00"), ("甲项目", "4.00"), ("乙项目", "6.00"),
                 ("某某监狱", "5.50"), ("丙项目", "5.50"))
    assert section_heads(rows, 1, is_total_label) == {1, 4}


def test_a_project_equal_to_the_next_is_no_unit_and_rows_of_nothing_stay_items():
    """丁 (3.00) equals 戊, but then 己 would be left over: only the unit's reading covers every row."""
    rows = _rows(("合计", "9.00"), ("某局", "9.00"), ("丁平台", "3.00"), ("戊项目", "3.00"), ("己项目", "3.00"),
                 ("庚项目", "0.00"), ("一行说明", None))
    assert section_heads(rows, 1, is_total_label) == {1}


def test_rows_without_sections_give_no_reading():
    rows = _rows(("合计", "10.00"), ("甲项目", "4.00"), ("乙项目", "6.00"))
    assert section_heads(rows, 1, is_total_label) is None
