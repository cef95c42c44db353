"""What-if scheme and uncertainty: edit each tier's mean and coverage rule and the driver, domain
and indicator weights; scores, ranks and levels move beside the default scheme's, with Monte
Carlo intervals. The scheme shown can be downloaded (TOML) and one can be loaded."""

from __future__ import annotations

import dataclasses
import math
import re

import pandas as pd
import streamlit as st

from sca_metrics.outputs import score_figures
from sca_metrics.reference import formatting, i18n, vocabulary
from sca_metrics.reference.textnorm import markdown_literal
from sca_metrics.services import whatif
from sca_metrics.services.whatif import COVERAGE_BASES, METHODS, TIERS, MonteCarlo, Options, Rule, content_key
from views import access, cached, session, widgets

access.require()

lang = session.lang()
catalog = cached.catalog()
st.title(session.t("whatif.title"))
st.write(session.t("whatif.intro"))

by_period = widgets.scores_or_stop()
path, version = cached.version()
DEFAULT = Options()
BASE = "whatif_base"  # the scheme the controls start from: the default, or one loaded
EDITOR = "editor_generation"  # the experts' table's key changes when the controls are set


def base() -> Options:
    return st.session_state.get(BASE) or DEFAULT


def control_values(options: Options) -> dict[str, object]:
    """The value each control shows for a scheme, by its key."""
    out: dict[str, object] = {f"w_driver_{d.code}": options.driver_weights.get(d.code, 1.0)
                              for d in vocabulary.DRIVERS}
    out |= {f"w_domain_{d}": options.domain_weights.get(d, 1.0) for d in vocabulary.SMART_DOMAIN_CODES}
    for tier in TIERS:
        rule = options.rule(tier)
        out |= {f"whatif_method_{tier}": rule.method, f"whatif_coverage_{tier}": rule.coverage,
                f"whatif_by_{tier}": rule.coverage_by}
    out["whatif_foundations"] = options.foundations_in_overall
    out["whatif_cap"] = options.cap_by_foundations
    return out


def set_controls(options: Options) -> None:
    """Every control to the scheme's value. Set, not removed: a browser sends back the state of
    a widget whose key was only removed, so the last slider moved stayed where it was (and in
    Streamlit 1.67, every one did); the experts' table, whose state cannot be set, is made anew."""
    for key in [k for k in st.session_state if str(k).startswith("whatif_")]:
        if key not in (BASE, "whatif_period") and key not in control_values(options):
            st.session_state.pop(key, None)
    st.session_state.update(control_values(options))
    st.session_state[EDITOR] = st.session_state.get(EDITOR, 0) + 1


def reset() -> None:
    st.session_state.pop(BASE, None)
    set_controls(DEFAULT)


def start_from(read) -> Options | None:
    """The controls start again from the catalog scheme `read()` gives (a file, a link); when
    it gives none, every problem is kept to show and nothing changes (None)."""
    try:
        loaded = read()
    except whatif.SchemeError as exc:
        st.session_state["whatif_load_errors"] = exc.message(lang)
        return None
    if not isinstance(loaded, Options):
        st.session_state["whatif_load_errors"] = i18n.t("problem.scheme_not_catalog", lang)
        return None
    st.session_state[BASE] = loaded
    set_controls(loaded)
    return loaded


def load() -> None:
    """The scheme file chosen: checked whole (size first); on success the controls start again
    from it, otherwise its every problem is shown and nothing changes."""
    file = st.session_state.get("whatif_scheme_file")
    if file is None:
        return
    loaded = start_from(lambda: whatif.parse(file.getvalue(), file.name, catalog))
    if loaded is not None:
        st.session_state["whatif_loaded"] = session.t("whatif.loaded", name=markdown_literal(loaded.name),
                                                  hash=loaded.fingerprint)


LINK = "_whatif_link"  # the scheme the address carries, as last read or written
WRITTEN = "_whatif_written"  # the addresses this page wrote lately (the newest last)


def from_link() -> None:
    """A link arriving with a scenario (?scheme=…, written below whenever the controls differ
    from the default): the controls start from it. One that carries no usable scheme says why
    (in the scheme's section) and changes nothing."""
    text = st.query_params.get("scheme")
    # the page's own recent addresses are not arrivals: a rerun the browser sends before it has
    # taken the newest address carries an older one, which would put the controls back
    own = (st.session_state.get(LINK), *st.session_state.get(WRITTEN, ()))
    if not text or text in own:
        return
    st.session_state[LINK] = text
    start_from(lambda: whatif.from_link(text, catalog))


@st.cache_resource(show_spinner=False, max_entries=64)
def compute(content: tuple, period: str, fingerprint: str, _options: Options, _values: pd.DataFrame):
    """What-if scores and their Monte Carlo intervals, cached per scheme (its hash) and by the
    content of the period's values (a return for another period leaves them as they are)."""
    return whatif.score(cached.catalog(), _values, period, _options, MonteCarlo())


