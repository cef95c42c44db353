"""Plotly figure builders: pure functions of scores and a language (no state, no streamlit)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sca_metrics import model
from sca_metrics.i18n import fmt_number, t
from sca_metrics.scoring import Scores

FONT = "Noto Sans, Arial, sans-serif"


def separators(lang: str) -> str:
    """Plotly's decimal and thousands marks: 1.234,5 in Vietnamese, 1,234.5 in English."""
    return ",." if lang == "vi" else ".,"


def _layout(fig: go.Figure, lang: str, title: str, height: int) -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0, "xanchor": "left"}, height=height,
                      separators=separators(lang), font={"family": FONT, "size": 13},
                      margin={"l": 10, "r": 10, "t": 60, "b": 10}, plot_bgcolor="white")
    return fig


def _level_colorscale() -> list[list]:
    """Discrete bands of 20 points, one colour per maturity level."""
    scale = []
    for k, lv in enumerate(model.LEVELS):
        scale += [[k / 5, lv.colour], [(k + 1) / 5, lv.colour]]
    return scale


def _label(score: float, lang: str) -> str:
    return "–" if np.isnan(score) else fmt_number(score, lang, 1, fixed=True)


def heatmap(scores: Scores, lang: str) -> go.Figure:
    """Smart domains × drivers, coloured by maturity level, the score written in each cell."""
    cells = scores.cells[scores.cells.domain != model.FOUNDATIONS]
    domains = [d for d in model.SMART_DOMAIN_CODES if d in set(cells.domain)]
    grid = cells.pivot(index="domain", columns="driver", values="score").reindex(
        index=domains, columns=list(model.DRIVER_CODES))
    z = grid.to_numpy(dtype=float)
    text = [[_label(v, lang) for v in row] for row in z]
    light = {float(lv.code) for lv in model.LEVELS if lv.code in model.LIGHT_LEVELS}
    fig = go.Figure(go.Heatmap(
        z=z, x=[model.term(model.DRIVERS, d).name(lang) for d in grid.columns],
        y=[model.term(model.DOMAINS, d).name(lang) for d in grid.index],
        zmin=0, zmax=100, colorscale=_level_colorscale(), xgap=2, ygap=2,
        customdata=np.array(domains)[:, None].repeat(len(grid.columns), axis=1),
        hovertemplate="%{y} · %{x}: %{z:.1f}<extra></extra>",
        colorbar={"title": {"text": t("overview.level", lang)}, "tickvals": [10, 30, 50, 70, 90],
                  "ticktext": [f"{lv.code} {lv.name(lang)}" for lv in model.LEVELS]},
    ))
    for i, row in enumerate(z):
        for j, v in enumerate(row):
            level = np.nan if np.isnan(v) else 1 + min(4, int(v // 20))
            fig.add_annotation(x=j, y=i, text=text[i][j], showarrow=False,
                               font={"color": "#222222" if level in light or np.isnan(v) else "white",
                                     "size": 14})
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, lang, t("overview.heatmap_title", lang, period=scores.period), 420)


def ranking(scores: Scores, lang: str) -> go.Figure:
    """Smart domains ranked by score, bars coloured by level, with score and level written."""
    d = scores.domains[scores.domains.domain != model.FOUNDATIONS].sort_values(
        "score", ascending=True, na_position="first")
    names = [model.term(model.DOMAINS, c).name(lang) for c in d.domain]
    colours = [model.LEVELS[int(lv) - 1].colour if lv == lv and lv is not None else "#cccccc"
               for lv in d.level.astype("float")]
    labels = [("–" if np.isnan(s) else f"{_label(s, lang)} · {t('overview.level', lang)} "
               f"{int(lv)}") for s, lv in zip(d.score, d.level.astype(float), strict=True)]
    fig = go.Figure(go.Bar(x=d.score, y=names, orientation="h", marker_color=colours, text=labels,
                           textposition="outside", cliponaxis=False, customdata=d.domain,
                           hovertemplate="%{y}: %{x:.1f}<extra></extra>"))
    fig.update_xaxes(range=[0, 115], title=t("overview.score_axis", lang), gridcolor="#eeeeee")
    return _layout(fig, lang, t("overview.ranking_title", lang, period=scores.period), 420)
