"""Every read and write of the store's data: submissions with provenance, observations,
warnings and the audit log, as frames for the pages, the command line and scoring. Every
statement is parameterised.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from sca_metrics.reference.roles import (
    ADMIN,
    Actor,
    BadGrant,
    Forbidden,
    check_grant,
    normal_email,
    require_admin,
    require_upload,
)
from sca_metrics.reference.textnorm import accept
from sca_metrics.reference.vocabulary import PERIOD_FIRST, PERIOD_LAST
from sca_metrics.store.errors import REFUSED, StoreError
from sca_metrics.store.records import CheckedReturn
from sca_metrics.store.schema import scalar, transaction, utc_now

# The longest texts a person types into the dashboard (the intake policy's bounds, docs/security.md)
MAX_REASON = 300
MAX_EXPLANATION = 2000


@dataclass(frozen=True)
class Saved:
    submission_id: int
    version: int
    supersedes: int | None


class Placing:
    """What a batch of returns needs to know of the store, read once and kept as the batch
    stores its returns (in one transaction, nothing else writes meanwhile): each current
    submission by content and by department and period, the last version of each, and the
    plan: each department's tasks of its latest period with tasks, as `task_graph` reads it
    (read again only when a return without tasks supersedes that period's)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.by_sha: dict[str, tuple] = {}
        self.current: dict[tuple[str, str], tuple[int, str]] = {}  # (dept, period) → (id, sha)
        for sid, dept, period, version, sha in con.execute(
                "SELECT id, department, period, version, sha256 FROM current_submissions").fetchall():
            self.by_sha[sha] = (sid, dept, period, version)
            self.current[(dept, period)] = (sid, sha)
        self.versions = {(d, p): int(v) for d, p, v in con.execute(
            "SELECT department, period, max(version) FROM submissions GROUP BY ALL").fetchall()}
        self._roadmap_of: dict[str, tuple[int, dict[str, tuple[str, ...]]]] | None = None
        self.sizes = roadmap_sizes(con)  # (dept, period) → (tasks, comments) of the current return

    @property
    def roadmap_unread(self) -> bool:
        """The plan is to be read again (the batch's rows must be written first)."""
        return self._roadmap_of is None

    def same(self, sha256: str) -> tuple | None:
        return self.by_sha.get(sha256)

    def task_graph(self) -> dict[str, tuple[str, ...]]:
        if self._roadmap_of is None:
            self._roadmap_of = {}
            for dept, period, code, depends in roadmap_tasks(self.con)[
                    ["department", "period", "code", "depends_on"]].itertuples(index=False):
                self._roadmap_of.setdefault(dept, (int(period), {}))[1][code] = tuple(depends)
        return {code: depends for _, graph in self._roadmap_of.values() for code, depends in graph.items()}

    def roadmap_size(self, department: str, period: str) -> tuple[int, int]:
        return self.sizes.get((department, period), (0, 0))

    def place(self, department: str, period: str) -> tuple[int | None, int]:
        previous = self.current.get((department, period))
        return (previous[0] if previous else None), self.versions.get((department, period), 0) + 1

    def stored(self, checked: CheckedReturn, saved: Saved, sha256: str) -> None:
        key = (str(checked.department), str(checked.period))
        if key in self.current:
            self.by_sha.pop(self.current[key][1], None)
        self.current[key] = (saved.submission_id, sha256)
        self.by_sha[sha256] = (saved.submission_id, *key, saved.version)
        self.versions[key] = saved.version
        self.sizes[key] = (len(checked.tasks), len(checked.comments))
        if self._roadmap_of is None:
            return
        dept, year = key[0], int(key[1])
        latest = self._roadmap_of.get(dept)
        if checked.tasks:
            if latest is None or year >= latest[0]:  # this period's tasks are the department's plan
                self._roadmap_of[dept] = (year, {k.code: tuple(k.depends_on) for k in checked.tasks})
        elif saved.supersedes is not None and latest is not None and latest[0] == year:
            self._roadmap_of = None  # the plan's period lost its tasks: an earlier one may hold the plan


def find_current_by_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple | None:
    """The current submission with exactly this content: re-sending it changes nothing."""
    return con.execute(
        "SELECT id, department, period, version FROM current_submissions WHERE sha256 = ?",
        [sha256],
    ).fetchone()


def save_return(con: duckdb.DuckDBPyConnection, checked: CheckedReturn, **meta: Any) -> Saved:
    """Store a valid return in one transaction (`insert_return`'s keywords: file_name, sha256,
    actor, catalog_version, is_demo); the previous current one is superseded. The actor must be
    allowed to submit for the return's department (Forbidden otherwise)."""
    with transaction(con):
        return insert_return(con, checked, **meta)


def insert_return(
    con: duckdb.DuckDBPyConnection,
    checked: CheckedReturn,
    *,
    file_name: str,
    sha256: str,
    actor: Actor,
    catalog_version: str,
    is_demo: bool = False,
    place: tuple[int | None, int] | None = None,
    pending: Rows | None = None,
) -> Saved:
    """`save_return` inside a transaction the caller holds (a batch of returns, one commit).
    `place`: the current submission it supersedes (or None) and its version, when the caller
    knows them (a batch keeps them as it goes); read from the database otherwise. `pending`:
    where its rows wait for the batch's `Rows.flush`; written at once otherwise."""
    require_upload(acting(con, actor), checked.department)
    if not checked.ok:
        raise StoreError(REFUSED, None, "refusing to store a return with errors")
    uploader = actor.email
    dept, period = checked.department, checked.period
    if place is None:
        row = con.execute(
            "SELECT (SELECT id FROM current_submissions WHERE department = $1 AND period = $2), "
            "(SELECT coalesce(max(version), 0) + 1 FROM submissions WHERE department = $1 AND period = $2)",
            [dept, period]).fetchone()
        assert row is not None
        place = row[0], int(row[1])
    previous, version = place
    now = utc_now()
    sid = scalar(
        con, """INSERT INTO submissions (department, period, version, file_name, sha256,
               received_at, uploader, preparer, prepared_on, catalog_version,
               n_expected, n_values, is_demo)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        [dept, period, version, file_name, sha256, now, uploader, checked.preparer,
         checked.prepared_on, catalog_version, checked.n_expected, checked.n_values, is_demo])
    rows = Rows() if pending is None else pending
    rows.add(_OBSERVATIONS, [[sid, r.indicator, r.value, r.raw, r.quality, r.evidence, r.note, r.cell]
                             for r in checked.records])
    rows.add(_UNIT_OBSERVATIONS, [[sid, r.indicator, r.unit, r.value, r.raw, r.quality, r.evidence, r.note,
                                   r.cell] for r in checked.unit_records])
    rows.add(_TASKS, [[sid, k.code, k.name, k.area, k.phase, k.start_year, k.end_year, list(k.partners),
                       k.sector_project, k.decision, k.budget, k.budget_source, k.status, k.note,
                       list(k.depends_on), list(k.indicators), k.row] for k in checked.tasks])
    rows.add(_COMMENTS, [[sid, m.row, m.section, m.comment, m.proposal] for m in checked.comments])
    rows.add(_PROBLEMS, [[sid, p.severity, p.code, p.sheet, p.cell, p.value, p.message("vi"), p.message("en")]
                         for p in checked.problems])
    _audit(con, now, uploader, "ingest", sid, dept, period, {
        "file_name": file_name, "sha256": sha256, "version": version,
        "supersedes": previous, "n_values": checked.n_values,
        "n_warnings": len(checked.problems), "is_demo": is_demo,
    }, rows)
    if pending is None:
        rows.flush(con)
    return Saved(sid, version, previous)


# Rows travel as one list parameter per column and are unnested in SQL: one statement per table
# for a whole batch of returns, much faster in DuckDB than executemany, and still parameterised.
@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    types: tuple[str, ...]

    @property
    def sql(self) -> str:
        return (f"INSERT INTO {self.name} ({', '.join(self.columns)}) SELECT "
                + ", ".join(f"unnest(?::{t}[])" for t in self.types))


_OBSERVATIONS = _Table("observations", (
    "submission_id", "indicator", "value", "raw", "quality", "evidence", "note", "cell"),
    ("INTEGER", "VARCHAR", "DOUBLE", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"))
_UNIT_OBSERVATIONS = _Table("unit_observations", (
    "submission_id", "indicator", "unit", "value", "raw", "quality", "evidence", "note", "cell"),
    ("INTEGER", "VARCHAR", "VARCHAR", "DOUBLE", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"))
_TASKS = _Table("tasks", (
    "submission_id", "code", "name", "area", "phase", "start_year", "end_year", "partners", "sector_project",
    "decision", "budget", "budget_source", "status", "note", "depends_on", "indicators", "sheet_row"),
    ("INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "INTEGER", "INTEGER", "VARCHAR[]", "VARCHAR",
     "VARCHAR", "DOUBLE", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR[]", "VARCHAR[]", "INTEGER"))
_COMMENTS = _Table("comments", ("submission_id", "sheet_row", "section", "comment", "proposal"),
                   ("INTEGER", "INTEGER", "VARCHAR", "VARCHAR", "VARCHAR"))
_PROBLEMS = _Table("submission_problems", (
    "submission_id", "severity", "code", "sheet", "cell", "value", "message_vi", "message_en"),
    ("INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"))
_AUDIT = _Table("audit_log", (
    "logged_at", "actor", "action", "submission_id", "department", "period", "detail"),
    ("TIMESTAMP", "VARCHAR", "VARCHAR", "INTEGER", "VARCHAR", "VARCHAR", "VARCHAR"))


class Rows:
    """Rows to insert, table by table, in the order they came: a batch of returns writes them
    with one statement per table (`flush`), before it reads any of them back or commits."""

    def __init__(self) -> None:
        self._rows: dict[_Table, list[list]] = {}

    def __bool__(self) -> bool:
        return bool(self._rows)

    def add(self, table: _Table, rows: list[list]) -> None:
        if rows:
            self._rows.setdefault(table, []).extend(rows)

    def flush(self, con: duckdb.DuckDBPyConnection) -> None:
        for table, rows in self._rows.items():
            con.execute(table.sql, [list(column) for column in zip(*rows, strict=True)])
        self._rows.clear()


def withdraw(con: duckdb.DuckDBPyConnection, submission_id: int, actor: Actor,
             reason: str) -> int | None:
    """Withdraw a submission; the one before it (if any) becomes current again. Returns it.
    Administrators only, and always with a reason (it is kept in the audit log)."""
    require_admin(actor)
    reason = accept(reason, "reason", MAX_REASON, multiline=True)
    if not reason:
        raise BadGrant("reason_required")
    row = con.execute(
        "SELECT department, period, status FROM submission_status WHERE id = ?",
        [submission_id]).fetchone()
    if row is None:
        raise StoreError(REFUSED, None, f"no submission {submission_id}")
    dept, period, status = row
    if status == "withdrawn":
        raise StoreError(REFUSED, None, f"submission {submission_id} is already withdrawn")
    with transaction(con):
        require_admin(acting(con, actor))
        now = utc_now()
        con.execute("INSERT INTO withdrawals VALUES (?, ?, ?, ?)",
                    [submission_id, now, actor.email, reason])
        current = con.execute(
            "SELECT id FROM current_submissions WHERE department = ? AND period = ?",
            [dept, period]).fetchone()
        _audit(con, now, actor.email, "withdraw", submission_id, dept, period,
               {"reason": reason, "current_after": current[0] if current else None})
    return current[0] if current else None


# Every kind of write the audit log records; the audit page names each (audit.action_<action>,
# audit.what_<action> in both languages, tested), so a new kind is declared here first.
AUDIT_ACTIONS = ("ingest", "withdraw", "respond", "grant", "revoke", "round_open", "round_extend",
                 "round_close")


def _audit(con, logged_at, actor, action, submission_id, dept, period, detail: dict,
           rows: Rows | None = None) -> None:
    """One line of the audit log, written now, or with `rows` when they are flushed."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"undeclared audit action {action!r}")
    line = [logged_at, actor, action, submission_id, dept, period, json.dumps(detail, ensure_ascii=False,
                                                                               default=str)]
    if rows is not None:
        rows.add(_AUDIT, [line])
        return
    con.execute(_AUDIT.sql, [[v] for v in line])


# ---- queries (frames for pages, the CLI and scoring) ----

def submissions(con: duckdb.DuckDBPyConnection, department: str | None = None,
                period: str | None = None) -> pd.DataFrame:
    return con.execute(
        """SELECT id, department, period, version, status, file_name, sha256, received_at,
                  uploader, preparer, prepared_on, n_values, n_expected, n_warnings, is_demo,
                  withdrawn_at, withdrawn_by, withdraw_reason, catalog_version
           FROM submission_status
           WHERE (? IS NULL OR department = ?) AND (? IS NULL OR period = ?)
           ORDER BY department, period, version""",
        [department, department, period, period]).df()


def current_observations(con: duckdb.DuckDBPyConnection, period: str | None = None) -> pd.DataFrame:
    return con.execute(
        """SELECT department, period, submission_id, indicator, value, raw, quality, evidence,
                  note, cell
           FROM current_observations WHERE (? IS NULL OR period = ?)
           ORDER BY period, department, indicator""", [period, period]).df()


def current_unit_observations(con: duckdb.DuckDBPyConnection,
                              period: str | None = None) -> pd.DataFrame:
    """Every current ward-level value (pilot indicators), by period, indicator and unit."""
    return con.execute(
        """SELECT department, period, submission_id, indicator, unit, value, raw, quality,
                  evidence, note, cell
           FROM current_unit_observations WHERE (? IS NULL OR period = ?)
           ORDER BY period, indicator, unit""", [period, period]).df()


# The plan as of a period: for each department, the tasks (or comments) of its current return
# of the latest period, up to that one, whose return has any (the QUALIFY clause below).
def roadmap_tasks(con: duckdb.DuckDBPyConnection, period: str | None = None,
               department: str | None = None) -> pd.DataFrame:
    """Every department's current tasks as of `period` (docs/roadmap.md), by department and code;
    one department's with `department`."""
    return con.execute(
        """SELECT department, period, submission_id, code, name, area, phase, start_year, end_year,
                  partners, sector_project, decision, budget, budget_source, status, note,
                  depends_on, indicators, sheet_row
           FROM current_tasks WHERE (? IS NULL OR CAST(period AS INTEGER) <= CAST(? AS INTEGER))
                AND (? IS NULL OR department = ?)
           QUALIFY dense_rank() OVER (PARTITION BY department ORDER BY CAST(period AS INTEGER) DESC) = 1
           ORDER BY department, code""",
        [period, period, department, department]).df()


def task_graph(con: duckdb.DuckDBPyConnection, period: str | None = None) -> dict[str, tuple[str, ...]]:
    """Every current task's code with what it depends on: what a new return's tasks may depend
    on, and the graph its cycles are looked for in."""
    frame = roadmap_tasks(con, period)
    return {code: tuple(depends) for code, depends in zip(frame.code, frame.depends_on, strict=True)}


def roadmap_comments(con: duckdb.DuckDBPyConnection, period: str | None = None,
                  department: str | None = None) -> pd.DataFrame:
    """Every department's current comments on the draft as of `period` (one department's with
    `department`), each with its latest response (accepted / explained) or none yet, and the
    return it was recorded on (`answered_on`, `answered_version`): another than the comment's
    own when the same comment was re-sent and its response carried over."""
    return con.execute(
        """SELECT department, period, submission_id, sheet_row, section, comment, proposal,
                  response, explanation, responded_at, responded_by, answered_on, answered_version
           FROM current_comments WHERE (? IS NULL OR CAST(period AS INTEGER) <= CAST(? AS INTEGER))
                AND (? IS NULL OR department = ?)
           QUALIFY dense_rank() OVER (PARTITION BY department ORDER BY CAST(period AS INTEGER) DESC) = 1
           ORDER BY department, sheet_row""",
        [period, period, department, department]).df()


def roadmap_sizes(con: duckdb.DuckDBPyConnection, department: str | None = None,
               period: str | None = None) -> dict[tuple[str, str], tuple[int, int]]:
    """(department, period) → (tasks, comments) of each current submission that has any (of one
    department and period when given): what a return for the same department and period would
    remove by leaving its sheets empty."""
    return {(d, p): (int(t), int(c)) for d, p, t, c in con.execute(
        """SELECT s.department, s.period,
                  (SELECT count(*) FROM tasks t WHERE t.submission_id = s.id),
                  (SELECT count(*) FROM comments m WHERE m.submission_id = s.id)
           FROM current_submissions s
           WHERE (? IS NULL OR s.department = ?) AND (? IS NULL OR s.period = ?)""",
        [department, department, period, period]).fetchall() if t or c}


RESPONSES = ("accepted", "explained")


def respond(con: duckdb.DuckDBPyConnection, actor: Actor, submission_id: int, sheet_row: int,
            response: str, explanation: str) -> None:
    """Record the lead department's response to one comment (administrators only): accepted, or explained
    — an explanation is then required. Append-only: the latest response is the one shown, every
    one stays in the audit log."""
    require_admin(actor)
    if response not in RESPONSES:
        raise BadGrant("response_unknown", response=response, responses=", ".join(RESPONSES))
    explanation = accept(explanation, "explanation", MAX_EXPLANATION, multiline=True)
    if response == "explained" and not explanation:
        raise BadGrant("explanation_required")
    found = con.execute(
        """SELECT c.department, c.period FROM comments m JOIN submissions c ON c.id = m.submission_id
           WHERE m.submission_id = ? AND m.sheet_row = ?""", [submission_id, sheet_row]).fetchone()
    if found is None:
        raise BadGrant("comment_unknown", submission=submission_id, row=sheet_row)
    with transaction(con):
        require_admin(acting(con, actor))
        now = utc_now()
        con.execute("""INSERT INTO comment_responses (submission_id, sheet_row, response, explanation,
                                                      responded_at, responded_by)
                       VALUES (?, ?, ?, ?, ?, ?)""",
                    [submission_id, sheet_row, response, explanation or None, now, actor.email])
        _audit(con, now, actor.email, "respond", submission_id, found[0], found[1], {
            "row": sheet_row, "response": response, "explanation": explanation})


def unit_observations(con: duckdb.DuckDBPyConnection, submission_id: int) -> pd.DataFrame:
    return con.execute(
        "SELECT indicator, unit, value, raw, quality, evidence, note, cell FROM unit_observations "
        "WHERE submission_id = ? ORDER BY indicator, unit", [submission_id]).df()


def observations(con: duckdb.DuckDBPyConnection, submission_id: int) -> pd.DataFrame:
    return con.execute(
        "SELECT indicator, value, raw, quality, evidence, note, cell FROM observations "
        "WHERE submission_id = ? ORDER BY indicator", [submission_id]).df()


def submission_problems(con: duckdb.DuckDBPyConnection, submission_id: int) -> pd.DataFrame:
    return con.execute(
        "SELECT severity, code, sheet, cell, value, message_vi, message_en "
        "FROM submission_problems WHERE submission_id = ?", [submission_id]).df()


def audit_log(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM audit_log ORDER BY id").df()


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """True when any current return is illustrative demo data (then every view says so)."""
    return bool(scalar(con, "SELECT coalesce(bool_or(is_demo), FALSE) FROM current_submissions"))


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    return scalar(con, "SELECT count(*) FROM submissions") == 0


# ---- who may do what (grants; every change is in the audit log) ----

def acting(con: duckdb.DuckDBPyConnection, actor: Actor) -> Actor:
    """The actor as the store knows them at this moment (read inside the write's transaction):
    the object a page or a command holds may be older than a revoke, so its role is never
    trusted. The local administrator has no grant to read (docs/security.md)."""
    if actor.is_local:
        return actor
    found = actor_for(con, actor.email)
    if found is None:
        raise Forbidden("no_grant_now", who=actor.email)
    return found


def actor_for(con: duckdb.DuckDBPyConnection, email: str) -> Actor | None:
    """The signed-in person with their grant, or None when they have none."""
    row = con.execute("SELECT email, role, departments FROM grants WHERE email = ?",
                      [normal_email(email)]).fetchone()
    return Actor(row[0], row[1], frozenset(row[2])) if row else None


def grants(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """email, role, departments, granted_by, granted_at: every grant, by email."""
    return con.execute("SELECT email, role, departments, granted_by, granted_at FROM grants "
                       "ORDER BY email").df()


def grant(con: duckdb.DuckDBPyConnection, actor: Actor, email: str, role: str,
          departments: list[str], known_departments: list[str]) -> None:
    """Give `email` a role (replacing their grant): administrators only."""
    require_admin(actor)
    email = normal_email(email)
    chosen = check_grant(email, role, departments, known_departments)
    with transaction(con):
        require_admin(acting(con, actor))
        before = actor_for(con, email)
        if before is not None and before.is_admin and role != ADMIN:
            _keep_an_admin(con, email)
        con.execute("DELETE FROM grants WHERE email = ?", [email])
        now = utc_now()
        con.execute("INSERT INTO grants VALUES (?, ?, ?, ?, ?)", [email, role, chosen, actor.email, now])
        _audit(con, now, actor.email, "grant", None, None, None, {
            "email": email, "role": role, "departments": chosen,
            "before": None if before is None else {"role": before.role,
                                                   "departments": sorted(before.departments)}})


def revoke(con: duckdb.DuckDBPyConnection, actor: Actor, email: str) -> None:
    """Take `email`'s grant away: administrators only; the last administrator stays."""
    require_admin(actor)
    email = normal_email(email)
    with transaction(con):
        require_admin(acting(con, actor))
        before = actor_for(con, email)
        if before is None:
            raise BadGrant("no_grant", email=email)
        if before.is_admin:
            _keep_an_admin(con, email)
        con.execute("DELETE FROM grants WHERE email = ?", [email])
        _audit(con, utc_now(), actor.email, "revoke", None, None, None, {
            "email": email, "role": before.role, "departments": sorted(before.departments)})


def _keep_an_admin(con: duckdb.DuckDBPyConnection, leaving: str) -> None:
    others = scalar(con, "SELECT count(*) FROM grants WHERE role = ? AND email <> ?", [ADMIN, leaving])
    if not others:
        raise BadGrant("last_admin", email=leaving)


# ---- reporting rounds ----

MAX_MESSAGE = 2000  # characters of a round's message to the departments
ROUND_OPEN, ROUND_CLOSED = "open", "closed"


def _round(con: duckdb.DuckDBPyConnection, period: str) -> dict | None:
    """The round of `period` as its events left it (None when none was opened)."""
    found = rounds(con)
    found = found[found.period == period]
    return None if found.empty else found.iloc[0].to_dict()


def open_round(con: duckdb.DuckDBPyConnection, actor: Actor, period: str, deadline: date,
               departments: list[str], message: str, known_departments: list[str]) -> None:
    """Opens the round of `period` (administrators only): its deadline, the departments that
    report (all of `known_departments` when none is named) and a message to them. A period has
    one round: one already open is extended or closed, not opened again."""
    require_admin(actor)
    period, deadline = _round_period(period), _round_deadline(deadline, period)
    unknown = sorted({d.upper() for d in departments} - set(known_departments))
    if unknown:
        raise BadGrant("round_unknown_department", departments=", ".join(unknown),
                       known=", ".join(known_departments))
    chosen = sorted({d.upper() for d in departments}) or list(known_departments)
    message = accept(message, "round_message", MAX_MESSAGE, multiline=True)
    with transaction(con):
        require_admin(acting(con, actor))
        current = _round(con, period)
        if current is not None and current["status"] == ROUND_OPEN:
            raise BadGrant("round_already_open", period=period, deadline=current["deadline"])
        now = utc_now()
        _round_event(con, period, "open", deadline, chosen, message or None, now, actor)
        _audit(con, now, actor.email, "round_open", None, None, period,
               {"deadline": deadline.isoformat(), "departments": chosen, "message": message})


def extend_round(con: duckdb.DuckDBPyConnection, actor: Actor, period: str, deadline: date) -> None:
    """A later deadline for an open round (administrators only)."""
    require_admin(actor)
    period, deadline = _round_period(period), _round_deadline(deadline, period)
    with transaction(con):
        require_admin(acting(con, actor))
        current = _open_round(con, period)
        if deadline <= current["deadline"]:
            raise BadGrant("round_deadline_not_later", period=period, deadline=current["deadline"])
        now = utc_now()
        _round_event(con, period, "extend", deadline, None, None, now, actor)
        _audit(con, now, actor.email, "round_extend", None, None, period,
               {"deadline": deadline.isoformat(), "before": current["deadline"].isoformat()})


def close_round(con: duckdb.DuckDBPyConnection, actor: Actor, period: str) -> None:
    """Closes an open round (administrators only): returns are still taken, the round is done."""
    require_admin(actor)
    period = _round_period(period)
    with transaction(con):
        require_admin(acting(con, actor))
        current = _open_round(con, period)
        now = utc_now()
        _round_event(con, period, "close", None, None, None, now, actor)
        _audit(con, now, actor.email, "round_close", None, None, period,
               {"deadline": current["deadline"].isoformat()})


def rounds(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every round as its events left it, newest period first: period, deadline, status (open or
    closed), departments, message, opened_at, opened_by, closed_at. A round opened again after it
    was closed starts afresh."""
    state: dict[str, dict] = {}
    for period, action, deadline, departments, message, at, actor in con.execute(
            "SELECT period, action, deadline, departments, message, logged_at, actor FROM round_events "
            "ORDER BY id").fetchall():
        if action == "open":
            state[period] = {"period": period, "deadline": deadline, "status": ROUND_OPEN,
                             "departments": list(departments or []), "message": message, "opened_at": at,
                             "opened_by": actor, "closed_at": None}
        elif action == "extend":
            state[period]["deadline"] = deadline
        else:
            state[period].update(status=ROUND_CLOSED, closed_at=at)
    columns = ["period", "deadline", "status", "departments", "message", "opened_at", "opened_by",
               "closed_at"]
    return pd.DataFrame([state[p] for p in sorted(state, reverse=True)], columns=columns)


def _open_round(con: duckdb.DuckDBPyConnection, period: str) -> dict:
    current = _round(con, period)
    if current is None or current["status"] != ROUND_OPEN:
        raise BadGrant("round_not_open", period=period)
    return current


def _round_event(con, period: str, action: str, deadline: date | None, departments: list[str] | None,
                 message: str | None, at, actor: Actor) -> None:
    con.execute("""INSERT INTO round_events (period, action, deadline, departments, message, logged_at,
                                              actor) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [period, action, deadline, departments, message, at, actor.email])


def _round_period(period: object) -> str:
    text = str(period).strip()
    if not text.isdigit() or not PERIOD_FIRST <= int(text) <= PERIOD_LAST:
        raise BadGrant("round_period", period=text[:20], first=PERIOD_FIRST, last=PERIOD_LAST)
    return text


def _round_deadline(deadline: date, period: str) -> date:
    """A deadline in the period or the year after it (a round for 2026 closes in 2026 or 2027)."""
    if not isinstance(deadline, date) or not int(period) <= deadline.year <= int(period) + 1:
        raise BadGrant("round_deadline", deadline=str(deadline)[:20], period=period, last=int(period) + 1)
    return deadline


def audit_events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every write, newest first: when, who, what, the submission with its department, period
    and file (name, SHA-256), and the detail (reason, version, grant)."""
    return con.execute(
        """SELECT a.id, a.logged_at, a.actor, a.action, a.submission_id, a.department, a.period,
                  s.file_name, s.sha256, s.version,
                  json_extract(a.detail, '$.supersedes')::INTEGER AS supersedes,
                  json_extract_string(a.detail, '$.email') AS person,
                  json_extract_string(a.detail, '$.role') AS role,
                  json_extract_string(a.detail, '$.reason') AS reason,
                  json_extract(a.detail, '$.row')::INTEGER AS sheet_row,
                  json_extract_string(a.detail, '$.response') AS response,
                  json_extract_string(a.detail, '$.explanation') AS explanation,
                  json_extract_string(a.detail, '$.deadline') AS deadline, a.detail
           FROM audit_log a LEFT JOIN submissions s ON s.id = a.submission_id
           ORDER BY a.id DESC""").df()
