"""AppTest: the Vũng Tàu pilot page — cards, series, progress and the wards in either unit system."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from sca_metrics import settings
from sca_metrics.outputs.exports import XLSX_MIME as XLSX
from sca_metrics.reference import vocabulary
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.reference.i18n import t
from sca_metrics.settings import ROOT
from sca_metrics.store import schema
from tests.app.pages import (
    _observations,
    run_app,
    texts,
    upload_page,
    uploader,
    wide_charts,
)
from tests.helpers import template, to_bytes


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
    uploader(at).set_value(("vt.xlsx", to_bytes(wb), XLSX)).run()
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
    uploader(at).set_value(("vt_old.xlsx", to_bytes(wb), XLSX)).run()
    problems = at.dataframe[-1].value
    row = problems[problems["Ô"] == "A6"].iloc[0]
    assert row["Vị trí"] == "Theo phường, xã!A6" and "Phường Tam Thắng" in row["Nội dung lỗi"]
    with schema.connect(own_demo_db) as con:
        assert schema.table_counts(con) == counts
