"""Plotly figures of the Vũng Tàu pilot: progress to targets, the series across the change
of administrative units, the wards. Pure functions of frames and a language."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sca_metrics.outputs.figure_style import CHANGE_COLOUR, layout, legend_below_title, wrapped
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.reference.i18n import t

R_RANGE = (-1.0, 2.0)  # the progress ratio shown; beyond it the bar stops at the edge
COMPACT_NAME = 28  # characters a line of a name beside a compact chart's bars


def rate_text(rate: float | None, method: str | None, unit: str, lang: str) -> str:
    """+8,4%/năm for a growth rate, +0,25 điểm/năm for a linear change."""
    if rate is None or pd.isna(rate):
        return "–"
    sign = "+" if rate >= 0 else "−"
    if method == "cagr":
        return t("figure.rate_pct", lang, rate=sign + formatting.number(abs(100 * rate), lang, 1, fixed=True))
    return t("figure.rate_linear", lang, rate=sign + formatting.number(abs(rate), lang, 2),
             unit=unit).replace(" %/", "%/")


def progress_label(row, unit: str, lang: str, sep: str = ": ") -> str:
    """The status and, where there is a ratio, the actual and required rates."""
    name = vocabulary.term(vocabulary.PROGRESS_STATUSES, row.status).name(lang)
    if row.ratio is None or pd.isna(row.ratio):
        return name
    return name + sep + t("figure.progress_rates", lang,
                          actual=rate_text(row.actual_rate, row.method, unit, lang),
                          required=rate_text(row.required_rate, row.method, unit, lang))


def by_status(progress: pd.DataFrame) -> pd.DataFrame:
    """Progress rows in the order the bars show them, bottom to top: by status (achieved at
    the top), then by R within a status."""
    order = progress.status.map({s.code: i for i, s in enumerate(vocabulary.PROGRESS_STATUSES)})
    return progress.assign(order=order).sort_values(["order", "ratio"], ascending=[False, True]).drop(
        columns="order")


def progress_bars(progress: pd.DataFrame, catalog, lang: str, title: str, phone: bool = False,
                  compact: bool = False) -> go.Figure:
    """Each indicator's progress ratio R = actual / required rate (docs/METHOD.md §6), coloured by
    status, the band edges 0 · 0,6 · 0,95 marked; achieved targets run to the right edge,
    indicators without enough data sit at 0. The status and both rates written beside —
    `phone`: the status alone (both rates on hover) and the names on short lines, so the bars
    keep the width of a 390 px screen; `compact`: the status alone and the names on lines of
    28 characters (a slide or a page, whose text states the rates)."""
    p = by_status(progress)
    inds = [catalog.indicator(c) for c in p.code]
    labels = [wrapped(i.short_name(lang), 12 if phone else COMPACT_NAME if compact else 34) for i in inds]
    # two indicators of one name (one per province) would share a row: each named with its code
    twice = {label for label in labels if labels.count(label) > 1}
    labels = [f"{label}<br>({code})" if label in twice else label
              for label, code in zip(labels, p.code, strict=True)]
    x = [R_RANGE[1] if s == "achieved" else 0.0 if r is None or pd.isna(r)
         else float(np.clip(r, *R_RANGE)) for s, r in zip(p.status, p.ratio, strict=True)]
    said = [progress_label(r, i.unit(lang), lang, "<br>") for r, i in zip(p.itertuples(), inds, strict=True)]
    text = [vocabulary.term(vocabulary.PROGRESS_STATUSES, s).name(lang) for s in p.status] \
        if phone or compact else said
    colours = [vocabulary.term(vocabulary.PROGRESS_STATUSES, s).colour for s in p.status]
    # a bar going left (deterioration, R < 0) has its text right of 0, not over the names
    behind = [v < 0 for v in x]
    fig = go.Figure(go.Bar(x=x, y=labels, orientation="h", marker_color=colours,
                           text=["" if b else s for s, b in zip(text, behind, strict=True)],
                           hovertext=said, textposition="outside", cliponaxis=False, customdata=p.code,
                           showlegend=False,
                           hovertemplate="%{y}<br>%{hovertext}<extra></extra>"))
    if any(behind):
        fig.add_trace(go.Scatter(
            x=[0.0] * sum(behind), y=[label for label, b in zip(labels, behind, strict=True) if b],
            text=[s for s, b in zip(text, behind, strict=True) if b], mode="text",
            textposition="middle right", cliponaxis=False, hoverinfo="skip", showlegend=False))
    for edge in (0.0, 0.6, 0.95):
        fig.add_vline(x=edge, line={"color": "#555555", "dash": "dot", "width": 1})
    low = R_RANGE[0] if min(x, default=0) < 0 else -0.1
    ticks = [v for v in (-1, 0, 0.6, 0.95, 1.5, 2) if v >= low]
    fig.update_xaxes(range=[low, R_RANGE[1] + (1.2 if phone or compact else 1.7)],
                     title=t("figure.progress_axis", lang),
                     tickangle=0,
                     tickvals=ticks, gridcolor="#eeeeee", zeroline=False,
                     ticktext=[("≥ " if v == R_RANGE[1] else "") + formatting.short_number(v, lang)
                               for v in ticks])
    # a row for each name's lines as print sets them (a compact chart's names take three)
    row = 30 * max((label.count("<br>") + 1 for label in labels), default=1) + 20 if compact else 56
    return layout(fig, lang, title, max(320, row * len(p) + 140))


def period_day(period: str | int) -> str:
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
            name=t("figure.unit_change", lang, date=formatting.day(day, lang))))


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
    titles = ["<br>".join(textwrap.wrap(f"{i.short_name(lang)} ({i.unit(lang)})", 42))
              + "<br><span style='color:"
              + f"{vocabulary.term(vocabulary.PROGRESS_STATUSES, status[i.code]).colour}'>"
              + f"{vocabulary.term(vocabulary.PROGRESS_STATUSES, status[i.code]).name(lang)}</span>"
              for i in inds]
    row_height, top, bottom = 300, 230, 40  # top: the title, the legend (two rows in print), panel titles
    # between two rows: the upper panels' year labels, then the lower panels' titles (each line
    # as a print sets it): a title of three lines ran over the years above it
    lines = max((title.count("<br>") + 1 for title in titles), default=1)
    gap = 50 + 30 * lines
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles, horizontal_spacing=0.07,
                        vertical_spacing=gap / (row_height * rows + gap * (rows - 1)) if rows > 1 else 0.3)
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
    height = row_height * rows + gap * (rows - 1) + top + bottom
    out = layout(fig, lang, title, height)
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
    text = [f"{formatting.with_unit(v, unit, lang, 1, fixed=fixed)}{r}"
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
        # named beside the line on the side with room (right of the middle, it ran off the chart)
        right = city > (min(lo, 0) + top * 1.08) / 2
        fig.add_annotation(x=city, y=1, yref="paper", yanchor="bottom", showarrow=False,
                           xanchor="right" if right else "left",
                           text=t("figure.city_line", lang,
                                  value=formatting.with_unit(city, unit, lang, 1, fixed=True)),
                           font={"color": "#D55E00", "size": 12})
    # labels sit inside the longest bars, so the axis needs only a little room beyond them
    fig.update_xaxes(range=[min(lo, 0), top * 1.08], title=unit, gridcolor="#eeeeee")
    fig.update_yaxes(ticklabelstandoff=6)  # the ward names clear of the bars
    return layout(fig, lang, title, max(300, 40 * len(f) + 160))


def ward_lines(frame: pd.DataFrame, ind, units, change_days: list, lang: str,
               title: str) -> go.Figure:
    """Each ward's series of one indicator (frame: period, unit, value) in one unit system,
    the unit change marked."""
    fig = go.Figure()
    palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
    for k, (code, s) in enumerate(frame.sort_values("period").groupby("unit", sort=False)):
        name = _ward_name(units, str(code), lang)
        fig.add_trace(go.Scatter(
            x=[period_day(p) for p in s.period], y=s.value, mode="lines+markers", name=name,
            line={"color": palette[k % len(palette)], "width": 2}, customdata=s.period,
            hovertemplate="%{customdata}: %{y:,.1f}<extra>" + name + "</extra>"))
    periods = sorted(frame.period.astype(str).unique()) or ["2025"]
    _time_axis(fig, [*periods, "2025"], change_days, lang)
    fig.update_yaxes(title=ind.unit(lang), gridcolor="#eeeeee")
    fig = layout(fig, lang, title, 480)
    if len(fig.data) > 8:  # the 17 former wards: a column of names beside the plot
        return fig.update_layout(legend={"orientation": "v", "x": 1.02, "y": 1, "yanchor": "top"})
    return legend_below_title(fig)
