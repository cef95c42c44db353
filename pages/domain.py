"""One domain: its drivers, indicators (values, scores, targets, gaps, quality, evidence),
trend over the periods and what it misses, indicator by indicator."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from pages import common
from sca_metrics import figures, i18n, model, progress
from sca_metrics.selection import domain_param, driver_param
from sca_metrics.units import default_units

common.ensure_app_navigation()
lang = common.lang()
catalog = common.catalog()
st.title(common.t("domain.title"))

by_period = common.scores_or_stop()

left, mid = st.columns(2)
period = common.period_picker(list(by_period), "domain", container=left)
domain = common.url_select(common.t("domain.picker"), list(model.DOMAIN_CODES), "domain",
                           "domain_picker", default=domain_param(st.query_params.get("domain")),
                           container=mid, format_func=common.labels(common.domain_name, lang))
scores = by_period[period]
row = scores.domains[scores.domains.domain == domain].iloc[0]
cols = st.columns(4)
if math.isnan(row.score):
    cols[0].metric(common.t("domain.score"), common.t("overview.missing"))
    cols[0].caption(common.t("domain.reason", reason=common.t(f"reason.{row.reason}")))
else:
    change = row.get("change")
    cols[0].metric(common.t("domain.score"), common.num(row.score, 1, fixed=True),
                   delta=None if change is None or math.isnan(change) else
                   f"{common.num(change, 1, fixed=True)} {common.t('overview.change')}")
    to_next = row.points_to_next_level
    cols[0].caption(f"{common.t('overview.level')} {int(row.level)} — {row[f'level_{lang}']} · " + (
        common.t("domain.top_level") if math.isnan(to_next) else
        common.t("domain.to_next", points=common.num(to_next, 1, fixed=True), level=int(row.level) + 1)))
cols[1].metric(common.t("domain.coverage"), f"{common.num(100 * row.coverage, 0)}%")
cols[2].metric(common.t("domain.gap_2025"), common.num(row.gap_2025, 1, fixed=True))
cols[3].metric(common.t("domain.gap_2030"), common.num(row.gap_2030, 1, fixed=True))

left, right = st.columns(2)
with left:
    common.chart(lambda: figures.drivers(scores, domain, lang), key="domain_drivers", period=period,
                 depends=(domain,))
with right:
    common.chart(lambda: figures.trend(by_period, domain, lang, default_units().change_dates()),
                 key="domain_trend", depends=(domain,),
                 period=f"{min(by_period)}–{max(by_period)}")
common.data_table(lambda: pd.DataFrame([{
    common.t("figure.period"): p,
    common.domain_name(domain): s.domains.set_index("domain").score.get(domain),
    **{model.term(model.DRIVERS, c.driver).name(lang): c.score
       for c in s.cells[s.cells.domain == domain].itertuples()},
} for p, s in by_period.items()]), f"trend_{domain}", numbers=lambda trend: {c: 1 for c in trend.columns[1:]})

common.chart(lambda: figures.gaps(scores, domain, lang), key="domain_gaps", period=period,
             depends=(domain,))

st.subheader(common.t("domain.indicators"))
ALL = "all"
driver = st.segmented_control(
    common.t("domain.driver_filter"), [ALL, *model.DRIVER_CODES], key="driver_filter",
    default=driver_param(st.query_params.get("driver")) or ALL,
    format_func=lambda d, lang=lang: i18n.t("domain.all_drivers", lang) if d == ALL else
    model.term(model.DRIVERS, d).name(lang)) or ALL
if driver == ALL:
    st.query_params.pop("driver", None)
elif st.query_params.get("driver") != driver:
    st.query_params["driver"] = driver

ind = scores.indicators[scores.indicators.domain == domain]
if driver != ALL:
    ind = ind[ind.driver == driver]
    st.caption(common.t("domain.from_heatmap", domain=common.domain_name(domain),
                        driver=model.term(model.DRIVERS, driver).name(lang)))
if ind.empty:
    st.info(common.t("domain.no_indicators"))
    st.stop()


def _value(r) -> str:
    if pd.isna(r.value):
        return "–"
    if r.kind == "yesno":
        return common.t("indicator.yes") if r.value >= 0.5 else common.t("indicator.no")
    return common.num(r.value, 2)


@st.cache_resource(show_spinner=False, max_entries=64)
def indicator_table(path: str, version: str, period: str, domain: str, driver: str, lang: str,
                    _ind: pd.DataFrame) -> pd.DataFrame:
    """The indicators' table, built once per data version, period, domain, driver and language."""
    ind = _ind
    quality = {q.code: q.name(lang) for q in model.QUALITY_FLAGS}
    prog = progress.progress_frame(common.catalog(), common.observations(path, version), period,
                                   list(ind.code)).set_index("code")
    return pd.DataFrame({
        common.t("indicator.code"): ind.code,
        common.t("indicator.name"): ind[f"name_{lang}"],
        common.t("indicator.driver"): [model.term(model.DRIVERS, d).name(lang) for d in ind.driver],
        common.t("indicator.direction"): ["↓" if d == "lower" else "↑" for d in ind.direction],
        common.t("indicator.value"): [_value(r) + (" ⚠" if r.capped else "") for r in ind.itertuples()],
        common.t("indicator.unit"): ind[f"unit_{lang}"],
        common.t("indicator.score"): ind.score,
        common.t("indicator.target_2025"): ind.target_2025,
        common.t("indicator.gap_2025"): ind.target_score_2025 - ind.score,
        common.t("indicator.gap_share"): ind.gap_contribution,
        common.t("indicator.progress"): [
            figures.progress_label(prog.loc[c], unit, lang) if c in prog.index else "–"
            for c, unit in zip(ind.code, ind[f"unit_{lang}"], strict=True)],
        common.t("indicator.weight"): ind.weight_in_domain,
        common.t("indicator.quality"): [quality.get(q, "") if isinstance(q, str) else "" for q in
                                        ind.get("quality", pd.Series(index=ind.index))],
        common.t("indicator.evidence"): ind.get("evidence", ""),
        common.t("indicator.department"): ind.department,
    })


table = indicator_table(*common.version(), period, domain, driver, lang, ind)
common.table(table, numbers={common.t("indicator.score"): 1, common.t("indicator.target_2025"): 2,
                             common.t("indicator.gap_2025"): 1, common.t("indicator.gap_share"): 2},
             percent=(common.t("indicator.weight"),))
st.caption(common.t("domain.reversed_note") + "  \n" + common.t("domain.capped_note"))
common.downloads(table, f"indicators_{domain}_{period}")
