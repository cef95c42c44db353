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
# Type of a figure for print, in layout px: the figure's width sets how large it prints — a slide
# lays its figures out 900 px wide (PRINT_MIN at 14.5 pt), the report 960 px (9.3 pt), a single
# downloaded figure 1,200 px.
PRINT_FONT, PRINT_TITLE, PRINT_MIN = 22, 26, 21
TITLE_LINE = 33  # px a printed title's line takes


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


def for_print(fig: go.Figure, lang: str, period: str, source: str | None, unit: str | None = None,
              width: int = 1200, height: int | None = None) -> go.Figure:
    """A copy of a dashboard figure ready for a briefing: white, `width` layout pixels wide (the
    narrower, the larger its type prints: no text is under PRINT_MIN px), its title on as many
    lines as that width needs, with the unit and the source line ("Nguồn: … — kỳ báo cáo …")
    under the plot; `height`: the whole figure's (a slide's box), else the figure's own plus
    what is added. A legend placed from the top of the figure stays as far below the title.
    `source` None: no source line (a report states its source once, in its text).

    Made on the figure's dictionary, and the result left unvalidated: what is added here is
    fixed and was valid when written, and plotly validating a whole figure again (its copy, the
    template) took about 0.1 s a figure — most of a briefing pack's drawing."""
    # the objects' own dictionaries (to_dict would turn arrays into base64 text)
    spec = {"data": [trace.to_plotly_json() for trace in fig.data], "layout": fig.layout.to_plotly_json()}
    if fig.frames:
        spec["frames"] = [frame.to_plotly_json() for frame in fig.frames]
    lay = spec["layout"]
    design = int(lay.get("height") or 450)  # the height the figure was drawn for
    margin = lay.get("margin", {})
    title = str((lay.get("title") or {}).get("text") or "")
    heads = [title] if "<br>" in title else textwrap.wrap(
        title, max(20, int((width - 40) / (EM_PER_CHAR * PRINT_TITLE))), break_long_words=False) or [title]
    extra = TITLE_LINE * (len(heads) - 1)  # the title's lines past its first
    shift, room = _source_place(spec["data"], width, max(margin.get("l") or 10, 20))
    lines = [*(textwrap.wrap(unit, room) if unit else []),
             *(textwrap.wrap(t("figure.source_line", lang, source=source, period=period), room)
               if source is not None else [])]
    axis_lines = _wrap_axis_titles(lay, _plot_width(spec["data"], width))
    # the axis ticks and title (on as many lines as it needs), then the unit and source lines
    bottom = 90 + 27 * (axis_lines - 1) + 27 * len(lines)
    # plotly's own template, whatever the process's default: the dashboard's is Streamlit's,
    # which has no automargin (labels were cut in the packs the exports page made)
    lay["template"] = copy.deepcopy(_print_template())
    total = height or design + bottom - (margin.get("b") or 10) + extra
    _merge(lay, {
        "width": width, "height": total, "paper_bgcolor": "white",
        "font": {"size": PRINT_FONT},
        "title": {"text": "<br>".join(heads), "font": {"size": PRINT_TITLE}, "pad": {"l": 12},
                  # (plotly sets a title's first line where `y` is, the others above it)
                  "y": 1 - (8 + extra) / total, "yanchor": "top", "yref": "container"},
        "legend": {"font": {"size": PRINT_FONT}},
        "margin": {"b": bottom, "t": (margin.get("t") or 60) + extra, "l": max(margin.get("l") or 10, 20),
                   "r": max(margin.get("r") or 10, 30)}})
    legend = lay.get("legend", {})
    if legend.get("yref") == "container" and legend.get("y") is not None:  # as far below the title
        legend["y"] = 1 - ((1 - float(legend["y"])) * design + extra) / total
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
        "yshift": -(bottom - 6), "xshift": -shift, "showarrow": False, "align": "left",
        "text": "<br>".join(lines),
        "font": {"size": PRINT_MIN, "color": "#555555"}})
    return go.Figure(spec, _validate=False)


def _wrap_axis_titles(lay: dict, plot: float) -> int:
    """Each x-axis title, centred under the plot, on lines that fit the plot's width at print
    size (the pilot's "R = actual rate / required rate (…)" ran off a slide's figure); the most
    lines any takes."""
    room = max(20, int(plot / (EM_PER_CHAR * PRINT_FONT)))
    most = 1
    for name in [k for k in lay if re.fullmatch(r"xaxis\d*", k)]:
        title = lay[name].get("title") or {}
        text = str(title.get("text") or "")
        if text and "<br>" not in text and len(text) > room:
            parts = textwrap.wrap(text, room, break_long_words=False)
            title["text"] = "<br>".join(parts)
            most = max(most, len(parts))
    return most


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


