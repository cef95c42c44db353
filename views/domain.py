"""One domain: its drivers, indicators (values, scores, targets, gaps, quality, evidence),
trend over the periods and what it misses, indicator by indicator."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from sca_metrics.outputs import pilot_figures, score_figures
from sca_metrics.outputs.selection import domain_param, driver_param
from sca_metrics.reference import formatting, i18n, vocabulary
from sca_metrics.reference.units import default_units
from sca_metrics.services import readiness
from sca_metrics.services.readiness import target_year
from views import access, cached, session, widgets

access.require()

lang = session.lang()
catalog = cached.catalog()
st.title(session.t("domain.title"))

by_period = widgets.scores_or_stop()

left, mid = st.columns(2)
period = session.period_picker(list(by_period), "domain", container=left)
domain = session.url_select(session.t("domain.picker"), list(vocabulary.DOMAIN_CODES), "domain",
                           "domain_picker", default=domain_param(st.query_params.get("domain")),
                           container=mid, format_func=session.labels(session.domain_name, lang))
scores = by_period[period]
row = scores.domains[scores.domains.domain == domain].iloc[0]
cols = st.columns(4)
if math.isnan(row.score):
    cols[0].metric(session.t("domain.score"), session.t("overview.missing"))
    cols[0].caption(session.t("domain.reason", reason=session.t(f"reason.{row.reason}")))
else:
    to_next = row.points_to_next_level
    next_level = session.t("domain.top_level") if math.isnan(to_next) else session.t(
        "domain.to_next", points=session.num(to_next, 1, fixed=True), level=int(row.level) + 1)
    widgets.score_metric(cols[0], session.t("domain.score"), row, scores.previous_period,
                         caption=f"{session.t('overview.level')} {int(row.level)} — {row[f'level_{lang}']} · "
                                 f"{next_level}")
cols[1].metric(session.t("domain.coverage"), f"{session.num(100 * row.coverage, 0)}%")
# the period's own target (2025 up to 2025, 2030 from 2026: a passed target is not measured against),
# and the 2030 one beside it while 2025 is the period's
year = row.target_year
cols[2].metric(session.t("domain.gap_year", year=year), session.num(row.gap, 1, fixed=True))
if year != 2030:
    cols[3].metric(session.t("domain.gap_year", year=2030), session.num(row.gap_2030, 1, fixed=True))

left, right = st.columns(2)
with left:
    widgets.chart(lambda: score_figures.drivers(scores, domain, lang), key="domain_drivers", period=period,
                 depends=(domain,))
with right:
    widgets.chart(lambda: score_figures.trend(by_period, domain, lang, default_units().change_dates()),
                 key="domain_trend", depends=(domain,),
                 period=f"{min(by_period)}–{max(by_period)}")
widgets.data_table(lambda: pd.DataFrame([{
    session.t("figure.period"): p,
    session.domain_name(domain): s.domains.set_index("domain").score.get(domain),
    **{vocabulary.term(vocabulary.DRIVERS, c.driver).name(lang): c.score
       for c in s.cells[s.cells.domain == domain].itertuples()},
} for p, s in by_period.items()]), f"trend_{domain}", numbers=lambda trend: {c: 1 for c in trend.columns[1:]})

# PAGE_BARS indicators at a time, the biggest shares first (a domain at national scale has hundreds)
shares = widgets.page(len(score_figures.gap_shares(scores, domain)), f"domain_gaps_page_{domain}",
                      widgets.PAGE_BARS, "widgets.page_indicators")
widgets.chart(lambda: score_figures.gaps(scores, domain, lang, shares), key="domain_gaps", period=period,
             depends=(domain, shares.start, shares.stop),
             phone=lambda: score_figures.gaps(scores, domain, lang, shares, phone=True))

st.subheader(session.t("domain.indicators"))
ALL = "all"
driver = st.segmented_control(
    session.t("domain.driver_filter"), [ALL, *vocabulary.DRIVER_CODES], key="driver_filter",
    default=driver_param(st.query_params.get("driver")) or ALL,
    format_func=lambda d, lang=lang: i18n.t("domain.all_drivers", lang) if d == ALL else
    vocabulary.term(vocabulary.DRIVERS, d).name(lang)) or ALL
if driver == ALL:
    st.query_params.pop("driver", None)
elif st.query_params.get("driver") != driver:
    st.query_params["driver"] = driver

ind = scores.indicators[scores.indicators.domain == domain]
if driver != ALL:
    ind = ind[ind.driver == driver]
    st.caption(session.t("domain.from_heatmap", domain=session.domain_name(domain),
                        driver=vocabulary.term(vocabulary.DRIVERS, driver).name(lang)))
if ind.empty:
    st.info(session.t("domain.no_indicators"))
    st.stop()


def _values(r, lang: str) -> tuple[str, str]:
    """The value (⚠ when capped) and the target of the period's target year of one indicator,
    written alike."""
    target = getattr(r, f"target_{r.target_year}") if not pd.isna(r.target_year) else None
    value, written = formatting.indicator_values(r.kind, lang, r.value, target)
    return value + (" ⚠" if r.capped else ""), written


@st.cache_resource(show_spinner=False, max_entries=64)
def indicator_table(path: str, version: str, period: str, domain: str, driver: str, lang: str,
                    _ind: pd.DataFrame) -> pd.DataFrame:
    """The indicators' table, built once per data version, period, domain, driver and language."""
    ind = _ind
    year = target_year(period)
    quality = {q.code: q.name(lang) for q in vocabulary.QUALITY_FLAGS}
    prog = readiness.indicator_progress(cached.catalog(), cached.observations(path, version), period,
                                          list(ind.code)).set_index("code")
    written = [_values(r, lang) for r in ind.itertuples()]  # value and target, once per row
    # the decisive columns first — what, how much, its score, the target and the gap, the progress
    # to it, how good the figure is —; the code and name pinned while the rest scrolls
    return pd.DataFrame({
        session.t("indicator.code"): ind.code,
        session.t("indicator.name"): ind[f"name_{lang}"],
        session.t("indicator.value"): [value for value, _ in written],
        session.t("indicator.unit"): ind[f"unit_{lang}"],
        session.t("indicator.score"): ind.score,
        session.t("indicator.target_year", year=year): [target for _, target in written],
        session.t("indicator.gap_year"): ind.gap,
        session.t("indicator.progress"): [
            pilot_figures.progress_label(prog.loc[c], unit, lang) if c in prog.index else "–"
            for c, unit in zip(ind.code, ind[f"unit_{lang}"], strict=True)],
        session.t("indicator.quality"): [quality.get(q, "–") if isinstance(q, str) else "–" for q in
                                        ind.get("quality", pd.Series(index=ind.index))],
        session.t("indicator.driver"): [vocabulary.term(vocabulary.DRIVERS, d).name(lang)
                                        for d in ind.driver],
        session.t("indicator.direction"): ["↓" if d == "lower" else "↑" for d in ind.direction],
        session.t("indicator.gap_share"): ind.gap_contribution,
        session.t("indicator.weight"): ind.weight_in_domain,
        session.t("indicator.evidence"): [e if isinstance(e, str) and e.strip() else "–" for e in
                                         ind.get("evidence", pd.Series(index=ind.index))],
        session.t("indicator.department"): ind.department,
    })


table = indicator_table(*cached.version(), period, domain, driver, lang, ind)
gap_help = session.t("indicator.gap_help", year=target_year(period))
widgets.table(widgets.paged(table, f"domain_table_page_{domain}_{driver}"),
              numbers={session.t("indicator.score"): 1,
                       session.t("indicator.gap_year"): 1,
                       session.t("indicator.gap_share"): 2},
              percent=(session.t("indicator.weight"),),
              help={session.t("indicator.value"): session.t("domain.value_help"),
                    session.t("indicator.score"): session.t("domain.score_help"),
                    session.t("indicator.gap_year"): gap_help},
              column_config={
                  session.t("indicator.code"): st.column_config.TextColumn(pinned=True),
                  session.t("indicator.name"): st.column_config.TextColumn(width="medium", pinned=True),
                  session.t("indicator.progress"): st.column_config.TextColumn(width="medium")})
notes = [session.t("domain.reversed_note"), session.t("domain.capped_note")]
unscored = int(ind.score.isna().sum())
if unscored:  # a "–" in the score column, and why
    notes.append(session.t("domain.missing_note", n=session.num(unscored), count=unscored, period=period))
st.caption("  \n".join(notes))
widgets.downloads(table, f"indicators_{domain}_{period}")
