"""Figure builders: what a reader sees (labels, colours, number formats, click targets)."""

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from sca_metrics.method.scoring import Options, score_period, score_periods
from sca_metrics.method.uncertainty import MonteCarlo, uncertainty
from sca_metrics.outputs import figure_style, pilot_figures, score_figures
from sca_metrics.outputs.documents.context import Context
from sca_metrics.outputs.selection import Drill, drill_target
from sca_metrics.reference import vocabulary


def values_for(catalog, fraction=0.6, skip=()):
    rows = []
    for i in catalog.indicators:
        if i.code in skip:
            continue
        rows.append({"indicator": i.code, "value": i.worst + fraction * (i.best - i.worst)})
    return pd.DataFrame(rows)


@pytest.fixture
def scores(catalog):
    # Health × technology loses every value: a grey cell that says why.
    skip = {i.code for i in catalog.indicators if i.domain == "health" and i.driver == "technology"}
    return score_period(catalog, values_for(catalog, skip=skip), "2024")


def test_heatmap_greys_missing_cells_with_the_reason_and_keeps_click_targets(scores):
    fig = score_figures.heatmap(scores, "vi")
    grey, levels, cells = fig.data
    i = list(levels.y).index("Y tế")
    j = list(levels.x).index("Công nghệ")
    assert math.isnan(levels.z[i][j]) and grey.z[i][j] == 1.0
    assert grey.colorscale[0][1] == figure_style.MISSING
    # Heatmaps are not selectable: an invisible marker per cell carries the click and hover.
    k = list(zip(cells.y, cells.x, strict=True)).index(("Y tế", "Công nghệ"))
    assert cells.text[k] == "Chưa có số liệu" and cells.marker.opacity == 0
    point = {"x": cells.x[k], "y": cells.y[k], "customdata": list(cells.customdata[k])}
    assert drill_target({"points": [point]}) == Drill("health", "technology")
    labels = {a.text for a in fig.layout.annotations}
    assert "–" in labels and "60,0" in labels  # Vietnamese decimal comma


def test_heatmap_without_missing_cells_has_one_trace_and_english_numbers(catalog):
    fig = score_figures.heatmap(score_period(catalog, values_for(catalog), "2024"), "en")
    assert [tr.type for tr in fig.data] == ["heatmap", "scatter"] and fig.layout.separators == ".,"
    assert "60.0" in {a.text for a in fig.layout.annotations}


def test_ranking_lists_a_missing_domain_with_its_reason(catalog):
    skip = {i.code for i in catalog.indicators if i.domain == "tourism"}
    fig = score_figures.ranking(score_period(catalog, values_for(catalog, 0.7, skip=skip), "2024"), "en")
    bar = fig.data[0]
    k = list(bar.y).index("Tourism")
    assert bar.text[k] == "Insufficient data" and bar.hovertext[k] == "No data yet"
    assert bar.marker.color[k] == figure_style.MISSING and bar.customdata[k] == "tourism"
    health = list(bar.y).index("Health")  # 70.0 → level 1 + ⌊70/20⌋ = 4
    assert bar.marker.color[health] == vocabulary.LEVELS[3].colour and bar.text[health] == "70.0 · Level 4"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_missing_domains_label_stays_on_the_ranking(demo_data, lang):
    """In the overview's narrow column (about 440 px) the reason — "Chưa đủ độ phủ (dưới 66% chỉ
    số thành phần có số liệu)" — ran off the chart: a label now fits beside a bar at any score
    (at most 20 characters: 20 × ~8 px at 14 px), the reason is in the hover."""
    _, _, by_period, _ = demo_data
    s = by_period["2018"]  # two domains without a score
    for phone in (False, True):
        bar = score_figures.ranking(s, lang, phone=phone).data[0]
        assert max(len(text) for text in bar.text) <= 20, list(bar.text)
        missing = [k for k, v in enumerate(bar.x) if v == 0]
        assert len(missing) == 2
        assert all(len(bar.hovertext[k]) > 30 for k in missing)  # the whole reason, on hover


