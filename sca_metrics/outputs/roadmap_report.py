"""The consolidated report for the Steering Committee (docs/roadmap.md): what the departments
propose to do in each area and when, the budget by phase and source, each domain's readiness and
gap, what is wrong with the plan, and the summary table of comments received, accepted and
explained — in the official format of `sca_metrics.outputs.report` (Decree 30/2020/NĐ-CP)."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Sequence

import pandas as pd

from sca_metrics.method import foundations, roadmap
from sca_metrics.method.roadmap import Flag, Task
from sca_metrics.outputs import report
from sca_metrics.outputs.documents.context import Context
from sca_metrics.outputs.documents.sentences import domain_sentence, target_sentence
from sca_metrics.outputs.report import Block, Heading, Para, Table
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.reference.i18n import t
from sca_metrics.reference.units import default_units

log = logging.getLogger(__name__)
ROMAN = report.ROMAN


def file_stem(period: str, lang: str) -> str:
    return f"dttm_lo-trinh_{period}_{lang}" if lang == "vi" else f"dttm_roadmap_{period}_{lang}"


def _status(code: str, lang: str) -> str:
    return vocabulary.term(vocabulary.TASK_STATUSES, code).name(lang)


def _n(x: float | None, lang: str) -> str:
    return formatting.number(x, lang, 1, fixed=True)


def _layer_sentence(row, layer: str, lang: str) -> str:
    """"Hạ tầng đạt 66,3 điểm, mức 4 — Quản lý.", or that it has no score this period."""
    name = foundations.layer_name(layer, lang)
    if pd.isna(row.score):
        return t("roadmap_report.layer_missing", lang, layer=name)
    return t("roadmap_report.layer_reached", lang, layer=name, score=_n(row.score, lang),
             level=int(row.level), level_name=row[f"level_{lang}"])


def contents(ctx: Context, tasks: Sequence[Task], flags: Sequence[Flag], comments: pd.DataFrame,
             head: report.Letterhead) -> list[Block]:
    lang, s = ctx.lang, ctx.scores
    sections = iter(ROMAN)
    tables = iter(range(1, 100))
    out: list[Block] = [Para(t("roadmap_report.intro", lang, area=default_units().area_name(ctx.period, lang),
                                body=head.body(lang, ctx.generated.date()), period=ctx.period))]
    if ctx.demo:
        out.append(Para(t("app.demo_banner", lang), italic=True))

    # I. the plan at a glance: tasks, budget by phase and source (the programme's tasks; sector
    # projects outside it totalled apart), flags
    out.append(Heading(f"{next(sections)}. {t('roadmap_report.overview', lang)}", 1))
    inside = [k for k in tasks if k.area != roadmap.OUTSIDE]
    outside = [k for k in tasks if k.area == roadmap.OUTSIDE]
    total = sum(k.budget or 0 for k in inside)
    out.append(Para(t("roadmap_report.totals", lang, n=len(tasks), budget=_n(total, lang),
                      departments=len({k.lead_department for k in tasks}))))
    if outside:
        projects = ", ".join(dict.fromkeys(k.sector_project or k.name for k in outside))
        out.append(Para(t("roadmap_report.outside", lang, n=len(outside), projects=projects,
                          budget=_n(sum(k.budget or 0 for k in outside), lang))))
    sources = [b.code for b in vocabulary.BUDGET_SOURCES]
    rows = []
    for phase in vocabulary.PHASES:
        mine = [k for k in inside if k.phase == phase.code]
        rows.append((phase.name(lang), *(_n(sum(k.budget or 0 for k in mine if k.budget_source == src), lang)
                                         for src in sources), _n(sum(k.budget or 0 for k in mine), lang)))
    per_source = [_n(sum(k.budget or 0 for k in inside if k.budget_source == src), lang) for src in sources]
    rows.append((t("roadmap_report.total", lang), *per_source, _n(total, lang)))
    out.append(Table(t("roadmap_report.budget_table", lang, n=next(tables)),
                     (t("roadmap_report.col_phase", lang), *(b.name(lang) for b in vocabulary.BUDGET_SOURCES),
                      t("roadmap_report.total", lang)), tuple(rows), widths=(27, 30, 22, 32, 22, 28),
                     align="lrrrrr"))
    by_code = {code: sum(f.code == code for f in flags) for code in roadmap.FLAG_CODES}
    out.append(Para(t("roadmap_report.flag_counts", lang, parts="; ".join(
        f"{t(f'roadmap.flag_name_{code}', lang).lower()}: {n}" for code, n in by_code.items() if n) or "–")))

    standing = foundations.readiness(s, ctx.catalog).set_index("area")
    ahead = standing[standing.ahead.fillna(0) > 0]
    layer, level = foundations.lowest(standing)
    if layer is not None and len(ahead):
        names = ", ".join(vocabulary.domain_name(str(d), lang) for d in ahead.index)
        out.append(Para(t("roadmap_report.foundations_first", lang, n=len(ahead), domains=names,
                          layer=foundations.layer_name(layer, lang), level=level)))
    elif layer is not None:
        out.append(Para(t("roadmap_report.foundations_even", lang, layer=foundations.layer_name(layer, lang),
                          level=level)))

    # II. by area, in the programme's order
    out.append(Heading(f"{next(sections)}. {t('roadmap_report.by_area', lang)}", 1))
    task_flags: dict[str, list[Flag]] = {}
    for f in flags:
        if f.task is not None:
            task_flags.setdefault(f.task, []).append(f)
    on = ctx.generated.date()  # the lead departments named as on the report's date
    out.append(Para(t("roadmap_report.names_note", lang), italic=True))
    for number, (area, mine) in enumerate(roadmap.by_area(tasks).items(), start=1):
        out.append(Heading(f"{number}. {roadmap.area_name(area, lang)}", 2))
        if area in vocabulary.LAYER_CODES:
            out.append(Para(_layer_sentence(standing.loc[area], area, lang), keep=True))
        elif area in standing.index:
            row = next(r for r in s.domains.itertuples() if r.domain == area)
            said = [domain_sentence(row, lang) + ".", target_sentence(row, lang)]
            if area in ahead.index:
                said.append(t("roadmap_report.ahead", lang, n=int(ahead.ahead[area]), level=level,
                              layer=foundations.layer_name(str(layer), lang)))
            out.append(Para(" ".join(said), keep=True))
        if not mine:
            out.append(Para(t("roadmap_report.no_task", lang)))
            continue
        spent = _n(sum(k.budget or 0 for k in mine), lang)
        out.append(Para(t("roadmap_report.area_tasks", lang, n=len(mine), budget=spent), keep=True))
        caption = t("roadmap_report.task_table", lang, n=next(tables), area=roadmap.area_name(area, lang))
        out.append(Table(caption,
                         (t("roadmap_report.col_code", lang), t("roadmap_report.col_task", lang),
                          t("roadmap_report.col_years", lang), t("roadmap_report.col_lead", lang),
                          t("roadmap_report.col_budget", lang), t("roadmap_report.col_status", lang)),
                         tuple((k.code, k.name, f"{k.start_year}–{k.end_year}",
                                _department(ctx, k.lead_department, on), _n(k.budget, lang),
                                _status(k.status, lang)) for k in mine),
                         widths=(24, 50, 19, 34, 18, 20), align="llclrl", total=False))
        for k in mine:
            for f in task_flags.get(k.code, []):
                out.append(Para(f.message(lang, ctx.catalog)))

    # III. the plan as a whole
    out.append(Heading(f"{next(sections)}. {t('roadmap_report.roadmap_flags', lang)}", 1))
    plan = [f for f in flags if f.task is None and f.code != "unplanned_target"]
    out += [Para(f.message(lang, ctx.catalog)) for f in plan]
    unplanned = [str(f.params["indicator"]) for f in flags if f.code == "unplanned_target"]
    if unplanned:  # counted by domain here; every indicator in the appendix
        by_domain: dict[str, int] = {}
        for code in unplanned:
            domain = ctx.catalog.indicator(code).domain
            by_domain[domain] = by_domain.get(domain, 0) + 1
        out.append(Para(t("roadmap_report.unplanned", lang, n=len(unplanned), parts="; ".join(
            t("roadmap_report.unplanned_part", lang, domain=vocabulary.domain_name(d, lang), n=n)
            for d, n in by_domain.items()))))
    if not plan and not unplanned:
        out.append(Para(t("roadmap_report.no_roadmap_flags", lang)))

    # IV. the summary table of comments received, accepted and explained
    out.append(Heading(f"{next(sections)}. {t('roadmap_report.comments', lang)}", 1))
    if comments.empty:
        out.append(Para(t("roadmap.no_comments", lang)))
    else:
        answers = {"accepted": t("roadmap.accepted", lang), "explained": t("roadmap.explained", lang)}
        accepted = int((comments.response == "accepted").sum())
        explained = int((comments.response == "explained").sum())
        out.append(Para(t("roadmap_report.comment_counts", lang, n=len(comments), accepted=accepted,
                          explained=explained, open=len(comments) - accepted - explained)))
        header = tuple(t(key, lang) for key in ("report.col_no", "roadmap_report.col_department",
                                                 "roadmap_report.col_comment", "roadmap_report.col_response",
                                                 "roadmap_report.col_explanation"))
        rows_c = []
        for i, c in enumerate(comments.itertuples(), start=1):
            proposal = c.proposal if isinstance(c.proposal, str) and c.proposal else ""
            text = f"{c.section}: {c.comment}" + (f" — {proposal}" if proposal else "")
            why = str(c.explanation) if isinstance(c.explanation, str) else "–"
            rows_c.append((str(i), _department(ctx, str(c.department), ctx.generated.date()), text,
                           answers.get(str(c.response), "–"), why))
        out.append(Table(t("roadmap_report.comment_table", lang, n=next(tables)), header, tuple(rows_c),
                         widths=(10, 30, 60, 24, 41), align="cllll", total=False))

    # V. proposals: each cites the section that states its figures
    cite = {key: t("proposals.cite_section", lang, n=ROMAN[n])
            for key, n in (("foundations", 0), ("gaps", 1), ("roadmap", 1))}
    out += report.proposals_section(dataclasses.replace(ctx, tasks=tuple(tasks)), next(sections), head, cite)
    return out


def appendix(ctx: Context, flags: Sequence[Flag], first_table: int) -> list[Block]:
    """After the signature: every indicator with a target and no task, by name, with its domain,
    its department (as on the report's date) and its 2030 target."""
    lang, on = ctx.lang, ctx.generated.date()
    codes = [str(f.params["indicator"]) for f in flags if f.code == "unplanned_target"]
    if not codes:
        return []
    rows = []
    for n, code in enumerate(codes, start=1):
        ind = ctx.catalog.indicator(code)
        goal = formatting.unit_after(formatting.indicator_values(ind.kind, lang, ind.target_2030)[0],
                                     ind.kind, ind.unit(lang))
        rows.append((str(n), ind.name(lang), vocabulary.domain_name(ind.domain, lang),
                     _department(ctx, ind.department, on), goal))
    keys = ("report.col_no", "roadmap_report.col_indicator", "roadmap_report.col_domain",
            "roadmap_report.col_department", "roadmap_report.col_target")
    header = tuple(t(key, lang) for key in keys)
    return [Heading(t("roadmap_report.appendix", lang), 1),
            Para(t("roadmap_report.appendix_title", lang, period=ctx.period), italic=True),
            Table(t("roadmap_report.appendix_table", lang, n=first_table), header, tuple(rows),
                  widths=(10, 72, 30, 38, 20), align="cllll", total=False)]


def _department(ctx: Context, code: str, on) -> str:
    """A department by its name as on `on`; a code the catalog does not know, as it is."""
    found = ctx.catalog.find_department(code)
    return found.name(ctx.lang, on) if found is not None else code


def build(ctx: Context, tasks_frame: pd.DataFrame, comments: pd.DataFrame,
          head: report.Letterhead | None = None) -> bytes:
    """The consolidated report as .docx bytes (text and tables: no figure to render)."""
    started = time.perf_counter()
    head = head or report.letterhead()
    tasks = roadmap.tasks_from_frame(tasks_frame)
    flags = roadmap.flags(tasks, ctx.catalog, int(ctx.period))
    blocks = contents(ctx, tasks, flags, comments, head)
    summary = t("roadmap_report.summary", ctx.lang, period=ctx.period)
    tables = sum(isinstance(b, Table) for b in blocks)
    data = report.docx_bytes(ctx, blocks, {}, head, summary=summary,
                             appendix=appendix(ctx, flags, first_table=tables + 1))
    log.info("consolidated report %s: %d tasks in %.2f s", file_stem(ctx.period, ctx.lang), len(tasks),
             time.perf_counter() - started)
    return data
