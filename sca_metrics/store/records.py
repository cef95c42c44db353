"""A validated return, as the intake hands it to the store: its records and its problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sca_metrics.reference.problems import Problem, errors


@dataclass(frozen=True)
class Record:
    indicator: str
    value: float | None
    raw: str
    quality: str
    evidence: str
    note: str
    cell: str  # where the value sits, e.g. "G12"


@dataclass(frozen=True)
class UnitRecord:
    """One pilot indicator's value for one ward or commune (the ward sheet)."""

    indicator: str
    unit: str
    value: float | None
    raw: str
    quality: str
    evidence: str
    note: str
    cell: str


@dataclass
class CheckedReturn:
    department: str | None
    period: str | None
    preparer: str = ""
    prepared_on: date | None = None
    records: list[Record] = field(default_factory=list)
    unit_records: list[UnitRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    n_expected: int = 0

    @property
    def ok(self) -> bool:
        return not errors(self.problems)

    @property
    def n_values(self) -> int:
        return (sum(r.value is not None for r in self.records)
                + sum(r.value is not None for r in self.unit_records))
