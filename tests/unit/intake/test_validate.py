import unicodedata

import pytest

from sca_metrics.intake import layout
from sca_metrics.intake.ingest import check_bytes
from tests.helpers import fill, full_values, row_of, set_info, template, to_bytes, valid_return


def check(wb, catalog, **expected):
    data = wb if isinstance(wb, bytes) else to_bytes(wb)
    return check_bytes(data, catalog, expected.get("dept"), expected.get("period"))


def errors_of(result):
    return [(p.code, p.sheet, p.cell, p.value) for p in result.problems if p.is_error]


def test_a_valid_return_has_no_problems(catalog):
    result = check(valid_return(catalog), catalog, dept="SYT", period="2024")
    assert result.ok and result.problems == []
    assert (result.department, result.period) == ("SYT", "2024")
    assert result.n_values == result.n_expected == len(catalog.for_department("SYT"))


@pytest.mark.parametrize(
    ("code", "typed", "problem"),
    [
        ("HLT.T1", "nhiều", "value_not_number"),
        ("HLT.T1", 101, "percent_range"),
        ("HLT.T1", "-5%", "percent_range"),
        ("HLT.T4", 5, "level_range"),
        ("HLT.T4", "cao", "value_not_level"),
        ("HLT.R1", -3, "negative_count"),
        ("HLT.R1", "12 bác sĩ", "value_not_number"),
    ],
)
def test_value_of_the_wrong_kind_is_located(catalog, code, typed, problem):
    wb = fill(template(catalog), {code: typed})
    result = check(wb, catalog)
    r = row_of(wb, code)
    assert (problem, "Chỉ số", f"G{r}") in [(p, s, c) for p, s, c, _ in errors_of(result)]
    located = next(p for p in result.problems if p.code == problem)
    assert located.location("vi") == f"Chỉ số!G{r}"
    assert str(typed) in located.value or located.value == str(typed)
    assert located.message("vi") != located.message("en")


def test_yes_no_wrong_value(catalog):
    wb = fill(template(catalog, "STTTT"), {"FND.P2": "có lẽ"})
    assert [e[0] for e in errors_of(check(wb, catalog))] == ["value_not_yesno"]


def test_quality_flag_not_in_list(catalog):
    wb = fill(template(catalog), {"HLT.T1": 50}, quality="tự đoán")
    assert [e[0] for e in errors_of(check(wb, catalog))] == ["quality_unknown"]


def test_unknown_duplicated_and_foreign_indicator_codes(catalog):
    wb = fill(template(catalog), full_values(catalog, "SYT"))
    ws = wb["Chỉ số"]
    end = ws.max_row
    ws.cell(end + 1, 1, "HLT.X9")
    ws.cell(end + 1, 7, 5)
    ws.cell(end + 2, 1, "hlt.t1 ")  # duplicate, typed in lower case with a trailing space
    ws.cell(end + 2, 7, 5)
    ws.cell(end + 3, 1, "TRA.T1")  # belongs to the Department of Transport
    ws.cell(end + 3, 7, 5)
    found = errors_of(check(wb, catalog))
    assert ("indicator_unknown", "Chỉ số", f"A{end + 1}", "HLT.X9") in found
    assert ("indicator_duplicate", "Chỉ số", f"A{end + 2}", "hlt.t1") in found
    assert ("indicator_other_department", "Chỉ số", f"A{end + 3}", "TRA.T1") in found


def test_unknown_department_and_mismatches(catalog):
    wb = set_info(template(catalog), layout.INFO_DEPARTMENT, "SYX")
    assert ("department_unknown", "Thông tin", "B3", "SYX") in errors_of(check(wb, catalog))
    other = to_bytes(fill(template(catalog, "SYT", "2024"), {"HLT.T1": 50}))
    found = errors_of(check(other, catalog, dept="SGTVT", period="2023"))
    assert ("department_mismatch", "Thông tin", "B3", "SYT") in found
    assert ("period_mismatch", "Thông tin", "B5", "2024") in found


def test_invalid_period(catalog):
    wb = set_info(fill(template(catalog), {"HLT.T1": 50}), layout.INFO_PERIOD, "năm ngoái")
    assert [e[0] for e in errors_of(check(wb, catalog))] == ["period_invalid"]


def test_missing_sheet_and_missing_column(catalog):
    wb = fill(template(catalog), {"HLT.T1": 50})
    del wb["Thông tin"]
    assert ("sheet_missing", None, None, None) in errors_of(check(wb, catalog))
    wb = fill(template(catalog), {"HLT.T1": 50})
    wb["Chỉ số"]["H3"] = "Cột khác"
    found = check(wb, catalog).problems
    assert [p.code for p in found if p.is_error] == ["column_missing"]
    assert "Chất lượng dữ liệu / Data quality" in found[0].message("vi")


