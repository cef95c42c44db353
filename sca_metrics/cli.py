"""Command line: the same operations as the dashboard (python -m sca_metrics …)."""

from __future__ import annotations

import argparse
import io
import json
import logging
import sys
import time
from dataclasses import fields
from pathlib import Path
from typing import TextIO

import pandas as pd

from sca_metrics import settings, snapshot
from sca_metrics.intake.ingest import ACCEPTED, DUPLICATE, Incoming, IngestResult, ingest_many
from sca_metrics.intake.values import parse_period
from sca_metrics.method.scoring import ARITHMETIC, DEFAULT_THRESHOLD, METHODS
from sca_metrics.method.uncertainty import MonteCarlo
from sca_metrics.outputs import exports
from sca_metrics.reference import formatting, problems
from sca_metrics.reference.catalog import default_catalog, read_catalog
from sca_metrics.reference.i18n import LANGS
from sca_metrics.reference.problems import ProblemsError
from sca_metrics.reference.roles import LOCAL, ROLES, AccessError, Actor, Forbidden, normal_email
from sca_metrics.reference.textnorm import TextRefused, printable, terminal
from sca_metrics.settings import default_db
from sca_metrics.store import database, queries
from sca_metrics.store.database import CLI_WAIT, Database
from sca_metrics.store.errors import StoreError

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Terminal(sys.stdout), _Terminal(sys.stderr)
    try:
        return _main(argv)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = saved


