"""Reporting rounds: an administrator opens a period's round (its deadline, the departments that
report, a message), extends or closes it; for a period, which department has returned — on time
or late — which has not, and how complete each return is; the completeness of every period."""

from __future__ import annotations

from datetime import date

import pandas as pd

from sca_metrics.method import tracker
from sca_metrics.method.tracker import LATE, MISSING, NOT_STARTED, ON_TIME, SUBMITTED, WITHDRAWN
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.roles import Actor
from sca_metrics.store import queries
from sca_metrics.store.database import Database

__all__ = ["LATE", "MAX_MESSAGE", "MISSING", "NOT_STARTED", "ON_TIME", "SUBMITTED", "WITHDRAWN", "close",
           "completeness", "extend", "missing", "open_round", "reporting_departments", "rounds",
           "standing", "status"]

MAX_MESSAGE = queries.MAX_MESSAGE  # characters of a round's message


def status(catalog: Catalog, submissions: pd.DataFrame, period: str) -> pd.DataFrame:
    """One row per department for `period`: submitted, missing or withdrawn, with the current
    version's provenance and completeness."""
    return tracker.period_status(catalog, submissions, period)


def missing(status_frame: pd.DataFrame) -> list[str]:
    """The departments with no current return in a round's status."""
    return tracker.missing_departments(status_frame)


def completeness(catalog: Catalog, submissions: pd.DataFrame) -> pd.DataFrame:
    """Department × period completeness of the current returns, every period with a return."""
    periods = sorted(submissions.period.astype(str).unique())
    return tracker.coverage_matrix(catalog, submissions, periods)


def reporting_departments(catalog: Catalog) -> list[str]:
    """The departments a round asks by default: every one with an indicator in the catalog."""
    return [d.code for d in catalog.departments if catalog.for_department(d.code)]


def open_round(db: Database, actor: Actor, catalog: Catalog, period: str, deadline: date,
               departments: list[str] | None = None, message: str = "") -> None:
    """Opens the round of `period` for `departments` (default: every department that reports)."""
    known = [d.code for d in catalog.departments]
    with db.writing() as con:
        queries.open_round(con, actor, period, deadline, list(departments or reporting_departments(catalog)),
                           message, known)


def extend(db: Database, actor: Actor, period: str, deadline: date) -> None:
    with db.writing() as con:
        queries.extend_round(con, actor, period, deadline)


def close(db: Database, actor: Actor, period: str) -> None:
    with db.writing() as con:
        queries.close_round(con, actor, period)


def rounds(db: Database) -> pd.DataFrame:
    """Every round, newest period first, as its openings, extensions and closing left it."""
    with db.cursor() as con:
        return queries.rounds(con)


def standing(round_row: dict, submissions: pd.DataFrame, today: date) -> pd.DataFrame:
    """A round's departments as they stand on `today`: not started, on time or late."""
    return tracker.round_status(list(round_row["departments"]), round_row["deadline"], submissions,
                                str(round_row["period"]), today)
