"""workbook bytes → read → validate → store: one file in one call (`ingest_bytes`), or many with
one commit per batch (`ingest_many`); one result per file either way."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import duckdb

from sca_metrics import settings
from sca_metrics.intake import layout
from sca_metrics.intake.reader import Limits, read_workbook, too_large
from sca_metrics.intake.validate import check_workbook
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.problems import Problem, errors
from sca_metrics.reference.roles import Actor
from sca_metrics.reference.textnorm import file_label
from sca_metrics.store import queries
from sca_metrics.store.records import CheckedReturn
from sca_metrics.store.schema import transaction

ACCEPTED, DUPLICATE, REJECTED = "accepted", "duplicate", "rejected"
BATCH = 200  # files a transaction: one commit for them, their checked returns held until it
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
                expected_period: str | None = None,
                known_tasks: Mapping[str, Sequence[str]] | None = None) -> CheckedReturn:
    """Everything that can be said about a file without touching the database (`known_tasks`:
    the current tasks, code → what each depends on, which the file's tasks may depend on)."""
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
    remove_roadmap: bool = False,
) -> IngestResult:
    """Check a workbook and store it as `actor`'s return, if it is valid and theirs to submit:
    a return for a department the actor may not submit for is rejected, with a problem that
    says so, and nothing is stored. A return whose tasks (or comments) sheet is empty while the
    current return of its department and period has tasks (comments) would remove them: it is
    rejected unless `remove_roadmap` says that is meant. One transaction of its own."""
    started = time.perf_counter()
    item = Incoming(file_name, data, None, expected_department, expected_period)
    result, checked = _examine(_Direct(con), item, data, catalog, actor, remove_roadmap)
    if checked is not None:
        _stored(result, queries.save_return(con, checked, **_meta(result, actor, catalog, is_demo)))
    _log(result, actor, started)
    return result


@dataclass(frozen=True)
class Incoming:
    """One file to ingest: its name and its bytes, or the path to read them from (its size
    bounded before it is read), with what the caller expects of it."""

    file_name: str
    data: bytes | None = None
    path: Path | None = None
    expected_department: str | None = None
    expected_period: str | None = None

    def __post_init__(self) -> None:
        # a file's name is provenance, not content: what the policy refuses is removed from it
        object.__setattr__(self, "file_name", file_label(self.file_name))

    @classmethod
    def of_path(cls, path: Path | str, expected_department: str | None = None,
                expected_period: str | None = None) -> Incoming:
        path = Path(path)
        return cls(path.name, None, path, expected_department, expected_period)

    def read(self) -> tuple[bytes | None, list[Problem]]:
        """The bytes, or why they were not read (too big, unreadable)."""
        if self.data is not None:
            return self.data, []
        assert self.path is not None
        limit = settings.current().upload_bytes
        try:
            size = self.path.stat().st_size
            if size > limit:  # refused before it is read: a huge file never reaches memory
                return None, [too_large(size, limit)]
            return self.path.read_bytes(), []
        except OSError as exc:
            return None, [Problem("file_unreadable", params={"detail": exc.strerror or type(exc).__name__})]


def ingest_many(con: duckdb.DuckDBPyConnection, files: Iterable[Incoming], catalog: Catalog, actor: Actor,
                *, is_demo: bool = False, batch: int = BATCH,
                remove_roadmap: bool = False) -> Iterator[IngestResult]:
    """Many returns, each checked and stored exactly as `ingest_bytes` would in the same order,
    with one commit per `batch` files instead of one per file. A batch's results come once it
    is committed. A file whose store step fails is rejected alone: DuckDB has no savepoints, so
    the batch is rolled back, the files before it in the batch are stored again, and it goes on."""
    chunk: list[Incoming] = []
    for item in files:
        chunk.append(item)
        if len(chunk) >= batch:
            yield from _batch(con, chunk, catalog, actor, is_demo, remove_roadmap)
            chunk = []
    if chunk:
        yield from _batch(con, chunk, catalog, actor, is_demo, remove_roadmap)


def _batch(con: duckdb.DuckDBPyConnection, items: list[Incoming], catalog: Catalog, actor: Actor,
           is_demo: bool, remove_roadmap: bool) -> list[IngestResult]:
    results: list[IngestResult] = []
    kept: list[tuple[IngestResult, CheckedReturn]] = []  # stored in the open transaction

    def meta(result: IngestResult) -> dict:
        return _meta(result, actor, catalog, is_demo)

    def write(pending: queries.Rows, kept: list) -> list:
        """The batch's rows so far; when they cannot be written (which file's is not known),
        every return again, each alone."""
        try:
            pending.flush(con)
            return kept
        except duckdb.Error:
            log.warning("writing a batch of %d returns failed; storing them one by one", len(kept),
                        exc_info=True)
            return _again(con, kept, meta)

    with transaction(con):
        pending = queries.Rows()
        known = queries.Placing(con)
        for item in items:
            started = time.perf_counter()
            if known.roadmap_unread and pending:  # the plan is read from the tables: write them first
                kept = write(pending, kept)
                pending, known = queries.Rows(), queries.Placing(con)
            data, unread = item.read()
            result, checked = ((IngestResult(item.file_name, REJECTED, "", unread), None) if data is None
                               else _examine(known, item, data, catalog, actor, remove_roadmap))
            if checked is not None:
                try:
                    place = known.place(str(checked.department), str(checked.period))
                    saved = queries.insert_return(con, checked, **meta(result), place=place, pending=pending)
                    _stored(result, saved)
                    known.stored(checked, saved, result.sha256)
                    kept.append((result, checked))
                except duckdb.Error as exc:  # this file alone: the others are stored again without it
                    log.warning("storing %r failed; the batch is stored again without it", item.file_name,
                                exc_info=True)
                    _refused(result, exc)
                    kept = _again(con, kept, meta)
                    pending, known = queries.Rows(), queries.Placing(con)
            _log(result, actor, started)
            results.append(result)
        write(pending, kept)
    return results


