"""Illustrative demo returns: seeded, plausible, and produced through the real path.

Each return is generated from the department's template, filled the way an official
would (some numbers typed as Vietnamese text, some values missing), and ingested like an
upload. One return is sent twice — a typo, then a correction — so history has a superseded
version. Everything is marked as demo data and every view says it is illustrative.
"""

from __future__ import annotations

import functools
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from sca_metrics import settings
from sca_metrics.intake import layout
from sca_metrics.intake.ingest import Incoming, IngestResult, ingest_many
from sca_metrics.intake.template import build_template, template_file_name
from sca_metrics.method import pilot
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.reference.catalog import Catalog, Indicator
from sca_metrics.reference.roles import Actor
from sca_metrics.reference.units import Units, default_units, reference_date
from sca_metrics.store import queries

DEMO_PERIODS = tuple(str(y) for y in range(2018, 2027))
DEMO_UPLOADER = "demo"
SEED = 20180306  # the day of the meeting that started the programme
CORRECTED = ("SYT", "2024")  # sent with a typo first, then corrected
PREPARERS = ("Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Minh Tuấn", "Phạm Thu Hà", "Võ Quốc Bảo",
             "Đặng Ngọc Ánh", "Huỳnh Thanh Tâm", "Bùi Đức Thịnh")
QUALITY_WEIGHTS = {"administrative": 0.45, "measured": 0.3, "estimate": 0.17,
                   "extrapolated": 0.05, "unknown": 0.03}


@dataclass(frozen=True)
class DemoFile:
    file_name: str
    department: str
    period: str
    data: bytes


def _rng(*keys: object) -> np.random.Generator:
    return np.random.default_rng([SEED, *(zlib.crc32(str(k).encode()) for k in keys)])


def _progress(ind: Indicator, year: int) -> float | None:
    """Share of the way from worst to best in a year, or None when not yet measured."""
    rng = _rng("path", ind.code)
    start = 2018 if rng.random() < 0.75 else int(rng.integers(2019, 2021))
    p0, gain = rng.uniform(0.05, 0.35), rng.uniform(0.02, 0.09)
    if year < start:
        return None
    noise = _rng("noise", ind.code, year).normal(0, 0.025)
    return float(np.clip(p0 + gain * (year - 2018) + noise, 0, 1))


def _value(ind: Indicator, p: float) -> float:
    if ind.kind == "yesno":
        return 1.0 if p >= 0.5 else 0.0
    if ind.kind == "level":
        return float(round(p * 4))
    x = ind.worst + p * (ind.best - ind.worst)
    whole = float(ind.worst).is_integer() and float(ind.best).is_integer() and abs(ind.best - ind.worst) >= 20
    return float(round(x)) if whole and ind.kind == "number" else round(x, 1)


def _typed(ind: Indicator, x: float, rng: np.random.Generator) -> str | float:
    """The value as an official might type it: mostly numbers, sometimes Vietnamese text."""
    if ind.kind == "yesno":
        return "Có (Yes)" if x else "Không (No)"
    if ind.kind == "level":
        return str(int(x))
    style = rng.random()
    if ind.kind == "percent" and style < 0.15:
        return f"{formatting.number(x, 'vi', 1)}%"
    if not x.is_integer() and style < 0.35:
        return formatting.number(x, "vi", 1)
    return x


def demo_returns(catalog: Catalog, periods: tuple[str, ...] = DEMO_PERIODS) -> Iterator[DemoFile]:
    for period in periods:
        for dept in catalog.departments:
            yield _return(catalog, dept.code, period)
            if (dept.code, period) == CORRECTED:
                yield _return(catalog, dept.code, period, corrected=True)


