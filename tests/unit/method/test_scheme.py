"""Scoring schemes (docs/METHOD.md §8) and any index over any units (§9): the shipped default is
today's method, every score names its scheme, a scheme's every problem is located, and the
UNDP Human Development Index is reproduced to 1e-9 (E6)."""

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sca_metrics import snapshot
from sca_metrics.method import composite, scheme
from sca_metrics.method.scoring import (
    GEOMETRIC,
    WEIGHT,
    Options,
    Rule,
    aggregate,
    combine,
    score_period,
    score_periods,
    scores_table,
)
from sca_metrics.store import schema
from tests.helpers import run_limited
from tests.unit.method.test_scoring import E1, E1_VALUES, catalog_of, frame, ind

ROOT = Path(__file__).resolve().parents[3]
HDI = ROOT / "examples" / "hdi"
# E6: the Human Development Report 2018's published HDI, full precision
PUBLISHED = {"Norway": 0.9525220196758183, "Australia": 0.9386312851065749,
             "Viet Nam": 0.6939980621338809, "India": 0.6398329108958057, "Niger": 0.35393119203339585}


# ---- the default scheme is today's method ----

def test_the_shipped_default_scheme_is_the_method_as_documented():
    shipped = scheme.default()
    assert shipped.as_dict() == Options().as_dict()
    assert shipped.fingerprint == Options().fingerprint == scheme.parse(scheme.dump(shipped)).fingerprint


@pytest.fixture(scope="module")
def demo_observations(demo_data):
    """The demo database's scoring input (period, indicator, value, …)."""
    con = schema.connect(demo_data[0])
    try:
        return snapshot.observation_frame(con)
    finally:
        con.close()


def test_the_default_scheme_reproduces_the_scores_on_the_demo_data(demo_data, demo_observations):
    """Scored from the shipped file and from the built-in defaults: equal to 1e-12 everywhere."""
    _, cat, by_period, _ = demo_data
    observations = demo_observations
    from_file = score_periods(cat, observations, scheme.default())
    for period, s in by_period.items():
        a, b = scores_table(s), scores_table(from_file[period])
        numeric = [c for c in a.columns if a[c].dtype.kind == "f"]
        assert np.allclose(a[numeric].to_numpy(float), b[numeric].to_numpy(float), rtol=0, atol=1e-12,
                           equal_nan=True)
        assert a.level.equals(b.level) and a.reason.equals(b.reason)


def test_every_score_records_the_scheme_that_made_it():
    mine = Options(name="my-weights", driver_weights={"policy": 2.0})
    s = score_period(E1, frame(E1_VALUES), "2024", mine)
    doc = s.to_dict()
    assert doc["scheme"]["name"] == "my-weights" and doc["scheme"]["hash"] == mine.fingerprint
    assert doc["scheme"]["hash"] != Options().fingerprint
    table = scores_table(s)
    assert set(table.scheme) == {"my-weights"} and set(table.scheme_hash) == {mine.fingerprint}


def test_a_scheme_written_and_read_back_scores_the_same():
    mixed = Options(name="mixed", tiers={"cell": Rule(GEOMETRIC, 0.5), "overall": Rule(coverage_by=WEIGHT)},
                    indicator_weights={"GPS": 2.0}, domain_weights={"transport": 3.0},
                    foundations_in_overall=True)
    again = scheme.parse(scheme.dump(mixed), catalog=E1)
    assert again.as_dict() == mixed.as_dict() and again.fingerprint == mixed.fingerprint
    assert score_period(E1, frame(E1_VALUES), "2024", again).to_dict() == score_period(
        E1, frame(E1_VALUES), "2024", mixed).to_dict()


# ---- one method per tier, and the coverage rule ----

def test_each_tier_has_its_own_mean():
    """Cell geometric (E1: 63.759729), domain and overall arithmetic."""
    per_tier = Options(tiers={"cell": Rule(GEOMETRIC)})
    s = score_period(E1, frame(E1_VALUES), "2024", per_tier)
    assert s.cells.score[0] == pytest.approx(63.759729, abs=1e-6)
    assert s.domains.set_index("domain").score["transport"] == pytest.approx(63.759729, abs=1e-6)
    # the decomposition stays exact under a mix of means
    assert s.indicators.gap_contribution.sum() == pytest.approx(100 - 63.759729, abs=1e-6)


