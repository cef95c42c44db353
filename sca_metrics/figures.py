"""Plotly figure builders: pure functions of scores and a language (no state, no streamlit)."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sca_metrics import model
from sca_metrics.i18n import fmt_number, t
from sca_metrics.scoring import Scores

FONT = "Noto Sans, Arial, sans-serif"
MISSING = "#d9d9d9"  # grey: no score (the reason is on hover)
CHANGE_COLOUR = "#A50026"  # a change of administrative units, on every time axis


def separators(lang: str) -> str:
    """Plotly's decimal and thousands marks: 1.234,5 in Vietnamese, 1,234.5 in English."""
    return ",." if lang == "vi" else ".,"


def _layout(fig: go.Figure, lang: str, title: str, height: int) -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0, "xanchor": "left"}, height=height,
                      separators=separators(lang), font={"family": FONT, "size": 13},
                      margin={"l": 10, "r": 10, "t": 60, "b": 10}, plot_bgcolor="white")
    return fig


def _legend_below_title(fig: go.Figure) -> go.Figure:
    """A horizontal legend in its own band between the title and the plot, so it never
    collides with a long title or the axis titles."""
    fig.update_layout(legend={"orientation": "h", "y": 1.0, "x": 0, "xanchor": "left",
                              "yanchor": "bottom"},
                      title={"y": 0.99, "yanchor": "top", "yref": "container"},
                      margin={"t": 100})
    return fig


def _level_colorscale() -> list[list]:
    """Discrete bands of 20 points, one colour per maturity level."""
    scale = []
    for k, lv in enumerate(model.LEVELS):
        scale += [[k / 5, lv.colour], [(k + 1) / 5, lv.colour]]
    return scale


def _label(score: float, lang: str) -> str:
    return fmt_number(score, lang, 1, fixed=True)  # "–" when missing