# an indicator's weight as typed, or nothing (the catalog's): 0 to MAX_WEIGHT (1 000), any
# decimals — a loaded scheme's weight shows, and is read back, exactly
WEIGHT_TEXT = r"^\s*(1000([.,]0+)?|\d{1,3}([.,]\d+)?)?\s*$"
STEPS = [round(0.1 * k, 1) for k in range(31)]  # weights 0–3 by 0,1
SHARES = [round(0.05 * k, 2) for k in range(21)]  # coverage 0–1 by 0,05


def initial(key: str, **value: object) -> dict[str, object]:
    """A control's starting value, given only while the session has none for it (passing both
    makes Streamlit warn on the page)."""
    return {} if key in st.session_state else value


def stepped(label: str, key: str, steps: list[float], value: float, decimals: int) -> float:
    """A value on a slider of steps, in the language's number format (1,5 in Vietnamese); a
    loaded value between the steps is offered and shown as it is (1,25 stays 1,25)."""
    return st.select_slider(label, sorted({*steps, value}), key=key, **initial(key, value=value),
                            format_func=lambda w, lang=lang: formatting.exact(w, lang, decimals))


from_link()
start = base()
controls, results = st.columns([1, 2], gap="large")
with controls:
    period = session.period_picker(list(by_period), "whatif")
    st.markdown(f"**{session.t('whatif.drivers')}**")
    driver_w = {d.code: stepped(d.name(lang), f"w_driver_{d.code}", STEPS,
                                start.driver_weights.get(d.code, 1.0), 1) for d in vocabulary.DRIVERS}
    st.markdown(f"**{session.t('whatif.domains')}**")
    domain_w = {d: stepped(session.domain_name(d), f"w_domain_{d}", STEPS,
                           start.domain_weights.get(d, 1.0), 1) for d in vocabulary.SMART_DOMAIN_CODES}
    st.button(session.t("whatif.reset"), on_click=reset, icon=":material/restart_alt:", key="whatif_reset")

with st.expander(session.t("whatif.tiers"), icon=":material/account_tree:"):
    st.caption(session.t("whatif.tiers_help"))
    rules = {}
    for tier, column in zip(TIERS, st.columns(len(TIERS)), strict=True):
        rule = start.rule(tier)
        with column:
            st.markdown(f"**{session.t(f'whatif.tier_{tier}')}**")
            method = st.selectbox(session.t("whatif.method"), METHODS, key=f"whatif_method_{tier}",
                                  **initial(f"whatif_method_{tier}", index=METHODS.index(rule.method)),
                                  format_func=lambda m, lang=lang: i18n.t(f"whatif.{m}", lang))
            coverage = stepped(session.t("whatif.coverage"), f"whatif_coverage_{tier}", SHARES,
                               rule.coverage, 2)
            by = f"whatif_by_{tier}"
            coverage_by = st.radio(session.t("whatif.coverage_by"), COVERAGE_BASES, key=by,
                                   **initial(by, index=COVERAGE_BASES.index(rule.coverage_by)),
                                   format_func=lambda b, lang=lang: i18n.t(f"whatif.by_{b}", lang))
        rules[tier] = Rule(method, coverage, coverage_by)
    foundations = st.checkbox(session.t("whatif.foundations"), key="whatif_foundations",
                              **initial("whatif_foundations", value=start.foundations_in_overall))
    cap = st.checkbox(session.t("whatif.cap"), key="whatif_cap", help=session.t("whatif.cap_help"),
                      **initial("whatif_cap", value=start.cap_by_foundations))

with st.expander(session.t("whatif.experts"), icon=":material/science:"):
    st.caption(session.t("whatif.experts_help"))
    # Weights as text in the language's format (1,50; a NumberColumn's printf format writes
    # 1.50 whatever the language); a new weight may be typed with either mark, 0–10.
    frame = pd.DataFrame({
        "code": [i.code for i in catalog.indicators],
        "name": [i.name(lang) for i in catalog.indicators],
        "domain": [session.domain_name(i.domain) for i in catalog.indicators],
        "weight": [formatting.number(i.weight, lang, 2, fixed=True) for i in catalog.indicators],
        # a loaded weight with every decimal it has: read back, it is the weight loaded
        "new": [formatting.exact(start.indicator_weights.get(i.code, i.weight), lang, 2)
                for i in catalog.indicators],
    })
    edited = st.data_editor(
        frame, key=f"whatif_indicators_{st.session_state.get(EDITOR, 0)}", hide_index=True, width="stretch",
        height=320,
        disabled=["code", "name", "domain", "weight"],
        column_config={
            "code": session.t("whatif.col_code"), "name": session.t("whatif.col_name"),
            "domain": session.t("whatif.col_domain"), "weight": session.t("whatif.col_weight"),
            "new": st.column_config.TextColumn(session.t("whatif.col_weight_new"), validate=WEIGHT_TEXT,
                                               help=session.t("whatif.weight_help")),
        })