@pytest.mark.parametrize("tiers", [{"cell": Rule(GEOMETRIC)}, {"domain": Rule(GEOMETRIC)},
                                   {"cell": Rule(GEOMETRIC), "overall": Rule(GEOMETRIC)}])
def test_a_mix_of_means_decomposes_every_domain_exactly(tiers):
    cat = catalog_of(ind("A", driver="technology"), ind("B", driver="technology", weight=2),
                     ind("C", driver="policy"), ind("D", driver="resources", weight=0.5),
                     ind("E", driver="resources"))
    s = score_period(cat, frame({"A": 30, "B": 90, "C": 0.2, "D": 55, "E": 70}), "2024", Options(tiers=tiers))
    domain = s.domains.set_index("domain").score["transport"]
    assert s.indicators.gap_contribution.sum() == pytest.approx(100 - domain, abs=1e-9)


def test_coverage_by_weight():
    """E3's children (70, missing, 40, 90): by count 0.75 either way; by weight it depends on
    what is missing: 0.7 with weights 0.4/0.3/0.2/0.1 (passes 0.66), 0.4 with 0.1/0.6/0.2/0.1."""
    y = np.array([[70, np.nan, 40, 90]])
    score, cov = combine(y, np.array([0.4, 0.3, 0.2, 0.1]), np.ones((1, 4)), coverage_by=WEIGHT)
    assert cov[0, 0] == pytest.approx(0.7) and score[0, 0] == pytest.approx(64.285714, abs=1e-6)
    score, cov = combine(y, np.array([0.1, 0.6, 0.2, 0.1]), np.ones((1, 4)), coverage_by=WEIGHT)
    assert cov[0, 0] == pytest.approx(0.4) and np.isnan(score[0, 0])
    assert aggregate([70, None, 40, 90], [0.1, 0.6, 0.2, 0.1])[1] == pytest.approx(0.75)


# ---- every problem of a scheme, located ----

def problems_of(text: str, catalog=E1) -> list[tuple[str, str]]:
    with pytest.raises(scheme.SchemeError) as caught:
        scheme.parse(text, "s.toml", catalog)
    return [(p.code, p.sheet) for p in caught.value.problems]


DEFAULT_TEXT = scheme.dump(Options())


def test_unknown_keys_and_names_are_errors_naming_them():
    text = DEFAULT_TEXT.replace('name = "sca-default"', 'name = "x"\nfoundation_in_overall = true')
    text = text.replace("technology = 1.0", "technlogy = 1.0").replace("egov = 1.0", "egv = 1.0")
    text = text.replace('coverage_by = "count"', 'coverage_by = "count"\nmetod = "geometric"', 1)
    text = text.replace("[tiers.weights]", '[tiers.weights]\n"NOPE.1" = 2.0', 1)
    assert sorted(problems_of(text)) == sorted([
        ("scheme_unknown_key", "s.toml: foundation_in_overall"),
        ("scheme_unknown_key", "s.toml: tiers[1].metod"),
        ("scheme_unknown_name", "s.toml: tiers[1].weights.NOPE.1"),
        ("scheme_unknown_name", "s.toml: tiers[2].weights.technlogy"),
        ("scheme_unknown_name", "s.toml: tiers[3].weights.egv"),
    ])


def test_values_out_of_range_are_errors_naming_them():
    text = DEFAULT_TEXT.replace('method = "arithmetic"', 'method = "harmonic"', 1)
    text = text.replace("coverage = 0.66", "coverage = 1.5", 1).replace("policy = 1.0", "policy = -1.0")
    text = text.replace('coverage_by = "count"', 'coverage_by = "weights"', 1)
    assert sorted(problems_of(text)) == [("scheme_choice", "s.toml: tiers[1].coverage_by"),
                                         ("scheme_choice", "s.toml: tiers[1].method"),
                                         ("scheme_range", "s.toml: tiers[1].coverage"),
                                         ("scheme_range", "s.toml: tiers[2].weights.policy")]