def _source_place(data: list[dict], width: int, left: int) -> tuple[float, int]:
    """Where the unit and source lines start, left of the plot (px), and how many characters a
    line may take: under most of the y-axis names' band (it is estimated: nine tenths of it),
    so the lines take the figure's width, not the plot's — two lines where they took four;
    `left`: the figure's left margin, where the plot (or the band) begins."""
    band = width - 60 - _plot_width(data, width)
    return 0.9 * band, max(40, int((width - left - 40 - 0.1 * band) / (EM_PER_CHAR * PRINT_MIN)))


def outside_text_range(data: list[dict], layout: dict, width: int) -> list[float] | None:
    """The x range a figure of horizontal bars needs for the text written beyond their ends to
    end inside the figure at print size — the same text takes 22 px there, not 13, and the
    pilot's progress rates ran off its right edge — or None when its range already leaves room."""
    axis = layout.get("xaxis", {})
    bounds = axis.get("range")
    if not bounds or any(trace.get("xaxis", "x") != "x" for trace in data) \
            or not all(isinstance(v, int | float) for v in bounds):  # a time axis (one pilot panel)
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


# A chart on a 390 px phone is 358 px wide (the page keeps 16 px either side).
PHONE_WIDTH, PHONE_TITLE, PHONE_FONT = 358, 15, 12
TITLE_TOP = 12  # px above a phone's title
PHONE_NAME = 12  # characters of a bar's or a heatmap row's name on a line


def phone_lines(text: str, size: int = PHONE_TITLE, width: int = PHONE_WIDTH - 12) -> list[str]:
    """A text on lines that fit a phone's chart at `size` px (a character about half an em wide,
    measured: 0.42 em on the dashboard's titles, in either language)."""
    words = " ".join(str(text).replace("<br>", " ").split())
    return textwrap.wrap(words, max(12, int(width / (0.5 * size))), break_long_words=False)