def _level(score: float) -> int:
    return 1 + min(4, int(score // 20))


def _level_colour(score: float) -> str:
    return MISSING if score is None or np.isnan(score) else model.LEVELS[_level(score) - 1].colour


def _reason(reason: object, lang: str) -> str:
    return t(f"reason.{reason}", lang) if isinstance(reason, str) else t("reason.no_data", lang)


def heatmap(scores: Scores, lang: str) -> go.Figure:
    """Smart domains × drivers, coloured by maturity level, the score written in each cell.
    A cell without a score is grey and says why on hover. Each cell carries its
    [domain, driver] codes, so a click can drill down to it."""
    cells = scores.cells[scores.cells.domain != model.FOUNDATIONS]
    domains = [d for d in model.SMART_DOMAIN_CODES if d in set(cells.domain)]
    drivers = list(model.DRIVER_CODES)
    grid = cells.pivot(index="domain", columns="driver", values="score").reindex(
        index=domains, columns=drivers)
    why = cells.pivot(index="domain", columns="driver", values="reason").reindex(
        index=domains, columns=drivers)
    z = grid.to_numpy(dtype=float)
    x = [model.term(model.DRIVERS, d).name(lang) for d in drivers]
    y = [model.domain_name(d, lang) for d in domains]
    codes = np.array([[[dom, drv] for drv in drivers] for dom in domains], dtype=object)
    missing = np.isnan(z)
    fig = go.Figure()
    if missing.any():
        fig.add_trace(go.Heatmap(
            z=np.where(missing, 1.0, np.nan), x=x, y=y, colorscale=[[0, MISSING], [1, MISSING]],
            showscale=False, xgap=2, ygap=2, hoverinfo="skip"))
    fig.add_trace(go.Heatmap(
        z=z, x=x, y=y, zmin=0, zmax=100, colorscale=_level_colorscale(), xgap=2, ygap=2,
        hoverinfo="skip",
        colorbar={"title": {"text": t("overview.level", lang)}, "tickvals": [10, 30, 50, 70, 90],
                  "ticktext": [f"{lv.code} {lv.name(lang)}" for lv in model.LEVELS]},
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
    light = {int(lv.code) for lv in model.LEVELS if lv.code in model.LIGHT_LEVELS}
    # One layout update for all labels: add_annotation per cell validates the figure each time.
    fig.update_layout(annotations=[
        {"x": j, "y": i, "text": _label(v, lang), "showarrow": False,
         "font": {"color": "#222222" if np.isnan(v) or _level(v) in light else "white", "size": 14}}
        for i, row in enumerate(z) for j, v in enumerate(row)])
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, lang, t("overview.heatmap_title", lang, period=scores.period), 420)


def ranking(scores: Scores, lang: str) -> go.Figure:
    """Smart domains ranked by score, bars coloured by level, with score and level written;
    a domain without a score is listed last with its reason."""
    d = scores.domains[scores.domains.domain != model.FOUNDATIONS].sort_values(
        "score", ascending=True, na_position="first")
    names = [model.domain_name(c, lang) for c in d.domain]
    labels = [_reason(r, lang) if np.isnan(s) else
              f"{_label(s, lang)} · {t('overview.level', lang)} {_level(s)}"
              for s, r in zip(d.score, d.reason, strict=True)]
    fig = go.Figure(go.Bar(x=d.score.fillna(0), y=names, orientation="h",
                           marker_color=[_level_colour(s) for s in d.score], text=labels,
                           textposition="outside", cliponaxis=False, customdata=d.domain,
                           hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_xaxes(range=[0, 115], title=t("overview.score_axis", lang), gridcolor="#eeeeee")
    return _layout(fig, lang, t("overview.ranking_title", lang, period=scores.period), 420)


def radar(current: Scores, previous: Scores | None, lang: str) -> go.Figure:
    """The smart domains' scores this period against the previous period and the 2025 target
    score; each point carries its domain code, so a click drills down."""
    d = current.domains[current.domains.domain != model.FOUNDATIONS]
    names = [model.domain_name(c, lang) for c in d.domain]
    close = names[:1]  # close the polygon

    def trace(values, name, colour, dash="solid", fill=None):
        v = list(values)
        return go.Scatterpolar(r=v + v[:1], theta=names + close, name=name, mode="lines+markers",
                               line={"color": colour, "dash": dash, "width": 2.5}, fill=fill,
                               customdata=list(d.domain) + list(d.domain[:1]),
                               hovertemplate="%{theta}: %{r:.1f}<extra>" + name + "</extra>")

    fig = go.Figure()
    fig.add_trace(trace(d.target_score_2025, t("figure.target_2025", lang), "#999999", "dot"))
    if previous is not None:
        prev = d[["domain"]].merge(previous.domains[["domain", "score"]], how="left").score
        fig.add_trace(trace(prev, t("figure.period_name", lang, period=previous.period), "#E69F00",
                            "dash"))
    fig.add_trace(trace(d.score, t("figure.period_name", lang, period=current.period), "#0072B2",
                        fill="toself"))
    fig.update_traces(fillcolor="rgba(0,114,178,0.12)", selector={"fill": "toself"})
    fig.update_layout(polar={"radialaxis": {"range": [0, 100], "tickvals": [20, 40, 60, 80, 100],
                                            "gridcolor": "#dddddd"},
                             "angularaxis": {"gridcolor": "#dddddd"}, "bgcolor": "white"},
                      legend={"orientation": "h", "y": -0.08, "x": 0.5, "xanchor": "center"})
    fig = _layout(fig, lang, t("figure.radar_title", lang, period=current.period), 460)
    fig.update_layout(margin={"l": 60, "r": 60, "t": 60, "b": 40})
    return fig


def drivers(scores: Scores, domain: str, lang: str) -> go.Figure:
    """One domain's three drivers: bars in the driver colours, the 2025 and 2030 target
    scores as markers; a driver without a score says why."""
    c = scores.cells[scores.cells.domain == domain].set_index("driver").reindex(
        list(model.DRIVER_CODES))
    names = [model.term(model.DRIVERS, d).name(lang) for d in c.index]
    text = ["<br>".join(textwrap.wrap(_reason(r, lang), 20)) if np.isnan(s) else
            f"{_label(s, lang)} · {t('overview.level', lang)} {_level(s)}"
            for s, r in zip(c.score, c.reason, strict=True)]
    fig = go.Figure(go.Bar(
        # Scores written at the foot of the bar, so the target markers never cover them.
        x=names, y=c.score.fillna(0), text=text, cliponaxis=False, insidetextanchor="start",
        textposition=["outside" if np.isnan(v) else "inside" for v in c.score],
        textfont={"color": ["#444444" if np.isnan(v) else "white" for v in c.score]},
        constraintext="none",
        marker_color=[model.term(model.DRIVERS, d).colour for d in c.index],
        customdata=[[domain, d] for d in c.index], name=t("figure.score", lang),
        hovertemplate="%{x}: %{text}<extra></extra>"))
    for year, symbol in ((2025, "diamond"), (2030, "star")):
        fig.add_trace(go.Scatter(
            x=names, y=c[f"target_score_{year}"], mode="markers",
            marker={"symbol": symbol, "size": 13, "color": "#222222", "line": {"width": 1,
                                                                             "color": "white"}},
            name=t(f"figure.target_{year}", lang),
            hovertemplate="%{x}: %{y:.1f}<extra>" + t(f"figure.target_{year}", lang) + "</extra>"))
    fig.update_yaxes(range=[0, 112], title=t("overview.score_axis", lang), gridcolor="#eeeeee")
    title = t("figure.drivers_title", lang, domain=model.domain_name(domain, lang), period=scores.period)
    return _legend_below_title(_layout(fig, lang, title, 400))


def trend(by_period: dict[str, Scores], domain: str, lang: str, change_days: tuple = ()) -> go.Figure:
    """A domain's score and its drivers over every period, with the level bands and each
    change of administrative units (the province became part of Hồ Chí Minh City on
    1/7/2025) marked where it falls: halfway between the year-end points around it."""
    periods = list(by_period)
    by_driver = {p: sc.cells[sc.cells.domain == domain].set_index("driver").score
                 for p, sc in by_period.items()}
    fig = go.Figure()
    fig.update_layout(shapes=[  # the level bands, in one update
        {"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "y0": 20 * k, "y1": 20 * (k + 1),
         "fillcolor": lv.colour, "opacity": 0.08, "line": {"width": 0}, "layer": "below"}
        for k, lv in enumerate(model.LEVELS)])
    for drv in model.DRIVERS:
        y = [by_driver[p].get(drv.code, np.nan) for p in periods]
        fig.add_trace(go.Scatter(x=periods, y=y, name=drv.name(lang), mode="lines+markers",
                                 line={"color": drv.colour, "width": 2}, customdata=[
                                     [domain, drv.code]] * len(periods),
                                 hovertemplate="%{x}: %{y:.1f}<extra>" + drv.name(lang) + "</extra>"))
    y = [sc.domains.set_index("domain").score.get(domain, np.nan) for sc in by_period.values()]
    name = model.domain_name(domain, lang)
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
                                      date=f"{day.day}/{day.month}/{day.year}"))
    return _legend_below_title(_layout(fig, lang, t("figure.trend_title", lang, domain=name), 400))


def gaps(scores: Scores, domain: str, lang: str) -> go.Figure:
    """What the domain misses, 100 − S, split by indicator (docs/METHOD.md §3): the biggest share
    first, coloured by driver."""
    ind = scores.indicators[(scores.indicators.domain == domain)
                            & scores.indicators.gap_contribution.notna()]
    ind = ind.sort_values("gap_contribution", ascending=True)
    labels = [f"{c} · {_short(n)}" for c, n in zip(ind.code, ind[f"name_{lang}"], strict=True)]
    fig = go.Figure()
    for drv in model.DRIVERS:
        mine = ind.driver == drv.code
        fig.add_trace(go.Bar(
            x=ind.gap_contribution[mine], y=[lab for lab, m in zip(labels, mine, strict=True) if m],
            orientation="h", name=drv.name(lang), marker_color=drv.colour,
            text=[_label(v, lang) for v in ind.gap_contribution[mine]], textposition="outside",
            cliponaxis=False, customdata=[[domain, drv.code]] * int(mine.sum()),
            hovertemplate="%{y}: %{x:.2f}<extra>" + drv.name(lang) + "</extra>"))
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    total = float(ind.gap_contribution.sum()) if len(ind) else np.nan
    fig.update_xaxes(title=t("figure.gap_axis", lang), gridcolor="#eeeeee",
                     range=[0, max(5.0, float(ind.gap_contribution.max()) * 1.25) if len(ind) else 5])
    title = t("figure.gaps_title", lang, domain=model.domain_name(domain, lang), total=_label(total, lang),
              period=scores.period)
    return _legend_below_title(_layout(fig, lang, title, max(340, 28 * len(ind) + 170)))


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def whatif(nominal: Scores, changed: Scores, intervals: pd.DataFrame, lang: str) -> go.Figure:
    """Each smart domain (and the overall): nominal score (hollow), what-if score (filled,
    level colour) and the Monte Carlo 5–95 % interval of the what-if weights."""
    order = [d for d in model.SMART_DOMAIN_CODES if d in set(nominal.domains.domain)]
    nom = nominal.domains.set_index("domain").score
    new = changed.domains.set_index("domain").score
    iv = intervals.set_index("domain")
    keys = [*order, "overall"]
    names = [model.domain_name(d, lang) for d in order] + [t("overview.overall", lang)]
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
    return _legend_below_title(_layout(fig, lang, t("figure.whatif_title", lang, period=changed.period), 480))


def coverage(matrix: pd.DataFrame, labels: list[str], lang: str) -> go.Figure:
    """Department × period completeness of the current returns; blank = not submitted."""
    z = matrix.to_numpy(dtype=float) * 100
    text = [["" if np.isnan(v) else f"{fmt_number(v, lang, 0, fixed=True)}%" for v in row] for row in z]
    fig = go.Figure(go.Heatmap(
        z=z, x=list(matrix.columns), y=labels, zmin=0, zmax=100, colorscale="Blues", xgap=2, ygap=2,
        text=text, texttemplate="%{text}", hoverongaps=False,
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        colorbar={"title": {"text": t("figure.completeness", lang)}, "ticksuffix": "%"}))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="category")
    return _layout(fig, lang, t("figure.coverage_title", lang), 60 + 34 * len(labels) + 60)


def target_gaps(scores: Scores, lang: str) -> go.Figure:
    """Each smart domain's score (bar, level colour) against its 2025 target score
    (diamond), the biggest shortfall at the top; the shortfall written beside the bar."""
    d = scores.domains[(scores.domains.domain != model.FOUNDATIONS) & scores.domains.score.notna()]
    d = d.sort_values("gap_2025", ascending=True, na_position="first")
    names = [model.domain_name(c, lang) for c in d.domain]
    text = [t("figure.gap_short", lang, gap=_label(g, lang)) if g > 0 else t("figure.target_met", lang)
            for g in d.gap_2025]
    fig = go.Figure(go.Bar(x=d.score, y=names, orientation="h", name=t("figure.score", lang),
                           marker_color=[_level_colour(s) for s in d.score], customdata=d.domain,
                           hovertemplate="%{y}: %{x:.1f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=d.target_score_2025, y=names, mode="markers", name=t("figure.target_2025", lang),
        marker={"symbol": "diamond", "size": 14, "color": "#222222", "line": {"width": 1, "color": "white"}},
        customdata=d.domain, hovertemplate="%{y}: %{x:.1f}<extra>" + t("figure.target_2025", lang)
        + "</extra>"))
    fig.add_trace(go.Scatter(  # the shortfall, written past whichever ends further right
        x=np.fmax(d.score, d.target_score_2025) + 2, y=names, mode="text", text=text,
        textposition="middle right", cliponaxis=False, showlegend=False, hoverinfo="skip"))
    fig.update_xaxes(range=[0, 125], title=t("overview.score_axis", lang), gridcolor="#eeeeee",
                     tickvals=[0, 20, 40, 60, 80, 100])
    title = t("figure.target_gaps_title", lang, period=scores.period)
    return _legend_below_title(_layout(fig, lang, title, 440))


def for_print(fig: go.Figure, lang: str, period: str, source: str, unit: str | None = None,
              width: int = 1200) -> go.Figure:
    """A copy of a dashboard figure ready for a briefing: white, at the export width, with
    the unit and the source line ("Nguồn: … — kỳ báo cáo …") under the plot."""
    out = go.Figure(fig)
    height = int(out.layout.height or 450)
    margin = out.layout.margin
    bottom = 130  # room for the axis title and ticks, then the source line
    # Wrapped, so the line fits under the narrowest plot area (it starts at the plot's left edge).
    lines = textwrap.wrap(t("figure.source_line", lang, source=source, period=period), 95)
    line = "<br>".join([unit, *lines] if unit else lines)
    out.update_layout(
        width=width, height=height + bottom - (margin.b or 10), paper_bgcolor="white",
        font={"size": 16}, title={"font": {"size": 20}, "pad": {"l": 12}},
        margin={"b": bottom, "l": max(margin.l or 10, 20), "r": max(margin.r or 10, 30)},
        annotations=[*out.layout.annotations, {
            "xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left",
            "yanchor": "bottom", "yshift": -(bottom - 6), "showarrow": False, "align": "left",
            "text": line, "font": {"size": 11, "color": "#555555"}}])
    return out


# ---- the pilot: progress to targets, the series across the unit change, the wards ----

R_RANGE = (-1.0, 2.0)  # the progress ratio shown; beyond it the bar stops at the edge


def rate_text(rate: float | None, method: str | None, unit: str, lang: str) -> str:
    """+8,4%/năm for a growth rate, +0,25 điểm/năm for a linear change."""
    if rate is None or pd.isna(rate):
        return "–"
    sign = "+" if rate >= 0 else "−"
    if method == "cagr":
        return t("figure.rate_pct", lang, rate=sign + fmt_number(abs(100 * rate), lang, 1, fixed=True))
    return t("figure.rate_linear", lang, rate=sign + fmt_number(abs(rate), lang, 2),
             unit=unit).replace(" %/", "%/")


def progress_label(row, unit: str, lang: str, sep: str = ": ") -> str:
    """The status and, where there is a ratio, the actual and required rates."""
    name = model.term(model.PROGRESS_STATUSES, row.status).name(lang)
    if row.ratio is None or pd.isna(row.ratio):
        return name
    return name + sep + t("figure.progress_rates", lang,
                          actual=rate_text(row.actual_rate, row.method, unit, lang),
                          required=rate_text(row.required_rate, row.method, unit, lang))


def progress_bars(progress: pd.DataFrame, catalog, lang: str, title: str) -> go.Figure:
    """Each indicator's progress ratio R = actual / required rate (docs/METHOD.md §6), coloured by
    status, the band edges 0 · 0,6 · 0,95 marked; achieved targets run to the right edge,
    indicators without enough data sit at 0. The status and both rates written beside."""
    p = progress.assign(order=progress.status.map(
        {s.code: i for i, s in enumerate(model.PROGRESS_STATUSES)}))
    p = p.sort_values(["order", "ratio"], ascending=[False, True])
    inds = [catalog.indicator(c) for c in p.code]
    labels = [_short(i.name(lang).split(" (")[0], 40) for i in inds]
    x = [R_RANGE[1] if s == "achieved" else 0.0 if r is None or pd.isna(r)
         else float(np.clip(r, *R_RANGE)) for s, r in zip(p.status, p.ratio, strict=True)]
    text = [progress_label(r, i.unit(lang), lang, "<br>") for r, i in zip(p.itertuples(), inds, strict=True)]
    colours = [model.term(model.PROGRESS_STATUSES, s).colour for s in p.status]
    fig = go.Figure(go.Bar(x=x, y=labels, orientation="h", marker_color=colours, text=text,
                           textposition="outside", cliponaxis=False, customdata=p.code,
                           hovertemplate="%{y}<br>%{text}<extra></extra>"))
    for edge in (0.0, 0.6, 0.95):
        fig.add_vline(x=edge, line={"color": "#555555", "dash": "dot", "width": 1})
    low = R_RANGE[0] if min(x, default=0) < 0 else -0.1
    ticks = [v for v in (-1, 0, 0.6, 0.95, 1.5, 2) if v >= low]
    fig.update_xaxes(range=[low, R_RANGE[1] + 1.7], title=t("figure.progress_axis", lang),
                     tickvals=ticks, gridcolor="#eeeeee", zeroline=False,
                     ticktext=[("≥ " if v == R_RANGE[1] else "") + _short_number(v, lang) for v in ticks])
    return _layout(fig, lang, title, max(320, 56 * len(p) + 140))


def _short_number(x: float, lang: str) -> str:
    """0,6 and 0,95 (no padding zeros), in the language's decimal mark."""
    text = f"{x:g}".replace("-", "−")
    return text.replace(".", ",") if lang == "vi" else text


def period_day(period: object) -> str:
    """Where a period sits on a time axis: its last day, the day it describes."""
    return f"{int(period)}-12-31"


def _time_axis(fig: go.Figure, periods: list[str], change_days: list, lang: str,
               n_axes: int = 1) -> None:
    """Yearly ticks on each period's last day, and every unit change (1/7/2025) drawn on
    each time axis and named once, in the legend."""
    first, last = int(min(periods)), int(max(periods))
    fig.update_xaxes(type="date", tick0=period_day(first), dtick="M12", tickformat="%Y",
                     range=[f"{first}-10-01", f"{last + 1}-03-01"], gridcolor="#eeeeee")
    shapes = []
    for k in range(1, n_axes + 1):
        suffix = "" if k == 1 else str(k)
        for day in change_days:
            shapes.append({"type": "line", "xref": f"x{suffix}", "yref": f"y{suffix} domain",
                           "x0": day.isoformat(), "x1": day.isoformat(), "y0": 0, "y1": 1,
                           "line": {"color": CHANGE_COLOUR, "dash": "dash", "width": 1.5}})
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes])
    for day in change_days:
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="lines", hoverinfo="skip",
            line={"color": CHANGE_COLOUR, "dash": "dash", "width": 1.5},
            name=t("figure.unit_change", lang, date=f"{day.day}/{day.month}/{day.year}")))


