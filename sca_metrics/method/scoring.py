"""Composite readiness scores (docs/METHOD.md): pure functions over numpy arrays and frames.

indicator (0–100, goalposts) → cell (domain × driver) → domain → overall, each tier by its
rule: a missing-aware weighted mean (arithmetic or geometric) with a coverage threshold. No
database and no streamlit here: `sca_metrics.snapshot` turns the store into the input frame.
Every result carries the method version and its scheme (name, hash, content), so it can be
regenerated; same inputs and scheme → same output.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import tomllib
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from sca_metrics.reference import vocabulary
from sca_metrics.reference.catalog import Catalog
from sca_metrics.settings import shipped_data

METHOD_VERSION = "2.0"
ARITHMETIC, GEOMETRIC = "arithmetic", "geometric"
METHODS = (ARITHMETIC, GEOMETRIC)
TARGET_YEARS = (2025, 2030)
NO_DATA, INSUFFICIENT, ZERO_WEIGHT = "no_data", "insufficient_coverage", "zero_weight"
# Levels and points to the next level are decided on the score rounded as every output shows
# it (one decimal): floating-point noise (59.99999999999999 for 60 on paper) never moves a score
# across a boundary, and a level never contradicts the score displayed beside it.
SCORE_DECIMALS = 1
_EPS = 1e-12


TIERS = ("cell", "domain", "overall")  # the catalog's tiers, from the indicators up
COUNT, WEIGHT = "count", "weight"  # coverage counts the children, or weighs them
COVERAGE_BASES = (COUNT, WEIGHT)


def _shipped() -> dict:
    """The shipped scheme, data/schemes/default.toml: the one place the method's defaults are
    written. `Options()` is that scheme (a test holds them equal); `scheme.default()` reads the
    same file with every check. Read plainly here: the scheme module builds on this one."""
    with open(shipped_data() / "schemes" / "default.toml", "rb") as f:
        return tomllib.load(f)


SHIPPED = _shipped()
_FIRST = SHIPPED["tiers"][0]  # the rule every tier has unless its own says otherwise
DEFAULT_SCHEME = str(SHIPPED["name"])
DEFAULT_METHOD = str(_FIRST["method"])
DEFAULT_THRESHOLD = float(_FIRST["coverage"])
DEFAULT_COVERAGE_BY = str(_FIRST.get("coverage_by", COUNT))


def _shipped_rules() -> dict[str, tuple[str, float, str]]:
    """Each tier's own rule where the shipped scheme gives it one unlike the first tier's."""
    rules = {t["name"]: (str(t["method"]), float(t["coverage"]), str(t.get("coverage_by", COUNT)))
             for t in SHIPPED["tiers"]}
    common = (DEFAULT_METHOD, DEFAULT_THRESHOLD, DEFAULT_COVERAGE_BY)
    return {tier: rule for tier, rule in rules.items() if rule != common}


def _shipped_weights(tier: str) -> dict[str, float]:
    """The shipped weights of a tier's children that are not 1 (a child not listed weighs 1)."""
    found: dict = next((t.get("weights", {}) for t in SHIPPED["tiers"] if t["name"] == tier), {})
    return {k: float(v) for k, v in found.items() if float(v) != 1.0}


OTHER_METHOD = {ARITHMETIC: GEOMETRIC, GEOMETRIC: ARITHMETIC}


@dataclass(frozen=True)
class Rule:
    """How one tier combines its children: the mean, and the coverage below which a parent has
    no score (counted over the children, or weighed by their weights)."""

    method: str = DEFAULT_METHOD
    coverage: float = DEFAULT_THRESHOLD
    coverage_by: str = DEFAULT_COVERAGE_BY

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {self.method!r}")
        if isinstance(self.coverage, bool) or not 0 <= self.coverage <= 1:
            raise ValueError(f"coverage must be a share within 0–1, not {self.coverage!r}")
        if self.coverage_by not in COVERAGE_BASES:
            raise ValueError(f"coverage_by must be one of {', '.join(COVERAGE_BASES)}, "
                             f"not {self.coverage_by!r}")


