"""Running the identity checks on hand-made facts, for test_quality_identities and
test_quality_identities_measures: one department with one sub-unit."""

from __future__ import annotations

import polars as pl
from quality_frames import DEPT, SUB, Facts, passes

from pipeline.table.from_facts import document_facts
from pipeline.table.identities import check_identities

PARENTS = {DEPT: None, SUB: DEPT}


def run(facts: Facts, income: pl.DataFrame | None = None, **kw) -> list:
    docs = document_facts(facts.frame(), income)
    return check_identities(docs[facts.document_id], PARENTS, **kw)


def checked(outcomes, name: str) -> int:
    """How many instances a passing check examined (from its summary outcome)."""
    (o,) = passes(outcomes, name)
    return int(o.observed.split()[0])
