"""Foundations first (docs/METHOD.md §10): each layer scored from its own indicators, a domain
ahead of the lowest layer marked, and the scheme option that caps domain levels — off by default,
the default scheme's hash unchanged by it."""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from sca_metrics.method import foundations, scheme
from sca_metrics.method.scoring import Options, Rule, score_period, scores_table
from sca_metrics.reference import vocabulary
from sca_metrics.reference.catalog import default_catalog

CATALOG = default_catalog()
OPERATIONS = ("FND.T3", "FND.R3")


def values(low: dict[str, float]) -> pd.DataFrame:
    """Every indicator at its best, those in `low` at the share of the way from worst to best."""
    rows = [(i.code, i.worst + low.get(i.code, 1.0) * (i.best - i.worst)) for i in CATALOG.indicators]
    return pd.DataFrame(rows, columns=["indicator", "value"])


@pytest.fixture(scope="module")
def weak_operations():
    """Operations centres at 30 of 100 (level 2), everything else at 100 (level 5)."""
    return values({code: 0.3 for code in OPERATIONS})


def test_the_shipped_layers_fit_the_catalog():
    layers = foundations.layer_indicators(CATALOG)
    assert list(layers) == list(vocabulary.LAYER_CODES)
    assert layers["operations"] == OPERATIONS and "FND.P1" in layers["architecture"]
    codes = [c for mine in layers.values() for c in mine]
    assert all(CATALOG.indicator(c).domain == vocabulary.FOUNDATIONS for c in codes)


def test_a_layers_file_that_does_not_fit_the_catalog_says_which_line():
    rows = ((2, "FND.P1", "architecture"), (3, "EGOV.T1", "infrastructure"), (4, "FND.P1", "operations"),
            (5, "FND.T2", "roof"), (6, "NOPE", "operations"))
    with pytest.raises(foundations.LayersError) as err:
        foundations.layer_indicators(CATALOG, rows)
    message = str(err.value)
    for said in ("line 3: 'EGOV.T1' is not a foundations indicator",
                 "line 4: 'FND.P1' is in more than one row",
                 "line 5: 'roof' is not a layer", "line 6: 'NOPE'",
                 "no indicator measures the layer 'infrastructure'"):
        assert said in message


def test_a_layer_combines_its_indicators_by_the_cell_rule():
    ind = pd.DataFrame({"code": ["A", "B", "C"], "score": [80.0, 20.0, np.nan], "weight": [3.0, 1.0, 1.0],
                        "target_score": [90.0, 60.0, np.nan]})
    layers = {"architecture": ("A",), "infrastructure": ("A", "B"), "operations": ("C",)}
    frame = foundations.layer_scores(ind, layers, Rule()).set_index("layer")
    assert frame.score["architecture"] == 80 and frame.level["architecture"] == 5
    assert math.isclose(frame.score["infrastructure"], (3 * 80 + 20) / 4)
    assert math.isclose(frame.gap["infrastructure"], (3 * 90 + 60) / 4 - (3 * 80 + 20) / 4)
    assert math.isnan(frame.score["operations"]) and pd.isna(frame.level["operations"])
    geometric = foundations.layer_scores(ind, layers, Rule("geometric")).set_index("layer")
    assert math.isclose(geometric.score["infrastructure"], math.exp((3 * math.log(80) + math.log(20)) / 4))


def test_the_floor_is_the_lowest_layer_the_first_on_a_tie():
    frame = pd.DataFrame({"layer": list(vocabulary.LAYER_CODES), "level": pd.array([3, 2, 2], dtype="Int64")})
    assert foundations.floor(frame) == ("infrastructure", 2)
    unknown = frame.assign(level=pd.array([None, None, None], dtype="Int64"))
    assert foundations.floor(unknown) == (None, None)


