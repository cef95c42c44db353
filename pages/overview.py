"""Overview: overall score and level, domains × drivers heatmap, ranking, radar, foundations."""

from __future__ import annotations

import math

import streamlit as st

from pages import common
from sca_metrics import figures, model

common.ensure_app_navigation()
lang = common.lang()
st.title(common.t("overview.title"))

by_period = common.scores_or_stop()
periods = list(by_period)
period = common.period_picker(periods, "overview")
scores = by_period[period]
previous = by_period[periods[periods.index(period) - 1]] if periods.index(period) else None


def metric(column, label: str, row) -> None:
    if row.score is None or math.isnan(row.score):
        column.metric(label, common.t("overview.missing"))
        column.caption(common.t(f"reason.{row.reason or 'no_data'}"))
        return
    change = row.get("change")
    delta = None if change is None or math.isnan(change) else (
        f"{common.num(change, 1, fixed=True)} {common.t('overview.change')}")
    level = f"{common.t('overview.level')} {int(row.level)} — {row[f'level_{lang}']}"
    column.metric(label, common.num(row.score, 1, fixed=True), delta=delta, help=level)
    column.caption(level)


cols = st.columns(2)
metric(cols[0], common.t("overview.overall"), scores.overall.iloc[0])
metric(cols[1], common.t("overview.foundations"), scores.foundations.iloc[0])

st.caption(common.t("figure.click_hint"))
left, right = st.columns([3, 2])
with left:
    common.chart(lambda: figures.heatmap(scores, lang), key="overview_heatmap", period=period, drill=True)
with right:
    common.chart(lambda: figures.ranking(scores, lang), key="overview_ranking", period=period, drill=True)

table = scores.domains.assign(domain=scores.domains.domain.map(common.domain_name),
                              reason=scores.domains.reason.map(
                                  lambda r: common.t(f"reason.{r}") if isinstance(r, str) else ""))
table = table[["domain", "score", "coverage", "level", f"level_{lang}", "rank", "target_score_2025",
               "gap_2025", "gap_2030", "change", "reason"]]
table = table.rename(columns={"domain": common.t("domain.picker"),
                              f"level_{lang}": common.t("overview.level")})
common.data_table(table, f"overview_{period}", numbers={"score": 1, "target_score_2025": 1,
                                                       "gap_2025": 1, "gap_2030": 1, "change": 1},
                  percent=("coverage",))

left, right = st.columns([3, 2])
with left:
    common.chart(lambda: figures.radar(scores, previous, lang), key="overview_radar", period=period,
                 drill=True)
with right:
    st.subheader(common.t("overview.foundations"))
    cells = scores.cells[scores.cells.domain == model.FOUNDATIONS]
    for _, row in cells.iterrows():
        name = model.term(model.DRIVERS, row.driver).name(lang)
        if math.isnan(row.score):
            st.markdown(f"**{name}** — {common.t(f'reason.{row.reason}')}")
            continue
        st.markdown(f"**{name}** — {common.num(row.score, 1, fixed=True)} · "
                    f"{common.t('overview.level')} {int(row.level)} ({row[f'level_{lang}']})")
        st.progress(min(1.0, row.score / 100))
    if st.button(common.t("overview.foundations_detail"), icon=":material/arrow_forward:"):
        st.switch_page("pages/domain.py", query_params={"lang": lang, "period": period,
                                                        "domain": model.FOUNDATIONS})
