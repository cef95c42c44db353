"""Any index over any units: a long table (unit, indicator, value) scored by a scheme.

The same formulas as the readiness scores (`scoring.normalise`, `combine`, levels), vectorised
over the units: every unit is one row of a (units × indicators) matrix rolled up the
scheme's tiers at once. `python -m sca_metrics scores --scheme FILE --data FILE.csv` prints
its records; examples/hdi/ reproduces the UNDP Human Development Index with it.
"""

from __future__ import annotations

import csv
import functools
import io
import math
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from sca_metrics.method.scheme import IndexScheme, grouped
from sca_metrics.method.scoring import (
    INSUFFICIENT,
    NO_DATA,
    ZERO_WEIGHT,
    Tier,
    is_capped,
    levels,
    normalise,
    points_to_next,
    roll_up,
)
from sca_metrics.reference.problems import SHOWN, Problem, ProblemsError

COLUMNS = ("unit", "indicator", "value")
MAX_BYTES = 64 * 1024 * 1024  # a national table of every ward and indicator is a few MB
MAX_ROWS = 2_000_000
MAX_CELLS = 20_000_000  # units × indicators, the matrix scored at once (160 MB of floats)


class DataError(ProblemsError, ValueError):
    """A data table that cannot be scored, with every problem found in it (at most SHOWN)."""


def read_data(source: str | Path | bytes, scheme: IndexScheme, name: str = "data.csv") -> pd.DataFrame:
    """The long table: unit, indicator, value, checked line by line (a blank value is a missing
    one). Bounded before it is read (MAX_BYTES) and streamed, its rows counted as they come
    (MAX_ROWS). DataError lists every problem, located by line and column."""
    path = None if isinstance(source, bytes) else Path(source)
    size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
    name = path.name if path else name
    if size > MAX_BYTES:
        raise DataError([Problem("data_too_big", sheet=name, params={"limit": f"{MAX_BYTES // 2**20} MB"})])
    stream: IO[bytes] = io.BytesIO(source) if isinstance(source, bytes) else Path(source).open("rb")
    with stream, io.TextIOWrapper(stream, encoding="utf-8-sig", newline="") as text:
        try:
            return _read_rows(csv.reader(text), scheme, name)
        except UnicodeDecodeError:
            raise DataError([Problem("data_encoding", sheet=name)]) from None


def _read_rows(reader, scheme: IndexScheme, name: str) -> pd.DataFrame:
    header = [h.strip() for h in next(reader, [])]
    if tuple(header) != COLUMNS:
        raise DataError([Problem("data_columns", sheet=name, row=1, value=",".join(header),
                                 params={"columns": ",".join(COLUMNS)})])
    known = {i.code: i for i in scheme.indicators}
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    units, codes, values = [], [], []
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            raise DataError([Problem("data_too_many_rows", sheet=name, params={"limit": grouped(MAX_ROWS)})])
        if not any(cell.strip() for cell in row):
            continue
        bad = functools.partial(_problem, problems, name, line)

        if len(row) != len(COLUMNS):
            bad("data_fields", "", str(len(row)), n=len(COLUMNS))
            continue
        unit, code, text_value = (cell.strip() for cell in row)
        if not unit:
            bad("data_no_unit", "unit")
        if code not in known:
            bad("data_unknown_indicator", "indicator", code)
        value = math.nan
        if text_value:
            try:
                value = float(text_value)
            except ValueError:
                value = math.nan
                bad("data_not_number", "value", text_value)
            else:
                if not math.isfinite(value):
                    bad("data_not_number", "value", text_value)
                elif code in known and not known[code].cap and is_capped(value, known[code].worst,
                                                                         known[code].best):
                    bad("data_outside", "value", text_value, worst=f"{known[code].worst:g}",
                        best=f"{known[code].best:g}")
        if (unit, code) in seen:
            bad("data_duplicate", "indicator", code, unit=unit, first=seen[unit, code])
        seen[unit, code] = line
        units.append(unit)
        codes.append(code)
        values.append(value)
        if len(problems) >= SHOWN:
            break
    if problems:
        raise DataError(problems)
    if not units:
        raise DataError([Problem("data_empty", sheet=name)])
    n_units = len(set(units))
    if n_units * len(known) > MAX_CELLS:
        raise DataError([Problem("data_too_many_cells", sheet=name,
                                 params={"units": grouped(n_units), "indicators": grouped(len(known)),
                                         "limit": grouped(MAX_CELLS)})])
    return pd.DataFrame({"unit": units, "indicator": codes, "value": values})


