"""Entry point: language, navigation and the banner every page shares."""

from __future__ import annotations

import streamlit as st

from pages import common
from sca_metrics import i18n, store

common.ensure_app_navigation()
common.server_logging()
st.set_page_config(page_title="ĐTTM — Smart-city readiness", page_icon=":material/location_city:",
                   layout="wide")

LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def _language_picker() -> None:
    current = common.lang()
    choice = st.sidebar.radio(
        common.t("app.language"), i18n.LANGS, index=i18n.LANGS.index(current),
        format_func=LANG_NAMES.get, horizontal=True, key="lang_picker")
    if choice != current:
        st.query_params["lang"] = choice
        st.rerun()


_language_picker()
st.sidebar.caption(common.t("app.db_path", db=common.db_path()))
st.sidebar.caption(common.t("app.catalog_version", version=common.catalog().version))

common.new_run()
try:
    if common.is_demo(*common.version()):
        st.warning(common.t("app.demo_banner"), icon=":material/info:")
except store.StoreError as exc:
    common.store_error(exc)

PAGES = (  # pages/<name>.py at /<name>
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
    st.Page(f"pages/{name}.py", title=common.t(f"nav.{name}"), icon=icon, url_path=name,
            default=name == "overview")
    for name, icon in PAGES
])
try:
    page.run()
except store.StoreError as exc:  # the database is busy, damaged, read-only or its disk full
    common.store_error(exc)
