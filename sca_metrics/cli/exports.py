"""Exports: every deliverable of a period in one folder, and the pack's figures."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from sca_metrics.cli.common import no_data
from sca_metrics.outputs import render
from sca_metrics.reference import i18n
from sca_metrics.reference.units import default_units
from sca_metrics.services import database, exports, readiness
from sca_metrics.services import roadmap as road

log = logging.getLogger(__name__)


def add_export(sub, parents: list[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("export", parents=parents,
                       help="briefing pack (PowerPoint + PDF), official report (Word), data (XLSX + CSV) "
                            "and figures")
    c.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    c.add_argument("--period", help="reporting period (default: the latest with data)")
    c.add_argument("--figures", default="",
                   help="also every figure of the pack in these formats, e.g. png,svg,pdf")
    c.set_defaults(func=export)


def _progress_printer(lang: str):
    """A briefing pack's steps on stderr: each on its line; the figures counted in place on a
    terminal (elsewhere, their first and last count only)."""
    live = sys.stderr.isatty()

    def say(key: str, **values) -> None:
        counting = "total" in values
        if counting and not live and 0 < values["done"] < values["total"]:
            return
        end = "\r" if counting and live and values["done"] < values["total"] else "\n"
        print(i18n.t(key, lang, **values), end=end, file=sys.stderr, flush=True)

    return say


def export(args) -> int:
    """Every deliverable of the registry, in one folder; the pack's figures rendered in one
    browser."""
    formats = [f for f in args.figures.split(",") if f]
    if bad := [f for f in formats if f not in render.FORMATS]:
        print(f"error: unknown figure format {', '.join(bad)} (use {', '.join(render.FORMATS)})",
              file=sys.stderr)
        return 2
    problem = exports.letterhead_problem(args.lang)  # a bad letterhead stops the export before any file
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    head = exports.letterhead()
    with database.for_reading(args.db, args.wait) as db:
        snap = readiness.snapshot(db)
        try:
            period = snap.period(args.period)
        except readiness.NoData as exc:
            print(f"error: {no_data(args, exc, 'to export')}", file=sys.stderr)
            return 1
        tasks, comments = road.as_of(db, period)
    inputs = exports.Inputs(snap.catalog, snap.by_period, snap.submissions, period, args.lang, snap.is_demo,
                            tasks, comments, snap.wards, default_units())
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    written: list[str] = []

    def write(files: dict[str, bytes]) -> None:
        for name, data in files.items():
            (args.out / name).write_bytes(data)
            written.append(name)

    try:
        for deliverable in exports.DELIVERABLES.values():
            if deliverable.key != "pack":
                write(deliverable.build(inputs, head, None))
                continue
            pack = exports.pack(inputs, progress=_progress_printer(args.lang))  # kept for its figures
            write(exports.pack_files(pack, period, args.lang))
        deck = [s for s in pack.slides if s.has_figure]
        for fmt in formats:
            data = (pack.images[s.key] for s in deck) if fmt == "png" else render.render_many(
                render.Job(s.figure, fmt) for s in deck)
            for number, (s, content) in enumerate(zip(deck, data, strict=True), start=1):
                name = exports.file_stem(f"figure-{number:02d}-{s.key}", period, args.lang)
                write({f"{name}.{fmt}": content})
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
