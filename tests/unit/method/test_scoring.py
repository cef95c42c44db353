"""docs/METHOD.md's worked examples (E1–E4) to 1e-6, properties, and the Monte Carlo."""

import math

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
    assert points_to_next(score) == 11.8  # from the score as shown, 48.2 (docs/METHOD.md §3)
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
    assert dom.level == 3 and dom.points_to_next_level == 11.8
    assert (dom.level_vi, dom.level_en) == ("Xác lập", "Defined")
    assert dom.target_score_2025 == pytest.approx(70) and dom.gap_2025 == pytest.approx(21.776515, abs=TOL)
    assert s.overall.iloc[0].score == pytest.approx(48.223485, abs=TOL)


def test_levels_at_the_boundaries():
    assert [level(s) for s in (0, 19.94, 20, 59.9, 80, 100)] == [1, 1, 2, 3, 5, 5]


def test_e7_a_level_is_decided_on_the_score_as_displayed():
    """E7 (docs/METHOD.md): 0.1 + 0.2 + … floating noise never moves a score across a boundary,
    and the level agrees with the score shown with one decimal."""
    on_paper_60 = aggregate([59.99999999999999] * 3)[0]  # 60 on paper, a float below it
    assert on_paper_60 == 59.99999999999999
    assert level(on_paper_60) == 4 and float(points_to_next(on_paper_60)) == 20.0
    for boundary, lv in ((20, 2), (40, 3), (60, 4), (80, 5)):
        for noisy in (boundary - 1e-13, boundary + 1e-13):
            assert level(noisy) == lv
    assert level(19.99) == 2 and f"{19.99:.1f}" == "20.0"  # shown as 20.0, so level 2
    assert level(19.94) == 1 and float(points_to_next(19.94)) == 0.1
    assert np.isnan(points_to_next(100)) and level(np.nan) is None


def test_log_transform():
    y = normalise([10, 100, 1000], 1, 1000, log=True)
    assert y == pytest.approx([100 / 3, 200 / 3, 100])


def test_change_since_previous_period():
    two = pd.concat([frame(E1_VALUES, "2023"), frame({**E1_VALUES, "GPS": 60}, "2024")])
    by_period = score_periods(E1, two)
    assert np.isnan(by_period["2023"].cells.change[0])
    assert by_period["2024"].cells.change[0] == pytest.approx(0.5 * 100 * 15 / 80)


def test_change_is_like_for_like_and_says_when_the_set_of_indicators_changed():
    """2024 adds SKILL (60): the published cell score moves from the GPS/DOWN mean to the
    three-indicator mean, but the change is measured on GPS and DOWN, reported in both."""
    before = {"GPS": 45, "DOWN": 6}
    after = {"GPS": 60, "DOWN": 6, "SKILL": 3.4}
    by_period = score_periods(E1, pd.concat([frame(before, "2023"), frame(after, "2024")]))
    now = by_period["2024"]
    like_for_like = (0.5 * 75 + 0.3 * 81.818182) / 0.8 - (0.5 * 56.25 + 0.3 * 81.818182) / 0.8
    assert now.cells.change[0] == pytest.approx(like_for_like, abs=TOL)
    published = now.cells.score[0] - by_period["2023"].cells.score[0]
    assert not math.isclose(now.cells.change[0], published)
    assert now.cells.set_changed[0] and now.overall.set_changed[0]
    assert now.indicators.set_index("code").set_changed.to_dict() == {"GPS": False, "DOWN": False,
                                                                       "SKILL": True}
    assert now.previous_period == "2023" and now.to_dict()["previous_period"] == "2023"
    steady = score_periods(E1, pd.concat([frame(after, "2023"), frame(after, "2024")]))["2024"]
    assert not steady.cells.set_changed[0] and steady.cells.change[0] == 0


def test_results_carry_method_version_and_scheme():
    s = score_period(E1, frame(E1_VALUES), "2024", Options(threshold=0.5))
    doc = s.to_dict()
    assert doc["method_version"] == "2.0" and doc["catalog_version"] == "test"
    assert {(t["method"], t["coverage"]) for t in doc["scheme"]["tiers"]} == {("arithmetic", 0.5)}
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


@pytest.mark.slow
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


# ---- issue 16: exact decomposition, weights, boundaries, refusals ----

def test_e5_geometric_gap_decomposition_adds_up_exactly():
    """E5: E1's indicators, weights 0.5/0.3/0.2, geometric: split by log-shares."""
    y = [56.25, 81.8181818181818, 60]
    parts = gap_decomposition(y, [0.5, 0.3, 0.2], GEOMETRIC)
    assert parts == pytest.approx([23.165678, 4.847719, 8.226875], abs=TOL)
    assert parts.sum() == pytest.approx(100 - 63.759729, abs=TOL)


