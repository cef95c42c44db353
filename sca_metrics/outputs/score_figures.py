"""Plotly figures of the readiness scores: pure functions of scores and a language (no state,
no streamlit)."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from sca_metrics.method.scoring import LEVEL_WIDTH, Scores, level, level_bounds, levels, target_year
from sca_metrics.outputs.figure_style import (
    CHANGE_COLOUR,
    MISSING,
    label_colour,
    layout,
    legend_below_title,
    wrapped,
)
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.reference.i18n import t


def _level_colorscale() -> list[list]:
    """Discrete bands of 20 points, one colour per maturity level."""
    scale = []
    for k, lv in enumerate(vocabulary.LEVELS):
        scale += [[k / 5, lv.colour], [(k + 1) / 5, lv.colour]]
    return scale


def _label(score: float, lang: str) -> str:
    return formatting.number(score, lang, 1, fixed=True)  # "–" when missing


def _level_colour(score: float | None) -> str:
    lv = level(score)
    return MISSING if lv is None else vocabulary.LEVELS[lv - 1].colour


def _reason(reason: object, lang: str) -> str:
    return t(f"reason.{reason}", lang) if isinstance(reason, str) else t("reason.no_data", lang)


def heatmap(scores: Scores, lang: str, phone: bool = False) -> go.Figure:
    """Smart domains × drivers, coloured by maturity level, the score written in each cell.
    A cell without a score is grey and says why on hover. Each cell carries its
    [domain, driver] codes, so a click can drill down to it. `phone`: for a 390 px screen —
    no colour bar (the level is written in each cell's colour and on hover), domain names on
    two lines, so the three columns keep most of the width."""
    cells = scores.cells[scores.cells.domain != vocabulary.FOUNDATIONS]
    domains = [d for d in vocabulary.SMART_DOMAIN_CODES if d in set(cells.domain)]
    drivers = list(vocabulary.DRIVER_CODES)
    grid = cells.pivot(index="domain", columns="driver", values="score").reindex(
        index=domains, columns=drivers)
    why = cells.pivot(index="domain", columns="driver", values="reason").reindex(
        index=domains, columns=drivers)
    z = grid.to_numpy(dtype=float)
    x = [vocabulary.term(vocabulary.DRIVERS, d).name(lang) for d in drivers]
    y = [wrapped(vocabulary.domain_name(d, lang), 12) if phone else vocabulary.domain_name(d, lang)
         for d in domains]
    codes = np.array([[[dom, drv] for drv in drivers] for dom in domains], dtype=object)
    missing = np.isnan(z)
    fig = go.Figure()
    if missing.any():
        fig.add_trace(go.Heatmap(
            z=np.where(missing, 1.0, np.nan), x=x, y=y, colorscale=[[0, MISSING], [1, MISSING]],
            showscale=False, xgap=2, ygap=2, hoverinfo="skip"))
    # coloured by the level the text states — the one decided on the score as printed (60,0 for
    # 59,97 is level 4) —, drawn at the middle of its band: never the raw score's band
    banded = LEVEL_WIDTH * levels(z) - LEVEL_WIDTH / 2
    fig.add_trace(go.Heatmap(
        z=banded, x=x, y=y, zmin=0, zmax=100, colorscale=_level_colorscale(), xgap=2, ygap=2,
        hoverinfo="skip", showscale=not phone,
        colorbar={"title": {"text": t("overview.level", lang)}, "tickvals": [10, 30, 50, 70, 90],
                  "ticktext": [f"{lv.code} {lv.name(lang)}" for lv in vocabulary.LEVELS]},
    ))
    # Heatmaps cannot be selected in plotly; an invisible marker on every cell makes a click
    # select that cell (domain and driver in customdata), and carries the hover text.
    grid_x, grid_y = np.meshgrid(x, y)
    hover = [[_reason(why.iat[i, j], lang) if missing[i, j] else _label(z[i, j], lang)
              for j in range(len(drivers))] for i in range(len(domains))]
    fig.add_trace(go.Scatter(
        x=grid_x.ravel(), y=grid_y.ravel(), mode="markers", showlegend=False,
        marker={"symbol": "square", "size": 34, "opacity": 0},
        selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}},
        customdata=codes.reshape(-1, 2), text=np.array(hover, dtype=object).ravel(),
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>"))
    fig.update_layout(hovermode="closest", hoverdistance=80, clickmode="event+select")
    # One layout update for all labels: add_annotation per cell validates the figure each time.
    fig.update_layout(annotations=[
        {"x": j, "y": i, "text": _label(v, lang), "showarrow": False,
         "font": {"color": label_colour(MISSING if np.isnan(v) else _level_colour(v)), "size": 14}}
        for i, row in enumerate(z) for j, v in enumerate(row)])
    fig.update_yaxes(autorange="reversed")
    if phone:
        fig.update_xaxes(side="top")
        fig = layout(fig, lang, "<br>".join(textwrap.wrap(t("overview.heatmap_title", lang,
                                                                  period=scores.period), 32)), 540)
        fig.update_yaxes(tickfont_size=12)
        return fig.update_layout(margin={"t": 110, "l": 4, "r": 4})  # two-line title, column names
    return layout(fig, lang, t("overview.heatmap_title", lang, period=scores.period), 420)


def ranking(scores: Scores, lang: str, phone: bool = False) -> go.Figure:
    """Smart domains ranked by score, bars coloured by level, with score and level written;
    a domain without a score is listed last with its reason. `phone`: names on two lines and
    the score alone written, so the bars keep most of a 390 px screen."""
    d = scores.domains[scores.domains.domain != vocabulary.FOUNDATIONS].sort_values(
        "score", ascending=True, na_position="first")
    names = [wrapped(vocabulary.domain_name(c, lang), 12) if phone else vocabulary.domain_name(c, lang)
             for c in d.domain]
    # a domain without a score says so in two words (its reason, a sentence, ran off the chart
    # in the overview's narrow column); the reason is in its hover
    labels = [t("overview.missing", lang) if np.isnan(s) else _label(s, lang) if phone else
              f"{_label(s, lang)} · {t('overview.level', lang)} {level(s)}"
              for s in d.score]
    hover = [_reason(r, lang) if np.isnan(s) else label
             for s, r, label in zip(d.score, d.reason, labels, strict=True)]
    fig = go.Figure(go.Bar(x=d.score.fillna(0), y=names, orientation="h",
                           marker_color=[_level_colour(s) for s in d.score], text=labels,
                           textposition="outside", cliponaxis=False, customdata=d.domain,
                           hovertext=hover, hovertemplate="%{y}: %{hovertext}<extra></extra>"))
    fig.update_xaxes(range=[0, 115], title=t("overview.score_axis", lang), gridcolor="#eeeeee")
    title = t("overview.ranking_title", lang, period=scores.period)
    if phone:
        fig.update_yaxes(tickfont_size=12)
        fig = layout(fig, lang, "<br>".join(textwrap.wrap(title, 32)), 460)
        return fig.update_layout(margin={"l": 4, "r": 4})
    return layout(fig, lang, title, 420)


def radar(current: Scores, previous: Scores | None, lang: str, phone: bool = False) -> go.Figure:
    """The smart domains' scores this period against the previous period and the period's
    target score (docs/METHOD.md §3: the next target year not passed); each point carries its
    domain code, so a click drills down."""
    d = current.domains[current.domains.domain != vocabulary.FOUNDATIONS]
    # long names on two lines: at print size "Chính quyền điện tử" ran off a slide's figure
    names = [wrapped(vocabulary.domain_name(c, lang), 8 if phone else 12) for c in d.domain]
    close = names[:1]  # close the polygon

    def trace(values, name, colour, dash="solid", fill=None):
        v = list(values)
        return go.Scatterpolar(r=v + v[:1], theta=names + close, name=name, mode="lines+markers",
                               line={"color": colour, "dash": dash, "width": 2.5}, fill=fill,
                               customdata=list(d.domain) + list(d.domain[:1]),
                               hovertemplate="%{theta}: %{r:.1f}<extra>" + name + "</extra>")

    fig = go.Figure()
    year = target_year(current.period)
    if year:
        fig.add_trace(trace(d.target_score, t("figure.target_year", lang, year=year), "#999999", "dot"))
    if previous is not None:
        prev = d[["domain"]].merge(previous.domains[["domain", "score"]], how="left").score
        fig.add_trace(trace(prev, t("figure.period_name", lang, period=previous.period), "#E69F00",
                            "dash"))
    fig.add_trace(trace(d.score, t("figure.period_name", lang, period=current.period), "#0072B2",
                        fill="toself"))
    fig.update_traces(fillcolor="rgba(0,114,178,0.12)", selector={"fill": "toself"})
    fig.update_layout(polar={"radialaxis": {"range": [0, 100], "tickvals": [20, 40, 60, 80, 100],
                                            "gridcolor": "#dddddd"},
                             "angularaxis": {"gridcolor": "#dddddd"}, "bgcolor": "white"})
    title = t("figure.radar_title", lang, period=current.period, year=target_year(current.period) or "–")
    if phone:  # a 390 px screen: names on lines of ten characters, the circle as wide as it can be
        fig = legend_below_title(layout(fig, lang, "<br>".join(textwrap.wrap(title, 32)), 560))
        # no name at three or nine o'clock, where the screen's edge is nearest
        # the shortest names (health, tourism; transport, security) at the sides, where the
        # screen's edge is nearest ("Construction" ran off it there)
        return fig.update_layout(margin={"l": 54, "r": 54, "t": 170, "b": 40}, font={"size": 11},
                                 legend={"font": {"size": 12}}, polar={"angularaxis": {"rotation": 67.5}})
    fig = legend_below_title(layout(fig, lang, title, 540))
    # room either side for the longest domain name ("Chính quyền điện tử" was clipped), and
    # between the legend and the circle for the name at its top ("Y tế" was hidden behind it)
    fig.update_layout(margin={"l": 140, "r": 140, "t": 110, "b": 40}, polar={"domain": {"y": [0, 0.86]}})
    return fig


def drivers(scores: Scores, domain: str, lang: str) -> go.Figure:
    """One domain's three drivers: bars in the driver colours, the target scores of the target
    years not passed (2025 and 2030, or 2030 alone from 2026) as markers; a driver without a
    score says why."""
    c = scores.cells[scores.cells.domain == domain].set_index("driver").reindex(
        list(vocabulary.DRIVER_CODES))
    names = [vocabulary.term(vocabulary.DRIVERS, d).name(lang) for d in c.index]
    text = ["<br>".join(textwrap.wrap(_reason(r, lang), 20)) if np.isnan(s) else
            f"{_label(s, lang)} · {t('overview.level', lang)} {level(s)}"
            for s, r in zip(c.score, c.reason, strict=True)]
    fig = go.Figure(go.Bar(
        # Scores written at the foot of the bar, so the target markers never cover them.
        x=names, y=c.score.fillna(0), text=text, cliponaxis=False, insidetextanchor="start",
        textposition=["outside" if np.isnan(v) else "inside" for v in c.score],
        textfont={"color": ["#444444" if np.isnan(v) else
                            label_colour(vocabulary.term(vocabulary.DRIVERS, d).colour)
                            for v, d in zip(c.score, c.index, strict=True)]},
        constraintext="none",
        marker_color=[vocabulary.term(vocabulary.DRIVERS, d).colour for d in c.index],
        customdata=[[domain, d] for d in c.index], name=t("figure.score", lang),
        hovertemplate="%{x}: %{text}<extra></extra>"))
    for year, symbol in ((2025, "diamond"), (2030, "star")):
        if year < (target_year(scores.period) or 9999):
            continue  # a target whose year has passed
        fig.add_trace(go.Scatter(
            x=names, y=c[f"target_score_{year}"], mode="markers",
            marker={"symbol": symbol, "size": 13, "color": "#222222", "line": {"width": 1,
                                                                             "color": "white"}},
            name=t("figure.target_year", lang, year=year),
            hovertemplate="%{x}: %{y:.1f}<extra>" + t("figure.target_year", lang, year=year) + "</extra>"))
    fig.update_yaxes(range=[0, 112], title=t("overview.score_axis", lang), gridcolor="#eeeeee")
    title = t("figure.drivers_title", lang, domain=vocabulary.domain_name(domain, lang), period=scores.period)
    return legend_below_title(layout(fig, lang, title, 400))


def trend(by_period: dict[str, Scores], domain: str, lang: str, change_days: tuple = ()) -> go.Figure:
    """A domain's score and its drivers over every period, with the level bands and each
    change of administrative units (data/unit_changes.csv) marked where it falls: halfway
    between the year-end points around it."""
    periods = list(by_period)
    by_driver = {p: sc.cells[sc.cells.domain == domain].set_index("driver").score
                 for p, sc in by_period.items()}
    fig = go.Figure()
    fig.update_layout(shapes=[  # the level bands, in one update
        {"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "y0": level_bounds(k + 1)[0],
         "y1": level_bounds(k + 1)[1],
         "fillcolor": lv.colour, "opacity": 0.08, "line": {"width": 0}, "layer": "below"}
        for k, lv in enumerate(vocabulary.LEVELS)])
    for drv in vocabulary.DRIVERS:
        y = [by_driver[p].get(drv.code, np.nan) for p in periods]
        fig.add_trace(go.Scatter(x=periods, y=y, name=drv.name(lang), mode="lines+markers",
                                 line={"color": drv.colour, "width": 2}, customdata=[
                                     [domain, drv.code]] * len(periods),
                                 hovertemplate="%{x}: %{y:.1f}<extra>" + drv.name(lang) + "</extra>"))
    y = [sc.domains.set_index("domain").score.get(domain, np.nan) for sc in by_period.values()]
    name = vocabulary.domain_name(domain, lang)
    fig.add_trace(go.Scatter(x=periods, y=y, name=name, mode="lines+markers+text",
                             line={"color": "#222222", "width": 4}, marker={"size": 9},
                             text=[_label(v, lang) for v in y], textposition="top center",
                             textfont={"shadow": "auto"},  # legible where a driver's line passes
                             customdata=[domain] * len(periods),
                             hovertemplate="%{x}: %{y:.1f}<extra>" + name + "</extra>"))
    fig.update_xaxes(type="category", title=t("figure.period", lang))
    fig.update_yaxes(range=[0, 100], title=t("overview.score_axis", lang), tickvals=[0, 20, 40, 60,
                                                                                   80, 100])
    for day in change_days:
        before, after = str(day.year - 1), str(day.year)
        if before in periods and after in periods:
            x = periods.index(before) + (day.timetuple().tm_yday - 1) / 365
            fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, yref="y domain",
                          line={"color": CHANGE_COLOUR, "dash": "dash", "width": 1.5})
            # named on the line, not in the legend: a long legend entry would stack the legend
            # one entry per row in a half-width chart, into the title
            fig.add_annotation(x=x, y=1, yref="y domain", xanchor="right", yanchor="top",
                               xshift=-4, showarrow=False, font={"color": CHANGE_COLOUR, "size": 12},
                               text=t("figure.unit_change", lang,
                                      date=formatting.day(day, lang)))
    return legend_below_title(layout(fig, lang, t("figure.trend_title", lang, domain=name), 400))


def gap_shares(scores: Scores, domain: str) -> pd.DataFrame:
    """The domain's indicators with a share of what it misses, the biggest share first."""
    ind = scores.indicators[(scores.indicators.domain == domain)
                            & scores.indicators.gap_contribution.notna()]
    return ind.sort_values("gap_contribution", ascending=False, kind="stable")


def gaps(scores: Scores, domain: str, lang: str, part: slice = slice(None), phone: bool = False) -> go.Figure:
    """What the domain misses, 100 − S, split by indicator (docs/METHOD.md §3): the biggest share
    first, coloured by driver; `part`: which of them (in that order), the title's total still
    the whole domain's. `phone`: each bar named by its code alone (the name on hover), so the
    bars keep the width of a 390 px screen."""
    every = gap_shares(scores, domain)
    ind = every.iloc[part].iloc[::-1]  # plotly draws the first bar at the bottom
    labels = list(ind.code) if phone else [wrapped(f"{c} · {n}", 44)
                                           for c, n in zip(ind.code, ind[f"name_{lang}"], strict=True)]
    names = dict(zip(labels, ind[f"name_{lang}"], strict=True))
    fig = go.Figure()
    for drv in vocabulary.DRIVERS:
        mine = ind.driver == drv.code
        fig.add_trace(go.Bar(
            x=ind.gap_contribution[mine], y=[lab for lab, m in zip(labels, mine, strict=True) if m],
            orientation="h", name=drv.name(lang), marker_color=drv.colour,
            text=[_label(v, lang) for v in ind.gap_contribution[mine]], textposition="outside",
            cliponaxis=False, customdata=[[domain, drv.code]] * int(mine.sum()),
            hovertext=[names[lab] for lab, m in zip(labels, mine, strict=True) if m],
            hovertemplate=("%{y} · %{hovertext}" if phone else "%{y}") + ": %{x:.2f}<extra>"
            + drv.name(lang) + "</extra>"))
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    total = float(every.gap_contribution.sum()) if len(every) else np.nan
    fig.update_xaxes(title=t("figure.gap_axis_short" if phone else "figure.gap_axis", lang),
                     gridcolor="#eeeeee",
                     range=[0, max(5.0, float(ind.gap_contribution.max()) * 1.25) if len(ind) else 5])
    title = t("figure.gaps_title", lang, domain=vocabulary.domain_name(domain, lang),
              total=_label(total, lang),
              period=scores.period)
    return legend_below_title(layout(fig, lang, title, max(340, (30 if phone else 40) * len(ind) + 170)))


def whatif(nominal: Scores, changed: Scores, intervals: pd.DataFrame, lang: str) -> go.Figure:
    """Each smart domain (and the overall): nominal score (hollow), what-if score (filled,
    level colour) and the Monte Carlo 5–95 % interval of the what-if weights."""
    order = [d for d in vocabulary.SMART_DOMAIN_CODES if d in set(nominal.domains.domain)]
    nom = nominal.domains.set_index("domain").score
    new = changed.domains.set_index("domain").score
    iv = intervals.set_index("domain")
    keys = [*order, "overall"]
    names = [vocabulary.domain_name(d, lang) for d in order] + [t("overview.overall", lang)]
    n_vals = [*nom.reindex(order), float(nominal.overall.score.iloc[0])]
    w_vals = [*new.reindex(order), float(changed.overall.score.iloc[0])]
    fig = go.Figure()
    xs, ys = [], []
    for name, lo, hi in zip(names, iv.p05.reindex(keys), iv.p95.reindex(keys), strict=True):
        xs += [lo, hi, None]
        ys += [name, name, None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=t("figure.interval", lang),
                             line={"color": "rgba(120,120,120,0.45)", "width": 12},
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=n_vals, y=names, mode="markers", name=t("figure.nominal", lang),
                             marker={"symbol": "circle-open", "size": 14, "color": "#222222",
                                     "line": {"width": 2}},
                             hovertemplate="%{y}: %{x:.1f}<extra>" + t("figure.nominal", lang)
                             + "</extra>", customdata=keys))
    fig.add_trace(go.Scatter(x=w_vals, y=names, mode="markers+text", name=t("figure.whatif", lang),
                             marker={"size": 12, "color": [_level_colour(v) for v in w_vals],
                                     "line": {"width": 1, "color": "#222222"}},
                             text=[_label(v, lang) for v in w_vals], textposition="top center",
                             hovertemplate="%{y}: %{x:.1f}<extra>" + t("figure.whatif", lang)
                             + "</extra>", customdata=keys))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 100], title=t("overview.score_axis", lang), gridcolor="#eeeeee",
                     tickvals=[0, 20, 40, 60, 80, 100])
    return legend_below_title(layout(fig, lang, t("figure.whatif_title", lang, period=changed.period), 480))


