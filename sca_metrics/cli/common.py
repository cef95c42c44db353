"""What every command shares: the terminal every output passes through, the arguments every
command takes, printing a table, and who the command line acts as."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import TextIO

import pandas as pd

from sca_metrics import settings
from sca_metrics.reference import formatting
from sca_metrics.reference.i18n import LANGS
from sca_metrics.reference.roles import LOCAL, Actor, Forbidden
from sca_metrics.reference.textnorm import printable, terminal
from sca_metrics.services import exports
from sca_metrics.services.database import CLI_WAIT
from sca_metrics.settings import default_db


class Terminal(io.TextIOBase):
    """Everything the command line writes passes here: a control character, a line separator or
    a text-direction override (from a file name, a department's text, a stored value) is written
    as its escape (\\x1b, \\u202e), so no output can rewrite the terminal or read otherwise than
    it is; tabs and line breaks pass. One place, so no command can forget it. In JSON the
    escapes are JSON's own."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(terminal(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.stream.encoding


class Usage(Exception):
    """Arguments that do not go together."""


def parents(db_shown: str | None = None) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The arguments every command takes (--lang), and those of a command on the database
    (--db, --wait); `db_shown` is the database path the help names (default: this machine's)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=LANGS, default="vi",
                        help="language of messages (default: vi)")
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", type=Path, default=default_db(),
                    help=f"DuckDB database file (default: $SCA_DB or {db_shown or default_db()})")
    db.add_argument("--wait", type=float, default=CLI_WAIT, metavar="SECONDS",
                    help="how long to wait while the dashboard or another command holds the "
                         f"database (default {CLI_WAIT:g})")
    return common, db


def count(n: int, noun: str) -> str:
    """'1 error', '1,234 errors': the command line's summaries are in English."""
    return f"{formatting.number(n, 'en')} {noun}{'' if formatting.plural(n, 'en') == 'one' else 's'}"


def print_frame(frame: pd.DataFrame, fmt: str, empty: str) -> None:
    if fmt == "json":
        print(json.dumps(json.loads(frame.to_json(orient="records", date_format="iso")),
                         ensure_ascii=False, indent=2))
    elif fmt == "csv":
        sys.stdout.write(exports.csv_text(frame))
    else:
        print(frame.to_string(index=False) if len(frame) else empty)


def problems(found, lang: str) -> None:
    """Every problem of a catalog, a scheme or a data table, one line each, shown literally."""
    for p in found:
        print(printable(p.line(lang)), file=sys.stderr)


def local(name: str | None) -> Actor:
    """The command line acts as the local administrator (whoever can open the database file
    can change it anyway). It may name the person at the keyboard (--by, --uploader) only when
    the dashboard signs no one in: where people sign in, a name in the audit log is theirs."""
    if name is not None and name.strip() not in ("", LOCAL) and settings.sign_in_configured():
        raise Forbidden("by_signed_in")
    return Actor.local(name)


def no_data(args, exc, what: str) -> str:
    """What a command says when the store holds nothing (for the period asked for)."""
    return str(exc) if exc.period else f"{args.db} holds no values {what}"
