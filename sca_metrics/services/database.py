"""Opening the database for a use case: the dashboard's one shared handle, a command's own,
and what can go wrong with either (`StoreError` says it in both languages)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sca_metrics.store import database as _store
from sca_metrics.store.database import CLI_WAIT, SERVER_WAIT, Database
from sca_metrics.store.errors import StoreError

__all__ = ["CLI_WAIT", "SERVER_WAIT", "Database", "StoreError", "backup", "for_command", "for_reading",
           "for_server", "restore"]


def for_server(path: Path | str, wait: float = SERVER_WAIT) -> Database:
    """The dashboard's handle: shared by every session, waiting briefly (`wait` seconds) for
    another process's lock and closing the file soon after its last use (so a command can take it)."""
    return Database(path, wait=wait, linger=_store.SERVER_LINGER)


def for_command(path: Path | str, wait: float = CLI_WAIT, *, create: bool = True) -> Database:
    """A command's handle, for writing: it waits up to `wait` seconds for the dashboard."""
    return Database(path, wait=wait, create=create)


@contextmanager
def for_reading(path: Path, wait: float = CLI_WAIT) -> Iterator[Database]:
    """A command's handle for reading: read-only when the file exists (other commands may read
    at the same time); closed when the block ends, so the command holds the file briefly."""
    with Database(path, wait=wait, read_only=path.exists()) as db:
        yield db


def backup(path: Path, out: Path, *, wait: float = CLI_WAIT, force: bool = False) -> dict[str, int]:
    """A consistent copy of the database at `out`: its tables' row counts."""
    with Database(path, wait=wait, create=False) as db:
        return _store.backup(db, out, force=force)


def restore(source: Path, target: Path, *, wait: float = CLI_WAIT, force: bool = False) -> _store.Restored:
    """The database at `target` replaced by a checked backup (the one it replaces kept)."""
    return _store.restore(source, target, force=force, wait=wait)
