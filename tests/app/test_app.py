"""AppTest: the app renders on a demo database and on an empty one, in both languages."""

import json
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from sca_metrics import settings
from sca_metrics.outputs.exports import XLSX_MIME as XLSX
from sca_metrics.reference import vocabulary
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.reference.i18n import t
from sca_metrics.settings import ROOT
from sca_metrics.store import queries, schema
from tests.helpers import current_plan, fill, row_of, template, to_bytes, valid_return


@pytest.fixture(scope="module")
def demo_db(demo_data):
    """The session's demo database (tests that write use own_demo_db, a copy)."""
    return demo_data[0]


@pytest.fixture
def no_packs():
    """No briefing pack built yet in this process (a built one is kept for every session)."""
    from views import cached

    cached.packs().clear()


def run_app(monkeypatch, db, lang=None, page=None):
    monkeypatch.setenv("SCA_DB", str(db))
    settings.reload()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def plain(markdown: str) -> str:
    """A message as it reads on screen: Markdown's backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def wide_charts(at) -> list:
    """The charts drawn for a wide screen (each has its phone drawing beside it, `<key>_phone`)."""
    return [c for c in at.get("plotly_chart") if not c.key.endswith("_phone")]


def texts(at):
    parts = [e.value for e in at.markdown] + [e.value for e in at.title] + [e.value for e in at.warning]
    parts += [e.value for e in at.info] + [e.value for e in at.caption]
    return "\n".join(str(p) for p in parts)


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


def test_english_via_query_parameter(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, lang="en", page="views/submissions.py")
    assert at.title[0].value == "Submissions"
    assert "Illustrative demo data" in at.warning[0].value
    assert "Current" in set(at.dataframe[-1].value["Status"])
    # dates in English tables read "30 Nov 2026", never "30/11/2026" (taken for 11 Dec… or worse)
    assert '"D MMM YYYY, HH:mm"' in at.dataframe[-1].proto.columns


def test_language_switch_sets_the_query_parameter(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db)
    assert at.title[0].value == "Tổng quan mức độ sẵn sàng"
    at.sidebar.radio(key="lang_picker").set_value("en").run()
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"
    assert at.title[0].value == "Readiness overview"


def test_empty_database_explains_how_to_start(monkeypatch, tmp_path):
    at = run_app(monkeypatch, tmp_path / "empty.duckdb")
    assert "chưa có báo cáo nào" in at.info[0].value
    assert not at.warning  # no demo banner on real (here: no) data


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


def qp(at, name):
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def test_domain_page_follows_the_url_and_marks_reversed_indicators(monkeypatch, demo_db):
    monkeypatch.setenv("SCA_DB", str(demo_db))
    settings.reload()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"period": "2024", "domain": "transport", "driver": "resources"})
    at.run()
    at.switch_page("views/domain.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Chi tiết lĩnh vực"
    assert at.selectbox(key="domain_picker").value == "transport"
    assert at.selectbox(key="domain_period").value == "2024"
    assert at.segmented_control(key="driver_filter").value == "resources"
    assert at.metric[0].label == "Điểm lĩnh vực"
    assert len(wide_charts(at)) == 3
    rows = at.dataframe[-1].value
    assert set(rows["Động lực"]) == {"Nguồn lực"}
    assert set(rows["Mã"]) == {i.code for i in default_catalog().indicators
                               if i.domain == "transport" and i.driver == "resources"}
    # each indicator with a target carries its progress status (Open SDG / Eurostat)
    statuses = {s.vi for s in vocabulary.PROGRESS_STATUSES}
    assert all(p.split(":")[0] in statuses for p in rows["Tiến độ đến mục tiêu (Open SDG)"] if p != "–")
    reversed_codes = {i.code for i in default_catalog().indicators
                      if i.domain == "transport" and i.direction == "lower"}
    at.segmented_control(key="driver_filter").set_value("all").run()
    rows = at.dataframe[-1].value
    assert qp(at, "driver") is None
    assert set(rows.loc[rows["Chiều"] == "↓", "Mã"]) == reversed_codes and reversed_codes
    at.selectbox(key="domain_picker").set_value("health").run()
    assert qp(at, "domain") == "health"


@pytest.mark.parametrize(("lang", "said"), [("vi", "– Chưa có điểm (1 chỉ số)"),
                                           ("en", "– No score (1 indicator)")])
def test_a_missing_score_is_drawn_as_a_dash_and_the_page_says_why(monkeypatch, demo_db, lang, said):
    """The domain table drew "None" for an indicator without a score, and nothing said why."""
    monkeypatch.setenv("SCA_DB", str(demo_db))
    settings.reload()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"period": "2026", "domain": "education", "lang": lang})
    at.run()
    at.switch_page("views/domain.py").run()
    assert not at.exception, at.exception
    rows = at.dataframe[-1].value  # drawn "–" (tests/app/test_texts.py checks no table draws None)
    assert rows[t("indicator.score", lang)].isna().sum() == 1
    assert any(said in c.value and "2026" in c.value for c in at.caption)


def test_domain_page_rejects_an_unknown_domain_in_the_url(monkeypatch, demo_db):
    monkeypatch.setenv("SCA_DB", str(demo_db))
    settings.reload()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["domain"] = "<script>"
    at.run()
    at.switch_page("views/domain.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="domain_picker").value == "egov"


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


@pytest.mark.parametrize("page", ["views/method.py", "views/audit.py", "views/users.py"])
def test_every_multiselect_has_a_placeholder_in_the_language(monkeypatch, demo_db, page):
    """Streamlit's own placeholder is English ("Choose options") in the Vietnamese UI."""
    at = run_app(monkeypatch, demo_db, page=page)
    assert at.multiselect, page
    for box in at.multiselect:
        assert box.proto.placeholder and box.proto.placeholder != "Choose options", box.label


def test_the_audit_log_shows_fifty_events_a_page_and_filters_before_paging(monkeypatch, demo_db):
    con = schema.connect(demo_db)
    events = queries.audit_events(con)
    con.close()
    at = run_app(monkeypatch, demo_db, page="views/audit.py")
    assert len(events) > 50 and len(at.dataframe[0].value) == 50
    assert f"Dòng 1–50 trên {len(events)}." in texts(at)
    actions = {t(f"audit.action_{a}", "vi") for a in events.action}
    assert set(at.dataframe[0].value[t("audit.action", "vi")]) <= actions
    at.multiselect(key="audit_departments").set_value(["SYT"]).run()
    mine = events[events.department == "SYT"]
    assert len(at.dataframe[0].value) == min(50, len(mine)) and (
        at.dataframe[0].value["Đơn vị"] == "SYT").all()


