"""What the page tests share: the app run on a database, at a page, and its texts read as a
reader would."""

import re

from streamlit.testing.v1 import AppTest

from sca_metrics import settings
from sca_metrics.settings import ROOT
from sca_metrics.store import schema
from tests.helpers import current_roadmap


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


def qp(at, name):
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def upload_page(monkeypatch, db, department="SYT", period="2024", lang=None):
    at = run_app(monkeypatch, db, lang=lang, page="views/upload.py")
    at.selectbox(key="up_department").set_value(department)
    at.selectbox(key="up_period").set_value(period).run()
    assert not at.exception, at.exception
    return at


def roadmap_in(db, dept="SYT", period="2024"):
    """The department's plan in a database, as its downloaded template carries it."""
    with schema.connect(db) as con:
        return current_roadmap(con, dept, period)


def domain_score(monkeypatch, db, domain, period):
    monkeypatch.setenv("SCA_DB", str(db))
    settings.reload()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"period": period, "domain": domain})
    at.switch_page("views/domain.py").run()
    assert not at.exception, at.exception
    return at.metric[0].value


def _observations(db):
    from sca_metrics.snapshot import observation_frame

    con = schema.connect(db)  # the app holds it read-write in this process: the same handle
    try:
        return observation_frame(con)
    finally:
        con.close()


def uploader(at):
    """The upload page's file box, by its key (a new one after each save: `upload_attempt`)."""
    attempt = at.session_state["upload_attempt"] if "upload_attempt" in at.session_state else 0
    return at.file_uploader(key=f"upload_file_{attempt}")