@dataclass(frozen=True)
class Options:
    """Every choice of the method: the catalog's scoring scheme (docs/METHOD.md §8). `method`,
    `threshold` and `coverage_by` serve every tier that `tiers` gives no rule of its own; the
    defaults are the shipped scheme's (data/schemes/default.toml)."""

    method: str = DEFAULT_METHOD
    threshold: float = DEFAULT_THRESHOLD
    indicator_weights: Mapping[str, float] = field(  # code → w (else the catalog's)
        default_factory=lambda: _shipped_weights("cell"))
    driver_weights: Mapping[str, float] = field(  # driver → w (else 1)
        default_factory=lambda: _shipped_weights("domain"))
    domain_weights: Mapping[str, float] = field(  # domain → w (else 1)
        default_factory=lambda: _shipped_weights("overall"))
    foundations_in_overall: bool = bool(SHIPPED.get("foundations_in_overall", False))
    # a domain's level at most its lowest foundations layer's
    cap_by_foundations: bool = bool(SHIPPED.get("cap_by_foundations", False))
    coverage_by: str = DEFAULT_COVERAGE_BY
    tiers: Mapping[str, Rule] = field(  # tier → its own rule
        default_factory=lambda: {tier: Rule(*rule) for tier, rule in _shipped_rules().items()})
    name: str = DEFAULT_SCHEME

    def __post_init__(self) -> None:
        Rule(self.method, self.threshold, self.coverage_by)  # raises on a bad one
        unknown = sorted(set(self.tiers) - set(TIERS))
        if unknown:
            raise ValueError(f"unknown tier {', '.join(map(repr, unknown))} (tiers: {', '.join(TIERS)})")
        for group in (self.indicator_weights, self.driver_weights, self.domain_weights):
            for key, w in group.items():
                if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w) or w < 0:
                    raise ValueError(f"the weight of {key!r} must be a finite number ≥ 0, not {w!r}")

    def rule(self, tier: str) -> Rule:
        return self.tiers.get(tier) or Rule(self.method, self.threshold, self.coverage_by)

    def as_dict(self) -> dict:
        """The scheme as it scores, every tier's rule spelt out: the same scores, the same dict."""
        weights = {"cell": dict(sorted(self.indicator_weights.items())),
                   "domain": {d: float(self.driver_weights.get(d, 1.0)) for d in vocabulary.DRIVER_CODES},
                   "overall": {d: float(self.domain_weights.get(d, 1.0)) for d in vocabulary.DOMAIN_CODES}}
        # the cap only when on: every scheme made before the option keeps its content and hash
        cap = {"cap_by_foundations": True} if self.cap_by_foundations else {}
        return {"name": self.name, "indicators": "catalog",
                "foundations_in_overall": self.foundations_in_overall, **cap,
                "tiers": [{"name": t, **asdict(self.rule(t)), "weights": weights[t]} for t in TIERS]}

    @property
    def fingerprint(self) -> str:
        """The scheme's hash: the first 16 hex digits of the SHA-256 of its content."""
        return content_hash(self.as_dict())


