"""The briefing pack: the key figures of one period as PowerPoint and PDF slides.

Each slide states its key numbers in sentences built from the same scores as its figure
("Y tế đạt 64,7 điểm, mức 4 — Quản lý"), so a leader can read the pack without the charts
and an analyst can check every number. Pure: data in, bytes out (figures are rendered by
sca_metrics.outputs.render in one shared browser).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sca_metrics import settings
from sca_metrics.method import pilot, progress, proposals, tracker
from sca_metrics.method.roadmap import Task
from sca_metrics.method.scoring import SCORE_DECIMALS, Scores, level_name, target_year
from sca_metrics.outputs import figure_style, pilot_figures, render, score_figures
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.reference.bodies import LEAD, default_bodies
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.i18n import t
from sca_metrics.reference.textnorm import strip
from sca_metrics.reference.units import default_units, reference_date

log = logging.getLogger(__name__)
FONT_FILES = {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf"}
FONT_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto", "/usr/local/share/fonts",
             "/usr/share/fonts/opentype/noto", str(Path.home() / ".fonts"))


@dataclass(frozen=True)
class Context:
    """Everything a pack is made from."""

    catalog: Catalog
    by_period: dict[str, Scores]
    submissions: pd.DataFrame
    period: str
    lang: str = "vi"
    demo: bool = False
    generated: datetime = field(default_factory=datetime.now)
    tasks: tuple[Task, ...] = ()  # the roadmap's tasks (the proposals about the plan need them)

    @property
    def scores(self) -> Scores:
        return self.by_period[self.period]

    @property
    def previous(self) -> Scores | None:
        periods = list(self.by_period)
        i = periods.index(self.period)
        return self.by_period[periods[i - 1]] if i else None

    def source(self, period: str | None = None) -> str:
        return source_text(self.lang, self.demo, period or self.period)


def source_text(lang: str, demo: bool, period: str | int) -> str:
    """Who the figures come from, for the source line: the lead department as it was at the end
    of the period the figures describe — the last of a span ("2018–2026") — (data/bodies.csv);
    says so when the data are the demo's."""
    years = re.findall(r"\d{4}", str(period))
    body = default_bodies().lead_in_province(lang, reference_date(years[-1] if years else period))
    text = t("briefing.source", lang, body=body)
    return f"{text} ({t('briefing.illustrative', lang)})" if demo else text


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


@dataclass(frozen=True)
class Pack:
    slides: list[Slide]
    images: dict[str, bytes]  # slide key → PNG
    pptx: bytes
    pdf: bytes

    @property
    def n_figures(self) -> int:
        return len(self.images)


# ---- sentences ----

def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """A frame's rows as named tuples, one field per column."""
    return frame.itertuples()


def _n(x: float, lang: str, decimals: int = 1) -> str:
    return formatting.number(x, lang, decimals, fixed=True)


def domain_sentence(row, lang: str) -> str:
    """"Y tế đạt 64,7 điểm, mức 4 — Quản lý", or why a domain has no score."""
    name = vocabulary.domain_name(row.domain, lang)
    if pd.isna(row.score):
        return t("briefing.domain_missing", lang, domain=name,
                 reason=t(f"reason.{row.reason or 'no_data'}", lang))
    lv = int(row.level)
    return t("briefing.domain_reached", lang, domain=name, score=_n(row.score, lang), level=lv,
             level_name=level_name(lv, lang))


def _drivers_sentence(scores: Scores, domain: str, lang: str) -> str:
    cells = scores.cells[scores.cells.domain == domain].set_index("driver")
    parts = [f"{drv.name(lang).lower()} {_n(cells.score.get(drv.code, np.nan), lang)}"
             for drv in vocabulary.DRIVERS]
    return t("briefing.drivers", lang, parts=" · ".join(parts))


def target_sentence(row, lang: str) -> str:
    """Against the period's own target (its target_year: 2025 up to 2025, 2030 from 2026)."""
    year = row.target_year
    if pd.isna(row.target_score) or pd.isna(row.score):
        return t("briefing.no_target", lang, year=year if not pd.isna(year) else "–")
    if row.gap <= 0:
        return t("briefing.target_met", lang, year=year, target=_n(row.target_score, lang))
    return t("briefing.target_gap", lang, year=year, target=_n(row.target_score, lang), gap=_n(row.gap, lang))


def _smart(scores: Scores) -> pd.DataFrame:
    return scores.domains[scores.domains.domain != vocabulary.FOUNDATIONS]


# ---- the slides ----

def pack_slides(ctx: Context) -> list[Slide]:
    """The pack's slides as both files and the exports page show them: `slides`, paginated."""
    return paginate(slides(ctx), ctx.lang)


