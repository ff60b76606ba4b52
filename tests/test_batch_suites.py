"""The suites run once over many documents give each document the outcomes it gets validated alone."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.quality.batch_suites import run_suites_together
from pipeline.quality.suites import SuiteRunner
from tests.ingest_steps import read_file

TEXT = Path(__file__).parent / "fixtures" / "text"
TABLES = ["dim_document", "dim_unit", "dim_unit_alias", "fact_expenditure", "fact_income",
          "fact_performance_indicator"]


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, pl.DataFrame]]:
    out = {}
    for name in ("jiaxing-npc-office-2024.txt", "keqiao-npc-office-2023.txt", "pingxiang-county-npc-2023.txt"):
        outcome = read_file(TEXT / name)
        out[outcome.raw.document_id] = {t: outcome.frames.table(t) for t in TABLES}
    return out


def damaged(documents: dict[str, dict[str, pl.DataFrame]]) -> tuple[str, dict[str, dict[str, pl.DataFrame]]]:
    """The second document with a fact's id repeated and a measure out of the set; the others intact."""
    victim = list(documents)[1]
    facts = documents[victim]["fact_expenditure"]
    facts = pl.concat([facts, facts.head(1)]).with_columns(
        pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("bogus")).otherwise(pl.col("measure")).alias("measure"))
    return victim, documents | {victim: documents[victim] | {"fact_expenditure": facts}}


def keyed(outcomes) -> dict[tuple[str, str], tuple]:
    return {(o.document_id, o.check_name): (o.success, o.observed, o.details) for o in outcomes}


def alone(documents) -> dict[tuple[str, str], tuple]:
    outcomes = []
    for frames in documents.values():
        outcomes += SuiteRunner().run(frames, TABLES)
    return keyed(outcomes)


def test_together_equals_each_document_alone(documents):
    victim, docs = damaged(documents)
    together = keyed(run_suites_together(docs, TABLES))
    each = alone(docs)
    assert together.keys() == each.keys()
    # Rules with a row condition render it from the suite file now, not from GE's parsed form: compare
    # outcomes and places, which is what a reader of dq_check_result acts on.
    assert together == each
    failed = {k for k, v in together.items() if not v[0]}
    assert {k for k in failed if k[0] == victim} >= {(victim, "fact_expenditure.fact_id_unique"),
                                                     (victim, "fact_expenditure.measure_in_enum")}
    assert not {k for k in failed if k[0] != victim and k[1].startswith("fact_expenditure.")}


def test_a_unit_named_by_two_documents_is_no_duplicate(documents):
    """Uniqueness holds within one document's frame, as when each was validated alone."""
    first, second = list(documents)[:2]
    unit = documents[first]["dim_unit"].head(1)
    docs = documents | {second: documents[second] | {"dim_unit": pl.concat([documents[second]["dim_unit"], unit])}}
    outcomes = keyed(run_suites_together(docs, ["dim_unit"]))
    assert all(v[0] for k, v in outcomes.items() if k[1].endswith("_unique")), outcomes