def test_the_chart_toolbar_saves_a_png_named_for_the_chart(monkeypatch, demo_db):
    """Every chart's camera button saved dttm_chart.png at three times the screen's size."""
    import json

    at = run_app(monkeypatch, demo_db)
    charts = at.get("plotly_chart")
    configs = [json.loads(c.proto.config) for c in charts]
    assert configs
    names = {c.key: f["toImageButtonOptions"]["filename"] for c, f in zip(charts, configs, strict=True)}
    assert names["overview_heatmap"] == "dttm_diem-theo-linh-vuc-va-dong-luc_2026_vi"
    assert "dttm_chart" not in names.values()
    wide = [n for k, n in names.items() if not k.endswith("_phone")]
    assert len(set(wide)) == len(wide)
    assert all(names[k] == names[k.removesuffix("_phone")] for k in names if k.endswith("_phone"))
    sizes = {c["toImageButtonOptions"]["width"] * c["toImageButtonOptions"]["scale"] for c in configs}
    assert sizes == {2400}


def test_the_indicator_table_writes_every_value_as_its_kind_calls_for(monkeypatch, demo_db):
    """It showed a raw "None", "67" beside "44,20", and "1,00" / "3,00" for yes/no and level
    targets: one formatting path now — Có/Không, "Mức 3", percentages with one decimal, a row's
    value and target alike, "–" for what is missing."""
    catalog = default_catalog()
    at = run_app(monkeypatch, demo_db, page="views/domain.py")
    cells = []
    for domain in vocabulary.SMART_DOMAIN_CODES:
        at.selectbox(key="domain_picker").set_value(domain).run()
        table = at.dataframe[-1].value
        kinds = [catalog.indicator(c).kind for c in table["Mã"]]
        # the demo's latest period is 2026: measured against the 2030 targets
        for kind, value, target in zip(kinds, table["Giá trị"], table["Mục tiêu 2030"], strict=True):
            cells += [value, target]
            for text in (value.removesuffix(" ⚠"), target):
                if text == "–":
                    continue
                if kind == "yesno":
                    assert text in ("Có", "Không")
                elif kind == "level":
                    assert text.startswith("Mức ")
                elif kind == "percent":
                    assert re.fullmatch(r"[\d.]+,\d", text), text
                else:
                    assert "," not in value or "," in target or target == "–", (value, target)
        texts_only = table.select_dtypes(include=["object", "str"])  # numbers: "–" by the styler
        assert not texts_only.isna().any().any()
    assert not [c for c in cells if c in ("None", "nan", "NaN") or c.endswith(",00")]
    assert {"Có", "Không"} & set(cells) and any(c.startswith("Mức ") for c in cells)
    config = json.loads(at.dataframe[-1].proto.columns)  # what a "–" means, on the header's hover
    assert config["Giá trị"]["help"].startswith("– : chưa có số liệu kỳ này")
    assert config["Điểm"]["help"].startswith("– : ")


def test_whatif_weights_move_scores_and_reset_restores_them(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page="views/whatif.py")
    assert at.title[0].value == "Trọng số giả định và độ bất định"
    nominal = at.dataframe[-1].value
    assert at.selectbox(key="whatif_period").value == "2026"
    assert (nominal["Chênh lệch"].abs() < 1e-9).all()
    assert "Đang dùng phương án mặc định." in texts(at)
    at.select_slider(key="w_driver_technology").set_value(3.0).run()
    assert not at.exception, at.exception
    moved = at.dataframe[-1].value
    assert (moved["Chênh lệch"].abs() > 1e-6).any()
    assert "Đang có 1 thiết lập khác phương án mặc định." in texts(at)
    assert (moved["P5"] <= moved["Điểm giả định"] + 1e-9).all()
    at.select_slider(key="w_domain_health").set_value(0.0).run()
    assert "Đang có 2 thiết lập khác phương án mặc định." in texts(at)
    at.button(key="whatif_reset").click().run()
    assert not at.exception, at.exception
    assert (at.dataframe[-1].value["Chênh lệch"].abs() < 1e-9).all()
    assert at.select_slider(key="w_driver_technology").value == 1.0


def test_whatif_caps_domain_levels_by_the_foundations(monkeypatch, demo_db):
    """2025 in the demo: the operations centres at level 3 hold e-government's 4 at 3."""
    at = run_app(monkeypatch, demo_db, page="views/whatif.py")
    at.selectbox(key="whatif_period").set_value("2025").run()
    at.checkbox(key="whatif_cap").check().run()
    assert not at.exception, at.exception
    assert "Đang có 1 thiết lập khác phương án mặc định." in texts(at)
    rows = at.dataframe[-1].value.set_index("Lĩnh vực")
    egov = rows.loc["Chính quyền điện tử"]
    assert egov["Điểm giả định"] == egov["Điểm mặc định"]  # scores do not move
    assert (egov["Mức mặc định"], egov["Mức giả định"]) == (4, 3)
    health = rows.loc["Y tế"]
    assert health["Mức mặc định"] == health["Mức giả định"] == 3


@pytest.mark.parametrize(("lang", "written"), [("vi", r"\d+,\d\d"), ("en", r"\d+\.\d\d")])
def test_whatif_indicator_weights_are_written_in_the_language(monkeypatch, demo_db, lang, written):
    """The experts' table wrote every weight as 1.50 (a printf format) in the Vietnamese UI."""
    at = run_app(monkeypatch, demo_db, lang=lang, page="views/whatif.py")
    editor = next(d for d in at.dataframe if d.proto.editing_mode)
    frame = editor.value
    weight, new = frame.columns[3], frame.columns[4]
    assert all(re.fullmatch(written, v) for v in [*frame[weight], *frame[new]])
    config = json.loads(editor.proto.columns)
    rule = config[new]["type_config"]["validate"]
    assert all(re.fullmatch(rule, v) for v in ("1,5", "1.2345", "12", "1000"))  # a loaded weight too
    assert not any(re.fullmatch(rule, v) for v in ("1001", "1.000,5", "-1", "1e3"))


def test_whatif_shows_a_loaded_scheme_weight_exactly_and_scores_with_it(monkeypatch, demo_db):
    """A weight of 1,2345 loaded from a scheme read 1,23 on the page, and the page then scored
    with 1,23 (issue 29): what is shown and used is what was loaded."""
    from sca_metrics.method import scheme as schemes
    from sca_metrics.method.scoring import Options

    code = default_catalog().indicators[0].code
    options = Options(indicator_weights={code: 1.2345}, driver_weights={"policy": 1.25})
    monkeypatch.setenv("SCA_DB", str(demo_db))
    settings.reload()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "vi"
    at.run()
    at.switch_page("views/whatif.py")
    at.query_params["scheme"] = schemes.link(options)
    at.run()
    assert not at.exception, at.exception
    frame = next(d for d in at.dataframe if d.proto.editing_mode).value
    assert frame[frame.iloc[:, 0] == code].iloc[0, 4] == "1,2345"
    policy = next(s for s in at.select_slider if s.key == "w_driver_policy")
    assert policy.value == 1.25
    linked = schemes.from_link(str(at.query_params["scheme"]))  # the scenario the page scores and shares
    assert linked.indicator_weights[code] == 1.2345 and linked.driver_weights["policy"] == 1.25


