"""What every figure shares: the font, the colours, the layout, and the print decoration
(white, the export width, the unit and the source line) of a figure that leaves the dashboard."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from sca_metrics.reference.i18n import t

FONT = "Noto Sans, Arial, sans-serif"
MISSING = "#d9d9d9"  # grey: no score (the reason is on hover)
CHANGE_COLOUR = "#A50026"  # a change of administrative units, on every time axis


def separators(lang: str) -> str:
    """Plotly's decimal and thousands marks: 1.234,5 in Vietnamese, 1,234.5 in English."""
    return ",." if lang == "vi" else ".,"


def layout(fig: go.Figure, lang: str, title: str, height: int) -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0, "xanchor": "left"}, height=height,
                      separators=separators(lang), font={"family": FONT, "size": 13},
                      margin={"l": 10, "r": 10, "t": 60, "b": 10}, plot_bgcolor="white")
    return fig


def legend_below_title(fig: go.Figure) -> go.Figure:
    """A horizontal legend in its own band between the title and the plot, so it never
    collides with a long title or the axis titles."""
    fig.update_layout(legend={"orientation": "h", "y": 1.0, "x": 0, "xanchor": "left",
                              "yanchor": "bottom"},
                      title={"y": 0.99, "yanchor": "top", "yref": "container"},
                      margin={"t": 100})
    return fig


def short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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