def test_radar_compares_with_the_previous_period_and_the_target(catalog):
    both = pd.concat([values_for(catalog, 0.4).assign(period="2023"),
                      values_for(catalog, 0.6).assign(period="2024")])
    by = score_periods(catalog, both)
    fig = score_figures.radar(by["2024"], by["2023"], "vi")
    names = [t.name for t in fig.data]
    assert names == ["Điểm mục tiêu 2025", "Kỳ 2023", "Kỳ 2024"]
    current = fig.data[-1]
    assert list(current.r)[0] == list(current.r)[-1]  # closed polygon
    assert current.customdata[0] in vocabulary.SMART_DOMAIN_CODES


def test_gap_bars_add_up_to_what_the_domain_misses(scores):
    fig = score_figures.gaps(scores, "education", "en")
    total = sum(sum(tr.x) for tr in fig.data)
    domain = scores.domains.set_index("domain").score["education"]
    assert total == pytest.approx(100 - domain)
    assert [tr.marker.color for tr in fig.data] == [d.colour for d in vocabulary.DRIVERS]


def test_drivers_chart_uses_driver_colours_and_target_markers(scores):
    fig = score_figures.drivers(scores, "health", "vi")
    bars = fig.data[0]
    assert list(bars.marker.color) == [d.colour for d in vocabulary.DRIVERS]
    assert bars.text[0] == "Chưa có số liệu"
    assert [tr.name for tr in fig.data[1:]] == ["Điểm mục tiêu 2025", "Điểm mục tiêu 2030"]


def test_trend_has_one_line_per_driver_plus_the_domain(catalog):
    both = pd.concat([values_for(catalog, f).assign(period=p)
                      for p, f in (("2022", 0.2), ("2023", 0.4), ("2024", 0.6))])
    fig = score_figures.trend(score_periods(catalog, both), "egov", "en")
    assert len(fig.data) == 4 and list(fig.data[-1].x) == ["2022", "2023", "2024"]
    assert list(np.round(fig.data[-1].y, 6)) == [20.0, 40.0, 60.0]


def test_trend_marks_the_unit_change_between_the_years_around_it(catalog):
    from datetime import date

    both = pd.concat([values_for(catalog, f).assign(period=p)
                      for p, f in (("2024", 0.2), ("2025", 0.4), ("2026", 0.6))])
    fig = score_figures.trend(score_periods(catalog, both), "egov", "vi", (date(2025, 7, 1),))
    [line] = fig.layout.shapes[-1:]
    assert line.x0 == pytest.approx(0.5, abs=0.01)  # 2024 sits at 0, 2025 at 1: 1 July halfway
    [label] = [a for a in fig.layout.annotations if a.text == "01/07/2025: sắp xếp đơn vị hành chính"]
    assert label.x == line.x0
    unmarked = score_figures.trend(score_periods(catalog, both[both.period != "2024"]), "egov", "vi",
                             (date(2025, 7, 1),))
    assert not unmarked.layout.annotations and len(unmarked.layout.shapes) == len(fig.layout.shapes) - 1


def test_whatif_shows_nominal_whatif_and_interval(catalog):
    vals = values_for(catalog)
    nominal = score_period(catalog, vals, "2024")
    opts = Options(domain_weights={"health": 3.0})
    changed = score_period(catalog, vals, "2024", opts)
    spread = uncertainty(catalog, vals, "2024", opts, MonteCarlo(runs=50))
    fig = score_figures.whatif(nominal, changed, spread.domains, "en")
    interval, nom, new = fig.data
    assert len(nom.x) == len(vocabulary.SMART_DOMAIN_CODES) + 1 and nom.y[-1] == "Overall score"
    assert interval.mode == "lines" and None in interval.x
    assert list(new.customdata[:-1]) == list(vocabulary.SMART_DOMAIN_CODES)