@pytest.mark.parametrize(("lang", "title"), [("vi", "Lộ trình"), ("en", "Roadmap")])
def test_the_roadmap_page_lists_tasks_flags_and_comments(monkeypatch, demo_db, lang, title):
    at = run_app(monkeypatch, demo_db, lang=lang, page="views/roadmap.py")
    assert at.title[0].value == title
    assert len(wide_charts(at)) == 1  # the timeline (and its phone drawing)
    flags = [e.label for e in at.expander]
    assert any(label.endswith("(1)") for label in flags)
    assert {"roadmap_xlsx", "roadmap_docx"} <= {b.key for b in at.get("download_button")}
    at.multiselect(key="roadmap_area").set_value(["transport"]).run()
    assert not at.exception, at.exception
    at.selectbox(key="roadmap_task").set_value("SGTVT-01").run()
    detail = next(d.value for d in at.dataframe if t("roadmap.col_field", lang) in d.value.columns)
    assert "SGTVT-01" in set(detail.iloc[:, 1])


def test_the_roadmap_timeline_shows_its_tasks_a_page_at_a_time_in_its_order(monkeypatch, demo_db):
    from sca_metrics.method import roadmap
    from views import widgets

    monkeypatch.setattr(widgets, "PAGE_BARS", 10)
    at = run_app(monkeypatch, demo_db, page="views/roadmap.py")
    con = schema.connect(demo_db)
    ordered = [k.code for k in roadmap.timeline(roadmap.tasks_from_frame(queries.plan_tasks(con, "2026")))]
    con.close()

    def bars(at) -> list[str]:
        spec = json.loads(wide_charts(at)[0].proto.spec)
        return sorted(c for trace in spec["data"] for c in trace.get("customdata") or [])

    assert len(ordered) == 16 and bars(at) == sorted(ordered[:10])
    assert "Nhiệm vụ 1–10 trên 16." in texts(at)
    at.number_input(key="roadmap_timeline_page").set_value(2).run()
    assert bars(at) == sorted(ordered[10:]) and "Nhiệm vụ 11–16 trên 16." in texts(at)


@pytest.mark.parametrize(("lang", "capped", "beside"), [
    ("vi", "Mức (giới hạn theo nền tảng)", "⚠ Cao hơn 1 mức: Trung tâm điều hành mới ở mức 3"),
    ("en", "Level (capped by the foundations)", "⚠ 1 level above: Operations centres is at level 3")])
def test_the_roadmap_shows_domains_ahead_of_their_foundations_and_the_cap(monkeypatch, demo_db, lang, capped,
                                                                       beside):
    """2025 in the demo: the operations centres at level 3, e-government at 4."""
    at = run_app(monkeypatch, demo_db, lang=lang, page="views/roadmap.py")
    at.selectbox(key="roadmap_period").set_value("2025").run()
    against = t("roadmap.col_foundations", lang)
    table = next(d.value for d in at.dataframe if against in d.value.columns)
    assert capped not in table.columns and list(table.columns).index(against) == len(table.columns) - 1
    rows = table.set_index(table.columns[0])
    egov = vocabulary.domain_name("egov", lang)
    assert rows.loc[egov, against] == beside and rows.iloc[:, 1][egov].startswith("4 — ")
    assert not any(str(v).startswith("⚠") for v in rows.iloc[:3][against])  # the layers themselves
    at.toggle(key="roadmap_cap").set_value(True).run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if capped in d.value.columns)
    rows = table.set_index(table.columns[0])
    level = rows.columns[1]
    assert list(rows.columns[1:3]) == [level, capped]  # side by side
    assert rows.loc[egov, level].startswith("4 — ") and rows.loc[egov, capped].startswith("3 — ")
    health = vocabulary.domain_name("health", lang)
    assert rows.loc[health, level] == rows.loc[health, capped]


