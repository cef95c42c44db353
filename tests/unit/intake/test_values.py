from datetime import date

import pytest

from sca_metrics.intake import values
from sca_metrics.reference import formatting


@pytest.mark.parametrize(
    ("typed", "expected", "ambiguous"),
    [
        ("3,5", 3.5, False), ("3.5", 3.5, False), ("1.234,5", 1234.5, False),
        ("1,234.5", 1234.5, False), ("1 234,5", 1234.5, False), ("1\u00a0234,5", 1234.5, False),
        ("45%", 45.0, False), ("45 %", 45.0, False), (" 12 ", 12.0, False), ("-2", -2.0, False),
        ("1.234.567", 1234567.0, False), ("0,25", 0.25, False), ("1.234", 1234.0, True),
        (7, 7.0, False), (2.5, 2.5, False),
    ],
)
def test_numbers_as_people_type_them(typed, expected, ambiguous):
    assert values.parse_number(typed, percent_sign=True) == (expected, None, ambiguous)


@pytest.mark.parametrize("typed", ["abc", "12,34,5", "1.23.4", "", "3,5,", "--3", True, float("nan")])
def test_not_numbers(typed):
    assert values.parse_number(typed)[1] == "value_not_number"


def test_percent_sign_only_where_allowed():
    assert values.parse_number("45%")[1] == "value_not_number"


@pytest.mark.parametrize("typed", ["Có", "có", "CÓ", "Yes", "yes", "x", "X", "Có (Yes)", 1, True])
def test_yes(typed):
    assert values.parse_yes_no(typed) == (1.0, None)


@pytest.mark.parametrize("typed", ["Không", "không", "No", "Không (No)", 0, False])
def test_no(typed):
    assert values.parse_yes_no(typed) == (0.0, None)


def test_yes_no_rejects_other_text():
    assert values.parse_yes_no("có lẽ")[1] == "value_not_yesno"
    assert values.parse_yes_no(2)[1] == "value_not_yesno"


@pytest.mark.parametrize(("typed", "expected"), [("3", 3.0), (2.0, 2.0), ("Mức 4", 4.0), (0, 0.0)])
def test_levels(typed, expected):
    assert values.parse_level(typed) == (expected, None)


@pytest.mark.parametrize(("typed", "code"), [("2,5", "value_not_level"), ("cao", "value_not_level"),
                                             (5, "level_range"), ("-1", "level_range")])
def test_bad_levels(typed, code):
    assert values.parse_level(typed)[1] == code


def test_quality_flags_in_either_language_or_as_code():
    assert values.parse_quality("Ước tính") == ("estimate", None)
    assert values.parse_quality("ước tính ") == ("estimate", None)
    assert values.parse_quality("Administrative record") == ("administrative", None)
    assert values.parse_quality("Đo đạc (Measured)") == ("measured", None)
    assert values.parse_quality("") == (None, None)
    assert values.parse_quality("guess") == (None, "quality_unknown")


def test_dates_dd_mm_yyyy():
    assert values.parse_date("15/12/2024") == (date(2024, 12, 15), None)
    assert values.parse_date("5-1-2025") == (date(2025, 1, 5), None)
    assert values.parse_date("31/02/2024") == (None, "date_invalid")
    assert values.parse_date("2024-12-15") == (None, "date_invalid")


def test_periods():
    assert values.parse_period(2024.0) == ("2024", None)
    assert values.parse_period(" 2025 ") == ("2025", None)
    assert values.parse_period("2017")[1] == "period_invalid"
    assert values.parse_period("24")[1] == "period_invalid"


def test_number_formats_by_language():

    assert formatting.number(1234.5, "vi") == "1.234,5" and formatting.number(1234.5, "en") == "1,234.5"
    assert formatting.number(59.0, "vi") == "59" and formatting.number(59.0, "vi", fixed=True) == "59,0"
    assert formatting.number(None) == "–" and formatting.number(float("nan"), "en") == "–"