typed = [formatting.parse_decimal(n) for n in edited.new]
indicator_w = {i.code: w for i, w in zip(catalog.indicators, typed, strict=True)
               if w is not None and not math.isclose(w, i.weight)}

options = Options(indicator_weights=indicator_w, foundations_in_overall=foundations, tiers=rules,
                  cap_by_foundations=cap,
                  driver_weights={k: v for k, v in driver_w.items() if v != 1.0},
                  domain_weights={k: v for k, v in domain_w.items() if v != 1.0}, name=start.name)
if options.fingerprint != start.fingerprint:  # edited: no longer the scheme it started from
    options = dataclasses.replace(options, name=f"{start.name}-whatif")
default_dict, shown = DEFAULT.as_dict(), options.as_dict()
n_changed = (len(indicator_w) + len(options.driver_weights) + len(options.domain_weights)
             + sum(a != b for a, b in zip(default_dict["tiers"], shown["tiers"], strict=True)
                   for key in ("method", "coverage", "coverage_by") if a[key] != b[key])
             + (options.foundations_in_overall != DEFAULT.foundations_in_overall)
             + (options.cap_by_foundations != DEFAULT.cap_by_foundations))

# the scenario in the address, so a link opens it as it is (none for the default scheme)
address = whatif.link(options) if n_changed else None
if st.query_params.get("scheme") != address:
    if address:
        st.query_params["scheme"] = address
    else:
        st.query_params.pop("scheme", None)
st.session_state[LINK] = address
if address:
    st.session_state[WRITTEN] = [*st.session_state.get(WRITTEN, [])[-15:], address]

with st.expander(session.t("whatif.scheme"), icon=":material/description:",
                 expanded="whatif_load_errors" in st.session_state or "whatif_loaded" in st.session_state):
    st.caption(session.t("whatif.scheme_id", name=markdown_literal(options.name), hash=options.fingerprint))
    down, up = st.columns([1, 2])
    stem = re.sub(r"[^\w.-]+", "-", options.name)  # a name fit for a file, whatever the scheme says
    down.download_button(session.t("whatif.download_scheme"), whatif.dump(options),
                         file_name=f"scheme_{stem}_{options.fingerprint}.toml",
                         mime="application/toml", icon=":material/download:", key="whatif_scheme_download",
                         on_click="ignore")
    with up:
        widgets.file_uploader(session.t("whatif.load_scheme"), ["toml"], "whatif_scheme_file", 1,
                              on_change=load)
    errors = st.session_state.pop("whatif_load_errors", None)
    if errors:
        st.error("\n\n".join(markdown_literal(line) for line in errors.splitlines()), icon=":material/error:")
    widgets.show_flash("whatif_loaded", ":material/check_circle:")

nominal = by_period[period]
obs = cached.observations(path, version)
values = obs[obs.period.astype(str) == period]
changed, spread = compute(content_key(values), period, options.fingerprint, options, values)

with results:
    st.caption(session.t("whatif.changed", n=n_changed) if n_changed else session.t("whatif.unchanged"))
    cols = st.columns(2)
    new_overall = changed.overall.score.iloc[0]
    old_overall = nominal.overall.score.iloc[0]
    cols[0].metric(session.t("whatif.overall"), session.num(new_overall, 1, fixed=True),
                   **widgets.delta(None if not n_changed else new_overall - old_overall,
                                   session.t("whatif.vs_default")))
    cols[1].metric(session.t("whatif.rank_shift"), session.num(spread.mean_abs_rank_shift, 2, fixed=True))
    widgets.chart(lambda: score_figures.whatif(nominal, changed, spread.domains, lang), key="whatif_chart",
                 period=period, drill=True,
                 depends=(options.fingerprint,))

st.subheader(session.t("whatif.table"))
nom = nominal.domains.set_index("domain")
new = changed.domains.set_index("domain")
iv = spread.domains.set_index("domain")
rows = []
for d in vocabulary.SMART_DOMAIN_CODES:
    lv = new.level.get(d)
    own = new.level_uncapped.get(d) if "level_uncapped" in new else lv  # the runs are not capped
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
        session.t("whatif.col_p_level"): iv[f"p_level_{int(own)}"][d] if pd.notna(own) else float("nan"),
    })
table = pd.DataFrame(rows)
numbers = {session.t(f"whatif.col_{c}"): 1 for c in ("nominal", "whatif", "p05", "p95")}
numbers |= {session.t(f"whatif.col_{c}"): 0 for c in ("rank_nominal", "rank_whatif")}
widgets.table(table, numbers=numbers, percent=(session.t("whatif.col_p_level"),),
              signed={session.t("whatif.col_delta"): 1})
widgets.downloads(table, f"whatif_{period}")
