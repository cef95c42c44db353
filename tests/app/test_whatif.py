"""AppTest: the What-if page — weights, means, coverage, schemes loaded, linked and downloaded."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from sca_metrics import settings
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.settings import ROOT
from tests.app.pages import (
    plain,
    run_app,
    texts,
)


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
