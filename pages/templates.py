"""Download a department's survey template for a period."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from pages import common
from sca_metrics import model
from sca_metrics.template import template_bytes, template_file_name

common.ensure_app_navigation()

st.title(common.t("templates.title"))
st.write(common.t("templates.intro"))

catalog = common.catalog()
lang = common.lang()
codes = [d.code for d in catalog.departments]
left, right = st.columns(2)
department = left.selectbox(common.t("templates.department"), codes,
                            format_func=common.department_label, key="tpl_department")
periods = [str(y) for y in range(model.PERIOD_FIRST, model.PERIOD_LAST + 1)]
this_year = str(min(max(date.today().year - 1, model.PERIOD_FIRST), model.PERIOD_LAST))
period = right.selectbox(common.t("templates.period"), periods, index=periods.index(this_year),
                         key="tpl_period")


@st.cache_data(show_spinner=False)
def _template(department: str, period: str, version: str) -> bytes:
    return template_bytes(common.catalog(), department, period)


st.download_button(
    common.t("templates.download"), _template(department, period, catalog.version),
    file_name=template_file_name(department, period), type="primary",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

indicators = catalog.for_department(department)
st.caption(common.t("templates.n_indicators", n=len(indicators)))
st.dataframe(pd.DataFrame([{
    common.t("templates.col_code"): i.code,
    common.t("templates.col_name"): i.name(lang),
    common.t("templates.col_domain"): model.term(model.DOMAINS, i.domain).name(lang),
    common.t("templates.col_driver"): model.term(model.DRIVERS, i.driver).name(lang),
    common.t("templates.col_unit"): i.unit(lang),
    common.t("templates.col_direction"): "↑" if i.direction == "higher" else "↓",
    common.t("templates.col_target"): common.num(i.target_2025, 2) if i.target_2025 is not None else "–",
} for i in indicators]), width="stretch", hide_index=True)
