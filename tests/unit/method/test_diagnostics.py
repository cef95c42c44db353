import pandas as pd

from sca_metrics.method.diagnostics import diagnose, top_pairs
from tests.unit.method.test_scoring import catalog_of, ind


def test_availability_correlation_outliers_and_capping():
    cat = catalog_of(ind("A", best=100), ind("B", best=100), ind("C", best=100), ind("D", best=100))
    rows = []
    for k, period in enumerate(range(2016, 2026)):
        rows += [(str(period), "A", 10.0 * k), (str(period), "B", 10.0 * k + 1),
                 (str(period), "C", 90.0 - 9 * k),
                 (str(period), "D", 500.0 if k == 9 else 1.0 + (k % 2))]
    values = pd.DataFrame(rows, columns=["period", "indicator", "value"])
    values = values[~((values.indicator == "C") & (values.period < "2020"))]  # C: 6 of 10
    d = diagnose(cat, values)
    by = d.indicators.set_index("code")
    assert by.availability["A"] == 1 and by.availability["C"] == 0.6
    assert bool(by.low_availability["C"]) and not by.low_availability["A"]
    assert bool(by.outliers["D"]) and not by.outliers["A"]
    assert by.n_capped["D"] == 1 and bool(by.any_capped["D"])
    pairs = d.pairs.set_index(["code_a", "code_b"]).flag
    assert pairs[("A", "B")] == "collinear"
    assert pairs[("A", "C")] == "negative"
    assert set(d.flagged().code) == {"C", "D"}


def _pairs_one_by_one(cat, values) -> dict:
    """The audit's pairs as first written: a loop over each cell's pairs, np.corrcoef on the
    periods both have."""
    from itertools import combinations

    import numpy as np

    from sca_metrics.method.scoring import normalise

    frame = cat.frame().set_index("code")
    wide = values.pivot_table(index="period", columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=frame.index)
    scores = pd.DataFrame(normalise(wide.to_numpy(), frame.worst.to_numpy(), frame.best.to_numpy(),
                                    frame.log_transform.to_numpy()), index=wide.index, columns=wide.columns)
    out = {}
    for _, group in frame.groupby(["domain", "driver"], sort=False):
        for a, b in combinations(group.index, 2):
            both = scores[[a, b]].dropna()
            if len(both) < 3 or both[a].std() == 0 or both[b].std() == 0:
                continue
            out[(a, b)] = (float(np.corrcoef(both[a], both[b])[0, 1]), len(both))
    return out


def test_the_vectorised_pairs_are_the_pairs_one_by_one():
    """Random values with gaps, a constant indicator and one with too few periods in common."""
    import numpy as np

    codes = [f"X{k}" for k in range(12)]
    cat = catalog_of(*(ind(c, best=100) for c in codes))
    rng = np.random.default_rng(7)
    rows = []
    for period in range(2010, 2026):
        for k, code in enumerate(codes):
            if code == "X3":
                value = 50.0  # constant: no correlation
            elif code == "X4" and period > 2011:
                continue  # two periods only
            elif rng.random() < 0.2:
                continue  # gaps
            else:
                value = float(rng.normal(50 + k, 15)) + (period - 2010) * (3 if k % 2 else -3)
            rows.append((str(period), code, value))
    values = pd.DataFrame(rows, columns=["period", "indicator", "value"])
    d = diagnose(cat, values)
    expected = _pairs_one_by_one(cat, values)
    got = {(r.code_a, r.code_b): (r.correlation, r.n) for r in d.pairs.itertuples()}
    assert set(got) == set(expected) and len(got) == 66 - 11 - 10  # no X3 pair, none with X4
    for key, (r, n) in expected.items():
        assert abs(got[key][0] - r) < 1e-12 and got[key][1] == n
    ranked = top_pairs(d.pairs)
    assert len(ranked) == d.pairs.flag.notna().sum()
    assert list(ranked.correlation.abs()) == sorted(ranked.correlation.abs(), reverse=True)
