"""AppTest: the app renders on a demo database and on an empty one, in both languages."""

import pytest
from streamlit.testing.v1 import AppTest

from sca_metrics import store
from sca_metrics.catalog import default_catalog
from sca_metrics.demo import build_demo
from sca_metrics.paths import ROOT
from sca_metrics.template import template_file_name


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("app") / "demo.duckdb"
    con = store.connect(path)
    build_demo(con, default_catalog())
    con.close()
    return path


def run_app(monkeypatch, db, lang=None, page=None):
    monkeypatch.setenv("SCA_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def texts(at):
    parts = [e.value for e in at.markdown] + [e.value for e in at.title] + [e.value for e in at.warning]
    parts += [e.value for e in at.info] + [e.value for e in at.caption]
    return "\n".join(str(p) for p in parts)


def test_loaded_page_on_demo_data_vi(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page="pages/loaded.py")
    assert at.title[0].value == "Dữ liệu đã nạp theo đơn vị và kỳ báo cáo"
    assert "Dữ liệu minh hoạ — không phải số liệu chính thức" in at.warning[0].value
    assert [m.value for m in at.metric] == ["88", "11", "8", "686"]
    matrix = at.dataframe[0].value
    assert list(matrix.columns) == [str(y) for y in range(2018, 2026)]
    assert matrix.loc["SYT — Sở Y tế", "2024"].endswith("(v2)")
    history = at.dataframe[1].value
    assert {"Hiện hành", "Đã thay thế"} <= set(history["Trạng thái"])


def test_english_via_query_parameter(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, lang="en", page="pages/loaded.py")
    assert at.title[0].value == "Loaded data by department and period"
    assert "Illustrative demo data" in at.warning[0].value
    assert "Current" in set(at.dataframe[1].value["Status"])


def test_language_switch_sets_the_query_parameter(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db)
    assert at.title[0].value == "Tổng quan mức độ sẵn sàng"
    at.sidebar.radio(key="lang_picker").set_value("en").run()
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"
    assert at.title[0].value == "Readiness overview"


def test_templates_page_offers_the_department_template(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page="pages/templates.py")
    assert at.title[0].value == "Tải mẫu phiếu báo cáo"
    at.selectbox(key="tpl_department").set_value("SYT")
    at.selectbox(key="tpl_period").set_value("2025").run()
    assert not at.exception
    rows = at.dataframe[0].value
    assert list(rows["Mã"]) == [i.code for i in default_catalog().for_department("SYT")]
    assert "10 chỉ số" in texts(at)
    assert template_file_name("SYT", "2025") == "DTTM_SYT_2025.xlsx"


def test_empty_database_explains_how_to_start(monkeypatch, tmp_path):
    at = run_app(monkeypatch, tmp_path / "empty.duckdb")
    assert "chưa có báo cáo nào" in at.info[0].value
    assert not at.warning  # no demo banner on real (here: no) data


def test_overview_on_demo_data_with_period_in_the_url(monkeypatch, demo_db):
    monkeypatch.setenv("SCA_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["period"] = "2024"
    at.run()
    assert not at.exception, at.exception
    at.switch_page("pages/overview.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Tổng quan mức độ sẵn sàng"
    assert at.selectbox(key="period_picker").value == "2024"
    overall = at.metric[0]
    assert overall.label == "Điểm tổng hợp" and "," in overall.value
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    at.selectbox(key="period_picker").set_value("2025").run()
    assert at.query_params["period"] in ("2025", ["2025"])


def test_overview_in_english(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, lang="en", page="pages/overview.py")
    assert at.title[0].value == "Readiness overview"
    assert at.metric[0].label == "Overall score" and "." in at.metric[0].value
