"""Who has submitted what: per department and period, completeness, warnings, versions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sca_metrics.outputs import score_figures
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.services import rounds, upload
from views import access, cached, session, widgets

who = access.require()

lang = session.lang()
catalog = cached.catalog()
st.title(session.t("submissions.title"))
st.write(session.t("submissions.intro"))

widgets.show_flash("withdraw_flash", ":material/undo:")
path, version = cached.version()
subs = cached.submissions(path, version)
if subs.empty:
    st.info(session.t("app.empty_db", db=cached.db_path()))
    st.stop()

known = sorted(subs.period.astype(str).unique())
periods = [str(y) for y in range(vocabulary.PERIOD_FIRST, vocabulary.PERIOD_LAST + 1)]
# Its own key: the list runs to 2030 (who is missing for a coming period), unlike the
# score pages' list of periods with data.
period = session.url_select(session.t("overview.period"), periods, "period", "submissions_period",
                           default=known[-1])


@st.cache_resource(show_spinner=False, max_entries=16)
def period_status(path: str, version: str, period: str) -> pd.DataFrame:
    return rounds.status(cached.catalog(), cached.submissions(path, version), period)


@st.cache_resource(show_spinner=False, max_entries=4)
def coverage_matrix(path: str, version: str) -> pd.DataFrame:
    return rounds.completeness(cached.catalog(), cached.submissions(path, version))


status = period_status(path, version, period)
missing = rounds.missing(status)
submitted = status[status.state == rounds.SUBMITTED]

cols = st.columns(4)
cols[0].metric(session.t("submissions.submitted"), f"{len(submitted)}/{len(status)}")
cols[1].metric(session.t("submissions.missing"), session.num(len(missing), 0))
cols[2].metric(session.t("submissions.coverage"),
               f"{session.num(100 * submitted.coverage.mean(), 0)}%" if len(submitted) else "–")
cols[3].metric(session.t("submissions.warnings"), session.num(int(submitted.n_warnings.sum()), 0))
if missing:
    st.warning(session.t("submissions.missing_list", period=period,
                        departments=widgets.department_list(missing)),
               icon=":material/pending_actions:")
else:
    st.success(session.t("submissions.all_in", period=period), icon=":material/task_alt:")

# the decisive columns first — who, in what state, how complete, with how many warnings —, the
# department pinned while the rest scrolls
view = pd.DataFrame({
    session.t("col.department"): widgets.department_names(status.department),
    session.t("submissions.col_state"): widgets.translated(status.state, "submissions.state_"),
    session.t("submissions.col_coverage"): (100 * status.coverage).round(),
    session.t("col.n_warnings"): status.n_warnings,
    session.t("col.received_at"): status.received_at,
    session.t("col.version"): status.version,
    session.t("submissions.col_versions"): status.n_versions,
    session.t("col.uploader"): status.uploader,
    session.t("col.preparer"): status.preparer,
    session.t("col.n_values"): status.n_values,
    session.t("col.n_expected"): status.n_expected,
    session.t("col.file_name"): status.file_name,
})
shown = widgets.paged(view, f"status_page_{period}")  # 50 departments a page; the files hold all
widgets.frame(shown, height=35 * (len(shown) + 1) + 3, column_config={
    session.t("col.department"): st.column_config.TextColumn(pinned=True),
    # a whole percent: no decimal mark, so the same in either language ("percent" follows the
    # browser's locale, not the page's language); green from half complete, red below
    session.t("submissions.col_coverage"): st.column_config.ProgressColumn(
        min_value=0, max_value=100, format="%d%%", color="auto"),
    session.t("col.received_at"): st.column_config.DatetimeColumn(format=formatting.table_datetime(lang)),
})
widgets.downloads(view, f"submissions_{period}")

matrix = coverage_matrix(path, version)
labels = list(widgets.department_names(matrix.index.to_series()))
# fifty departments a page: a heatmap of hundreds of rows is neither readable nor quick to send
rows = widgets.page(len(matrix), "coverage_page", what="widgets.page_departments")
widgets.chart(lambda: score_figures.coverage(matrix.iloc[rows], labels[rows], lang),
             key="submissions_coverage", period=f"{known[0]}–{known[-1]}", unit="completeness",
             depends=(rows.start, rows.stop),
             phone=lambda: score_figures.coverage(matrix.iloc[rows], labels[rows], lang, phone=True))
widgets.data_table(matrix.set_axis(labels).rename_axis(session.t("col.department")).reset_index(),
                  "coverage", percent=tuple(known))

st.subheader(session.t("submissions.history"))
codes = [d.code for d in catalog.departments]
names, everyone = widgets.department_labels(lang), session.t("submissions.all_departments")
only = st.selectbox(session.t("submissions.history_filter"), [None, *codes], key="history_department",
                    format_func=lambda c: everyone if c is None else names.get(c, c))
history = subs if only is None else subs[subs.department == only]
history = history.assign(
    status=widgets.translated(history.status, "status."),
    department=widgets.department_names(history.department),
)[["id", "department", "period", "version", "status", "n_values", "n_expected", "n_warnings",
   "received_at", "uploader", "preparer", "file_name", "withdrawn_at", "withdrawn_by",
   "withdraw_reason", "sha256"]]
history = history.rename(columns={c: session.t(f"col.{c}") for c in history.columns})
widgets.frame(widgets.paged(history, f"history_page_{only}"), column_config={
    session.t("col.department"): st.column_config.TextColumn(pinned=True),
    **{session.t(f"col.{c}"): st.column_config.DatetimeColumn(format=formatting.table_datetime(lang))
       for c in ("received_at", "withdrawn_at")}})
widgets.downloads(history, "submission_history")


def withdraw_form(current: pd.DataFrame) -> None:
    """Administrators only: a current submission, a reason (required) and a confirmation; the
    version before it becomes current again. The store checks the role once more."""
    def label(sid: int, language: str = lang) -> str:
        row = current[current.id == sid].iloc[0]
        return (f"#{sid} — {widgets.department_label(row.department, language)} · {row.period} · "
                f"v{row.version} · {row.file_name}")

    with st.form("withdraw_form", clear_on_submit=False, enter_to_submit=False):
        sid = st.selectbox(session.t("withdraw.submission"), current.id.tolist(),
                           format_func=session.labels(label, lang), key="withdraw_id")
        reason = st.text_input(session.t("withdraw.reason"), max_chars=upload.MAX_REASON,
                               key="withdraw_reason")
        sure = st.checkbox(session.t("withdraw.confirm"), key="withdraw_sure")
        if not st.form_submit_button(session.t("withdraw.button"), type="primary", icon=":material/undo:"):
            return
    if not reason.strip():
        st.error(session.t("access.reason_required"), icon=":material/edit_note:")
        return
    if not sure:
        st.error(session.t("withdraw.confirm_needed"), icon=":material/check_box:")
        return
    ok, now_current = widgets.write(lambda db: upload.withdraw(db, int(sid), who, reason))
    if not ok:
        return
    st.session_state["withdraw_flash"] = session.t(
        "withdraw.done", id=int(sid), after=session.t("withdraw.after_version", id=now_current)
        if now_current else session.t("withdraw.after_none"))
    st.rerun()


if who.is_admin:
    box = widgets.opened(session.t("withdraw.title"), "withdraw_box", ":material/undo:")
    if box is not None:
        with box:
            current_subs = subs[subs.status == "current"]
            if current_subs.empty:
                st.info(session.t("withdraw.none"))
            else:
                withdraw_form(current_subs)
