"""Administrative units with validity dates, the 2025 mergers, and the roll-up between systems."""

import csv
from datetime import date

import numpy as np
import pandas as pd
import pytest

from sca_metrics.method import pilot
from sca_metrics.reference.units import UnitsError, default_units, load_units, read_units
from sca_metrics.settings import data_dir

FORMER_WARDS = ["Phường 1", "Phường 2", "Phường 3", "Phường 4", "Phường 5", "Phường 7", "Phường 8",
                "Phường 9", "Phường 10", "Phường 11", "Phường 12", "Phường Thắng Nhất",
                "Phường Thắng Nhì", "Phường Thắng Tam", "Phường Nguyễn An Ninh", "Phường Rạch Dừa",
                "Xã Long Sơn"]
NEW_WARDS = {"Phường Vũng Tàu": {"Phường 1", "Phường 2", "Phường 3", "Phường 4", "Phường 5",
                                 "Phường Thắng Nhì", "Phường Thắng Tam"},
             "Phường Tam Thắng": {"Phường 7", "Phường 8", "Phường 9", "Phường Nguyễn An Ninh"},
             "Phường Rạch Dừa": {"Phường 10", "Phường Thắng Nhất", "Phường Rạch Dừa"},
             "Phường Phước Thắng": {"Phường 11", "Phường 12"},
             "Xã Long Sơn": {"Xã Long Sơn"}}


@pytest.fixture
def units():
    return default_units()


def test_shipped_units_load_without_problems():
    _, problems = read_units()
    assert problems == []


def test_the_pilot_area_before_and_after_1_july_2025(units):
    assert [u.name_vi for u in units.pilot_units(on=date(2025, 6, 30))] == FORMER_WARDS
    assert [u.name_vi for u in units.pilot_units(on=date(2025, 7, 1))] == list(NEW_WARDS)
    # a period describes its last day: the 2025 returns use the new wards
    assert [u.name_vi for u in units.pilot_units("2024")] == FORMER_WARDS
    assert [u.name_vi for u in units.pilot_units("2025")] == list(NEW_WARDS)
    assert units.pilot_change_dates() == [date(2025, 7, 1)]


def test_old_to_new_mapping(units):
    for new in units.pilot_units("2026"):
        olds = {units.unit(c).name_vi for c in units.predecessors(new.code)}
        assert olds == NEW_WARDS[new.name_vi]
        # the new ward's population is that of the former wards it replaced
        assert new.population == sum(units.unit(c).population for c in units.predecessors(new.code))
    assert units.successor("VT-P07", date(2026, 12, 31)) == "HCM-TAMTHANG"
    assert units.successor("HCM-TAMTHANG", date(2024, 12, 31)) is None  # never split back


def test_the_province_became_part_of_ho_chi_minh_city(units):
    change = units.change_for("BRVT")
    assert change.new == "HCM" and change.effective == date(2025, 7, 1)
    assert "12/6/2025" in change.basis_vi and "202/2025/QH15" in change.basis_vi


def test_names_resolve_against_the_period(units):
    assert units.resolve("phuong 07", "2024")[0].code == "VT-P07"
    assert units.resolve("P.7", "2024")[0].code == "VT-P07"
    # the same name before and after: the unit valid in the period
    assert units.resolve("Phường Rạch Dừa", "2020")[0].code == "VT-RDUA"
    assert units.resolve("Phường Rạch Dừa", "2026")[0].code == "HCM-RACHDUA"
    valid, former = units.resolve("Phường 7", "2026")
    assert valid is None and former.code == "VT-P07"
    valid, later = units.resolve("Tam Thắng", "2023")
    assert valid is None and later.code == "HCM-TAMTHANG"
    assert units.resolve("Phường 99", "2023") == (None, None)


def _copy(tmp_path, edit_units=None, edit_changes=None):
    paths = []
    for name, edit in (("units.csv", edit_units), ("unit_changes.csv", edit_changes)):
        rows = list(csv.DictReader(open(data_dir() / name, encoding="utf-8")))
        if edit:
            edit(rows)
        path = tmp_path / name
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        paths.append(path)
    return paths


def test_a_split_is_refused_with_its_line(tmp_path):
    def split(rows):
        rows.append({**rows[1], "new": "HCM-TAMTHANG"})  # VT-P01 to a second successor
    paths = _copy(tmp_path, edit_changes=split)
    with pytest.raises(UnitsError) as err:
        load_units(*paths)
    [p] = err.value.problems
    assert (p.code, p.sheet, p.row, p.value) == ("units_split", "unit_changes.csv", 20, "VT-P01")


def test_dates_and_populations_are_checked(tmp_path):
    def bad(rows):
        rows[3]["valid_to"] = "30/06/2025"
        rows[4]["population"] = ""
    paths = _copy(tmp_path, edit_units=bad)
    _, problems = read_units(*paths)
    codes = {(p.code, p.row) for p in problems}
    assert ("units_not_date", 5) in codes and ("units_population", 6) in codes