def test_every_problem_reported_at_once(catalog):
    wb = fill(template(catalog), {"HLT.T1": 140, "HLT.T2": "abc", "HLT.T4": 9})
    set_info(wb, layout.INFO_PERIOD, "1999")
    wb["Chỉ số"]["H5"] = "bịa"
    found = {e[0] for e in errors_of(check(wb, catalog))}
    assert found == {"percent_range", "value_not_number", "level_range", "quality_unknown",
                     "period_invalid"}


def test_empty_values_are_warnings_that_lower_coverage(catalog):
    wb = fill(template(catalog), {"HLT.T1": 50})
    result = check(wb, catalog)
    assert result.ok
    assert result.n_values == 1 and result.n_expected == len(catalog.for_department("SYT"))
    missing = [p for p in result.problems if p.code == "value_missing"]
    assert len(missing) == result.n_expected - 1 and all(not p.is_error for p in missing)


def test_an_empty_return_is_refused(catalog):
    assert [e[0] for e in errors_of(check(template(catalog), catalog))] == ["no_values"]


def test_values_as_people_type_them(catalog):
    wb = fill(template(catalog, "STTTT"), {
        "FND.T1": "45 %", "FND.T2": "1.234,5", "FND.T3": "3", "FND.T4": " 87,5 ",
        "FND.P1": 2, "FND.P2": "x", "FND.P3": "45%", "FND.R3": "12",
        "GOV.T3": "90", "GOV.T4": "3,5", "GOV.P1": "Không", "GOV.R1": "95,0",
    })
    set_info(wb, layout.INFO_DATE, "15/01/2025")
    ws = wb["Chỉ số"]
    ws.insert_rows(6)  # an empty row in the middle
    ws.cell(row_of(wb, "FND.R2"), 7, "80")
    ws.cell(row_of(wb, "FND.R2"), 8, "số liệu hành chính ")
    result = check(wb, catalog)
    assert result.ok, errors_of(result)
    got = {r.indicator: r.value for r in result.records}
    assert got == {"FND.T1": 45, "FND.T2": 1234.5, "FND.T3": 3, "FND.T4": 87.5, "FND.P1": 2,
                   "FND.P2": 1, "FND.P3": 45, "FND.R2": 80, "FND.R3": 12,
                   "GOV.T3": 90, "GOV.T4": 3.5, "GOV.P1": 0, "GOV.R1": 95}
    raw = {r.indicator: r.raw for r in result.records}
    assert raw["FND.T2"] == "1.234,5" and raw["FND.T1"] == "45 %"
    assert {r.indicator: r.quality for r in result.records}["FND.R2"] == "administrative"
    assert result.prepared_on.isoformat() == "2025-01-15"


def test_percent_typed_into_a_percent_formatted_cell(catalog):
    wb = fill(template(catalog), {"HLT.T1": 0.45})
    wb["Chỉ số"][f"G{row_of(wb, 'HLT.T1')}"].number_format = "0%"
    result = check(wb, catalog)
    assert {r.indicator: r.value for r in result.records}["HLT.T1"] == pytest.approx(45)


def test_headers_found_in_any_order_case_spacing_and_unicode_form(catalog):
    wb = fill(template(catalog), {"HLT.T1": 50, "HLT.T2": 60})
    ws = wb["Chỉ số"]
    ws.move_range("G3:G20", cols=6)  # the value column moves far right
    ws["M3"] = unicodedata.normalize("NFD", "  GIÁ   TRỊ ")
    ws["A3"] = "code"
    ws["H3"] = "Chất lượng dữ liệu"
    ws["I3"] = "EVIDENCE"
    result = check(wb, catalog)
    assert result.ok, errors_of(result)
    assert {r.indicator: r.value for r in result.records} == {"HLT.T1": 50, "HLT.T2": 60}
    assert {r.cell for r in result.records} == {"M4", "M5"}


def test_text_is_nfc_normalised(catalog):
    nfd = unicodedata.normalize("NFD", "Báo cáo số 12 ngày 01/02/2024")
    wb = fill(template(catalog), {"HLT.T1": 50}, evidence=nfd)
    record = check(wb, catalog).records[0]
    assert record.evidence == unicodedata.normalize("NFC", nfd)


def test_warnings_for_ambiguity_capping_quality_and_evidence(catalog):
    wb = fill(template(catalog, "SGTVT"), {"TRA.T4": "1.500", "TRA.R2": 45}, quality="")
    wb = fill(wb, {"TRA.P3": "Có"}, evidence="")
    result = check(wb, catalog)
    assert result.ok
    codes = {(p.code, p.cell) for p in result.problems}
    assert ("value_ambiguous", f"G{row_of(wb, 'TRA.T4')}") in codes
    assert ("value_capped", f"G{row_of(wb, 'TRA.R2')}") in codes
    assert ("quality_missing", f"H{row_of(wb, 'TRA.R2')}") in codes
    assert ("evidence_missing", f"I{row_of(wb, 'TRA.P3')}") in codes
