"""The DuckDB schema: its migrations, the connection that applies them, transactions.

Every table is append-only: a newer return supersedes by having a higher version, and a
withdrawal is a row of its own, so history is never rewritten. Status (current,
superseded, withdrawn) is derived in views, never stored.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from sca_metrics.store.errors import IO, StoreError, classify

log = logging.getLogger(__name__)

SCHEMA_VERSION = 7

MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE SEQUENCE submission_id_seq START 1",
        """CREATE TABLE submissions (
            id INTEGER PRIMARY KEY DEFAULT nextval('submission_id_seq'),
            department VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            version INTEGER NOT NULL,
            file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            received_at TIMESTAMP NOT NULL,
            uploader VARCHAR NOT NULL,
            preparer VARCHAR,
            prepared_on DATE,
            catalog_version VARCHAR,
            n_expected INTEGER NOT NULL,
            n_values INTEGER NOT NULL,
            is_demo BOOLEAN NOT NULL DEFAULT FALSE,
            UNIQUE (department, period, version)
        )""",
        """CREATE TABLE observations (
            submission_id INTEGER NOT NULL REFERENCES submissions (id),
            indicator VARCHAR NOT NULL,
            value DOUBLE,
            raw VARCHAR,
            quality VARCHAR NOT NULL,
            evidence VARCHAR,
            note VARCHAR,
            cell VARCHAR,
            PRIMARY KEY (submission_id, indicator)
        )""",
        """CREATE TABLE submission_problems (
            submission_id INTEGER NOT NULL REFERENCES submissions (id),
            severity VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            sheet VARCHAR,
            cell VARCHAR,
            value VARCHAR,
            message_vi VARCHAR,
            message_en VARCHAR
        )""",
        """CREATE TABLE withdrawals (
            submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
            withdrawn_at TIMESTAMP NOT NULL,
            withdrawn_by VARCHAR NOT NULL,
            reason VARCHAR
        )""",
        "CREATE SEQUENCE audit_id_seq START 1",
        """CREATE TABLE audit_log (
            id BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
            logged_at TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            submission_id INTEGER,
            department VARCHAR,
            period VARCHAR,
            detail VARCHAR
        )""",
        """CREATE VIEW current_submissions AS
            SELECT s.* FROM submissions s
            WHERE s.id NOT IN (SELECT submission_id FROM withdrawals)
            QUALIFY row_number() OVER (PARTITION BY s.department, s.period
                                       ORDER BY s.version DESC) = 1""",
        """CREATE VIEW submission_status AS
            SELECT s.*,
                   CASE WHEN w.submission_id IS NOT NULL THEN 'withdrawn'
                        WHEN c.id IS NOT NULL THEN 'current'
                        ELSE 'superseded' END AS status,
                   w.withdrawn_at, w.withdrawn_by, w.reason AS withdraw_reason,
                   (SELECT count(*) FROM submission_problems p
                     WHERE p.submission_id = s.id AND p.severity = 'warning') AS n_warnings
            FROM submissions s
            LEFT JOIN withdrawals w ON w.submission_id = s.id
            LEFT JOIN current_submissions c ON c.id = s.id""",
        """CREATE VIEW current_observations AS
            SELECT c.department, c.period, o.*
            FROM observations o JOIN current_submissions c ON c.id = o.submission_id""",
    ],
    # Pilot indicators per ward or commune (the ward sheet); the city value is derived.
    2: [
        """CREATE TABLE unit_observations (
            submission_id INTEGER NOT NULL REFERENCES submissions (id),
            indicator VARCHAR NOT NULL,
            unit VARCHAR NOT NULL,
            value DOUBLE,
            raw VARCHAR,
            quality VARCHAR NOT NULL,
            evidence VARCHAR,
            note VARCHAR,
            cell VARCHAR,
            PRIMARY KEY (submission_id, indicator, unit)
        )""",
        """CREATE VIEW current_unit_observations AS
            SELECT c.department, c.period, u.*
            FROM unit_observations u JOIN current_submissions c ON c.id = u.submission_id""",
    ],
    # Who may do what: one grant per person (the audit log keeps every change).
    3: [
        """CREATE TABLE grants (
            email VARCHAR PRIMARY KEY,
            role VARCHAR NOT NULL,
            departments VARCHAR[] NOT NULL,
            granted_by VARCHAR NOT NULL,
            granted_at TIMESTAMP NOT NULL
        )""",
    ],
    # The plan (docs/roadmap.md): each return's tasks and comments on the draft, superseded with
    # it; the lead department's responses to the comments, append-only (the latest answers).
    4: [
        """CREATE TABLE tasks (
            submission_id INTEGER NOT NULL REFERENCES submissions (id),
            code VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            area VARCHAR NOT NULL,
            phase VARCHAR NOT NULL,
            start_year INTEGER NOT NULL,
            end_year INTEGER NOT NULL,
            partners VARCHAR[] NOT NULL,
            sector_project VARCHAR,
            decision VARCHAR,
            budget DOUBLE,
            budget_source VARCHAR,
            status VARCHAR NOT NULL,
            note VARCHAR,
            depends_on VARCHAR[] NOT NULL,
            indicators VARCHAR[] NOT NULL,
            sheet_row INTEGER NOT NULL,
            PRIMARY KEY (submission_id, code)
        )""",
        """CREATE TABLE comments (
            submission_id INTEGER NOT NULL REFERENCES submissions (id),
            sheet_row INTEGER NOT NULL,
            section VARCHAR NOT NULL,
            comment VARCHAR NOT NULL,
            proposal VARCHAR,
            PRIMARY KEY (submission_id, sheet_row)
        )""",
        "CREATE SEQUENCE response_id_seq START 1",
        """CREATE TABLE comment_responses (
            id BIGINT PRIMARY KEY DEFAULT nextval('response_id_seq'),
            submission_id INTEGER NOT NULL REFERENCES submissions (id),
            sheet_row INTEGER NOT NULL,
            response VARCHAR NOT NULL,
            explanation VARCHAR,
            responded_at TIMESTAMP NOT NULL,
            responded_by VARCHAR NOT NULL
        )""",
        """CREATE VIEW current_tasks AS
            SELECT c.department, c.period, t.*
            FROM tasks t JOIN current_submissions c ON c.id = t.submission_id""",
        """CREATE VIEW current_comments AS
            SELECT c.department, c.period, m.*, r.response, r.explanation, r.responded_at,
                   r.responded_by
            FROM comments m JOIN current_submissions c ON c.id = m.submission_id
            LEFT JOIN (SELECT * FROM comment_responses
                       QUALIFY row_number() OVER (PARTITION BY submission_id, sheet_row
                                                  ORDER BY id DESC) = 1) r
              ON r.submission_id = m.submission_id AND r.sheet_row = m.sheet_row""",
    ],
    # A response answers what was said, not a row of one file: a comment re-sent unchanged by its
    # department (the same section, comment and proposal) keeps its latest response, whichever
    # return it was recorded on (docs/roadmap.md). Nothing is copied; every response stays.
    5: [
        """CREATE OR REPLACE VIEW current_comments AS
            WITH answered AS (
                SELECT s.department, m.section, m.comment, coalesce(m.proposal, '') AS proposal,
                       r.response, r.explanation, r.responded_at, r.responded_by
                FROM comment_responses r
                JOIN comments m ON m.submission_id = r.submission_id AND m.sheet_row = r.sheet_row
                JOIN submissions s ON s.id = r.submission_id
                QUALIFY row_number() OVER (PARTITION BY s.department, m.section, m.comment,
                                                        coalesce(m.proposal, '')
                                           ORDER BY r.id DESC) = 1)
            SELECT c.department, c.period, m.*, a.response, a.explanation, a.responded_at,
                   a.responded_by
            FROM comments m JOIN current_submissions c ON c.id = m.submission_id
            LEFT JOIN answered a ON a.department = c.department AND a.section = m.section
                 AND a.comment = m.comment AND a.proposal = coalesce(m.proposal, '')""",
    ],
    # The same, saying which return a response was recorded on (and its version): a response
    # carried over from an earlier return of the same comment is shown as carried over.
    6: [
        """CREATE OR REPLACE VIEW current_comments AS
            WITH answered AS (
                SELECT s.department, m.section, m.comment, coalesce(m.proposal, '') AS proposal,
                       r.response, r.explanation, r.responded_at, r.responded_by,
                       r.submission_id AS answered_on, s.version AS answered_version
                FROM comment_responses r
                JOIN comments m ON m.submission_id = r.submission_id AND m.sheet_row = r.sheet_row
                JOIN submissions s ON s.id = r.submission_id
                QUALIFY row_number() OVER (PARTITION BY s.department, m.section, m.comment,
                                                        coalesce(m.proposal, '')
                                           ORDER BY r.id DESC) = 1)
            SELECT c.department, c.period, m.*, a.response, a.explanation, a.responded_at,
                   a.responded_by, a.answered_on, a.answered_version
            FROM comments m JOIN current_submissions c ON c.id = m.submission_id
            LEFT JOIN answered a ON a.department = c.department AND a.section = m.section
                 AND a.comment = m.comment AND a.proposal = coalesce(m.proposal, '')""",
    ],
    # Reporting rounds (docs/operating/rounds.md): a round is what was said of it, in order —
    # opened (its deadline, the departments that report, a message), extended, closed — never
    # edited; its state is the latest of each.
    7: [
        "CREATE SEQUENCE round_event_seq START 1",
        """CREATE TABLE round_events (
            id BIGINT PRIMARY KEY DEFAULT nextval('round_event_seq'),
            period VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            deadline DATE,
            departments VARCHAR[],
            message VARCHAR,
            logged_at TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL
        )""",
    ],
}


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and create or migrate) the database file: a plain connection for tests, the
    demo builder and the benchmarks. The dashboard and the command line go through
    `database.Database`, which shares one handle per process and waits for locks."""
    path = Path(path)
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only)
    except (duckdb.Error, OSError) as exc:
        raise classify(exc, path) from exc
    if not read_only:
        migrate(con)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration newer than the database's schema version; return the version."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    current = schema_version(con)
    for version in sorted(v for v in MIGRATIONS if v > current):
        with transaction(con):
            for statement in MIGRATIONS[version]:
                con.execute(statement)
            con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, utc_now()])
        current = version
    return current


