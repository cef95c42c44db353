"""What every figure shares: the font, the colours, the layout, and the print decoration
(white, the export width, the unit and the source line) of a figure that leaves the dashboard."""

from __future__ import annotations

import copy
import functools
import re
import textwrap

import plotly.graph_objects as go

from sca_metrics.reference.i18n import t
from sca_metrics.reference.textnorm import slug

FONT = "Noto Sans, Arial, sans-serif"
MISSING = "#d9d9d9"  # grey: no score (the reason is on hover)
CHANGE_COLOUR = "#A50026"  # a change of administrative units, on every time axis
PRINT_TEMPLATE = "plotly"
# Type of a figure for print, in px at the 1,200 px export width: a figure placed 621 pt wide on a
# slide (the narrowest, text beside it) shows PRINT_MIN px as 10.4 pt.
PRINT_FONT, PRINT_TITLE, PRINT_MIN = 22, 26, 21


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours (1–21; AA asks 4.5 for text)."""
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[k:k + 2], 16) / 255 for k in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def label_colour(background: str) -> str:
    """White or black, whichever reads better on `background` (white on the orange and green
    driver bars was 2.25:1 and 3.42:1; on the teal of level 3 neither white nor near-black
    reaches 4.5:1, black does: 5.49:1). `background` is #rrggbb or plotly's rgb(r, g, b)."""
    if background.startswith("rgb"):
        r, g, b = (round(float(v)) for v in background[background.index("(") + 1:-1].split(",")[:3])
        background = f"#{r:02x}{g:02x}{b:02x}"
    return max(("#ffffff", "#000000"), key=lambda text: contrast(text, background))


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


def download_stem(fig: go.Figure, period: str, lang: str) -> str:
    """What a downloaded figure is called: what it shows, its period and language —
    dttm_diem-theo-linh-vuc-va-dong-luc_2025_vi (the title without its "— kỳ …" tail)."""
    title = " ".join(str(fig.layout.title.text or "").replace("<br>", " ").split())  # a phone's title wraps
    return f"dttm_{slug(title.split(' — ')[0])}_{slug(period)}_{lang}"


