"""Cached data access: the database handle, the data version, and the frames and scores every
session shares (cached per database and data version, never copied: pages never change them).

Streamlit-side only; the engine (sca_metrics) never imports this.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from sca_metrics import settings
from sca_metrics.reference.catalog import Catalog, default_catalog
from sca_metrics.services import admin, database, exports, readiness, upload
from sca_metrics.services import roadmap as road
from sca_metrics.services.database import Database
from sca_metrics.settings import default_db
from views.session import run_state

SERVER_WAIT = database.SERVER_WAIT  # seconds a page waits for another program's lock


def db_path() -> Path:
    return default_db()


@st.cache_resource(show_spinner=False)
def server_logging() -> None:
    """Once per server process: the engine's log lines go to the server's output, at
    SCA_LOG_LEVEL (default INFO)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    settings.configure_logging(handler, "INFO", "sca_metrics")


@st.cache_resource(show_spinner=False)
def _database(path: str) -> Database:
    return database.for_server(path, wait=SERVER_WAIT)


def db() -> Database:
    """This server process's one handle on the database (every session shares it)."""
    return _database(str(db_path()))


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
    state = run_state()
    if "data_version" not in state:
        state["data_version"] = _process_version(str(db_path()))
    return state["data_version"]


def wrote() -> None:
    """After a write from this server: every session reads the new version at its next rerun
    (this one makes its scores first, while the others go on with the previous version)."""
    _process_version(str(db_path()), fresh=True)
    run_state().pop("data_version", None)


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


@st.cache_resource(show_spinner=False, max_entries=16)
def submissions(path: str, version: str) -> pd.DataFrame:
    """Cached per database and data version (the arguments are the cache key) and shared by
    every session, never copied: like every cached frame here, pages never change it in place."""
    return upload.submissions(db())


@st.cache_resource(show_spinner=False, max_entries=32)
def roadmap_frames(path: str, version: str, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plan as of a period: (tasks, comments with their responses)."""
    return road.as_of(db(), period)


@st.cache_resource(show_spinner=False, max_entries=32)
def roadmap(path: str, version: str, period: str) -> tuple[list[road.Task], list[road.Flag]]:
    """The plan's tasks as of a period and their flags: worked out once per data version and
    shared by every session, not at every page load."""
    return road.tasks_and_flags(roadmap_frames(path, version, period)[0], catalog(), period)


@st.cache_resource(show_spinner=False, max_entries=16)
def task_graph(path: str, version: str) -> dict[str, tuple[str, ...]]:
    """Every current task's code with what it depends on: what an uploaded return's tasks may
    depend on (shared, never changed in place)."""
    return upload.task_graph(db())


@st.cache_resource(show_spinner=False, max_entries=16)
def is_demo(path: str, version: str) -> bool:
    return readiness.is_demo(db())


@st.cache_resource(show_spinner=False, max_entries=16)
def observations(path: str, version: str) -> pd.DataFrame:
    """The scoring input: every current value of every period."""
    return readiness.observations(db(), catalog())


@st.cache_resource(show_spinner=False, max_entries=16)
def unit_observations(path: str, version: str) -> pd.DataFrame:
    """Every current ward value of the pilot indicators."""
    return readiness.unit_observations(db())


@st.cache_resource(show_spinner=False)
def _period_scores_memo() -> dict:
    """Each period's scores by the content of its values, across data versions: a new
    return re-scores its own period only."""
    return {}


@st.cache_resource(show_spinner=False, max_entries=16)
def scores_by_period(path: str, version: str) -> dict:
    """Scores of every period (default method), cached per database and data version."""
    memo = _period_scores_memo()
    by_period = readiness.scores(catalog(), observations(path, version), memo)
    for stale in list(memo)[: max(0, len(memo) - 256)]:  # the oldest go first
        memo.pop(stale, None)
    return by_period


@st.cache_resource(show_spinner=False, max_entries=16)
def grants(path: str, version: str) -> pd.DataFrame:
    """Every grant, read once per data version: each run's sign-in check reads it from here
    instead of the file (a grant changes the data version like any write)."""
    return admin.grants(db())


def version() -> tuple[str, str]:
    """The cache key of every data read: (database path, data version)."""
    return str(db_path()), data_version()


@st.cache_resource(show_spinner=False, max_entries=16)
def content(path: str, version: str) -> str:
    """What the data hold, not when the file last changed: every write adds a submission or
    changes one's status, so their ids and statuses name the content. A file merely tidied
    (DuckDB checkpointing its log on close) keeps it: what is built from it stays."""
    subs = submissions(path, version)
    hashed = pd.util.hash_pandas_object(subs[["id", "status"]], index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()[:16]


PACKS_KEPT = 4


@st.cache_resource(show_spinner=False)
def packs() -> dict:
    """The briefing packs built in this server, by (database, content, period, language, day):
    the last PACKS_KEPT of them, shared by every session."""
    return {}


@st.cache_resource(show_spinner=False, max_entries=8)
def inputs(path: str, version: str, period: str, lang: str) -> exports.Inputs:
    """What every deliverable of a period and language is made from (shared, never changed)."""
    tasks, comments = roadmap_frames(path, version, period)
    return exports.Inputs(catalog(), scores_by_period(path, version), submissions(path, version), period,
                          lang, is_demo(path, version), tasks, comments, unit_observations(path, version))


@st.cache_resource(show_spinner=False, max_entries=8)
def deliverable(path: str, version: str, period: str, lang: str, key: str, day: str, name: str) -> bytes:
    """One file of a deliverable without figures, made when its download is clicked, once per
    data version, language and day (a document is dated the day it is made)."""
    return exports.DELIVERABLES[key].build(inputs(path, version, period, lang), None, None)[name]
