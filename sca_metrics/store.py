"""The DuckDB store: submissions with provenance, observations, warnings, an audit log.

Every table is append-only: a newer return supersedes by having a higher version, and a
withdrawal is a row of its own, so history is never rewritten. Status (current,
superseded, withdrawn) is derived in views, never stored. Every statement is parameterised.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from sca_metrics.database import IO, REFUSED, StoreError, classify
from sca_metrics.validate import CheckedReturn

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2

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
}


@dataclass(frozen=True)
class Saved:
    submission_id: int
    version: int
    supersedes: int | None


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
            con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])
        current = version
    return current


def check_schema(con: duckdb.DuckDBPyConnection) -> None:
    """For a file opened read-only (nothing can be migrated): it must be this version's."""
    found = con.execute("SELECT count(*) FROM information_schema.tables "
                        "WHERE table_name = 'schema_version'").fetchone()[0]
    version = schema_version(con) if found else 0
    if version < SCHEMA_VERSION:
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


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def find_current_by_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple | None:
    """The current submission with exactly this content: re-sending it changes nothing."""
    return con.execute(
        "SELECT id, department, period, version FROM current_submissions WHERE sha256 = ?",
        [sha256],
    ).fetchone()


def save_return(
    con: duckdb.DuckDBPyConnection,
    checked: CheckedReturn,
    *,
    file_name: str,
    sha256: str,
    uploader: str,
    catalog_version: str,
    is_demo: bool = False,
) -> Saved:
    """Store a valid return in one transaction; the previous current one is superseded."""
    if not checked.ok:
        raise StoreError(REFUSED, None, "refusing to store a return with errors")
    with transaction(con):
        dept, period = checked.department, checked.period
        prev = con.execute(
            "SELECT id FROM current_submissions WHERE department = ? AND period = ?",
            [dept, period]).fetchone()
        version = con.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM submissions "
            "WHERE department = ? AND period = ?", [dept, period]).fetchone()[0]
        now = _now()
        sid = con.execute(
            """INSERT INTO submissions (department, period, version, file_name, sha256,
                   received_at, uploader, preparer, prepared_on, catalog_version,
                   n_expected, n_values, is_demo)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            [dept, period, version, file_name, sha256, now, uploader, checked.preparer,
             checked.prepared_on, catalog_version, checked.n_expected, checked.n_values, is_demo],
        ).fetchone()[0]
        if checked.records:
            _insert_columns(con, _INSERT_OBSERVATIONS, sid, [
                [r.indicator, r.value, r.raw, r.quality, r.evidence, r.note, r.cell]
                for r in checked.records])
        if checked.unit_records:
            _insert_columns(con, _INSERT_UNIT_OBSERVATIONS, sid, [
                [r.indicator, r.unit, r.value, r.raw, r.quality, r.evidence, r.note, r.cell]
                for r in checked.unit_records])
        if checked.problems:
            _insert_columns(con, _INSERT_PROBLEMS, sid, [
                [p.severity, p.code, p.sheet, p.cell, p.value, p.message("vi"), p.message("en")]
                for p in checked.problems])
        _audit(con, now, uploader, "ingest", sid, dept, period, {
            "file_name": file_name, "sha256": sha256, "version": version,
            "supersedes": prev[0] if prev else None, "n_values": checked.n_values,
            "n_warnings": len(checked.problems), "is_demo": is_demo,
        })
    return Saved(sid, version, prev[0] if prev else None)


# One statement per table and return: the rows travel as list parameters (columns) and are
# unnested in SQL, which is much faster in DuckDB than executemany and still parameterised.
_INSERT_OBSERVATIONS = """
    INSERT INTO observations
    SELECT ?, unnest(?::VARCHAR[]), unnest(?::DOUBLE[]), unnest(?::VARCHAR[]),
           unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])"""
_INSERT_UNIT_OBSERVATIONS = """
    INSERT INTO unit_observations
    SELECT ?, unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::DOUBLE[]), unnest(?::VARCHAR[]),
           unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])"""
_INSERT_PROBLEMS = """
    INSERT INTO submission_problems
    SELECT ?, unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),
           unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])"""


def _insert_columns(con: duckdb.DuckDBPyConnection, sql: str, sid: int, rows: list[list]) -> None:
    con.execute(sql, [sid, *(list(col) for col in zip(*rows, strict=True))])


def withdraw(con: duckdb.DuckDBPyConnection, submission_id: int, actor: str,
             reason: str = "") -> int | None:
    """Withdraw a submission; the one before it (if any) becomes current again. Returns it."""
    row = con.execute(
        "SELECT department, period, status FROM submission_status WHERE id = ?",
        [submission_id]).fetchone()
    if row is None:
        raise StoreError(REFUSED, None, f"no submission {submission_id}")
    dept, period, status = row
    if status == "withdrawn":
        raise StoreError(REFUSED, None, f"submission {submission_id} is already withdrawn")
    with transaction(con):
        now = _now()
        con.execute("INSERT INTO withdrawals VALUES (?, ?, ?, ?)",
                    [submission_id, now, actor, reason])
        current = con.execute(
            "SELECT id FROM current_submissions WHERE department = ? AND period = ?",
            [dept, period]).fetchone()
        _audit(con, now, actor, "withdraw", submission_id, dept, period,
               {"reason": reason, "current_after": current[0] if current else None})
    return current[0] if current else None


def _audit(con, logged_at, actor, action, submission_id, dept, period, detail: dict) -> None:
    con.execute(
        "INSERT INTO audit_log (logged_at, actor, action, submission_id, department, period, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [logged_at, actor, action, submission_id, dept, period,
         json.dumps(detail, ensure_ascii=False, default=str)])


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
    return bool(con.execute(
        "SELECT coalesce(bool_or(is_demo), FALSE) FROM current_submissions").fetchone()[0])


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0


# Every table of the schema (a test checks this against the database itself).
TABLES = ("schema_version", "submissions", "observations", "unit_observations",
          "submission_problems", "withdrawals", "audit_log")
_COUNTS = """SELECT (SELECT count(*) FROM schema_version), (SELECT count(*) FROM submissions),
                     (SELECT count(*) FROM observations), (SELECT count(*) FROM unit_observations),
                     (SELECT count(*) FROM submission_problems), (SELECT count(*) FROM withdrawals),
                     (SELECT count(*) FROM audit_log)"""


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every table: a fingerprint that proves nothing changed (tests) and
    that a backup holds everything (backup, restore)."""
    row = con.execute(_COUNTS).fetchone()
    return dict(zip(TABLES, row, strict=True))