def test_coverage_matrix_writes_percentages_and_leaves_missing_blank():
    m = pd.DataFrame([[1.0, np.nan], [0.5, 0.75]], index=["A", "B"], columns=["2023", "2024"])
    fig = score_figures.coverage(m, ["A", "B"], "vi")
    assert fig.data[0].text == (("100%", ""), ("50%", "75%")) or \
        [list(r) for r in fig.data[0].text] == [["100%", ""], ["50%", "75%"]]


def test_target_gaps_puts_the_biggest_shortfall_on_top_and_says_met(demo_data):
    from sca_metrics.reference import vocabulary

    scores = demo_data[2]["2025"]
    fig = score_figures.target_gaps(scores, "vi")
    d = scores.domains[scores.domains.domain != vocabulary.FOUNDATIONS]
    worst = vocabulary.term(vocabulary.DOMAINS, d.set_index("domain").gap_2025.idxmax()).name("vi")
    assert fig.data[0].y[-1] == worst  # horizontal bars: the last category is drawn on top
    labels = list(fig.data[2].text)
    assert labels.count("đã đạt") == int((d.gap_2025 <= 0).sum())
    assert labels[-1].startswith("còn thiếu ")


def test_progress_bars_colour_by_status_and_state_both_rates(catalog):
    from sca_metrics.method import progress

    values = pd.DataFrame({"period": ["2018", "2023"] * 3,
                           "indicator": ["VT.FND.T1"] * 2 + ["VT.SEC.T1"] * 2 + ["VT.TOU.T1"] * 2,
                           "value": [20.0, 45.0, 600.0, 500.0, 10.0, 160.0]})
    prog = progress.progress_frame(catalog, values, "2023", ["VT.FND.T1", "VT.SEC.T1", "VT.TOU.T1"])
    fig = pilot_figures.progress_bars(prog, catalog, "vi", "t")
    bars = fig.data[0]
    colours = dict(zip(bars.customdata, bars.marker.color, strict=True))
    assert colours["VT.TOU.T1"] == vocabulary.term(vocabulary.PROGRESS_STATUSES, "achieved").colour
    assert colours["VT.SEC.T1"] == vocabulary.term(vocabulary.PROGRESS_STATUSES, "deterioration").colour
    text = dict(zip(bars.customdata, bars.text, strict=True))
    # 20 → 45 % in 5 years against 85 % by 2025: (45/20)^(1/5) − 1 and (85/20)^(1/7) − 1
    assert text["VT.FND.T1"] == "Cần tăng tốc<br>thực tế +17,6%/năm · cần +23,0%/năm"
    assert bars.x[list(bars.customdata).index("VT.TOU.T1")] == pilot_figures.R_RANGE[1]
    # the bar going left has its text right of 0, clear of the indicators' names on the left
    behind = list(bars.customdata).index("VT.SEC.T1")
    assert bars.x[behind] < 0 and text["VT.SEC.T1"] == "" and bars.hovertext[behind].startswith("Đi xuống")
    label = fig.data[1]
    assert label.mode == "text" and list(label.x) == [0.0] and label.textposition == "middle right"
    assert list(label.y) == [bars.y[behind]] and label.text[0] == bars.hovertext[behind]


def test_pilot_multiples_mark_the_unit_change_on_every_axis(demo_data):
    from sca_metrics.method import progress
    from sca_metrics.reference.units import default_units

    _, catalog, by_period, _ = demo_data
    codes = [i.code for i in catalog.indicators if i.pilot]
    values = progress.values_from_scores(by_period)
    values = values[values.indicator.isin(codes)]
    prog = progress.progress_frame(catalog, values, "2026", codes)
    days = default_units().pilot_change_dates()
    fig = pilot_figures.pilot_multiples(values, prog, catalog, days, "vi", "t")
    lines = [s for s in fig.layout.shapes if s.x0 == "2025-07-01"]
    assert len(lines) == len(codes)  # one per small chart
    assert "01/07/2025: sắp xếp đơn vị hành chính" in [tr.name for tr in fig.data]
    city = [tr for tr in fig.data if tr.name == "Toàn địa bàn thí điểm"]
    assert len(city) == len(codes) and all(len(tr.x) >= 7 for tr in city)
    assert city[0].x[-1] == "2026-12-31"  # a period sits on the day it describes


