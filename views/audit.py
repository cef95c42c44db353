"""Every write, for administrators: uploads (and what they superseded), withdrawals, role changes,
reporting rounds — who, when, what, the department, the period and the file's SHA-256; filtered,
downloadable."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from sca_metrics.reference import formatting, i18n
from sca_metrics.reference.roles import ADMIN
from sca_metrics.services import admin, roadmap
from views import access, cached, session, widgets

access.require(ADMIN)
lang = session.lang()
st.title(session.t("audit.title"))
st.write(session.t("audit.intro"))


@st.cache_resource(show_spinner=False, max_entries=4)
def events(path: str, version: str) -> pd.DataFrame:
    return admin.audit(cached.db())


found = events(*cached.version())
if found.empty:
    st.info(session.t("audit.empty"))
    st.stop()

actions = sorted(found.action.unique())
left, middle, right = st.columns(3)
def action_label(action: str, language: str) -> str:
    return i18n.t(f"audit.action_{action}", language)


chosen = left.multiselect(session.t("audit.action"), actions, select_all=False, key="audit_actions",
                          format_func=session.labels(action_label, lang), placeholder=session.t("audit.all"))
people = sorted(found.actor.unique())
by = middle.multiselect(session.t("audit.actor"), people, select_all=False, key="audit_actors",
                        placeholder=session.t("audit.all"))
departments = sorted(d for d in found.department.dropna().unique())
depts = right.multiselect(session.t("col.department"), departments, select_all=False, key="audit_departments",
                          format_func=widgets.department_format(lang),
                          placeholder=session.t("audit.all"))
shown = found
if chosen:
    shown = shown[shown.action.isin(chosen)]
if by:
    shown = shown[shown.actor.isin(by)]
if depts:
    shown = shown[shown.department.isin(depts)]


def what(row) -> str:
    """The event in words: the upload and what it superseded, the withdrawal's reason, the grant."""
    if row.action == "ingest":
        text = i18n.t("audit.what_ingest", lang, version=row.version, file=row.file_name)
        return text + (i18n.t("audit.what_supersedes", lang, id=int(row.supersedes))
                       if pd.notna(row.supersedes) else "")
    if row.action == "withdraw":
        return i18n.t("audit.what_withdraw", lang, reason=row.reason or "–")
    if row.action == "respond":
        answer = i18n.t(f"roadmap.{row.response}", lang) if row.response in roadmap.RESPONSES else "–"
        said = i18n.t("audit.what_respond", lang, row=row.sheet_row, response=answer)
        return f"{said} — {row.explanation}" if row.explanation else said
    if row.action.startswith("round_"):
        day = formatting.day(date.fromisoformat(row.deadline), lang) if isinstance(row.deadline, str) else "–"
        return i18n.t(f"audit.what_{row.action}", lang, deadline=day)
    return i18n.t(f"audit.what_{row.action}", lang, person=row.person or "–", role=row.role or "–")


view = pd.DataFrame({
    session.t("audit.when"): shown.logged_at,
    session.t("audit.actor"): shown.actor,
    session.t("audit.action"): widgets.translated(shown.action, "audit.action_"),
    session.t("audit.what"): [what(r) for r in shown.itertuples()],
    session.t("col.department"): shown.department,
    session.t("audit.period"): shown.period,
    session.t("audit.submission"): shown.submission_id,
    session.t("audit.sha256"): shown.sha256,
})
st.caption(session.t("audit.count", n=session.num(len(view)), count=len(view)))
widgets.frame(widgets.paged(view, "audit_page"), column_config={
    session.t("audit.when"): st.column_config.DatetimeColumn(format=formatting.table_datetime(lang)),
    session.t("audit.what"): st.column_config.TextColumn(width="large")})
widgets.downloads(view, "audit_log")