# ---- aggregation and roll-up ----

def _wards(code, period, values):
    """One indicator's ward values for a period (unit code → value)."""
    return pd.DataFrame({"period": period, "indicator": code, "unit": list(values),
                         "value": list(values.values())})


def _random_former(units, seed=1):
    rng = np.random.default_rng(seed)
    return {u.code: float(rng.integers(1, 100)) for u in units.pilot_units("2024")}


def test_roll_up_preserves_totals(units, catalog):
    values = _random_former(units)
    frame = _wards("VT.SEC.T1", "2024", values)
    rolled = pilot.in_system(frame, catalog, units, pilot.system_day(units, pilot.CURRENT))
    assert len(rolled) == 5
    assert rolled.value.sum() == pytest.approx(sum(values.values()))
    tam_thang = rolled.set_index("unit").loc["HCM-TAMTHANG"]
    assert tam_thang.value == sum(values[c] for c in ("VT-P07", "VT-P08", "VT-P09", "VT-NAN"))
    assert (tam_thang.n_sources, tam_thang.n_expected) == (4, 4)
    city = pilot.city_values(frame, catalog, units).value.item()
    assert city == pytest.approx(sum(values.values()))


def test_rates_are_population_weighted(units, catalog):
    values = _random_former(units, seed=2)
    frame = _wards("VT.FND.T1", "2024", values)
    rolled = pilot.in_system(frame, catalog, units, date(2026, 1, 1)).set_index("unit")
    sources = ("VT-P11", "VT-P12")
    pops = [units.unit(c).population for c in sources]
    expected = sum(values[c] * p for c, p in zip(sources, pops, strict=True)) / sum(pops)
    assert rolled.loc["HCM-PHUOCTHANG", "value"] == pytest.approx(expected)
    assert rolled.loc["HCM-PHUOCTHANG", "population"] == sum(pops)
    # the city value is the same from the former wards or from the rolled-up new ones
    city = pilot.city_values(frame, catalog, units).value.item()
    again = pilot.aggregate(rolled.value, rolled.population, "mean_pop")
    assert city == pytest.approx(again)
    assert city != pytest.approx(np.mean(list(values.values())))  # not an unweighted mean


def test_minimum_is_the_weakest_ward(units, catalog):
    values = _random_former(units, seed=3)
    frame = _wards("VT.GOV.P1", "2024", values)
    assert pilot.city_values(frame, catalog, units).value.item() == min(values.values())
    rolled = pilot.in_system(frame, catalog, units, date(2026, 1, 1)).set_index("unit")
    assert rolled.loc["HCM-VUNGTAU", "value"] == min(
        values[c] for c in units.predecessors("HCM-VUNGTAU"))
    assert pilot.aggregate([3, 9, 4], [1, 1, 1], "max") == 9


def test_a_missing_ward_leaves_its_area_missing(units, catalog):
    values = _random_former(units)
    del values["VT-P08"]
    frame = _wards("VT.SEC.T1", "2024", values)
    rolled = pilot.in_system(frame, catalog, units, date(2026, 1, 1)).set_index("unit")
    assert np.isnan(rolled.loc["HCM-TAMTHANG", "value"])
    assert rolled.loc["HCM-TAMTHANG", "n_sources"] == 3
    assert not np.isnan(rolled.loc["HCM-VUNGTAU", "value"])
    city = pilot.city_values(frame, catalog, units).iloc[0]
    assert np.isnan(city.value) and (city.n_units, city.n_expected) == (16, 17)


def test_new_ward_data_is_never_split_back(units, catalog):
    frame = _wards("VT.SEC.T1", "2026", {u.code: 10.0 for u in units.pilot_units("2026")})
    former = pilot.in_system(frame, catalog, units, pilot.system_day(units, pilot.FORMER))
    assert former.empty
    current = pilot.in_system(frame, catalog, units, pilot.system_day(units, pilot.CURRENT))
    assert list(current.value) == [10.0] * 5


def test_the_area_is_named_as_it_was_at_the_end_of_each_period():
    """The 2026 pack was titled "tỉnh Bà Rịa – Vũng Tàu" though the province became part of
    Hồ Chí Minh City on 1 July 2025: the name comes from the administrative history."""
    from sca_metrics.reference.units import default_units

    units = default_units()
    assert units.programme_province().code == "BRVT"
    assert units.area_name("2024", "vi") == "tỉnh Bà Rịa – Vũng Tàu"
    assert units.area_name("2024", "en") == "Bà Rịa – Vũng Tàu province"
    for period in ("2025", "2026"):
        assert units.area_name(period, "vi") == (
            "địa bàn tỉnh Bà Rịa – Vũng Tàu cũ, nay thuộc Thành phố Hồ Chí Minh")
        assert units.area_name(period, "en") == (
            "the former Bà Rịa – Vũng Tàu province area, now part of Hồ Chí Minh City")
