"""The Vũng Tàu pilot: headline cards with progress status, series with targets across the
1 July 2025 unit change, progress to targets, and the wards in either unit system."""

from __future__ import annotations

import math

import streamlit as st

from sca_metrics.outputs import pilot_figures
from sca_metrics.reference import formatting, i18n, vocabulary
from sca_metrics.reference.units import default_units, reference_date
from sca_metrics.services import readiness
from views import access, cached, session, widgets

access.require()

BADGES = {"achieved": ("blue", ":material/verified:"), "on_track": ("green", ":material/trending_up:"),
          "acceleration": ("yellow", ":material/speed:"), "limited": ("orange", ":material/trending_flat:"),
          "deterioration": ("red", ":material/trending_down:"), "insufficient": ("gray", ":material/help:")}
INDICATORS = "widgets.page_indicators"  # what a page's caption counts

lang = session.lang()
st.title(session.t("pilot.title"))

by_period = widgets.scores_or_stop()
catalog, units = cached.catalog(), default_units()
obs = cached.observations(*cached.version())
wards = cached.unit_observations(*cached.version())
inds = [i for i in catalog.indicators if i.pilot]
codes = [i.code for i in inds]
period = session.period_picker(list(by_period), "pilot")
province = units.change_for("BRVT")
st.caption(session.t("pilot.intro", basis=province.basis(lang) if province else ""))


def card(container, ind, row) -> None:
    unit = ind.unit(lang)
    with container.container(border=True, height="stretch"):
        st.markdown(f"**{ind.short_name(lang)}** ({unit})", help=f"{ind.code} · {ind.name(lang)}")
        # a count is whole (1.301 cameras, +140 since 2025), a rate keeps its decimal
        decimals = formatting.indicator_decimals(ind.kind, row.value, row.value - row.change)
        value = session.t("pilot.missing") if math.isnan(row.value) else session.num(row.value, decimals,
                                                                                       fixed=True)
        st.metric(ind.name(lang), value, label_visibility="collapsed",
                  **widgets.delta(row.change, session.t("pilot.change", period=row.previous_period),
                                  decimals, higher_is_better=ind.direction == "higher"))
        colour, icon = BADGES[row.status]
        st.badge(vocabulary.term(vocabulary.PROGRESS_STATUSES, row.status).name(lang), color=colour,
                 icon=icon)
        target = (session.t("pilot.target", year=int(row.target_year),
                            target=formatting.with_unit(row.target, unit, lang))
                  if row.target is not None and not math.isnan(row.target) else session.t("pilot.no_target"))
        rates = "" if row.ratio is None or math.isnan(row.ratio) else " · " + session.t(
            "figure.progress_rates", actual=pilot_figures.rate_text(row.actual_rate, row.method, unit, lang),
            required=pilot_figures.rate_text(row.required_rate, row.method, unit, lang))
        st.caption(target + rates)


def _progress() -> tuple:
    return readiness.pilot_headlines(catalog, obs, period)


prog, heads = widgets.shared("pilot_progress", _progress, period)  # once per data version and period
st.subheader(session.t("pilot.headlines", period=period))
# twelve cards at a time (three rows): a page never draws hundreds of them
rows = list(widgets.paged(heads, "pilot_cards_page", widgets.PAGE_ITEMS, INDICATORS).itertuples())
for start in range(0, len(rows), 4):  # a row of cards at a time, so each row lines up
    for column, row in zip(st.columns(4), rows[start:start + 4], strict=False):
        card(column, catalog.indicator(row.code), row)

change_days = units.pilot_change_dates()
city = obs[obs.indicator.isin(codes) & (obs.period.astype(int) <= int(period))]


def show_series() -> None:
    title = session.t("figure.multiples_title", pilot=units.pilot_name(lang, reference_date(period)))
    part = widgets.paged(prog, "pilot_series_page", widgets.PAGE_ITEMS, INDICATORS)
    widgets.chart(lambda: pilot_figures.pilot_multiples(city, part, catalog, change_days, lang, title),
                 "pilot_series", period, unit=None, depends=tuple(part.code),
                 phone=lambda: pilot_figures.pilot_multiples(city, part, catalog, change_days, lang, title,
                                                             columns=1))


PROGRESS_COLUMNS = {
    "code": session.t("method.col_code"), "name": session.t("method.col_name"),
    "status": session.t("pilot.col_status"), "base_period": session.t("pilot.col_base"),
    "base_value": session.t("pilot.col_base_value"), "latest_value": session.t("pilot.col_value"),
    "target": session.t("pilot.col_target"), "unit": session.t("indicator.unit"),
    "target_year": session.t("pilot.col_target_year"), "actual_rate": session.t("pilot.col_actual"),
    "required_rate": session.t("pilot.col_required"), "ratio": session.t("pilot.col_ratio")}


