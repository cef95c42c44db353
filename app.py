"""Entry point: sign-in, language, each person's menu by role, and the banner every page shares."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from sca_metrics.reference.i18n import LANGS
from sca_metrics.reference.roles import ADMIN, UPLOADER, VIEWER
from sca_metrics.services.database import StoreError
from views import access, cached, session, widgets

cached.server_logging()
# A local icon: a Material icon here would make the browser fetch it from a font host.
st.set_page_config(page_title="ĐTTM — Smart-city readiness",
                   page_icon=str(Path(__file__).parent / "views" / "favicon.png"), layout="wide")

LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}
PAGES = (  # views/<name>.py at /<name>, for this role and those above it
    ("overview", ":material/grid_view:", VIEWER),
    ("domain", ":material/zoom_in:", VIEWER),
    ("pilot", ":material/location_on:", VIEWER),
    ("whatif", ":material/tune:", VIEWER),
    ("submissions", ":material/fact_check:", VIEWER),
    ("roadmap", ":material/timeline:", VIEWER),
    ("upload", ":material/upload_file:", UPLOADER),
    ("exports", ":material/slideshow:", VIEWER),
    ("method", ":material/menu_book:", VIEWER),
    ("audit", ":material/history:", ADMIN),
    ("users", ":material/manage_accounts:", ADMIN),
)


def _language_picker() -> None:
    current = session.lang()
    choice = st.sidebar.radio(
        session.t("app.language"), LANGS, index=LANGS.index(current),
        format_func=LANG_NAMES.get, horizontal=True, key="lang_picker")
    if choice != current:
        st.query_params["lang"] = choice
        st.rerun()


def _gate() -> None:
    """Stops the run unless someone with a grant is using it (or sign-in is off, on this
    computer only): a sign-in page, or a page saying whom to ask — and no data."""
    if not access.sign_in_configured():
        address = st.get_option("server.address")
        if not access.is_loopback(address):
            st.error(session.t("access.open_refused", address=address or "0.0.0.0"), icon=":material/lock:")
            st.stop()
        st.sidebar.info(session.t("access.open_banner"), icon=":material/computer:")
        return
    if not st.user.is_logged_in:
        st.title(session.t("access.sign_in_title"))
        st.write(session.t("access.sign_in_text"))
        st.button(session.t("access.sign_in"), on_click=st.login, type="primary", icon=":material/login:")
        st.stop()
    email = access.signed_in_email()
    # the address as text, never Markdown (which would make it a mailto link)
    st.sidebar.caption(session.t("access.signed_in_as"))
    st.sidebar.text(email or "–")
    st.sidebar.button(session.t("access.sign_out"), on_click=st.logout, icon=":material/logout:")
    if access.actor() is None:
        st.title(session.t("access.no_access_title"))
        st.write(session.t("access.no_access_signed_in"))
        st.text(email or "–")
        st.write(session.t("access.no_access_text"))
        st.stop()


_language_picker()
session.new_run()
_gate()
actor = access.actor()
if actor is not None and actor.is_admin:  # server details are for administrators only
    st.sidebar.caption(session.t("app.db_path", db=cached.db_path()))
st.sidebar.caption(session.t("app.catalog_version", version=cached.catalog().version))
try:
    if cached.is_demo(*cached.version()):
        st.warning(session.t("app.demo_banner"), icon=":material/info:")
except StoreError as exc:
    widgets.store_error(exc)

page = st.navigation([
    st.Page(f"views/{name}.py", title=session.t(f"nav.{name}"), icon=icon, url_path=name,
            default=name == "overview")
    for name, icon, role in PAGES if access.allowed(actor, role)
])
try:
    page.run()
except StoreError as exc:  # the database is busy, damaged, read-only or its disk full
    widgets.store_error(exc)
