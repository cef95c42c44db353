"""Ward-level pilot values: the city value, and any series in either unit system. Pure.

Each pilot indicator says in the catalog how its ward values combine (vocabulary.AGGREGATIONS):
a sum for counts, a population-weighted mean for rates, the minimum or maximum where the
weakest ward is what matters. The same rule makes the city value from the wards and a new
ward's value from the former wards it replaced, so totals are preserved (the new wards sum
to exactly what the former wards summed to). A value of a larger area needs every one of its
units: a partial sum or minimum would mislead. Data of the new wards is never split back
into the former ones.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pandas as pd

from sca_metrics.reference import vocabulary
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.units import Units

UNIT_COLUMNS = ["period", "indicator", "unit", "value"]
SYSTEM_COLUMNS = ["period", "indicator", "unit", "value", "population", "n_sources", "n_expected"]
CITY_COLUMNS = ["period", "indicator", "value", "n_units", "n_expected"]
CURRENT, FORMER = "current", "former"
CITY = "city"  # the one group of city_values


def aggregate(values: np.ndarray, weights: np.ndarray, how: str) -> float:
    """One value from several units' values (weights: their populations)."""
    values, weights = np.asarray(values, dtype=float), np.asarray(weights, dtype=float)
    if how == "sum":
        return float(values.sum())
    if how == "mean_pop":
        return float((values * weights).sum() / weights.sum())
    if how == "min":
        return float(values.min())
    if how == "max":
        return float(values.max())
    raise ValueError(f"unknown aggregation {how!r}")


def system_day(units: Units, system: str) -> date:
    """The day that defines a unit system: the last change (current wards) or the day before
    it (former wards)."""
    change = units.pilot_change_dates()[-1]
    return change if system == CURRENT else change - timedelta(days=1)


def in_system(unit_values: pd.DataFrame, catalog: Catalog, units: Units, day: date) -> pd.DataFrame:
    """Ward values as the units existing on `day` (SYSTEM_COLUMNS): former wards rolled up
    into their successor; a unit created after `day` has no row (never split back)."""
    return _combine(unit_values, catalog, units, lambda code: units.successor(code, day))


def city_values(unit_values: pd.DataFrame, catalog: Catalog, units: Units) -> pd.DataFrame:
    """The pilot area's value per period and indicator (CITY_COLUMNS) from the units valid
    in that period."""
    frame = _combine(unit_values, catalog, units, lambda code: CITY)
    return frame.rename(columns={"n_sources": "n_units"})[CITY_COLUMNS]


def _evidence(refs: pd.Series, shown: int = 3) -> str:
    """The distinct references of the wards' rows, the first few and how many more."""
    distinct = list(dict.fromkeys(x for x in refs if x))
    more = f" (+{len(distinct) - shown})" if len(distinct) > shown else ""
    return "; ".join(distinct[:shown]) + more


def city_observations(unit_obs: pd.DataFrame, catalog: Catalog, units: Units) -> pd.DataFrame:
    """The city values as scoring inputs (period, indicator, value, quality, evidence,
    department): the quality is the least reliable flag among the wards, the evidence every
    distinct reference. Only complete values."""
    city = city_values(unit_obs, catalog, units)
    city = city[city.value.notna()]
    rank = {q: i for i, q in enumerate(vocabulary.QUALITY_CODES)}
    meta = unit_obs.assign(period=unit_obs.period.astype(str)).groupby(["period", "indicator"]).agg(
        quality=("quality", lambda q: max(q, key=lambda x: rank.get(x, len(rank)))),
        evidence=("evidence", _evidence),
        department=("department", "first")).reset_index()
    out = city[["period", "indicator", "value"]].merge(meta, on=["period", "indicator"], how="left")
    return out[["period", "indicator", "value", "quality", "evidence", "department"]]


def _combine(unit_values: pd.DataFrame, catalog: Catalog, units: Units,
             target_of: Callable[[str], str | None]) -> pd.DataFrame:
    """Each period's pilot units grouped by target_of(unit) (None: left out) and combined by
    the indicator's aggregation; a value is missing (NaN) unless every unit in its group
    reported one."""
    rows = []
    for (period, code), group in unit_values.groupby(["period", "indicator"], sort=True):
        ind = catalog.find(str(code))
        if ind is None or not ind.pilot:
            continue  # a value stored under an older catalog
        how = ind.aggregation
        reported = dict(zip(group.unit, group.value, strict=True))
        targets: dict[str, list[str]] = {}
        for unit in units.pilot_units(str(period)):
            target = target_of(unit.code)
            if target is not None:
                targets.setdefault(target, []).append(unit.code)
        for target, sources in targets.items():
            vals = np.array([reported.get(s, np.nan) for s in sources], dtype=float)
            pops = np.array([units.unit(s).population for s in sources], dtype=float)
            complete = not np.isnan(vals).any()
            rows.append({"period": str(period), "indicator": code, "unit": target,
                         "value": aggregate(vals, pops, how) if complete else np.nan,
                         "population": float(pops.sum()), "n_sources": int((~np.isnan(vals)).sum()),
                         "n_expected": len(sources)})
    return pd.DataFrame(rows, columns=SYSTEM_COLUMNS)


def headlines(values: pd.DataFrame, progress: pd.DataFrame, period: str) -> pd.DataFrame:
    """The headline card of each indicator in `progress`: its value in the period, the change
    since the period before (NaN when either is missing), and its progress (values: period,
    indicator, value)."""
    by = {(str(p), c): v for p, c, v in zip(values.period, values.indicator, values.value, strict=True)}
    previous = str(int(period) - 1)
    value = [by.get((str(period), c), np.nan) for c in progress.code]
    before = [by.get((previous, c), np.nan) for c in progress.code]
    return progress.assign(value=value, previous_period=previous,
                           change=np.array(value, dtype=float) - np.array(before, dtype=float))