def test_a_catalog_scheme_has_the_catalogs_tiers_in_order():
    text = DEFAULT_TEXT.replace('name = "domain"', 'name = "domains"')
    assert problems_of(text) == [("scheme_catalog_tiers", "s.toml: tiers")]


def test_a_broken_file_says_where():
    broken = 'name = "x"\nindicators = = "catalog"\n[[tiers]]\n'
    assert problems_of(broken) == [("scheme_syntax", "s.toml")]
    with pytest.raises(scheme.SchemeError) as caught:
        scheme.parse(broken, "s.toml")
    assert "line 2" in caught.value.message("en")


def test_an_oversized_scheme_is_refused_before_it_is_parsed(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * scheme.MAX_BYTES + b"\n")
    with pytest.raises(scheme.SchemeError) as caught:
        scheme.read(big)
    assert [p.code for p in caught.value.problems] == ["scheme_too_big"]
    assert "2048 KB" in caught.value.message("en")


INDEX = """
name = "tiny"
[[tiers]]
name = "pillar"
method = "arithmetic"
coverage = 0.5
[tiers.nodes]
p1 = { parent = "top" }
p2 = { parent = "top", weight = 2 }
[[tiers]]
name = "index"
method = "geometric"
coverage = 1.0
[tiers.nodes]
top = {}
[[indicators]]
code = "a"
parent = "p1"
worst = 0
best = 10
[[indicators]]
code = "b"
parent = "p1"
worst = 100
best = 0
cap = false
[[indicators]]
code = "c"
parent = "p2"
worst = 1
best = 1000
transform = "log"
"""


def test_an_index_scheme_checks_its_hierarchy_and_indicators():
    text = INDEX.replace('parent = "p2"', 'parent = "p3"').replace("worst = 0\nbest = 10",
                                                               "worst = 10\nbest = 10")
    text = text.replace('transform = "log"', 'transform = "log"\ndirection = "lower"')
    text = text.replace("top = {}", "top = {}\nother = {}")
    assert sorted(problems_of(text, None)) == [
        ("scheme_childless", "s.toml: tiers[1].nodes.p2"),
        ("scheme_childless", "s.toml: tiers[2].nodes.other"),
        ("scheme_direction", "s.toml: indicators[3].direction"),
        ("scheme_goalposts", "s.toml: indicators[1]"),
        ("scheme_parent", "s.toml: tiers[1]"),
        ("scheme_top", "s.toml: tiers[2].nodes"),
    ]


def test_an_index_scheme_scores_any_units():
    tiny = scheme.parse(INDEX)
    data = (b"unit,indicator,value\nward 1,a,5\nward 1,b,20\nward 1,c,100\n"
            b"ward 2,a,10\nward 2,b,\nward 2,c,1\n")
    [w1, w2] = composite.score_units(tiny, composite.read_data(data, tiny))
    # ward 1: p1 = (50 + 80)/2 = 65, p2 = 200/3; index = exp((ln 65 + 2 ln 66.67)/3)
    assert w1["parts"]["pillar"] == pytest.approx({"p1": 65.0, "p2": 200 / 3})
    assert w1["score"] == pytest.approx(math.exp((math.log(65) + 2 * math.log(200 / 3)) / 3), abs=1e-12)
    assert w1["level"] == 4 and w1["scheme"] == "tiny" and w1["scheme_hash"] == tiny.fingerprint
    # ward 2: p1 from a alone (coverage 0.5), p2 = 0 floored at 1 by the geometric mean
    assert w2["parts"]["pillar"] == pytest.approx({"p1": 100.0, "p2": 0.0})
    assert w2["score"] == pytest.approx(math.exp((math.log(100) + 2 * math.log(1)) / 3), abs=1e-12)