def wrapped(text: str, width: int = 30) -> str:
    """A long label on lines of about `width` characters, broken between words — never cut
    short: every word of an indicator's name stays on the chart."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) or text


def for_print(fig: go.Figure, lang: str, period: str, source: str, unit: str | None = None,
              width: int = 1200) -> go.Figure:
    """A copy of a dashboard figure ready for a briefing: white, at the export width, type sized
    for a slide seen from the back of a room (no text under PRINT_MIN px at 1,200 px wide: 10 pt
    and more where a slide places it), with the unit and the source line ("Nguồn: … — kỳ báo
    cáo …") under the plot.

    Made on the figure's dictionary, and the result left unvalidated: what is added here is
    fixed and was valid when written, and plotly validating a whole figure again (its copy, the
    template) took about 0.1 s a figure — most of a briefing pack's drawing."""
    # the objects' own dictionaries (to_dict would turn arrays into base64 text)
    spec = {"data": [trace.to_plotly_json() for trace in fig.data], "layout": fig.layout.to_plotly_json()}
    if fig.frames:
        spec["frames"] = [frame.to_plotly_json() for frame in fig.frames]
    lay = spec["layout"]
    height = int(lay.get("height") or 450)
    margin = lay.get("margin", {})
    lines = textwrap.wrap(t("figure.source_line", lang, source=source, period=period),
                          _source_width(spec["data"], width))
    lines = [unit, *lines] if unit else lines
    bottom = 90 + 27 * len(lines)  # the axis ticks and title, then the unit and source lines
    # plotly's own template, whatever the process's default: the dashboard's is Streamlit's,
    # which has no automargin (labels were cut in the packs the exports page made)
    lay["template"] = copy.deepcopy(_print_template())
    _merge(lay, {
        "width": width, "height": height + bottom - (margin.get("b") or 10), "paper_bgcolor": "white",
        "font": {"size": PRINT_FONT}, "title": {"font": {"size": PRINT_TITLE}, "pad": {"l": 12}},
        "legend": {"font": {"size": PRINT_FONT}},
        "margin": {"b": bottom, "l": max(margin.get("l") or 10, 20), "r": max(margin.get("r") or 10, 30)}})
    if (bounds := outside_text_range(spec["data"], lay, width)) is not None:
        lay["xaxis"]["range"] = bounds
    # every smaller text brought up to PRINT_MIN: ticks, cell labels, annotations (as plotly's
    # for_each_xaxis and update_polars do, the first axis and polar are set even when unused)
    for name in sorted({"xaxis", "yaxis", *(k for k in lay if re.fullmatch(r"[xy]axis\d+", k))}):
        size = lay.get(name, {}).get("tickfont", {}).get("size")
        _merge(lay, {name: {"tickfont": {"size": max(size or PRINT_FONT, PRINT_MIN)}}})
    for name in sorted({"polar", *(k for k in lay if re.fullmatch(r"polar\d+", k))}):
        _merge(lay, {name: {"angularaxis": {"tickfont": {"size": PRINT_FONT}},
                            "radialaxis": {"tickfont": {"size": PRINT_MIN}}}})
    for trace in spec.get("data", []):
        size = trace.get("textfont", {}).get("size")
        if size is not None and size < PRINT_MIN:
            trace["textfont"]["size"] = PRINT_MIN
    for note in lay.get("annotations", []):
        if (note.get("font", {}).get("size") or PRINT_FONT) < PRINT_MIN:
            _merge(note, {"font": {"size": PRINT_MIN}})
    lay.setdefault("annotations", []).append({
        "xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left", "yanchor": "bottom",
        "yshift": -(bottom - 6), "showarrow": False, "align": "left", "text": "<br>".join(lines),
        "font": {"size": PRINT_MIN, "color": "#555555"}})
    return go.Figure(spec, _validate=False)


# Text widths at print size, estimated: Noto Sans sets a character in about half an em (0.55 for
# names, digits 0.57), so a figure can leave room for its text before the browser measures it.
EM_PER_CHAR = 0.56


def _plot_width(data: list[dict], width: int) -> float:
    """The plot area's width, about: the figure's, less its margins and the band its y-axis
    category names take (a horizontal bar's or a heatmap row's names push the plot right)."""
    longest = max((len(line) for trace in data
                   if trace.get("orientation") == "h" or trace.get("type") == "heatmap"
                   for label in _labels(trace.get("y")) for line in label.split("<br>")), default=0)
    return width - 60 - longest * EM_PER_CHAR * PRINT_FONT


def _source_width(data: list[dict], width: int) -> int:
    """How many characters a line under the plot may take: it starts at the plot's left edge (at
    80 characters the source line ran off the pilot's progress bars, whose names take 34)."""
    return max(40, min(80, int(_plot_width(data, width) / (EM_PER_CHAR * PRINT_MIN))))


def outside_text_range(data: list[dict], layout: dict, width: int) -> list[float] | None:
    """The x range a figure of horizontal bars needs for the text written beyond their ends to
    end inside the figure at print size — the same text takes 22 px there, not 13, and the
    pilot's progress rates ran off its right edge — or None when its range already leaves room."""
    axis = layout.get("xaxis", {})
    bounds = axis.get("range")
    if not bounds or any(trace.get("xaxis", "x") != "x" for trace in data):
        return None
    low, high = (float(v) for v in bounds)
    plot, needed = _plot_width(data, width), high
    for trace in data:
        if (trace.get("type"), trace.get("orientation"), trace.get("textposition")) != (
                "bar", "h", "outside"):
            continue
        size = trace.get("textfont", {}).get("size") or PRINT_FONT
        ends, texts = trace.get("x"), trace.get("text")
        if ends is None or texts is None or isinstance(ends, dict):
            continue
        texts = [texts] * len(ends) if isinstance(texts, str) else texts  # one text for every bar
        for end, text in zip(ends, texts, strict=False):
            if not isinstance(text, str) or not isinstance(end, (int, float)):
                continue
            px = max(len(line) for line in text.split("<br>")) * EM_PER_CHAR * size + 12
            if px < plot:  # (high - end) / (high - low) of the plot ≥ px
                needed = max(needed, (plot * float(end) - px * low) / (plot - px))
    return [low, needed] if needed > high else None


def _labels(values) -> list[str]:
    """The text labels of an axis's values (none when they are numbers or plotly's packed arrays)."""
    if values is None or isinstance(values, (dict, str)):
        return []
    return [v for v in values if isinstance(v, str)]


@functools.cache
def _print_template() -> dict:
    import plotly.io as pio

    return pio.templates[PRINT_TEMPLATE].to_plotly_json()


def _merge(into: dict, values: dict) -> None:
    """plotly's update: nested dictionaries merged key by key, other values replaced."""
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value) if isinstance(value, dict) else value