def slides(ctx: Context, figure_width: int | None = None) -> list[Slide]:
    """Title, overview heatmap, ranking, change since the previous period, gaps to the 2025
    target, foundations, submissions, the pilot (when it has values), one slide per smart
    domain, the method note and the proposals. `figure_width`: the figures' layout width, each
    at its own height and without a source line (a report's, which states its source in its
    text); by default SLIDE_PX wide, in the shape of a slide's figure box, so their type reads
    at 14 pt or more."""
    lang, s = ctx.lang, ctx.scores
    width, height = (figure_width, None) if figure_width else (SLIDE_PX, slide_figure_px())
    score_unit = t("figure.unit_score", lang)

    def printed(draw: Callable[[], go.Figure], unit: str | None = score_unit,
                period: str | None = None) -> Callable[[], go.Figure]:
        source = ctx.source(period) if figure_width is None else None  # a page states it once
        return lambda: figure_style.for_print(draw(), lang, period or ctx.period, source, unit, width, height)

    out = [_title_slide(ctx)]
    out.append(Slide("heatmap", t("briefing.heatmap_title", lang), _heatmap_sentences(s, lang),
                     printed(partial(score_figures.heatmap, s, lang))))
    ranked = _smart(s).sort_values("score", ascending=False, na_position="last")
    out.append(Slide("ranking", t("briefing.ranking_title", lang),
                     tuple(domain_sentence(r, lang) for r in ranked.itertuples()),
                     printed(partial(score_figures.ranking, s, lang))))
    if ctx.previous is not None:
        out.append(Slide("radar", t("briefing.change_title", lang),
                         _change_sentences(s, ctx.previous, lang),
                         printed(partial(score_figures.radar, s, ctx.previous, lang),
                                 period=f"{ctx.previous.period}, {ctx.period}")))
    out.append(Slide("gaps", t("briefing.gaps_title", lang, year=target_year(ctx.period)),
                     _gap_sentences(s, lang),
                     printed(partial(score_figures.target_gaps, s, lang))))
    found = s.foundations.iloc[0]
    out.append(Slide("foundations", t("briefing.foundations_title", lang),
                     (domain_sentence(found, lang), _drivers_sentence(s, vocabulary.FOUNDATIONS, lang),
                      target_sentence(found, lang)),
                     printed(partial(score_figures.drivers, s, vocabulary.FOUNDATIONS, lang))))
    split = figure_width is None  # a slide's figure holds a few rows; a page's, all of them
    out.extend(_submissions_slides(ctx, printed, split))
    out.extend(_pilot_slides(ctx, printed, split))
    for row in _rows(_smart(s)):
        code = str(row.domain)
        out.append(Slide(f"domain_{code}", vocabulary.domain_name(code, lang),
                         (domain_sentence(row, lang), _drivers_sentence(s, code, lang),
                          target_sentence(row, lang)),
                         printed(partial(score_figures.drivers, s, code, lang))))
    out.append(_method_slide(ctx))
    titles = {slide.key: slide.title for slide in out}
    cite: dict[str, str] = {key: t("proposals.cite_slide", lang, title=titles[key])
            for key in ("gaps", "foundations", "submissions") if key in titles}
    out.append(Slide("proposals", t("proposals.title", lang),
                     proposal_lines(ctx, cite) or (t("proposals.none", lang, period=ctx.period),)))
    return out


def proposal_lines(ctx: Context, cite: dict[str, str]) -> tuple[str, ...]:
    """The numbered proposals of the period (sca_metrics.method.proposals), each naming its
    bodies as on the document's date and citing where its figures are (`cite`: key → the
    document's own figure, table or slide); none when there is nothing to decide."""
    on = ctx.generated.date()
    found = proposals.proposals(ctx.scores, ctx.catalog, ctx.submissions, ctx.tasks, on)
    return tuple(t("proposals.numbered", ctx.lang, n=k, text=p.text(ctx.lang, ctx.catalog, on, cite))
                 for k, p in enumerate(found, start=1))


def _title_slide(ctx: Context) -> Slide:
    lang, overall = ctx.lang, ctx.scores.overall.iloc[0]
    lines = [t("briefing.subtitle", lang, period=ctx.period,
               date=formatting.day(ctx.generated, lang))]
    if pd.isna(overall.score):
        lines.append(t("briefing.overall_missing", lang, period=ctx.period))
    else:
        lv = int(overall.level)
        lines.append(t("briefing.overall", lang, period=ctx.period, score=_n(overall.score, lang),
                       level=lv, level_name=level_name(lv, lang)))
        if ctx.previous is not None and not pd.isna(overall.change):
            lines += _headline_change(overall, ctx.previous.overall.iloc[0], ctx.previous.period, lang)
    if ctx.demo:
        lines.append(t("app.demo_banner", lang))
    # the area as named in the period (the province until 30/6/2025, then within its successor)
    area = default_units().area_name(ctx.period, lang)
    return Slide("title", t("briefing.title", lang, area=area), tuple(lines))