class _Terminal(io.TextIOBase):
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
        _problems(exc.problems, args.lang)
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
    shipped default rather than this machine's (tests/unit/test_cli.py fails when the file is
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
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=LANGS, default="vi",
                        help="language of messages (default: vi)")
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", type=Path, default=default_db(),
                    help=f"DuckDB database file (default: $SCA_DB or {db_shown or default_db()})")
    db.add_argument("--wait", type=float, default=CLI_WAIT, metavar="SECONDS",
                    help="how long to wait while the dashboard or another command holds the "
                         f"database (default {CLI_WAIT:g})")

    p = argparse.ArgumentParser(
        prog="sca" if Path(sys.argv[0]).name == "sca" else "python -m sca_metrics",
        description="Smart-city readiness (ĐTTM): catalog, survey templates, validated ingest.")
    sub = p.add_subparsers(title="commands", metavar="COMMAND")

    c = sub.add_parser("demo", parents=[common, db],
                       help="build the illustrative demo database (seeded)")
    c.add_argument("--out", type=Path, help="also keep the generated demo returns (.xlsx) here")
    c.add_argument("--if-empty", action="store_true",
                   help="do nothing when the database already holds submissions")
    c.set_defaults(func=_demo)

    c = sub.add_parser("template", parents=[common, db],
                       help="write a department's survey workbook for a period, with its current "
                            "tasks and comments from the database (when it exists)")
    c.add_argument("--department", required=True, help="department code, e.g. SYT")
    c.add_argument("--period", required=True, help="reporting period (year), e.g. 2025")
    c.add_argument("--out", type=Path, required=True, help="output .xlsx file")
    c.add_argument("--blank", action="store_true",
                   help="leave the tasks and comments sheets empty (not from the database)")
    c.set_defaults(func=_template)

    c = sub.add_parser("ingest", parents=[common, db],
                       help="validate and load returns; exit 1 when any file is rejected")
    c.add_argument("files", nargs="+", type=Path, metavar="FILE")
    c.add_argument("--department", help="refuse files of another department")
    c.add_argument("--period", help="refuse files of another period")
    c.add_argument("--uploader", help="who is loading, recorded as «local (NAME)» (sign-in off only)")
    c.add_argument("--problems", type=Path, metavar="FILE",
                   help=f"write every problem of every file to this .csv or .xlsx (the terminal "
                        f"shows the first {problems.SHOWN} of each file)")
    c.add_argument("--remove-plan", action="store_true",
                   help="accept a return whose tasks or comments sheet is empty although its "
                        "department's current return for the period has some (they are removed); "
                        "without it such a return is rejected")
    c.set_defaults(func=_ingest)

    c = sub.add_parser("catalog", parents=[common],
                       help="print the indicator catalog (exit 1 if it has errors)")
    c.add_argument("--format", choices=("csv", "json"), default="csv")
    c.add_argument("--check", action="store_true",
                   help="print the catalog's problems instead of the catalog")
    c.set_defaults(func=_catalog)

    c = sub.add_parser("submissions", parents=[common, db],
                       help="list submissions with status and version")
    c.add_argument("--format", choices=("table", "json", "csv"), default="table")
    c.add_argument("--department")
    c.add_argument("--period")
    c.set_defaults(func=_submissions)

    c = sub.add_parser("scores", parents=[common, db],
                       help="composite readiness scores, or any index over any units (docs: Method)")
    c.add_argument("--period", help="one period (default: the latest with data)")
    c.add_argument("--all-periods", action="store_true", help="every period, oldest first")
    c.add_argument("--scheme", type=Path, metavar="FILE",
                   help="a scoring scheme (TOML; default: the shipped data/schemes/default.toml)")
    c.add_argument("--data", type=Path, metavar="FILE.csv",
                   help="score the units of this long table (columns unit,indicator,value) "
                        "instead of the database")
    c.add_argument("--method", choices=METHODS,
                   help=f"every tier's mean (default {ARITHMETIC}; not with --scheme)")
    c.add_argument("--threshold", type=float,
                   help=f"every tier's minimum coverage (default {DEFAULT_THRESHOLD}; not with --scheme)")
    c.add_argument("--runs", type=int, default=0,
                   help="add Monte Carlo uncertainty with this many runs (JSON only)")
    c.add_argument("--seed", type=int, default=MonteCarlo.seed)
    c.add_argument("--format", choices=("json", "csv"), default="json")
    c.set_defaults(func=_scores)

    c = sub.add_parser("scheme", parents=[common],
                       help="print the default scoring scheme, or check a scheme file")
    c.add_argument("file", nargs="?", type=Path, help="a scheme to check (default: print the default)")
    c.set_defaults(func=_scheme)

    c = sub.add_parser("export", parents=[common, db],
                       help="briefing pack (PowerPoint + PDF), official report (Word), data (XLSX + CSV) "
                            "and figures")
    c.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    c.add_argument("--period", help="reporting period (default: the latest with data)")
    c.add_argument("--figures", default="",
                   help="also every figure of the pack in these formats, e.g. png,svg,pdf")
    c.set_defaults(func=_export)

    c = sub.add_parser("roadmap", parents=[common, db],
                       help="the departments' tasks in the programme's order, each with its flags")
    c.add_argument("--period", help="the plan as of this period (default: the latest with data)")
    c.add_argument("--format", choices=("json", "csv"), default="json")
    c.set_defaults(func=_roadmap)

    c = sub.add_parser("comments", parents=[common, db],
                       help="the departments' comments on the draft and the lead department's responses")
    c.add_argument("--period", help="as of this period (default: the latest)")
    c.add_argument("--format", choices=("json", "csv"), default="json")
    c.set_defaults(func=_comments)

    c = sub.add_parser("progress", parents=[common, db],
                       help="progress to targets of every indicator with one (Open SDG / Eurostat)")
    c.add_argument("--period", help="as of this period (default: the latest with data)")
    c.add_argument("--pilot", action="store_true", help="only the Vũng Tàu pilot indicators")
    c.add_argument("--format", choices=("table", "json", "csv"), default="table")
    c.set_defaults(func=_progress)

    c = sub.add_parser("wards", parents=[common, db],
                       help="the pilot indicators by ward, in the new or the former wards")
    c.add_argument("--period", help="reporting period (default: the latest with ward data)")
    c.add_argument("--system", choices=("current", "former"), default="current",
                   help="current: the wards since 1/7/2025 (older years rolled up); former: the "
                        "wards until 30/6/2025 (never split back from newer data)")
    c.add_argument("--format", choices=("table", "json", "csv"), default="table")
    c.set_defaults(func=_wards)

    c = sub.add_parser("backup", parents=[common, db],
                       help="a consistent copy of the database, also while the dashboard runs")
    c.add_argument("--out", type=Path, required=True, help="the backup file to write")
    c.add_argument("--force", action="store_true", help="overwrite an existing backup file")
    c.set_defaults(func=_backup)

    c = sub.add_parser("restore", parents=[common, db],
                       help="put a backup in place of the database (the replaced one is kept)")
    c.add_argument("--from", dest="source", type=Path, required=True, metavar="BACKUP",
                   help="the backup file (made by `backup`)")
    c.add_argument("--force", action="store_true",
                   help="replace an existing database (kept beside it as <name>.replaced-<time>)")
    c.set_defaults(func=_restore)

    c = sub.add_parser("withdraw", parents=[common, db],
                       help="withdraw a submission (the previous version becomes current)")
    c.add_argument("id", type=int, help="submission id (see `submissions`)")
    c.add_argument("--by", help="who withdraws, recorded as «local (NAME)» (sign-in off only)")
    c.add_argument("--reason", required=True, help="why (kept in the audit log)")
    c.set_defaults(func=_withdraw)

    c = sub.add_parser("users", parents=[common, db],
                       help="who may sign in to the dashboard, and with which role")
    users = c.add_subparsers(title="actions", metavar="ACTION", required=True)
    u = users.add_parser("grant", parents=[common, db], help="give a person a role (replaces theirs)")
    u.add_argument("email", help="the address the sign-in provider gives (its email claim)")
    u.add_argument("--role", required=True, choices=ROLES)
    u.add_argument("--department", action="append", default=[], metavar="CODE",
                   help="a department an uploader submits for (repeat for several)")
    u.add_argument("--by", help="who grants, recorded as «local (NAME)» (sign-in off only)")
    u.set_defaults(func=_users_grant)
    u = users.add_parser("revoke", parents=[common, db], help="take a person's role away")
    u.add_argument("email")
    u.add_argument("--by", help="who revokes, recorded as «local (NAME)» (sign-in off only)")
    u.set_defaults(func=_users_revoke)
    u = users.add_parser("list", parents=[common, db], help="every grant")
    u.add_argument("--format", choices=["table", "json", "csv"], default="table")
    u.set_defaults(func=_users_list)

    c = sub.add_parser("audit", parents=[common, db],
                       help="every write: uploads, supersessions, withdrawals, role changes")
    c.add_argument("--format", choices=["table", "json", "csv"], default="table")
    c.set_defaults(func=_audit)

    c = sub.add_parser("settings", parents=[common],
                       help="the settings in effect (from SCA_* environment variables)")
    c.add_argument("--get", choices=[f.name for f in fields(settings.Settings)],
                   help="print one setting's value only (scripts/start.sh passes upload_mb to Streamlit)")
    c.set_defaults(func=_settings)
    return p