def show_progress() -> None:
    st.caption(session.t("pilot.progress_help"))
    pilot_name = units.pilot_name(lang, reference_date(period))
    title = session.t("figure.progress_title", period=period, pilot=pilot_name)
    ordered = pilot_figures.by_status(prog)  # pages in the bars' order: those furthest behind first
    part = widgets.paged(ordered, "pilot_progress_page", widgets.PAGE_ITEMS, INDICATORS)
    widgets.chart(lambda: pilot_figures.progress_bars(part, catalog, lang, title),
                 "pilot_progress", period, unit="progress", depends=tuple(part.code),
                 phone=lambda: pilot_figures.progress_bars(part, catalog, lang, title, phone=True))
    # as every table writes numbers: a row's base, value and target with the decimals its
    # indicator calls for, the rates in % a year, R at two decimals (its bands are 0,6 and 0,95)
    inds = [catalog.indicator(c) for c in prog.code]
    written = formatting.indicator_columns([ind.kind for ind in inds], lang, **{
        c: prog[c] for c in ("base_value", "latest_value", "target")})
    widgets.data_table(prog.assign(
        name=[ind.name(lang) for ind in inds], unit=[ind.unit(lang) for ind in inds],
        status=[vocabulary.term(vocabulary.PROGRESS_STATUSES, s).name(lang) for s in prog.status],
        actual_rate=100 * prog.actual_rate, required_rate=100 * prog.required_rate, **written,
    )[list(PROGRESS_COLUMNS)].rename(columns=PROGRESS_COLUMNS), f"pilot_progress_{period}",
        numbers={PROGRESS_COLUMNS["actual_rate"]: 1, PROGRESS_COLUMNS["required_rate"]: 1,
                 PROGRESS_COLUMNS["ratio"]: 2})


def show_wards() -> None:
    left, right = st.columns(2)
    system = left.radio(session.t("pilot.system"), [readiness.CURRENT, readiness.FORMER], horizontal=True,
                        key="pilot_system",
                        format_func=lambda s, lang=lang: i18n.t(f"pilot.system_{s}", lang))
    code = session.url_select(session.t("pilot.indicator"), codes, "indicator", "pilot_indicator",
                             default=codes[0], container=right,
                             format_func=lambda c: catalog.indicator(c).name(lang))
    ind = catalog.indicator(code)
    system_name = session.t(f"pilot.system_{system}")
    st.caption(session.t("pilot.aggregation", how=vocabulary.term(vocabulary.AGGREGATIONS, ind.aggregation)
                        .name(lang).lower()) + " " + session.t("pilot.rolled_note"))
    mine = wards[wards.indicator == code]
    frame = readiness.wards(mine, catalog, units, system)
    now = frame[frame.period == period]
    if now.empty and len(mine[mine.period == period]):
        st.info(session.t("pilot.never_split", period=period), icon=":material/call_split:")
    elif now.empty:
        st.info(session.t("pilot.no_ward_data", period=period))
    else:
        short = ind.short_name(lang)
        gaps = now[now.value.isna()]
        if len(gaps):
            st.warning(session.t("pilot.incomplete", units=", ".join(
                units.unit(u).name(lang) for u in gaps.unit)))
        city_value = city[(city.indicator == code) & (city.period == period)].value
        title = session.t("figure.wards_title", name=short, system=system_name, period=period)
        whole = city_value.iloc[0] if len(city_value) else None
        widgets.chart(lambda: pilot_figures.ward_bars(now, ind, units, lang, title, city=whole),
                     f"pilot_wards_{system}", period, unit=None, depends=(code,))
        widgets.data_table(now.assign(unit=[units.unit(u).name(lang) for u in now.unit])[
            ["unit", "value", "population", "n_sources"]].rename(columns={
                "unit": session.t("pilot.col_unit"), "value": session.t("pilot.col_value"),
                "population": session.t("pilot.col_population"),
                "n_sources": session.t("pilot.col_sources")}),
            f"pilot_wards_{code}_{period}_{system}", numbers={
                session.t("pilot.col_value"): formatting.indicator_decimals(ind.kind, *now.value),
                session.t("pilot.col_population"): 0})
    history = frame[frame.period.astype(int) <= int(period)]
    if len(history):
        title = session.t("figure.ward_series_title", name=ind.short_name(lang),
                         system=system_name)
        widgets.chart(lambda: pilot_figures.ward_lines(history, ind, units, change_days, lang, title),
                     f"pilot_ward_lines_{system}", period, unit=None, depends=(code,))
    st.caption(session.t("pilot.no_map"))


tabs = session.url_tabs(["series", "progress", "wards"], "pilot.tab_")
for tab, show in zip(tabs, (show_series, show_progress, show_wards), strict=True):
    if tab.open:
        with tab:
            show()
