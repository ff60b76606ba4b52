"""Extraction notes: findings the reader makes while it turns a document into frames.

They are recorded with the document's other checks (``dq_check_result``) and reported as the
``extraction_notes`` asset check; the normaliser emits them under these names.
"""

from __future__ import annotations

from pipeline.outcome import CheckDef

EXTRACTION_NOTES: dict[str, CheckDef] = {
    "subject_code_repaired": CheckDef(
        "warn",
        "a printed subject code that is not well formed (truncated, garbled) is read as the code its name "
        "and parents give",
        "extraction_notes",
    ),
    "subject_code_unknown": CheckDef(
        "warn",
        "a well-formed printed subject code is in the classification; one it lacks is kept as printed",
        "extraction_notes",
    ),
    "subject_label_mismatch": CheckDef(
        "warn",
        "a row's label names the subject its printed official code names; the code is kept as printed",
        "extraction_notes",
    ),
    "subject_code_unresolved": CheckDef(
        "warn",
        "a printed subject code is in the classification or can be repaired from its name",
        "extraction_notes",
    ),
    "table_unit_declared": CheckDef(
        "warn",
        "a table declares its money unit (单位：万元); else the unit the document's other tables declare",
        "extraction_notes",
    ),
    "amount_column_unplaced": CheckDef(
        "warn",
        "every amount stands under a column heading; amounts in a column without one are not loaded",
        "extraction_notes",
    ),
    "amount_unreadable": CheckDef(
        "error",
        "every figure OCR read under an amount heading reads as an amount; a garbled one is not loaded",
        "extraction_notes",
    ),
    "listed_table_missing": CheckDef(
        "error",
        "every table the document lists (contents page, numbered titles) is found by the reader",
        "extraction_notes",
    ),
    "listed_table_attached": CheckDef(
        "warn",
        "a table the document lists is in the file; one it publishes as an attachment of its own is not",
        "extraction_notes",
    ),
    "standard_table_missing": CheckDef(
        "warn",
        "a budget prints, or at least lists, each of the eight standard tables",
        "extraction_notes",
    ),
    "rows_withheld": CheckDef(
        "warn",
        "a table's own sums hold over its rows; one whose note says rows were left out (予以剔除) is loaded "
        "as printed without that test",
        "extraction_notes",
    ),
    "area_unplaced": CheckDef(
        "warn",
        "the publishing department's name places it in one administrative area (province, city; county "
        "and adcode where it names one); a national office or a name without its area is placed nowhere",
        "extraction_notes",
    ),
    "narrative_scope_unplaced": CheckDef(
        "warn",
        "a sentence that states a subject's figure ('“农林水支出”科目…人员经费50万元') names a subject of the "
        "classification; one it does not place is not loaded (never as the department's figure)",
        "extraction_notes",
    ),
    "performance_goals_only": CheckDef(
        "warn",
        "a performance table lists projects' goals without indicators (单位名称 | 项目名称 | 金额 | 项目总体绩效目标): "
        "fact_performance_indicator holds indicators, so it loads nothing",
        "extraction_notes",
    ),
    "table_unreadable": CheckDef(
        "error",
        "a table whose own arithmetic contradicts the reader's placement on most rows, whose labels name "
        "other subjects than their printed codes, or that the reader fails on, is not loaded",
        "extraction_notes",
    ),
}