def content_hash(content: dict) -> str:
    """The first 16 hex digits of the SHA-256 of a scheme's content (canonical JSON)."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# ---- the formulas (docs/METHOD.md §1–3), on plain arrays ----

def normalise(x, worst, best, log: bool | np.ndarray = False) -> np.ndarray:
    """y = 100 · clip((x − a)/(b − a), 0, 1); one formula for both directions; NaN stays NaN."""
    x, a, b = (np.asarray(v, dtype=float) for v in (x, worst, best))
    log = np.asarray(log, dtype=bool)
    if log.any():
        # only the log-transformed goalposts are positive (the catalog checks them): the
        # others' logs are computed by np.where and discarded, without a warning
        with np.errstate(divide="ignore", invalid="ignore"):
            tiny = np.minimum(a, b) * 1e-9
            x = np.where(log, np.log(np.maximum(x, tiny)), x)
            a = np.where(log, np.log(a), a)
            b = np.where(log, np.log(b), b)
    with np.errstate(invalid="ignore"):
        return 100.0 * np.clip((x - a) / (b - a), 0.0, 1.0)


def is_capped(x, worst, best) -> np.ndarray:
    x, a, b = (np.asarray(v, dtype=float) for v in (x, worst, best))
    with np.errstate(invalid="ignore"):
        return (x < np.minimum(a, b)) | (x > np.maximum(a, b))


def combine(y: np.ndarray, w: np.ndarray, member: np.ndarray, method: str = ARITHMETIC,
            threshold: float = DEFAULT_THRESHOLD,
            coverage_by: str = COUNT) -> tuple[np.ndarray, np.ndarray]:
    """Children → parents: weighted mean over the available children, weights rescaled.

    y, w: (..., K) child scores (NaN = missing) and weights, with any leading batch axes
    (Monte Carlo runs, units); member: (P, K) 0/1, which children belong to which parent.
    Returns parent scores (..., P), NaN where coverage is below the threshold, and the
    coverage (..., P): the share of the children with a score, counted (COUNT) or weighed
    by their weights (WEIGHT; 0 when they all weigh 0).
    """
    avail = ~np.isnan(y)
    member = np.asarray(member, dtype=float)
    wa = np.where(avail, w, 0.0)
    den = wa @ member.T
    if coverage_by == WEIGHT:
        total = np.broadcast_to(w, y.shape) @ member.T
        coverage = np.where(total > 0, den / np.where(total > 0, total, 1.0), 0.0)
    else:
        coverage = (avail.astype(float) @ member.T) / np.maximum(member.sum(axis=1), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == GEOMETRIC:
            logs = np.log(np.maximum(np.where(avail, y, 1.0), 1.0))
            score = np.exp((logs * wa) @ member.T / den)
        else:
            score = (np.where(avail, y, 0.0) * wa) @ member.T / den
    ok = (coverage >= threshold - _EPS) & (den > 0)
    return np.where(ok, score, np.nan), coverage


def aggregate(scores, weights=None, method: str = ARITHMETIC,
              threshold: float = DEFAULT_THRESHOLD) -> tuple[float, float]:
    """One parent from its children's scores (None/NaN = missing): (score or NaN, coverage)."""
    y = np.array([np.nan if s is None else s for s in scores], dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    s, c = combine(y, w, np.ones((1, len(y))), method, threshold)
    return float(s[0]), float(c[0])


LEVEL_WIDTH = 20  # points per maturity level: five bands over 0–100


def levels(scores: np.ndarray | Sequence[float]) -> np.ndarray:
    """Maturity levels 1–5 of many scores: 1 + min(4, ⌊S/20⌋) (docs/METHOD.md); NaN for a
    missing score. The one definition of a level: `level` is its scalar form, `level_bounds`
    its band."""
    s = np.round(np.asarray(scores, dtype=float), SCORE_DECIMALS)
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(s), np.nan, 1 + np.minimum(4, np.floor(s / LEVEL_WIDTH)))


def level_bounds(lv: int) -> tuple[int, int]:
    """The scores of level `lv`: from (inclusive) and to (exclusive, but 100 belongs to 5)."""
    return LEVEL_WIDTH * (lv - 1), LEVEL_WIDTH * lv


def level(score: float | None) -> int | None:
    """The maturity level 1–5 of one score; None for a missing score."""
    if score is None or math.isnan(score):
        return None
    return int(levels([score])[0])


def points_to_next(score) -> np.ndarray:
    """20·L − S, on the score as displayed; NaN at level 5 and for a missing score."""
    s = np.round(np.asarray(score, dtype=float), SCORE_DECIMALS)
    lv = levels(s)
    return np.where(lv >= 5, np.nan, np.round(LEVEL_WIDTH * lv - s, SCORE_DECIMALS))


def target_year(period: str) -> int | None:
    """The target a period is measured against: the first target year that has not passed —
    2025 up to the 2025 period, 2030 from 2026 on; None after the last."""
    year = int(str(period)[:4])
    return next((y for y in TARGET_YEARS if y >= year), None)


def level_name(lv: int | None, lang: str) -> str:
    return "" if lv is None else vocabulary.LEVELS[int(lv) - 1].name(lang)


def ranks(scores: np.ndarray, tolerance: float = 1e-9) -> np.ndarray:
    """Rank 1 = best along the last axis; ties (within rounding) share the better rank; NaN
    stays unranked (floats, for the Monte Carlo arrays; frames hold them as integers)."""
    filled = np.where(np.isnan(scores), -np.inf, scores)
    r = (filled[..., None, :] > filled[..., :, None] + tolerance).sum(axis=-1) + 1.0
    return np.where(np.isnan(scores), np.nan, r)