@pytest.mark.parametrize(("body", "expected"), [
    ("unit,indicator,value\nA,a,1\nA,zz,2\n", [("data_unknown_indicator", 3, "indicator")]),
    ("unit,indicator,value\nA,a,1\nA,a,2\n", [("data_duplicate", 3, "indicator")]),
    ("unit,indicator,value\nA,a,abc\n,b,nan\n", [("data_not_number", 2, "value"),
                                                  ("data_no_unit", 3, "unit"),
                                                  ("data_not_number", 3, "value")]),
    ("unit,indicator,value\nA,b,120\n", [("data_outside", 2, "value")]),  # b is not capped
    ("unit,indicator,value\nA,a,1,2\n", [("data_fields", 2, "")]),
    ("unit;indicator;value\n", [("data_columns", 1, None)]),
    ("unit,indicator,value\n", [("data_empty", None, None)]),
])
def test_bad_data_is_refused_with_every_problem_located(body, expected):
    tiny = scheme.parse(INDEX)
    with pytest.raises(composite.DataError) as caught:
        composite.read_data(body.encode(), tiny)
    assert [(p.code, p.row, p.column) for p in caught.value.problems] == expected
    assert all(p.message("vi") and p.message("en") != f"problem.{p.code}" for p in caught.value.problems)


CHECK_DATA_UNDER_LIMIT = """
import json, sys
from sca_metrics.method import composite, scheme
tiny = scheme.parse(sys.argv[1])
try:
    composite.read_data(sys.argv[2], tiny)
    print(json.dumps({"codes": []}))
except composite.DataError as exc:
    print(json.dumps({"codes": [p.code for p in exc.problems]}))
"""


@pytest.mark.slow
def test_a_data_file_beyond_the_row_limit_is_refused_under_a_memory_cap(tmp_path):
    rows = tmp_path / "rows.csv"
    with rows.open("w") as f:
        f.write("unit,indicator,value\n")
        for k in range(composite.MAX_ROWS + 1):
            f.write(f"u{k},a,1\n")
    out = run_limited(CHECK_DATA_UNDER_LIMIT, INDEX, str(rows), memory_bytes=1024 ** 3)
    assert out["returncode"] == 0, out["stderr"]
    assert out["codes"] == ["data_too_many_rows"]


def test_a_data_file_beyond_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(composite, "MAX_BYTES", 1000)
    big = tmp_path / "big.csv"
    big.write_text("unit,indicator,value\n" + "A,a,1\n" * 200)
    with pytest.raises(composite.DataError) as caught:
        composite.read_data(big, scheme.parse(INDEX))
    assert [p.code for p in caught.value.problems] == ["data_too_big"]


# ---- E6: the Human Development Index ----

def test_e6_the_hdi_example_reproduces_the_published_index():
    hdi = scheme.read(HDI / "scheme.toml")
    records = composite.score_units(hdi, composite.read_data(HDI / "data.csv", hdi))
    assert [r["unit"] for r in records] == list(PUBLISHED)
    for r in records:
        assert abs(r["score"] - 100 * PUBLISHED[r["unit"]]) < 1e-9, r["unit"]
    published = pd.read_csv(HDI / "published.csv")
    assert dict(zip(published.unit, published.hdi, strict=True)) == PUBLISHED


def hdi_scores(fmt: str) -> str:
    return subprocess.run([sys.executable, "-m", "sca_metrics", "scores", "--scheme",
                           str(HDI / "scheme.toml"), "--data", str(HDI / "data.csv"), "--format", fmt],
                          capture_output=True, text=True, cwd=ROOT, check=True).stdout


def test_e6_through_the_command_line():
    records = json.loads(hdi_scores("json"))
    assert {r["unit"]: r["score"] for r in records} == pytest.approx(
        {u: 100 * h for u, h in PUBLISHED.items()}, abs=1e-9)
    assert records[2]["level"] == 4 and set(records[2]["parts"]) == {"indicators", "dimension"}
    header = hdi_scores("csv").splitlines()[0].split(",")
    assert header[:3] == ["unit", "score", "level"] and "dimension:education" in header
    assert header[-2:] == ["scheme", "scheme_hash"]


