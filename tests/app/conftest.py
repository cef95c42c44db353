"""The page tests' databases: the session's demo database to read, a copy to write to."""

import shutil

import pytest


@pytest.fixture(scope="module")
def demo_db(demo_data):
    """The session's demo database (tests that write use own_demo_db, a copy)."""
    return demo_data[0]


@pytest.fixture
def no_packs():
    """No briefing pack built yet in this process (a built one is kept for every session)."""
    from views import cached

    cached.packs().clear()


@pytest.fixture
def own_demo_db(demo_db, tmp_path):
    """A copy of the demo database this test may write to."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    return path