def _headline_change(now, before, previous: str, lang: str) -> list[str]:
    """The change of the overall score as the reader can check it — the difference of the two
    scores as printed ("65,1 − 59,8 = 5,3") —, the like-for-like change beside it when the
    indicators reported differ between the periods (and why the two differ), then what it
    means in plain words: the level now against before, and the points to the next level."""
    if pd.isna(before.score):
        return []
    shown = round(float(now.score), SCORE_DECIMALS) - round(float(before.score), SCORE_DECIMALS)
    out = [t("briefing.overall_up" if shown >= 0 else "briefing.overall_down", lang,
             change=_n(abs(shown), lang), previous=previous, before=_n(before.score, lang),
             now=_n(now.score, lang))]
    if now.get("set_changed", False):
        like = float(now.change)
        out.append(t("briefing.like_for_like_up" if like >= 0 else "briefing.like_for_like_down", lang,
                     change=_n(abs(like), lang)))
    lv, lv_before = int(now.level), int(before.level)
    key = "briefing.meaning_up" if lv > lv_before else "briefing.meaning_down" if lv < lv_before \
        else "briefing.meaning_same"
    meaning = t(key, lang, level=lv, level_name=level_name(lv, lang), before_level=lv_before,
                previous=previous)
    if not pd.isna(now.points_to_next_level):
        meaning += " " + t("briefing.next_level", lang, points=_n(now.points_to_next_level, lang),
                           next=lv + 1)
    return [*out, meaning]


def _heatmap_sentences(s: Scores, lang: str) -> tuple[str, ...]:
    cells = s.cells[s.cells.domain != vocabulary.FOUNDATIONS]
    scored = cells[cells.score.notna()]
    out = []
    if len(scored):
        score = scored.score.to_numpy()
        hi, lo = scored.iloc[int(np.argmax(score))], scored.iloc[int(np.argmin(score))]
        for key, row in (("briefing.cell_high", hi), ("briefing.cell_low", lo)):
            out.append(t(key, lang, domain=vocabulary.domain_name(row.domain, lang),
                         driver=vocabulary.term(vocabulary.DRIVERS, row.driver).name(lang),
                         score=_n(row.score, lang), level=int(row.level)))
        levels = scored.level.astype(int).value_counts()
        out.append(t("briefing.cells_by_level", lang, n=len(scored), parts=", ".join(
            t("briefing.level_count", lang, count=int(levels[lv]), level=lv)
            for lv in sorted(levels.index, reverse=True))))
    if n_missing := len(cells) - len(scored):
        out.append(t("briefing.cells_missing", lang, n=n_missing))
    return tuple(out)


def _change_sentences(s: Scores, previous: Scores, lang: str) -> tuple[str, ...]:
    d = _smart(s)[["domain", "score"]].merge(
        _smart(previous)[["domain", "score"]], on="domain", suffixes=("", "_prev"))
    d = d.assign(change=d.score - d.score_prev).dropna(subset=["change"])
    if d.empty:
        return (t("briefing.no_change", lang, previous=previous.period),)
    up, down = int((d.change > 0).sum()), int((d.change < 0).sum())
    best = d.iloc[int(np.argmax(d.change.to_numpy()))]
    out = [t("briefing.change_counts", lang, previous=previous.period, up=up, down=down),
           t("briefing.change_best", lang, domain=vocabulary.domain_name(best.domain, lang),
             change=("+" if best.change >= 0 else "−") + _n(abs(best.change), lang))]
    if down:
        worst = d.iloc[int(np.argmin(d.change.to_numpy()))]
        out.append(t("briefing.change_worst", lang, domain=vocabulary.domain_name(worst.domain, lang),
                     change=_n(abs(worst.change), lang)))
    return tuple(out)


