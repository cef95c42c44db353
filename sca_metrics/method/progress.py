"""Progress to targets (docs/METHOD.md §6): the Open SDG / Eurostat method. Pure.

For an indicator with a base value x0 (period t0), a latest value xt (period t) and a target
x* for year T: actual rate CAGR_a = (xt/x0)^(1/(t−t0)) − 1, required rate
CAGR_r = (x*/x0)^(1/(T−t0)) − 1, R = CAGR_a / CAGR_r. The required rate carries the sign of
the direction of improvement, so R is positive when the indicator moves the right way for
either direction. Where a growth rate is undefined (a value of 0, as yes/no and many shares
start), the yearly linear change replaces it: (xt − x0)/(t − t0) against (x* − x0)/(T − t0).

Stages: up to 2025 progress is measured from the programme's first period towards the 2025
target; after 2025, from the 2025 value towards the 2030 target.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from sca_metrics.reference.catalog import Catalog, Indicator

ACHIEVED, ON_TRACK, ACCELERATION, LIMITED, DETERIORATION, INSUFFICIENT = (
    "achieved", "on_track", "acceleration", "limited", "deterioration", "insufficient")
ON_TRACK_AT, ACCELERATION_AT = 0.95, 0.6
CAGR, LINEAR = "cagr", "linear"
# (target year, the period progress towards it is measured from)
STAGES = ((2025, 2018), (2030, 2025))


@dataclass(frozen=True)
class Progress:
    status: str
    base_period: int | None = None
    base_value: float | None = None
    latest_period: int | None = None
    latest_value: float | None = None
    target_year: int | None = None
    target: float | None = None
    actual_rate: float | None = None
    required_rate: float | None = None
    ratio: float | None = None
    method: str | None = None


RATIO_DECIMALS = 2  # R is decided as it is shown (0,95): noise never crosses a band edge


def status_of(ratio: float) -> str:
    ratio = round(ratio, RATIO_DECIMALS)
    if ratio >= ON_TRACK_AT:
        return ON_TRACK
    if ratio >= ACCELERATION_AT:
        return ACCELERATION
    if ratio >= 0:
        return LIMITED
    return DETERIORATION


def meets(value: float, target: float, direction: str) -> bool:
    return value >= target if direction == "higher" else value <= target


# Scales on which a ratio of values means nothing: a level going 2 → 3 is one step, not +50 %.
LINEAR_KINDS = ("level", "yesno")


def assess(x0: float, t0: int, xt: float, t: int, target: float, target_year: int,
           direction: str, linear: bool = False) -> Progress:
    """The status of one series from its base and latest values (docs/METHOD.md §6);
    `linear`: absolute yearly change, never compound growth (levels, yes/no values)."""
    known: dict[str, Any] = {"base_period": t0, "base_value": x0, "latest_period": t, "latest_value": xt,
             "target_year": target_year, "target": target}
    if meets(xt, target, direction):
        return Progress(ACHIEVED, **known)
    if t <= t0:
        return Progress(INSUFFICIENT, **known)
    if meets(x0, target, direction):  # the target was met at the base and has been lost
        return Progress(DETERIORATION, **known)
    if min(x0, xt, target) > 0 and not linear:
        method = CAGR
        actual = (xt / x0) ** (1 / (t - t0)) - 1
        required = (target / x0) ** (1 / (target_year - t0)) - 1
    else:
        method = LINEAR
        actual = (xt - x0) / (t - t0)
        required = (target - x0) / (target_year - t0)
    ratio = actual / required
    return Progress(status_of(ratio), **known, actual_rate=actual, required_rate=required,
                    ratio=ratio, method=method)


def stage(period: int) -> tuple[int, int] | None:
    """(target year, start period) of the stage a latest period belongs to."""
    return next(((year, start) for year, start in STAGES if period <= year), None)


def indicator_progress(ind: Indicator, series: dict[int, float], period: int) -> Progress | None:
    """Progress of one indicator with the values up to `period`; None when it has no target
    for that stage."""
    found = stage(period)
    if found is None:
        return None
    year, start = found
    target = ind.target_2025 if year == 2025 else ind.target_2030
    if target is None:
        return None
    known = {p: v for p, v in series.items() if p <= period and v is not None and not math.isnan(v)}
    if not known:
        return Progress(INSUFFICIENT, target_year=year, target=target)
    before = [p for p in known if p <= start]
    t0 = max(before) if before else min(known)
    t = max(known)
    return assess(known[t0], t0, known[t], t, target, year, ind.direction,
                  linear=ind.kind in LINEAR_KINDS)


PROGRESS_COLUMNS = ["code", *Progress.__dataclass_fields__]


def progress_frame(catalog: Catalog, values: pd.DataFrame, period: str | int,
                   codes: list[str] | None = None) -> pd.DataFrame:
    """One row per indicator with a target (or per code given): its progress as of `period`.
    `values`: columns period, indicator, value."""
    wanted = None if codes is None else set(codes)
    if wanted is not None:  # only the values asked about are read
        values = values[values.indicator.astype(str).isin(wanted)]
    by_code: dict[str, dict[int, float]] = {}
    for code, year, value in zip(values.indicator.astype(str), values.period.astype(str).astype(int),
                                 values.value.astype(float), strict=True):
        by_code.setdefault(code, {})[year] = value
    rows = []
    for ind in catalog.indicators:
        if wanted is not None and ind.code not in wanted:
            continue
        result = indicator_progress(ind, by_code.get(ind.code, {}), int(period))
        if result is not None:
            rows.append({"code": ind.code, **asdict(result)})
    return pd.DataFrame(rows, columns=PROGRESS_COLUMNS)


def values_from_scores(by_period: Mapping) -> pd.DataFrame:
    """period, indicator, value of every scored period (the scores carry each input value)."""
    frames = [sc.indicators[["code", "value"]].assign(period=str(p)) for p, sc in by_period.items()]
    if not frames:
        return pd.DataFrame(columns=["period", "indicator", "value"])
    out = pd.concat(frames, ignore_index=True).rename(columns={"code": "indicator"})
    return out[out.value.notna()][["period", "indicator", "value"]].reset_index(drop=True)
