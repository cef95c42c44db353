"""Statistical audit across periods (docs/METHOD.md §5), COINr-style: availability, collinear or
conflicting pairs within a cell, outliers (skew and kurtosis), values capped by goalposts."""

from __future__ import annotations

from dataclasses import dataclass

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
    """values: columns `unit` (period, or ward for the pilot), indicator, value. Vectorised:
    each indicator's statistics column-wise at once, and each cell's pairs as one correlation
    matrix (pairwise-complete, as pandas computes it) — 34 times the catalog is audited in
    about a second, where a loop over pairs took minutes."""
    cat = catalog.frame().set_index("code")
    wide = values.pivot_table(index=unit, columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=cat.index).astype(float)
    units = len(wide.index)
    x = wide.to_numpy()
    counts = wide.count()
    enough = counts >= MIN_POINTS + 1
    capped = is_capped(x, cat.worst.to_numpy(), cat.best.to_numpy()) & ~np.isnan(x)
    frame = pd.DataFrame({
        "code": cat.index, "domain": cat.domain.to_numpy(), "driver": cat.driver.to_numpy(),
        "availability": (counts / units).to_numpy() if units else np.full(len(cat), np.nan),
        "skew": wide.skew().where(enough).to_numpy(), "kurtosis": wide.kurt().where(enough).to_numpy(),
        "n_capped": capped.sum(axis=0).astype(int),
    })
    frame["low_availability"] = frame.availability < AVAILABILITY_MIN
    frame["outliers"] = (frame["skew"].abs() > SKEW_MAX) & (frame["kurtosis"] > KURTOSIS_MAX)
    frame["any_capped"] = frame.n_capped > 0

    y = normalise(x, cat.worst.to_numpy(), cat.best.to_numpy(), cat.log_transform.to_numpy())
    scores = pd.DataFrame(y, index=wide.index, columns=wide.columns)
    parts = [_cell_pairs(scores[list(group.index)], str(domain), str(driver))
             for (domain, driver), group in cat.groupby(["domain", "driver"], sort=False) if len(group) > 1]
    columns = ["domain", "driver", "code_a", "code_b", "correlation", "n", "flag"]
    pairs = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return Diagnostics(frame, pairs[columns])


def _cell_pairs(block: pd.DataFrame, domain: str, driver: str) -> pd.DataFrame:
    """Every pair of one cell's indicators with a correlation: at least MIN_POINTS units in
    common, neither constant over them (pandas gives NaN then)."""
    r = block.corr(min_periods=MIN_POINTS).to_numpy()
    present = block.notna().to_numpy(dtype=float)
    n = present.T @ present
    a, b = np.triu_indices(len(block.columns), 1)
    keep = ~np.isnan(r[a, b])
    a, b = a[keep], b[keep]
    codes = block.columns.to_numpy()
    corr = r[a, b]
    flag = [("collinear" if v > CORRELATION_MAX else "negative" if v < 0 else None) for v in corr]
    return pd.DataFrame({"domain": domain, "driver": driver, "code_a": codes[a], "code_b": codes[b],
                         "correlation": corr, "n": n[a, b].astype(int), "flag": flag})


def top_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """The flagged pairs, the strongest first (by the size of the correlation)."""
    flagged = pairs[pairs.flag.notna()]
    return flagged.iloc[np.argsort(-flagged.correlation.abs().to_numpy(), kind="stable")]