def coverage(matrix: pd.DataFrame, labels: list[str], lang: str, phone: bool = False,
             scale: bool = True) -> go.Figure:
    """Department × period completeness of the current returns; blank = not submitted.
    `phone`: turned a quarter — a column per department, named by its code (its name on hover),
    a row per period —, the shares on hover and the colour bar under the plot, so a 390 px
    screen keeps the cells (the departments' names took all but 50 px of it). `scale`: the colour
    bar (a slide leaves it out: each cell says its share, and "100%" needs the width)."""
    if phone:
        return _coverage_phone(matrix, labels, lang)
    z = matrix.to_numpy(dtype=float) * 100
    text = [["" if np.isnan(v) else f"{formatting.number(v, lang, 0, fixed=True)}%" for v in row]
            for row in z]
    periods = list(matrix.columns)
    labels = [wrapped(label, COVERAGE_NAME) for label in labels]  # long names on two lines: the
    fig = go.Figure(go.Heatmap(                                    # cells keep the width
        z=z, x=periods, y=labels, zmin=0, zmax=100, colorscale="Blues", xgap=2, ygap=2,
        text=text, hoverongaps=False, hovertemplate="%{y} · %{x}: %{text}<extra></extra>", showscale=scale,
        colorbar={"title": {"text": t("figure.completeness", lang)}, "ticksuffix": "%"}))
    # each share in white or black, whichever meets WCAG AA on its cell's blue (plotly's own
    # choice of text colour on a heatmap does not check the ratio)
    # placed by position (column j, row i): by their text, the periods ("2018"…) were taken for
    # numbers and the axis collapsed to one column
    cells = [(i, j, v) for i, row in enumerate(z) for j, v in enumerate(row) if not np.isnan(v)]
    blues = sample_colorscale("Blues", [v / 100 for _, _, v in cells]) if cells else []  # one call
    fig.update_layout(annotations=[
        {"x": j, "y": i, "text": text[i][j], "showarrow": False, "font": {"color": label_colour(blue)}}
        for (i, j, _), blue in zip(cells, blues, strict=True)])
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="category")
    lines = max((label.count("<br>") + 1 for label in labels), default=1)
    return layout(fig, lang, t("figure.coverage_title", lang), 60 + (26 + 22 * lines) * len(labels) + 60)


