from __future__ import annotations

import pytest

from sca_metrics import settings
from sca_metrics.reference.catalog import Catalog, default_catalog
from sca_metrics.store import queries, schema


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test starts from the environment as it is (a test that changes a variable with
    monkeypatch calls settings.reload() itself; monkeypatch restores it afterwards)."""
    settings.reload()


@pytest.fixture
def catalog() -> Catalog:
    return default_catalog()


@pytest.fixture
def con(tmp_path):
    """A fresh, migrated database in this test's own folder."""
    c = schema.connect(tmp_path / "test.duckdb")
    yield c
    c.close()


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory):
    """The illustrative demo database, built once: (path, catalog, scores by period, submissions)."""
    from sca_metrics.demo import build_demo
    from sca_metrics.method.scoring import score_periods
    from sca_metrics.snapshot import observation_frame

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    cat = default_catalog()
    c = schema.connect(path)
    build_demo(c, cat)
    by_period, subs = score_periods(cat, observation_frame(c)), queries.submissions(c)
    c.close()
    return path, cat, by_period, subs
