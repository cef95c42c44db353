"""AppTest: the Domain page — its drivers, indicators, gaps and what the address asks for."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from sca_metrics import settings
from sca_metrics.reference import vocabulary
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.reference.i18n import t
from sca_metrics.settings import ROOT
from tests.app.pages import (
    _observations,
    qp,
    run_app,
    wide_charts,
)


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