def _gap_sentences(s: Scores, lang: str) -> tuple[str, ...]:
    d = _smart(s).dropna(subset=["gap"]).sort_values("gap", ascending=False)
    behind, met = d[d.gap > 0], d[d.gap <= 0]
    year = target_year(s.period)
    out = []
    if len(behind):
        out.append(t("briefing.gaps_top", lang, year=year, parts="; ".join(
            t("briefing.gap_part", lang, domain=vocabulary.domain_name(str(r.domain), lang),
              gap=_n(r.gap, lang), score=_n(r.score, lang), target=_n(r.target_score, lang))
            for r in _rows(behind.head(3)))))
    if len(met):
        out.append(t("briefing.gaps_met", lang, n=len(met), year=year,
                     names=", ".join(vocabulary.domain_name(c, lang) for c in met.domain)))
    else:
        out.append(t("briefing.gaps_none_met", lang, year=year))
    return tuple(out)


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
        lines.append(t("briefing.missing", lang, names=_some(names, "submissions.and_more", lang)))
    else:
        lines.append(t("briefing.all_submitted", lang))
    done = status[status.state == tracker.SUBMITTED]
    if len(done):
        lines.append(t("briefing.completeness", lang, share=_n(100 * done.coverage.mean(), lang, 0)))
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
    for row in _rows(heads):
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
        series.append(t("briefing.pilot_met_2025", lang, n=len(met), total=len(at_2025), names=_some(
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
# What a pack shows of a list that grows with the country (the slides are read in a meeting; the
# dashboard's pages hold every row): pilot indicators, departments in the completeness chart,
# names in a sentence.
PACK_ITEMS, PACK_ROWS, PACK_NAMES = 7, 12, 20  # 7 bars: what the pilot slide's figure holds legibly
PACK_PERIODS, PACK_DEPARTMENTS = 5, 5  # columns and rows of the completeness chart on a slide


def _some(names: list[str], more_key: str, lang: str) -> str:
    """The first PACK_NAMES names, then how many more ("… và 14 đơn vị khác")."""
    shown = "; ".join(names[:PACK_NAMES])
    return t(more_key, lang, names=shown, n=len(names) - PACK_NAMES) if len(names) > PACK_NAMES else shown


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
        t("briefing.method_aggregate", lang, threshold=_n(100 * s.options.threshold, lang, 0)),
        t("briefing.method_levels", lang),
        t("briefing.method_data", lang, n=n, have=have, period=ctx.period,
          share=_n(100 * have / n if n else 0, lang, 0)),
        t("briefing.method_versions", lang, catalog=s.catalog_version, method=s.method_version),
    ))


# ---- files ----

def font_files() -> dict[str, Path]:
    """Noto Sans regular and bold ($SCA_FONT_DIR first); embedded in the PDF so every
    diacritic prints the same on any machine."""
    font_dir = settings.current().font_dir
    dirs: list[Path | str] = [font_dir] if font_dir else []
    found = {}
    for style, name in FONT_FILES.items():
        for d in [*dirs, *FONT_DIRS]:
            if (p := Path(d) / name).is_file():
                found[style] = p
                break
        else:
            raise render.ExportUnavailable(
                f"font {name} not found (install Debian's fonts-noto-core, or set SCA_FONT_DIR)")
    return found


Progress = Callable[..., None]  # told each step: a message key of [briefing] and its values


def build(ctx: Context, deck: list[Slide] | None = None, progress: Progress | None = None) -> Pack:
    """Render every figure once (one browser), then write the PowerPoint and the PDF from the
    same images. `deck`: the slides of `ctx` when the caller already has them. `progress(key,
    **values)` is told each step (briefing.step_*), for a page's status or a command's output."""
    say = progress or (lambda key, **values: None)
    started = time.perf_counter()
    say("briefing.step_slides")
    deck = paginate(deck, ctx.lang) if deck is not None else pack_slides(ctx)
    with_fig = [s for s in deck if s.has_figure]
    total = len(with_fig)
    say("briefing.step_figures", done=0, total=total)
    prepared = PdfImages()
    try:
        # each figure drawn and sent to the browser in turn: the next is drawn while it renders;
        # each image made ready for the PDF as it comes back
        pngs = render.render_many((render.Job(s.figure, "png", _figure_height(s)) for s in with_fig),
                                  done=lambda k: say("briefing.step_figures", done=k, total=total),
                                  ready=lambda k, png: prepared.add(png))
        images = {s.key: png for s, png in zip(with_fig, pngs, strict=True)}
        say("briefing.step_pptx")
        pptx = pptx_bytes(deck, images, ctx)
        say("briefing.step_pdf")
        pack = Pack(deck, images, pptx, pdf_bytes(deck, images, ctx, prepared))
    finally:
        prepared.close()
    log.info("briefing pack %s: %d slides, %d figures in %.2f s", file_stem(ctx), len(deck),
             len(with_fig), time.perf_counter() - started)
    return pack


def file_stem(ctx: Context) -> str:
    return stem(ctx.period, ctx.lang)


def stem(period: str, lang: str) -> str:
    """The pack's file name without its extension."""
    return f"dttm_briefing_{period}_{lang}"


def _footer(ctx: Context, number: int, total: int) -> str:
    """The body, the period and the page, on one line at the room's size (the full source line
    is under every figure)."""
    body = default_bodies().lead_in_province(ctx.lang, reference_date(ctx.period))
    if ctx.demo:
        body = f"{body} ({t('briefing.illustrative', ctx.lang)})"
    return t("briefing.footer", ctx.lang, source=body, period=ctx.period, page=number, total=total)


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (no image library needed)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _figure_height(slide: Slide) -> int:
    """Render each figure in the shape of the box it fills on the slide."""
    return slide_figure_px() if _boxes(slide)[1] is not None else 420


def slide_figure_px() -> int:
    """The height, in layout pixels, of a figure SLIDE_PX wide in the shape of a slide's figure
    box (its text beside it)."""
    top, bottom = MARGIN + TITLE_H, H - MARGIN - FOOT_H
    return int(SLIDE_PX * (bottom - top) / ((W - 2 * MARGIN) * FIGURE_SHARE))


def _fit(png: bytes, box_w: float, box_h: float) -> tuple[float, float]:
    w, h = _png_size(png)
    scale = min(box_w / w, box_h / h)
    return w * scale, h * scale


# Slide geometry (inches, 16:9) shared by both files: the PDF uses the same boxes in mm.
W, H = 13.333, 7.5
MARGIN, TITLE_H, FOOT_H = 0.5, 0.9, 0.4


Box = tuple[float, float, float, float]  # left, top, width, height (inches)


def _boxes(slide: Slide) -> tuple[Box, Box | None]:
    """(text box, image box) as (left, top, width, height): the figure at FIGURE_SHARE of the
    width (large enough for its type to read at 10 pt), its text beside it."""
    top, bottom = MARGIN + TITLE_H, H - MARGIN - FOOT_H
    inner_w = W - 2 * MARGIN
    if not slide.has_figure:
        return (MARGIN, top, inner_w, bottom - top), None
    fig_w = inner_w * FIGURE_SHARE
    return (MARGIN + fig_w + 0.25, top, inner_w - fig_w - 0.25, bottom - top), (MARGIN, top, fig_w,
                                                                                bottom - top)


@dataclass(frozen=True)
class _Text:
    box: tuple[float, float, float, float]  # left, top, width, height (inches)
    lines: tuple[str, ...]
    role: str  # a key of TEXT_STYLES
    bullets: bool = False


@dataclass(frozen=True)
class _Picture:
    box: tuple[float, float, float, float]  # already fitted to the PNG's aspect
    png: bytes
    alt: str  # what it shows, for a screen reader: the figure's title and the slide's first finding


# role → (size in points, bold, grey): the same in both files, which share the page size. A
# text is set at its size, or smaller down to MIN_PT until it fits its box (_Measure.fitted_size); what
# does not fit at MIN_PT goes on to a continuation slide (paginate).
TEXT_STYLES = {"cover_title": (34, True, False), "cover_text": (20, False, False),
               "title": (26, True, False), "body": (18, False, False), "footer": (14, False, True)}
PT_MM = 25.4 / 72
TITLE_ROLES = ("title", "cover_title")  # set in the slide's title placeholder
MIN_PT = 14  # no text on a slide is smaller: legible from the back of a meeting room
LINE = 1.2  # line height, as a multiple of the font size
PARA_PT = 6  # space after each paragraph
FIGURE_SHARE = 0.7  # of the inner width, for a figure with its text beside it
# A slide's figure is laid out this many pixels wide: it is shown 8.6 in (621 pt) wide, so the
# smallest type of a printed figure (figure_style.PRINT_MIN, 21 px) reads at 14.5 pt
SLIDE_PX = 900


def _placements(slide: Slide, number: int, total: int, ctx: Context,
                images: dict[str, bytes]) -> list[_Text | _Picture]:
    """What goes where on one slide: the single layout both files draw."""
    full = W - 2 * MARGIN
    out: list[_Text | _Picture]
    if slide.key == "title":
        out = [_Text((MARGIN, 2.0, full, 1.4), (slide.title,), "cover_title"),
               _Text((MARGIN, 3.6, full, 3.0), slide.sentences, "cover_text")]
    else:
        text_box, image_box = _boxes(slide)
        out = [_Text((MARGIN, MARGIN, full, TITLE_H), (slide.title,), "title")]
        if image_box and slide.key in images:
            w, h = _fit(images[slide.key], image_box[2], image_box[3])
            out.append(_Picture((image_box[0], image_box[1], w, h), images[slide.key], alt_text(slide)))
        numbered = slide.key.startswith("proposals")  # numbered in their text: no bullet
        out.append(_Text(text_box, slide.sentences, "body",
                         bullets=len(slide.sentences) > 1 and not numbered))
    out.append(_Text((MARGIN, H - MARGIN - FOOT_H + 0.1, full, FOOT_H),
                     (_footer(ctx, number, total),), "footer"))
    return out


class _Measure:
    """Lines and heights of text as the PDF sets it (Noto Sans, the embedded font): the one
    measure both files are laid out by (PowerPoint and LibreOffice wrap the same font at the
    same width alike, give or take a word, which the margin below absorbs)."""

    SLACK = 0.92  # of a box's height used: room for a word wrapped differently elsewhere

    def __init__(self) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(unit="pt")
        self.pdf.c_margin = 0
        for style, path in font_files().items():
            self.pdf.add_font("Noto", style, str(path))
        self.pdf.add_page()  # multi_cell measures on a page (nothing is drawn: dry runs)
        self.lock = threading.Lock()

    def height(self, lines: Iterable[str], width_in: float, size: float, bold: bool) -> float:
        """Points the paragraphs take at `size` in a box `width_in` inches wide (one measure at
        a time: the dashboard's sessions share this object, and its font is its state)."""
        with self.lock:
            self.pdf.set_font("Noto", "B" if bold else "", size)
            total = 0.0
            for line in lines:
                wrapped = self.pdf.multi_cell(width_in * 72, size * LINE, line, dry_run=True, output="LINES")
                n = len(wrapped) if isinstance(wrapped, list) else 1
                total += n * size * LINE + PARA_PT
            return total

    def fits(self, text: _Text, size: float) -> bool:
        """Whether the text set at `size` fits its box."""
        lines = [_bullet(text, line) for line in text.lines]
        room = text.box[3] * 72 * self.SLACK
        return self.height(lines, text.box[2], size, TEXT_STYLES[text.role][1]) <= room

    def fitted_size(self, text: _Text) -> float | None:
        """The largest size from the style's down to MIN_PT at which the text fits its box;
        None when it does not fit even at MIN_PT. A text takes more room the larger it is set,
        so the style's own size is tried first (most texts fit at it), then the sizes between
        it and MIN_PT are halved — three measures at most instead of one a point."""
        size = int(TEXT_STYLES[text.role][0])
        if self.fits(text, size):
            return size
        if not self.fits(text, MIN_PT):
            return None
        low, high = MIN_PT, size - 1  # fits at low; the answer is at most high
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if self.fits(text, middle) else (low, middle - 1)
        return low


@functools.cache
def _measure() -> _Measure:
    return _Measure()


@functools.lru_cache(maxsize=1024)
def _fitted_size(text: _Text) -> float | None:
    """_Measure.fitted_size, measured once a text: pagination asks it, then both files (a text
    and its box are all it depends on)."""
    return _measure().fitted_size(text)


def _fitted(text: _Text) -> float:
    """The size a text is set at: fitted to its box (paginate made sure it fits at MIN_PT)."""
    if text.role == "body" or text.role.startswith("cover"):
        return _fitted_size(text) or MIN_PT
    return TEXT_STYLES[text.role][0]


def paginate(deck: list[Slide], lang: str) -> list[Slide]:
    """The deck with every slide whose text does not fit its box at MIN_PT split: the
    sentences that fit stay (beside the figure), the rest continue on slides of their own
    ("… (tiếp)" / "(cont.)"), so no text ever runs off a slide or over the footer."""
    out: list[Slide] = []
    for slide in deck:
        rest = list(slide.sentences)
        current = slide
        while True:
            text_box = _boxes(current)[0] if current.key != "title" else (MARGIN, 3.6, W - 2 * MARGIN, 3.0)
            kept = _fit_count(rest, text_box, "cover_text" if current.key == "title" else "body")
            if kept >= len(rest):
                out.append(dataclasses.replace(current, sentences=tuple(rest)))
                break
            out.append(dataclasses.replace(current, sentences=tuple(rest[:kept])))
            rest = rest[kept:]
            current = Slide(f"{slide.key}_cont{len(out)}", f"{slide.title} {t('briefing.continued', lang)}",
                            tuple(rest))
    return out


def _fit_count(sentences: list[str], box: Box, role: str) -> int:
    """How many of the sentences, from the first, fit the box at MIN_PT (at least one, so every
    slide makes progress: a single sentence too long for a whole slide is set anyway, and the
    test would say so; none fit an empty list, which is done). All of them, most often: that
    measure is the one the files set the text by. Otherwise fewer sentences take less room, so
    the count is halved to."""
    if not sentences:
        return 0
    bullets = len(sentences) > 1
    if _fitted_size(_Text(box, tuple(sentences), role, bullets=bullets)) is not None:
        return len(sentences)
    low, high = 1, len(sentences) - 1  # at least one; the answer is at most high
    while low < high:
        middle = (low + high + 1) // 2
        fits = _measure().fits(_Text(box, tuple(sentences[:middle]), role, bullets=bullets), MIN_PT)
        low, high = (middle, high) if fits else (low, middle - 1)
    return low


def alt_text(slide: Slide) -> str:
    """A short description of a slide's figure: its title, then the slide's first sentence."""
    figure = slide.figure
    title = str(figure.layout.title.text or slide.title) if figure is not None else slide.title
    return ". ".join(p for p in (title, slide.sentences[0] if slide.sentences else "") if p)


def _bullet(text: _Text, line: str) -> str:
    return ("• " if text.bullets else "") + line


def pptx_bytes(deck: list[Slide], images: dict[str, bytes], ctx: Context) -> bytes:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(W), Inches(H)
    # "Title Only": each slide's title is its title placeholder (an outline, an accessibility
    # checker and a screen reader find it), placed and styled as the measured layout says
    titled = prs.slide_layouts[5]
    dark, grey = RGBColor(0x22, 0x22, 0x22), RGBColor(0x55, 0x55, 0x55)
    tag = LANGUAGE_TAGS.get(ctx.lang, ctx.lang)

    def draw_text(slide, text: _Text) -> None:
        _, bold, is_grey = TEXT_STYLES[text.role]
        size = _fitted(text)
        if text.role in TITLE_ROLES:
            shape = slide.shapes.title
            shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in text.box)
        else:
            shape = slide.shapes.add_textbox(*(Inches(v) for v in text.box))
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE  # set at the measured size, never grown or shrunk
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        for i, line in enumerate(text.lines):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.text = strip(_bullet(text, line))  # the writer's own defence (docs/security.md)
            _tag_language(para, tag)
            para.space_after = Pt(PARA_PT)
            para.line_spacing = Pt(size * LINE)
            para.alignment = PP_ALIGN.LEFT  # (a title placeholder centres its text)
            para.font.size, para.font.bold, para.font.name = Pt(size), bold, "Noto Sans"
            para.font.color.rgb = grey if is_grey else dark

    for number, s in enumerate(deck, start=1):
        slide = prs.slides.add_slide(titled)
        for item in _placements(s, number, len(deck), ctx, images):
            if isinstance(item, _Picture):
                picture = slide.shapes.add_picture(io.BytesIO(item.png), *(Inches(v) for v in item.box))
                picture._element.nvPicPr.cNvPr.set("descr", item.alt)  # PowerPoint's alt text
            else:
                draw_text(slide, item)
        notes = slide.notes_slide.notes_text_frame
        notes.text = strip("\n".join(s.sentences))
        for para in notes.paragraphs:
            _tag_language(para, tag)
    _properties(prs, ctx, deck)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


