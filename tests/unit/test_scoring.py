"""docs/METHOD.md's worked examples (E1–E4) to 1e-6, properties, and the Monte Carlo."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sca_metrics.method.scoring import (
    GEOMETRIC,
    Options,
    aggregate,
    gap_decomposition,
    level,
    level_name,
    normalise,
    points_to_next,
    score_period,
    score_periods,
)
from sca_metrics.method.uncertainty import MonteCarlo, uncertainty
from sca_metrics.reference.catalog import Catalog, Department, Indicator

TOL = 1e-6


def ind(code, domain="transport", driver="technology", worst=0.0, best=100.0, weight=1.0,
        direction=None, kind="number", t25=None, t30=None, log=False):
    direction = direction or ("higher" if best > worst else "lower")
    return Indicator(code, domain, driver, "D", code, code, "u", "u", kind, direction, worst, best,
                     t25, t30, weight, False, log, "proposed", "")


def catalog_of(*indicators):
    domains = tuple({i.domain for i in indicators})
    return Catalog(tuple(indicators), (Department("D", "D", "D", domains),), "test")


def frame(values: dict, period="2024"):
    return pd.DataFrame({"period": period, "indicator": list(values), "value": list(values.values())})


E1 = catalog_of(ind("GPS", worst=0, best=80, weight=0.5), ind("DOWN", worst=24, best=2, weight=0.3),
                ind("SKILL", worst=1, best=5, weight=0.2))
E1_VALUES = {"GPS": 45, "DOWN": 6, "SKILL": 3.4}


# ---- E1: one cell, three indicators ----

def test_e1_indicator_scores():
    y = normalise([45, 6, 3.4], [0, 24, 1], [80, 2, 5])
    assert y == pytest.approx([56.25, 81.818182, 60], abs=TOL)


def test_e1_aggregation():
    y = [56.25, 81.8181818182, 60]
    assert aggregate(y, [0.5, 0.3, 0.2])[0] == pytest.approx(64.670455, abs=TOL)
    assert aggregate(y)[0] == pytest.approx(66.022727, abs=TOL)
    assert aggregate(y, [0.5, 0.3, 0.2], GEOMETRIC)[0] == pytest.approx(63.759729, abs=TOL)
    parts = gap_decomposition(y, [0.5, 0.3, 0.2])
    assert parts == pytest.approx([21.875, 5.454545, 8], abs=TOL)
    assert parts.sum() == pytest.approx(35.329545, abs=TOL)


def test_e1_through_the_catalog_pipeline():
    s = score_period(E1, frame(E1_VALUES), "2024")
    cell = s.cells.iloc[0]
    assert cell.score == pytest.approx(64.670455, abs=TOL)
    assert s.indicators.score.tolist() == pytest.approx([56.25, 81.818182, 60], abs=TOL)
    assert s.indicators.gap_contribution.tolist() == pytest.approx([21.875, 5.454545, 8], abs=TOL)
    geo = score_period(E1, frame(E1_VALUES), "2024", Options(method=GEOMETRIC))
    assert geo.cells.iloc[0].score == pytest.approx(63.759729, abs=TOL)
    equal = Options(indicator_weights={"GPS": 1, "DOWN": 1, "SKILL": 1})
    assert score_period(E1, frame(E1_VALUES), "2024", equal).cells.iloc[0].score == pytest.approx(
        66.022727, abs=TOL)


# ---- E2: capping ----

def test_e2_capping():
    assert normalise([95, 30], [0, 24], [80, 2]) == pytest.approx([100, 0])
    s = score_period(E1, frame({"GPS": 95, "DOWN": 30, "SKILL": 3.4}), "2024")
    assert s.indicators.score.tolist() == pytest.approx([100, 0, 60])
    assert s.indicators.capped.tolist() == [True, True, False]


# ---- E3: missing values ----

def test_e3_missing_values():
    score, coverage = aggregate([70, None, 40, 90])
    assert (score, coverage) == (pytest.approx(66.666667, abs=TOL), 0.75)
    score, coverage = aggregate([70, None, None, 90])
    assert np.isnan(score) and coverage == 0.5
    assert aggregate([70, None, 40, 90], [0.4, 0.3, 0.2, 0.1])[0] == pytest.approx(64.285714, abs=TOL)
    assert not np.isnan(aggregate([70, None, 40])[0])  # 2 of 3 passes τ = 0.66


def test_e3_reason_shown_when_coverage_is_insufficient():
    cat = catalog_of(ind("A"), ind("B"), ind("C"), ind("D"))
    s = score_period(cat, frame({"A": 70, "D": 90}), "2024")
    cell = s.cells.iloc[0]
    assert np.isnan(cell.score) and cell.coverage == 0.5 and cell.reason == "insufficient_coverage"
    assert s.overall.iloc[0].reason == "insufficient_coverage"
    assert score_period(cat, frame({}), "2024").cells.iloc[0].reason == "no_data"


# ---- E4: domain from drivers; level, points to next level, gap ----

def test_e4_domain_level_and_gap():
    score, _ = aggregate([64.670455, 50, 30])
    assert score == pytest.approx(48.223485, abs=TOL)
    assert level(score) == 3 and level_name(level(score), "vi") == "Xác lập"
    assert points_to_next(score) == pytest.approx(11.776515, abs=TOL)
    assert 70 - score == pytest.approx(21.776515, abs=TOL)
    assert aggregate([64.670455, 50, 30], method=GEOMETRIC)[0] == pytest.approx(45.947906, abs=TOL)


def test_e4_through_the_catalog_pipeline_with_targets():
    cat = catalog_of(
        ind("T", driver="technology", t25=70.0),
        ind("P", driver="policy", t25=70.0),
        ind("R", driver="resources", t25=70.0),
    )
    s = score_period(cat, frame({"T": 64.670455, "P": 50, "R": 30}), "2024")
    dom = s.domains.set_index("domain").loc["transport"]
    assert dom.score == pytest.approx(48.223485, abs=TOL)
    assert dom.level == 3 and dom.points_to_next_level == pytest.approx(11.776515, abs=TOL)
    assert (dom.level_vi, dom.level_en) == ("Xác lập", "Defined")
    assert dom.target_score_2025 == pytest.approx(70) and dom.gap_2025 == pytest.approx(21.776515, abs=TOL)
    assert s.overall.iloc[0].score == pytest.approx(48.223485, abs=TOL)


def test_levels_at_the_boundaries():
    assert [level(s) for s in (0, 19.99, 20, 59.9, 80, 100)] == [1, 1, 2, 3, 5, 5]
    assert np.isnan(points_to_next(100)) and level(np.nan) is None


def test_log_transform():
    y = normalise([10, 100, 1000], 1, 1000, log=True)
    assert y == pytest.approx([100 / 3, 200 / 3, 100])


def test_change_since_previous_period():
    two = pd.concat([frame(E1_VALUES, "2023"), frame({**E1_VALUES, "GPS": 60}, "2024")])
    by_period = score_periods(E1, two)
    assert np.isnan(by_period["2023"].cells.change[0])
    assert by_period["2024"].cells.change[0] == pytest.approx(0.5 * 100 * 15 / 80)


def test_results_carry_method_version_and_options():
    s = score_period(E1, frame(E1_VALUES), "2024", Options(threshold=0.5))
    doc = s.to_dict()
    assert doc["method_version"] == "1.0" and doc["options"]["threshold"] == 0.5
    assert doc["options"]["method"] == "arithmetic" and doc["catalog_version"] == "test"
    assert score_period(E1, frame(E1_VALUES), "2024").to_dict() == score_period(
        E1, frame(E1_VALUES), "2024").to_dict()


def test_effective_weights_multiply_down_the_tree(catalog):
    values = frame({i.code: (i.worst + i.best) / 2 for i in catalog.indicators})
    s = score_period(catalog, values, "2024")
    smart = s.indicators[s.indicators.domain != "foundations"]
    assert smart.effective_weight.sum() == pytest.approx(1)
    assert s.indicators.groupby("domain").weight_in_domain.sum().tolist() == pytest.approx([1] * 9)
    for dom, group in s.indicators.groupby("domain"):
        score = s.domains.set_index("domain").score[dom]
        assert group.gap_contribution.sum() == pytest.approx(100 - score)


# ---- properties ----

BIG = catalog_of(*[ind(f"{d[:2]}{r[:1]}{k}", domain=d, driver=r, worst=float(k), best=float(10 + 5 * k),
                       weight=1.0 + k)
                   for d in ("health", "transport") for r in ("technology", "policy") for k in range(3)])
CODES = [i.code for i in BIG.indicators]
values_strategy = st.lists(st.one_of(st.none(), st.floats(-50, 100)), min_size=len(CODES),
                           max_size=len(CODES))


def scored(vals, options=None):
    data = {c: v for c, v in zip(CODES, vals, strict=True) if v is not None}
    return score_period(BIG, frame(data), "2024", options)


def all_scores(s):
    return np.concatenate([s.indicators.score, s.cells.score, s.domains.score, s.overall.score])


@settings(max_examples=60, deadline=None)
@given(values_strategy, st.sampled_from(["arithmetic", "geometric"]))
def test_scores_stay_within_0_and_100(vals, method):
    got = all_scores(scored(vals, Options(method=method)))
    got = got[~np.isnan(got)]
    assert ((got >= 0) & (got <= 100 + 1e-9)).all()


@settings(max_examples=60, deadline=None)
@given(values_strategy, st.integers(0, len(CODES) - 1), st.floats(0.1, 30))
def test_raising_a_value_never_lowers_a_parent(vals, i, step):
    if vals[i] is None:
        return
    better = list(vals)
    better[i] = vals[i] + step  # every indicator here is higher-is-better
    before, after = scored(vals), scored(better)
    for name in ("cells", "domains", "overall"):
        b, a = getattr(before, name).score.to_numpy(), getattr(after, name).score.to_numpy()
        both = ~np.isnan(b)
        assert (a[both] >= b[both] - 1e-9).all()


@settings(max_examples=40, deadline=None)
@given(values_strategy, st.randoms(use_true_random=False))
def test_permuting_rows_changes_nothing(vals, rnd):
    data = frame({c: v for c, v in zip(CODES, vals, strict=True) if v is not None})
    shuffled = data.sample(frac=1, random_state=rnd.randint(0, 10_000))
    a = score_period(BIG, data, "2024").to_dict()
    b = score_period(BIG, shuffled, "2024").to_dict()
    assert a == b


@settings(max_examples=40, deadline=None)
@given(values_strategy, st.floats(0.01, 1000), st.sampled_from(["arithmetic", "geometric"]))
def test_scaling_weights_by_a_constant_changes_nothing(vals, k, method):
    base = Options(method=method)
    scaled = Options(method=method, indicator_weights={i.code: i.weight * k for i in BIG.indicators},
                     driver_weights={"technology": k, "policy": k}, domain_weights={"health": k,
                                                                                  "transport": k})
    np.testing.assert_allclose(all_scores(scored(vals, base)), all_scores(scored(vals, scaled)),
                               rtol=1e-9, atol=1e-9)


# ---- Monte Carlo ----

def test_monte_carlo_is_reproducible_with_a_seed(catalog):
    values = frame({i.code: (i.worst + i.best) / 3 for i in catalog.indicators})
    a = uncertainty(catalog, values, "2024", mc=MonteCarlo(runs=300, seed=7))
    b = uncertainty(catalog, values, "2024", mc=MonteCarlo(runs=300, seed=7))
    c = uncertainty(catalog, values, "2024", mc=MonteCarlo(runs=300, seed=8))
    pd.testing.assert_frame_equal(a.domains, b.domains)
    assert not a.domains.p05.equals(c.domains.p05)


def test_zero_noise_collapses_on_the_nominal_score(catalog):
    values = frame({i.code: (i.worst + i.best) / 3 for i in catalog.indicators})
    u = uncertainty(catalog, values, "2024", mc=MonteCarlo(runs=50, noise=0))
    np.testing.assert_allclose(u.domains.p05, u.domains.nominal)
    np.testing.assert_allclose(u.domains.p95, u.domains.nominal)
    assert u.mean_abs_rank_shift == 0


def test_monte_carlo_summary_is_coherent(catalog):
    values = frame({i.code: i.worst + (i.best - i.worst) * (k % 7) / 7
                    for k, i in enumerate(catalog.indicators)})
    u = uncertainty(catalog, values, "2024", mc=MonteCarlo(runs=400, switch_method=True))
    d = u.domains.set_index("domain")
    assert (d.p05 <= d["median"] + 1e-9).all() and (d["median"] <= d.p95 + 1e-9).all()
    levels = d[[f"p_level_{k}" for k in range(1, 6)]].sum(axis=1)
    np.testing.assert_allclose(levels, 1)
    smart = d.drop(index=["foundations", "overall"])
    assert set(smart.rank_nominal) <= set(range(1, 9)) and smart.rank_nominal.min() == 1
    assert np.isnan(d.loc["foundations", "rank_nominal"])
