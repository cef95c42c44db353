"""The roadmap: the departments' tasks with their flags, and the comments on the draft."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from sca_metrics.reference.catalog import default_catalog
from sca_metrics.services import database, exports, upload
from sca_metrics.services import roadmap as road


def add_roadmap(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("roadmap", parents=parents,
                       help="the departments' tasks in the programme's order, each with its flags")
    c.add_argument("--period", help="the plan as of this period (default: the latest with data)")
    c.add_argument("--format", choices=("json", "csv"), default="json")
    c.set_defaults(func=roadmap)


def add_comments(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("comments", parents=parents,
                       help="the departments' comments on the draft and the lead department's responses")
    c.add_argument("--period", help="as of this period (default: the latest)")
    c.add_argument("--format", choices=("json", "csv"), default="json")
    c.set_defaults(func=comments)


def roadmap(args) -> int:
    """One record per task, in the programme's order, with its flags; the plan's own flags
    (unplanned targets, unlinked projects, areas without a task) counted on stderr."""
    with database.for_reading(args.db, args.wait) as db:
        frame, _ = road.as_of(db, args.period)
        periods = upload.submissions(db).query("status == 'current'").period
    as_of = args.period or (max(periods.astype(str)) if len(periods) else str(date.today().year))
    records, flags = road.records(frame, default_catalog(), as_of, args.lang)
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        table = exports.records_sheets(records)["tasks"]
        sys.stdout.write(exports.csv_text(table))
    plan = [f for f in flags if f.task is None]
    print(f"{len(records)} tasks, {sum(bool(r['flags']) for r in records)} flagged; the plan: "
          + ", ".join(f"{sum(f.code == c for f in plan)} {c}" for c in sorted({f.code for f in plan}))
          if plan else f"{len(records)} tasks", file=sys.stderr)
    return 0


def comments(args) -> int:
    with database.for_reading(args.db, args.wait) as db:
        _, frame = road.as_of(db, args.period)
    frame = frame.drop(columns=["submission_id"]).rename(columns={"sheet_row": "row"})
    if args.format == "json":
        print(json.dumps(json.loads(frame.to_json(orient="records", date_format="iso")),
                         ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(exports.csv_text(frame))
    return 0
