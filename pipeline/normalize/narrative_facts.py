"""The amounts the explanatory text states, as facts at their level: the department's, or the
subject a clause names."""

from __future__ import annotations

from pipeline.extract.narrative import NarrativeAmount
from pipeline.normalize.context import DocContext, make_fact


def narrative_facts(narrative: list[NarrativeAmount], ctx: DocContext) -> list[dict]:
    """Amounts the text states in sentences, each at its level: the department's, or the subject its
    clause names ('“农林水支出”科目80万元，主要用于人员经费50万元' is 213's 人员经费, not the department's).
    A clause naming a subject the classification does not place loads nothing and says so."""
    facts = []
    for i, stated in enumerate(narrative):
        code = ctx.subjects.named_in_text(stated.scope) if stated.scope else None
        if stated.scope and code is None:
            ctx.note(
                "narrative_scope_unplaced", "warn", f"text states {stated.line_item} = {stated.amount} {stated.unit_label}"
                f" of {'/'.join(name for name, _ in stated.scope)}",
                "a subject of the classification", f"statement: {stated.sentence[:120]}",
            )
            continue
        facts.append(make_fact(
            ctx, None, "narrative", i, 0,
            unit_id=ctx.units.department.unit_id, row_role="subject" if code else "item", line_item=stated.line_item,
            measure="total", amount=stated.amount, source_row=stated.sentence, unit_label=stated.unit_label,
            subject_code=code,
        ))
    return facts