def _users_grant(args) -> int:
    known = [d.code for d in default_catalog().departments]
    with _writer(args) as db, db.writing() as con:
        queries.grant(con, _local(args.by), args.email, args.role, args.department, known)
    departments = f" for {', '.join(sorted({d.upper() for d in args.department}))}" if args.department else ""
    print(f"{normal_email(args.email)}: {args.role}{departments}")
    return 0


def _users_revoke(args) -> int:
    with _writer(args) as db, db.writing() as con:
        queries.revoke(con, _local(args.by), args.email)
    print(f"{normal_email(args.email)}: no access")
    return 0


def _users_list(args) -> int:
    frame = _read(args, queries.grants)
    frame["departments"] = [list(d) for d in frame.departments]
    if args.format == "table":
        frame = frame.assign(departments=[", ".join(d) for d in frame.departments])
    _print_frame(frame, args.format, "(no grants: python -m sca_metrics users grant EMAIL --role admin)")
    return 0


def _audit(args) -> int:
    frame = _read(args, queries.audit_events)
    if args.format == "table":
        frame = frame.drop(columns=["detail", "sha256"])
    _print_frame(frame, args.format, "(nothing written yet)")
    return 0


def _settings(args) -> int:
    chosen = settings.current()
    if args.get:
        print(getattr(chosen, args.get))
        return 0
    for f in fields(chosen):
        print(f"{f.name} = {getattr(chosen, f.name)}")
    return 0