def test_an_administrator_records_a_response_to_a_comment(monkeypatch, demo_db, tmp_path):
    """What is saved is what the form shows: a refused save keeps the choice and the text (the
    form used to reset to «Tiếp thu», and the explanation typed next was stored as accepted)."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, db)
    at = run_app(monkeypatch, db, page="views/roadmap.py")
    comments = at.dataframe[-1].value
    assert set(comments["Tiếp thu / giải trình"]) == {"Tiếp thu", "Giải trình"}
    con = schema.connect(db)
    mine = queries.plan_comments(con, "2026").set_index("department").loc["SGDDT"]
    con.close()
    at.selectbox(key="roadmap_comment").set_value((int(mine.submission_id), int(mine.sheet_row))).run()
    assert at.radio(key="roadmap_response").value == "accepted"  # its current response, preselected
    at.radio(key="roadmap_response").set_value("explained")
    at.button(key="roadmap_save").click().run()  # an explanation is required: refused, nothing saved
    assert any("Nhập nội dung giải trình" in e.value for e in at.error)
    assert at.radio(key="roadmap_response").value == "explained"  # the choice kept
    pasted = "Đã có \u202etrong\x1b[2J Đề án"  # a text-direction override and an escape, pasted
    at.text_area(key="roadmap_explanation").set_value(pasted)
    at.button(key="roadmap_save").click().run()  # the intake policy: refused, the field named, kept
    said = [e.value.replace("\\", "") for e in at.error]  # shown as a Markdown literal
    assert any("Nội dung giải trình có ký tự điều khiển" in e and "U+202E" in e for e in said), said
    assert at.text_area(key="roadmap_explanation").value == pasted
    at.text_area(key="roadmap_explanation").set_value("Đã có trong Đề án ngành")
    at.button(key="roadmap_save").click().run()
    assert not at.exception, at.exception
    assert "Đã ghi nhận «Giải trình»" in at.success[0].value
    con = schema.connect(db)
    stored = queries.plan_comments(con, "2026").set_index("department")
    con.close()
    assert stored.loc["SGDDT", "response"] == "explained"
    assert stored.loc["SGDDT", "explanation"] == "Đã có trong Đề án ngành"
    assert "Đã có trong Đề án ngành" in set(at.dataframe[-1].value["Nội dung giải trình"])


def test_whatif_geometric_mean_is_an_explicit_choice_per_tier(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, lang="en", page="views/whatif.py")
    for tier in ("cell", "domain", "overall"):
        at.selectbox(key=f"whatif_method_{tier}").set_value("geometric").run()
    assert not at.exception, at.exception
    table = at.dataframe[-1].value
    assert (table["Difference"] <= 1e-9).all()  # a geometric mean never exceeds the arithmetic
    assert (table["Difference"] < -1e-6).any()
    assert "3 settings differ from the default scheme." in texts(at)


def test_whatif_downloads_the_scheme_it_shows_and_loads_one(monkeypatch, demo_db):
    """The download is the scheme on screen (read back, it has its hash); a loaded scheme
    sets the controls; a broken one is refused naming the key, and changes nothing."""
    from sca_metrics.method import scheme
    from sca_metrics.method.scoring import Options

    at = run_app(monkeypatch, demo_db, lang="en", page="views/whatif.py")
    assert f"sca-default · hash {Options().fingerprint}" in plain(texts(at))
    at.select_slider(key="w_driver_policy").set_value(2.0).run()
    shown = Options(driver_weights={"policy": 2.0}, name="sca-default-whatif")
    assert f"sca-default-whatif · hash {shown.fingerprint}" in plain(texts(at))
    mine = scheme.dump(Options(name="policy-first", driver_weights={"policy": 2.5},
                               domain_weights={"health": 0.25}, method="geometric"))
    uploader = at.file_uploader(key="whatif_scheme_file")
    uploader.set_value(("mine.toml", mine.encode(), "application/toml")).run()
    assert not at.exception, at.exception
    assert "Scheme «policy-first» loaded" in plain("\n".join(e.value for e in at.success))
    assert at.select_slider(key="w_driver_policy").value == 2.5
    assert at.select_slider(key="w_domain_health").value == 0.25
    assert at.selectbox(key="whatif_method_domain").value == "geometric"
    loaded = scheme.parse(mine)
    assert f"policy-first · hash {loaded.fingerprint}" in plain(texts(at))
    broken = mine.replace("policy = 2.5", "polcy = 2.5")
    uploader = at.file_uploader(key="whatif_scheme_file")
    uploader.set_value(("bad.toml", broken.encode(), "application/toml")).run()
    errors = "\n".join(e.value for e in at.error)
    assert "tiers[2].weights.polcy" in plain(errors)
    assert at.select_slider(key="w_driver_policy").value == 2.5  # nothing changed


def test_method_page_explains_and_filters_the_catalog(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page="views/method.py")
    assert at.title[0].value == "Phương pháp và danh mục chỉ số"
    assert "Cách tính điểm sẵn sàng" in texts(at)
    total = len(default_catalog().indicators)
    assert f"{total} / {total} chỉ số." in texts(at)
    at.multiselect(key="cat_domain").set_value(["health"]).run()
    at.multiselect(key="cat_driver").set_value(["technology"]).run()
    shown = at.dataframe[-1].value
    expected = [i.code for i in default_catalog().indicators
                if i.domain == "health" and i.driver == "technology"]
    assert list(shown["Mã"]) == expected
    at.text_input(key="cat_search").set_value("HLT.T1").run()
    assert list(at.dataframe[-1].value["Mã"]) == ["HLT.T1"]
    # goalposts and targets as indicators are written: yes/no and levels in words, no ",00"
    at.text_input(key="cat_search").set_value("").run()
    at.multiselect(key="cat_domain").set_value([]).run()
    at.multiselect(key="cat_driver").set_value([]).run()
    catalog = at.dataframe[-1].value
    assert len(catalog) == 50 and f"Dòng 1–50 trên {total}." in texts(at)  # a page at a time
    kinds = {i.code: i.kind for i in default_catalog().indicators}
    written = [(kinds[code], v) for code, *row in catalog[["Mã", "Ngưỡng kém nhất", "Ngưỡng tốt nhất",
                                                           "Mục tiêu 2025", "Mục tiêu 2030"]].itertuples(
        index=False) for v in row]
    assert {v for k, v in written if k == "yesno"} <= {"Có", "Không", "–"}
    assert all(v.startswith("Mức ") or v == "–" for k, v in written if k == "level")
    assert not [v for _, v in written if v.endswith(",00")]


def test_method_page_in_english(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, lang="en", page="views/method.py")
    assert at.title[0].value == "Method and indicator catalog"
    assert "How the readiness scores are computed" in texts(at)
    assert "Data audit" in [e.label for e in at.expander]
    assert "Indicators to review" not in texts(at)  # the audit runs only when opened
    at.session_state["method_audit"] = True
    at.run()
    assert not at.exception, at.exception
    assert "Indicators to review across 9 periods" in texts(at)
    said = [c.value for c in at.caption if "of indicators among" in c.value]
    assert said and said[0].endswith("pairs in the same cell (the strongest first).")


def test_overview_shows_the_radar_and_foundations(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page="views/overview.py")
    keys = [c.key for c in at.get("plotly_chart")]
    assert keys == [f"overview_{name}{phone}" for name in ("heatmap", "ranking", "radar")
                    for phone in ("", "_phone")]
    assert "Nền tảng" in [h.value for h in at.subheader]
    assert at.button[0].label == "Xem chi tiết nền tảng"
    # AppTest does not follow st.switch_page; the jump itself is checked in a real browser.


@pytest.fixture
def own_demo_db(demo_db, tmp_path):
    """A copy of the demo database this test may write to."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    return path


def upload_page(monkeypatch, db, department="SYT", period="2024", lang=None):
    at = run_app(monkeypatch, db, lang=lang, page="views/upload.py")
    at.selectbox(key="up_department").set_value(department)
    at.selectbox(key="up_period").set_value(period).run()
    assert not at.exception, at.exception
    return at


def plan_in(db, dept="SYT", period="2024"):
    """The department's plan in a database, as its downloaded template carries it."""
    with schema.connect(db) as con:
        return current_plan(con, dept, period)


def test_a_return_that_would_remove_the_departments_tasks_asks_first(monkeypatch, own_demo_db):
    """The template a department downloaded had an empty tasks sheet: a corrected return uploaded
    as downloaded replaced SYT's plan (SYT-02 went from done to in progress). The preview now
    says what the roadmap will show differently, and saving needs an explicit confirmation."""
    catalog = default_catalog()
    at = upload_page(monkeypatch, own_demo_db, period="2026")
    with schema.connect(own_demo_db) as con:
        before = schema.table_counts(con)
    at.file_uploader[0].set_value(("cũ.xlsx", valid_return(catalog, "SYT", "2026"), XLSX)).run()
    assert not at.exception, at.exception
    assert any("sẽ bỏ cả 3 nhiệm vụ đó" in w.value for w in at.warning)
    plan = next(d.value for d in at.dataframe if "Mã nhiệm vụ / phần" in d.value.columns)
    syt02 = plan.set_index("Mã nhiệm vụ / phần").loc["SYT-02"]
    assert syt02["Thay đổi"] == "Thay đổi"
    assert syt02["Thay đổi gì (trước → sau)"] == "Tình trạng: Hoàn thành → Đang triển khai"
    assert at.button(key="up_confirm").disabled  # not without the confirmation
    box = next(c for c in at.checkbox if c.key.startswith("up_remove_plan"))
    assert box.label == "Tôi xác nhận: báo cáo này bỏ 3 nhiệm vụ của kỳ 2026"
    with schema.connect(own_demo_db) as con:
        assert schema.table_counts(con) == before
    box.check().run()
    at.button(key="up_confirm").click().run()
    assert not at.exception, at.exception
    assert "phiên bản" in at.success[0].value
    with schema.connect(own_demo_db) as con:
        assert queries.plan_tasks(con, "2026", "SYT").period.unique().tolist() == ["2025"]  # the plan before


