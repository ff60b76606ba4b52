"""A document's page: its tables as printed (row by row, with every fact), findings beside the rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from budget_cli.findings import Finding
from budget_cli.site import fmt
from budget_cli.site.findings import NARRATIVE_TABLE, Placed, place_findings
from budget_cli.site.queries import DocumentSummary, Warehouse, facts, findings, indicators
from pipeline.vocabulary import MEASURES, STAGES, UNIT_NAMES

SIDES = {"fact_income": "收入", "fact_expenditure": "支出"}
_ITEMS = list(fmt.THREE_PUBLIC_NAMES)


def _line_order(f: dict) -> tuple:
    """A row's facts in one order for every row: 收入 before 支出 (as the summary tables print them),
    the 三公 categories in their order, then measure and stage as the vocabulary lists them (the
    warehouse keeps no column position)."""
    return (0 if f["source"] == "fact_income" else 1,
            _ITEMS.index(f["line_item"]) if f["line_item"] in _ITEMS else -1,
            MEASURES.index(f["measure"]) if f["measure"] in MEASURES else len(MEASURES),
            STAGES.index(f["stage"]) if f["stage"] in STAGES else len(STAGES))


@dataclass
class Line:
    """One fact: a printed amount with what it is."""

    side: str
    code: str
    printed_code: str
    name: str
    official_name: str
    unit_name: str
    column: str
    measure: str
    stage: str
    wan: str
    yuan: str
    page: str
    flagged: bool
    confidence: str  # the OCR engine's confidence in the amount, where OCR read it
    repeat: bool = False  # same side, code and name as the line above: shown once


@dataclass
class Row:
    index: int | None
    role: str
    lines: list[Line]
    findings: list[Finding]

    @property
    def severity(self) -> str:
        sev = {f.severity for f in self.findings}
        return "error" if "error" in sev else ("warn" if sev else "")


@dataclass
class Table:
    index: int
    title: str
    kind: str
    kind_name: str
    pages: str
    printed_unit: str
    sources: list[str]
    rows: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    several_units: bool = False

    @property
    def anchor(self) -> str:
        return f"t{self.index}" if self.index >= 0 else "narrative"

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for r in self.rows for f in r.findings) + sum(
            f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity != "error" for r in self.rows for f in r.findings) + sum(
            f.severity != "error" for f in self.findings)


@dataclass
class DocumentPage:
    summary: DocumentSummary
    tables: list[Table]
    document_findings: list[Finding]
    indicators: list[dict]


def _line(f: dict, found: list[Finding]) -> Line:
    code = f["subject_code"] or ""
    printed = f["printed_code"] or ""
    return Line(
        side=SIDES.get(f["source"], f["source"]),
        code=code,
        printed_code=printed if printed and printed != code else "",
        name=fmt.line_item_name(f["table_kind"], f["line_item"]) + (
            f" · {f['project_name']}" if f["project_name"] and f["project_name"] != f["line_item"] else ""),
        official_name=f["subject_name"] if f["subject_name"] and f["subject_name"] != f["line_item"] else "",
        unit_name=f["unit_name"] or f["unit_id"] or "",
        column=f["column_label"] or fmt.MEASURE_NAMES.get(f["measure"], f["measure"]),
        measure=f["measure"],
        stage=fmt.STAGE_NAMES.get(f["stage"], f["stage"] or ""),
        wan=fmt.wan(f["amount_yuan"]),
        yuan=fmt.yuan(f["amount_yuan"]),
        page=str(f["page"]) if f["page"] is not None else "—",
        flagged=any(fd.concerns(f["measure"]) for fd in found),
        confidence=f"OCR {f['confidence']:.0%}" if f["confidence"] is not None else "",
    )


def _table(index: int, table_facts: list[dict], placed: Placed) -> Table:
    first = table_facts[0]
    kind = first["table_kind"]
    multipliers = {f["unit_multiplier"] for f in table_facts if f["unit_multiplier"]}
    table = Table(
        index=index,
        title=first["table_title"] or fmt.TABLE_KIND_NAMES.get(kind, kind),
        kind=kind,
        kind_name=fmt.TABLE_KIND_NAMES.get(kind, kind),
        pages=fmt.pages([f["page"] for f in table_facts]),
        printed_unit="、".join(UNIT_NAMES.get(m, f"×{m} 元") for m in sorted(multipliers)) or "—",
        sources=sorted({f["source"] for f in table_facts}),
        findings=placed.by_table.get(index, []),
        several_units=len({f["unit_id"] for f in table_facts}) > 1,
    )
    by_row: dict[int | None, list[dict]] = {}
    for f in table_facts:
        by_row.setdefault(f["row_index"], []).append(f)
    for row_index, row_facts in by_row.items():
        found = placed.by_row.get((index, row_index), [])
        roles = dict.fromkeys(f["row_role"] for f in row_facts)
        lines = [_line(f, found) for f in sorted(row_facts, key=_line_order)]
        for above, line in zip(lines, lines[1:], strict=False):
            line.repeat = (line.side, line.code, line.name) == (above.side, above.code, above.name)
        table.rows.append(Row(row_index, "/".join(roles), lines, found))
    return table


def document_page(wh: Warehouse, summary: DocumentSummary) -> DocumentPage:
    """The page model of one document: tables in printed order, the narrative last."""
    doc_facts = facts(wh, summary.document_id)
    placed = place_findings(findings(wh, summary.document_id), doc_facts)
    by_table: dict[int, list[dict]] = {}
    for f in doc_facts:
        by_table.setdefault(f["table_index"] if f["table_index"] is not None else NARRATIVE_TABLE, []).append(f)
    order = sorted(by_table, key=lambda i: (i == NARRATIVE_TABLE, i))
    tables = [_table(i, by_table[i], placed) for i in order]
    # Findings on a table index that loaded no fact have no table to sit beside.
    orphans = [f for i, fs in placed.by_table.items() if i not in by_table for f in fs]
    return DocumentPage(summary, tables, placed.document + orphans, indicators(wh, summary.document_id))