def test_e5_through_the_pipeline_each_domain_decomposes_exactly_under_both_means():
    cat = catalog_of(ind("A", driver="technology", weight=2), ind("B", driver="technology"),
                     ind("C", driver="policy"), ind("D", driver="resources", weight=3))
    for method in ("arithmetic", GEOMETRIC):
        s = score_period(cat, frame({"A": 30, "B": 90, "C": 55, "D": 0.5}), "2024", Options(method=method))
        dom = s.domains.set_index("domain").loc["transport"]
        assert s.indicators.gap_contribution.sum() == pytest.approx(100 - dom.score, abs=1e-9), method


def test_effective_weights_are_zero_below_a_missing_overall_score():
    cat = catalog_of(ind("A", driver="technology"), ind("B", driver="policy"),
                     ind("C", driver="resources"))
    missing = score_period(cat, frame({"A": 50}), "2024")  # 1 of 3 drivers: no domain score
    assert np.isnan(missing.overall.iloc[0].score)
    assert (missing.indicators.effective_weight == 0).all()
    full = score_period(cat, frame({"A": 50, "B": 70, "C": 10}), "2024")
    assert full.indicators.effective_weight.sum() == pytest.approx(1.0, abs=1e-12)


def test_a_parent_whose_children_all_weigh_zero_says_so():
    cat = catalog_of(ind("A", weight=0.0), ind("B", weight=0.0))
    s = score_period(cat, frame({"A": 50, "B": 70}), "2024")
    cell = s.cells.iloc[0]
    assert np.isnan(cell.score) and cell.coverage == 1.0 and cell.reason == "zero_weight"


def test_unknown_weight_keys_and_duplicate_rows_are_refused_by_name():
    for options, named in ((Options(driver_weights={"technlogy": 2.0}), "technlogy"),
                           (Options(domain_weights={"egv": 2.0}), "egv"),
                           (Options(indicator_weights={"NOPE.1": 2.0}), "NOPE.1")):
        with pytest.raises(ValueError, match=named):
            score_period(E1, frame(E1_VALUES), "2024", options)
    with pytest.raises(ValueError, match="the weight of 'technology' must be a finite number ≥ 0"):
        Options(driver_weights={"technology": -1.0})
    twice = pd.concat([frame(E1_VALUES), frame({"GPS": 50})], ignore_index=True)
    with pytest.raises(ValueError, match="GPS"):
        score_period(E1, twice, "2024")


def test_ranks_are_integers_and_no_numerical_warning_is_raised():
    import warnings

    cat = catalog_of(ind("A", domain="transport"), ind("B", domain="health"),
                     ind("L", domain="egov", worst=10, best=1000, log=True))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning fails the test
        s = score_period(cat, frame({"A": 50, "B": 50, "L": 500}), "2024")
    assert str(s.domains["rank"].dtype) == "Int64"
    assert all(isinstance(d["rank"], int) for d in s.to_dict()["domains"])  # 2, never 2.0
    assert sorted(s.domains["rank"].dropna().tolist()) == [1, 2, 2]  # ties share the best rank


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 100)), min_size=1, max_size=8),
       st.lists(st.floats(0.01, 10), min_size=8, max_size=8), st.sampled_from(["arithmetic", GEOMETRIC]))
def test_property_the_decomposition_sums_to_the_missing_points(ys, ws, method):
    y = np.array([np.nan if v is None else v for v in ys])
    if np.isnan(y).all():
        return
    w = np.array(ws[: len(y)])
    score = aggregate(list(y), list(w), method, threshold=0)[0]
    parts = gap_decomposition(y, w, method)
    assert np.nansum(parts) == pytest.approx(100 - score, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 100), st.floats(0, 100))
def test_property_levels_are_monotone_in_the_score(a, b):
    lo, hi = sorted((a, b))
    assert level(lo) <= level(hi)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 100)), min_size=6, max_size=6),
       st.sampled_from(["arithmetic", GEOMETRIC]))
def test_property_effective_weights_sum_to_one_exactly_when_the_overall_has_a_score(vals, method):
    cat = catalog_of(ind("A1", driver="technology"), ind("A2", driver="policy"),
                     ind("A3", driver="resources"), ind("B1", domain="health", driver="technology"),
                     ind("B2", domain="health", driver="policy"),
                     ind("B3", domain="health", driver="resources", weight=2))
    codes = ["A1", "A2", "A3", "B1", "B2", "B3"]
    s = score_period(cat, frame({c: v for c, v in zip(codes, vals, strict=True) if v is not None}),
                     "2024", Options(method=method))
    total = s.indicators.effective_weight.sum()
    if np.isnan(s.overall.iloc[0].score):
        assert total == 0
    else:
        assert total == pytest.approx(1.0, abs=1e-12)



def test_weighted_coverage_is_reported_beside_the_counted_coverage():
    cat = catalog_of(ind("A", weight=3.0), ind("B", weight=1.0), ind("C", weight=1.0))
    cell = score_period(cat, frame({"A": 50, "B": 70}), "2024").cells.iloc[0]
    assert cell.coverage == pytest.approx(2 / 3) and cell.weighted_coverage == pytest.approx(4 / 5)
