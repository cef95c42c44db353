"""Scores: the readiness scores (or any index over any units), scoring schemes, progress to
targets and the pilot's wards."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from sca_metrics.cli.common import Usage, no_data, print_frame
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.reference.textnorm import printable
from sca_metrics.reference.units import default_units
from sca_metrics.services import database, exports, readiness, whatif


def add_scores(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("scores", parents=parents,
                       help="composite readiness scores, or any index over any units (docs: Method)")
    c.add_argument("--period", help="one period (default: the latest with data)")
    c.add_argument("--all-periods", action="store_true", help="every period, oldest first")
    c.add_argument("--scheme", type=Path, metavar="FILE",
                   help="a scoring scheme (TOML; default: the shipped data/schemes/default.toml)")
    c.add_argument("--data", type=Path, metavar="FILE.csv",
                   help="score the units of this long table (columns unit,indicator,value) "
                        "instead of the database")
    c.add_argument("--method", choices=whatif.METHODS,
                   help=f"every tier's mean (default {whatif.ARITHMETIC}; not with --scheme)")
    c.add_argument("--threshold", type=float,
                   help=f"every tier's minimum coverage (default {whatif.DEFAULT_THRESHOLD}; "
                        "not with --scheme)")
    c.add_argument("--runs", type=int, default=0,
                   help="add Monte Carlo uncertainty with this many runs (JSON only)")
    c.add_argument("--seed", type=int, default=whatif.MonteCarlo.seed)
    c.add_argument("--format", choices=("json", "csv"), default="json")
    c.set_defaults(func=scores)


def add_scheme(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("scheme", parents=parents,
                       help="print the default scoring scheme, or check a scheme file")
    c.add_argument("file", nargs="?", type=Path, help="a scheme to check (default: print the default)")
    c.set_defaults(func=scheme)


def add_progress(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("progress", parents=parents,
                       help="progress to targets of every indicator with one (Open SDG / Eurostat)")
    c.add_argument("--period", help="as of this period (default: the latest with data)")
    c.add_argument("--pilot", action="store_true", help="only the Vũng Tàu pilot indicators")
    c.add_argument("--format", choices=("table", "json", "csv"), default="table")
    c.set_defaults(func=progress)


def add_wards(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("wards", parents=parents,
                       help="the pilot indicators by ward, in the new or the former wards")
    c.add_argument("--period", help="reporting period (default: the latest with ward data)")
    c.add_argument("--system", choices=(readiness.CURRENT, readiness.FORMER), default=readiness.CURRENT,
                   help="current: the wards since 1/7/2025 (older years rolled up); former: the "
                        "wards until 30/6/2025 (never split back from newer data)")
    c.add_argument("--format", choices=("table", "json", "csv"), default="table")
    c.set_defaults(func=wards)


def _scheme_of(args) -> whatif.Options | whatif.IndexScheme:
    """The scheme asked for: --scheme FILE, or --method/--threshold over the default one."""
    if args.scheme is None:
        threshold = whatif.DEFAULT_THRESHOLD if args.threshold is None else args.threshold
        return whatif.Options(method=args.method or whatif.ARITHMETIC, threshold=threshold)
    if args.method is not None or args.threshold is not None:
        raise Usage("--method and --threshold set every tier of the default scheme; "
                    "with --scheme, the scheme file sets them")
    return whatif.read(args.scheme, default_catalog())


def scores(args) -> int:
    try:
        chosen_scheme = _scheme_of(args)
        if args.data is None and not isinstance(chosen_scheme, whatif.Options):
            raise Usage(f"{args.scheme} defines its own indicators: give the units' values with --data")
        if args.data is not None and (args.period or args.all_periods or args.runs):
            raise Usage("--period, --all-periods and --runs score the database, not --data")
    except Usage as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.data is not None:
        done = whatif.score_table(args.data, default_catalog(), chosen_scheme)
        if args.format == "csv":  # straight from the arrays: a table at the row limit stays small
            sys.stdout.write(exports.csv_text(whatif.scored_table(done)))
        else:
            for k, record in enumerate(whatif.scored_records(done)):  # a unit at a time
                sys.stdout.write(("[\n" if k == 0 else ",\n") + json.dumps(
                    record, ensure_ascii=False, indent=2, allow_nan=False))
            sys.stdout.write("\n]\n")
        return 0
    assert isinstance(chosen_scheme, whatif.Options)
    options = chosen_scheme
    with database.for_reading(args.db, args.wait) as db:
        snap = readiness.snapshot(db, options)
    try:
        chosen = list(snap.by_period) if args.all_periods and snap.by_period else [snap.period(args.period)]
    except readiness.NoData as exc:
        print(f"error: {no_data(args, exc, 'to score')}", file=sys.stderr)
        return 1
    by_period, catalog, obs = snap.by_period, snap.catalog, snap.observations
    if args.format == "csv":
        table = pd.concat([whatif.scores_table(by_period[p]) for p in chosen], ignore_index=True)
        sys.stdout.write(exports.csv_text(table))
        return 0
    docs = []
    for p in chosen:
        doc = by_period[p].to_dict()
        if args.runs:
            mc = whatif.MonteCarlo(runs=args.runs, seed=args.seed)
            doc["uncertainty"] = whatif.uncertainty(catalog, obs[obs.period == p], p, options, mc).to_dict()
        docs.append(doc)
    out = {"periods": docs} if args.all_periods else docs[0]
    print(json.dumps(out, ensure_ascii=False, indent=2, allow_nan=False))
    return 0


def scheme(args) -> int:
    """The default scheme as TOML (a start for one's own), or a scheme file checked: its kind,
    name and hash, or every problem in it."""
    if args.file is None:
        sys.stdout.write(whatif.dump(whatif.default(), "Smart-city readiness, default method"))
        return 0
    checked = whatif.read(args.file, default_catalog())  # its problems: main says them, exit 1
    kind = "catalog scheme" if isinstance(checked, whatif.Options) else \
        f"index scheme, {len(checked.indicators)} indicators, {len(checked.tiers)} tiers"
    print(printable(f"{args.file}: {checked.name} ({kind}), hash {checked.fingerprint}"))
    return 0


def progress(args) -> int:
    catalog = default_catalog()
    with database.for_reading(args.db, args.wait) as db:
        obs = readiness.observations(db, catalog)
    if obs.empty:
        print(f"error: {args.db} holds no values", file=sys.stderr)
        return 1
    period = args.period or max(obs.period.astype(str))
    codes = [i.code for i in catalog.indicators if i.pilot] if args.pilot else None
    print_frame(readiness.indicator_progress(catalog, obs, period, codes), args.format, "(no targets)")
    return 0


def wards(args) -> int:
    with database.for_reading(args.db, args.wait) as db:
        values = readiness.unit_observations(db)
    if values.empty:
        print(f"error: {args.db} holds no ward values", file=sys.stderr)
        return 1
    period = args.period or max(values.period.astype(str))
    units = default_units()
    mine = values[values.period.astype(str) == period]
    frame = readiness.wards(mine, default_catalog(), units, args.system)
    if frame.empty:
        print(f"error: period {period} was reported by the new wards and is never split back "
              "into the former ones (use --system current)", file=sys.stderr)
        return 1
    frame.insert(3, "unit_name", [units.unit(u).name(args.lang) for u in frame.unit])
    print_frame(frame, args.format, "(no values)")
    return 0