def _writer(args) -> Database:
    return Database(args.db, wait=args.wait)


def _demo(args) -> int:
    with _writer(args) as db, db.writing() as con:
        return _demo_into(con, args)


def _demo_into(con, args) -> int:
    if not queries.is_empty(con):
        if args.if_empty:
            print(f"{args.db}: already holds data; nothing done.")
            return 0
        print(f"error: {args.db} already holds submissions; use a new --db path "
              "or delete the file to start over.", file=sys.stderr)
        return 1
    from sca_metrics.demo import build_demo  # imported late: only this command needs numpy work

    results = build_demo(con, default_catalog(), args.out)
    accepted = sum(r.status == ACCEPTED for r in results)
    print(f"{args.db}: {accepted} illustrative demo returns loaded "
          f"({len(results) - accepted} not accepted).")
    return 0 if accepted == len(results) else 1


def _template(args) -> int:
    from sca_metrics.intake.template import Plan, write_template  # openpyxl: only this command writes

    catalog = default_catalog()
    period, problem = parse_period(args.period)
    if problem or period is None or catalog.find_department(args.department) is None:
        known = ", ".join(d.code for d in catalog.departments)
        print(f"error: unknown department {args.department!r} (known: {known}) "
              f"or invalid period {args.period!r}", file=sys.stderr)
        return 2
    plan = None
    if not args.blank and args.db.exists():  # the department's current plan, carried into its template
        plan = _read(args, lambda con: Plan(queries.plan_tasks(con, period, args.department),
                                            queries.plan_comments(con, period, args.department)))
    out = write_template(catalog, args.department, period, args.out, plan=plan)
    print(out)
    if plan is not None:
        print(f"carried over: {_count(len(plan.tasks), 'task')}, {_count(len(plan.comments), 'comment')} "
              f"(the plan as of {period} in {args.db})")
    return 0


def _ingest(args) -> int:
    if args.problems and args.problems.suffix.lower() not in (".csv", ".xlsx"):
        print(f"error: --problems must name a .csv or .xlsx file, not {args.problems}", file=sys.stderr)
        return 2
    catalog = default_catalog()
    with _writer(args) as db:
        rejected, found = _ingest_files(db, args, catalog)
    if args.problems:

        table = pd.concat(found, ignore_index=True) if found else problems.table([], args.lang, "")
        args.problems.parent.mkdir(parents=True, exist_ok=True)
        args.problems.write_bytes(exports.csv_bytes(table) if args.problems.suffix.lower() == ".csv"
                                  else exports.xlsx_bytes({"problems": table}))
        print(f"{_count(len(table), 'problem')} written to {args.problems}")
    return 1 if rejected else 0


def _count(n: int, noun: str) -> str:
    """'1 error', '1,234 errors': the command line's summaries are in English."""
    return f"{formatting.number(n, 'en')} {noun}{'' if formatting.plural(n, 'en') == 'one' else 's'}"


def _ingest_files(db: Database, args, catalog) -> tuple[int, list]:
    """Every file in one run, one commit per batch of files (`ingest_many`): one bad file still
    rejects only itself. A file that does not exist is said first."""
    rejected = 0
    found: list[pd.DataFrame] = []
    present: list[Incoming] = []
    for path in args.files:
        if path.is_file():
            present.append(Incoming.of_path(path, args.department, args.period))
        else:
            print(f"{printable(path)}: rejected: no such file")
            rejected += 1
    with db.writing() as con:
        for r in ingest_many(con, present, catalog, _local(args.uploader), remove_plan=args.remove_plan):
            rejected += _said(r, args, found)
    return rejected, found