def domain_score(monkeypatch, db, domain, period):
    monkeypatch.setenv("SCA_DB", str(db))
    settings.reload()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"period": period, "domain": domain})
    at.switch_page("views/domain.py").run()
    assert not at.exception, at.exception
    return at.metric[0].value


def test_an_uploaded_file_is_checked_once_not_at_every_rerun(monkeypatch, own_demo_db):
    """The upload page checked the file again at every rerun while the person read the preview
    (47 s of a hostile file's preview each time, issue 29): now once per upload."""
    from sca_metrics.intake import ingest

    catalog = default_catalog()
    calls = []
    original = ingest.check_bytes
    monkeypatch.setattr(ingest, "check_bytes", lambda *a, **k: calls.append(1) or original(*a, **k))
    at = upload_page(monkeypatch, own_demo_db)
    data = to_bytes(fill(template(catalog, "SYT", "2024", plan_in(own_demo_db)), {"HLT.T1": 5}))
    at.file_uploader[0].set_value(("DTTM_SYT_2024.xlsx", data, XLSX)).run()
    assert not at.exception and "Tệp hợp lệ" in at.success[0].value
    at.run()
    at.run()  # the person reads the preview; the page reruns
    assert len(calls) == 1


def test_upload_a_valid_return_previews_changes_then_saves_and_every_page_updates(
        monkeypatch, own_demo_db):
    catalog = default_catalog()
    before = domain_score(monkeypatch, own_demo_db, "health", "2024")
    at = upload_page(monkeypatch, own_demo_db)
    assert at.title[0].value == "Nộp báo cáo và tải mẫu phiếu"
    assert [b.label for b in at.get("download_button")][0] == "Tải mẫu phiếu (.xlsx)"
    values = {i.code: i.best for i in catalog.for_department("SYT") if i.kind in ("number", "percent")}
    data = to_bytes(fill(template(catalog, "SYT", "2024", plan_in(own_demo_db)), values))
    at.file_uploader[0].set_value(("DTTM_SYT_2024.xlsx", data, XLSX)).run()
    assert not at.exception, at.exception
    assert "Tệp hợp lệ" in at.success[0].value
    assert "phiên bản 2" in texts(at)  # the current demo version it will supersede
    preview = next(d.value for d in at.dataframe if "Giá trị mới" in d.value.columns)
    assert set(preview["Thay đổi"]) <= {"Thay đổi", "Bị xoá", "Mới"} and len(preview)
    # the plan it carries is the department's: nothing changes in it, and the page says so
    assert "Nhiệm vụ — mới: 0 · thay đổi: 0 · bị bỏ: 0 · không đổi: 3" in texts(at)
    assert not at.checkbox and not at.button(key="up_confirm").disabled
    with schema.connect(own_demo_db) as con:
        counts = schema.table_counts(con)
    at.button(key="up_confirm").click().run()
    assert not at.exception, at.exception
    assert "phiên bản 3" in at.success[0].value
    assert not at.file_uploader[0].value  # a fresh uploader for the next file
    with schema.connect(own_demo_db) as con:
        assert schema.table_counts(con)["submissions"] == counts["submissions"] + 1
        current = queries.submissions(con, "SYT", "2024")
    assert list(current.status) == ["superseded", "superseded", "current"]
    assert domain_score(monkeypatch, own_demo_db, "health", "2024") != before


def test_upload_an_invalid_return_lists_located_errors_and_stores_nothing(monkeypatch, own_demo_db):
    catalog = default_catalog()
    wb = fill(template(catalog, "SYT", "2024"), {"HLT.T1": "nhiều", "HLT.R1": 12})
    bad_cell = f"G{row_of(wb, 'HLT.T1')}"
    with schema.connect(own_demo_db) as con:
        counts = schema.table_counts(con)
    at = upload_page(monkeypatch, own_demo_db, lang="en")
    at.file_uploader[0].set_value(("syt.xlsx", to_bytes(wb), XLSX)).run()
    assert not at.exception, at.exception
    assert "was not accepted" in at.error[0].value and "Nothing was stored" in at.error[0].value
    problems = at.dataframe[-1].value
    row = problems[problems["Cell"] == bad_cell].iloc[0]
    assert row["Value in the file"] == "nhiều" and "not a number" in row["Problem"]
    assert row["Location"].endswith(f"!{bad_cell}")
    assert not [b for b in at.button if b.key == "up_confirm"]
    with schema.connect(own_demo_db) as con:
        assert schema.table_counts(con) == counts


def test_upload_of_another_departments_file_is_refused(monkeypatch, own_demo_db):
    catalog = default_catalog()
    at = upload_page(monkeypatch, own_demo_db, department="SGTVT")
    at.file_uploader[0].set_value(("syt.xlsx", valid_return(catalog, "SYT", "2024"), XLSX)).run()
    assert "chưa được nhận" in at.error[0].value
    assert any("SYT" in m and "SGTVT" in m for m in at.dataframe[-1].value["Nội dung lỗi"])


@pytest.mark.parametrize("page", ["domain", "pilot", "whatif", "submissions"])
def test_score_pages_on_an_empty_database_say_how_to_start(monkeypatch, tmp_path, page):
    at = run_app(monkeypatch, tmp_path / "empty.duckdb", page=f"views/{page}.py")
    assert "chưa có báo cáo nào" in at.info[0].value


@pytest.mark.parametrize("page", ["upload", "method"])
def test_upload_and_method_work_on_an_empty_database(monkeypatch, tmp_path, page):
    at = run_app(monkeypatch, tmp_path / "empty.duckdb", page=f"views/{page}.py")
    assert at.title[0].value and not at.main.info