def test_ward_bars_rank_the_wards_and_skip_the_city_line_for_sums(catalog):
    from sca_metrics.reference.units import default_units

    units = default_units()
    frame = pd.DataFrame({"unit": ["HCM-VUNGTAU", "HCM-TAMTHANG", "HCM-LONGSON"],
                          "value": [40.0, 55.5, 20.0], "n_sources": [7, 4, 1]})
    rate = pilot_figures.ward_bars(frame, catalog.indicator("VT.FND.T1"), units, "vi", "t", city=45.0)
    assert list(rate.data[0].y) == ["Xã Long Sơn", "Phường Vũng Tàu", "Phường Tam Thắng"]  # best on top
    assert rate.data[0].text[2] == "55,5% (gộp 4 phường, xã cũ)"
    assert rate.data[0].text[0] == "20,0%"
    assert any("Toàn địa bàn: 45,0%" in a.text for a in rate.layout.annotations)
    count = pilot_figures.ward_bars(frame, catalog.indicator("VT.SEC.T1"), units, "vi", "t", city=115.5)
    assert not count.layout.shapes and not count.layout.annotations


def test_a_downloaded_figure_is_named_for_what_it_shows(demo_data):
    """Every chart's PNG used to download as dttm_chart.png."""
    from sca_metrics.outputs.figure_style import download_stem
    from sca_metrics.reference.textnorm import slug

    _, _, by_period, _ = demo_data
    s = by_period["2025"]
    assert download_stem(score_figures.heatmap(s, "vi"), "2025", "vi") == \
        "dttm_diem-theo-linh-vuc-va-dong-luc_2025_vi"
    assert download_stem(score_figures.heatmap(s, "en"), "2025", "en") == \
        "dttm_scores-by-domain-and-driver_2025_en"
    assert slug("Tỷ lệ (%) hộ gia đình — Đồng Nai") == "ty-le-ho-gia-dinh-dong-nai"
    assert len(slug("từ " * 100)) <= 60 and slug("<script>") == "script" and slug("—") == "figure"


def test_every_label_on_a_bar_meets_wcag_aa_contrast(demo_data):
    """White on the orange and green driver bars was 2.25:1 and 3.42:1."""
    from sca_metrics.outputs.figure_style import contrast

    assert round(contrast("#ffffff", "#E69F00"), 2) == 2.25  # what it was
    _, _, by_period, _ = demo_data
    fig = score_figures.drivers(by_period["2025"], "health", "vi")
    bars = fig.data[0]
    for colour, text_colour in zip(bars.marker.color, bars.textfont.color, strict=True):
        assert contrast(text_colour, colour) >= 4.5, (colour, text_colour)


def test_every_label_on_a_heatmap_cell_meets_wcag_aa_contrast(demo_data):
    """White on the teal of level 3 was 3.82:1 (near-black 4.16:1); the completeness matrix
    left its text colour to plotly, which does not check the ratio (on its 50 % blue white
    is 2.43:1, black 8.65:1)."""
    from plotly.colors import sample_colorscale

    from sca_metrics.method import tracker
    from sca_metrics.outputs.figure_style import MISSING, contrast

    _, cat, by_period, subs = demo_data
    for period, s in by_period.items():
        fig = score_figures.heatmap(s, "vi")
        z = fig.data[-2].z
        for note in fig.layout.annotations:
            v = z[note.y][note.x]
            cell = MISSING if v is None or np.isnan(v) else score_figures._level_colour(v)
            assert contrast(note.font.color, cell) >= 4.5, (period, cell, note.font.color)
    matrix = tracker.coverage_matrix(cat, subs, list(by_period))
    fig = score_figures.coverage(matrix, list(matrix.index), "vi")
    z = fig.data[0].z
    notes = fig.layout.annotations
    assert len(notes) == int(np.isfinite(z).sum()) > 0
    for note in notes:
        v = z[note.y][note.x]  # placed by position: by text, "2018"… collapsed the axis
        rgb = sample_colorscale("Blues", [v / 100])[0]
        r, g, b = (round(float(c)) for c in rgb[4:-1].split(","))
        assert contrast(note.font.color, f"#{r:02x}{g:02x}{b:02x}") >= 4.5, (v, note.font.color)
    # as drawn: one column a period (placed by their text, "2018"… were read as numbers, the axis
    # ran to 2102 and the matrix shrank to one column)
    drawn = fig.full_figure_for_development(warn=False).layout.xaxis
    assert drawn.type == "category" and tuple(drawn.range) == (-0.5, len(matrix.columns) - 0.5)


