"""What every page shares: the language, the database connection, cached reads.

Streamlit-side only; the engine (sca_metrics) never imports this.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sca_metrics import briefing, exports, figures, i18n, model, render, store
from sca_metrics.catalog import Catalog, default_catalog
from sca_metrics.database import SERVER_LINGER, SERVER_WAIT, Database
from sca_metrics.paths import default_db
from sca_metrics.selection import drill_target
from sca_metrics.textnorm import markdown_literal as literal  # someone's text in a message

# The toolbar's camera button saves a PNG at three times the screen size (print quality).
CHART_CONFIG = {"displaylogo": False,
                "toImageButtonOptions": {"format": "png", "scale": 3, "filename": "dttm_chart"}}


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


@st.cache_resource(show_spinner=False)
def server_logging() -> None:
    """Once per server process: the engine's log lines (every write, export and failure, with
    its duration and, for a failure, its traceback) go to the server's log, at SCA_LOG_LEVEL
    (default INFO)."""
    logger = logging.getLogger("sca_metrics")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        level = os.environ.get("SCA_LOG_LEVEL", "INFO").upper()
        logger.setLevel(level if level in logging.getLevelNamesMapping() else "INFO")
        logger.propagate = False


@st.cache_resource(show_spinner=False)
def _database(path: str) -> Database:
    return Database(path, wait=SERVER_WAIT, linger=SERVER_LINGER)


def db() -> Database:
    """This server process's one handle on the database (every session shares it)."""
    return _database(str(db_path()))


@contextmanager
def database() -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of this session's own on the shared handle, for reading."""
    with db().cursor() as cur:
        yield cur


@st.cache_resource
def catalog() -> Catalog:
    return default_catalog()


# How long the server goes on with a data version before it looks at the file again: a
# write from the command line shows on the pages within about 2 s; a write from this server
# at once (`wrote`), for every session.
VERSION_TTL = 2.0
_versions: dict[str, tuple[float, str]] = {}
_versions_lock = threading.Lock()


def data_version() -> str:
    """Changes whenever the database file changes (from this server or the command line),
    so cached reads refresh after a write; read from the file's metadata without opening
    it, once per run (app.py starts each run afresh), at most every VERSION_TTL seconds."""
    state = _run_state()
    if "data_version" not in state:
        state["data_version"] = _process_version(str(db_path()))
    return state["data_version"]


def wrote() -> None:
    """After a write from this server: every session reads the new version at its next rerun
    (this one makes its scores first, while the others go on with the previous version)."""
    _process_version(str(db_path()), fresh=True)
    _run_state().pop("data_version", None)


def _process_version(path: str, fresh: bool = False) -> str:
    """The data version every session reads. A new version is published once its data and
    scores are loaded: the session that finds it (or that wrote it) loads them, and the others
    go on with the previous version meanwhile, instead of all waiting in line for them."""
    now = time.monotonic()
    with _versions_lock:
        seen = _versions.get(path)
        if seen is not None and not fresh and now - seen[0] <= VERSION_TTL:
            return seen[1]
        if seen is not None:  # this session looks; until it is done the others keep seen[1]
            _versions[path] = (now, seen[1])
    current = db().version()
    if seen is None or current != seen[1]:
        for load in (is_demo, submissions, unit_observations, scores_by_period):
            load(path, current)
    with _versions_lock:
        _versions[path] = (time.monotonic(), current)
    return current


def _run_state() -> dict:
    """Values that hold for the current script run only (cleared by app.py at each run)."""
    return st.session_state.setdefault("_run", {})


def new_run() -> None:
    st.session_state["_run"] = {}


@st.cache_resource(show_spinner=False, max_entries=16)
def submissions(path: str, version: str) -> pd.DataFrame:
    """Cached per database and data version (the arguments are the cache key) and shared by
    every session, never copied: like every cached frame here, pages never change it in place."""
    with database() as con:
        return store.submissions(con)


@st.cache_resource(show_spinner=False, max_entries=16)
def is_demo(path: str, version: str) -> bool:
    with database() as con:
        return store.is_demo(con)


def department_label(code: str, language: str | None = None) -> str:
    dept = catalog().department(code)
    return f"{code} — {dept.name(language or lang())}" if dept else code


@st.cache_resource(show_spinner=False, max_entries=16)
def observations(path: str, version: str) -> pd.DataFrame:
    """The scoring input: every current value of every period."""
    from sca_metrics.inputs import observation_frame

    with database() as con:
        return observation_frame(con)


@st.cache_resource(show_spinner=False, max_entries=16)
def unit_observations(path: str, version: str) -> pd.DataFrame:
    """Every current ward value of the pilot indicators."""
    from sca_metrics.inputs import unit_frame

    with database() as con:
        return unit_frame(con)


