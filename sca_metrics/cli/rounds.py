"""Reporting rounds: open a period's round, extend its deadline, close it, and list every round
with where each of its departments stands."""

from __future__ import annotations

import argparse
import json
from datetime import date

from sca_metrics.cli.common import local
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.services import database, rounds, upload


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from exc


def add_rounds(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("rounds", parents=parents,
                       help="a period's reporting round: its deadline, who reports, who has (audited)")
    actions = c.add_subparsers(title="actions", metavar="ACTION", required=True)
    r = actions.add_parser("open", parents=parents, help="open a period's round")
    r.add_argument("--period", required=True, help="the reporting period (year), e.g. 2026")
    r.add_argument("--deadline", required=True, type=_day, metavar="YYYY-MM-DD",
                   help="the last day to report (in the period or the year after it)")
    r.add_argument("--departments", nargs="+", default=[], metavar="CODE",
                   help="who reports (default: every department with an indicator in the catalog)")
    r.add_argument("--message", default="", help="a message to the departments (kept with the round)")
    r.add_argument("--by", help="who opens it, recorded as «local (NAME)» (sign-in off only)")
    r.set_defaults(func=open_round)
    r = actions.add_parser("extend", parents=parents, help="a later deadline for an open round")
    r.add_argument("--period", required=True)
    r.add_argument("--deadline", required=True, type=_day, metavar="YYYY-MM-DD")
    r.add_argument("--by", help="who extends it, recorded as «local (NAME)» (sign-in off only)")
    r.set_defaults(func=extend)
    r = actions.add_parser("close", parents=parents, help="close an open round (returns are still taken)")
    r.add_argument("--period", required=True)
    r.add_argument("--by", help="who closes it, recorded as «local (NAME)» (sign-in off only)")
    r.set_defaults(func=close)
    r = actions.add_parser("list", parents=parents,
                           help="every round, each department's state and when it reported")
    r.add_argument("--today", type=_day, metavar="YYYY-MM-DD", help="as on this day (default: today)")
    r.add_argument("--format", choices=("table", "json"), default="table")
    r.set_defaults(func=listed)


def open_round(args) -> int:
    with database.for_command(args.db, args.wait) as db:
        rounds.open_round(db, local(args.by), default_catalog(), args.period, args.deadline,
                          args.departments, args.message)
    print(f"round {args.period} open until {args.deadline.isoformat()}")
    return 0


def extend(args) -> int:
    with database.for_command(args.db, args.wait) as db:
        rounds.extend(db, local(args.by), args.period, args.deadline)
    print(f"round {args.period} extended to {args.deadline.isoformat()}")
    return 0


def close(args) -> int:
    with database.for_command(args.db, args.wait) as db:
        rounds.close(db, local(args.by), args.period)
    print(f"round {args.period} closed")
    return 0


def listed(args) -> int:
    today = args.today or date.today()
    with database.for_reading(args.db, args.wait) as db:
        found, subs = rounds.rounds(db), upload.submissions(db)
    out: list[dict] = []
    for r in found.to_dict("records"):
        standing = rounds.standing(r, subs, today)
        out.append({"period": r["period"], "deadline": r["deadline"].isoformat(), "status": r["status"],
                    "message": r["message"],
                    "departments": json.loads(standing.to_json(orient="records", date_format="iso"))})
    if args.format == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not out:
        print("(no rounds: python -m sca_metrics rounds open --period P --deadline YYYY-MM-DD)")
        return 0
    for said in out:
        asked = said["departments"]
        done = sum(d["state"] != rounds.NOT_STARTED for d in asked)
        print(f"{said['period']}: {said['status']}, deadline {said['deadline']}, "
              f"{done}/{len(asked)} reported")
    return 0