def _plotly_for_print(fig, lang, period, source, unit=None, width=1200, height=None):
    """for_print as plotly's own validated updates make it: the reference the fast path (made on
    the figure's dictionary, unvalidated) must equal."""
    import textwrap

    import plotly.graph_objects as go

    from sca_metrics.reference.i18n import t

    low, font, em = figure_style.PRINT_MIN, figure_style.PRINT_FONT, figure_style.EM_PER_CHAR
    out = go.Figure(fig)
    design, margin = int(out.layout.height or 450), out.layout.margin
    title = str(out.layout.title.text or "")
    chars = max(20, int((width - 40) / (em * figure_style.PRINT_TITLE)))
    heads = [title] if "<br>" in title else textwrap.wrap(title, chars, break_long_words=False) or [title]
    extra = figure_style.TITLE_LINE * (len(heads) - 1)
    data = [trace.to_plotly_json() for trace in fig.data]
    shift, room = figure_style._source_place(data, width, max(margin.l or 10, 20))
    lines = [*(textwrap.wrap(unit, room) if unit else []),
             *(textwrap.wrap(t("figure.source_line", lang, source=source, period=period), room)
               if source is not None else [])]
    plot = figure_style._plot_width(data, width)
    wraps = 1
    for axis in [a for a in out.layout if a.startswith("xaxis")]:  # x-axis titles to the plot's width
        text = str(out.layout[axis].title.text or "")
        if text and "<br>" not in text and len(text) > max(20, int(plot / (em * font))):
            parts = textwrap.wrap(text, max(20, int(plot / (em * font))), break_long_words=False)
            out.layout[axis].title.text = "<br>".join(parts)
            wraps = max(wraps, len(parts))
    bottom = 90 + 27 * (wraps - 1) + 27 * len(lines)
    total = height or design + bottom - (margin.b or 10) + extra
    out.update_layout(template=figure_style.PRINT_TEMPLATE, width=width, height=total, paper_bgcolor="white",
                      font={"size": font}, legend={"font": {"size": font}},
                      title={"text": "<br>".join(heads), "font": {"size": figure_style.PRINT_TITLE},
                             "pad": {"l": 12}, "y": 1 - (8 + extra) / total, "yanchor": "top",
                             "yref": "container"},
                      margin={"b": bottom, "t": (margin.t or 60) + extra, "l": max(margin.l or 10, 20),
                              "r": max(margin.r or 10, 30)})
    if out.layout.legend.yref == "container" and out.layout.legend.y is not None:
        out.update_layout(legend_y=1 - ((1 - out.layout.legend.y) * design + extra) / total)
    if (bounds := figure_style.outside_text_range(data, fig.layout.to_plotly_json(), width)) is not None:
        out.update_xaxes(range=bounds)
    out.for_each_xaxis(lambda a: a.update(tickfont_size=max(a.tickfont.size or font, low)))
    out.for_each_yaxis(lambda a: a.update(tickfont_size=max(a.tickfont.size or font, low)))
    out.update_polars(angularaxis_tickfont_size=font, radialaxis_tickfont_size=low)
    for trace in out.data:
        textfont = getattr(trace, "textfont", None)
        if textfont is not None and textfont.size is not None and textfont.size < low:
            trace.textfont.size = low
    out.update_annotations(selector=lambda a: (a.font.size or font) < low, font_size=low)
    out.add_annotation(xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="bottom",
                       yshift=-(bottom - 6), xshift=-shift, showarrow=False, align="left",
                       text="<br>".join(lines), font={"size": low, "color": "#555555"})
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_printed_figure_is_what_plotlys_own_updates_make(demo_data, lang):
    """for_print edits the figure's dictionary instead of plotly's validated objects (ten times
    faster: most of a briefing pack's drawing): every figure of the pack — bars, heatmap, radar,
    subplots with their many axes, small annotations — comes out as plotly's updates make it."""
    import json

    import plotly.io as pio

    from sca_metrics.outputs import briefing

    _, cat, by_period, subs = demo_data
    made = []
    real = figure_style.for_print

    def both(fig, *args, **kwargs):
        made.append((real(fig, *args, **kwargs), _plotly_for_print(fig, *args, **kwargs)))
        return made[-1][0]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(figure_style, "for_print", both)
        for s in briefing.pack_slides(Context(cat, by_period, subs, "2025", lang, demo=True)):
            assert s.figure is None or s.figure is made[-1][0]
    small = go_bar_with_small_text()
    made.append((real(small, lang, "2025", "Sở"), _plotly_for_print(small, lang, "2025", "Sở")))
    assert len(made) == 24  # the 2025 pack's 23 figures and one small
    for fast, reference in made:
        assert json.loads(pio.to_json(fast)) == json.loads(pio.to_json(reference))
    assert small.layout.annotations[0].font.size == 9  # the dashboard's figure is left as it was


