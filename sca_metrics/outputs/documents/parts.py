"""The parts a document is made of, in the programme's order: each with its title, its
sentences and its figure (drawn when first asked for). The pack shows each on a slide; the
report, each as a section with its figure.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from sca_metrics.method import pilot, progress, tracker
from sca_metrics.method.scoring import level_name, target_year
from sca_metrics.outputs import figure_style, pilot_figures, score_figures
from sca_metrics.outputs.documents.context import Context
from sca_metrics.outputs.documents.sentences import (
    PACK_ITEMS,
    PACK_ROWS,
    change_sentences,
    domain_sentence,
    drivers_sentence,
    gap_sentences,
    headline_change,
    heatmap_sentences,
    num,
    proposal_lines,
    rows,
    smart_domains,
    some,
    target_sentence,
)
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.i18n import t
from sca_metrics.reference.units import default_units, reference_date


@dataclass(frozen=True)
class Slide:
    key: str  # stable: "heatmap", "domain_health", …
    title: str
    sentences: tuple[str, ...]
    # Draws the figure, ready for print (unit and source line on it). Drawn when first asked
    # for: a page that previews the slides' text never pays for sixteen figures.
    draw: Callable[[], go.Figure] | None = None

    @property
    def has_figure(self) -> bool:
        return self.draw is not None

    @functools.cached_property
    def figure(self) -> go.Figure | None:
        return self.draw() if self.draw is not None else None


def slides(ctx: Context, width: int, height: int | None = None, *, on_slides: bool = True) -> list[Slide]:
    """Title, overview heatmap, ranking, change since the previous period, gaps to the 2025
    target, foundations, submissions, the pilot (when it has values), one slide per smart
    domain, the method note and the proposals. `width`, `height`: the figures' layout size (no
    `height`: each at its own). `on_slides`: each figure carries its source line and a long list
    is split a few rows to a part, for a room; not `on_slides`: for a page, which states its
    source once in its text and holds every row (the pack's sizes: briefing.deck)."""
    lang, s = ctx.lang, ctx.scores
    score_unit = t("figure.unit_score", lang)

    def printed(draw: Callable[[], go.Figure], unit: str | None = score_unit,
                period: str | None = None) -> Callable[[], go.Figure]:
        source = ctx.source(period) if on_slides else None  # a page states it once
        return lambda: figure_style.for_print(draw(), lang, period or ctx.period, source, unit, width, height)

    out = [_title_slide(ctx)]
    out.append(Slide("heatmap", t("briefing.heatmap_title", lang), heatmap_sentences(s, lang),
                     printed(partial(score_figures.heatmap, s, lang))))
    ranked = smart_domains(s).sort_values("score", ascending=False, na_position="last")
    out.append(Slide("ranking", t("briefing.ranking_title", lang),
                     tuple(domain_sentence(r, lang) for r in ranked.itertuples()),
                     printed(partial(score_figures.ranking, s, lang))))
    if ctx.previous is not None:
        out.append(Slide("radar", t("briefing.change_title", lang),
                         change_sentences(s, ctx.previous, lang),
                         printed(partial(score_figures.radar, s, ctx.previous, lang),
                                 period=f"{ctx.previous.period}, {ctx.period}")))
    out.append(Slide("gaps", t("briefing.gaps_title", lang, year=target_year(ctx.period)),
                     gap_sentences(s, lang),
                     printed(partial(score_figures.target_gaps, s, lang))))
    found = s.foundations.iloc[0]
    out.append(Slide("foundations", t("briefing.foundations_title", lang),
                     (domain_sentence(found, lang), drivers_sentence(s, vocabulary.FOUNDATIONS, lang),
                      target_sentence(found, lang)),
                     printed(partial(score_figures.drivers, s, vocabulary.FOUNDATIONS, lang))))
    split = on_slides  # a slide's figure holds a few rows; a page's, all of them
    out.extend(_submissions_slides(ctx, printed, split))
    out.extend(_pilot_slides(ctx, printed, split))
    for row in rows(smart_domains(s)):
        code = str(row.domain)
        out.append(Slide(f"domain_{code}", vocabulary.domain_name(code, lang),
                         (domain_sentence(row, lang), drivers_sentence(s, code, lang),
                          target_sentence(row, lang)),
                         printed(partial(score_figures.drivers, s, code, lang))))
    out.append(_method_slide(ctx))
    titles = {slide.key: slide.title for slide in out}
    cite: dict[str, str] = {key: t("proposals.cite_slide", lang, title=titles[key])
            for key in ("gaps", "foundations", "submissions") if key in titles}
    out.append(Slide("proposals", t("proposals.title", lang),
                     proposal_lines(ctx, cite) or (t("proposals.none", lang, period=ctx.period),)))
    return out


def _title_slide(ctx: Context) -> Slide:
    lang, overall = ctx.lang, ctx.scores.overall.iloc[0]
    lines = [t("briefing.subtitle", lang, period=ctx.period,
               date=formatting.day(ctx.generated, lang))]
    if pd.isna(overall.score):
        lines.append(t("briefing.overall_missing", lang, period=ctx.period))
    else:
        lv = int(overall.level)
        lines.append(t("briefing.overall", lang, period=ctx.period, score=num(overall.score, lang),
                       level=lv, level_name=level_name(lv, lang)))
        if ctx.previous is not None and not pd.isna(overall.change):
            lines += headline_change(overall, ctx.previous.overall.iloc[0], ctx.previous.period, lang)
    if ctx.demo:
        lines.append(t("app.demo_banner", lang))
    # the area as named in the period (the province until 30/6/2025, then within its successor)
    area = default_units().area_name(ctx.period, lang)
    return Slide("title", t("briefing.title", lang, area=area), tuple(lines))


def _submissions_slides(ctx: Context, printed, split: bool = True) -> list[Slide]:
    """Who reported and how completely: the sentences, then the completeness chart
    PACK_DEPARTMENTS departments to a slide (a name on two lines and "100%" in each cell, at
    the size a room reads); not `split`, every department in one chart."""
    lang = ctx.lang
    status = tracker.period_status(ctx.catalog, ctx.submissions, ctx.period)
    missing = tracker.missing_departments(status)
    n = len(status)
    lines = [t("briefing.submitted", lang, period=ctx.period, done=n - len(missing), n=n)]
    if missing:
        names = [ctx.catalog.department(c).name(lang, reference_date(ctx.period)) for c in missing]
        lines.append(t("briefing.missing", lang, names=some(names, "submissions.and_more", lang)))
    else:
        lines.append(t("briefing.all_submitted", lang))
    done = status[status.state == tracker.SUBMITTED]
    if len(done):
        lines.append(t("briefing.completeness", lang, share=num(100 * done.coverage.mean(), lang, 0)))
    # the period and the few before it (none after it): a cell each wide enough for "100%"
    periods = list(ctx.by_period)[:list(ctx.by_period).index(ctx.period) + 1][-PACK_PERIODS:]
    matrix = tracker.coverage_matrix(ctx.catalog, ctx.submissions, periods)
    if len(matrix) > PACK_ROWS:  # a country's departments: the least complete in the period
        matrix = matrix.loc[matrix[ctx.period].fillna(-1).sort_values(kind="stable").index[:PACK_ROWS]]
        lines.append(t("briefing.coverage_shown", lang, shown=PACK_ROWS, period=ctx.period, n=n,
                       page=t("nav.submissions", lang)))
    span = f"{periods[0]}–{periods[-1]}" if len(periods) > 1 else periods[0]
    out = []
    rows = PACK_DEPARTMENTS if split else len(matrix)
    for k, chunk in enumerate(_chunks(list(matrix.index), rows, even=True)):
        labels = [ctx.catalog.department(c).name(lang, reference_date(ctx.period)) for c in chunk]
        fig = printed(partial(score_figures.coverage, matrix.loc[chunk], labels, lang, scale=False),
                      unit=t("figure.unit_completeness", lang), period=span)
        title = " ".join([t("briefing.submissions_title", lang),
                          *([t("briefing.continued", lang)] if k else [])])
        out.append(Slide("submissions" if k == 0 else f"submissions_{k + 1}", title,
                         tuple(lines) if k == 0 else (), fig))
    return out


def _pilot_slides(ctx: Context, printed, split: bool = True) -> list[Slide]:
    """The pilot's progress to its targets (status, actual and required rates) and its series
    across the 1 July 2025 unit change, a few to a slide (not `split`: for pages — every bar in
    one chart, the series four panels to a chart);
    none when the pilot has no values yet."""
    lang, catalog = ctx.lang, ctx.catalog
    codes = [i.code for i in catalog.indicators if i.pilot]
    values = progress.values_from_scores(ctx.by_period)
    values = values[values.indicator.isin(codes) & (values.period.astype(int) <= int(ctx.period))]
    if values.empty:
        return []
    every = progress.progress_frame(catalog, values, ctx.period, codes)
    counts = every.status.value_counts()
    lines = [t("briefing.pilot_summary", lang, n=len(every), period=ctx.period, parts=", ".join(
        f"{int(counts[s.code])} {s.name(lang).lower()}" for s in vocabulary.PROGRESS_STATUSES
        if s.code in counts))]
    # a slide holds a few: those most in need of attention, in the catalog's order
    needing = set(pilot_figures.by_status(every).code[:PACK_ITEMS])
    prog = every[every.code.isin(needing)]
    if len(prog) < len(every):
        lines.append(t("briefing.pilot_shown", lang, shown=len(prog), total=len(every),
                       page=t("nav.pilot", lang)))
    shown = values[values.indicator.isin(needing)]
    heads = pilot.headlines(shown, prog, ctx.period)
    items = {}
    for row in rows(heads):
        ind = catalog.indicator(row.code)
        unit = ind.unit(lang)
        target = (formatting.with_unit(row.target, unit, lang)
                  if row.target is not None and not pd.isna(row.target) else "–")
        value = formatting.with_unit(row.value, unit, lang) if not pd.isna(row.value) else "–"
        items[row.code] = t("briefing.pilot_item", lang, name=ind.short_name(lang), value=value,
                            status=pilot_figures.progress_label(row, unit, lang, "; ").lower(),
                            year=row.target_year, target=target)
    units = default_units()
    at_2025 = values[values.period == "2025"]
    inds_2025 = [catalog.indicator(c) for c in at_2025.indicator]
    met = [i for i, v in zip(inds_2025, at_2025.value, strict=True)
           if i.target_2025 is not None and progress.meets(v, i.target_2025, i.direction)]
    change = formatting.day(units.pilot_change_dates()[-1], lang, "long")
    pilot_name = units.pilot_name(lang, reference_date(ctx.period))  # as named at the period's end
    series = [t("briefing.pilot_series", lang, date=change)]
    if len(at_2025):
        series.append(t("briefing.pilot_met_2025", lang, n=len(met), total=len(at_2025), names=some(
            [i.short_name(lang) for i in met], "briefing.more_indicators", lang) or "–"))
    # the bars as many to a slide as their names' lines allow, those most in need of attention
    # first, each slide's
    # indicators beside its figure in the order its bars read (top to bottom)
    bars = list(pilot_figures.by_status(prog).code)
    panels = PANELS_PER_SLIDE if split else PANELS_PER_PAGE
    title = t("briefing.pilot_title", lang, pilot=pilot_name)
    return [
        *(Slide("pilot" if k == 0 else f"pilot_{k + 1}",
                " ".join([title, *([t("briefing.continued", lang)] if k else [])]),
                tuple((lines if k == 0 else []) + [items[code] for code in reversed(chunk)]), printed(
                    partial(pilot_figures.progress_bars, prog[prog.code.isin(chunk)], catalog, lang,
                            t("figure.progress_title", lang, period=ctx.period, pilot=pilot_name),
                            compact=True),
                    unit=None))  # the axis title says what R is
          for k, chunk in enumerate(_by_lines(bars, [_name_lines(catalog, code, lang) for code in bars],
                                              PILOT_LINES if split else 10 ** 6))),
        # the series two panels to a slide (a row): type for the room leaves no room for more
        *(Slide("pilot_series" if k == 0 else f"pilot_series_{k + 1}",
                " ".join([t("briefing.pilot_series_title", lang, pilot=pilot_name),
                          *([t("briefing.continued", lang)] if k else [])]),
                tuple(series) if k == 0 else (),
                printed(partial(pilot_figures.pilot_multiples, shown, prog[prog.code.isin(chunk)], catalog,
                                units.pilot_change_dates(), lang,
                                t("figure.multiples_title", lang, pilot=pilot_name), columns=2),
                        unit=None, period=f"{values.period.min()}–{ctx.period}"))
          for k, chunk in enumerate(_chunks(list(prog.code), panels))),
    ]


PANELS_PER_SLIDE = 2  # a row: three lines of a panel's title and its year labels at the room's size


PANELS_PER_PAGE = 4  # 2 × 2: what an A4 page holds with its caption


PILOT_LINES = 6  # lines of the bars' names a slide's chart holds at the room's size (three of two)


PACK_PERIODS, PACK_DEPARTMENTS = 5, 5  # columns and rows of the completeness chart on a slide


def _name_lines(catalog: Catalog, code: str, lang: str) -> int:
    """The lines an indicator's name takes beside a compact chart's bar."""
    name = figure_style.wrapped(catalog.indicator(code).short_name(lang), pilot_figures.COMPACT_NAME)
    return name.count("<br>") + 1


def _by_lines(items: list, lines: list[int], budget: int) -> list[list]:
    """The items in order, as many to a chunk as fit `budget` lines (one at least)."""
    out: list[list] = []
    used = budget
    for item, n in zip(items, lines, strict=True):
        if used + n > budget:
            out.append([])
            used = 0
        out[-1].append(item)
        used += n
    return out


def _chunks(items: list, size: int, even: bool = False) -> list[list]:
    """The items `size` to a chunk; `even`: as many chunks, of sizes that differ by one at most
    (7 by 3: 3, 2, 2 — no slide with a single bar)."""
    if not even or not items:
        return [items[k:k + size] for k in range(0, len(items), size)]
    n = -(-len(items) // size)
    bounds = [round(k * len(items) / n) for k in range(n + 1)]
    return [items[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _method_slide(ctx: Context) -> Slide:
    lang, s = ctx.lang, ctx.scores
    n = len(ctx.catalog.indicators)
    have = int(s.indicators.value.notna().sum())
    return Slide("method", t("briefing.method_title", lang), (
        t("briefing.method_scale", lang),
        t("briefing.method_aggregate", lang, threshold=num(100 * s.options.threshold, lang, 0)),
        t("briefing.method_levels", lang),
        t("briefing.method_data", lang, n=n, have=have, period=ctx.period,
          share=num(100 * have / n if n else 0, lang, 0)),
        t("briefing.method_versions", lang, catalog=s.catalog_version, method=s.method_version),
    ))


def alt_text(slide: Slide) -> str:
    """A short description of a slide's figure: its title, then the slide's first sentence."""
    figure = slide.figure
    title = str(figure.layout.title.text or slide.title) if figure is not None else slide.title
    return ". ".join(p for p in (title, slide.sentences[0] if slide.sentences else "") if p)