def _legend_rows(data: list[dict], size: int = PHONE_FONT) -> int:
    """How many rows a horizontal legend takes across a phone's chart (about)."""
    names = [str(trace.get("name") or "") for trace in data
             if trace.get("showlegend") is not False and trace.get("name")
             and trace.get("type") not in ("heatmap", "pie")]
    rows, used = (1 if names else 0), 0.0
    for name in names:
        item = 40 + len(name) * 0.6 * size
        if used and used + item > PHONE_WIDTH - 8:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def for_phone(fig: go.Figure) -> go.Figure:
    """A copy of a dashboard figure for a 390 px screen, which every chart has (its own
    drawing for phones finishes with it): the title on lines that fit, at the top; the legend in
    a band of its own under it; then the plot — so neither runs over an axis or off the screen
    (browser tests measure it) —; narrow side margins; the names beside horizontal bars and
    heatmap rows on short lines, and axis titles wrapped, so the plot keeps its width.

    Made on the figure's dictionary, unvalidated, as `for_print` is (the same reason)."""
    spec = {"data": [trace.to_plotly_json() for trace in fig.data], "layout": fig.layout.to_plotly_json()}
    lay, data = spec["layout"], spec["data"]
    title = lay.get("title", {}).get("text") or ""
    lines = phone_lines(title) if title else []
    title_px = int(len(lines) * PHONE_TITLE * 1.3) + (TITLE_TOP + 6 if lines else 0)
    # a row of the legend 26 px (measured: 19–29, the taller with line symbols), across the chart
    legend_px = 26 * _legend_rows(data) if lay.get("showlegend") is not False else 0
    top_ticks = _top_ticks(data, lay)
    margin = lay.get("margin", {})
    top = title_px + legend_px + top_ticks + _above_plot(lay) + 8
    height = int(lay.get("height") or 450) - int(margin.get("t") or 60) + top
    _merge(lay, {
        "height": height, "font": {"size": PHONE_FONT},
        # anchored by its top, a title of two or more lines rose 10.5 px higher than one of a
        # line (measured in chromium), past the chart's top: it is put that much lower
        "title": {"text": "<br>".join(lines), "font": {"size": PHONE_TITLE}, "x": 0, "xanchor": "left",
                  "xref": "container", "y": 1 - (TITLE_TOP + (11 if len(lines) > 1 else 0)) / height,
                  "yanchor": "top", "yref": "container", "pad": {"l": 4}},
        "margin": {"t": top, "l": _side(margin.get("l")), "r": _side(margin.get("r"))}})
    if legend_px:
        _merge(lay, {"legend": {"orientation": "h", "x": 0, "xanchor": "left", "xref": "container",
                                "yref": "container",
                                "y": 1 - (title_px + 2) / height, "yanchor": "top",
                                "font": {"size": PHONE_FONT}}})
    for name in [k for k in lay if re.fullmatch(r"[xy]axis\d*", k)] or ["xaxis", "yaxis"]:
        axis = lay.setdefault(name, {})
        axis["automargin"] = True
        text = axis.get("title", {}).get("text") if isinstance(axis.get("title"), dict) else None
        if text:  # centred over the plot, which names beside it may push right
            axis["title"]["text"] = "<br>".join(phone_lines(text, PHONE_FONT, PHONE_WIDTH - 140))
    # the names beside the plot (bars, heatmap rows, a category axis) on short lines — the same
    # name the same way in every trace (a heatmap's click markers share its rows); a name a
    # drawing for phones has broken already is left as it is
    short = {v: _short_lines(v) for trace in data for v in _names(trace.get("y")) if "<br>" not in v}
    if any(_names(trace.get("y")) for trace in data):  # names beside the plot: a size smaller
        for name in [k for k in lay if re.fullmatch(r"yaxis\d*", k)] or ["yaxis"]:
            size = lay.get(name, {}).get("tickfont", {}).get("size") or 11
            _merge(lay, {name: {"tickfont": {"size": min(size, 11)}}})
    if short:
        for trace in data:
            if _names(trace.get("y")):
                trace["y"] = [short.get(v, v) if isinstance(v, str) else v
                              for v in _names(trace.get("y"), every=True)]
        for name in [k for k in lay if re.fullmatch(r"yaxis\d*", k)]:
            if _names(lay[name].get("categoryarray")):
                lay[name]["categoryarray"] = [short.get(v, v) for v in lay[name]["categoryarray"]]
    return go.Figure(spec, _validate=False)


def _names(values, every: bool = False) -> list:
    """An axis's values as a list when they are names (text), else []; `every`: all of them,
    the missing ones (None) among them."""
    if hasattr(values, "tolist"):
        values = values.tolist()
    if not isinstance(values, list | tuple) or not any(isinstance(v, str) for v in values):
        return []
    return list(values) if every else [v for v in values if isinstance(v, str)]


def _above_plot(lay: dict) -> int:
    """The height of the texts set on the plot's top edge and written upwards (small multiples'
    panel titles): the legend's band ends above them (it lay over the pilot's first title)."""
    heights = [(str(note.get("text") or "").count("<br>") + 1) * 1.3 * (note.get("font", {}).get("size")
                                                                        or PHONE_FONT) + 6
               for note in lay.get("annotations", [])
               if note.get("yref") == "paper" and (note.get("y") or 0) >= 0.999
               and note.get("yanchor") == "bottom"]
    return int(max(heights, default=0)) + (20 if heights else 0)  # the legend's rows run taller there


def _top_ticks(data: list[dict], lay: dict) -> int:
    """The height the tick labels of an x-axis drawn above the plot take (0 when none is): a
    line, or the longest name standing up when they are turned."""
    axes = [lay[name] for name in lay if re.fullmatch(r"xaxis\d*", name) and lay[name].get("side") == "top"]
    if not axes:
        return 0
    if not any(abs(axis.get("tickangle") or 0) >= 45 for axis in axes):
        return 30
    longest = max((len(v) for trace in data for v in _names(trace.get("x"))), default=4)
    return int(12 + longest * 0.62 * (axes[0].get("tickfont", {}).get("size") or PHONE_FONT))


def _side(margin: object) -> int:
    """A phone's side margin: the figure's own when it needs one (a radar's names), else 4 px."""
    given = int(margin) if isinstance(margin, int | float) else 10
    return 4 if given <= 10 else min(given, 60)


def _short_lines(name: str) -> str:
    return "<br>".join(textwrap.wrap(name.replace("<br>", " "), PHONE_NAME, break_long_words=False)) or name
