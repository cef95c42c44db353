"""AppTest: the Overview page — scores, levels, changes, the heatmap, radar and foundations."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from sca_metrics import settings
from sca_metrics.settings import ROOT
from tests.app.pages import (
    run_app,
    texts,
)


def test_overview_on_demo_data_with_period_in_the_url(monkeypatch, demo_db):
    monkeypatch.setenv("SCA_DB", str(demo_db))
    settings.reload()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["period"] = "2024"
    at.run()
    assert not at.exception, at.exception
    at.switch_page("views/overview.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Tổng quan mức độ sẵn sàng"
    assert at.selectbox(key="overview_period").value == "2024"
    overall = at.metric[0]
    assert overall.label == "Điểm tổng hợp" and "," in overall.value
    charts = at.get("plotly_chart")
    assert len(charts) == 6  # heatmap, ranking and radar, each with its phone drawing
    at.selectbox(key="overview_period").set_value("2025").run()
    assert at.query_params["period"] in ("2025", ["2025"])


def test_overview_in_english(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, lang="en", page="views/overview.py")
    assert at.title[0].value == "Readiness overview"
    assert at.metric[0].label == "Overall score" and "." in at.metric[0].value


@pytest.mark.parametrize(("lang", "score", "target", "level"), [
    ("vi", "Điểm", "Điểm mục tiêu 2030", "Mức"), ("en", "Score", "2030 target score", "Level")])
def test_the_overview_table_speaks_the_language_not_the_code(monkeypatch, demo_db, lang, score, target,
                                                             level):
    """Its headers were the frame's own (score, coverage, level_vi, target_score_2025, gap_2025)."""
    at = run_app(monkeypatch, demo_db, lang=lang, page="views/overview.py")
    at.session_state["overview_2026_data"] = True  # the data behind the charts, opened
    at.run()
    table = at.dataframe[0].value
    assert {score, target, level} <= set(table.columns)
    raw = ("score", "coverage", "rank", "change", "reason")
    assert not [c for c in table.columns if "_" in c or c in raw]
    assert all(re.fullmatch(r"[1-5] — \w.*", v) for v in table[level])
    config = json.loads(at.dataframe[0].proto.columns)  # the column configuration, as sent
    assert config[score]["help"].startswith("– : ")


def test_a_change_over_a_changed_set_of_indicators_says_so(monkeypatch, demo_db):
    """The demo's 2026 returns report indicators 2025's did not: the change beside the overall
    score is like for like, and the page says the set changed."""
    at = run_app(monkeypatch, demo_db, lang="en")
    assert "Change on the indicators reported in both periods: the set changed since 2025" in texts(at)


def test_a_change_is_coloured_by_its_direction_and_no_change_is_neutral(monkeypatch, demo_db):
    """A fall reads as a fall (a Unicode minus read as a rise: pilot cards that fell showed a
    green arrow up); a change that rounds to 0,0 is grey without an arrow, not "↑ +0,0"."""
    from streamlit.proto.Metric_pb2 import Metric

    from views.widgets import delta

    assert delta(-1.26, "so với kỳ trước")["delta"].startswith("-1,3")
    assert delta(0.04, "since")["delta"] == "±0,0 since" and delta(0.04, "x")["delta_color"] == "off"
    assert delta(-0.04, "x")["delta_arrow"] == "off"
    assert delta(2.0, "x", higher_is_better=False)["delta_color"] == "inverse"
    at = run_app(monkeypatch, demo_db, page="views/pilot.py")
    cards = [m for m in at.metric if m.proto.delta]
    assert cards
    for m in cards:
        falls = m.proto.delta.startswith("-")
        assert m.proto.direction == (Metric.MetricDirection.DOWN if falls else Metric.MetricDirection.UP) or \
            m.proto.delta.startswith("±")


def test_overview_shows_the_radar_and_foundations(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page="views/overview.py")
    keys = [c.key for c in at.get("plotly_chart")]
    assert keys == [f"overview_{name}{phone}" for name in ("heatmap", "ranking", "radar")
                    for phone in ("", "_phone")]
    assert "Nền tảng" in [h.value for h in at.subheader]
    assert at.button(key="overview_foundations").label == "Xem chi tiết nền tảng"