def pilot_multiples(values: pd.DataFrame, progress: pd.DataFrame, catalog, change_days: list,
                    lang: str, title: str, columns: int = 3) -> go.Figure:
    """One small chart per pilot indicator: the city series (values: period, indicator,
    value), the 2025 and 2030 targets as lines, the unit change marked on every time axis;
    each panel's title carries its progress status."""
    from plotly.subplots import make_subplots

    codes = list(progress.code)
    status = progress.set_index("code").status
    rows = -(-len(codes) // columns)
    inds = [catalog.indicator(c) for c in codes]
    titles = ["<br>".join(textwrap.wrap(f"{i.name(lang).split(' (')[0]} ({i.unit(lang)})", 42))
              + f"<br><span style='color:{model.term(model.PROGRESS_STATUSES, status[i.code]).colour}'>"
              + f"{model.term(model.PROGRESS_STATUSES, status[i.code]).name(lang)}</span>"
              for i in inds]
    row_height, top, bottom = 300, 190, 40
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles,
                        vertical_spacing=105 / (row_height * rows), horizontal_spacing=0.07)
    periods = sorted(values.period.astype(str).unique())
    for k, ind in enumerate(inds):
        r, c = k // columns + 1, k % columns + 1
        s = values[values.indicator == ind.code].sort_values("period")
        fig.add_trace(go.Scatter(
            x=[period_day(p) for p in s.period], y=s.value, mode="lines+markers", showlegend=k == 0,
            name=t("figure.city_series", lang), line={"color": "#0072B2", "width": 2.5},
            customdata=s.period, hovertemplate="%{customdata}: %{y:,.1f}<extra></extra>"), r, c)
        for year, dash, target in (("2025", "dash", ind.target_2025), ("2030", "dot", ind.target_2030)):
            if target is None:
                continue
            fig.add_trace(go.Scatter(
                x=[period_day(periods[0]), period_day(year)], y=[target, target], mode="lines",
                line={"color": "#222222", "dash": dash, "width": 1.2}, showlegend=k == 0,
                legendgroup=year, name=t("figure.target_line", lang, year=year),
                hovertemplate=f"{t('figure.target_line', lang, year=year)}: %{{y:,.1f}}<extra></extra>"),
                r, c)
        lo, hi = sorted((ind.worst, ind.best))
        fig.update_yaxes(range=[lo, hi * 1.05 if hi > 0 else hi], row=r, col=c)
    _time_axis(fig, [*periods, "2025"], change_days, lang, n_axes=len(codes))
    fig.update_annotations(font_size=12)
    fig.update_xaxes(tickangle=0, dtick="M24", tickfont_size=11)  # small panels: every other year
    fig.update_yaxes(tickfont_size=11)
    height = row_height * rows + top + bottom
    out = _layout(fig, lang, title, height)
    out.update_layout(margin={"t": top, "b": bottom},
                      title={"y": 0.99, "yanchor": "top", "yref": "container"},
                      legend={"orientation": "h", "x": 0, "xanchor": "left", "yref": "container",
                              "y": 1 - 48 / height, "yanchor": "top"})
    return out