COVERAGE_NAME = 36  # characters a line of a department's name beside the completeness cells (two lines
#                     for the longest: three did not fit a slide's rows)


def _coverage_phone(matrix: pd.DataFrame, labels: list[str], lang: str) -> go.Figure:
    z = matrix.to_numpy(dtype=float).T * 100  # a row per period, a column per department
    codes = [str(c) for c in matrix.index]
    periods = [str(p) for p in matrix.columns]
    names = [list(labels)] * len(periods)  # each cell's department, named on hover
    shares = [["–" if np.isnan(v) else f"{formatting.number(v, lang, 0, fixed=True)}%" for v in row]
              for row in z]
    fig = go.Figure(go.Heatmap(
        z=z, x=codes, y=periods, zmin=0, zmax=100, colorscale="Blues", xgap=1, ygap=1, hoverongaps=False,
        customdata=names, text=shares, hovertemplate="%{customdata} · %{y}: %{text}<extra></extra>",
        colorbar={"orientation": "h", "y": -0.02, "yanchor": "top", "thickness": 10, "ticksuffix": "%",
                  "title": {"text": t("figure.completeness", lang), "side": "top"}}))
    fig.update_xaxes(type="category", side="top", tickangle=-90, tickfont_size=10)
    fig.update_yaxes(type="category", autorange="reversed", tickfont_size=11)
    return layout(fig, lang, t("figure.coverage_title", lang), 150 + 26 * len(periods) + 90)


