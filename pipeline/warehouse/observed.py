"""Codes the disclosures print that the shipped classification lacks: ``dim_subject_code``'s
``observed`` rows (contract milestone 3).

A code is observed when at least two loaded disclosures of one year print it (``code_source =
'printed'``: the digits as printed, not completed or placed by the reader) with the same name, for
example a 款 newer than the shipped edition (20140 信访事务), or a government economic code a
cross-classified table prints beside the department's (50101 工资奖金津补贴 by 30101). Its name is the
one the most disclosures print it with, its year the first year two of them did; its classification, level and parent come
from the code's shape. The rows are made again from the fact tables after every load, so a document
replaced or a classification reloaded leaves none behind.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipeline.reference.classification import classification_of, level_of
from pipeline.schema import frame

OBSERVED = "observed"
MIN_DOCUMENTS = 2

# (code, name) as printed: a subject code as its row prints it, and a cross-classified table's government
# economic code (50101) with the name printed beside it
_PRINTED_ALIKE = f"""
SELECT code, name, fiscal_year, count(DISTINCT document_id) AS documents
FROM (SELECT subject_code AS code, line_item AS name, fiscal_year, document_id FROM fact_expenditure
      WHERE code_source = 'printed'
      UNION ALL
      SELECT subject_code, line_item, fiscal_year, document_id FROM fact_income WHERE code_source = 'printed'
      UNION ALL
      SELECT gov_economic_code, gov_economic_name, fiscal_year, document_id FROM fact_expenditure
      WHERE gov_economic_name IS NOT NULL
      UNION ALL
      SELECT gov_economic_code, gov_economic_name, fiscal_year, document_id FROM fact_income
      WHERE gov_economic_name IS NOT NULL)
WHERE fiscal_year IS NOT NULL AND code IS NOT NULL
  AND code NOT IN (SELECT subject_code FROM dim_subject_code WHERE source = 'reference')
GROUP BY code, name, fiscal_year
HAVING count(DISTINCT document_id) >= {MIN_DOCUMENTS}
"""


def observed_codes(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """dim_subject_code rows of the codes printed alike by two disclosures of a year."""
    by_code: dict[str, dict[str, tuple[int, int]]] = {}  # code → name → (documents, first year)
    for code, name, year, documents in con.execute(_PRINTED_ALIKE).fetchall():
        seen, first = by_code.setdefault(code, {}).get(name, (0, year))
        by_code[code][name] = (seen + documents, min(first, year))
    rows = []
    for code, names in sorted(by_code.items()):
        classification, level = classification_of(code), level_of(code)
        if classification is None or level is None:
            continue  # a local sub-code (3010201) has no level of the classification
        name, (_, year) = min(names.items(), key=lambda item: (-item[1][0], item[0]))
        rows.append(dict(subject_code=code, classification=classification, subject_name=name, level=level,
                         parent_code=code[:-2] if level > 1 else None, source=OBSERVED, fiscal_year=year))
    return frame("dim_subject_code", rows)


def refresh_observed_codes(con: duckdb.DuckDBPyConnection) -> int:
    """Replace dim_subject_code's observed rows by what the fact tables now show; their number."""
    observed = observed_codes(con)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM dim_subject_code WHERE source = ?", [OBSERVED])
        if observed.height:
            con.register("_observed", observed.to_arrow())
            con.execute(f"INSERT INTO dim_subject_code ({', '.join(observed.columns)}) SELECT * FROM _observed")
            con.unregister("_observed")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return observed.height