def missing_shares(y: np.ndarray, w: np.ndarray, member: np.ndarray, parent: np.ndarray,
                   method: str = ARITHMETIC) -> np.ndarray:
    """Each child's part of what its parent misses, 100 − S, under the parent's mean
    (docs/METHOD.md §3); the parts of one parent sum to 100 − S exactly. Arithmetic:
    w̃ᵢ(100 − yᵢ); geometric, by log-shares, (100 − S) · w̃ᵢ ln(100/yᵢ) / Σⱼ w̃ⱼ ln(100/yⱼ), with
    yᵢ floored at 1 as the mean floors it. w̃: the weights rescaled over the available
    siblings. NaN for a missing child; 0 below a parent without a score."""
    y, w = np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    member = np.asarray(member, dtype=float)
    avail = ~np.isnan(y)
    has_parent = member.T @ (~np.isnan(parent)).astype(float) > 0
    wa = np.where(avail & has_parent, w, 0.0)
    den = member.T @ (member @ wa)
    wt = np.where(den > 0, wa / np.where(den > 0, den, 1.0), 0.0)
    if method == GEOMETRIC:
        share = wt * np.log(100.0 / np.maximum(np.where(avail, y, 100.0), 1.0))
        total = member.T @ (member @ share)
        missing = member.T @ np.nan_to_num(100.0 - parent, nan=0.0)
        part = np.where(total > 0, missing * share / np.where(total > 0, total, 1.0), 0.0)
    else:
        part = wt * (100.0 - np.where(avail, y, 100.0))
    return np.where(avail, part, np.nan)


def gap_decomposition(scores, weights, method: str = ARITHMETIC) -> np.ndarray:
    """The children of one parent: each one's part of 100 − S (see missing_shares)."""
    y = np.asarray(scores, dtype=float)
    w = np.asarray(weights, dtype=float)
    member = np.ones((1, len(y)))
    parent, _ = combine(y, w, member, method, threshold=0.0)
    return missing_shares(y, w, member, parent, method)


# ---- the hierarchy, as membership matrices built once per catalog and options ----

@dataclass(frozen=True)
class Tree:
    indicators: pd.DataFrame  # catalog rows in scoring order
    cells: pd.DataFrame  # domain, driver
    domains: list[str]
    overall_domains: list[str]
    ind_w: np.ndarray  # (I,)
    cell_w: np.ndarray  # (C,) driver weights
    dom_w: np.ndarray  # (M,) domain weights (overall)
    to_cell: np.ndarray  # (C, I) indicator → cell membership
    to_domain: np.ndarray  # (M, C) cell → domain
    to_overall: np.ndarray  # (1, M) domain → overall
    rules: tuple[Rule, Rule, Rule]  # cell, domain, overall

    @property
    def tiers(self) -> list[Tier]:
        return [Tier(t, m, w, r) for t, m, w, r in zip(
            TIERS, (self.to_cell, self.to_domain, self.to_overall),
            (self.ind_w, self.cell_w, self.dom_w), self.rules, strict=True)]


@dataclass(frozen=True)
class Tier:
    """One tier of any hierarchy: which children each parent has, the children's weights, and
    the rule that combines them."""

    name: str
    member: np.ndarray  # (P, K)
    weights: np.ndarray  # (K,)
    rule: Rule


