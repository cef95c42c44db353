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
