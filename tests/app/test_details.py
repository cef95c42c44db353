"""The smaller things a new official found: a count's change written with a decimal, a rise
without its "+", the role picker starting at administrator, a what-if scenario lost with its
address."""

from __future__ import annotations

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from sca_metrics import settings
from sca_metrics.reference import formatting
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.reference.i18n import t
from sca_metrics.settings import ROOT


def open_page(monkeypatch, db, page: str, lang: str = "vi", **params: str) -> AppTest:
    monkeypatch.setenv("SCA_DB", str(db))
    settings.reload()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(lang=lang, **params)
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def shown(element) -> list[list[str]]:
    """The texts a table draws (its Styler's display values)."""
    data = element.proto.arrow_data
    return pa.ipc.open_stream(data.styler.display_values).read_all().to_pandas().to_numpy().tolist()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_counts_change_is_whole_and_a_rates_keeps_its_decimal(monkeypatch, demo_data, lang):
    """A count read "+140,0 so với 2025" on the pilot's cards."""
    at = open_page(monkeypatch, demo_data[0], "pilot", lang, period="2026")
    catalog = default_catalog()
    cards = {m.label: m for m in at.metric}
    counted = [i for i in catalog.indicators if i.pilot and i.kind == "number" and i.aggregation == "sum"]
    assert counted
    decimal = "," if lang == "vi" else "."
    changes = 0
    for ind in counted:
        card = cards[ind.name(lang)]
        assert decimal not in card.value, card.value  # 1.301 cameras (1,301 in English)
        if card.proto.delta:
            number = card.proto.delta.split(" ")[0]
            assert number[0] in "+-±" and decimal not in number, card.proto.delta
            changes += 1
    assert changes
    rates = [i for i in catalog.indicators if i.pilot and i.kind == "percent"]
    deltas = [cards[i.name(lang)].proto.delta for i in rates if cards[i.name(lang)].proto.delta]
    assert deltas and all(decimal in d.split(" ")[0] for d in deltas)


def test_a_change_in_a_table_carries_its_sign(monkeypatch, demo_data):
    """The overview's change column read 5,2 for a rise (and −3,1 for a fall): now +5,2."""
    at = open_page(monkeypatch, demo_data[0], "overview")
    at.session_state["overview_2026_data"] = True
    at.run()
    table = next(d for d in at.dataframe if t("overview.col_change", "vi") in d.value.columns)
    column = list(table.value.columns).index(t("overview.col_change", "vi"))
    changes = [row[column] for row in shown(table)]
    raw = table.value[t("overview.col_change", "vi")]
    assert any(v > 0 for v in raw.dropna())
    for value, text in zip(raw, changes, strict=True):
        if value == value and round(value, 1) > 0:
            assert text.startswith("+"), text
        elif value == value and round(value, 1) < 0:
            assert text.startswith("−"), text


def test_signed_numbers_read_as_changes():
    assert formatting.signed(5.24, "vi") == "+5,2"
    assert formatting.signed(-3.06, "vi") == "−3,1"
    assert formatting.signed(0.04, "en") == "±0.0"
    assert formatting.signed(1234.5, "en", 0) == "+1,234" and formatting.signed(None, "vi") == "–"


def test_the_role_picker_starts_at_the_least_role(monkeypatch, demo_data, tmp_path):
    """It started at administrator: a grant in a hurry gave everything."""
    import shutil

    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_data[0], db)
    at = open_page(monkeypatch, db, "users")
    assert at.radio(key="grant_role").value == "viewer"


def test_a_whatif_scenario_lives_in_its_address(monkeypatch, demo_data):
    """Moved sliders were lost with the address: a link now opens the same scenario."""
    at = open_page(monkeypatch, demo_data[0], "whatif")
    assert "scheme" not in at.query_params  # the default scheme: nothing to carry
    at.select_slider(key="w_driver_technology").set_value(2.0).run()
    at.select_slider(key="w_domain_health").set_value(0.5).run()
    address = at.query_params["scheme"]
    address = address[0] if isinstance(address, list) else address
    assert len(address) < 1000
    delta = at.metric[0].proto.delta
    assert delta and delta[0] in "+-±" and delta.endswith("so với phương án mặc định")
    other = open_page(monkeypatch, demo_data[0], "whatif", scheme=address)
    assert other.select_slider(key="w_driver_technology").value == 2.0
    assert other.select_slider(key="w_domain_health").value == 0.5
    assert other.metric[0].value == at.metric[0].value
    other.button(key="whatif_reset").click().run()
    assert "scheme" not in other.query_params


@pytest.mark.parametrize("address", ["not-a-scheme", "eJzLSM3JyVcozy_KSQEAGgQEXQ", "A" * 9000])
def test_a_link_without_a_usable_scheme_says_so_and_changes_nothing(monkeypatch, demo_data, address):
    at = open_page(monkeypatch, demo_data[0], "whatif", scheme=address)
    assert at.select_slider(key="w_driver_technology").value == 1.0
    assert any("link" in e.value or "liên kết" in e.value or "phương án" in e.value for e in at.error)


def test_completeness_is_coloured_by_its_value(monkeypatch, demo_data):
    """The completeness bars were the theme's red, 100 % included."""
    import json

    at = open_page(monkeypatch, demo_data[0], "submissions", period="2026")
    table = next(d for d in at.dataframe if t("submissions.col_coverage", "vi") in d.value.columns)
    config = json.loads(table.proto.columns)[t("submissions.col_coverage", "vi")]["type_config"]
    assert config["type"] == "progress" and config["color"] == "auto"  # green from half, red below
    assert table.value[t("submissions.col_coverage", "vi")].between(0, 100).all()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_roadmaps_flags_on_tasks_come_first_and_whole_and_the_plans_are_folded(monkeypatch, demo_data,
                                                                                 lang):
    """72 «targets with no task» buried the flags on tasks, whose reasons a table cut: the flags
    on tasks are written out first, each reason whole; the plan's own are folded by kind, and
    the targets by domain."""
    from sca_metrics.method import roadmap
    from sca_metrics.store import queries, schema

    con = schema.connect(demo_data[0])  # as the app in this process holds it
    tasks = roadmap.tasks_from_frame(queries.roadmap_tasks(con, "2026"))
    con.close()
    catalog = default_catalog()
    found = roadmap.flags(tasks, catalog, 2026)
    on_tasks = [f for f in found if f.task is not None]
    targets = [f for f in found if f.code == "unplanned_target"]
    assert on_tasks and len(targets) > 20
    at = open_page(monkeypatch, demo_data[0], "roadmap", lang, period="2026")
    written = "\n".join(m.value for m in at.markdown)
    for flag in on_tasks:  # whole, as text (Markdown's escapes aside)
        assert flag.message(lang, catalog).replace(".", "") in written.replace("\\", "").replace(".", "")
    labels = [e.label for e in at.expander]
    folded = [label for label in labels if label.startswith(t("roadmap.flag_name_unplanned_target", lang))]
    by_domain = roadmap.by_domain(targets, catalog)
    assert len(folded) == len(by_domain) > 1
    assert sum(int(label.rsplit("(", 1)[1].rstrip(")")) for label in folded) == len(targets)
    assert not any(label.startswith(t(f"roadmap.flag_name_{code}", lang)) for label in labels
                   for code in roadmap.TASK_FLAGS)  # the flags on tasks are not folded away