@functools.lru_cache(maxsize=512)  # made once per process: the files never change for a catalog
def _return(catalog: Catalog, department: str, period: str, corrected: bool = False) -> DemoFile:
    year = int(period)
    rng = _rng("return", department, period)
    wb = build_template(catalog, department, period)
    info = wb[layout.SHEET_INFO.vi]
    for r in range(1, info.max_row + 1):
        label = info.cell(r, 1).value
        if layout.INFO_PREPARER.matches(label):
            info.cell(r, 2, PREPARERS[int(rng.integers(len(PREPARERS)))])
        elif layout.INFO_DATE.matches(label):
            info.cell(r, 2, f"{int(rng.integers(5, 28)):02d}/01/{year + 1}")
    if layout.SHEET_UNITS.vi in wb.sheetnames:
        _fill_wards(wb[layout.SHEET_UNITS.vi], catalog, department, period, rng)
    _fill_roadmap(wb, department, year)
    if layout.SHEET_INDICATORS.vi not in wb.sheetnames:
        return _saved(wb, department, period, corrected)
    ws = wb[layout.SHEET_INDICATORS.vi]
    cols = {c.key: i for i, c in enumerate(layout.INDICATOR_COLUMNS, start=1)}
    flags, weights = list(QUALITY_WEIGHTS), list(QUALITY_WEIGHTS.values())
    typo_done = False
    for r in range(layout.HEADER_ROW + 1, ws.max_row + 1):
        ind = catalog.indicator(str(ws.cell(r, cols["code"]).value))
        p = _progress(ind, year)
        if p is None or rng.random() < 0.04:
            continue
        x = _value(ind, p)
        typed = _typed(ind, x, rng)
        if not corrected and (department, period) == CORRECTED and ind.kind == "number" and not typo_done:
            typed, typo_done = x * 10, True  # a slipped decimal point, fixed in version 2
        ws.cell(r, cols["value"], typed)
        flag = rng.choice(flags, p=weights)
        ws.cell(r, cols["quality"], vocabulary.term(vocabulary.QUALITY_FLAGS, flag).vi)
        if rng.random() < 0.9:
            ws.cell(r, cols["evidence"], _evidence(department, year, rng))
    return _saved(wb, department, period, corrected)


def _evidence(department: str, year: int, rng: np.random.Generator) -> str:
    return (f"Báo cáo số {int(rng.integers(10, 400))}/BC-{department} "
            f"ngày {int(rng.integers(1, 28)):02d}/12/{year}")


def _former_ward_values(catalog: Catalog, units: Units, department: str, year: int) -> pd.DataFrame:
    """The pilot indicators' values of the former wards in a year — the wards that existed
    before 1 July 2025 — even after they merged, so the series stay continuous: a count is
    shared by population (with a fixed tilt per ward), a rate sits at a fixed offset per ward
    from the city's path."""
    wards = units.pilot_units(on=pilot.system_day(units, pilot.FORMER))
    rows = []
    for ind in (i for i in catalog.for_department(department) if i.pilot):
        p = _progress(ind, year)
        if p is None:
            continue
        if ind.aggregation == "sum":
            tilt = np.array([_rng("share", ind.code, u.code).lognormal(0, 0.3) for u in wards])
            share = tilt * np.array([u.population for u in wards])
            total = ind.worst + p * (ind.best - ind.worst)
            vals = np.round(total * share / share.sum())
        else:
            vals = np.array([_value(ind, float(np.clip(
                p + _rng("ward", ind.code, u.code).normal(0, 0.08)
                + _rng("ward", ind.code, u.code, year).normal(0, 0.02), 0, 1))) for u in wards])
        rows += [{"period": str(year), "indicator": ind.code, "unit": u.code, "value": float(v)}
                 for u, v in zip(wards, vals, strict=True)]
    return pd.DataFrame(rows, columns=pilot.UNIT_COLUMNS)


def _fill_wards(ws, catalog: Catalog, department: str, period: str, rng: np.random.Generator) -> None:
    """The ward sheet as the city would fill it: the units of the period (the former wards'
    values rolled up into the new wards from 2025)."""
    units = default_units()
    former = _former_ward_values(catalog, units, department, int(period))
    # Roll the former wards up by the real rule, as if it were a period they still existed in.
    last_former = str(pilot.system_day(units, pilot.FORMER).year - 1)
    values = pilot.in_system(former.assign(period=last_former), catalog, units,
                             reference_date(period))
    by_cell = {(u, i): round(float(v), 1) for u, i, v in zip(values.unit, values.indicator, values.value,
                                                              strict=True)}
    header = layout.UNITS_HEADER_ROW
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    tail = {label.key: cols[label.text] for label in layout.UNIT_TAIL_COLUMNS}
    flags, weights = list(QUALITY_WEIGHTS), list(QUALITY_WEIGHTS.values())
    for r in range(header + 1, ws.max_row + 1):
        unit = ws.cell(r, 1).value
        filled = False
        for code, c in cols.items():
            if (unit, code) in by_cell:
                ind = catalog.indicator(code)
                ws.cell(r, c, _typed(ind, by_cell[unit, code], rng))
                filled = True
        if filled:
            flag = rng.choice(flags, p=weights)
            ws.cell(r, tail["quality"], vocabulary.term(vocabulary.QUALITY_FLAGS, flag).vi)
            ws.cell(r, tail["evidence"], _evidence(department, int(period), rng))