def test_exports_page_lists_the_pack_and_offers_every_download(monkeypatch, demo_db, no_packs):
    at = run_app(monkeypatch, demo_db, page="views/exports.py")
    assert at.title[0].value == "Bộ báo cáo và xuất dữ liệu"
    labels = [b.label for b in at.get("download_button")]
    # the pack is built when asked for (its steps shown), then downloaded
    assert [b.label for b in at.button] == ["Tạo bộ báo cáo"] and labels[0] == "Tải báo cáo (.docx)"
    assert {"Excel (.xlsx, 5 trang tính)", "CSV điểm", "CSV theo phường, xã"} <= set(labels)
    assert "Y tế đạt " not in texts(at)  # the slides are worked out when a section opens
    at.session_state["export_contents"] = True
    at.session_state["export_figures"] = True
    at.run()
    contents = texts(at)
    assert "Y tế đạt " in contents and "27 trang, 24 biểu đồ" in contents
    assert {"PNG", "SVG", "PDF"} <= {b.label for b in at.get("download_button")}
    at.selectbox(key="export_figure").set_value("domain_health").run()
    assert not at.exception, at.exception


def test_the_pack_is_built_on_a_click_its_steps_shown_then_kept_for_its_downloads(monkeypatch, demo_db,
                                                                                  no_packs):
    from views import cached

    at = run_app(monkeypatch, demo_db, page="views/exports.py")
    at.button(key="pack_build").click().run()
    assert not at.exception, at.exception
    [status] = at.status
    assert status.state == "complete" and status.label.startswith("Bộ báo cáo kỳ 2026 đã sẵn sàng (")
    downloads = {b.label: b for b in at.get("download_button")}
    assert list(downloads)[:3] == ["Tải bộ báo cáo (PowerPoint + PDF, .zip)", "Chỉ PowerPoint (.pptx)",
                                   "Chỉ PDF"]
    assert not at.button  # built: no second build
    [pack] = [p for k, p in cached.packs().items() if k[2:4] == ("2026", "vi")]
    assert pack.pdf.startswith(b"%PDF") and len(pack.images) == 24
    at.run()  # kept: the next run offers the files made, without building again
    assert not at.button and downloads["Chỉ PDF"].proto.default == at.get("download_button")[2].proto.default


def test_a_bad_letterhead_file_is_said_and_turns_the_report_off(monkeypatch, demo_db, tmp_path, no_packs):
    bad = tmp_path / "letterhead.toml"
    bad.write_text('recipients_vi = "Lưu: VT"\n', encoding="utf-8")
    monkeypatch.setenv("SCA_REPORT_FILE", str(bad))
    settings.reload()
    at = run_app(monkeypatch, demo_db, page="views/exports.py")
    assert f"Tệp tiêu đề báo cáo {bad}: 'recipients_vi' phải là danh sách" in at.error[0].value
    report = next(b for b in at.get("download_button") if b.label == "Tải báo cáo (.docx)")
    assert report.proto.disabled
    assert not at.button(key="pack_build").disabled


def test_without_chromium_every_page_works_and_says_how_to_enable_export(monkeypatch, demo_db, no_packs):
    monkeypatch.setenv("SCA_CHROMIUM", "/nonexistent/chromium")
    settings.reload()
    at = run_app(monkeypatch, demo_db, lang="en", page="views/exports.py")
    assert "apt-get install chromium fonts-noto-core" in at.warning[-1].value
    assert at.button(key="pack_build").disabled  # the pack's, and the report's download
    report = next(b for b in at.get("download_button") if b.label == "Download the report (.docx)")
    assert report.proto.disabled
    overview = run_app(monkeypatch, demo_db, lang="en")
    assert "SCA_CHROMIUM" not in texts(overview)  # a popover's content is made when it opens
    overview.session_state["overview_heatmap_export"] = True  # the heatmap's export popover
    overview.run()
    assert "SCA_CHROMIUM" in texts(overview)


def test_pilot_page_cards_series_and_wards_in_either_unit_system(monkeypatch, demo_db):
    from sca_metrics.method import progress
    from sca_metrics.snapshot import observation_frame

    at = run_app(monkeypatch, demo_db, page="views/pilot.py")
    assert at.title[0].value == "Thí điểm Vũng Tàu"
    assert at.selectbox(key="pilot_period").value == "2026"
    assert "Nghị quyết số 202/2025/QH15 ngày 12/6/2025" in texts(at)
    # one card per pilot indicator; its status is the one the method computes
    catalog = default_catalog()
    codes = [i.code for i in catalog.indicators if i.pilot]
    con = schema.connect(demo_db)  # the app holds it read-write in this process: the same handle
    prog = progress.progress_frame(catalog, observation_frame(con), "2026", codes)
    con.close()
    assert len(at.metric) == len(codes)
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    for status in prog.status:
        name = vocabulary.term(vocabulary.PROGRESS_STATUSES, status).vi
        assert any(name in b for b in badges), name
    # only the open tab runs: the series first, then progress (chart and table), then wards
    assert [t.label for t in at.tabs] == ["Diễn biến và mục tiêu", "Tiến độ đến mục tiêu", "Theo phường, xã"]
    assert len(wide_charts(at)) == 1 and not at.dataframe  # the series (and its phone drawing)
    at.query_params["tab"] = "progress"  # as the tab clicked writes it
    at.run()
    assert len(wide_charts(at)) == 1 and not at.dataframe  # the table: only when opened
    at.session_state["pilot_progress_2026_data"] = True
    at.run()
    table = at.dataframe[0].value
    assert list(table["Mã"]) == list(prog.code)
    # values written as the domain page writes them (they showed as 81.5 — a dot — and the rates
    # as fractions): decimals by the indicator, a comma; the rates in % a year
    for col in ("Giá trị kỳ gốc", "Giá trị", "Mục tiêu"):
        assert all(re.fullmatch(r"[\d.]+(,\d)?|–", v) for v in table[col]), list(table[col])
    assert "Tốc độ thực tế (%/năm)" in table.columns and "Đơn vị tính" in table.columns
    rates = table["Tốc độ thực tế (%/năm)"].dropna()
    assert (rates.abs() > 1).any()  # percent, not a fraction
    at.query_params["tab"] = "wards"  # as the tab clicked writes it
    at.run()
    assert len(wide_charts(at)) == 2  # ward bars, ward series
    # the former wards cannot show 2026: the page says the new wards are never split back
    at.radio(key="pilot_system").set_value("former").run()
    assert not at.exception, at.exception
    assert "không thể chia ngược về phường, xã cũ" in at.info[0].value
    assert len(wide_charts(at)) == 1
    # 2024 in the former wards: 17 bars
    at.selectbox(key="pilot_period").set_value("2024").run()
    assert not at.main.info and len(wide_charts(at)) == 2
    specs = [json.loads(c.proto.spec) for c in wide_charts(at)]
    [bars] = [s for s in specs if "so sánh phường, xã cũ" in s["layout"]["title"]["text"]]
    assert len(bars["data"][0]["y"]) == 17 and "Phường Thắng Nhất" in bars["data"][0]["y"]


