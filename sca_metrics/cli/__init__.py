"""Command line: the same operations as the dashboard (python -m sca_metrics …).

A small entry point; the commands live by group — `returns` (demo, template, ingest, catalog,
submissions, withdraw), `rounds` (open, extend, close, list), `scores` (scores, scheme, progress,
wards), `roadmap` (roadmap, comments), `exports` (export) and `admin` (backup, restore, users,
audit, settings) — and call
the use cases in `sca_metrics.services`, never the store, the intake or the method themselves.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from sca_metrics import settings
from sca_metrics.cli import admin, common, exports, returns, roadmap, rounds, scores
from sca_metrics.reference.problems import ProblemsError
from sca_metrics.reference.roles import AccessError
from sca_metrics.reference.textnorm import TextRefused, printable
from sca_metrics.services.database import StoreError

log = logging.getLogger(__name__)

# Every command, in the order `--help` lists them: (its group's adder, whether it opens the database)
COMMANDS = (
    (returns.add_demo, True), (returns.add_template, True), (returns.add_ingest, True),
    (returns.add_catalog, False), (returns.add_submissions, True), (rounds.add_rounds, True),
    (scores.add_scores, True),
    (scores.add_scheme, False), (exports.add_export, True), (roadmap.add_roadmap, True),
    (roadmap.add_comments, True), (scores.add_progress, True), (scores.add_wards, True),
    (admin.add_backup, True), (admin.add_restore, True), (returns.add_withdraw, True),
    (admin.add_users, True), (admin.add_audit, True), (admin.add_settings, False),
)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = common.Terminal(sys.stdout), common.Terminal(sys.stderr)
    try:
        return _main(argv)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = saved


def _main(argv: list[str] | None) -> int:
    _configure_logging()
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    started = time.perf_counter()
    try:
        code = args.func(args)
        log.info("%s finished with exit code %d in %.2f s", args.func.__name__.strip("_"), code,
                 time.perf_counter() - started)
        return code
    except ProblemsError as exc:  # a catalog, a scheme or a data table that cannot be used
        log.warning("%s", type(exc).__name__, exc_info=True)
        common.problems(exc.problems, args.lang)
        return 1
    except AccessError as exc:  # a role that does not allow it, a grant that cannot be
        log.warning("refused", exc_info=exc)
        print(f"error: {printable(exc.message(args.lang))}", file=sys.stderr)
        return 1
    except TextRefused as exc:  # a reason or a name the intake policy refuses (docs/security.md)
        print(f"error: {printable(exc.message(args.lang))}", file=sys.stderr)
        return 1
    except StoreError as exc:  # busy, read-only, damaged, disk full: said plainly, logged in full
        log.warning("store error", exc_info=exc)
        print(f"error: {printable(exc.message(args.lang))}", file=sys.stderr)
        return 1


class _OneLine(logging.Formatter):
    """Log lines on a terminal: the message, never a traceback (SCA_LOG_LEVEL=DEBUG shows
    them). The user reads what happened in the command's own error line."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(f"{record.levelname.lower()}: {record.getMessage()}")


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    if settings.current().log_level != "DEBUG":
        handler.setFormatter(_OneLine())
    settings.configure_logging(handler, "ERROR")


def reference() -> str:
    """The command-line reference (docs/developing/cli.md), from the parser itself: each
    command's help as `--help` prints it, 100 columns wide, the database's default path as the
    shipped default rather than this machine's (tests/unit/cli/test_cli.py fails when the file is
    stale: `python -m sca_metrics.cli_reference` writes it again)."""
    parser = _parser(db_shown="var/sca.duckdb")

    def text(p: argparse.ArgumentParser) -> str:
        p.formatter_class = lambda prog: argparse.HelpFormatter(prog, width=100, max_help_position=32)
        return p.format_help()

    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {action.dest: action.help for action in commands._choices_actions}
    out = ["# Dòng lệnh — tham chiếu / Command-line reference", "",
           "Generated from the argument parser (`python -m sca_metrics.cli_reference`); a test fails when it",
           "is stale. How to use the commands: [the command line](../operating/command-line.md).", "",
           "```text", text(parser).rstrip(), "```"]
    for name, sub in commands.choices.items():
        out += ["", f"## `{name}`", "", f"{helps.get(name) or ''}", "", "```text", text(sub).rstrip(), "```"]
    return "\n".join(out) + "\n"


def _parser(db_shown: str | None = None) -> argparse.ArgumentParser:
    """The parser; `db_shown` is the database path its help names (default: this machine's)."""
    lang, db = common.parents(db_shown)
    p = argparse.ArgumentParser(
        prog="sca" if Path(sys.argv[0]).name == "sca" else "python -m sca_metrics",
        description="Smart-city readiness (ĐTTM): catalog, survey templates, validated ingest.")
    sub = p.add_subparsers(title="commands", metavar="COMMAND")
    for add, on_database in COMMANDS:
        add(sub, [lang, db] if on_database else [lang])
    return p