# The programme's plan in the demo (docs/roadmap.md): the article's order — the architecture
# framework 2018–2019, the data centre and shared databases 2019–2021, the operations centre
# 2020–2021, then the domains —, with tasks delayed, one started before the operations centre
# it depends on, one sector project outside the programme; and the departments' comments on
# the draft, sent with the 2018 returns, some accepted and some explained.
ROADMAP_FILE, COMMENTS_FILE = "demo_roadmap.csv", "demo_comments.csv"
COMMENTS_PERIOD = "2018"


@functools.cache  # read once per process, not once per return (never changed by a caller)
def demo_roadmap() -> pd.DataFrame:
    return pd.read_csv(settings.shipped_data() / ROADMAP_FILE, dtype=str, keep_default_na=False)


@functools.cache
def demo_comments() -> pd.DataFrame:
    return pd.read_csv(settings.shipped_data() / COMMENTS_FILE, dtype=str, keep_default_na=False)


def task_status(task: dict, year: int) -> tuple[str, str]:
    """(status, note) of a demo task (a row of demo_roadmap.csv) as its department reports it in
    period `year`."""
    if task["done_in"] and year >= int(task["done_in"]):
        return "done", ""
    if task["delayed_from"] and year >= int(task["delayed_from"]):
        return "delayed", str(task["delay_note"])
    return ("in_progress", "") if year >= int(task["start_year"]) else ("not_started", "")


def _fill_roadmap(wb, department: str, year: int) -> None:
    """The department's tasks (every return, with the status of that year) and, in the first
    period, its comments on the draft."""
    tasks = demo_roadmap()
    rows: list[dict[str, object]] = []
    for task in tasks[tasks.department == department].to_dict("records"):
        status, note = task_status(task, year)
        start = int(str(task["start_year"]))
        rows.append({
            "code": task["code"], "name": task["name_vi"], "area": task["area"],
            "phase": next(p for p, (a, b) in vocabulary.PHASE_YEARS.items() if a <= start <= b),
            "start_year": start, "end_year": int(str(task["end_year"])), "partners": task["partners"],
            "sector_project": task["sector_project"], "decision": task["decision"],
            "budget": float(str(task["budget"])) if task["budget"] else None,
            "budget_source": task["budget_source"], "status": status, "note": note,
            "depends_on": task["depends_on"], "indicators": task["indicators"]})
    _write_rows(wb[layout.SHEET_TASKS.vi], layout.TASK_COLUMNS, rows)
    if str(year) == COMMENTS_PERIOD:
        comments = demo_comments()
        mine = comments[comments.department == department]
        _write_rows(wb[layout.SHEET_COMMENTS.vi], layout.COMMENT_COLUMNS,
                    [{"section": c.section, "comment": c.comment, "proposal": c.proposal}
                     for c in mine.itertuples()])


def _write_rows(ws, columns: tuple[layout.Label, ...], rows: list[dict[str, object]]) -> None:
    cols = {c.key: i for i, c in enumerate(columns, start=1)}
    for r, row in enumerate(rows, start=layout.PLAN_HEADER_ROW + 1):
        for key, value in row.items():
            if value not in (None, ""):
                ws.cell(r, cols[key], value)


def _respond(con: duckdb.DuckDBPyConnection) -> None:
    """The lead department's responses to the demo comments: accepted, or explained."""
    actor = Actor.local(DEMO_UPLOADER)
    comments = queries.roadmap_comments(con)
    for c in demo_comments().to_dict("records"):
        row = comments[(comments.department == c["department"]) & (comments.comment == c["comment"])]
        if len(row):
            queries.respond(con, actor, int(row.submission_id.iloc[0]), int(row.sheet_row.iloc[0]),
                            str(c["response"]), str(c["explanation"]))


def _saved(wb, department: str, period: str, corrected: bool) -> DemoFile:
    buf = io.BytesIO()
    wb.save(buf)
    name = template_file_name(department, period)
    if corrected:
        name = name.replace(".xlsx", "_v2.xlsx")
    return DemoFile(name, department, period, buf.getvalue())


def build_demo(con: duckdb.DuckDBPyConnection, catalog: Catalog,
               out_dir: Path | None = None) -> list[IngestResult]:
    """Ingest every demo return in batches (and keep the files in out_dir when given)."""
    def incoming() -> Iterator[Incoming]:
        for f in demo_returns(catalog):
            if out_dir is not None:
                Path(out_dir).mkdir(parents=True, exist_ok=True)
                (Path(out_dir) / f.file_name).write_bytes(f.data)
            yield Incoming(f.file_name, f.data, None, f.department, f.period)

    results = list(ingest_many(con, incoming(), catalog, Actor.local(DEMO_UPLOADER), is_demo=True))
    _respond(con)
    return results
