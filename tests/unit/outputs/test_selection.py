"""A click on a chart → the domain (and driver) the Domain page opens on."""

import pytest

from sca_metrics.outputs.selection import Drill, domain_param, drill_target, driver_param


def test_heatmap_cell_carries_domain_and_driver():
    sel = {"points": [{"curve_number": 0, "point_index": [2, 1], "x": "Chính sách", "y": "Y tế",
                       "customdata": ["health", "policy"]}], "point_indices": [[2, 1]]}
    assert drill_target(sel) == Drill("health", "policy")
    assert drill_target(sel).query_params() == {"domain": "health", "driver": "policy"}


def test_bar_carries_the_domain_only():
    sel = {"points": [{"x": 71.6, "y": "Giao thông vận tải", "customdata": "transport"}]}
    assert drill_target(sel) == Drill("transport")
    assert drill_target(sel).query_params() == {"domain": "transport"}


def test_radar_point_without_customdata_is_recognised_by_its_label_in_either_language():
    assert drill_target({"points": [{"r": 50.0, "theta": "Giáo dục"}]}) == Drill("education")
    assert drill_target({"points": [{"r": 50.0, "theta": "Security & safety"}]}) == Drill("security")


def test_overall_and_unknown_points_are_skipped_for_the_next_usable_one():
    sel = {"points": [{"x": 59.7, "y": "Điểm tổng hợp", "customdata": "overall"},
                      {"x": 40.0, "y": "?", "customdata": ["environment"]}]}
    assert drill_target(sel) == Drill("environment")


@pytest.mark.parametrize("selection", [None, {}, {"points": []},
                                       {"points": [{"x": 1, "y": 2}]},
                                       {"points": [{"customdata": "overall"}]}])
def test_nothing_usable_means_no_drill(selection):
    assert drill_target(selection) is None


def test_url_parameters_accept_codes_and_names_and_reject_the_rest():
    assert domain_param("health") == "health"
    assert domain_param("Y tế") == "health"
    assert domain_param("foundations") == "foundations"
    assert domain_param("'; DROP TABLE x") == "egov"  # default: the first smart domain
    assert domain_param(None, default="tourism") == "tourism"
    assert driver_param("policy") == "policy" and driver_param("Nguồn lực") == "resources"
    assert driver_param("nope") is None and driver_param(None) is None


def test_a_clicked_roadmap_bar_names_its_task():
    from sca_metrics.outputs.selection import picked

    known = ["SYT-01", "SGTVT-01"]
    assert picked({"points": [{"customdata": "SGTVT-01", "y": "SGTVT-01 · …"}]}, known) == "SGTVT-01"
    assert picked({"points": [{"customdata": ["x", "SYT-01"]}]}, known) == "SYT-01"
    assert picked({"points": [{"customdata": "XX-9"}]}, known) is None  # only a task shown
    assert picked(None, known) is None and picked({"points": []}, known) is None
