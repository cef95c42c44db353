"""Monte Carlo uncertainty of the scores (docs/METHOD.md §4), vectorised over runs.

Each weight w becomes w · (1 + noise · (2U − 1)), U ~ Uniform(0, 1), independently per weight
and per run; optionally each run also switches arithmetic ↔ geometric with probability ½.
All runs go through the same `roll_up` as the nominal scores, with a leading runs axis.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from sca_metrics.method.scoring import (
    METHOD_VERSION,
    Options,
    Tree,
    build_tree,
    flipped,
    indicator_scores,
    levels,
    ranks,
    roll_up,
    scheme_record,
)
from sca_metrics.reference import vocabulary
from sca_metrics.reference.catalog import Catalog


@dataclass(frozen=True)
class MonteCarlo:
    runs: int = 1000
    seed: int = 20180306
    noise: float = 0.25
    switch_method: bool = False

    def __post_init__(self) -> None:
        if self.runs < 1 or not 0 <= self.noise < 1:
            raise ValueError("runs must be ≥ 1 and noise within [0, 1)")


@dataclass
class Uncertainty:
    period: str
    options: Options
    monte_carlo: MonteCarlo
    domains: pd.DataFrame  # one row per domain (foundations included, not ranked) + overall
    method_version: str = METHOD_VERSION

    @property
    def mean_abs_rank_shift(self) -> float:
        return float(self.domains.mean_abs_rank_shift.mean())

    def to_dict(self) -> dict:
        frame = self.domains.astype(object).where(self.domains.notna(), None)
        return {"period": self.period, "method_version": self.method_version,
                "scheme": scheme_record(self.options), "monte_carlo": asdict(self.monte_carlo),
                "mean_abs_rank_shift": self.mean_abs_rank_shift,
                "domains": frame.to_dict("records")}


def simulate(tree: Tree, y: np.ndarray, mc: MonteCarlo) -> dict[str, np.ndarray]:
    """Domain (R, M) and overall (R,) scores of every run, plus the nominal ones."""
    rng = np.random.default_rng(mc.seed)
    tiers = tree.tiers
    weights = [t.weights * (1 + mc.noise * (2 * rng.random((mc.runs, t.weights.size)) - 1))
               for t in tiers]
    ys = np.broadcast_to(y, (mc.runs, y.size))
    runs = roll_up(tiers, ys, weights)
    dom, ovr = runs[1][0], runs[2][0][:, 0]
    if mc.switch_method:  # every tier under the other mean, in half the runs
        alt = roll_up(flipped(tiers), ys, weights)
        switch = rng.random(mc.runs) < 0.5
        dom = np.where(switch[:, None], alt[1][0], dom)
        ovr = np.where(switch, alt[2][0][:, 0], ovr)
    nominal = roll_up(tiers, y)
    return {"domain": dom, "overall": ovr, "nominal_domain": nominal[1][0],
            "nominal_overall": nominal[2][0]}


def uncertainty(catalog: Catalog, values: pd.DataFrame, period: str,
                options: Options | None = None, mc: MonteCarlo | None = None) -> Uncertainty:
    """Per domain: median, 5–95 % interval, rank interval, level probabilities, rank shift."""
    options, mc = options or Options(), mc or MonteCarlo()
    tree = build_tree(catalog, options)
    by_code = dict(zip(values.indicator, values.value, strict=True))
    x = np.array([by_code.get(c, np.nan) for c in tree.indicators.code], dtype=float)
    sim = simulate(tree, indicator_scores(tree, x), mc)
    return Uncertainty(str(period), options, mc, summarise(tree, sim))


def summarise(tree: Tree, sim: dict[str, np.ndarray]) -> pd.DataFrame:
    dom, nominal = sim["domain"], sim["nominal_domain"]
    smart = np.array([d != vocabulary.FOUNDATIONS for d in tree.domains])
    rank_runs = np.full(dom.shape, np.nan)
    rank_runs[:, smart] = ranks(dom[:, smart])
    rank_nominal = np.full(nominal.shape, np.nan)
    rank_nominal[smart] = ranks(nominal[smart])
    frame = pd.DataFrame({"domain": tree.domains, "nominal": nominal})
    frame = pd.concat([frame, pd.DataFrame({"domain": ["overall"], "nominal": sim["nominal_overall"]})],
                      ignore_index=True)
    scores = np.column_stack([dom, sim["overall"]])
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a domain missing in every run
        frame["median"] = np.nanmedian(scores, axis=0)
        frame["p05"] = np.nanpercentile(scores, 5, axis=0)
        frame["p95"] = np.nanpercentile(scores, 95, axis=0)
        rank_all = np.column_stack([rank_runs, np.full(len(scores), np.nan)])
        frame["rank_nominal"] = np.append(rank_nominal, np.nan)
        frame["rank_median"] = np.nanmedian(rank_all, axis=0)
        frame["rank_p05"] = np.nanpercentile(rank_all, 5, axis=0)
        frame["rank_p95"] = np.nanpercentile(rank_all, 95, axis=0)
        frame["mean_abs_rank_shift"] = np.nanmean(np.abs(rank_all - frame.rank_nominal.to_numpy()),
                                                  axis=0)
        by_run = levels(scores)
        valid = (~np.isnan(scores)).sum(axis=0)
        for lv in range(1, 6):
            frame[f"p_level_{lv}"] = np.where(valid > 0, (by_run == lv).sum(axis=0) / np.maximum(valid, 1),
                                              np.nan)
    return frame

