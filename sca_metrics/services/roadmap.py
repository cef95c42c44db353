"""The roadmap: the departments' tasks in the programme's order, what is wrong with the plan
(flags), its budget, where each programme area stands against the foundations under it, the
comments on the plan and the lead department's answers to them."""

from __future__ import annotations

import pandas as pd

from sca_metrics.method import foundations as _foundations
from sca_metrics.method import roadmap as _roadmap
from sca_metrics.method.roadmap import (
    OUTSIDE,
    ROADMAP_FLAGS,
    TASK_FLAGS,
    Flag,
    Task,
    area_name,
    budget,
    by_area,
    by_domain,
    task_records,
    timeline,
)
from sca_metrics.method.scoring import Scores
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.roles import Actor
from sca_metrics.store import queries
from sca_metrics.store.database import Database

__all__ = ["MAX_EXPLANATION", "OUTSIDE", "ROADMAP_FLAGS", "RESPONSES", "TASK_FLAGS", "Flag", "Task",
           "area_name", "budget", "by_area", "by_domain", "layer_name", "as_of", "lowest_layer", "respond",
           "records", "standing", "task_records", "tasks_and_flags", "timeline"]

RESPONSES = queries.RESPONSES  # how the lead department answers a comment
MAX_EXPLANATION = queries.MAX_EXPLANATION  # characters of an answer's explanation


def as_of(db: Database, period: str | None = None,
         department: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roadmap as of `period` (of one department): its tasks and its comments, read together."""
    with db.cursor() as con:
        tasks = queries.roadmap_tasks(con, period, department)
        return tasks, queries.roadmap_comments(con, period, department)


def tasks_and_flags(frame: pd.DataFrame, catalog: Catalog, period: str) -> tuple[list[Task], list[Flag]]:
    """The tasks of a `tasks` frame, and every flag on them and on the plan as of `period`."""
    found = _roadmap.tasks_from_frame(frame)
    return found, _roadmap.flags(found, catalog, int(period))


def respond(db: Database, actor: Actor, submission_id: int, sheet_row: int, response: str,
            explanation: str) -> None:
    """Records the lead department's answer to one comment (administrators only)."""
    with db.writing() as con:
        queries.respond(con, actor, submission_id, sheet_row, response, explanation)


def standing(scores: Scores, catalog: Catalog) -> pd.DataFrame:
    """Each programme area's score and level, and how far it stands above the lowest layer of
    the foundations under it."""
    return _foundations.readiness(scores, catalog)


def lowest_layer(standing_frame: pd.DataFrame) -> tuple[str | None, int | None]:
    """The lowest foundations layer and its level in a `standing` frame."""
    return _foundations.lowest(standing_frame)


def layer_name(code: str, lang: str) -> str:
    return _foundations.layer_name(code, lang)


def records(frame: pd.DataFrame, catalog: Catalog, period: str, lang: str) -> tuple[list[dict], list[Flag]]:
    """One record per task with its flags, and every flag (the plan's own included)."""
    found, flags = tasks_and_flags(frame, catalog, period)
    return task_records(found, flags, lang, catalog), flags
