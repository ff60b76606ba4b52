"""The result of one data-quality check, and the dq_check_result frame made from results.

Every check ends in :class:`CheckOutcome` objects: one per failure, with the place it was found,
or one success per (document, check) when nothing failed. A :class:`CheckTally` collects the
instances a check looked at and turns them into outcomes. The checks of :mod:`pipeline.quality`
and the table's own identities (:mod:`pipeline.table.identities`, which the normaliser also runs to
verify a placement before it loads) share it; so outcomes say amounts one way, in the unit the
table printed, with the tolerance of its rounded addends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Literal

import polars as pl

from pipeline.model import NOWHERE, Place
from pipeline.schema import SCHEMAS
from pipeline.vocabulary import UNIT_NAMES

Severity = Literal["error", "warn"]
SEVERITIES: tuple[str, ...] = ("error", "warn")
# The concern a check belongs to; each is one asset check on the warehouse table it reports on.
Family = Literal["schema_and_domain", "identities", "consistency", "references", "extraction_notes"]
FAMILIES: tuple[str, ...] = ("schema_and_domain", "identities", "consistency", "references", "extraction_notes")

@dataclass(frozen=True)
class CheckDef:
    """A check as declared where it is defined: how bad a failure is, the rule, its family, and the
    warehouse table whose asset check reports it."""

    severity: Severity
    rule: str
    family: Family
    table: str = "fact_expenditure"


@dataclass(frozen=True)
class CheckOutcome:
    """One row of dq_check_result, before the run id and time are attached.

    ``details`` says where: the table (title and kind), the row (line item, source row),
    the subject code, the unit and the page, as ``key: value`` pieces joined by ``; ``.
    """

    document_id: str
    check_name: str
    severity: Severity
    success: bool
    observed: str | None = None
    expected: str | None = None
    details: str | None = None
    place: Place = NOWHERE


@dataclass
class CheckTally:
    """Counts the instances one check examined in one document and keeps its failures.

    ``outcomes()`` gives the failures when there are any, otherwise a single success that
    says how many instances were checked (0 when nothing was checkable).
    """

    document_id: str
    check_name: str
    severity: Severity
    rule: str
    checked: int = 0
    failures: list[CheckOutcome] = field(default_factory=list)

    def passed(self, n: int = 1) -> None:
        self.checked += n

    def failed(self, observed: str, expected: str, details: str, at: Place = NOWHERE) -> None:
        self.checked += 1
        self.failures.append(
            CheckOutcome(
                document_id=self.document_id,
                check_name=self.check_name,
                severity=self.severity,
                success=False,
                observed=observed,
                expected=expected,
                details=details,
                place=at,
            )
        )

    def outcomes(self) -> list[CheckOutcome]:
        if self.failures:
            return list(self.failures)
        observed = f"{self.checked} checked, none failed" if self.checked else "0 checked (not applicable)"
        return [
            CheckOutcome(
                document_id=self.document_id,
                check_name=self.check_name,
                severity=self.severity,
                success=True,
                observed=observed,
                expected=self.rule,
                details=None,
            )
        ]


class CheckTallies:
    """One :class:`CheckTally` per check of a catalog (name → its definition) for one document."""

    def __init__(self, document_id: str, catalog: dict[str, CheckDef]) -> None:
        self._by_name = {name: CheckTally(document_id, name, c.severity, c.rule) for name, c in catalog.items()}

    def __getitem__(self, name: str) -> CheckTally:
        return self._by_name[name]

    def outcomes(self) -> list[CheckOutcome]:
        return [o for t in self._by_name.values() for o in t.outcomes()]

    def counts(self) -> tuple[int, list[CheckOutcome]]:
        """(checks made, the failures among them) over every check of the catalog."""
        return sum(t.checked for t in self._by_name.values()), [f for t in self._by_name.values() for f in t.failures]


def outcomes_frame(
    outcomes: Iterable[CheckOutcome], run_id: str, checked_at: datetime | None = None
) -> pl.DataFrame:
    """A polars frame with exactly the dq_check_result columns, one row per outcome."""
    at = checked_at or datetime.now(UTC).replace(tzinfo=None)
    rows = [
        {
            "run_id": run_id,
            "document_id": o.document_id,
            "check_name": o.check_name,
            "severity": o.severity,
            "success": o.success,
            "observed": o.observed,
            "expected": o.expected,
            "details": o.details,
            "checked_at": at,
            **o.place.columns(),
        }
        for o in outcomes
    ]
    return pl.DataFrame(rows, schema=SCHEMAS["dq_check_result"])


# --- how outcomes say amounts: in the unit the table printed --------------------------------------


CENT = Decimal("0.01")


def tolerance(unit_multiplier: int, n_addends: int) -> Decimal:
    """Allowed difference in yuan: 0.01 printed unit per rounded addend (at least one)."""
    return CENT * unit_multiplier * max(n_addends, 1)


def fmt_amount(amount_yuan: Decimal, unit_multiplier: int = 1) -> str:
    """``1234.56 万元 (12345600.00 yuan)``; plain ``… 元`` for tables printed in yuan."""
    yuan = amount_yuan.quantize(CENT)
    if unit_multiplier == 1:
        return f"{yuan} 元"
    printed = (amount_yuan / unit_multiplier).quantize(CENT) if unit_multiplier else yuan
    unit = UNIT_NAMES.get(unit_multiplier, f"×{unit_multiplier} 元")
    return f"{printed} {unit} ({yuan} yuan)"


def fmt_diff(diff_yuan: Decimal, tol_yuan: Decimal) -> str:
    return f"difference {diff_yuan.quantize(CENT)} yuan, tolerance {tol_yuan.quantize(CENT)} yuan"
