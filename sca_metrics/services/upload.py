"""Upload and review: a department's template (carrying its current plan), a return checked
without touching the database, the preview of what it changes, saving it as the signed-in
person, and withdrawing a saved one. The store checks, where it writes, that the person may."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pandas as pd

from sca_metrics.intake import ingest as _ingest
from sca_metrics.intake import preview
from sca_metrics.intake.ingest import (
    ACCEPTED,
    DUPLICATE,
    REJECTED,
    Incoming,
    IngestResult,
    roadmap_removed,
    sha256,
)
from sca_metrics.intake.values import parse_period
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.roles import Actor
from sca_metrics.store import queries
from sca_metrics.store.database import Database
from sca_metrics.store.records import CheckedReturn

__all__ = ["ACCEPTED", "CheckedReturn", "DUPLICATE", "Incoming", "IngestResult", "MAX_REASON", "REJECTED",
           "check", "current_values", "parse_period", "roadmap_removed", "preview", "save",
           "save_files", "sha256", "submissions", "task_graph", "template_bytes", "template_file_name",
           "withdraw", "write_template"]

MAX_REASON = queries.MAX_REASON  # characters of a withdrawal's reason


def submissions(db: Database, department: str | None = None, period: str | None = None) -> pd.DataFrame:
    """Every submission (of a department, a period), newest version first within each."""
    with db.cursor() as con:
        return queries.submissions(con, department, period)


def task_graph(db: Database) -> dict[str, tuple[str, ...]]:
    """Every current task's code with what it depends on: what a return's tasks may depend on."""
    with db.cursor() as con:
        return queries.task_graph(con)


def check(data: bytes, catalog: Catalog, department: str, period: str,
          known_tasks: Mapping[str, Sequence[str]]) -> CheckedReturn:
    """Everything that can be said about a file without touching the database."""
    return _ingest.check_bytes(data, catalog, department, period, known_tasks)


def current_values(values: pd.DataFrame, wards: pd.DataFrame, catalog: Catalog, department: str,
                   period: str) -> pd.DataFrame:
    """What a department's current return of `period` holds, as a new return would change it:
    its city values (the pilot's come from its wards, so those are left out) and its ward values."""
    pilot = {i.code for i in catalog.for_department(department) if i.pilot}
    return pd.concat([
        values[(values.department == department) & (values.period.astype(str) == period)
               & ~values.indicator.isin(pilot)].assign(unit=""),
        wards[(wards.department == department) & (wards.period.astype(str) == period)],
    ], ignore_index=True)


def save(db: Database, data: bytes, file_name: str, catalog: Catalog, actor: Actor, department: str,
         period: str, remove_roadmap: bool = False) -> IngestResult:
    """Checks the return again and stores it as `actor`'s, in one transaction (rejected, with
    its problems, when it is not valid or not theirs to send)."""
    with db.writing() as con:
        return _ingest.ingest_bytes(con, data, file_name, catalog, actor, expected_department=department,
                                    expected_period=period, remove_roadmap=remove_roadmap)


def save_files(db: Database, files: Iterable[Incoming], catalog: Catalog, actor: Actor,
               remove_roadmap: bool = False) -> Iterator[IngestResult]:
    """Many files, one commit per batch: a bad file rejects only itself."""
    with db.writing() as con:
        yield from _ingest.ingest_many(con, files, catalog, actor, remove_roadmap=remove_roadmap)


def withdraw(db: Database, submission_id: int, actor: Actor, reason: str) -> int | None:
    """Withdraws a submission (kept, with the reason, in the audit log); the version now
    current, if any."""
    with db.writing() as con:
        return queries.withdraw(con, submission_id, actor, reason)


Carried = tuple[pd.DataFrame, pd.DataFrame]  # a department's tasks and comments, as roadmap.plan reads them


def template_bytes(catalog: Catalog, department: str, period: str, carried: Carried | None = None) -> bytes:
    """The department's survey workbook for `period`, carrying its current tasks and comments
    (so a return sent back as downloaded leaves the roadmap as it is)."""
    from sca_metrics.intake import template  # openpyxl's writer: only when a template is made

    plan = None if carried is None else template.DepartmentRoadmap(*carried)
    return template.template_bytes(catalog, department, period, plan)


def write_template(catalog: Catalog, department: str, period: str, out: Path,
                   carried: Carried | None = None) -> Path:
    """The same workbook written to `out`."""
    from sca_metrics.intake import template

    return template.write_template(catalog, department, period, out,
                                   plan=None if carried is None else template.DepartmentRoadmap(*carried))


def template_file_name(department: str, period: str) -> str:
    from sca_metrics.intake import template

    return template.template_file_name(department, period)
