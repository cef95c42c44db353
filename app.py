"""Entry point: language, navigation and the banner every page shares."""

from __future__ import annotations

import streamlit as st

from sca_metrics.reference import i18n
from sca_metrics.store.errors import StoreError
from views import cached, session, widgets

cached.server_logging()
st.set_page_config(page_title="ĐTTM — Smart-city readiness", page_icon=":material/location_city:",
                   layout="wide")

LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def _language_picker() -> None:
    current = session.lang()
    choice = st.sidebar.radio(
        session.t("app.language"), i18n.LANGS, index=i18n.LANGS.index(current),
        format_func=LANG_NAMES.get, horizontal=True, key="lang_picker")
    if choice != current:
        st.query_params["lang"] = choice
        st.rerun()


_language_picker()
st.sidebar.caption(session.t("app.db_path", db=cached.db_path()))
st.sidebar.caption(session.t("app.catalog_version", version=cached.catalog().version))

session.new_run()
try:
    if cached.is_demo(*cached.version()):
        st.warning(session.t("app.demo_banner"), icon=":material/info:")
except StoreError as exc:
    widgets.store_error(exc)

PAGES = (  # views/<name>.py at /<name>
    ("overview", ":material/grid_view:"),
    ("domain", ":material/zoom_in:"),
    ("pilot", ":material/location_on:"),
    ("whatif", ":material/tune:"),
    ("submissions", ":material/fact_check:"),
    ("upload", ":material/upload_file:"),
    ("exports", ":material/slideshow:"),
    ("method", ":material/menu_book:"),
)
page = st.navigation([
    st.Page(f"views/{name}.py", title=session.t(f"nav.{name}"), icon=icon, url_path=name,
            default=name == "overview")
    for name, icon in PAGES
])
try:
    page.run()
except StoreError as exc:  # the database is busy, damaged, read-only or its disk full
    widgets.store_error(exc)
