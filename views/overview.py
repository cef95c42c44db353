"""Overview: overall score and level, domains × drivers heatmap, ranking, radar, foundations."""

from __future__ import annotations

import math

import streamlit as st

from sca_metrics.method.scoring import target_year
from sca_metrics.outputs import score_figures
from sca_metrics.reference import vocabulary
from views import access, session, widgets

access.require()

lang = session.lang()
st.title(session.t("overview.title"))

by_period = widgets.scores_or_stop()
periods = list(by_period)
period = session.period_picker(periods, "overview")
scores = by_period[period]
previous = by_period[periods[periods.index(period) - 1]] if periods.index(period) else None


def metric(column, label: str, row) -> None:
    if row.score is None or math.isnan(row.score):
        column.metric(label, session.t("overview.missing"))
        column.caption(session.t(f"reason.{row.reason or 'no_data'}"))
        return
    level = f"{session.t('overview.level')} {int(row.level)} — {row[f'level_{lang}']}"
    widgets.score_metric(column, label, row, scores.previous_period, caption=level)


cols = st.columns(2)
metric(cols[0], session.t("overview.overall"), scores.overall.iloc[0])
metric(cols[1], session.t("overview.foundations"), scores.foundations.iloc[0])

st.caption(session.t("figure.click_hint"))
left, right = st.columns([3, 2])
with left:
    widgets.chart(lambda: score_figures.heatmap(scores, lang), key="overview_heatmap", period=period,
                  drill=True, phone=lambda: score_figures.heatmap(scores, lang, phone=True))
with right:
    widgets.chart(lambda: score_figures.ranking(scores, lang), key="overview_ranking", period=period,
                  drill=True, phone=lambda: score_figures.ranking(scores, lang, phone=True))

table = scores.domains.assign(domain=scores.domains.domain.map(session.domain_name),
                              reason=scores.domains.reason.map(
                                  lambda r: session.t(f"reason.{r}") if isinstance(r, str) else ""))
# against the period's own target year (2025 up to 2025, 2030 from 2026), the year in the header
year = target_year(period)
table = table[["domain", "score", "coverage", "level", f"level_{lang}", "rank", "target_score", "gap",
               "change", "reason"]]
table = table.rename(columns={"domain": session.t("domain.picker"),
                              f"level_{lang}": session.t("overview.level"),
                              "target_score": f"target_score_{year}", "gap": f"gap_{year}"})
widgets.data_table(table, f"overview_{period}", numbers={"score": 1, f"target_score_{year}": 1,
                                                       f"gap_{year}": 1, "change": 1},
                  percent=("coverage",))

left, right = st.columns([3, 2])
with left:
    widgets.chart(lambda: score_figures.radar(scores, previous, lang), key="overview_radar", period=period,
                 drill=True, phone=lambda: score_figures.radar(scores, previous, lang, phone=True))
with right:
    st.subheader(session.t("overview.foundations"))
    cells = scores.cells[scores.cells.domain == vocabulary.FOUNDATIONS]
    for _, row in cells.iterrows():
        name = vocabulary.term(vocabulary.DRIVERS, row.driver).name(lang)
        if math.isnan(row.score):
            st.markdown(f"**{name}** — {session.t(f'reason.{row.reason}')}")
            continue
        st.markdown(f"**{name}** — {session.num(row.score, 1, fixed=True)} · "
                    f"{session.t('overview.level')} {int(row.level)} ({row[f'level_{lang}']})")
        st.progress(min(1.0, row.score / 100))
    if st.button(session.t("overview.foundations_detail"), icon=":material/arrow_forward:"):
        st.switch_page("views/domain.py", query_params={"lang": lang, "period": period,
                                                        "domain": vocabulary.FOUNDATIONS})