def _problem(problems: list[Problem], name: str, line: int, code: str, column: str, value: str = "",
             **params) -> None:
    problems.append(Problem(code, sheet=name, row=line, column=column, value=value, params=params))


def tiers_of(scheme: IndexScheme) -> list[Tier]:
    """The scheme's tiers as membership matrices, from the indicators up."""
    out = []
    weights = np.array([i.weight for i in scheme.indicators])
    parents: list[str | None] = [i.parent for i in scheme.indicators]
    for tier in scheme.tiers:
        member = np.array([[float(p == node) for p in parents] for node in tier.nodes])
        out.append(Tier(tier.name, member, weights, tier.rule))
        weights, parents = np.array(tier.weights), list(tier.parents)
    return out


def score_units(scheme: IndexScheme, data: pd.DataFrame) -> list[dict]:
    """One record per unit, in the order the units first appear: unit, score (0–100), level,
    points to the next level, coverage, the reason a missing score is missing, and the parts
    (every indicator's value and score, every node's score), with the scheme's name and hash."""
    units = list(dict.fromkeys(data.unit))
    codes = [i.code for i in scheme.indicators]
    x = (data.pivot(index="unit", columns="indicator", values="value")
         .reindex(index=units, columns=codes).to_numpy(dtype=float))
    worst = np.array([i.worst for i in scheme.indicators])
    best = np.array([i.best for i in scheme.indicators])
    y = normalise(x, worst, best, np.array([i.log for i in scheme.indicators]))
    tiers = tiers_of(scheme)
    rolled = roll_up(tiers, y)
    score, coverage = rolled[-1][0][:, 0], rolled[-1][1][:, 0]
    reason = _reasons(tiers, y, rolled)
    lv, to_next = levels(score), points_to_next(score)
    records = []
    for u, unit in enumerate(units):
        parts: dict[str, dict] = {"indicators": {c: {"value": _num(x[u, k]), "score": _num(y[u, k])}
                                                 for k, c in enumerate(codes)}}
        for tier, (s, _) in zip(scheme.tiers[:-1], rolled[:-1], strict=True):
            parts[tier.name] = {n: _num(s[u, k]) for k, n in enumerate(tier.nodes)}
        records.append({"unit": unit, "score": _num(score[u]),
                        "level": None if math.isnan(lv[u]) else int(lv[u]),
                        "points_to_next_level": _num(to_next[u]), "coverage": _num(coverage[u]),
                        "reason": reason[u], "parts": parts,
                        "scheme": scheme.name, "scheme_hash": scheme.fingerprint})
    return records


def _reasons(tiers: list[Tier], y: np.ndarray, rolled) -> list[str | None]:
    """Why a unit's index is missing: no value at all, its available parts all weigh 0, or too
    few of them have a score."""
    top = tiers[-1]
    below = y if len(tiers) == 1 else rolled[-2][0]
    available = ~np.isnan(below)
    weight_available = np.where(available, top.weights, 0.0) @ top.member.T
    out: list[str | None] = []
    for u in range(y.shape[0]):
        if not math.isnan(rolled[-1][0][u, 0]):
            out.append(None)
        elif np.isnan(y[u]).all():
            out.append(NO_DATA)
        elif available[u].any() and weight_available[u, 0] <= 0:
            out.append(ZERO_WEIGHT)
        else:
            out.append(INSUFFICIENT)
    return out


def _num(v: float) -> float | None:
    return None if math.isnan(v) else float(v)


def records_table(records: list[dict]) -> pd.DataFrame:
    """The records flat, one row per unit: unit, score, level, …, then `tier:node` scores and
    `indicator:code` scores, then the scheme's name and hash."""
    rows = []
    for r in records:
        row = {k: r[k] for k in ("unit", "score", "level", "points_to_next_level", "coverage", "reason")}
        for tier, nodes in r["parts"].items():
            if tier != "indicators":
                row |= {f"{tier}:{n}": s for n, s in nodes.items()}
        row |= {f"indicator:{c}": v["score"] for c, v in r["parts"]["indicators"].items()}
        rows.append(row | {"scheme": r["scheme"], "scheme_hash": r["scheme_hash"]})
    frame = pd.DataFrame(rows)
    frame["level"] = frame.level.astype("Int64")
    return frame
