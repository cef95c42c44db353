"""Progress to targets (docs/METHOD.md §6) with worked numbers, one per status band."""

import pandas as pd
import pytest

from sca_metrics.method import progress
from sca_metrics.method.progress import assess, indicator_progress, progress_frame
from sca_metrics.reference.catalog import Indicator

TOL = 1e-6


def test_on_track_worked_example():
    # 20 in 2018 → 45 in 2023, target 60 in 2025: (45/20)^(1/5) − 1 against (60/20)^(1/7) − 1
    p = assess(20, 2018, 45, 2023, 60, 2025, "higher")
    assert p.actual_rate == pytest.approx(2.25 ** 0.2 - 1, abs=TOL)
    assert p.actual_rate == pytest.approx(0.176079, abs=TOL)
    assert p.required_rate == pytest.approx(0.169931, abs=TOL)
    assert p.ratio == pytest.approx(1.036181, abs=TOL)
    assert (p.status, p.method) == (progress.ON_TRACK, progress.CAGR)


@pytest.mark.parametrize(("latest", "ratio", "status"), [
    (38, 0.806060, progress.ACCELERATION),
    (30, 0.497095, progress.LIMITED),
    (18, -0.122707, progress.DETERIORATION),
])
def test_each_band_below_on_track(latest, ratio, status):
    p = assess(20, 2018, latest, 2023, 60, 2025, "higher")
    assert p.ratio == pytest.approx(ratio, abs=TOL)
    assert p.status == status


def test_band_edges():
    """R is decided as shown, two decimals (docs/METHOD.md §6): noise never crosses an edge."""
    assert progress.status_of(0.95) == progress.ON_TRACK
    assert progress.status_of(0.9499999999999999) == progress.ON_TRACK  # 0.95 on paper
    assert progress.status_of(0.94) == progress.ACCELERATION
    assert progress.status_of(0.6) == progress.ACCELERATION
    assert progress.status_of(0.5999999999999999) == progress.ACCELERATION
    assert progress.status_of(0.59) == progress.LIMITED
    assert progress.status_of(0.0) == progress.LIMITED
    assert progress.status_of(-1e-15) == progress.LIMITED  # 0 on paper
    assert progress.status_of(-0.01) == progress.DETERIORATION


def test_lower_is_better_is_direction_aware():
    # 12 h → 8 h in 4 years, target 4 h in 2025: both rates negative, the ratio positive
    p = assess(12, 2018, 8, 2022, 4, 2025, "lower")
    assert p.actual_rate == pytest.approx(-0.096398, abs=TOL)
    assert p.required_rate == pytest.approx(-0.145249, abs=TOL)
    assert p.ratio == pytest.approx(0.663676, abs=TOL)
    assert p.status == progress.ACCELERATION
    assert assess(12, 2018, 13, 2022, 4, 2025, "lower").status == progress.DETERIORATION


def test_zero_base_uses_linear_change():
    p = assess(0, 2018, 1, 2022, 4, 2025, "higher")
    assert p.method == progress.LINEAR
    assert p.actual_rate == pytest.approx(0.25, abs=TOL)
    assert p.required_rate == pytest.approx(4 / 7, abs=TOL)
    assert p.ratio == pytest.approx(0.4375, abs=TOL)
    assert p.status == progress.LIMITED


def test_achieved_and_lost():
    assert assess(20, 2018, 62, 2023, 60, 2025, "higher").status == progress.ACHIEVED
    assert assess(80, 2018, 75, 2023, 70, 2025, "higher").status == progress.ACHIEVED
    # met at the base, no longer met: deterioration without a ratio
    lost = assess(80, 2018, 65, 2023, 70, 2025, "higher")
    assert (lost.status, lost.ratio) == (progress.DETERIORATION, None)
    assert assess(3, 2018, 5, 2022, 4, 2025, "lower").status == progress.DETERIORATION


def _ind(**kw) -> Indicator:
    base = dict(code="X", domain="health", driver="technology", department="SYT", name_vi="x",
                name_en="x", unit_vi="%", unit_en="%", kind="percent", direction="higher",
                worst=0, best=100, target_2025=60, target_2030=90, weight=1, pilot=False,
                log_transform=False, source="proposed", source_ref="")
    return Indicator(**{**base, **kw})


def test_stages_choose_the_base_and_the_target():
    series = {2018: 20, 2020: 30, 2023: 45, 2025: 58, 2026: 66}
    early = indicator_progress(_ind(), series, 2023)
    assert (early.base_period, early.latest_period, early.target_year) == (2018, 2023, 2025)
    late = indicator_progress(_ind(), series, 2026)
    assert (late.base_period, late.base_value, late.target, late.target_year) == (2025, 58, 90, 2030)
    # (66/58)^1 − 1 against (90/58)^(1/5) − 1
    assert late.ratio == pytest.approx((66 / 58 - 1) / ((90 / 58) ** 0.2 - 1), abs=TOL)
    # a series starting after 2018 uses its first value as the base
    assert indicator_progress(_ind(), {2020: 30, 2023: 45}, 2023).base_period == 2020


def test_no_target_no_row_and_one_value_is_not_enough():
    assert indicator_progress(_ind(target_2025=None), {2018: 1, 2023: 2}, 2023) is None
    one = indicator_progress(_ind(), {2023: 45}, 2023)
    assert one.status == progress.INSUFFICIENT
    assert indicator_progress(_ind(), {}, 2023).status == progress.INSUFFICIENT


def test_progress_frame_covers_every_indicator_with_a_target(catalog):
    code = next(i.code for i in catalog.indicators if i.target_2025 is not None)
    values = pd.DataFrame({"period": ["2018", "2023"], "indicator": [code, code], "value": [1.0, 2.0]})
    frame = progress_frame(catalog, values, "2023")
    assert set(frame.code) == {i.code for i in catalog.indicators if i.target_2025 is not None}
    assert frame.set_index("code").loc[code, "latest_period"] == 2023
    others = frame[frame.code != code]
    assert (others.status == progress.INSUFFICIENT).all()


def test_levels_and_yes_no_values_progress_linearly_never_by_compound_growth():
    """A level going 2 → 3 in a year is one step a year, not +50 %/year (docs/METHOD.md §6)."""
    compound = assess(2, 2018, 3, 2019, 4, 2025, "higher")
    assert compound.method == "cagr" and compound.status == progress.ON_TRACK  # +50 %/yr reads fast
    linear = assess(2, 2018, 3, 2019, 4, 2025, "higher", linear=True)
    assert linear.method == "linear"
    assert linear.actual_rate == pytest.approx(1.0) and linear.required_rate == pytest.approx(2 / 7)


def test_a_level_indicator_is_assessed_linearly_through_the_catalog():
    level = _ind(kind="level", worst=0, best=4, target_2025=4, target_2030=4)
    p = indicator_progress(level, {2018: 1, 2022: 3}, 2022)
    assert p.method == "linear" and p.actual_rate == pytest.approx(0.5)
    assert indicator_progress(_ind(), {2018: 20, 2022: 40}, 2022).method == "cagr"