def _again(con: duckdb.DuckDBPyConnection, kept: list[tuple[IngestResult, CheckedReturn]],
           meta) -> list[tuple[IngestResult, CheckedReturn]]:
    """Roll the batch back and store `kept` again, each written at once (DuckDB has no
    savepoints): a return that fails is refused and the others are stored again without it."""
    while True:
        con.rollback()
        con.begin()
        for k, (result, checked) in enumerate(kept):
            try:
                _stored(result, queries.insert_return(con, checked, **meta(result)))
            except duckdb.Error as exc:
                _refused(result, exc)
                kept = kept[:k] + kept[k + 1:]
                break
        else:
            return kept


def _refused(result: IngestResult, exc: duckdb.Error) -> None:
    result.status = REJECTED
    result.submission_id = result.version = result.supersedes = None
    result.problems.append(Problem("store_failed", params={"detail": str(exc)[:200]}))


class _Lookup(Protocol):
    def same(self, sha256: str) -> tuple | None: ...
    def task_graph(self) -> Mapping[str, Sequence[str]]: ...
    def roadmap_size(self, department: str, period: str) -> tuple[int, int]: ...


class _Direct:
    """The store as one file sees it: read at each question."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def same(self, sha256: str) -> tuple | None:
        return queries.find_current_by_sha(self.con, sha256)

    def task_graph(self) -> Mapping[str, Sequence[str]]:
        return queries.task_graph(self.con)

    def roadmap_size(self, department: str, period: str) -> tuple[int, int]:
        return queries.roadmap_sizes(self.con, department, period).get((department, period), (0, 0))


def roadmap_removed(checked: CheckedReturn, size: tuple[int, int]) -> list[Problem]:
    """What a return would remove by leaving its tasks or comments sheet empty, given the
    (tasks, comments) of the current return of its department and period: an error each,
    located on the sheet, unless the person confirms (the upload page asks; `--remove-roadmap`)."""
    found = []
    tasks, comments = size
    first = f"A{layout.PLAN_HEADER_ROW + 1}"  # where the first task or comment goes
    if tasks and not checked.tasks:
        found.append(Problem("plan_tasks_removed", sheet=layout.SHEET_TASKS.vi, cell=first,
                             params={"n": tasks, "period": checked.period}))
    if comments and not checked.comments:
        found.append(Problem("plan_comments_removed", sheet=layout.SHEET_COMMENTS.vi, cell=first,
                             params={"n": comments, "period": checked.period}))
    return found


def _examine(store: _Lookup, item: Incoming, data: bytes, catalog: Catalog, actor: Actor,
             remove_roadmap: bool = False) -> tuple[IngestResult, CheckedReturn | None]:
    """The file's result so far, and its checked return when it is to be stored (None when it
    is refused, or is the current submission already)."""
    digest = sha256(data)
    name = item.file_name
    if not actor.may_upload:
        refused = Problem("upload_role", params={"who": actor.email})
        return IngestResult(name, REJECTED, digest, [refused]), None
    same = store.same(digest)
    if same is not None:
        sid, dept, period, version = same
        return IngestResult(name, DUPLICATE, digest, department=dept, period=period, submission_id=sid,
                            version=version), None
    checked = check_bytes(data, catalog, item.expected_department, item.expected_period, store.task_graph())
    if checked.department is not None and not actor.can_upload(checked.department):
        checked.problems.insert(0, Problem("upload_department", params={
            "who": actor.email, "department": checked.department}))
    elif checked.department is not None and checked.period is not None and not remove_roadmap:
        held = store.roadmap_size(checked.department, checked.period)
        checked.problems.extend(roadmap_removed(checked, held))
    result = IngestResult(name, REJECTED, digest, checked.problems, checked.department, checked.period)
    return result, None if errors(checked.problems) else checked


def _meta(result: IngestResult, actor: Actor, catalog: Catalog, is_demo: bool) -> dict:
    return {"file_name": result.file_name, "sha256": result.sha256, "actor": actor,
            "catalog_version": catalog.version, "is_demo": is_demo}


def _stored(result: IngestResult, saved: queries.Saved) -> None:
    result.status = ACCEPTED
    result.submission_id, result.version, result.supersedes = (saved.submission_id, saved.version,
                                                               saved.supersedes)


def _log(result: IngestResult, actor: Actor, started: float) -> None:
    log.info("ingest %r by %r: %s (%s %s, %d problems) in %.3f s", result.file_name, actor.email,
             result.status, result.department, result.period, len(result.problems),
             time.perf_counter() - started)

