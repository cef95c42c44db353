"""The method in plain language, the data audit, and the indicator catalog (filter, download)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import common
from sca_metrics import i18n, model
from sca_metrics.diagnostics import diagnose

common.ensure_app_navigation()
lang = common.lang()
catalog = common.catalog()
st.title(common.t("method.title"))


def term_names(terms: tuple[model.Term, ...]) -> dict[str, str]:
    return {t.code: t.name(lang) for t in terms}


left, right = st.columns([3, 2], gap="large")
with left:
    st.markdown(i18n.document("method", lang))
with right:
    st.subheader(common.t("overview.level"))
    for lv in model.LEVELS:
        low = 20 * (int(lv.code) - 1)
        st.markdown(f'<span style="display:inline-block;width:1.2em;height:1.2em;background:{lv.colour};'
                    f'vertical-align:middle;border-radius:3px"></span> **{lv.code} — {lv.name(lang)}** '
                    f'({common.num(low, 0)}–{common.num(low + 20, 0)})', unsafe_allow_html=True)
    st.subheader(common.t("method.col_driver"))
    for d in model.DRIVERS:
        st.markdown(f'<span style="display:inline-block;width:1.2em;height:1.2em;background:{d.colour};'
                    f'vertical-align:middle;border-radius:3px"></span> **{d.name(lang)}**',
                    unsafe_allow_html=True)


@st.cache_resource(show_spinner=False, max_entries=4)
def audit(path: str, version: str):
    obs = common.observations(path, version)
    return diagnose(common.catalog(), obs) if len(obs) else None, obs.period.nunique()


def show_audit(diagnostics, n_periods: int) -> None:
    st.caption(common.t("method.audit_intro", n=n_periods))
    flagged = diagnostics.flagged()
    names = {i.code: i.name(lang) for i in catalog.indicators}
    if flagged.empty:
        st.success(common.t("method.audit_none"))
    else:
        common.table(pd.DataFrame({
            common.t("method.col_code"): flagged.code,
            common.t("method.col_name"): flagged.code.map(names),
            common.t("method.col_domain"): flagged.domain.map(common.domain_name),
            common.t("method.col_availability"): flagged.availability,
            common.t("method.col_low_availability"): flagged.low_availability,
            common.t("method.col_outliers"): flagged.outliers,
            common.t("method.col_n_capped"): flagged.n_capped,
        }), percent=(common.t("method.col_availability"),))
    pairs = diagnostics.pairs[diagnostics.pairs.flag.notna()]
    if len(pairs):
        common.table(pd.DataFrame({
            common.t("method.col_domain"): pairs.domain.map(common.domain_name),
            common.t("method.col_driver"): pairs.driver.map(term_names(model.DRIVERS)),
            common.t("method.col_pair"): pairs.code_a + " · " + pairs.code_b,
            common.t("method.col_correlation"): pairs.correlation,
            common.t("method.col_flag"): pairs.flag.map(lambda f: common.t(f"method.flag_{f}")),
        }), numbers={common.t("method.col_correlation"): 2})


# The audit reads every value of every period: it runs only while its section is open.
audit_box = common.opened(common.t("method.audit"), "method_audit", ":material/troubleshoot:")
if audit_box is not None:
    with audit_box:
        diagnostics, n_periods = audit(*common.version())
        if diagnostics is None:
            st.info(common.t("app.empty_db", db=common.db_path()))
        else:
            show_audit(diagnostics, n_periods)

st.subheader(common.t("method.catalog"))
frame = catalog.frame()
cols = st.columns([2, 2, 2, 2])
query = cols[0].text_input(common.t("method.search"), key="cat_search").strip().casefold()
domains = cols[1].multiselect(common.t("method.filter_domain"), list(model.DOMAIN_CODES),
                              format_func=common.labels(common.domain_name, lang), key="cat_domain")
drivers = cols[2].multiselect(common.t("method.filter_driver"), list(model.DRIVER_CODES),
                              format_func=lambda d: model.term(model.DRIVERS, d).name(lang),
                              key="cat_driver")
departments = cols[3].multiselect(common.t("method.filter_department"),
                                  [d.code for d in catalog.departments], key="cat_department",
                                  format_func=common.labels(common.department_label, lang))
pilot_only = st.toggle(common.t("method.filter_pilot"), key="cat_pilot")
shown = frame
if query:
    shown = shown[shown.code.str.casefold().str.contains(query, regex=False)
                  | shown[f"name_{lang}"].str.casefold().str.contains(query, regex=False)]
for column, chosen in (("domain", domains), ("driver", drivers), ("department", departments)):
    if chosen:
        shown = shown[shown[column].isin(chosen)]
if pilot_only:
    shown = shown[shown.pilot]
st.caption(common.t("method.shown", n=len(shown), total=len(frame)))


view = pd.DataFrame({
    common.t("method.col_code"): shown.code,
    common.t("method.col_name"): shown[f"name_{lang}"],
    common.t("method.col_domain"): shown.domain.map(term_names(model.DOMAINS)),
    common.t("method.col_driver"): shown.driver.map(term_names(model.DRIVERS)),
    common.t("method.col_department"): shown.department,
    common.t("method.col_unit"): shown[f"unit_{lang}"],
    common.t("method.col_kind"): shown.kind.map(term_names(model.KINDS)),
    common.t("method.col_direction"): shown.direction.map(
        lambda d: ("↓ " if d == "lower" else "↑ ") + term_names(model.DIRECTIONS)[d]),
    common.t("method.col_worst"): shown.worst,
    common.t("method.col_best"): shown.best,
    common.t("method.col_target_2025"): shown.target_2025,
    common.t("method.col_target_2030"): shown.target_2030,
    common.t("method.col_weight"): shown.weight,
    common.t("method.col_pilot"): shown.pilot,
    common.t("method.col_source"): shown.source.map(term_names(model.SOURCES)),
    common.t("method.col_source_ref"): shown.source_ref,
})
common.table(view, numbers={common.t(f"method.col_{c}"): 2 for c in
                            ("worst", "best", "target_2025", "target_2030", "weight")}, height=420)
common.downloads(view, "catalog")