def test_the_catalog_scheme_scores_units_as_the_dashboard_scores_periods(demo_data, demo_observations):
    """The readiness index over any units from a long table: each demo period as a unit gives
    the dashboard's overall and domain scores (two paths through the engine, one answer)."""
    cat, observations = demo_data[1], demo_observations
    for options in (Options(), Options(method=GEOMETRIC)):
        by_period = score_periods(cat, observations, options)
        index = scheme.catalog_index(cat, options)
        records = composite.score_units(index, observations.rename(columns={"period": "unit"}))
        for r in records:
            s = by_period[r["unit"]]
            assert r["score"] == pytest.approx(s.overall.score[0], abs=1e-12)
            domains = s.domains.set_index("domain").score
            for d, v in r["parts"]["domain"].items():
                assert (v is None and math.isnan(domains[d])) or v == pytest.approx(domains[d], abs=1e-12)
            assert r["scheme_hash"] == options.fingerprint


LINK_BOMB_UNDER_LIMIT = """
import base64, json, sys, zlib
from sca_metrics.method import scheme
packed = zlib.compress(b"#" * int(sys.argv[1]), 9)
text = base64.urlsafe_b64encode(packed).decode()
try:
    scheme.from_link(text)
    print(json.dumps({"length": len(text), "codes": []}))
except scheme.SchemeError as exc:
    print(json.dumps({"length": len(text), "codes": [p.code for p in exc.problems]}))
"""


def test_a_link_round_trips_a_scheme():
    from sca_metrics.reference.catalog import default_catalog

    options = Options(driver_weights={"technology": 2.0}, domain_weights={"health": 0.5},
                      indicator_weights={"HLT.T1": 3.0}, foundations_in_overall=True,
                      tiers={"cell": Rule("geometric", 0.5, "weight")}, name="kịch bản")
    back = scheme.from_link(scheme.link(options), default_catalog())
    assert back.fingerprint == options.fingerprint
    with pytest.raises(scheme.SchemeError) as cut:  # a link cut short when copied
        scheme.from_link(scheme.link(options)[:-12])
    assert cut.value.problems[0].code in ("scheme_link", "scheme_syntax")
    with pytest.raises(scheme.SchemeError) as long:
        scheme.from_link("A" * (scheme.MAX_LINK + 1))
    assert [p.code for p in long.value.problems] == ["scheme_too_big"]


def test_a_link_that_unpacks_to_megabytes_is_refused_under_a_memory_cap():
    """A link within its length that unpacks to 5 MB (a zip bomb; zlib expands 8,000 characters
    to about 6 MB at most): unpacking stops at the scheme's size limit, in a process whose memory
    is capped."""
    out = run_limited(LINK_BOMB_UNDER_LIMIT, str(5 * 1024 * 1024), memory_bytes=1024 ** 3)
    assert out["returncode"] == 0, out["stderr"]
    assert out["length"] <= scheme.MAX_LINK and out["codes"] == ["scheme_too_big"]


def test_the_shipped_scheme_file_is_the_only_default(tmp_path):
    """Options() used to write the defaults a second time in Python: now they are read from
    data/schemes/default.toml, so a changed file changes them (in a copy of the code and data)."""
    import shutil
    import subprocess
    import sys

    shutil.copytree(ROOT / "sca_metrics", tmp_path / "sca_metrics",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", tmp_path / "data")
    file = tmp_path / "data" / "schemes" / "default.toml"
    text = file.read_text(encoding="utf-8").replace("coverage = 0.66", "coverage = 0.5", 1)
    file.write_text(text.replace("method = \"arithmetic\"", "method = \"geometric\"", 1), encoding="utf-8")
    code = ("from sca_metrics.method import scheme, scoring; o = scoring.Options(); "
            "print(o.threshold, o.method, o.rule('cell').coverage, o.rule('domain').coverage, "
            "scoring.DEFAULT_THRESHOLD, o.fingerprint == scheme.default().fingerprint)")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)}, timeout=120)
    assert done.returncode == 0, done.stderr
    # the first tier's rule is every tier's unless its own differs: the domain tier keeps 0.66
    assert done.stdout.split() == ["0.5", "geometric", "0.5", "0.66", "0.5", "True"]
