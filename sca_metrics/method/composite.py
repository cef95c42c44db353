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
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
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
    """Memory a row: each unit's and indicator's name kept once (not once a row), the values
    and line numbers in typed arrays, a repeated (unit, indicator) found once every row is in —
    so a table at the row limit (MAX_ROWS) is read in a few hundred megabytes."""
    header = [h.strip() for h in next(reader, [])]
    if tuple(header) != COLUMNS:
        raise DataError([Problem("data_columns", sheet=name, row=1, value=",".join(header),
                                 params={"columns": ",".join(COLUMNS)})])
    known = {i.code: i for i in scheme.indicators}
    problems: list[Problem] = []
    names: dict[str, str] = {}  # each unit's name, one string for all its rows
    units: list[str] = []
    codes: list[str] = []
    values = array("d")
    lines = array("l")
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
        unit = names.setdefault(unit, unit)
        if not unit:
            bad("data_no_unit", "unit")
        indicator = known.get(code)
        if indicator is None:
            bad("data_unknown_indicator", "indicator", code)
        else:
            code = indicator.code
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
                elif indicator is not None and not indicator.cap and is_capped(value, indicator.worst,
                                                                               indicator.best):
                    bad("data_outside", "value", text_value, worst=f"{indicator.worst:g}",
                        best=f"{indicator.best:g}")
        units.append(unit)
        codes.append(code)
        values.append(value)
        lines.append(line)
        if len(problems) >= SHOWN:
            break
    if not problems and units:
        frame = pd.DataFrame({"unit": units, "indicator": codes})
        again = frame.duplicated(keep=False)
        if again.any():
            first: dict[tuple[str, str], int] = {}
            for k in np.flatnonzero(again.to_numpy()):
                key = (units[k], codes[k])
                if key in first:
                    _problem(problems, name, int(lines[k]), "data_duplicate", "indicator", key[1],
                             unit=key[0], first=first[key])
                    if len(problems) >= SHOWN:
                        break
                else:
                    first[key] = int(lines[k])
    if problems:
        raise DataError(problems)
    if not units:
        raise DataError([Problem("data_empty", sheet=name)])
    n_units = len(names)
    if n_units * len(known) > MAX_CELLS:
        raise DataError([Problem("data_too_many_cells", sheet=name,
                                 params={"units": grouped(n_units), "indicators": grouped(len(known)),
                                         "limit": grouped(MAX_CELLS)})])
    return pd.DataFrame({"unit": units, "indicator": codes, "value": np.frombuffer(values, dtype=float)})


def _problem(problems: list[Problem], name: str, line: int, code: str, column: str, value: str = "",
             **params) -> None:
    problems.append(Problem(code, sheet=name, row=line, column=column, value=value, params=params))


def tiers_of(scheme: IndexScheme) -> list[Tier]:
    """The scheme's tiers as membership matrices, from the indicators up (each filled by index,
    not by comparing every node with every part)."""
    out = []
    weights = np.array([i.weight for i in scheme.indicators])
    parents: list[str | None] = [i.parent for i in scheme.indicators]
    for tier in scheme.tiers:
        row = {node: j for j, node in enumerate(tier.nodes)}
        member = np.zeros((len(tier.nodes), len(parents)))
        placed = [(row[p], k) for k, p in enumerate(parents) if p is not None and p in row]
        member[[j for j, _ in placed], [k for _, k in placed]] = 1.0
        out.append(Tier(tier.name, member, weights, tier.rule))
        weights, parents = np.array(tier.weights), list(tier.parents)
    return out


@dataclass(frozen=True)
class Scored:
    """Every unit scored, as arrays (units in the order they first appear): what the records
    and the flat table are both made from."""

    scheme: IndexScheme
    units: list[str]
    x: np.ndarray  # units × indicators: the values
    y: np.ndarray  # units × indicators: their scores
    nodes: list[np.ndarray]  # each tier below the index: units × nodes
    score: np.ndarray
    coverage: np.ndarray
    reason: list[str | None]

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.scheme.indicators]


def score(scheme: IndexScheme, data: pd.DataFrame) -> Scored:
    """Every unit of the long table scored by the scheme (vectorised over the units)."""
    units = list(dict.fromkeys(data.unit))
    codes = [i.code for i in scheme.indicators]
    x = (data.pivot(index="unit", columns="indicator", values="value")
         .reindex(index=units, columns=codes).to_numpy(dtype=float))
    worst = np.array([i.worst for i in scheme.indicators])
    best = np.array([i.best for i in scheme.indicators])
    y = normalise(x, worst, best, np.array([i.log for i in scheme.indicators]))
    tiers = tiers_of(scheme)
    rolled = roll_up(tiers, y)
    return Scored(scheme, units, x, y, [s for s, _ in rolled[:-1]], rolled[-1][0][:, 0],
                  rolled[-1][1][:, 0], _reasons(tiers, y, rolled))


def score_units(scheme: IndexScheme, data: pd.DataFrame) -> list[dict]:
    """One record per unit, in the order the units first appear: unit, score (0–100), level,
    points to the next level, coverage, the reason a missing score is missing, and the parts
    (every indicator's value and score, every node's score), with the scheme's name and hash."""
    return list(records(score(scheme, data)))


def records(done: Scored) -> Iterator[dict]:
    """`score_units`'s records one at a time (the command line writes each as it comes)."""
    scheme, codes, x, y = done.scheme, done.codes, done.x, done.y
    lv, to_next = levels(done.score), points_to_next(done.score)
    for u, unit in enumerate(done.units):
        parts: dict[str, dict] = {"indicators": {c: {"value": _num(x[u, k]), "score": _num(y[u, k])}
                                                 for k, c in enumerate(codes)}}
        for tier, s in zip(scheme.tiers[:-1], done.nodes, strict=True):
            parts[tier.name] = {n: _num(s[u, k]) for k, n in enumerate(tier.nodes)}
        yield {"unit": unit, "score": _num(done.score[u]), "level": None if math.isnan(lv[u]) else int(lv[u]),
               "points_to_next_level": _num(to_next[u]), "coverage": _num(done.coverage[u]),
               "reason": done.reason[u], "parts": parts, "scheme": scheme.name,
               "scheme_hash": scheme.fingerprint}


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


def scored_table(done: Scored) -> pd.DataFrame:
    """The records flat, one row per unit — unit, score, level, …, then `tier:node` scores and
    `indicator:code` scores, then the scheme's name and hash —, made straight from the arrays:
    the command line's CSV, a table at the row limit without a record per unit and part."""
    lv = levels(done.score)
    columns: dict[str, object] = {
        "unit": done.units, "score": done.score, "level": pd.array(
            [None if math.isnan(v) else int(v) for v in lv], dtype="Int64"),
        "points_to_next_level": points_to_next(done.score), "coverage": done.coverage,
        "reason": done.reason}
    for tier, s in zip(done.scheme.tiers[:-1], done.nodes, strict=True):
        columns |= {f"{tier.name}:{n}": s[:, k] for k, n in enumerate(tier.nodes)}
    columns |= {f"indicator:{c}": done.y[:, k] for k, c in enumerate(done.codes)}
    frame = pd.DataFrame(columns)
    return frame.assign(scheme=done.scheme.name, scheme_hash=done.scheme.fingerprint)