def test_pilot_page_shows_its_cards_small_charts_and_bars_a_page_at_a_time(monkeypatch, demo_db):
    """With hundreds of pilot indicators (the demo at 34×) a rerun drew every card and a figure
    of every panel; now PAGE_ITEMS at a time (four here, of the demo's seven)."""
    from sca_metrics.method import progress
    from sca_metrics.outputs import pilot_figures
    from views import widgets

    monkeypatch.setattr(widgets, "PAGE_ITEMS", 4)
    at = run_app(monkeypatch, demo_db, page="views/pilot.py")
    catalog = default_catalog()
    codes = [i.code for i in catalog.indicators if i.pilot]
    assert len(codes) == 7
    shown = [c for c in codes if any(catalog.indicator(c).name("vi") == m.label for m in at.metric)]
    assert len(at.metric) == 4 and shown == codes[:4] and "Chỉ tiêu 1–4 trên 7." in texts(at)

    def panels(at) -> list[str]:  # the small charts' titles, from the figure sent
        spec = json.loads(wide_charts(at)[0].proto.spec)
        return [a["text"].replace("<br>", " ") for a in spec["layout"]["annotations"] if "<span" in a["text"]]

    def named(titles: list[str], some: list[str]) -> bool:
        return len(titles) == len(some) and all(
            title.startswith(catalog.indicator(c).short_name("vi") + " (")
            for title, c in zip(titles, some, strict=True))

    assert named(panels(at), codes[:4])
    at.number_input(key="pilot_cards_page").set_value(2).run()
    at.number_input(key="pilot_series_page").set_value(2).run()
    assert not at.exception, at.exception
    assert len(at.metric) == 3 and "Chỉ tiêu 5–7 trên 7." in texts(at)
    assert named(panels(at), codes[4:])
    # the bars page in the figure's own order (furthest behind first), not the catalog's
    at.query_params["tab"] = "progress"  # as the tab clicked writes it
    at.run()
    prog = pilot_figures.by_status(progress.progress_frame(catalog, _observations(demo_db), "2026", codes))
    ordered = [catalog.indicator(c).short_name("vi") for c in prog.code]

    def bars(at) -> list[str]:
        spec = json.loads(wide_charts(at)[0].proto.spec)
        return [y.replace("<br>", " ") for y in spec["data"][0]["y"]]

    assert bars(at) == ordered[:4]
    at.number_input(key="pilot_progress_page").set_value(2).run()
    assert bars(at) == ordered[4:]


def _observations(db):
    from sca_metrics.snapshot import observation_frame

    con = schema.connect(db)  # the app holds it read-write in this process: the same handle
    try:
        return observation_frame(con)
    finally:
        con.close()


def test_domain_page_shows_the_biggest_gaps_and_its_indicators_a_page_at_a_time(monkeypatch, demo_db):
    """A domain at national scale has hundreds of indicators: its gaps figure drew a bar for
    each (40 px apiece) and its table every row; now PAGE_BARS bars, PAGE_ROWS rows a page."""
    from sca_metrics.method.scoring import score_periods
    from sca_metrics.outputs import score_figures
    from views import widgets

    monkeypatch.setattr(widgets, "PAGE_BARS", 4)
    monkeypatch.setattr(widgets, "PAGE_ROWS", 5)
    at = run_app(monkeypatch, demo_db, page="views/domain.py")
    domain = at.selectbox(key="domain_picker").value
    scores = score_periods(default_catalog(), _observations(demo_db))["2026"]
    shares = score_figures.gap_shares(scores, domain)
    assert len(shares) > 8

    def gap_bars(at) -> list[str]:  # the indicator codes of the bars of the figure whose bars name them
        specs = [json.loads(c.proto.spec) for c in wide_charts(at)]
        [bars] = [[y.split(" · ")[0] for t in spec["data"] for y in t.get("y") or []] for spec in specs
                  if any(" · " in str(y) for t in spec["data"] for y in t.get("y") or [])]
        return sorted(bars)

    assert gap_bars(at) == sorted(shares.code[:4]) and len(at.dataframe[0].value) == 5
    at.number_input(key=next(n.key for n in at.number_input if n.key.startswith("domain_gaps_page"))
                    ).set_value(2).run()
    assert gap_bars(at) == sorted(shares.code[4:8])


def test_pilot_page_in_english(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, lang="en", page="views/pilot.py")
    assert at.title[0].value == "Vũng Tàu pilot"
    assert "Hồ Chí Minh City" in texts(at) and "1 July 2025" in texts(at)
    assert [t.label for t in at.tabs] == ["Series and targets", "Progress to targets", "By ward"]


def test_a_pilot_tab_link_made_in_vietnamese_opens_the_same_tab_in_english(monkeypatch, demo_db):
    monkeypatch.setenv("SCA_DB", str(demo_db))
    settings.reload()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(lang="en", tab="Theo phường, xã")  # a link of the label days
    at.run()
    at.switch_page("views/pilot.py").run()
    assert not at.exception, at.exception
    assert at.session_state["_tab_tabs"] == "By ward" and at.query_params["tab"] == "wards"
    assert at.radio(key="pilot_system").value == "current" and len(wide_charts(at)) == 2


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_pilot_tab_is_named_in_the_url_by_its_code_in_either_language(monkeypatch, demo_db, lang):
    """The link carried the tab's translated label (?tab=Theo%20ph%C6%B0%E1%BB%9Dng…): now the
    same code in either language."""
    monkeypatch.setenv("SCA_DB", str(demo_db))
    settings.reload()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(lang=lang, tab="progress")
    at.run()
    at.switch_page("views/pilot.py").run()
    assert not at.exception, at.exception
    assert at.session_state["_tab_tabs"] == t("pilot.tab_progress", lang)
    assert at.query_params["tab"] == "progress"


def test_upload_of_the_pilot_citys_ward_return(monkeypatch, own_demo_db):
    from tests.helpers import fill_wards, full_ward_values, ward_rows

    catalog = default_catalog()
    at = upload_page(monkeypatch, own_demo_db, department="UBNDVT", period="2026")
    wb = template(catalog, "UBNDVT", "2026")
    fill_wards(wb, full_ward_values(catalog, wb))
    at.file_uploader[0].set_value(("vt.xlsx", to_bytes(wb), XLSX)).run()
    assert not at.exception, at.exception
    assert "Tệp hợp lệ" in at.success[0].value
    preview = at.dataframe[-1].value
    assert set(preview["Phường, xã"]) == {"Phường Vũng Tàu", "Phường Tam Thắng", "Phường Rạch Dừa",
                                          "Phường Phước Thắng", "Xã Long Sơn"}
    assert len(preview) == 35 and set(preview["Thay đổi"]) == {"Thay đổi"}
    # the same file with a former ward: the located error names the new ward; nothing stored
    ws = wb["Theo phường, xã"]
    ws.cell(ward_rows(wb)["HCM-TAMTHANG"], 1).value = "VT-P07"
    with schema.connect(own_demo_db) as con:
        counts = schema.table_counts(con)
    at.file_uploader[0].set_value(("vt_old.xlsx", to_bytes(wb), XLSX)).run()
    problems = at.dataframe[-1].value
    row = problems[problems["Ô"] == "A6"].iloc[0]
    assert row["Vị trí"] == "Theo phường, xã!A6" and "Phường Tam Thắng" in row["Nội dung lỗi"]
    with schema.connect(own_demo_db) as con:
        assert schema.table_counts(con) == counts