def check_schema(con: duckdb.DuckDBPyConnection, minimum: int = SCHEMA_VERSION) -> None:
    """For a file opened read-only (nothing can be migrated): it must be this version's, or at
    least `minimum` (a backup to restore: it is migrated when next opened for writing)."""
    found = scalar(con, "SELECT count(*) FROM information_schema.tables "
                        "WHERE table_name = 'schema_version'")
    version = schema_version(con) if found else 0
    if version < minimum:
        raise StoreError(IO, None, f"schema version {version} < {SCHEMA_VERSION}: open the file "
                                   "once where it can be written to upgrade it")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing. When the commit itself fails (a full disk), DuckDB has already rolled
    back and a second rollback would fail too, hiding the real reason: it is not tried."""
    con.begin()
    try:
        yield
    except BaseException:
        try:
            con.rollback()
        except duckdb.Error:
            log.warning("rollback after a failed write did not run", exc_info=True)
        raise
    try:
        con.commit()
    except duckdb.Error:
        try:
            con.rollback()
        except duckdb.Error:
            pass  # "no transaction is active": the failed commit rolled back already
        raise


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> Any:
    """The one value of a statement that returns exactly one row (an aggregate, RETURNING)."""
    row = con.execute(sql, params or []).fetchone()
    if row is None:
        raise duckdb.InvalidInputException(f"no row from: {sql.split()[0]} …")
    return row[0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    return int(scalar(con, "SELECT coalesce(max(version), 0) FROM schema_version"))


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# Every table of the schema (a test checks this against the database itself).
TABLES = ("schema_version", "submissions", "observations", "unit_observations",
          "submission_problems", "withdrawals", "audit_log", "grants", "tasks", "comments",
          "comment_responses", "round_events")
def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every table (0 for a table an older schema does not have yet): a
    fingerprint that proves nothing changed (tests) and that a backup holds everything."""
    present = {row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    # Table names cannot be parameters; these come from the TABLES constant, never from input.
    parts = [f'(SELECT count(*) FROM "{name}")' if name in present else "0"  # noqa: S608
             for name in TABLES]
    row = con.execute("SELECT " + ", ".join(parts)).fetchone() or ()
    return dict(zip(TABLES, row, strict=True))