def _ward_name(units, code: str, lang: str) -> str:
    return units.unit(code).name(lang)


def ward_bars(frame: pd.DataFrame, ind, units, lang: str, title: str,
              city: float | None = None) -> go.Figure:
    """The wards of one indicator and period (frame: unit, value, n_sources), best at the top,
    each value inside its bar's end (outside when the bar is too short); rolled-up wards say
    from how many former wards; the city value as a line except for sums (a total is not
    comparable to one ward)."""
    f = frame[frame.value.notna()].sort_values("value", ascending=ind.direction == "higher")
    names = [_ward_name(units, u, lang) for u in f.unit]
    rolled = [t("figure.rolled_from", lang, n=int(n)) if n > 1 else "" for n in f.n_sources]
    unit = ind.unit(lang)
    fixed = ind.aggregation != "sum"  # counts are whole; rates keep one decimal
    text = [f"{fmt_number(v, lang, 1, fixed=fixed)}{'' if unit == '%' else ' '}{unit}{r}"
            for v, r in zip(f.value, rolled, strict=True)]
    fig = go.Figure(go.Bar(x=f.value, y=names, orientation="h", marker_color="#0072B2", text=text,
                           textposition="auto", insidetextanchor="end", cliponaxis=False,
                           insidetextfont={"color": "white"}, outsidetextfont={"color": "#333333"},
                           hovertemplate="%{y}: %{text}<extra></extra>"))
    lo, hi = sorted((ind.worst, ind.best))
    top = max(float(f.value.max()) if len(f) else hi, hi if ind.aggregation != "sum" else 0)
    if city is not None and not pd.isna(city) and ind.aggregation != "sum":
        # behind the bars: a label at a bar's end (inside it) is never crossed by the line
        fig.add_vline(x=city, line={"color": "#D55E00", "dash": "dash", "width": 2}, layer="below")
        fig.add_annotation(x=city, y=1, yref="paper", yanchor="bottom", showarrow=False,
                           text=t("figure.city_line", lang, value=fmt_number(city, lang, 1, fixed=True)
                                  + ("" if unit == "%" else " ") + unit),
                           font={"color": "#D55E00", "size": 12})
    # labels sit inside the longest bars, so the axis needs only a little room beyond them
    fig.update_xaxes(range=[min(lo, 0), top * 1.08], title=unit, gridcolor="#eeeeee")
    fig.update_yaxes(ticklabelstandoff=6)  # the ward names clear of the bars
    return _layout(fig, lang, title, max(300, 40 * len(f) + 160))


def ward_lines(frame: pd.DataFrame, ind, units, change_days: list, lang: str,
               title: str) -> go.Figure:
    """Each ward's series of one indicator (frame: period, unit, value) in one unit system,
    the unit change marked."""
    fig = go.Figure()
    palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
    for k, (code, s) in enumerate(frame.sort_values("period").groupby("unit", sort=False)):
        name = _ward_name(units, code, lang)
        fig.add_trace(go.Scatter(
            x=[period_day(p) for p in s.period], y=s.value, mode="lines+markers", name=name,
            line={"color": palette[k % len(palette)], "width": 2}, customdata=s.period,
            hovertemplate="%{customdata}: %{y:,.1f}<extra>" + name + "</extra>"))
    periods = sorted(frame.period.astype(str).unique()) or ["2025"]
    _time_axis(fig, [*periods, "2025"], change_days, lang)
    fig.update_yaxes(title=ind.unit(lang), gridcolor="#eeeeee")
    fig = _layout(fig, lang, title, 480)
    if len(fig.data) > 8:  # the 17 former wards: a column of names beside the plot
        return fig.update_layout(legend={"orientation": "v", "x": 1.02, "y": 1, "yanchor": "top"})
    return _legend_below_title(fig)