def target_gaps(scores: Scores, lang: str) -> go.Figure:
    """Each smart domain's score (bar, level colour) against the period's target score
    (diamond; 2025 up to 2025, 2030 from 2026), the biggest shortfall at the top; the shortfall
    written beside the bar."""
    d = scores.domains[(scores.domains.domain != vocabulary.FOUNDATIONS) & scores.domains.score.notna()]
    d = d.sort_values("gap", ascending=True, na_position="first")
    year = target_year(scores.period)
    names = [vocabulary.domain_name(c, lang) for c in d.domain]
    text = [t("figure.gap_short", lang, gap=_label(g, lang)) if g > 0 else t("figure.target_met", lang)
            for g in d.gap]
    fig = go.Figure(go.Bar(x=d.score, y=names, orientation="h", name=t("figure.score", lang),
                           marker_color=[_level_colour(s) for s in d.score], customdata=d.domain,
                           hovertemplate="%{y}: %{x:.1f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=d.target_score, y=names, mode="markers", name=t("figure.target_year", lang, year=year),
        marker={"symbol": "diamond", "size": 14, "color": "#222222", "line": {"width": 1, "color": "white"}},
        customdata=d.domain, hovertemplate="%{y}: %{x:.1f}<extra>" + t("figure.target_year", lang, year=year)
        + "</extra>"))
    fig.add_trace(go.Scatter(  # the shortfall, written past whichever ends further right
        x=np.fmax(d.score, d.target_score) + 2, y=names, mode="text", text=text,
        textposition="middle right", cliponaxis=False, showlegend=False, hoverinfo="skip"))
    fig.update_xaxes(range=[0, 125], title=t("overview.score_axis", lang), gridcolor="#eeeeee",
                     tickvals=[0, 20, 40, 60, 80, 100])
    title = t("figure.target_gaps_title", lang, period=scores.period, year=year)
    return legend_below_title(layout(fig, lang, title, 440))
