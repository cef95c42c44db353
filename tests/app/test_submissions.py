"""AppTest: the Submissions page — who has returned what, who is missing, completeness."""

import json

from streamlit.testing.v1 import AppTest

from sca_metrics import settings
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.settings import ROOT
from tests.app.pages import (
    plain,
    run_app,
    texts,
    wide_charts,
)


def test_submissions_page_on_demo_data_vi(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page="views/submissions.py")
    assert at.title[0].value == "Tình hình nộp báo cáo"
    assert "Dữ liệu minh hoạ — không phải số liệu chính thức" in at.warning[0].value
    assert at.selectbox(key="submissions_period").value == "2026"
    assert at.metric[0].value == "11/11" and at.metric[1].value == "0"
    assert "Tất cả đơn vị đã nộp báo cáo kỳ 2026." in at.success[0].value
    status = at.dataframe[0].value
    assert len(status) == 11 and set(status["Tình trạng"]) == {"Đã nộp"}
    # completeness as a whole percent, language-neutral (the "percent" format followed the
    # browser's locale: 87.5% on an English browser in the Vietnamese UI)
    assert status["Mức đầy đủ"].between(0, 100).all() and (status["Mức đầy đủ"] % 1 == 0).all()
    assert json.loads(at.dataframe[0].proto.columns)["Mức đầy đủ"]["type_config"]["format"] == "%d%%"
    history = at.dataframe[-1].value
    assert len(history) == 50 and "Dòng 1–50 trên 100." in texts(at)  # a page at a time
    seen = set(history["Trạng thái"])
    at.number_input(key="history_page_None").set_value(2).run()
    seen |= set(at.dataframe[-1].value["Trạng thái"])
    assert "Dòng 51–100 trên 100." in texts(at)
    assert {"Hiện hành", "Đã thay thế"} <= seen
    assert len(wide_charts(at)) == 1


def test_submissions_page_pages_its_departments_in_the_table_and_the_heatmap(monkeypatch, demo_db):
    """With hundreds of departments (the demo at 34×) the heatmap had a row for each and the
    missing ones were all named in one sentence; now PAGE_ROWS a page, LIST_NAMES named."""
    from views import widgets

    monkeypatch.setattr(widgets, "PAGE_ROWS", 10)
    monkeypatch.setattr(widgets, "LIST_NAMES", 4)
    at = run_app(monkeypatch, demo_db, page="views/submissions.py")
    codes = [d.code for d in default_catalog().departments]

    def heatmap_rows(at) -> list[str]:
        [spec] = [json.loads(c.proto.spec) for c in wide_charts(at)]
        return [label.split(" — ")[0] for label in spec["data"][0]["y"]]

    assert len(at.dataframe[0].value) == 10 and heatmap_rows(at) == codes[:10]
    assert "Đơn vị 1–10 trên 11." in texts(at)
    at.number_input(key="coverage_page").set_value(2).run()
    assert heatmap_rows(at) == codes[10:] and "Đơn vị 11–11 trên 11." in texts(at)
    at.selectbox(key="submissions_period").set_value("2027").run()
    warning = plain(at.warning[-1].value)
    assert warning.endswith(f"{widgets.department_label(codes[3], 'vi')} và 7 đơn vị khác.")
    assert codes[4] not in warning


def test_submissions_page_names_who_is_missing(monkeypatch, demo_db):
    monkeypatch.setenv("SCA_DB", str(demo_db))
    settings.reload()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["period"] = "2027"
    at.switch_page("views/submissions.py").run()
    assert not at.exception, at.exception
    assert at.metric[0].value == "0/11" and at.metric[1].value == "11"
    missing = [w.value for w in at.warning if "Chưa nộp kỳ 2027" in w.value]
    assert missing and "SYT — Sở Y tế" in missing[0]