def test_a_flood_of_problems_shows_the_first_ones_and_offers_them_all(monkeypatch, own_demo_db):
    """1,900 real errors from the largest sheet a return may have, listed in a capped table."""
    from sca_metrics.reference.problems import SHOWN
    from tests.helpers import flooded_return

    at = upload_page(monkeypatch, own_demo_db, lang="en")
    at.file_uploader[0].set_value(("flood.xlsx", flooded_return(default_catalog()), XLSX)).run()
    assert not at.exception, at.exception
    assert "1,900 errors" in at.error[0].value
    assert f"Showing the first {SHOWN} of 1,900 problems" in texts(at)
    assert len(at.dataframe[-1].value) == SHOWN
    labels = {b.label for b in at.get("download_button")}
    assert {"Download CSV", "Download Excel (.xlsx)"} <= labels


def test_fifty_thousand_problems_never_end_in_a_traceback(monkeypatch, own_demo_db):
    """The checker is made to report 50,000 errors (more than a bounded sheet can hold): the
    page still lists 200 of them (pandas' Styler limit was the traceback) and counts them all."""
    from sca_metrics.intake import ingest
    from sca_metrics.reference.problems import SHOWN, Problem
    from sca_metrics.store.records import CheckedReturn

    flood = [Problem("value_not_number", sheet="Chỉ số", cell=f"G{r}", value="x")
             for r in range(50_000)]
    monkeypatch.setattr(ingest, "check_bytes", lambda *a, **k: CheckedReturn(None, None, problems=flood))
    at = upload_page(monkeypatch, own_demo_db)
    at.file_uploader[0].set_value(("big.xlsx", b"PK", XLSX)).run()
    assert not at.exception, at.exception
    assert "50.000 lỗi" in at.error[0].value
    assert f"{SHOWN} trên tổng số 50.000" in texts(at)
    assert len(at.dataframe[-1].value) == SHOWN


def test_a_file_name_is_shown_as_typed_never_as_markdown(monkeypatch, own_demo_db):
    at = upload_page(monkeypatch, own_demo_db)
    name = "![x](http://127.0.0.1:9/t.png) **b**.xlsx"
    at.file_uploader[0].set_value((name, b"not a workbook", XLSX)).run()
    assert not at.exception, at.exception
    message = at.error[0].value
    assert r"«\!\[x\]\(http\:\/\/127\.0\.0\.1\:9\/t\.png\) \*\*b\*\*\.xlsx»" in message


# ---- the database fails: every page says what happened, nothing is lost ----

@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_database_is_named_with_how_to_recover(monkeypatch, own_demo_db, damage):
    data = own_demo_db.read_bytes()
    own_demo_db.write_bytes(b"not a database" * 1000 if damage == "garbage" else data[: len(data) // 2])
    shown = []
    for page in (None, "views/domain.py", "views/submissions.py"):
        shown.append(run_app(monkeypatch, own_demo_db, lang="en", page=page))
    at = run_app(monkeypatch, own_demo_db, lang="en", page="views/upload.py")
    if not at.error:  # a damaged end of the file is met once the page reads, when a file comes
        at.file_uploader[0].set_value(("r.xlsx", valid_return(default_catalog()), XLSX)).run()
    shown.append(at)
    for at in shown:
        assert not at.exception, at.exception
        message = plain(at.error[0].value)
        assert "is damaged" in message and own_demo_db.name in message
        assert "restore" in message


def test_a_read_only_database_shows_every_page_and_refuses_to_save(monkeypatch, own_demo_db):
    from sca_metrics.store import database
    from tests.helpers import read_only_view

    with read_only_view(own_demo_db.parent) as view:
        if view is None:  # no mounting here: os.access's answer for a read-only file is simulated
            view = own_demo_db.parent
            real = database.os.access
            monkeypatch.setattr(database.os, "access", lambda p, mode: False if mode == database.os.W_OK
                                else real(p, mode))
        db = view / own_demo_db.name
        for page in ("views/overview.py", "views/domain.py", "views/submissions.py"):
            at = run_app(monkeypatch, db, page=page)
            assert not at.error and at.metric, page
        at = upload_page(monkeypatch, db, lang="en")
        at.file_uploader[0].set_value(("r.xlsx", valid_return(default_catalog(), "SYT", "2024",
                                                              plan_in(own_demo_db)), XLSX)).run()
        assert "can only be read here" in plain(at.warning[-1].value)
        assert at.button(key="up_confirm").disabled


def test_a_full_disk_during_an_upload_says_so_and_saves_nothing(monkeypatch, own_demo_db):
    """The commit fails as DuckDB reports a full disk (simulated: AppTest runs in this
    process, where a tmpfs would fill for every test; the CLI test fills a real one)."""
    from sca_metrics.intake import ingest

    with schema.connect(own_demo_db) as con:
        before = schema.table_counts(con)
    at = upload_page(monkeypatch, own_demo_db, lang="en")
    at.file_uploader[0].set_value(("r.xlsx", valid_return(default_catalog(), "SYT", "2024",
                                                          plan_in(own_demo_db)), XLSX)).run()

    def full(con, *args, **kwargs):
        import duckdb
        raise duckdb.TransactionException(
            'TransactionContext Error: Failed to commit: Could not write file "x.wal": '
            "No space left on device")

    monkeypatch.setattr(ingest, "ingest_bytes", full)
    at.button(key="up_confirm").click().run()
    assert not at.exception, at.exception
    assert "disk holding" in plain(at.error[0].value) and "is full" in plain(at.error[0].value)
    with schema.connect(own_demo_db) as con:
        assert schema.table_counts(con) == before


def test_a_database_held_by_another_program_says_busy_and_try_again(monkeypatch, own_demo_db):
    """Another process (a long command-line batch) holds the file: the page waits its bounded
    time (1 s here), then says the database is busy, without a traceback."""
    import subprocess
    import sys

    from views import cached

    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); time.sleep(60)", str(own_demo_db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(cached, "SERVER_WAIT", 1.0)
        at = run_app(monkeypatch, own_demo_db, lang="en")
        assert "is in use by another program" in plain(at.error[0].value)
        assert "Try again" in plain(at.error[0].value)
    finally:
        holder.kill()
        holder.wait()