def roll_up(tiers: Sequence[Tier], y: np.ndarray,
            weights: Sequence[np.ndarray] | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Indicator scores (..., I) up every tier: [(scores, coverage)], from the lowest tier up;
    `weights` replaces the tiers' own (the Monte Carlo runs')."""
    out = []
    for k, tier in enumerate(tiers):
        w = tier.weights if weights is None else weights[k]
        rule = tier.rule
        y, coverage = combine(y, w, tier.member, rule.method, rule.coverage, rule.coverage_by)
        out.append((y, coverage))
    return out


def flipped(tiers: Sequence[Tier]) -> list[Tier]:
    """The same tiers, each under the other mean."""
    return [dataclasses.replace(t, rule=dataclasses.replace(t.rule, method=OTHER_METHOD[t.rule.method]))
            for t in tiers]


def build_tree(catalog: Catalog, options: Options) -> Tree:
    ind = catalog.frame().reset_index(drop=True)
    for name, given, known in (("indicator", options.indicator_weights, set(ind.code)),
                               ("driver", options.driver_weights, set(vocabulary.DRIVER_CODES)),
                               ("domain", options.domain_weights, set(vocabulary.DOMAIN_CODES))):
        unknown = sorted(set(given) - known)
        if unknown:  # a misspelt key would otherwise leave its weight silently unchanged
            raise ValueError(f"unknown {name} in the weights: {', '.join(map(repr, unknown))}")
    cells = (ind[["domain", "driver"]].drop_duplicates()
             .assign(d=lambda f: f.domain.map(vocabulary.DOMAIN_CODES.index),
                     r=lambda f: f.driver.map(vocabulary.DRIVER_CODES.index))
             .sort_values(["d", "r"])[["domain", "driver"]].reset_index(drop=True))
    domains = [d for d in vocabulary.DOMAIN_CODES if d in set(cells.domain)]
    overall = [d for d in domains if options.foundations_in_overall or d != vocabulary.FOUNDATIONS]
    cell_key = list(zip(cells.domain, cells.driver, strict=True))
    to_cell = np.zeros((len(cells), len(ind)))
    for i, key in enumerate(zip(ind.domain, ind.driver, strict=True)):
        to_cell[cell_key.index(key), i] = 1
    to_domain = np.array([[float(dom == d) for d in cells.domain] for dom in domains])
    to_overall = np.array([[float(d in overall) for d in domains]])
    ind_w = np.array([options.indicator_weights.get(c, w) for c, w in zip(ind.code, ind.weight,
                                                                          strict=True)])
    cell_w = np.array([options.driver_weights.get(d, 1.0) for d in cells.driver])
    dom_w = np.array([options.domain_weights.get(d, 1.0) for d in domains])
    return Tree(ind, cells, domains, overall, ind_w, cell_w, dom_w, to_cell, to_domain, to_overall,
                tuple(options.rule(t) for t in TIERS))  # type: ignore[arg-type]


def indicator_scores(tree: Tree, values: np.ndarray) -> np.ndarray:
    t = tree.indicators
    return normalise(values, t.worst.to_numpy(), t.best.to_numpy(), t.log_transform.to_numpy())


def target_scores(tree: Tree, y: np.ndarray, year: int) -> np.ndarray:
    """Target values scored the same way, only where the indicator has a value; an
    indicator without a target keeps its own score (it adds no gap)."""
    t = tree.indicators
    target = t[f"target_{year}"].to_numpy(dtype=float)
    ty = normalise(target, t.worst.to_numpy(), t.best.to_numpy(), t.log_transform.to_numpy())
    ty = np.where(np.isnan(target), y, ty)
    return np.where(np.isnan(y), np.nan, ty)


# ---- one period, as frames ----

@dataclass
class Scores:
    period: str
    options: Options
    catalog_version: str
    indicators: pd.DataFrame
    cells: pd.DataFrame
    domains: pd.DataFrame  # foundations included (domain == "foundations"), ranked apart
    overall: pd.DataFrame  # one row
    method_version: str = METHOD_VERSION
    previous_period: str | None = None  # what `change` is measured from

    @property
    def foundations(self) -> pd.DataFrame:
        return self.domains[self.domains.domain == vocabulary.FOUNDATIONS]

    def to_dict(self) -> dict:
        def records(df: pd.DataFrame) -> list[dict]:
            return [{k: _json_value(v) for k, v in row.items()} for row in df.to_dict("records")]

        return {
            "period": self.period,
            "method_version": self.method_version,
            "catalog_version": self.catalog_version,
            "previous_period": self.previous_period,
            "scheme": scheme_record(self.options),
            "indicators": records(self.indicators),
            "cells": records(self.cells),
            "domains": records(self.domains[self.domains.domain != vocabulary.FOUNDATIONS]),
            "foundations": records(self.foundations)[0] if len(self.foundations) else None,
            "overall": records(self.overall)[0],
        }


def scheme_record(options: Options) -> dict:
    """What every result says of the scheme that made it: its name, its hash, its content."""
    return {"name": options.name, "hash": options.fingerprint, **options.as_dict()}


def _json_value(v):
    if isinstance(v, (np.floating, float)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if v is pd.NA or v is None:
        return None
    return v


def score_period(catalog: Catalog, values: pd.DataFrame, period: str,
                 options: Options | None = None) -> Scores:
    """Scores of one period. `values`: columns indicator, value (others are carried along)."""
    options = options or Options()
    tree = build_tree(catalog, options)
    return _score(tree, catalog.version, values, period, options, _layers(catalog, options))


def score_periods(catalog: Catalog, values: pd.DataFrame, options: Options | None = None,
                  memo: MutableMapping | None = None) -> dict[str, Scores]:
    """Scores of every period in `values` (columns period, indicator, value), with the change
    since the previous period at every level.

    `memo`, a mapping the caller keeps between calls (the dashboard keeps one per process),
    remembers each period's scores by the exact content of its values: when one return
    changes, only its period is scored again. Remembered scores are never changed (the change
    columns go on copies), so the result is the same with or without it."""
    options = options or Options()
    tree = build_tree(catalog, options)
    layers = _layers(catalog, options)
    out: dict[str, Scores] = {}
    previous: Scores | None = None
    for period, group in values.groupby(values.period.astype(str), sort=True):
        period = str(period)
        key = ((catalog.version, json.dumps(options.as_dict(), sort_keys=True, default=str), period,
                content_key(group)) if memo is not None else None)
        s = memo.get(key) if memo is not None else None
        if s is None:
            s = _score(tree, catalog.version, group, period, options, layers)
            if memo is not None:
                memo[key] = s
        out[period] = previous = _with_change(tree, s, previous)
    return out


def content_key(frame: pd.DataFrame) -> tuple:
    """A key that changes with any value, flag, note or column of a period's values."""
    hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    return tuple(frame.columns), len(frame), int(hashed.sum()), int((hashed * 31).sum())


