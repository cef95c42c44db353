"""One handle on the database file per process, shared safely by every thread.

DuckDB lets one process write a file, or several processes read it, never both: a process
that holds the file read-write locks everyone else out. So the dashboard and the command
line take turns:

- Each process opens the file once, through a `Database`, and hands every thread (every
  Streamlit session) its own cursor on that one handle; the schema is checked once per
  process (and again only if the file was replaced, e.g. restored from a backup).
- Writes in a process are serialised by a lock, each in one transaction.
- The server lets go of the file after `linger` seconds without use. Pages read from caches
  keyed by `version()` (the file's size and time, read without opening it), so a busy
  dashboard touches the file only to load what changed and to save uploads.
- Meeting another process's lock, opening retries with backoff for up to `wait` seconds,
  then stops with `StoreError("busy")`. Nothing is lost either way: a write happens whole,
  in one transaction, or not at all.
- A file the process may not write is opened read-only: everything reads, every write stops
  with `StoreError("read_only")`. A damaged file, a full disk and a lock held too long each
  become a `StoreError` with its kind, whose message (vi/en) says what to do.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sca_metrics.store import schema
from sca_metrics.store.errors import (
    BAD_BACKUP,
    BUSY,
    DISK_FULL,
    IO,
    READ_ONLY,
    REFUSED,
    StoreError,
    classify,
)

log = logging.getLogger(__name__)

SERVER_WAIT = 10.0   # seconds a page waits for another process's lock
CLI_WAIT = 30.0      # seconds a command waits for the dashboard's lock
SERVER_LINGER = 2.0  # seconds the dashboard keeps the file open after its last use


# DuckDB errors that say something about the file or the machine, not about our SQL.
_STORAGE_ERRORS = (duckdb.IOException, duckdb.SerializationException, duckdb.FatalException,
                   duckdb.InternalException, duckdb.TransactionException, OSError)


_open_databases: weakref.WeakSet[Database] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    """Close what is still open when the process ends (a lingering handle is checkpointed
    and released cleanly instead of being torn down with the interpreter)."""
    for db in list(_open_databases):
        db.close()


class Database:
    """The process's handle on one database file (see the module's docstring)."""

    _schema_checked: set[tuple[str, int]] = set()  # (path, inode): once per process and file
    _class_lock = threading.Lock()

    def __init__(self, path: Path | str, *, wait: float = CLI_WAIT, linger: float | None = None,
                 read_only: bool = False, create: bool = True):
        self.path = Path(path)
        self.wait = wait
        self.linger = linger  # None: keep the file open until close()
        self.read_only = read_only
        self.create = create
        self._lock = threading.RLock()     # guards the handle and the user count
        self._writes = threading.Lock()    # one write at a time in this process
        self._con: duckdb.DuckDBPyConnection | None = None
        self._inode: int | None = None
        self._users = 0
        self._timer: threading.Timer | None = None
        self._broken = False
        self._written = 0
        _open_databases.add(self)

    # ---- reading and writing ----

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of this thread's own on the shared handle, for reading."""
        cur = self._acquire()
        try:
            yield cur
        except _STORAGE_ERRORS as exc:
            raise self._failed(exc) from exc
        finally:
            cur.close()
            self._release()

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one write; writes of this process run one after another. The store's
        functions open and commit (or roll back) their own transaction on it."""
        if not self.can_write():
            raise StoreError(READ_ONLY, self.path, "")
        started = time.perf_counter()
        with self._writes, self.cursor() as cur:
            if self.read_only:  # found read-only on opening
                raise StoreError(READ_ONLY, self.path, "")
            yield cur
            self._written += 1
        log.info("write to %s took %.3f s", self.path, time.perf_counter() - started)

    def can_write(self) -> bool:
        """False when the file is known (or seen) to be read-only for this process."""
        return not self.read_only and self._writable()

    def version(self) -> str:
        """Changes whenever the file changes, read without opening it (so it costs no lock):
        the size, time and inode of the file and of its write-ahead log, and the writes this
        process made. Caches keyed by it refresh after any write, from any process."""
        parts = [str(self._written)]
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                s = p.stat()
                parts.append(f"{s.st_ino}:{s.st_size}:{s.st_mtime_ns}")
            except FileNotFoundError:
                parts.append("-")
        return "/".join(parts)

    def close(self) -> None:
        with self._lock:
            self._cancel_timer()
            self._close_handle()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- the handle ----

    def _acquire(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            self._cancel_timer()
            if self._con is not None and self._users == 0 and (self._broken or self._replaced()):
                self._close_handle()
            if self._con is None:
                self._open()
            assert self._con is not None
            self._users += 1
            try:
                return self._con.cursor()
            except Exception as exc:
                self._users -= 1
                raise self._failed(exc) from exc

    def _release(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users > 0:
                return
            if self._broken or self.linger == 0:
                self._close_handle()
            elif self.linger is not None:
                self._timer = threading.Timer(self.linger, self._close_if_idle)
                self._timer.daemon = True
                self._timer.start()

    def _close_if_idle(self) -> None:
        with self._lock:
            if self._users == 0:
                self._close_handle()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _close_handle(self) -> None:
        if self._con is not None:
            try:
                self._con.close()
            except Exception:  # a handle broken by a fatal error may refuse to close cleanly
                log.warning("closing %s failed", self.path, exc_info=True)
            self._con = None
        self._broken = False

    def _replaced(self) -> bool:
        try:
            return self.path.stat().st_ino != self._inode
        except FileNotFoundError:
            return True

    def _writable(self) -> bool:
        if self.path.exists():
            return os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)
        return True

    def _open(self) -> None:
        """Open the file (retrying while another process holds it), read-only when this
        process may not write it, and bring its schema up to date once."""

        exists = self.path.exists()
        if not exists and not self.create:
            raise StoreError(IO, self.path, "no such file")
        read_only = self.read_only or (exists and not self._writable())
        if not exists:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise classify(exc, self.path) from exc
        deadline = time.monotonic() + self.wait
        delay = 0.02
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=read_only)
                break
            except (duckdb.Error, OSError) as exc:
                err = classify(exc, self.path)
                if err.kind == READ_ONLY and not read_only and exists:
                    read_only = True
                    continue
                if err.kind != BUSY or time.monotonic() + delay > deadline:
                    log.warning("cannot open %s: %s", self.path, err, exc_info=err.kind != BUSY)
                    raise err from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        self.read_only = read_only
        try:
            inode = self.path.stat().st_ino
            key = (str(self.path.resolve()), inode)
            with Database._class_lock:
                if key not in Database._schema_checked:
                    if read_only:
                        schema.check_schema(con)
                    else:
                        schema.migrate(con)
                    Database._schema_checked.add(key)
        except StoreError:
            con.close()
            raise
        except (duckdb.Error, OSError) as exc:
            con.close()
            raise classify(exc, self.path) from exc
        self._con, self._inode = con, inode
        log.info("opened %s%s", self.path, " read-only" if read_only else "")

    def _failed(self, exc: BaseException) -> BaseException:
        """A storage error becomes a StoreError (logged with its traceback); the handle is
        closed once its users are done, so the next use starts afresh."""
        if not isinstance(exc, _STORAGE_ERRORS):
            return exc
        err = classify(exc, self.path)
        log.warning("database %s: %s", self.path, err, exc_info=exc)
        with self._lock:
            self._broken = True
            if err.kind == READ_ONLY:
                self.read_only = True
        return err


# ---- backups ----

MANIFEST = "backup_manifest"  # written into a backup by `backup`, checked and dropped by `restore`


def content_digest(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, str]]:
    """(rows, checksum) of every table of the schema the file has: the checksum sums a hash of
    every row, so it reads every row (a damaged file fails here) and changes with any value."""
    present = _tables(con)
    out: dict[str, tuple[int, str]] = {}
    for name in schema.TABLES:
        if name in present:
            # table names cannot be parameters; these come from the TABLES constant, never from input
            rows, checksum = con.execute(
                f'SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM "{name}" AS t'  # noqa: S608
            ).fetchone() or (0, "0")
            out[name] = (int(rows), str(checksum))
    return out


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}


def backup(db: Database, out: Path | str, force: bool = False) -> dict[str, int]:
    """A consistent copy of the database in one file, made while the dashboard runs.

    Under the process's write lock and the file's lock (no one writes meanwhile), the rows and
    a checksum of every table are read and the file and its write-ahead log are copied; the
    copy is then opened on its own, which folds the log in, and must hold the same rows with the
    same checksums. They are written into it (a `backup_manifest` table) for `restore` to check.
    Only then does it take its name: a failed backup leaves no file that looks like one."""

    out = Path(out)
    if out.exists() and not force:
        raise StoreError(REFUSED, out, f"{out} already exists; choose another name or add --force")
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    wal = db.path.with_name(db.path.name + ".wal")
    started = time.perf_counter()
    try:
        with db._writes, db.cursor() as con:
            digest = content_digest(con)
            version = schema.schema_version(con)
            _copy(db.path, part)
            if wal.exists():
                _copy(wal, part.with_name(part.name + ".wal"))
        copy = duckdb.connect(str(part))
        try:
            copy.execute("CHECKPOINT")
            copied = content_digest(copy)
            if copied != digest:
                raise StoreError(IO, out, f"the copy does not match the database ({copied} ≠ {digest})")
            copy.execute(f"CREATE TABLE {MANIFEST} (item VARCHAR PRIMARY KEY, rows BIGINT, checksum VARCHAR)")
            copy.executemany(f"INSERT INTO {MANIFEST} VALUES (?, ?, ?)",  # noqa: S608 (a constant)
                             [["@schema", version, None], *([n, r, c] for n, (r, c) in digest.items())])
            copy.execute("CHECKPOINT")
        finally:
            copy.close()
        os.replace(part, out)
    except OSError as exc:
        raise classify(exc, out) from exc
    finally:
        for leftover in (part, part.with_name(part.name + ".wal")):
            leftover.unlink(missing_ok=True)
    log.info("backup of %s to %s took %.2f s", db.path, out, time.perf_counter() - started)
    return {name: digest.get(name, (0, ""))[0] for name in schema.TABLES}


@dataclass(frozen=True)
class Restored:
    counts: dict[str, int]  # rows of every table restored
    kept: Path | None  # where the database it replaced is kept
    verified: bool  # checked against the manifest `backup` wrote (an older backup has none)


def restore(source: Path | str, target: Path | str, force: bool = False,
            wait: float = CLI_WAIT) -> Restored:
    """Put a backup in place of the database, checked whole before the live file is touched.

    The backup (with its write-ahead log, if one lies beside it) is copied beside the target
    and opened there on its own — the source is never changed —, which folds the log in (its
    rows are restored, not lost), and checked: a schema version this code knows (not newer),
    every table and row readable, the rows and checksums `backup` wrote in its manifest, every
    table of the schema present once an older backup is upgraded. Any failure leaves the
    database as it was. An existing database is replaced only with `force`, and is kept beside
    it (`<name>.replaced-<time>`) with its write-ahead log, so nothing is lost. The file lock
    is taken directly (the file being replaced may be damaged beyond opening), so a running
    dashboard is waited for, then sees the restored file on its next read."""
    import fcntl

    source, target = Path(source), Path(target)
    if target.exists() and not force:
        raise StoreError(REFUSED, target, f"{target} already exists; add --force to replace it "
                                          "(it is kept beside the restored file)")
    if not source.is_file():
        raise StoreError(BAD_BACKUP, source, "no such file")
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = target.with_name(target.name + ".restoring")
    staged = (stage, stage.with_name(stage.name + ".wal"))
    kept = None
    try:
        try:
            _copy(source, stage)
            source_wal = source.with_name(source.name + ".wal")
            if source_wal.exists():
                _copy(source_wal, staged[1])
        except OSError as exc:
            raise classify(exc, target) from exc
        counts, verified = _checked_backup(stage, source)
        with open(target, "a+b") as lock:
            deadline = time.monotonic() + wait
            delay = 0.02
            while True:
                try:
                    fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB, 0, 0, os.SEEK_SET)  # whole file
                    break
                except OSError as exc:
                    if time.monotonic() + delay > deadline:
                        raise StoreError(BUSY, target, str(exc)) from exc
                    time.sleep(delay)
                    delay = min(delay * 2, 0.5)
            try:
                stamp = time.strftime("%Y%m%d-%H%M%S")
                if target.stat().st_size:
                    kept = target.with_name(f"{target.name}.replaced-{stamp}")
                    os.link(target, kept)
                wal = target.with_name(target.name + ".wal")
                if wal.exists():  # the replaced file's log must never be replayed onto the backup
                    os.replace(wal, kept.with_name(kept.name + ".wal") if kept
                               else wal.with_name(f"{wal.name}.replaced-{stamp}"))
                os.replace(stage, target)
            except OSError as exc:
                raise classify(exc, target) from exc
    finally:
        for leftover in staged:
            leftover.unlink(missing_ok=True)
    log.info("restored %s from %s (verified: %s; previous kept as %s)", target, source, verified, kept)
    return Restored(counts, kept, verified)


def _checked_backup(stage: Path, source: Path) -> tuple[dict[str, int], bool]:
    """Open the staged copy of a backup, fold its log in and check it whole (see `restore`);
    BAD_BACKUP saying why when it is not one. Returns its row counts and whether a manifest
    vouched for it. The manifest is dropped: the restored database is the one backed up."""
    try:
        con = duckdb.connect(str(stage))
    except (duckdb.Error, OSError) as exc:
        raise _bad(source, stage, exc) from exc
    try:
        con.execute("CHECKPOINT")
        present = _tables(con)
        if "schema_version" not in present:
            raise StoreError(BAD_BACKUP, source, "it holds no schema version: not a database of this "
                                                 "dashboard")
        version = schema.schema_version(con)
        if not 1 <= version <= schema.SCHEMA_VERSION:
            raise StoreError(BAD_BACKUP, source, f"its schema version is {version}; this dashboard reads "
                                                 f"1 to {schema.SCHEMA_VERSION} (a newer one needs a newer "
                                                 "dashboard)")
        verified = MANIFEST in present
        if verified:
            expected = {item: (rows, checksum) for item, rows, checksum in con.execute(
                f"SELECT item, rows, checksum FROM {MANIFEST}").fetchall()}  # noqa: S608 (a constant)
            if expected.pop("@schema", (None, None))[0] != version:
                raise StoreError(BAD_BACKUP, source, "its schema version is not the one it was made with")
            found = content_digest(con)
            for name in sorted(expected.keys() | found.keys()):
                if found.get(name) != expected.get(name):
                    raise StoreError(BAD_BACKUP, source, f"table {name}: {_rows(found.get(name))} now, "
                                                         f"{_rows(expected.get(name))} when it was made")
            con.execute(f"DROP TABLE {MANIFEST}")
        schema.migrate(con)  # an older backup is upgraded here, before it replaces anything
        missing = [name for name in schema.TABLES if name not in _tables(con)]
        if missing:
            raise StoreError(BAD_BACKUP, source, f"tables missing: {', '.join(missing)}")
        found = content_digest(con)  # every row read once more, after the upgrade
        con.execute("CHECKPOINT")
        return {name: found[name][0] for name in schema.TABLES}, verified
    except duckdb.Error as exc:
        raise _bad(source, stage, exc) from exc
    finally:
        con.close()


def _rows(entry: tuple[int, str] | None) -> str:
    return "absent" if entry is None else f"{entry[0]} rows, checksum {entry[1]}"


def _bad(source: Path, stage: Path, exc: BaseException) -> StoreError:
    """What went wrong with the staged copy, said of the backup the person named."""
    err = classify(exc, source)
    detail = err.detail.replace(str(stage), str(source))
    return StoreError(err.kind if err.kind in (DISK_FULL, READ_ONLY) else BAD_BACKUP, source, detail)


def _copy(src: Path, dst: Path) -> None:
    with open(src, "rb") as f, open(dst, "wb") as g:
        while chunk := f.read(1 << 20):
            g.write(chunk)
        g.flush()
        os.fsync(g.fileno())
