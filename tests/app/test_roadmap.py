"""AppTest: the Roadmap page — tasks, flags, foundations and the answers to comments."""

import json
import shutil

import pytest

from sca_metrics.reference import vocabulary
from sca_metrics.reference.i18n import t
from sca_metrics.store import queries, schema
from tests.app.pages import (
    run_app,
    texts,
    wide_charts,
)


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
    ordered = [k.code for k in roadmap.timeline(roadmap.tasks_from_frame(queries.roadmap_tasks(con, "2026")))]
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
    mine = queries.roadmap_comments(con, "2026").set_index("department").loc["SGDDT"]
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
    stored = queries.roadmap_comments(con, "2026").set_index("department")
    con.close()
    assert stored.loc["SGDDT", "response"] == "explained"
    assert stored.loc["SGDDT", "explanation"] == "Đã có trong Đề án ngành"
    assert "Đã có trong Đề án ngành" in set(at.dataframe[-1].value["Nội dung giải trình"])