def _with_change(tree: Tree, s: Scores, previous: Scores | None) -> Scores:
    """The scores with their change since the previous period, on copies of the frames.

    Like for like: both periods are scored again on the indicators that have a value in both,
    so a change never mixes progress with an indicator that started or stopped being reported;
    `set_changed` says where the set of indicators below a score differs between the two
    periods (the published scores, and the target scores, then rest on different sets)."""
    frames = {name: getattr(s, name) for name in ("indicators", "cells", "domains", "overall")}
    if previous is None:
        return dataclasses.replace(s, **{name: f.assign(change=np.nan, set_changed=False)
                                         for name, f in frames.items()})
    y_now, y_before = s.indicators.score.to_numpy(), previous.indicators.score.to_numpy()
    both = ~np.isnan(y_now) & ~np.isnan(y_before)
    now = roll_up(tree.tiers, np.where(both, y_now, np.nan))
    before = roll_up(tree.tiers, np.where(both, y_before, np.nan))
    moved = (np.isnan(y_now) != np.isnan(y_before)).astype(float)
    out = {"indicators": frames["indicators"].assign(change=y_now - y_before, set_changed=moved > 0)}
    for name, k in (("cells", 0), ("domains", 1), ("overall", 2)):
        moved = moved @ tree.tiers[k].member.T
        out[name] = frames[name].assign(change=now[k][0] - before[k][0], set_changed=moved > 0)
    return dataclasses.replace(s, previous_period=previous.period, **out)


def _layers(catalog: Catalog, options: Options) -> Mapping[str, tuple[str, ...]] | None:
    """The foundations layers' indicators when the scheme caps domain levels by them."""
    if not options.cap_by_foundations:
        return None
    from sca_metrics.method import foundations  # it builds on this module

    return foundations.layer_indicators(catalog)