def _said(r: IngestResult, args, found: list) -> int:
    """Print one file's result and keep its problems for --problems; 1 when it was rejected."""
    name = printable(r.file_name)
    listed = problems.ordered(r.problems)
    for p in listed[: problems.SHOWN]:
        print(printable(p.line(args.lang, prefix=r.file_name)))
    if len(listed) > problems.SHOWN:
        more = len(listed) - problems.SHOWN
        hint = (f"all of them are in {args.problems}" if args.problems
                else "write them all with --problems FILE.csv")
        print(f"{name}: … and {_count(more, 'more problem')} ({hint})")
    if args.problems and listed:  # the table only when it is to be written
        found.append(problems.table(listed, args.lang, file_name=r.file_name))
    if r.status == ACCEPTED:
        note = f", supersedes #{r.supersedes}" if r.supersedes else ""
        print(f"{name}: accepted as submission #{r.submission_id} "
              f"({r.department} {r.period}, version {r.version}{note})")
    elif r.status == DUPLICATE:
        print(f"{name}: identical to current submission #{r.submission_id} "
              f"({r.department} {r.period}, version {r.version}); nothing changed")
    else:
        n = sum(p.is_error for p in r.problems)
        print(f"{name}: rejected ({_count(n, 'error')}); nothing stored")
        return 1
    return 0


