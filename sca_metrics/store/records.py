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


@dataclass(frozen=True)
class TaskRecord:
    """One task of the department's plan (the tasks sheet), as validated (docs/roadmap.md)."""

    code: str
    name: str
    area: str  # a foundations layer, a smart domain, or "outside"
    phase: str
    start_year: int
    end_year: int
    partners: tuple[str, ...]
    sector_project: str
    decision: str
    budget: float | None  # billion VND
    budget_source: str | None
    status: str
    note: str
    depends_on: tuple[str, ...]
    indicators: tuple[str, ...]
    row: int  # the row in the sheet, 1-based


@dataclass(frozen=True)
class CommentRecord:
    """One comment of the department on the programme's draft (the comments sheet)."""

    section: str
    comment: str
    proposal: str
    row: int


@dataclass
class CheckedReturn:
    department: str | None
    period: str | None
    preparer: str = ""
    prepared_on: date | None = None
    records: list[Record] = field(default_factory=list)
    unit_records: list[UnitRecord] = field(default_factory=list)
    tasks: list[TaskRecord] = field(default_factory=list)
    comments: list[CommentRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    n_expected: int = 0

    @property
    def ok(self) -> bool:
        return not errors(self.problems)

    @property
    def n_values(self) -> int:
        return (sum(r.value is not None for r in self.records)
                + sum(r.value is not None for r in self.unit_records))