def _score(tree: Tree, catalog_version: str, values: pd.DataFrame, period: str,
           options: Options, layers: Mapping[str, tuple[str, ...]] | None = None) -> Scores:
    repeated = values.indicator[values.indicator.duplicated()].unique()
    if len(repeated):  # the last value would otherwise win silently
        raise ValueError(f"period {period}: more than one value for {', '.join(map(str, repeated))}")
    by_code = dict(zip(values.indicator, values.value, strict=True))
    x = np.array([by_code.get(c, np.nan) for c in tree.indicators.code], dtype=float)
    x = np.where(pd.isna(x), np.nan, x)
    y = indicator_scores(tree, x)
    nominal = dict(zip(TIERS, roll_up(tree.tiers, y), strict=True))
    targets = {yr: dict(zip(TIERS, roll_up(tree.tiers, target_scores(tree, y, yr)), strict=True))
               for yr in TARGET_YEARS}

    ind = tree.indicators.copy()
    ind["value"] = x
    ind["weight"] = tree.ind_w
    ind["score"] = y
    ind["capped"] = is_capped(x, ind.worst, ind.best)
    for yr in TARGET_YEARS:
        ind[f"target_score_{yr}"] = target_scores(tree, y, yr)
    _effective_weights(tree, ind, nominal)
    extra = [c for c in values.columns if c not in ("indicator", "value", "period", *ind.columns)]
    if extra:
        ind = ind.merge(values[["indicator", *extra]].rename(columns={"indicator": "code"}),
                        on="code", how="left")

    has_value = (~np.isnan(y)).astype(float)
    values_in = {"cell": has_value @ tree.to_cell.T}  # indicators with a value below each node
    values_in["domain"] = values_in["cell"] @ tree.to_domain.T
    values_in["overall"] = values_in["domain"] @ tree.to_overall.T
    cells = _level_frame(tree.cells.copy(), tree.cell_w, nominal["cell"], targets, "cell",
                         tree.to_cell, has_value, values_in["cell"], tree.ind_w)
    domains = _level_frame(pd.DataFrame({"domain": tree.domains}), tree.dom_w, nominal["domain"],
                           targets, "domain", tree.to_domain, ~np.isnan(nominal["cell"][0]),
                           values_in["domain"], tree.cell_w)
    domains["rank"] = pd.array(
        ranks(domains.score.where(domains.domain != vocabulary.FOUNDATIONS).to_numpy()), dtype="Int64")
    overall = _level_frame(pd.DataFrame({"name": ["overall"]}), np.ones(1), nominal["overall"],
                           targets, "overall", tree.to_overall, ~np.isnan(nominal["domain"][0]),
                           values_in["overall"], tree.dom_w)
    year = target_year(period)
    ind = _with_target(ind, year)
    ind["gap"] = ind.target_score - ind.score
    domains = _with_target(domains, year)
    if layers is not None:  # the scheme caps domain levels by the foundations (docs/METHOD.md §10)
        from sca_metrics.method import foundations

        domains = foundations.capped(domains, foundations.layer_scores(ind, layers, options.rule("cell")))
    return Scores(str(period), options, catalog_version, ind, _with_target(cells, year), domains,
                  _with_target(overall, year))