def test_a_domain_ahead_of_its_foundations_is_marked(weak_operations):
    s = score_period(CATALOG, weak_operations, "2025")
    standing = foundations.readiness(s, CATALOG).set_index("area")
    assert list(standing.index) == list(vocabulary.AREA_CODES)
    assert standing.level["operations"] == 2 and standing.level["architecture"] == 5
    assert foundations.lowest(standing.reset_index()) == ("operations", 2)
    for domain in vocabulary.SMART_DOMAIN_CODES:
        assert standing.level[domain] == 5 and standing.ahead[domain] == 3
        assert standing.capped_level[domain] == 2 and standing.floor_layer[domain] == "operations"
    assert standing.loc[list(vocabulary.LAYER_CODES), "capped_level"].isna().all()
    # the scheme as it is: levels are the scores' own
    assert (s.domains.level == 5).all() and "level_uncapped" not in s.domains


def test_the_scheme_option_caps_levels_and_nothing_else(weak_operations):
    free = score_period(CATALOG, weak_operations, "2025")
    capped = score_period(CATALOG, weak_operations, "2025", Options(cap_by_foundations=True))
    domains = capped.domains.set_index("domain")
    smart = list(vocabulary.SMART_DOMAIN_CODES)
    assert (domains.level[smart] == 2).all() and (domains.level_uncapped[smart] == 5).all()
    assert set(domains.capped_by[smart]) == {"operations"}
    assert set(domains.level_en[smart]) == {"Developing"}
    assert domains.points_to_next_level[smart].isna().all()
    assert domains.level["foundations"] == free.domains.set_index("domain").level["foundations"]
    assert pd.isna(domains.capped_by["foundations"])
    # scores, ranks and the overall are untouched
    assert np.allclose(capped.domains.score, free.domains.score)
    assert capped.overall.score.iloc[0] == free.overall.score.iloc[0]
    table = scores_table(capped)
    assert {"level_uncapped", "capped_by"} <= set(table.columns)
    # the foundations' standing reads the score's own level, scored with the cap or without
    assert foundations.readiness(capped, CATALOG).equals(foundations.readiness(free, CATALOG))


def test_a_domain_below_its_foundations_is_not_capped():
    low = values({i.code: 0.5 for i in CATALOG.indicators if i.domain == "health"})
    s = score_period(CATALOG, low, "2025", Options(cap_by_foundations=True))
    health = s.domains.set_index("domain").loc["health"]
    assert health.level == health.level_uncapped == 3 and pd.isna(health.capped_by)
    assert not math.isnan(health.points_to_next_level)


def test_the_option_is_off_by_default_and_keeps_the_default_hash():
    shipped = scheme.default()
    assert shipped.cap_by_foundations is False
    assert "cap_by_foundations" not in shipped.as_dict()  # the hash every earlier result records
    on = dataclasses.replace(shipped, cap_by_foundations=True)
    assert on.fingerprint != shipped.fingerprint and on.as_dict()["cap_by_foundations"] is True
    back = scheme.parse(scheme.dump(on), catalog=CATALOG)
    assert isinstance(back, Options) and back.cap_by_foundations and back.fingerprint == on.fingerprint


def test_the_option_in_a_scheme_file_is_checked():
    text = scheme.dump(scheme.default())
    assert "cap_by_foundations = false" in text
    with pytest.raises(scheme.SchemeError) as err:
        scheme.parse(text.replace("cap_by_foundations = false", 'cap_by_foundations = "yes"'))
    assert [p.code for p in err.value.problems] == ["scheme_not_bool"]
    index = ('name = "x"\ncap_by_foundations = true\n[[indicators]]\ncode = "a"\nname = "A"\nparent = "i"\n'
             'worst = 0\nbest = 1\n[[tiers]]\nname = "index"\n[tiers.nodes.i]\n')
    with pytest.raises(scheme.SchemeError) as err:
        scheme.parse(index)
    assert ("scheme_unknown_key", "cap_by_foundations") in [(p.code, p.value) for p in err.value.problems]