@st.cache_resource(show_spinner=False)
def _period_scores_memo() -> dict:
    """Each period's scores by the content of its values, across data versions: a new
    return re-scores its own period only."""
    return {}


@st.cache_resource(show_spinner=False, max_entries=16)
def scores_by_period(path: str, version: str) -> dict:
    """Scores of every period (default method), cached per database and data version."""
    from sca_metrics.scoring import score_periods

    obs = observations(path, version)
    memo = _period_scores_memo()
    by_period = score_periods(catalog(), obs, memo=memo) if len(obs) else {}
    for stale in list(memo)[: max(0, len(memo) - 256)]:  # the oldest go first
        memo.pop(stale, None)
    return by_period


def version() -> tuple[str, str]:
    """The cache key of every data read: (database path, data version)."""
    return str(db_path()), data_version()


@st.cache_resource(show_spinner=False, max_entries=512)
def _figure(key: str, version: tuple[str, str], depends: tuple, _draw: Callable[[], go.Figure]) -> go.Figure:
    """A figure drawn once per data version and whatever else it depends on (period,
    language, domain…), then shared by every session: a rerun only sends it."""
    return _draw()


def chart(fig: go.Figure | Callable[[], go.Figure], key: str, period: str, drill: bool = False,
          unit: str | None = "score", container=st, depends: tuple = ()) -> None:
    """A plotly figure with the print-quality image button and a server-side export (PNG,
    SVG, PDF with the source line). With `drill`, clicking a point that carries a domain opens
    the Domain page on it (and on the driver of a heatmap cell). `fig` may be a function that
    draws it: then it is drawn once per data version, `key` and `depends` — which must name
    everything the drawing reads besides the data: the language, the period, the domain…"""
    if callable(fig):
        fig = _figure(key, version(), (lang(), period, *depends), fig)
    if not drill:
        container.plotly_chart(fig, width="stretch", config=CHART_CONFIG, key=key)
    else:
        event = container.plotly_chart(fig, width="stretch", config=CHART_CONFIG, key=key,
                                       on_select="rerun", selection_mode="points")
        target = drill_target(event.selection if event else None)
        if target is not None:
            params = {"lang": lang(), **target.query_params()}
            if "period" in st.query_params:
                params["period"] = st.query_params["period"]
            st.switch_page("pages/domain.py", query_params=params)
    figure_export(fig, key, period, unit, container)


def figure_export(fig, name: str, period: str, unit: str | None = "score", container=st) -> None:
    """PNG (2400 px), SVG and PDF of a figure, rendered on the server only when clicked;
    without chromium, says how to enable it."""
    popover = container.popover(t("export.figure"), icon=":material/image:", key=f"{name}_export",
                                on_change="rerun")
    if not popover.open:  # its buttons are made only when someone opens it
        return
    with popover:
        if render.available():
            st.caption(t("export.figure_help"))
        language = lang()
        draw = functools.partial(print_figure, fig, language=language, period=period,
                                 source=briefing.source_text(language, is_demo(*version())),
                                 unit=t(f"figure.unit_{unit}") if unit else None)
        format_buttons(draw, f"dttm_{name}_{period}", name)


def format_buttons(draw, stem: str, key: str) -> None:
    """One download button per export format; `draw(fmt)` makes the file, only when clicked.
    Without chromium: how to enable server-side export, instead of the buttons."""
    if not render.available():
        st.info(t("export.no_browser"))
        return
    for column, fmt in zip(st.columns(len(render.FORMATS)), render.FORMATS, strict=True):
        column.download_button(fmt.upper(), functools.partial(draw, fmt), file_name=f"{stem}.{fmt}",
                               mime=render.MIME[fmt], key=f"{key}_{fmt}", on_click="ignore",
                               icon=":material/download:")


def print_figure(fig, fmt: str, language: str, period: str, source: str, unit: str | None) -> bytes:
    """Runs when a download is clicked (outside the script run: no session state here)."""
    return render.render(figures.for_print(fig, language, period, source, unit), fmt)


def table(frame: pd.DataFrame, numbers: dict[str, int] | None = None,
          percent: tuple[str, ...] = (), **kwargs) -> None:
    """A data frame shown with the language's number format (1.234,5 in Vietnamese),
    while sorting still uses the numbers. `numbers`: column → decimals (fixed)."""
    styler = frame.style
    for col, decimals in (numbers or {}).items():
        if col in frame.columns:
            styler = styler.format(lambda x, d=decimals: num(x, d, fixed=True), subset=[col],
                                   na_rep="–")
    for col in percent:
        if col in frame.columns:
            styler = styler.format(lambda x: f"{num(100 * x, 0)}%", subset=[col], na_rep="–")
    kwargs.setdefault("hide_index", True)
    st.dataframe(styler, width="stretch", **kwargs)