def go_bar_with_small_text():
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2], text=["1", "2"], textfont={"size": 10}))
    fig.add_annotation(text="nhỏ", x=0, y=0, font={"size": 9})
    fig.update_layout(xaxis2={"tickfont": {"size": 8}}, polar2={"radialaxis": {"range": [0, 1]}})
    return fig


def test_progress_bars_keep_a_row_for_each_indicator_of_the_same_name(catalog):
    """Indicators sharing a name (the same indicator for two areas) would share one row and their
    bars and texts would be drawn over each other: each gets its own row, its code beside."""
    from sca_metrics.method import progress

    values = pd.DataFrame({"period": ["2018", "2023"] * 2, "value": [20.0, 45.0, 10.0, 160.0],
                           "indicator": ["VT.FND.T1"] * 2 + ["VT.TOU.T1"] * 2})
    prog = progress.progress_frame(catalog, values, "2023", ["VT.FND.T1", "VT.TOU.T1"])
    same = catalog.indicator("VT.FND.T1")
    named = type("Named", (), {"indicator": lambda self, code: same if code else None,
                               "indicators": catalog.indicators})()
    bars = pilot_figures.progress_bars(prog, named, "vi", "t").data[0]
    assert len(set(bars.y)) == 2
    assert all(f"({code})" in y for y, code in zip(bars.y, bars.customdata, strict=True))


