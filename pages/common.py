"""What every page shares: the language, the database connection, cached reads.

Streamlit-side only; the engine (sca_metrics) never imports this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from sca_metrics import i18n, store
from sca_metrics.catalog import Catalog, default_catalog
from sca_metrics.paths import default_db


def ensure_app_navigation() -> None:
    """Always run through app.py, even when a deep link is the first request after start.

    Streamlit treats a folder named pages/ as legacy file-based navigation until app.py
    first calls st.navigation; until then a link like /loaded?lang=en would run the page
    file alone, without the language picker and the demo banner. Leaving that mode and
    rerunning sends the request through app.py's navigation instead.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def lang() -> str:
    value = st.query_params.get("lang", i18n.DEFAULT_LANG)
    return value if value in i18n.LANGS else i18n.DEFAULT_LANG


def t(key: str, **params: object) -> str:
    return i18n.t(key, lang(), **params)


def num(x: float | int | None, decimals: int = 1, fixed: bool = False) -> str:
    return i18n.fmt_number(x, lang(), decimals, fixed)


def db_path() -> Path:
    return default_db()


@contextmanager
def database() -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection: the file lock is held only while a page reads or writes,
    so the command line can load returns while the dashboard is open."""
    con = store.connect(db_path())
    try:
        yield con
    finally:
        con.close()


@st.cache_resource
def catalog() -> Catalog:
    return default_catalog()


def data_version() -> int:
    """Changes whenever anything is written, so cached reads refresh after an upload.
    Read once per run by app.py (one connection per rerun); pages reuse it."""
    if "data_version" not in _run_state():
        with database() as con:
            _run_state()["data_version"] = int(
                con.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0])
    return _run_state()["data_version"]


def _run_state() -> dict:
    """Values that hold for the current script run only (cleared by app.py at each run)."""
    return st.session_state.setdefault("_run", {})


def new_run() -> None:
    st.session_state["_run"] = {}


@st.cache_data(show_spinner=False)
def submissions(path: str, version: int) -> pd.DataFrame:
    """Cached per database and data version (the arguments are the cache key)."""
    with database() as con:
        return store.submissions(con)


@st.cache_data(show_spinner=False)
def is_demo(path: str, version: int) -> bool:
    with database() as con:
        return store.is_demo(con)


def department_label(code: str) -> str:
    dept = catalog().department(code)
    return f"{code} — {dept.name(lang())}" if dept else code


@st.cache_data(show_spinner=False)
def scores_by_period(path: str, version: int) -> dict:
    """Scores of every period (default method), cached per database and data version."""
    from sca_metrics.inputs import observation_frame
    from sca_metrics.scoring import score_periods

    with database() as con:
        obs = observation_frame(con)
    return score_periods(catalog(), obs) if len(obs) else {}


def period_picker(periods: list[str]) -> str:
    """The period select box, kept in the URL (?period=2024) so a view can be shared."""
    wanted = st.query_params.get("period")
    index = periods.index(wanted) if wanted in periods else len(periods) - 1
    period = st.selectbox(t("overview.period"), periods, index=index, key="period_picker")
    if st.query_params.get("period") != period:
        st.query_params["period"] = period
    return period
