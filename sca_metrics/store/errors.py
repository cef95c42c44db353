"""What the store cannot do, as values: a StoreError has a kind (busy, read_only, corrupt,
disk_full, io, refused, bad_backup) and a message in either language that says what to do."""

from __future__ import annotations

import errno
from pathlib import Path

import duckdb

from sca_metrics.reference.i18n import t

BUSY, READ_ONLY, CORRUPT, DISK_FULL, IO, REFUSED, BAD_BACKUP = (
    "busy", "read_only", "corrupt", "disk_full", "io", "refused", "bad_backup")


class StoreError(Exception):
    """Something the store cannot do, with its kind (busy, read_only, corrupt, disk_full, io,
    refused) and a message in either language that says what happened and what to do."""

    def __init__(self, kind: str, path: Path | str | None = None, detail: str = ""):
        self.kind, self.path, self.detail = kind, str(path or ""), detail
        super().__init__(f"{kind}: {path}: {detail}" if path else f"{kind}: {detail}")

    def message(self, lang: str = "vi") -> str:
        if self.kind == REFUSED:
            return self.detail
        return t(f"store.{self.kind}", lang, db=self.path, detail=self.detail)


def classify(exc: BaseException, path: Path | str) -> StoreError:
    """The StoreError a DuckDB or OS error means, from its errno or DuckDB's words."""
    if isinstance(exc, StoreError):
        return exc
    text = str(exc)
    number = getattr(exc, "errno", None)
    if number in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or any(
            w in text for w in ("No space left", "Disk quota", "File too large")):
        return StoreError(DISK_FULL, path, _short(text))
    if number in (errno.EROFS, errno.EACCES, errno.EPERM) or any(
            w in text for w in ("Read-only file system", "Permission denied",
                                "read-only mode", "attached in read-only")):
        return StoreError(READ_ONLY, path, _short(text))
    if "Could not set lock" in text or "Conflicting lock" in text:
        return StoreError(BUSY, path, _short(text))
    if any(w in text for w in ("not a valid DuckDB database", "Could not read enough bytes",
                               "checksum", "Corrupt", "corrupt", "invalidated",
                               "Serialization", "deserializ", "storage version")) or isinstance(
            exc, duckdb.SerializationException | duckdb.FatalException | duckdb.InternalException):
        return StoreError(CORRUPT, path, _short(text))
    return StoreError(IO, path, _short(text))


def _short(text: str) -> str:
    return text.split("\n", 1)[0][:300]
