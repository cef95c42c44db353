"""Overview: overall score and level, domains × drivers heatmap, ranking, foundations."""

from __future__ import annotations

import math

import streamlit as st

from pages import common
from sca_metrics import figures, model

common.ensure_app_navigation()
lang = common.lang()
st.title(common.t("overview.title"))

by_period = common.scores_by_period(str(common.db_path()), common.data_version())
if not by_period:
    st.info(common.t("app.empty_db", db=common.db_path()))
    st.stop()
period = common.period_picker(list(by_period))
scores = by_period[period]


def metric(column, label: str, row) -> None:
    if row.score is None or math.isnan(row.score):
        column.metric(label, common.t("overview.missing"))
        return
    change = row.get("change")
    delta = None if change is None or math.isnan(change) else (
        f"{common.num(change, 1, fixed=True)} {common.t('overview.change')}")
    level = f"{common.t('overview.level')} {int(row.level)} — {row[f'level_{lang}']}"
    column.metric(label, common.num(row.score, 1, fixed=True), delta=delta, help=level)
    column.caption(level)


overall = scores.overall.iloc[0]
foundations = scores.foundations.iloc[0]
cols = st.columns(2)
metric(cols[0], common.t("overview.overall"), overall)
metric(cols[1], common.t("overview.foundations"), foundations)

left, right = st.columns([3, 2])
left.plotly_chart(figures.heatmap(scores, lang), width="stretch",
                  config={"toImageButtonOptions": {"format": "png", "scale": 3}})
right.plotly_chart(figures.ranking(scores, lang), width="stretch",
                   config={"toImageButtonOptions": {"format": "png", "scale": 3}})

with st.expander(common.t("overview.data_table")):
    table = scores.domains.assign(
        domain=scores.domains.domain.map(lambda d: model.term(model.DOMAINS, d).name(lang)))
    table = table[["domain", "score", "coverage", "level", f"level_{lang}", "rank", "gap_2025",
                   "gap_2030", "change"]]
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"score": st.column_config.NumberColumn(format="%.1f"),
                                "gap_2025": st.column_config.NumberColumn(format="%.1f"),
                                "gap_2030": st.column_config.NumberColumn(format="%.1f"),
                                "change": st.column_config.NumberColumn(format="%.1f"),
                                "coverage": st.column_config.NumberColumn(format="percent")})
    st.download_button(common.t("overview.download_csv"),
                       table.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"overview_{period}.csv", mime="text/csv")
