"""The pilot city's ward sheet: units valid in the period, located errors, city values."""

import numpy as np
import pytest

from sca_metrics.intake import layout
from sca_metrics.intake.ingest import ACCEPTED, REJECTED, check_bytes, ingest_bytes
from sca_metrics.reference.roles import Actor
from sca_metrics.reference.units import default_units
from sca_metrics.snapshot import observation_frame, unit_frame
from sca_metrics.store import queries, schema
from tests.helpers import (
    fill_wards,
    full_ward_values,
    template,
    to_bytes,
    ward_columns,
    ward_rows,
)

SHEET = layout.SHEET_UNITS.vi


def _return(catalog, period, edit=None):
    wb = template(catalog, "UBNDVT", period)
    fill_wards(wb, full_ward_values(catalog, wb))
    if edit:
        edit(wb)
    return to_bytes(wb)


def _errors(checked):
    return [p for p in checked.problems if p.is_error]


def test_template_lists_the_units_of_the_period(catalog):
    for period, n in (("2024", 17), ("2025", 5), ("2026", 5)):
        wb = template(catalog, "UBNDVT", period)
        assert layout.SHEET_INDICATORS.vi not in wb.sheetnames  # every UBNDVT indicator is pilot
        assert len(ward_rows(wb)) == n
        cols = ward_columns(wb)
        assert {i.code for i in catalog.indicators if i.pilot} <= set(cols)
    names = wb[SHEET].cell(layout.UNITS_NAMES_ROW, ward_columns(wb)["VT.SEC.T1"]).value
    assert "toàn thành phố: tổng" in names
    assert SHEET not in template(catalog, "SYT", "2026").sheetnames


def test_a_full_ward_return_is_accepted_and_makes_the_city_values(con, catalog):
    data = _return(catalog, "2026")
    result = ingest_bytes(con, data, "vt.xlsx", catalog, Actor.local("test"))
    assert result.status == ACCEPTED, [p.line() for p in result.problems]
    wards = unit_frame(con, "2026")
    assert len(wards) == 5 * 7
    city = observation_frame(con, "2026").set_index("indicator")
    # sum: 10 + 20 + 30 + 40 + 50 cameras
    assert city.loc["VT.SEC.T1", "value"] == 150
    # population-weighted mean of 2, 4, 6, 8, 10 %
    units = default_units().pilot_units("2026")
    pops = np.array([u.population for u in units])
    expected = float((np.array([2, 4, 6, 8, 10]) * pops).sum() / pops.sum())
    assert city.loc["VT.FND.T1", "value"] == pytest.approx(expected)
    assert city.loc["VT.GOV.P1", "value"] == 2  # the weakest ward
    assert city.loc["VT.SEC.T1", "quality"] == "administrative"
    sub = queries.submissions(con).iloc[0]
    assert (sub.n_values, sub.n_expected) == (35, 35)


def test_a_former_ward_in_a_2026_return_names_its_new_ward(con, catalog):
    def old_ward(wb):
        ws = wb[SHEET]
        r = ward_rows(wb)["HCM-TAMTHANG"]
        ws.cell(r, 1).value = None
        ws.cell(r, 2, "Phường 7")
    before = schema.table_counts(con)
    result = ingest_bytes(con, _return(catalog, "2026", old_ward), "vt.xlsx", catalog, Actor.local("test"))
    assert result.status == REJECTED
    [err] = [p for p in result.problems if p.is_error]
    assert (err.code, err.sheet, err.cell) == ("unit_replaced", SHEET, "B6")
    message = err.message("vi")
    assert "Phường 7" in message and "Phường Tam Thắng" in message and "30/06/2025" in message
    assert "Ward" not in message and "Tam Thắng" in err.message("en")
    assert "30 Jun 2025" in err.message("en")  # a date an English reader cannot misread
    assert schema.table_counts(con) == before  # nothing stored


def test_a_new_ward_in_a_2024_return_names_the_former_wards(catalog):
    def new_ward(wb):
        ws = wb[SHEET]
        ws.cell(ward_rows(wb)["VT-P11"], 1, "HCM-PHUOCTHANG")
    checked = check_bytes(_return(catalog, "2024", new_ward), catalog)
    [err] = _errors(checked)
    assert err.code == "unit_not_yet" and err.cell == "A14"
    assert "Phường 11, Phường 12" in err.message("vi") and "01/07/2025" in err.message("vi")


