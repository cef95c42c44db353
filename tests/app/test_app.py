"""AppTest: the app as a whole — language, an empty, damaged, read-only or busy database, and what
every page shares."""

import json

import pytest

from sca_metrics.outputs.exports import XLSX_MIME as XLSX
from sca_metrics.reference.catalog import default_catalog
from tests.app.pages import (
    plain,
    roadmap_in,
    run_app,
    upload_page,
    uploader,
)
from tests.helpers import valid_return


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


@pytest.mark.parametrize("page", ["views/method.py", "views/audit.py", "views/users.py"])
def test_every_multiselect_has_a_placeholder_in_the_language(monkeypatch, demo_db, page):
    """Streamlit's own placeholder is English ("Choose options") in the Vietnamese UI."""
    at = run_app(monkeypatch, demo_db, page=page)
    assert at.multiselect, page
    for box in at.multiselect:
        assert box.proto.placeholder and box.proto.placeholder != "Choose options", box.label


def test_the_chart_toolbar_saves_a_png_named_for_the_chart(monkeypatch, demo_db):
    """Every chart's camera button saved dttm_chart.png at three times the screen's size."""

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


@pytest.mark.parametrize("page", ["domain", "pilot", "whatif", "submissions"])
def test_score_pages_on_an_empty_database_say_how_to_start(monkeypatch, tmp_path, page):
    at = run_app(monkeypatch, tmp_path / "empty.duckdb", page=f"views/{page}.py")
    assert "chưa có báo cáo nào" in at.info[0].value


@pytest.mark.parametrize("page", ["upload", "method"])
def test_upload_and_method_work_on_an_empty_database(monkeypatch, tmp_path, page):
    at = run_app(monkeypatch, tmp_path / "empty.duckdb", page=f"views/{page}.py")
    assert at.title[0].value and not at.main.info


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_database_is_named_with_how_to_recover(monkeypatch, own_demo_db, damage):
    data = own_demo_db.read_bytes()
    own_demo_db.write_bytes(b"not a database" * 1000 if damage == "garbage" else data[: len(data) // 2])
    shown = []
    for page in (None, "views/domain.py", "views/submissions.py"):
        shown.append(run_app(monkeypatch, own_demo_db, lang="en", page=page))
    at = run_app(monkeypatch, own_demo_db, lang="en", page="views/upload.py")
    if not at.error:  # a damaged end of the file is met once the page reads, when a file comes
        uploader(at).set_value(("r.xlsx", valid_return(default_catalog()), XLSX)).run()
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
        uploader(at).set_value(("r.xlsx", valid_return(default_catalog(), "SYT", "2024",
                                                              roadmap_in(own_demo_db)), XLSX)).run()
        assert "can only be read here" in plain(at.warning[-1].value)
        assert at.button(key="up_confirm").disabled


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
