import pandas as pd

from sca_metrics.method.diagnostics import diagnose
from tests.unit.test_scoring import catalog_of, ind


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