def _with_target(frame: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """The period's own target (target_year): its year, target score and gap, beside both."""
    out = frame.assign(target_year=pd.array([year] * len(frame), dtype="Int64"))
    out["target_score"] = out[f"target_score_{year}"] if year else np.nan
    if "gap_2025" in out.columns:
        out["gap"] = out[f"gap_{year}"] if year else np.nan
    return out


def _level_frame(frame: pd.DataFrame, weights, nominal, targets, key: str, member: np.ndarray,
                 child_available: np.ndarray, values_below: np.ndarray,
                 child_weights: np.ndarray) -> pd.DataFrame:
    """One tier's frame; a missing score says why: no value anywhere below it (no_data), its
    available children all weigh 0 (zero_weight), or too few of its children have a score
    (insufficient_coverage)."""
    score = nominal[0]
    frame["weight"] = weights
    frame["score"] = score
    frame["n_children"] = member.sum(axis=1).astype(int)
    frame["n_available"] = (child_available.astype(float) @ member.T).astype(int)
    frame["coverage"] = frame.n_available / frame.n_children.clip(lower=1)
    weight_available = (np.where(child_available, child_weights, 0.0)) @ member.T
    weight_total = np.broadcast_to(child_weights, member.shape[1:]) @ member.T
    # beside the counted coverage (the rule): the share of the children's weight that has a score
    frame["weighted_coverage"] = np.where(weight_total > 0, weight_available / np.where(
        weight_total > 0, weight_total, 1.0), np.nan)
    reason = np.where(values_below == 0, NO_DATA, np.where(
        (weight_available <= 0) & (frame["n_available"].to_numpy() > 0), ZERO_WEIGHT,
        INSUFFICIENT)).astype(object)
    reason[~np.isnan(score)] = None
    frame["reason"] = reason
    frame["level"] = pd.array(levels(np.atleast_1d(score)), dtype="Int64")
    frame["level_vi"] = [level_name(lv, "vi") if pd.notna(lv) else None for lv in frame.level]
    frame["level_en"] = [level_name(lv, "en") if pd.notna(lv) else None for lv in frame.level]
    frame["points_to_next_level"] = points_to_next(score)
    for yr in TARGET_YEARS:
        frame[f"target_score_{yr}"] = targets[yr][key][0]
        frame[f"gap_{yr}"] = frame[f"target_score_{yr}"] - frame.score
    return frame


def _effective_weights(tree: Tree, ind: pd.DataFrame, nominal) -> None:
    """Normalised weights down the tree over the available children at each level:
    weight_in_cell, weight_in_domain and effective_weight (in the overall) — all 0 below a
    missing score, so they sum to 1 exactly when the overall has a score —, plus each
    indicator's part of what its domain misses (gap_contribution: its part of its cell's
    missing points, times the cell's part of the domain's, over the cell's missing points;
    under any mix of means the parts sum to 100 − S exactly, see missing_shares)."""
    y = ind.score.to_numpy()
    cell_s, dom_s, ovr_s = nominal["cell"][0], nominal["domain"][0], nominal["overall"][0]

    def rescaled(w, avail, member):
        """Each child's weight over its available siblings; 0 outside any parent."""
        wa = np.where(avail & (member.sum(axis=0) > 0), w, 0.0)
        den = member.T @ (member @ wa)
        return np.where(den > 0, wa / np.where(den > 0, den, 1.0), 0.0)

    cell_ok, dom_ok = ~np.isnan(cell_s), ~np.isnan(dom_s)
    in_cell = rescaled(tree.ind_w, ~np.isnan(y), tree.to_cell) * (tree.to_cell.T @ cell_ok)
    cell_in_dom = rescaled(tree.cell_w, cell_ok, tree.to_domain) * (tree.to_domain.T @ dom_ok)
    dom_in_ovr = rescaled(tree.dom_w, dom_ok, tree.to_overall) * (tree.to_overall.T @ ~np.isnan(ovr_s))
    ind["weight_in_cell"] = in_cell
    ind["weight_in_domain"] = ind.weight_in_cell * (tree.to_cell.T @ cell_in_dom)
    ind["effective_weight"] = ind.weight_in_domain * (tree.to_cell.T @ (tree.to_domain.T @ dom_in_ovr))
    cell_rule, dom_rule = tree.rules[0], tree.rules[1]
    in_its_cell = missing_shares(y, tree.ind_w, tree.to_cell, cell_s, cell_rule.method)
    cell_part = np.nan_to_num(missing_shares(cell_s, tree.cell_w, tree.to_domain, dom_s,
                                             dom_rule.method), nan=0.0)
    cell_missing = 100.0 - cell_s
    ratio = np.where(cell_missing > 0, cell_part / np.where(cell_missing > 0, cell_missing, 1.0), 0.0)
    ind["gap_contribution"] = np.where(np.isnan(y), np.nan,
                                       np.nan_to_num(in_its_cell, nan=0.0) * (tree.to_cell.T @ ratio))


def scores_table(s: Scores) -> pd.DataFrame:
    """Every tier of one period in one flat table (for CSV): tier = indicator, cell, domain,
    foundations or overall."""
    ind = s.indicators.assign(tier="indicator")
    cells = s.cells.assign(tier="cell")
    doms = s.domains.assign(tier=np.where(s.domains.domain == vocabulary.FOUNDATIONS, "foundations",
                                          "domain"))
    ovr = s.overall.drop(columns="name").assign(tier="overall")
    columns = ["tier", "domain", "driver", "code", "value", "worst", "best", "direction", "weight",
               "score", "coverage", "level", "level_vi", "level_en", "level_uncapped", "capped_by",
               "reason", "rank",
               "points_to_next_level",
               "target_year", "target_score", "gap",
               "target_score_2025", "gap_2025", "target_score_2030", "gap_2030",
               "effective_weight", "gap_contribution", "change", "set_changed"]
    table = pd.concat([ind, cells, doms, ovr], ignore_index=True)
    table = table.reindex(columns=[c for c in columns if c in table.columns])
    table.insert(0, "period", s.period)
    table.insert(1, "scheme", s.options.name)
    table.insert(2, "scheme_hash", s.options.fingerprint)
    table.insert(3, "method_version", s.method_version)
    return table
