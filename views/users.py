"""Who may sign in, with which role: administrators grant and revoke here (or with
`python -m sca_metrics users …`); every change goes to the audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sca_metrics.reference import i18n
from sca_metrics.reference.roles import ADMIN, ROLES, UPLOADER, VIEWER
from sca_metrics.services import admin
from views import access, cached, session, widgets

who = access.require(ADMIN)
lang = session.lang()
catalog = cached.catalog()
codes = [d.code for d in catalog.departments]
st.title(session.t("users.title"))
st.write(session.t("users.intro"))
widgets.show_flash("users_flash", ":material/manage_accounts:")


def role_label(role: str, language: str) -> str:
    return i18n.t(f"users.role_{role}", language)


current = cached.grants(*cached.version())
if current.empty:
    st.info(session.t("users.none"), icon=":material/person_off:")
else:
    widgets.frame(pd.DataFrame({
        session.t("users.email"): current.email,
        session.t("users.role"): [role_label(r, lang) for r in current.role],
        session.t("users.departments"): [", ".join(d) for d in current.departments],
        session.t("users.granted_by"): current.granted_by,
    }))


def write(action, done: str) -> None:
    if widgets.write(action)[0]:
        st.session_state["users_flash"] = done
        st.rerun()


st.subheader(session.t("users.grant_title"))
with st.form("grant_form", enter_to_submit=False):
    email = st.text_input(session.t("users.email"), max_chars=200, key="grant_email")
    # the least a person may need first: a grant of more is a choice, never a default
    role = st.radio(session.t("users.role"), ROLES, format_func=session.labels(role_label, lang),
                    horizontal=True, key="grant_role", index=ROLES.index(VIEWER))
    departments = st.multiselect(session.t("users.departments"), codes, select_all=False,
                                 key="grant_departments",
                                 format_func=widgets.department_format(lang),
                                 help=session.t("users.departments_help"),
                                 placeholder=session.t("users.departments_placeholder"))
    if st.form_submit_button(session.t("users.grant"), type="primary", icon=":material/person_add:"):
        write(lambda db: admin.grant(db, who, email, role, departments if role == UPLOADER else [],
                                      codes),
              session.t("users.granted", email=email.strip().lower(), role=role_label(role, lang)))

st.subheader(session.t("users.revoke_title"))
if not current.empty:
    with st.form("revoke_form", enter_to_submit=False):
        gone = st.selectbox(session.t("users.email"), current.email.tolist(), key="revoke_email")
        sure = st.checkbox(session.t("users.revoke_confirm"), key="revoke_sure")
        if st.form_submit_button(session.t("users.revoke"), icon=":material/person_remove:"):
            if sure:
                write(lambda db: admin.revoke(db, who, gone), session.t("users.revoked", email=gone))
            else:
                st.error(session.t("withdraw.confirm_needed"), icon=":material/check_box:")
