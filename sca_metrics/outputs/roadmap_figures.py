"""The roadmap's timeline (Gantt): every task a bar from its start year to its end year, grouped by
area in the programme's order (foundations layers first), coloured by status, the phases and the
period marked. Pure: tasks in, figure out."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from html import escape

import plotly.graph_objects as go

from sca_metrics.method import roadmap
from sca_metrics.method.roadmap import Task
from sca_metrics.outputs.figure_style import layout, wrapped
from sca_metrics.reference import vocabulary
from sca_metrics.reference.i18n import t

FIRST, LAST = vocabulary.PERIOD_FIRST, vocabulary.PERIOD_LAST
ROW_PX = 30


def timeline(tasks: Sequence[Task], lang: str, period: int, flagged: Collection[str] = (),
             phone: bool = False) -> go.Figure:
    """One bar a task (a year is drawn from its start to its end: a task of 2019–2021 covers
    three years); a task with a flag is marked ⚠. `phone`: the codes alone beside the bars."""
    ordered = roadmap.timeline(tasks)
    # a task's name is the department's text: escaped, so plotly draws it and never its tags
    labels = [("⚠ " if k.code in flagged else "")
              + (k.code if phone else f"{k.code} · {wrapped(escape(k.name), 40)}") for k in ordered]
    fig = go.Figure()
    for status in vocabulary.TASK_STATUSES:
        mine = [i for i, k in enumerate(ordered) if k.status == status.code]
        fig.add_trace(go.Bar(
            y=[labels[i] for i in mine], x=[ordered[i].end_year - ordered[i].start_year + 1 for i in mine],
            base=[ordered[i].start_year for i in mine], orientation="h", name=status.name(lang),
            marker_color=status.colour, customdata=[ordered[i].code for i in mine],
            hovertext=[_hover(ordered[i], lang) for i in mine], hovertemplate="%{hovertext}<extra></extra>"))
    # the areas as bands, named at their first row, in the programme's order
    shapes, notes = [], []
    start = 0
    for n, (area, rows) in enumerate(_groups(ordered)):
        if n % 2 == 0:
            shapes.append({"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "y0": start - 0.5,
                           "y1": start + rows - 0.5, "fillcolor": "#f3f3f3", "line": {"width": 0},
                           "layer": "below"})
        if not phone:  # too narrow for the names: the bands and the hover say the area
            notes.append({"x": LAST + 1, "y": start - 0.5, "xanchor": "right", "yanchor": "top",
                          "text": roadmap.area_name(area, lang), "showarrow": False,
                          "bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 12, "color": "#555555"}})
        start += rows
    for boundary in (2021, 2026):  # the phases 2018–2020, 2021–2025, 2026–2030
        shapes.append({"type": "line", "x0": boundary, "x1": boundary, "yref": "paper", "y0": 0, "y1": 1,
                       "line": {"color": "#999999", "dash": "dot", "width": 1}})
    shapes.append({"type": "line", "x0": period + 0.5, "x1": period + 0.5, "yref": "paper", "y0": 0,
                   "y1": 1, "line": {"color": "#A50026", "width": 2}})
    # the period's line named in the legend (a label at its top sat on the year ticks)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line={"color": "#A50026", "width": 2},
                             name=t("roadmap.period_line", lang, period=period), hoverinfo="skip"))
    # a click selects the bar (its task's code in customdata): the page shows that task
    fig.update_layout(barmode="overlay", shapes=shapes, annotations=notes, bargap=0.35,
                      clickmode="event+select", hovermode="closest")
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    years = range(FIRST, LAST + 1)
    fig.update_xaxes(range=[FIRST, LAST + 1], tickvals=[y + 0.5 for y in years],
                     ticktext=[str(y) if not phone or y % 2 == 0 else "" for y in years],
                     gridcolor="#eeeeee", side="top")
    title = t("roadmap.timeline_title", lang, period=period)
    height = max(320, ROW_PX * len(ordered) + 160)
    fig = layout(fig, lang, wrapped(title, 32) if phone else title, height)
    fig.update_layout(legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0})
    return fig.update_layout(margin={"l": 4, "r": 4}) if phone else fig


def _groups(ordered: Sequence[Task]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for task in ordered:
        if out and out[-1][0] == task.area:
            out[-1] = (task.area, out[-1][1] + 1)
        else:
            out.append((task.area, 1))
    return out


def _hover(task: Task, lang: str) -> str:
    status = vocabulary.term(vocabulary.TASK_STATUSES, task.status).name(lang)
    return "<br>".join([f"<b>{task.code}</b> · {roadmap.area_name(task.area, lang)}",
                        f"{task.start_year}–{task.end_year} · {status} · {task.lead_department}"])
