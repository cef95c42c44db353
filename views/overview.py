"""Overview: overall score and level, domains × drivers heatmap, ranking, radar, foundations."""

from __future__ import annotations

import math

import streamlit as st

from sca_metrics.outputs import score_figures
from sca_metrics.reference import vocabulary
from sca_metrics.services.readiness import target_year
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

# every header in the language; the level as "4 — Quản lý"; a missing number as "–", its reason
# in a column of its own (st.dataframe has no per-cell tooltip) and on the score header's hover
year = target_year(period)  # the period's own target year (2025 up to 2025, 2030 from 2026)
d = scores.domains
columns = {"domain": session.t("domain.picker"), "score": session.t("indicator.score"),
           "coverage": session.t("overview.col_coverage"), "level": session.t("overview.level"),
           "rank": session.t("overview.col_rank"),
           "target_score": session.t("overview.col_target", year=year),
           "gap": session.t("overview.col_gap", year=year), "change": session.t("overview.col_change"),
           "reason": session.t("overview.col_reason")}
levels = [f"{int(lv)} — {name}" if isinstance(name, str) else "–"
          for lv, name in zip(d.level, d[f"level_{lang}"], strict=True)]
table = d.assign(
    domain=d.domain.map(session.domain_name), level=levels,
    reason=d.reason.map(lambda r: session.t(f"reason.{r}") if isinstance(r, str) else ""),
)[list(columns)].rename(columns=columns)
decimals = {columns[c]: 1 for c in ("score", "target_score", "gap")} | {columns["rank"]: 0}
widgets.data_table(table, f"overview_{period}", numbers=decimals, percent=(columns["coverage"],),
                  help={columns["score"]: session.t("overview.col_help_missing")},
                  signed={columns["change"]: 1})

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
    if st.button(session.t("overview.foundations_detail"), icon=":material/arrow_forward:",
                 key="overview_foundations"):
        st.switch_page("views/domain.py", query_params={"lang": lang, "period": period,
                                                        "domain": vocabulary.FOUNDATIONS})
