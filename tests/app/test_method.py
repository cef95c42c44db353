"""AppTest: the Method & catalog page."""



from sca_metrics.reference.catalog import default_catalog
from tests.app.pages import (
    run_app,
    texts,
)


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