def _catalog(args) -> int:
    catalog, problems = read_catalog()
    if args.check or catalog is None:
        for p in problems:
            print(p.line(args.lang), file=sys.stderr if p.is_error else sys.stdout)
        return 1 if catalog is None else 0
    frame = catalog.frame()
    if args.format == "json":
        print(json.dumps({"version": catalog.version, "indicators": frame.to_dict("records")},
                         ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(exports.csv_text(frame))
    return 0


def _print_frame(frame, fmt: str, empty: str) -> None:
    if fmt == "json":
        print(json.dumps(json.loads(frame.to_json(orient="records", date_format="iso")),
                         ensure_ascii=False, indent=2))
    elif fmt == "csv":
        sys.stdout.write(exports.csv_text(frame))
    else:
        print(frame.to_string(index=False) if len(frame) else empty)


def _read(args, read):
    """read(con) on the database, opened read-only when it exists (other commands may read
    at the same time), for as short as possible."""
    with Database(args.db, wait=args.wait, read_only=args.db.exists()) as db, db.cursor() as con:
        return read(con)


def _progress(args) -> int:
    from sca_metrics.method import progress

    obs = _read(args, snapshot.observation_frame)
    if obs.empty:
        print(f"error: {args.db} holds no values", file=sys.stderr)
        return 1
    period = args.period or max(obs.period.astype(str))
    catalog = default_catalog()
    codes = [i.code for i in catalog.indicators if i.pilot] if args.pilot else None
    _print_frame(progress.progress_frame(catalog, obs, period, codes), args.format, "(no targets)")
    return 0


def _roadmap(args) -> int:
    """One record per task, in the programme's order, with its flags; the plan's own flags
    (unplanned targets, unlinked projects, areas without a task) counted on stderr."""
    from datetime import date


    frame, periods = _read(args, lambda con: (queries.plan_tasks(con, args.period),
                                              queries.submissions(con).query("status == 'current'").period))
    as_of = args.period or (max(periods.astype(str)) if len(periods) else str(date.today().year))
    records, flags = _task_records(frame, default_catalog(), as_of, args.lang)
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        table = exports.plan_sheets(records, pd.DataFrame())["tasks"]
        sys.stdout.write(exports.csv_text(table))
    plan = [f for f in flags if f.task is None]
    print(f"{len(records)} tasks, {sum(bool(r['flags']) for r in records)} flagged; the plan: "
          + ", ".join(f"{sum(f.code == c for f in plan)} {c}" for c in sorted({f.code for f in plan}))
          if plan else f"{len(records)} tasks", file=sys.stderr)
    return 0


def _plan(args, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plan as of `period`: its tasks and its comments, read together."""
    return _read(args, lambda con: (queries.plan_tasks(con, period), queries.plan_comments(con, period)))


def _task_records(frame: pd.DataFrame, catalog, period: str, lang: str) -> tuple[list[dict], list]:
    """One record per task with its flags, and every flag (the plan's own included)."""
    from sca_metrics.method import roadmap

    tasks = roadmap.tasks_from_frame(frame)
    flags = roadmap.flags(tasks, catalog, int(period))
    return roadmap.task_records(tasks, flags, lang, catalog), flags


def _comments(args) -> int:

    frame = _read(args, lambda con: queries.plan_comments(con, args.period))
    frame = frame.drop(columns=["submission_id"]).rename(columns={"sheet_row": "row"})
    if args.format == "json":
        print(json.dumps(json.loads(frame.to_json(orient="records", date_format="iso")),
                         ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(exports.csv_text(frame))
    return 0


def _wards(args) -> int:
    from sca_metrics.method import pilot
    from sca_metrics.reference.units import default_units

    wards = _read(args, snapshot.unit_frame)
    if wards.empty:
        print(f"error: {args.db} holds no ward values", file=sys.stderr)
        return 1
    period = args.period or max(wards.period.astype(str))
    units = default_units()
    frame = pilot.in_system(wards[wards.period.astype(str) == period], default_catalog(), units,
                            pilot.system_day(units, args.system))
    if frame.empty:
        print(f"error: period {period} was reported by the new wards and is never split back "
              "into the former ones (use --system current)", file=sys.stderr)
        return 1
    frame.insert(3, "unit_name", [units.unit(u).name(args.lang) for u in frame.unit])
    _print_frame(frame, args.format, "(no values)")
    return 0


def _submissions(args) -> int:
    df = _read(args, lambda con: queries.submissions(con, args.department, args.period))
    if args.format == "table":
        df = df[["id", "department", "period", "version", "status", "n_values", "n_expected",
                 "n_warnings", "received_at", "uploader", "file_name"]]
    _print_frame(df, args.format, "(no submissions)")
    return 0


def _scheme_of(args):
    """The scheme asked for: --scheme FILE, or --method/--threshold over the default one."""
    from sca_metrics.method import scheme
    from sca_metrics.method.scoring import Options

    if args.scheme is None:
        return Options(method=args.method or ARITHMETIC,
                       threshold=DEFAULT_THRESHOLD if args.threshold is None else args.threshold)
    if args.method is not None or args.threshold is not None:
        raise _Usage("--method and --threshold set every tier of the default scheme; "
                     "with --scheme, the scheme file sets them")
    return scheme.read(args.scheme, default_catalog())


class _Usage(Exception):
    """Arguments that do not go together."""


def _scores(args) -> int:
    from sca_metrics.method import composite, scheme
    from sca_metrics.method.scoring import Options, scores_table
    from sca_metrics.method.uncertainty import uncertainty

    try:
        chosen_scheme = _scheme_of(args)
        if args.data is None and not isinstance(chosen_scheme, Options):
            raise _Usage(f"{args.scheme} defines its own indicators: give the units' values with --data")
        if args.data is not None and (args.period or args.all_periods or args.runs):
            raise _Usage("--period, --all-periods and --runs score the database, not --data")
    except _Usage as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.data is not None:
        index = (scheme.catalog_index(default_catalog(), chosen_scheme)
                 if isinstance(chosen_scheme, Options) else chosen_scheme)
        data = composite.read_data(args.data, index)
        if args.format == "csv":  # straight from the arrays: a table at the row limit stays small
            sys.stdout.write(exports.csv_text(composite.scored_table(composite.score(index, data))))
        else:
            for k, record in enumerate(composite.records(composite.score(index, data))):  # a unit at a time
                sys.stdout.write(("[\n" if k == 0 else ",\n") + json.dumps(
                    record, ensure_ascii=False, indent=2, allow_nan=False))
            sys.stdout.write("\n]\n")
        return 0
    options = chosen_scheme
    snap = _read(args, lambda con: snapshot.read(con, options=options))
    try:
        chosen = list(snap.by_period) if args.all_periods and snap.by_period else [snap.period(args.period)]
    except snapshot.NoData as exc:
        print(f"error: {_no_data(args, exc, 'to score')}", file=sys.stderr)
        return 1
    by_period, catalog, obs = snap.by_period, snap.catalog, snap.observations
    if args.format == "csv":
        table = pd.concat([scores_table(by_period[p]) for p in chosen], ignore_index=True)
        sys.stdout.write(exports.csv_text(table))
        return 0
    docs = []
    for p in chosen:
        doc = by_period[p].to_dict()
        if args.runs:
            mc = MonteCarlo(runs=args.runs, seed=args.seed)
            doc["uncertainty"] = uncertainty(catalog, obs[obs.period == p], p, options, mc).to_dict()
        docs.append(doc)
    out = {"periods": docs} if args.all_periods else docs[0]
    print(json.dumps(out, ensure_ascii=False, indent=2, allow_nan=False))
    return 0


def _problems(problems, lang: str) -> None:
    """Every problem of a catalog, a scheme or a data table, one line each, shown literally."""
    for p in problems:
        print(printable(p.line(lang)), file=sys.stderr)


def _scheme(args) -> int:
    """The default scheme as TOML (a start for one's own), or a scheme file checked: its kind,
    name and hash, or every problem in it."""
    from sca_metrics.method import scheme
    from sca_metrics.method.scoring import Options

    if args.file is None:
        sys.stdout.write(scheme.dump(scheme.default(), "Smart-city readiness, default method"))
        return 0
    checked = scheme.read(args.file, default_catalog())  # its problems: main says them, exit 1
    kind = "catalog scheme" if isinstance(checked, Options) else \
        f"index scheme, {len(checked.indicators)} indicators, {len(checked.tiers)} tiers"
    print(printable(f"{args.file}: {checked.name} ({kind}), hash {checked.fingerprint}"))
    return 0


def _no_data(args, exc: snapshot.NoData, what: str) -> str:
    return str(exc) if exc.period else f"{args.db} holds no values {what}"


def _backup(args) -> int:
    if not args.db.exists():
        print(f"error: no database at {printable(args.db)}", file=sys.stderr)
        return 1
    with Database(args.db, wait=args.wait, create=False) as db:
        counts = database.backup(db, args.out, force=args.force)
    print(f"{printable(args.out)}: backup of {printable(args.db)} "
          f"({_count(counts['submissions'], 'submission')}, {_count(sum(counts.values()), 'row')} in "
          f"{len(counts)} tables)")
    return 0


def _restore(args) -> int:
    done = database.restore(args.source, args.db, force=args.force, wait=args.wait)
    counts = done.counts
    checked = ("every table's rows and checksum as the backup recorded them" if done.verified else
               "every table read (an older backup: no manifest of its rows to check against)")
    print(f"{printable(args.db)}: restored from {printable(args.source)} "
          f"({_count(counts['submissions'], 'submission')}, {_count(sum(counts.values()), 'row')}; "
          f"checked: {checked})")
    if done.kept:
        print(f"the database it replaced is kept as {printable(done.kept)}")
    return 0


def _local(name: str | None) -> Actor:
    """The command line acts as the local administrator (whoever can open the database file
    can change it anyway). It may name the person at the keyboard (--by, --uploader) only when
    the dashboard signs no one in: where people sign in, a name in the audit log is theirs."""
    if name is not None and name.strip() not in ("", LOCAL) and settings.sign_in_configured():
        raise Forbidden("by_signed_in")
    return Actor.local(name)


def _withdraw(args) -> int:
    with _writer(args) as db, db.writing() as con:
        current = queries.withdraw(con, args.id, _local(args.by), args.reason)
    after = f"submission #{current} is current again" if current else "no version is current now"
    print(f"submission #{args.id} withdrawn; {after}")
    return 0



def _progress_printer(lang: str):
    """A briefing pack's steps on stderr: each on its line; the figures counted in place on a
    terminal (elsewhere, their first and last count only)."""
    from sca_metrics.reference import i18n

    live = sys.stderr.isatty()

    def say(key: str, **values) -> None:
        counting = "total" in values
        if counting and not live and 0 < values["done"] < values["total"]:
            return
        end = "\r" if counting and live and values["done"] < values["total"] else "\n"
        print(i18n.t(key, lang, **values), end=end, file=sys.stderr, flush=True)

    return say


def _export(args) -> int:
    """Everything a briefing needs, in one folder; figures rendered in one browser."""
    from sca_metrics.method import roadmap
    from sca_metrics.outputs import briefing, exports, plan_report, render, report
    from sca_metrics.reference.units import default_units

    formats = [f for f in args.figures.split(",") if f]
    if bad := [f for f in formats if f not in render.FORMATS]:
        print(f"error: unknown figure format {', '.join(bad)} (use {', '.join(render.FORMATS)})",
              file=sys.stderr)
        return 2
    try:
        head = report.letterhead()  # a bad letterhead file stops the export before any file
    except report.LetterheadError as exc:
        print(f"error: {exc.message(args.lang)}", file=sys.stderr)
        return 1
    snap = _read(args, snapshot.read)
    try:
        period = snap.period(args.period)
    except snapshot.NoData as exc:
        print(f"error: {_no_data(args, exc, 'to export')}", file=sys.stderr)
        return 1
    catalog, by_period, subs = snap.catalog, snap.by_period, snap.submissions
    args.out.mkdir(parents=True, exist_ok=True)
    tasks_frame, comments = _plan(args, period)
    ctx = briefing.Context(catalog, by_period, subs, period, args.lang, snap.is_demo,
                           tasks=tuple(roadmap.tasks_from_frame(tasks_frame)))
    started = time.perf_counter()
    written = []

    def write(name: str, data: bytes) -> None:
        (args.out / name).write_bytes(data)
        written.append(name)

    sheets = exports.data_sheets(by_period, subs, catalog, snap.wards, default_units())
    every = exports.span(by_period)
    write(f"{exports.file_stem('data', every, args.lang)}.xlsx", exports.xlsx_bytes(sheets, args.lang))
    records, _ = _task_records(tasks_frame, catalog, period, args.lang)
    write(f"{exports.file_stem('roadmap', period, args.lang)}.xlsx",
          exports.xlsx_bytes(exports.plan_sheets(records, comments), args.lang))
    write(f"{plan_report.file_stem(period, args.lang)}.docx",
          plan_report.build(ctx, tasks_frame, comments, head))
    for name, frame in sheets.items():
        write(f"{exports.file_stem(name, every, args.lang)}.csv", exports.csv_bytes(frame))
    try:
        pack = briefing.build(ctx, progress=_progress_printer(args.lang))
        stem = briefing.file_stem(ctx)
        write(f"{stem}.pptx", pack.pptx)
        write(f"{stem}.pdf", pack.pdf)
        write(f"{report.file_stem(period, args.lang)}.docx", report.build(ctx, head))
        deck = [s for s in pack.slides if s.has_figure]
        for fmt in formats:
            data = (pack.images[s.key] for s in deck) if fmt == "png" else render.render_many(
                render.Job(s.figure, fmt) for s in deck)
            for number, (s, content) in enumerate(zip(deck, data, strict=True), start=1):
                name = exports.file_stem(f"figure-{number:02d}-{s.key}", period, args.lang)
                write(f"{name}.{fmt}", content)
    except render.ExportUnavailable as exc:
        log.warning("export of %s incomplete", args.out, exc_info=True)
        print("\n".join(f"{args.out / n}" for n in written))
        print(f"error: figures need chromium and the Noto fonts ({exc}); the data files were "
              "written. Install them with: apt-get install chromium fonts-noto-core", file=sys.stderr)
        return 1
    for name in written:
        print(args.out / name)
    print(f"{len(written)} files, {pack.n_figures} figures, {len(pack.slides)} slides, "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
