"""Statistical audit across periods (docs/METHOD.md §5), COINr-style: availability, collinear or
conflicting pairs within a cell, outliers (skew and kurtosis), values capped by goalposts."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from sca_metrics.method.scoring import is_capped, normalise
from sca_metrics.reference.catalog import Catalog

AVAILABILITY_MIN = 0.65
CORRELATION_MAX = 0.9
SKEW_MAX = 2.0
KURTOSIS_MAX = 3.5
MIN_POINTS = 3  # fewer common periods than this: no correlation


@dataclass
class Diagnostics:
    indicators: pd.DataFrame  # code, availability, skew, kurtosis, n_capped and flags
    pairs: pd.DataFrame  # code_a, code_b (same cell), correlation, flag

    def flagged(self) -> pd.DataFrame:
        cols = ["low_availability", "outliers", "any_capped"]
        return self.indicators[self.indicators[cols].any(axis=1)]


def diagnose(catalog: Catalog, values: pd.DataFrame, unit: str = "period") -> Diagnostics:
    """values: columns `unit` (period, or ward for the pilot), indicator, value."""
    cat = catalog.frame().set_index("code")
    wide = values.pivot_table(index=unit, columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=cat.index)
    units = len(wide.index)
    rows = []
    for code in cat.index:
        x = wide[code]
        ind = cat.loc[code]
        capped = is_capped(x.to_numpy(), ind.worst, ind.best) & x.notna().to_numpy()
        skew, kurt = (x.skew(), x.kurt()) if x.count() >= MIN_POINTS + 1 else (np.nan, np.nan)
        rows.append({
            "code": code, "domain": ind.domain, "driver": ind.driver,
            "availability": x.count() / units if units else np.nan,
            "skew": skew, "kurtosis": kurt, "n_capped": int(capped.sum()),
        })
    frame = pd.DataFrame(rows)
    frame["low_availability"] = frame.availability < AVAILABILITY_MIN
    frame["outliers"] = (frame["skew"].abs() > SKEW_MAX) & (frame["kurtosis"] > KURTOSIS_MAX)
    frame["any_capped"] = frame.n_capped > 0

    scores = pd.DataFrame(
        normalise(wide.to_numpy(), cat.worst.to_numpy(), cat.best.to_numpy(),
                  cat.log_transform.to_numpy()),
        index=wide.index, columns=wide.columns)
    pairs = []
    for (domain, driver), group in cat.groupby(["domain", "driver"], sort=False):
        for a, b in combinations(group.index, 2):
            both = scores[[a, b]].dropna()
            if len(both) < MIN_POINTS or both[a].std() == 0 or both[b].std() == 0:
                continue
            r = float(np.corrcoef(both[a], both[b])[0, 1])
            flag = "collinear" if r > CORRELATION_MAX else "negative" if r < 0 else None
            pairs.append({"domain": domain, "driver": driver, "code_a": a, "code_b": b,
                          "correlation": r, "n": len(both), "flag": flag})
    columns = ["domain", "driver", "code_a", "code_b", "correlation", "n", "flag"]
    return Diagnostics(frame, pd.DataFrame(pairs, columns=columns))
