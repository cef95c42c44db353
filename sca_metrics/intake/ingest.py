"""workbook bytes → read → validate → store, as one call with one result per file."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from sca_metrics.intake.reader import Limits, read_workbook
from sca_metrics.intake.validate import check_workbook
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.problems import Problem, errors
from sca_metrics.reference.roles import Actor
from sca_metrics.store import queries
from sca_metrics.store.records import CheckedReturn

ACCEPTED, DUPLICATE, REJECTED = "accepted", "duplicate", "rejected"
log = logging.getLogger(__name__)


@dataclass
class IngestResult:
    file_name: str
    status: str
    sha256: str
    problems: list[Problem] = field(default_factory=list)
    department: str | None = None
    period: str | None = None
    submission_id: int | None = None
    version: int | None = None
    supersedes: int | None = None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_bytes(data: bytes, catalog: Catalog, expected_department: str | None = None,
                expected_period: str | None = None, known_tasks: Collection[str] = ()) -> CheckedReturn:
    """Everything that can be said about a file without touching the database (`known_tasks`:
    the current task codes, which the file's tasks may depend on)."""
    book, problems = read_workbook(data, Limits.for_catalog(len(catalog.indicators)))
    if book is None:
        return CheckedReturn(None, None, problems=problems)
    return check_workbook(book, catalog, expected_department, expected_period, known_tasks=known_tasks)


def ingest_bytes(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    catalog: Catalog,
    actor: Actor,
    expected_department: str | None = None,
    expected_period: str | None = None,
    is_demo: bool = False,
) -> IngestResult:
    """Check a workbook and store it as `actor`'s return, if it is valid and theirs to submit:
    a return for a department the actor may not submit for is rejected, with a problem that
    says so, and nothing is stored."""
    started = time.perf_counter()
    digest = sha256(data)
    same = queries.find_current_by_sha(con, digest) if actor.may_upload else None
    if not actor.may_upload:
        result = IngestResult(file_name, REJECTED, digest,
                              [Problem("upload_role", params={"who": actor.email})])
    elif same is not None:
        sid, dept, period, version = same
        result = IngestResult(file_name, DUPLICATE, digest, department=dept, period=period,
                              submission_id=sid, version=version)
    else:
        result = _check_and_save(con, data, digest, file_name, catalog, actor,
                                 expected_department, expected_period, is_demo)
    log.info("ingest %r by %r: %s (%s %s, %d problems) in %.3f s", file_name, actor.email,
             result.status, result.department, result.period, len(result.problems),
             time.perf_counter() - started)
    return result


def _check_and_save(con: duckdb.DuckDBPyConnection, data: bytes, digest: str, file_name: str,
                    catalog: Catalog, actor: Actor, expected_department: str | None,
                    expected_period: str | None, is_demo: bool) -> IngestResult:
    checked = check_bytes(data, catalog, expected_department, expected_period, queries.task_codes(con))
    if checked.department is not None and not actor.can_upload(checked.department):
        checked.problems.insert(0, Problem("upload_department", params={
            "who": actor.email, "department": checked.department}))
    result = IngestResult(file_name, REJECTED, digest, checked.problems,
                          checked.department, checked.period)
    if errors(checked.problems):
        return result
    saved = queries.save_return(con, checked, file_name=file_name, sha256=digest,
                                actor=actor, catalog_version=catalog.version, is_demo=is_demo)
    result.status = ACCEPTED
    result.submission_id, result.version, result.supersedes = (
        saved.submission_id, saved.version, saved.supersedes)
    return result


def ingest_path(con: duckdb.DuckDBPyConnection, path: Path, catalog: Catalog, actor: Actor,
                **kwargs) -> IngestResult:
    path = Path(path)
    return ingest_bytes(con, path.read_bytes(), path.name, catalog, actor, **kwargs)
