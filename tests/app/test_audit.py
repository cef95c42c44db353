"""AppTest: the Audit page."""



from sca_metrics.reference.i18n import t
from sca_metrics.store import queries, schema
from tests.app.pages import run_app, texts


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