def test_a_figure_for_a_phone_keeps_its_title_legend_and_names_apart():
    """figure_style.for_phone: the title on lines that fit 358 px, its band, then the legend's,
    then the plot; the names beside a heatmap's rows shortened the same way in every trace (its
    click markers share the rows); room above the plot for small multiples' panel titles."""
    import plotly.graph_objects as go

    from sca_metrics.outputs.figure_style import PHONE_WIDTH, for_phone, phone_lines

    names = ["Chính quyền điện tử", "An ninh an toàn"]
    fig = go.Figure([go.Heatmap(z=[[1], [2]], x=["a"], y=names),
                     go.Scatter(x=["a", "a"], y=names, name="Điểm", mode="markers"),
                     go.Scatter(x=["a"], y=[names[0]], name="Điểm mục tiêu 2030")])
    title = "Chính quyền điện tử: phần điểm còn thiếu (30,0 điểm) theo chỉ số — kỳ 2026"
    fig.update_layout(title={"text": title}, height=400, margin={"t": 100, "l": 10, "r": 10})
    phone = for_phone(fig)
    lines = phone.layout.title.text.split("<br>")
    assert len(lines) == 2 and lines == phone_lines(fig.layout.title.text)
    assert all(len(line) * 0.5 * 15 <= PHONE_WIDTH for line in lines)
    assert phone.layout.title.yref == "container" and phone.layout.legend.yref == "container"
    assert phone.layout.margin.t >= 2 * 19.5 + 26  # the title's lines, then a legend row
    assert phone.layout.height == 400 - 100 + phone.layout.margin.t  # the plot keeps its height
    rows = [list(trace.y) for trace in phone.data]
    assert rows[0] == rows[1] == ["Chính quyền<br>điện tử", "An ninh an<br>toàn"]
    assert rows[2] == ["Chính quyền<br>điện tử"]
    assert fig.layout.title.text.count("<br>") == 0  # the wide figure is left as it was
    panels = go.Figure(layout={"annotations": [{"text": "Tên<br>dài<br>Đúng tiến độ", "yref": "paper",
                                                "y": 1.0, "yanchor": "bottom", "showarrow": False}]})
    assert for_phone(panels).layout.margin.t >= 3 * 1.3 * 12


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_radars_top_name_is_below_its_legend_as_rendered(demo_data, lang):
    """The name at the top of the radar ("Y tế", "Health") was drawn under the legend in the
    pack and in the SVG: in the rendered SVG its text now starts below the legend's box."""
    import re

    from sca_metrics.outputs import briefing, render

    _, cat, by_period, subs = demo_data
    slide = next(s for s in briefing.deck(Context(cat, by_period, subs, "2026", lang, True))
                 if s.key == "radar")
    svg = render.render_many([render.Job(slide.figure, "svg", 723)])[0].decode()
    legend = re.search(r'<g class="legend"[^>]*translate\(([\d.]+),([\d.]+)\)"><rect class="bg"[^>]*'
                       r'height="([\d.]+)"', svg)
    bottom = float(legend[2]) + float(legend[3])
    # (a long name is two <tspan> lines: its first line's top is the text's)
    names = []
    for attrs, text in re.findall(r'class="angularaxistick"><text([^>]*)>(.*?)</text>', svg):
        y = re.search(r' y="([-\d.]+)"', attrs)
        ty = float(re.search(r"translate\([-\d.]+,([-\d.]+)\)", attrs)[1])
        size = float(re.search(r"font-size: ([\d.]+)px", attrs)[1])
        names.append((ty + (float(y[1]) if y else 0) - size * 0.8, re.sub(r"<[^>]+>", " ", text).split()[0]))
    top, name = min(names)
    assert len(names) == 8 and name == vocabulary.domain_name("health", lang).split()[0]
    assert top > bottom, (top, bottom)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_packs_completeness_chart_keeps_room_for_every_share(demo_data, lang):
    """The English chart printed "100%" as "00%": 11 one-line names left the cells 30 px. On a
    slide now: the last five periods, five departments at most, each name on lines of at most
    36 characters — and every department on one of the slides."""
    from sca_metrics.outputs import briefing

    _, cat, by_period, subs = demo_data
    deck = briefing.deck(Context(cat, by_period, subs, "2026", lang, True))
    charts = [s.figure.data[0] for s in deck if s.key.startswith("submissions")]
    assert len(charts) == 3
    for chart in charts:
        assert list(chart.x) == ["2022", "2023", "2024", "2025", "2026"] and len(chart.y) <= 5
        assert all(len(line) <= 36 for name in chart.y for line in str(name).split("<br>"))
    shown = [str(name).replace("<br>", " ") for chart in charts for name in chart.y]
    assert shown == [d.name(lang, date(2026, 12, 31)) for d in cat.departments]
