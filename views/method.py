"""The method in plain language, the data audit, and the indicator catalog (filter, download)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sca_metrics.reference import formatting, i18n, vocabulary
from sca_metrics.services.readiness import diagnose, level_bounds, top_pairs
from views import access, cached, session, widgets

access.require()

lang = session.lang()
catalog = cached.catalog()
st.title(session.t("method.title"))


def term_names(terms: tuple[vocabulary.Term, ...]) -> dict[str, str]:
    return {t.code: t.name(lang) for t in terms}


left, right = st.columns([3, 2], gap="large")
with left:
    st.markdown(i18n.document("method", lang))
with right:
    st.subheader(session.t("overview.level"))
    for lv in vocabulary.LEVELS:
        low, high = level_bounds(int(lv.code))
        st.markdown(f'<span style="display:inline-block;width:1.2em;height:1.2em;background:{lv.colour};'
                    f'vertical-align:middle;border-radius:3px"></span> **{lv.code} — {lv.name(lang)}** '
                    f'({session.num(low, 0)}–{session.num(high, 0)})', unsafe_allow_html=True)
    st.subheader(session.t("method.col_driver"))
    for d in vocabulary.DRIVERS:
        st.markdown(f'<span style="display:inline-block;width:1.2em;height:1.2em;background:{d.colour};'
                    f'vertical-align:middle;border-radius:3px"></span> **{d.name(lang)}**',
                    unsafe_allow_html=True)


@st.cache_resource(show_spinner=False, max_entries=4)
def audit(path: str, version: str):
    obs = cached.observations(path, version)
    return diagnose(cached.catalog(), obs) if len(obs) else None, obs.period.nunique()


def show_audit(diagnostics, n_periods: int) -> None:
    st.caption(session.t("method.audit_intro", n=n_periods))
    flagged = diagnostics.flagged()
    names = {i.code: i.name(lang) for i in catalog.indicators}
    if flagged.empty:
        st.success(session.t("method.audit_none"))
    else:
        widgets.table(pd.DataFrame({
            session.t("method.col_code"): flagged.code,
            session.t("method.col_name"): flagged.code.map(names),
            session.t("method.col_domain"): flagged.domain.map(session.domain_name),
            session.t("method.col_availability"): flagged.availability,
            session.t("method.col_low_availability"): flagged.low_availability,
            session.t("method.col_outliers"): flagged.outliers,
            session.t("method.col_n_capped"): flagged.n_capped,
        }), percent=(session.t("method.col_availability"),))
    pairs = top_pairs(diagnostics.pairs)  # the strongest first, a page at a time: never all pairs
    if len(pairs):
        st.caption(session.t("method.pairs_flagged", n=session.num(len(pairs), 0), count=len(pairs),
                             total=session.num(len(diagnostics.pairs), 0)))
        pairs = widgets.paged(pairs, "method_pairs_page")
        widgets.table(pd.DataFrame({
            session.t("method.col_domain"): pairs.domain.map(session.domain_name),
            session.t("method.col_driver"): pairs.driver.map(term_names(vocabulary.DRIVERS)),
            session.t("method.col_pair"): pairs.code_a + " · " + pairs.code_b,
            session.t("method.col_correlation"): pairs.correlation,
            session.t("method.col_flag"): pairs.flag.map(lambda f: session.t(f"method.flag_{f}")),
        }), numbers={session.t("method.col_correlation"): 2})


# The audit reads every value of every period: it runs only while its section is open.
audit_box = widgets.opened(session.t("method.audit"), "method_audit", ":material/troubleshoot:")
if audit_box is not None:
    with audit_box:
        diagnostics, n_periods = audit(*cached.version())
        if diagnostics is None:
            st.info(session.t("app.empty_db", db=cached.db_path()))
        else:
            show_audit(diagnostics, n_periods)

st.subheader(session.t("method.catalog"))
frame = catalog.frame()
cols = st.columns([2, 2, 2, 2])
query = cols[0].text_input(session.t("method.search"), key="cat_search").strip().casefold()
domains = cols[1].multiselect(session.t("method.filter_domain"), list(vocabulary.DOMAIN_CODES),
                              format_func=session.labels(session.domain_name, lang), select_all=False,
                              key="cat_domain",
                              placeholder=session.t("audit.all"))
drivers = cols[2].multiselect(session.t("method.filter_driver"), list(vocabulary.DRIVER_CODES),
                              format_func=lambda d: vocabulary.term(vocabulary.DRIVERS, d).name(lang),
                              select_all=False, key="cat_driver", placeholder=session.t("audit.all"))
departments = cols[3].multiselect(session.t("method.filter_department"),
                                  [d.code for d in catalog.departments], select_all=False,
                                  key="cat_department",
                                  format_func=widgets.department_format(lang),
                                  placeholder=session.t("audit.all"))
pilot_only = st.toggle(session.t("method.filter_pilot"), key="cat_pilot")
shown = frame
if query:
    shown = shown[shown.code.str.casefold().str.contains(query, regex=False)
                  | shown[f"name_{lang}"].str.casefold().str.contains(query, regex=False)]
for column, chosen in (("domain", domains), ("driver", drivers), ("department", departments)):
    if chosen:
        shown = shown[shown[column].isin(chosen)]
if pilot_only:
    shown = shown[shown.pilot]
st.caption(session.t("method.shown", n=len(shown), total=len(frame)))


def catalog_view(shown: pd.DataFrame) -> pd.DataFrame:
    # goalposts and targets as every table writes an indicator's values: Có/Không, "Mức 3", or
    # the decimals the row calls for (they were 1,00 and 3,00 for yes/no and levels, 100,00 for 100%)
    written = formatting.indicator_columns(shown.kind, lang, **{c: shown[c] for c in (
        "worst", "best", "target_2025", "target_2030")})
    return pd.DataFrame({
        session.t("method.col_code"): shown.code,
        session.t("method.col_name"): shown[f"name_{lang}"],
        session.t("method.col_domain"): shown.domain.map(term_names(vocabulary.DOMAINS)),
        session.t("method.col_driver"): shown.driver.map(term_names(vocabulary.DRIVERS)),
        session.t("method.col_department"): shown.department,
        session.t("method.col_unit"): shown[f"unit_{lang}"],
        session.t("method.col_kind"): shown.kind.map(term_names(vocabulary.KINDS)),
        session.t("method.col_direction"): shown.direction.map(
            lambda d: ("↓ " if d == "lower" else "↑ ") + term_names(vocabulary.DIRECTIONS)[d]),
        session.t("method.col_worst"): written["worst"],
        session.t("method.col_best"): written["best"],
        session.t("method.col_target_2025"): written["target_2025"],
        session.t("method.col_target_2030"): written["target_2030"],
        session.t("method.col_weight"): shown.weight,
        session.t("method.col_pilot"): shown.pilot,
        session.t("method.col_source"): shown.source.map(term_names(vocabulary.SOURCES)),
        session.t("method.col_source_ref"): shown.source_ref,
    })


# a page at a time (a national catalog has thousands of indicators); the downloads hold them all,
# made when clicked
widgets.table(catalog_view(widgets.paged(shown, f"cat_page_{len(shown)}")),
              numbers={session.t("method.col_weight"): 2}, height=420)
widgets.downloads(lambda: catalog_view(shown), "catalog")
