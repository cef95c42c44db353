"""The returns: the demo, templates, loading returns, the catalog, the submissions and
withdrawing one."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from sca_metrics.cli.common import count, local, print_frame
from sca_metrics.reference import problems
from sca_metrics.reference.catalog import default_catalog, read_catalog
from sca_metrics.reference.textnorm import printable
from sca_metrics.services import database, exports, upload
from sca_metrics.services import roadmap as road


def add_demo(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("demo", parents=parents, help="build the illustrative demo database (seeded)")
    c.add_argument("--out", type=Path, help="also keep the generated demo returns (.xlsx) here")
    c.add_argument("--if-empty", action="store_true",
                   help="do nothing when the database already holds submissions")
    c.set_defaults(func=demo)


def add_template(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("template", parents=parents,
                       help="write a department's survey workbook for a period, with its current "
                            "tasks and comments from the database (when it exists)")
    c.add_argument("--department", required=True, help="department code, e.g. SYT")
    c.add_argument("--period", required=True, help="reporting period (year), e.g. 2025")
    c.add_argument("--out", type=Path, required=True, help="output .xlsx file")
    c.add_argument("--blank", action="store_true",
                   help="leave the tasks and comments sheets empty (not from the database)")
    c.set_defaults(func=template)


def add_ingest(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("ingest", parents=parents,
                       help="validate and load returns; exit 1 when any file is rejected")
    c.add_argument("files", nargs="+", type=Path, metavar="FILE")
    c.add_argument("--department", help="refuse files of another department")
    c.add_argument("--period", help="refuse files of another period")
    c.add_argument("--uploader", help="who is loading, recorded as «local (NAME)» (sign-in off only)")
    c.add_argument("--problems", type=Path, metavar="FILE",
                   help=f"write every problem of every file to this .csv or .xlsx (the terminal "
                        f"shows the first {problems.SHOWN} of each file)")
    c.add_argument("--remove-roadmap", "--remove-plan", dest="remove_roadmap", action="store_true",
                   help="accept a return whose tasks or comments sheet is empty although its "
                        "department's current return for the period has some (they are removed); "
                        "without it such a return is rejected")
    c.set_defaults(func=ingest)


def add_catalog(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("catalog", parents=parents,
                       help="print the indicator catalog (exit 1 if it has errors)")
    c.add_argument("--format", choices=("csv", "json"), default="csv")
    c.add_argument("--check", action="store_true",
                   help="print the catalog's problems instead of the catalog")
    c.set_defaults(func=catalog)


def add_submissions(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("submissions", parents=parents, help="list submissions with status and version")
    c.add_argument("--format", choices=("table", "json", "csv"), default="table")
    c.add_argument("--department")
    c.add_argument("--period")
    c.set_defaults(func=submissions)


def add_withdraw(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("withdraw", parents=parents,
                       help="withdraw a submission (the previous version becomes current)")
    c.add_argument("id", type=int, help="submission id (see `submissions`)")
    c.add_argument("--by", help="who withdraws, recorded as «local (NAME)» (sign-in off only)")
    c.add_argument("--reason", required=True, help="why (kept in the audit log)")
    c.set_defaults(func=withdraw)


def demo(args) -> int:
    from sca_metrics.services import admin

    with database.for_command(args.db, args.wait) as db:
        results = admin.load_demo(db, default_catalog(), args.out)
    if results is None:
        if args.if_empty:
            print(f"{args.db}: already holds data; nothing done.")
            return 0
        print(f"error: {args.db} already holds submissions; use a new --db path "
              "or delete the file to start over.", file=sys.stderr)
        return 1
    accepted = sum(r.status == upload.ACCEPTED for r in results)
    print(f"{args.db}: {accepted} illustrative demo returns loaded "
          f"({len(results) - accepted} not accepted).")
    return 0 if accepted == len(results) else 1


def template(args) -> int:
    cat = default_catalog()
    period, problem = upload.parse_period(args.period)
    if problem or period is None or cat.find_department(args.department) is None:
        known = ", ".join(d.code for d in cat.departments)
        print(f"error: unknown department {args.department!r} (known: {known}) "
              f"or invalid period {args.period!r}", file=sys.stderr)
        return 2
    plan = None
    if not args.blank and args.db.exists():  # the department's current plan, carried into its template
        with database.for_reading(args.db, args.wait) as db:
            plan = road.as_of(db, period, args.department)
    out = upload.write_template(cat, args.department, period, args.out, plan)
    print(out)
    if plan is not None:
        tasks, comments = plan
        print(f"carried over: {count(len(tasks), 'task')}, {count(len(comments), 'comment')} "
              f"(the plan as of {period} in {args.db})")
    return 0


def ingest(args) -> int:
    if args.problems and args.problems.suffix.lower() not in (".csv", ".xlsx"):
        print(f"error: --problems must name a .csv or .xlsx file, not {args.problems}", file=sys.stderr)
        return 2
    cat = default_catalog()
    with database.for_command(args.db, args.wait) as db:
        rejected, found = _ingest_files(db, args, cat)
    if args.problems:
        table = pd.concat(found, ignore_index=True) if found else problems.table([], args.lang, "")
        args.problems.parent.mkdir(parents=True, exist_ok=True)
        args.problems.write_bytes(exports.csv_bytes(table) if args.problems.suffix.lower() == ".csv"
                                  else exports.xlsx_bytes({"problems": table}))
        print(f"{count(len(table), 'problem')} written to {args.problems}")
    return 1 if rejected else 0


def _ingest_files(db: database.Database, args, cat) -> tuple[int, list]:
    """Every file in one run, one commit per batch of files: one bad file still rejects only
    itself. A file that does not exist is said first."""
    rejected = 0
    found: list[pd.DataFrame] = []
    present: list[upload.Incoming] = []
    for path in args.files:
        if path.is_file():
            present.append(upload.Incoming.of_path(path, args.department, args.period))
        else:
            print(f"{printable(path)}: rejected: no such file")
            rejected += 1
    for r in upload.save_files(db, present, cat, local(args.uploader), remove_roadmap=args.remove_roadmap):
        rejected += _said(r, args, found)
    return rejected, found


def _said(r: upload.IngestResult, args, found: list) -> int:
    """Print one file's result and keep its problems for --problems; 1 when it was rejected."""
    name = printable(r.file_name)
    listed = problems.ordered(r.problems)
    for p in listed[: problems.SHOWN]:
        print(printable(p.line(args.lang, prefix=r.file_name)))
    if len(listed) > problems.SHOWN:
        more = len(listed) - problems.SHOWN
        hint = (f"all of them are in {args.problems}" if args.problems
                else "write them all with --problems FILE.csv")
        print(f"{name}: … and {count(more, 'more problem')} ({hint})")
    if args.problems and listed:  # the table only when it is to be written
        found.append(problems.table(listed, args.lang, file_name=r.file_name))
    if r.status == upload.ACCEPTED:
        note = f", supersedes #{r.supersedes}" if r.supersedes else ""
        print(f"{name}: accepted as submission #{r.submission_id} "
              f"({r.department} {r.period}, version {r.version}{note})")
    elif r.status == upload.DUPLICATE:
        print(f"{name}: identical to current submission #{r.submission_id} "
              f"({r.department} {r.period}, version {r.version}); nothing changed")
    else:
        n = sum(p.is_error for p in r.problems)
        print(f"{name}: rejected ({count(n, 'error')}); nothing stored")
        return 1
    return 0


def catalog(args) -> int:
    cat, found = read_catalog()
    if args.check or cat is None:
        for p in found:
            print(p.line(args.lang), file=sys.stderr if p.is_error else sys.stdout)
        return 1 if cat is None else 0
    frame = cat.frame()
    if args.format == "json":
        print(json.dumps({"version": cat.version, "indicators": frame.to_dict("records")},
                         ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(exports.csv_text(frame))
    return 0


def submissions(args) -> int:
    with database.for_reading(args.db, args.wait) as db:
        df = upload.submissions(db, args.department, args.period)
    if args.format == "table":
        df = df[["id", "department", "period", "version", "status", "n_values", "n_expected",
                 "n_warnings", "received_at", "uploader", "file_name"]]
    print_frame(df, args.format, "(no submissions)")
    return 0


def withdraw(args) -> int:
    with database.for_command(args.db, args.wait) as db:
        current = upload.withdraw(db, args.id, local(args.by), args.reason)
    after = f"submission #{current} is current again" if current else "no version is current now"
    print(f"submission #{args.id} withdrawn; {after}")
    return 0
