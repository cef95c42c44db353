"""Who has submitted what: per department and period, completeness, warnings, versions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import common
from sca_metrics import figures, i18n, model, tracker

common.ensure_app_navigation()
lang = common.lang()
catalog = common.catalog()
st.title(common.t("submissions.title"))
st.write(common.t("submissions.intro"))

path, version = common.version()
subs = common.submissions(path, version)
if subs.empty:
    st.info(common.t("app.empty_db", db=common.db_path()))
    st.stop()

known = sorted(subs.period.astype(str).unique())
periods = [str(y) for y in range(model.PERIOD_FIRST, model.PERIOD_LAST + 1)]
# Its own key: the list runs to 2030 (who is missing for a coming period), unlike the
# score pages' list of periods with data.
period = common.url_select(common.t("overview.period"), periods, "period", "submissions_period",
                           default=known[-1])


@st.cache_resource(show_spinner=False, max_entries=16)
def period_status(path: str, version: str, period: str) -> pd.DataFrame:
    return tracker.period_status(common.catalog(), common.submissions(path, version), period)


@st.cache_resource(show_spinner=False, max_entries=4)
def coverage_matrix(path: str, version: str) -> pd.DataFrame:
    subs = common.submissions(path, version)
    return tracker.coverage_matrix(common.catalog(), subs, sorted(subs.period.astype(str).unique()))


status = period_status(path, version, period)
missing = tracker.missing_departments(status)
submitted = status[status.state == tracker.SUBMITTED]

cols = st.columns(4)
cols[0].metric(common.t("submissions.submitted"), f"{len(submitted)}/{len(status)}")
cols[1].metric(common.t("submissions.missing"), common.num(len(missing), 0))
cols[2].metric(common.t("submissions.coverage"),
               f"{common.num(100 * submitted.coverage.mean(), 0)}%" if len(submitted) else "–")
cols[3].metric(common.t("submissions.warnings"), common.num(int(submitted.n_warnings.sum()), 0))
if missing:
    st.warning(common.t("submissions.missing_list", period=period,
                        departments=", ".join(common.department_label(d) for d in missing)),
               icon=":material/pending_actions:")
else:
    st.success(common.t("submissions.all_in", period=period), icon=":material/task_alt:")

view = pd.DataFrame({
    common.t("col.department"): status.department.map(common.department_label),
    common.t("submissions.col_state"): status.state.map(lambda s: common.t(f"submissions.state_{s}")),
    common.t("col.version"): status.version,
    common.t("submissions.col_versions"): status.n_versions,
    common.t("col.received_at"): status.received_at,
    common.t("col.uploader"): status.uploader,
    common.t("col.preparer"): status.preparer,
    common.t("col.n_values"): status.n_values,
    common.t("col.n_expected"): status.n_expected,
    common.t("submissions.col_coverage"): status.coverage,
    common.t("col.n_warnings"): status.n_warnings,
    common.t("col.file_name"): status.file_name,
})
st.dataframe(view, hide_index=True, width="stretch", height=35 * (len(view) + 1) + 3, column_config={
    common.t("submissions.col_coverage"): st.column_config.ProgressColumn(
        min_value=0.0, max_value=1.0, format="percent"),
    common.t("col.received_at"): st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
})
common.downloads(view, f"submissions_{period}")

matrix = coverage_matrix(path, version)
labels = [common.department_label(d) for d in matrix.index]
common.chart(lambda: figures.coverage(matrix, labels, lang), key="submissions_coverage",
             period=f"{known[0]}–{known[-1]}", unit="completeness")
common.data_table(matrix.set_axis(labels).rename_axis(common.t("col.department")).reset_index(),
                  "coverage", percent=tuple(known))

st.subheader(common.t("submissions.history"))
codes = [d.code for d in catalog.departments]
only = st.selectbox(common.t("submissions.history_filter"), [None, *codes], key="history_department",
                    format_func=lambda c, lang=lang: i18n.t("submissions.all_departments", lang)
                    if c is None else common.department_label(c, lang))
history = subs if only is None else subs[subs.department == only]
history = history.assign(
    status=history.status.map(lambda s: common.t(f"status.{s}")),
    department=history.department.map(common.department_label),
)[["id", "department", "period", "version", "status", "n_values", "n_expected", "n_warnings",
   "received_at", "uploader", "preparer", "file_name", "withdrawn_at", "withdrawn_by",
   "withdraw_reason", "sha256"]]
history = history.rename(columns={c: common.t(f"col.{c}") for c in history.columns})
st.dataframe(history, width="stretch", hide_index=True, column_config={
    common.t(f"col.{c}"): st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")
    for c in ("received_at", "withdrawn_at")})
common.downloads(history, "submission_history")
