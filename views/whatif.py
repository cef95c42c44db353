"""What-if weights and uncertainty: edit driver, domain and indicator weights; scores, ranks
and levels move beside the catalog ones, with Monte Carlo intervals."""

from __future__ import annotations

import json
import math

import pandas as pd
import streamlit as st

from sca_metrics.method.scoring import ARITHMETIC, METHODS, Options, content_key, score_period
from sca_metrics.method.uncertainty import MonteCarlo, uncertainty
from sca_metrics.outputs import score_figures
from sca_metrics.reference import formatting, i18n, vocabulary
from views import access, cached, session, widgets

access.require()

lang = session.lang()
catalog = cached.catalog()
st.title(session.t("whatif.title"))
st.write(session.t("whatif.intro"))

by_period = widgets.scores_or_stop()
path, version = cached.version()

KEYS = ("whatif_method", "whatif_indicators",
        *(f"w_driver_{d}" for d in vocabulary.DRIVER_CODES),
        *(f"w_domain_{d}" for d in vocabulary.SMART_DOMAIN_CODES))


def reset() -> None:
    for key in KEYS:
        st.session_state.pop(key, None)


@st.cache_resource(show_spinner=False, max_entries=64)
def compute(content: tuple, period: str, options: Options, _values: pd.DataFrame):
    """What-if scores and their Monte Carlo intervals, cached per set of weights and by the
    content of the period's values (a return for another period leaves them as they are)."""
    return (score_period(cached.catalog(), _values, period, options),
            uncertainty(cached.catalog(), _values, period, options, MonteCarlo()))


STEPS = [round(0.1 * k, 1) for k in range(31)]  # weights 0–3 by 0,1


def weight_slider(label: str, key: str) -> float:
    """A weight 0–3 shown in the language's number format (1,5 in Vietnamese)."""
    return st.select_slider(label, STEPS, value=1.0, key=key,
                            format_func=lambda w, lang=lang: formatting.number(w, lang, 1, fixed=True))


controls, results = st.columns([1, 2], gap="large")
with controls:
    period = session.period_picker(list(by_period), "whatif")
    method = st.radio(session.t("whatif.method"), METHODS, key="whatif_method",
                      format_func=lambda m, lang=lang: i18n.t(f"whatif.{m}", lang))
    st.markdown(f"**{session.t('whatif.drivers')}**")
    driver_w = {d.code: weight_slider(d.name(lang), f"w_driver_{d.code}") for d in vocabulary.DRIVERS}
    st.markdown(f"**{session.t('whatif.domains')}**")
    domain_w = {d: weight_slider(session.domain_name(d), f"w_domain_{d}")
                for d in vocabulary.SMART_DOMAIN_CODES}
    st.button(session.t("whatif.reset"), on_click=reset, icon=":material/restart_alt:",
              key="whatif_reset")

with st.expander(session.t("whatif.experts"), icon=":material/science:"):
    st.caption(session.t("whatif.experts_help"))
    frame = pd.DataFrame({
        "code": [i.code for i in catalog.indicators],
        "name": [i.name(lang) for i in catalog.indicators],
        "domain": [session.domain_name(i.domain) for i in catalog.indicators],
        "weight": [i.weight for i in catalog.indicators],
        "new": [i.weight for i in catalog.indicators],
    })
    edited = st.data_editor(
        frame, key="whatif_indicators", hide_index=True, width="stretch", height=320,
        disabled=["code", "name", "domain", "weight"],
        column_config={
            "code": session.t("whatif.col_code"), "name": session.t("whatif.col_name"),
            "domain": session.t("whatif.col_domain"),
            "weight": st.column_config.NumberColumn(session.t("whatif.col_weight"), format="%.2f"),
            "new": st.column_config.NumberColumn(session.t("whatif.col_weight_new"), min_value=0.0,
                                                 max_value=10.0, step=0.05, format="%.2f"),
        })
indicator_w = {c: float(n) for c, w, n in zip(edited.code, edited.weight, edited.new, strict=True)
               if n is not None and not math.isnan(n) and not math.isclose(n, w)}

options = Options(method=method, indicator_weights=indicator_w,
                  driver_weights={k: v for k, v in driver_w.items() if v != 1.0},
                  domain_weights={k: v for k, v in domain_w.items() if v != 1.0})
n_changed = (len(indicator_w) + len(options.driver_weights) + len(options.domain_weights)
             + (method != ARITHMETIC))
nominal = by_period[period]
obs = cached.observations(path, version)
values = obs[obs.period.astype(str) == period]
changed, spread = compute(content_key(values), period, options, values)

with results:
    st.caption(session.t("whatif.changed", n=n_changed) if n_changed else session.t("whatif.unchanged"))
    cols = st.columns(2)
    new_overall = changed.overall.score.iloc[0]
    old_overall = nominal.overall.score.iloc[0]
    cols[0].metric(session.t("whatif.overall"), session.num(new_overall, 1, fixed=True),
                   delta=None if not n_changed or math.isnan(new_overall) or math.isnan(old_overall)
                   else session.num(new_overall - old_overall, 1, fixed=True))
    cols[1].metric(session.t("whatif.rank_shift"), session.num(spread.mean_abs_rank_shift, 2, fixed=True))
    widgets.chart(lambda: score_figures.whatif(nominal, changed, spread.domains, lang), key="whatif_chart",
                 period=period, drill=True,
                 depends=(json.dumps(options.as_dict(), sort_keys=True, default=str),))

st.subheader(session.t("whatif.table"))
nom = nominal.domains.set_index("domain")
new = changed.domains.set_index("domain")
iv = spread.domains.set_index("domain")
rows = []
for d in vocabulary.SMART_DOMAIN_CODES:
    lv = new.level.get(d)
    rows.append({
        session.t("whatif.col_domain"): session.domain_name(d),
        session.t("whatif.col_nominal"): nom.score[d],
        session.t("whatif.col_whatif"): new.score[d],
        session.t("whatif.col_delta"): new.score[d] - nom.score[d],
        session.t("whatif.col_rank_nominal"): nom["rank"][d],
        session.t("whatif.col_rank_whatif"): new["rank"][d],
        session.t("whatif.col_level_nominal"): nom.level[d],
        session.t("whatif.col_level_whatif"): lv,
        session.t("whatif.col_p05"): iv.p05[d],
        session.t("whatif.col_p95"): iv.p95[d],
        session.t("whatif.col_rank_range"): "–" if math.isnan(iv.rank_p05[d]) else
        f"{iv.rank_p05[d]:.0f}–{iv.rank_p95[d]:.0f}",
        session.t("whatif.col_p_level"): iv[f"p_level_{int(lv)}"][d] if pd.notna(lv) else float("nan"),
    })
table = pd.DataFrame(rows)
numbers = {session.t(f"whatif.col_{c}"): 1 for c in ("nominal", "whatif", "delta", "p05", "p95")}
numbers |= {session.t(f"whatif.col_{c}"): 0 for c in ("rank_nominal", "rank_whatif")}
widgets.table(table, numbers=numbers, percent=(session.t("whatif.col_p_level"),))
widgets.downloads(table, f"whatif_{period}")