def downloads(frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str) -> None:
    """CSV and XLSX of a chart's data, side by side, safe against formula injection. The
    frame may be a function that makes it: then it is made only when a button is clicked."""
    make = frame if callable(frame) else lambda: frame
    left, right = st.columns(2)
    # Callables: the files are built only when clicked, not on every rerun.
    left.download_button(t("download.csv"), lambda: exports.csv_bytes(make()), file_name=f"{name}.csv",
                         mime="text/csv", icon=":material/download:", key=f"{name}_csv",
                         on_click="ignore")
    right.download_button(t("download.xlsx"), lambda: exports.xlsx_bytes({name: make()}),
                          file_name=f"{name}.xlsx", mime=exports.XLSX_MIME,
                          icon=":material/download:", key=f"{name}_xlsx", on_click="ignore")


def opened(label: str, key: str, icon: str, expanded: bool = False):
    """An expander whose content is made only while it is open: the container to fill, or
    None while it is closed (opening or closing it reruns the page)."""
    box = st.expander(label, expanded=expanded, icon=icon, key=key, on_change="rerun")
    return box if box.open else None


def data_table(frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str,
               numbers: dict[str, int] | Callable[[pd.DataFrame], dict[str, int]] | None = None,
               percent: tuple[str, ...] = (), expanded: bool = False) -> None:
    """The data behind a chart: a table in an expander with its CSV/XLSX downloads, made
    only while the expander is open (most reruns never show it). `frame` may be a function
    that makes it, and `numbers` a function of the frame, so nothing is built while closed."""
    box = opened(t("download.data_table"), f"{name}_data", ":material/table:", expanded)
    if box is not None:
        data = frame() if callable(frame) else frame
        with box:
            table(data, numbers(data) if callable(numbers) else numbers, percent)
            downloads(data, name)


def domain_name(code: str, language: str | None = None) -> str:
    return model.domain_name(code, language or lang())


def labels(fn, language: str):
    """A select box's format_func bound to this run's language: Streamlit may call it
    outside the script run (AppTest does), where the URL's language cannot be read."""
    return functools.partial(fn, language=language)


def url_select(label: str, options: list[str], param: str, key: str, default: str | None = None,
               container=st, **kwargs) -> str:
    """A select box whose value lives in the URL (?param=value), so a view can be shared and
    survives a reload. A value arriving in the URL (a link, a drill-down) wins; without one,
    the value last chosen on any page is kept; a choice is written back to the URL. Each
    page uses its own widget key (Streamlit ties a key's state to one widget)."""
    remembered = f"_last_{param}"
    wanted = st.query_params.get(param)
    if wanted not in options:
        wanted = st.session_state.get(remembered)
    if wanted not in options:
        wanted = default if default in options else options[-1]
    if st.session_state.get(key) != wanted:
        st.session_state[key] = wanted

    def to_url() -> None:
        st.query_params[param] = st.session_state[key]

    value = container.selectbox(label, options, key=key, on_change=to_url, **kwargs)
    st.session_state[remembered] = value
    if st.query_params.get(param) != value:
        st.query_params[param] = value
    return value


def url_tabs(keys: list[str], prefix: str, param: str = "tab") -> list:
    """Tabs labelled t(prefix + key) whose open one is in the URL (?tab=label) and is the only
    one whose content runs (`tab.open`); a label of the other language (a link shared in it,
    or the language just switched) opens the same tab."""
    labels = [t(f"{prefix}{k}") for k in keys]
    chosen = st.session_state.get(param) or st.query_params.get(param)
    for key, label in zip(keys, labels, strict=True):
        if chosen != label and chosen in {i18n.t(f"{prefix}{key}", other) for other in i18n.LANGS}:
            st.session_state[param] = label
    return st.tabs(labels, key=param, bind="query-params")


def store_error(exc: store.StoreError) -> None:
    """What the database could not do, what it means and what to do, in place of the page
    (the traceback goes to the server's log, never to the page)."""
    icons = {"busy": ":material/hourglass_top:", "read_only": ":material/lock:",
             "corrupt": ":material/broken_image:", "disk_full": ":material/storage:"}
    st.error(literal(exc.message(lang())), icon=icons.get(exc.kind, ":material/error:"))
    st.stop()


def scores_or_stop() -> dict:
    """Scores of every period; on an empty database, says how to start and stops the page."""
    by_period = scores_by_period(*version())
    if not by_period:
        st.info(t("app.empty_db", db=db_path()))
        st.stop()
    return by_period


def period_picker(periods: list[str], page: str, container=st) -> str:
    """The reporting period, kept in the URL (?period=2024); the latest by default."""
    return url_select(t("overview.period"), periods, "period", f"{page}_period", container=container)