LANGUAGE_TAGS = {"vi": "vi-VN", "en": "en-GB"}


def _tag_language(para, tag: str) -> None:
    """Every run says its language, so PowerPoint checks the spelling in Vietnamese (without a
    tag it marks every Vietnamese word as misspelt English)."""
    for run in para.runs:
        run.font._rPr.set("lang", tag)


def _properties(prs, ctx: Context, deck: list[Slide]) -> None:
    """The file says what it is: made now by the issuing body (the lead department on the day it
    is made), titled as its cover, in its language, a 16:9 show (python-pptx's template says
    2013, its author and 4:3)."""
    on = ctx.generated
    core = prs.core_properties
    core.author = core.last_modified_by = strip(default_bodies().holder(LEAD, on.date()).name(ctx.lang))
    core.created = core.modified = on.replace(tzinfo=None, microsecond=0)
    core.revision = 1
    core.title = strip(deck[0].title if deck else t("briefing.title", ctx.lang, area=""))
    core.subject = strip(ctx.source())
    core.language = LANGUAGE_TAGS.get(ctx.lang, ctx.lang)
    core.comments = ""
    for part in prs.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = part.blob.replace(b"On-screen Show (4:3)", b"On-screen Show (16:9)").replace(
                b"Microsoft Macintosh PowerPoint", b"sca_metrics")


