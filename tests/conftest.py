from __future__ import annotations

import pytest

from sca_metrics import store
from sca_metrics.catalog import Catalog, default_catalog


@pytest.fixture
def catalog() -> Catalog:
    return default_catalog()


@pytest.fixture
def con(tmp_path):
    """A fresh, migrated database in this test's own folder."""
    c = store.connect(tmp_path / "test.duckdb")
    yield c
    c.close()


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory):
    """The illustrative demo database, built once: (path, catalog, scores by period, submissions)."""
    from sca_metrics.demo import build_demo
    from sca_metrics.inputs import observation_frame
    from sca_metrics.scoring import score_periods

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    cat = default_catalog()
    c = store.connect(path)
    build_demo(c, cat)
    by_period, subs = score_periods(cat, observation_frame(c)), store.submissions(c)
    c.close()
    return path, cat, by_period, subs