def test_unknown_duplicate_and_mismatched_units_are_located(catalog):
    def edit(wb):
        ws = wb[SHEET]
        rows = ward_rows(wb)
        ws.cell(rows["HCM-VUNGTAU"], 1, "HCM-NOWHERE")
        ws.cell(rows["HCM-RACHDUA"], 1, "HCM-TAMTHANG")
        ws.cell(rows["HCM-RACHDUA"], 2, "Phường Tam Thắng")
        ws.cell(rows["HCM-LONGSON"], 2, "Phường Phước Thắng")
    checked = check_bytes(_return(catalog, "2026", edit), catalog)
    found = {(p.code, p.cell) for p in _errors(checked)}
    assert found == {("unit_unknown", "A5"), ("unit_duplicate", "A7"), ("unit_mismatch", "B9")}
    unknown = next(p for p in checked.problems if p.code == "unit_unknown")
    assert "Phường Vũng Tàu" in unknown.message("vi")  # the valid units are listed
    # the units without a valid row are named as well
    assert {p.params["unit"] for p in checked.problems if p.code == "unit_missing_row"} == {
        "Phường Vũng Tàu", "Phường Rạch Dừa", "Xã Long Sơn"}


def test_values_are_checked_in_their_cells(catalog):
    def edit(wb):
        ws, cols = wb[SHEET], ward_columns(wb)
        r = ward_rows(wb)["HCM-VUNGTAU"]
        ws.cell(r, cols["VT.FND.T1"], "120%")
        ws.cell(r, cols["VT.SEC.T1"], "nhiều")
        ws.cell(r, cols["VT.TOU.T1"]).value = None
    checked = check_bytes(_return(catalog, "2026", edit), catalog)
    cols = ward_columns(template(catalog, "UBNDVT", "2026"))
    letter = {code: chr(64 + c) for code, c in cols.items()}
    found = {(p.code, p.cell) for p in checked.problems}
    assert ("percent_range", f"{letter['VT.FND.T1']}5") in found
    assert ("value_not_number", f"{letter['VT.SEC.T1']}5") in found
    assert ("unit_value_missing", f"{letter['VT.TOU.T1']}5") in found


def test_a_missing_ward_value_leaves_the_city_value_empty(con, catalog):
    def edit(wb):
        wb[SHEET].cell(ward_rows(wb)["HCM-LONGSON"], ward_columns(wb)["VT.SEC.T1"]).value = None
    result = ingest_bytes(con, _return(catalog, "2026", edit), "vt.xlsx", catalog, Actor.local("test"))
    assert result.status == ACCEPTED
    city = observation_frame(con, "2026")
    assert "VT.SEC.T1" not in set(city.indicator) and "VT.TOU.T1" in set(city.indicator)


def test_provincial_and_foreign_codes_in_the_ward_sheet_are_errors(catalog):
    def edit(wb):
        ws, cols = wb[SHEET], ward_columns(wb)
        ws.cell(layout.UNITS_HEADER_ROW, cols["VT.SEC.T1"], "FND.T1")
        ws.cell(layout.UNITS_HEADER_ROW, cols["VT.TOU.T1"], "XX.Y9")
    checked = check_bytes(_return(catalog, "2026", edit), catalog)
    codes = {p.code for p in _errors(checked)}
    assert codes == {"indicator_other_department", "indicator_unknown"}
    assert {p.params["indicator"] for p in checked.problems
            if p.code == "indicator_missing_column"} == {"VT.SEC.T1", "VT.TOU.T1"}


def test_the_ward_sheet_is_required_of_the_pilot_city(catalog):
    wb = template(catalog, "UBNDVT", "2026")
    del wb[SHEET]
    checked = check_bytes(to_bytes(wb), catalog)
    assert [p.code for p in _errors(checked)] == ["sheet_missing"]
    assert "Theo phường, xã" in _errors(checked)[0].message("vi")