class PdfImages:
    """The pack's PNGs made ready for the PDF on two threads, each as soon as it is added — while
    the browser still renders the next figures and the PowerPoint is written.

    fpdf2 cannot embed a PNG as it is (a PDF has no samples with an alpha channel, and kaleido's
    PNGs carry one): in pdf.image it decodes each one and compresses its pixels again with zlib,
    one at a time on the calling thread (3 s of a pack's 17). Here Pillow decodes, the alpha
    channel (opaque: the figures are white) is dropped, and zlib-ng compresses the same rows at
    the same level about four times faster (the PDF 4 % larger); both let go of the GIL. The
    entries go into fpdf2's image cache, where pdf.image finds them: the pages are the same."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(2, thread_name_prefix="pdf-images")
        self._made: dict[str, Future] = {}

    def add(self, png: bytes) -> None:
        name = _image_name(png)
        if name not in self._made:
            self._made[name] = self._pool.submit(_pdf_image, png)

    def load(self, pdf, pngs: Iterable[bytes]) -> None:
        """Into the document's image cache, in the order its pages use them (as pdf.image would
        put them there, so the objects are numbered alike)."""
        cache = pdf.image_cache
        try:
            for png in pngs:
                self.add(png)
                name = _image_name(png)
                info = self._made[name].result()
                if info is None or name in cache.images:  # not one of ours (fpdf2 reads it
                    continue                                # itself), or a picture used again
                info["i"], info["usages"], info["iccp_i"] = len(cache.images) + 1, 0, None
                cache.images[name] = info
        finally:
            self.close()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


def _image_name(png: bytes) -> str:
    """The name fpdf2 gives an image passed as bytes (its cache key)."""
    return hashlib.md5(png.strip(), usedforsecurity=False).hexdigest()


def _pdf_image(png: bytes):
    """fpdf2's entry for a PNG of opaque 8-bit RGB(A) pixels without a colour profile: its rows,
    each after a 0 (no PNG filter: the PDF's predictor reads them so, as fpdf2 writes them),
    compressed at fpdf2's level; None for any other image, which fpdf2 then reads itself."""
    from fpdf.image_datastructures import RasterImageInfo
    from fpdf.image_parsing import SETTINGS
    from PIL import Image
    from zlib_ng import zlib_ng

    with Image.open(io.BytesIO(png)) as img:
        if img.format != "PNG" or img.mode not in ("RGB", "RGBA") or img.info.get("icc_profile"):
            return None
        img.load()
        if img.mode == "RGBA" and img.getchannel("A").getextrema() != (255, 255):
            return None  # transparent somewhere: fpdf2 writes its soft mask
        pixels = img.convert("RGB").tobytes()
        width, height = img.size
    rows = np.zeros((height, 1 + 3 * width), np.uint8)
    rows[:, 1:] = np.frombuffer(pixels, np.uint8).reshape(height, -1)
    return RasterImageInfo(
        data=zlib_ng.compress(rows, SETTINGS.compression_level), w=width, h=height,
        cs="DeviceRGB", iccp=None, bpc=8, dpn=3, f="FlateDecode", inverted=False,
        dp=f"/Predictor 15 /Colors 3 /Columns {width}")


def pdf_bytes(deck: list[Slide], images: dict[str, bytes], ctx: Context,
              prepared: PdfImages | None = None) -> bytes:
    """`prepared`: the images already being made ready (build adds each as it comes back)."""
    from fpdf import FPDF

    mm = 25.4  # the slide geometry in inches → mm, so both files look alike
    pdf = FPDF(orientation="L", unit="mm", format=(H * mm, W * mm))
    pdf.c_margin = 0  # no cell padding: the text set as _Measure measured it
    pdf.set_auto_page_break(False)
    for style, path in font_files().items():
        pdf.add_font("Noto", style, str(path))
    pdf.set_title(deck[0].title)
    pdf.set_creator("sca_metrics")
    pdf.set_lang(ctx.lang)
    (prepared or PdfImages()).load(pdf, [images[s.key] for s in deck if s.key in images])

    def draw_text(text: _Text) -> None:
        _, bold, is_grey = TEXT_STYLES[text.role]
        size = _fitted(text)
        left, top, width, _height = (v * mm for v in text.box)
        pdf.set_font("Noto", "B" if bold else "", size)
        pdf.set_text_color(*((85, 85, 85) if is_grey else (34, 34, 34)))
        pdf.set_xy(left, top)
        for line in text.lines:
            pdf.set_x(left)
            pdf.multi_cell(width, size * LINE * PT_MM, _bullet(text, line), align="L",
                           new_x="LMARGIN", new_y="NEXT")
            pdf.ln(PARA_PT * PT_MM)

    for number, s in enumerate(deck, start=1):
        pdf.add_page()
        for item in _placements(s, number, len(deck), ctx, images):
            if isinstance(item, _Picture):
                x, y, w, h = (v * mm for v in item.box)
                pdf.image(io.BytesIO(item.png), x=x, y=y, w=w, h=h, alt_text=item.alt)
            else:
                draw_text(item)
    return bytes(pdf.output())
