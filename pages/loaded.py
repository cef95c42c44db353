"""What is loaded, per department and period: the current version of each return."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import common

common.ensure_app_navigation()

st.title(common.t("loaded.title"))
st.caption(common.t("app.subtitle"))

subs = common.submissions(str(common.db_path()), common.data_version())
if subs.empty:
    st.info(common.t("app.empty_db", db=common.db_path()))
    st.stop()

current = subs[subs.status == "current"]
cols = st.columns(4)
cols[0].metric(common.t("loaded.metric_submissions"), common.num(len(current), 0))
cols[1].metric(common.t("loaded.metric_departments"), common.num(current.department.nunique(), 0))
cols[2].metric(common.t("loaded.metric_periods"), common.num(current.period.nunique(), 0))
cols[3].metric(common.t("loaded.metric_values"), common.num(int(current.n_values.sum()), 0))

st.write(common.t("loaded.intro"))
departments = [d.code for d in common.catalog().departments]
periods = sorted(subs.period.unique())
cells = {(r.department, r.period): f"{r.n_values}/{r.n_expected} (v{r.version})"
         for r in current.itertuples()}
matrix = pd.DataFrame(
    [[cells.get((d, p), "") for p in periods] for d in departments],
    index=[common.department_label(d) for d in departments], columns=periods)
st.dataframe(matrix, width="stretch", height=36 * (len(departments) + 1) + 4)
st.caption(common.t("loaded.matrix_caption"))

st.subheader(common.t("loaded.history"))
history = subs.assign(
    status=subs.status.map(lambda s: common.t(f"status.{s}")),
    department=subs.department.map(common.department_label),
)[["id", "department", "period", "version", "status", "n_values", "n_expected", "n_warnings",
   "received_at", "uploader", "preparer", "file_name", "sha256"]]
history = history.rename(columns={c: common.t(f"col.{c}") for c in history.columns})
st.dataframe(history, width="stretch", hide_index=True)
st.download_button(common.t("loaded.download_csv"), history.to_csv(index=False).encode("utf-8-sig"),
                   file_name="submissions.csv", mime="text/csv")
