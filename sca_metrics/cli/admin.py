"""Administration: backups, roles, the audit log and the settings in effect."""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields
from pathlib import Path

from sca_metrics import settings
from sca_metrics.cli.common import count, local, print_frame
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.reference.roles import ROLES, normal_email
from sca_metrics.reference.textnorm import printable
from sca_metrics.services import admin, database


def add_backup(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("backup", parents=parents,
                       help="a consistent copy of the database, also while the dashboard runs")
    c.add_argument("--out", type=Path, required=True, help="the backup file to write")
    c.add_argument("--force", action="store_true", help="overwrite an existing backup file")
    c.set_defaults(func=backup)


def add_restore(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("restore", parents=parents,
                       help="put a backup in place of the database (the replaced one is kept)")
    c.add_argument("--from", dest="source", type=Path, required=True, metavar="BACKUP",
                   help="the backup file (made by `backup`)")
    c.add_argument("--force", action="store_true",
                   help="replace an existing database (kept beside it as <name>.replaced-<time>)")
    c.set_defaults(func=restore)


def add_users(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("users", parents=parents,
                       help="who may sign in to the dashboard, and with which role")
    users = c.add_subparsers(title="actions", metavar="ACTION", required=True)
    u = users.add_parser("grant", parents=parents, help="give a person a role (replaces theirs)")
    u.add_argument("email", help="the address the sign-in provider gives (its email claim)")
    u.add_argument("--role", required=True, choices=ROLES)
    u.add_argument("--department", action="append", default=[], metavar="CODE",
                   help="a department an uploader submits for (repeat for several)")
    u.add_argument("--by", help="who grants, recorded as «local (NAME)» (sign-in off only)")
    u.set_defaults(func=users_grant)
    u = users.add_parser("revoke", parents=parents, help="take a person's role away")
    u.add_argument("email")
    u.add_argument("--by", help="who revokes, recorded as «local (NAME)» (sign-in off only)")
    u.set_defaults(func=users_revoke)
    u = users.add_parser("list", parents=parents, help="every grant")
    u.add_argument("--format", choices=["table", "json", "csv"], default="table")
    u.set_defaults(func=users_list)


def add_audit(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("audit", parents=parents,
                       help="every write: uploads, supersessions, withdrawals, role changes")
    c.add_argument("--format", choices=["table", "json", "csv"], default="table")
    c.set_defaults(func=audit)


def add_settings(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("settings", parents=parents,
                       help="the settings in effect (from SCA_* environment variables)")
    c.add_argument("--get", choices=[f.name for f in fields(settings.Settings)],
                   help="print one setting's value only (scripts/start.sh passes upload_mb to Streamlit)")
    c.set_defaults(func=show_settings)


def users_grant(args) -> int:
    known = [d.code for d in default_catalog().departments]
    with database.for_command(args.db, args.wait) as db:
        admin.grant(db, local(args.by), args.email, args.role, args.department, known)
    departments = f" for {', '.join(sorted({d.upper() for d in args.department}))}" if args.department else ""
    print(f"{normal_email(args.email)}: {args.role}{departments}")
    return 0


def users_revoke(args) -> int:
    with database.for_command(args.db, args.wait) as db:
        admin.revoke(db, local(args.by), args.email)
    print(f"{normal_email(args.email)}: no access")
    return 0


def users_list(args) -> int:
    with database.for_reading(args.db, args.wait) as db:
        frame = admin.grants(db)
    frame["departments"] = [list(d) for d in frame.departments]
    if args.format == "table":
        frame = frame.assign(departments=[", ".join(d) for d in frame.departments])
    print_frame(frame, args.format, "(no grants: python -m sca_metrics users grant EMAIL --role admin)")
    return 0


def audit(args) -> int:
    with database.for_reading(args.db, args.wait) as db:
        frame = admin.audit(db)
    if args.format == "table":
        frame = frame.drop(columns=["detail", "sha256"])
    print_frame(frame, args.format, "(nothing written yet)")
    return 0


def show_settings(args) -> int:
    chosen = settings.current()
    if args.get:
        print(getattr(chosen, args.get))
        return 0
    for f in fields(chosen):
        print(f"{f.name} = {getattr(chosen, f.name)}")
    return 0


def backup(args) -> int:
    if not args.db.exists():
        print(f"error: no database at {printable(args.db)}", file=sys.stderr)
        return 1
    counts = database.backup(args.db, args.out, wait=args.wait, force=args.force)
    print(f"{printable(args.out)}: backup of {printable(args.db)} "
          f"({count(counts['submissions'], 'submission')}, {count(sum(counts.values()), 'row')} in "
          f"{len(counts)} tables)")
    return 0


def restore(args) -> int:
    done = database.restore(args.source, args.db, force=args.force, wait=args.wait)
    counts = done.counts
    checked = ("every table's rows and checksum as the backup recorded them" if done.verified else
               "every table read (an older backup: no manifest of its rows to check against)")
    print(f"{printable(args.db)}: restored from {printable(args.source)} "
          f"({count(counts['submissions'], 'submission')}, {count(sum(counts.values()), 'row')}; "
          f"checked: {checked})")
    if done.kept:
        print(f"the database it replaced is kept as {printable(done.kept)}")
    return 0
