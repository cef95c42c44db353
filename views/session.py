"""What a page run knows about its visitor: the language, the values kept in the URL (period,
domain, tab) and in the session, and the run's own scratch values.

Streamlit-side only; the engine (sca_metrics) never imports this.
"""

from __future__ import annotations

import functools

import streamlit as st

from sca_metrics.reference import formatting, i18n, vocabulary


def lang() -> str:
    value = st.query_params.get("lang", i18n.DEFAULT_LANG)
    return value if value in i18n.LANGS else i18n.DEFAULT_LANG


def t(key: str, **params: object) -> str:
    return i18n.t(key, lang(), **params)


def num(x: float | int | None, decimals: int = 1, fixed: bool = False) -> str:
    return formatting.number(x, lang(), decimals, fixed)


def labels(fn, language: str):
    """A select box's format_func bound to this run's language: Streamlit may call it
    outside the script run (AppTest does), where the URL's language cannot be read."""
    return functools.partial(fn, language=language)


def domain_name(code: str, language: str | None = None) -> str:
    return vocabulary.domain_name(code, language or lang())


def run_state() -> dict:
    """Values that hold for the current script run only (cleared by app.py at each run)."""
    return st.session_state.setdefault("_run", {})


def new_run() -> None:
    st.session_state["_run"] = {}


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
    """Tabs labelled t(prefix + key) whose open one is in the URL by its key (?tab=wards) — the
    same link in either language —, and is the only one whose content runs (`tab.open`). A
    link naming a tab by its label (either language, as links once did) opens it too; switching
    the language keeps it open."""
    labels = {k: t(f"{prefix}{k}") for k in keys}
    known = {k: k for k in keys} | {i18n.t(f"{prefix}{k}", other): k for k in keys for other in i18n.LANGS}
    state = f"_{param}_tabs"
    chosen = known.get(st.query_params.get(param)) or known.get(st.session_state.get(state)) or keys[0]
    if st.session_state.get(state) != labels[chosen]:
        st.session_state[state] = labels[chosen]
    if st.query_params.get(param) != chosen:
        st.query_params[param] = chosen

    def to_url() -> None:
        st.query_params[param] = known[st.session_state[state]]

    return st.tabs(list(labels.values()), key=state, on_change=to_url)


def period_picker(periods: list[str], page: str, container=st) -> str:
    """The reporting period, kept in the URL (?period=2024); the latest by default."""
    return url_select(t("overview.period"), periods, "period", f"{page}_period", container=container)
