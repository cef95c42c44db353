"""The sentences every document states its numbers in, built from the same scores as its
figures ("Y tế đạt 64,7 điểm, mức 4 — Quản lý"), and its numbered proposals.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from sca_metrics.method import proposals
from sca_metrics.method.scoring import SCORE_DECIMALS, Scores, level_name, target_year
from sca_metrics.outputs.documents.context import Context
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.reference.i18n import t


def rows(frame: pd.DataFrame) -> Iterator[Any]:
    """A frame's rows as named tuples, one field per column."""
    return frame.itertuples()


def num(x: float, lang: str, decimals: int = 1) -> str:
    return formatting.number(x, lang, decimals, fixed=True)


def domain_sentence(row, lang: str) -> str:
    """"Y tế đạt 64,7 điểm, mức 4 — Quản lý", or why a domain has no score."""
    name = vocabulary.domain_name(row.domain, lang)
    if pd.isna(row.score):
        return t("briefing.domain_missing", lang, domain=name,
                 reason=t(f"reason.{row.reason or 'no_data'}", lang))
    lv = int(row.level)
    return t("briefing.domain_reached", lang, domain=name, score=num(row.score, lang), level=lv,
             level_name=level_name(lv, lang))


def drivers_sentence(scores: Scores, domain: str, lang: str) -> str:
    cells = scores.cells[scores.cells.domain == domain].set_index("driver")
    parts = [f"{drv.name(lang).lower()} {num(cells.score.get(drv.code, np.nan), lang)}"
             for drv in vocabulary.DRIVERS]
    return t("briefing.drivers", lang, parts=" · ".join(parts))


def target_sentence(row, lang: str) -> str:
    """Against the period's own target (its target_year: 2025 up to 2025, 2030 from 2026)."""
    year = row.target_year
    if pd.isna(row.target_score) or pd.isna(row.score):
        return t("briefing.no_target", lang, year=year if not pd.isna(year) else "–")
    if row.gap <= 0:
        return t("briefing.target_met", lang, year=year, target=num(row.target_score, lang))
    return t("briefing.target_gap", lang, year=year, target=num(row.target_score, lang),
             gap=num(row.gap, lang))


def smart_domains(scores: Scores) -> pd.DataFrame:
    return scores.domains[scores.domains.domain != vocabulary.FOUNDATIONS]


def proposal_lines(ctx: Context, cite: dict[str, str]) -> tuple[str, ...]:
    """The numbered proposals of the period (sca_metrics.method.proposals), each naming its
    bodies as on the document's date and citing where its figures are (`cite`: key → the
    document's own figure, table or slide); none when there is nothing to decide."""
    on = ctx.generated.date()
    found = proposals.proposals(ctx.scores, ctx.catalog, ctx.submissions, ctx.tasks, on)
    return tuple(t("proposals.numbered", ctx.lang, n=k, text=p.text(ctx.lang, ctx.catalog, on, cite))
                 for k, p in enumerate(found, start=1))


def headline_change(now, before, previous: str, lang: str) -> list[str]:
    """The change of the overall score as the reader can check it — the difference of the two
    scores as printed ("65,1 − 59,8 = 5,3") —, the like-for-like change beside it when the
    indicators reported differ between the periods (and why the two differ), then what it
    means in plain words: the level now against before, and the points to the next level."""
    if pd.isna(before.score):
        return []
    shown = round(float(now.score), SCORE_DECIMALS) - round(float(before.score), SCORE_DECIMALS)
    out = [t("briefing.overall_up" if shown >= 0 else "briefing.overall_down", lang,
             change=num(abs(shown), lang), previous=previous, before=num(before.score, lang),
             now=num(now.score, lang))]
    if now.get("set_changed", False):
        like = float(now.change)
        out.append(t("briefing.like_for_like_up" if like >= 0 else "briefing.like_for_like_down", lang,
                     change=num(abs(like), lang)))
    lv, lv_before = int(now.level), int(before.level)
    key = "briefing.meaning_up" if lv > lv_before else "briefing.meaning_down" if lv < lv_before \
        else "briefing.meaning_same"
    meaning = t(key, lang, level=lv, level_name=level_name(lv, lang), before_level=lv_before,
                previous=previous)
    if not pd.isna(now.points_to_next_level):
        meaning += " " + t("briefing.next_level", lang, points=num(now.points_to_next_level, lang),
                           next=lv + 1)
    return [*out, meaning]


def heatmap_sentences(s: Scores, lang: str) -> tuple[str, ...]:
    cells = s.cells[s.cells.domain != vocabulary.FOUNDATIONS]
    scored = cells[cells.score.notna()]
    out = []
    if len(scored):
        score = scored.score.to_numpy()
        hi, lo = scored.iloc[int(np.argmax(score))], scored.iloc[int(np.argmin(score))]
        for key, row in (("briefing.cell_high", hi), ("briefing.cell_low", lo)):
            out.append(t(key, lang, domain=vocabulary.domain_name(row.domain, lang),
                         driver=vocabulary.term(vocabulary.DRIVERS, row.driver).name(lang),
                         score=num(row.score, lang), level=int(row.level)))
        levels = scored.level.astype(int).value_counts()
        out.append(t("briefing.cells_by_level", lang, n=len(scored), parts=", ".join(
            t("briefing.level_count", lang, count=int(levels[lv]), level=lv)
            for lv in sorted(levels.index, reverse=True))))
    if n_missing := len(cells) - len(scored):
        out.append(t("briefing.cells_missing", lang, n=n_missing))
    return tuple(out)


def change_sentences(s: Scores, previous: Scores, lang: str) -> tuple[str, ...]:
    d = smart_domains(s)[["domain", "score"]].merge(
        smart_domains(previous)[["domain", "score"]], on="domain", suffixes=("", "_prev"))
    d = d.assign(change=d.score - d.score_prev).dropna(subset=["change"])
    if d.empty:
        return (t("briefing.no_change", lang, previous=previous.period),)
    up, down = int((d.change > 0).sum()), int((d.change < 0).sum())
    best = d.iloc[int(np.argmax(d.change.to_numpy()))]
    out = [t("briefing.change_counts", lang, previous=previous.period, up=up, down=down),
           t("briefing.change_best", lang, domain=vocabulary.domain_name(best.domain, lang),
             change=("+" if best.change >= 0 else "−") + num(abs(best.change), lang))]
    if down:
        worst = d.iloc[int(np.argmin(d.change.to_numpy()))]
        out.append(t("briefing.change_worst", lang, domain=vocabulary.domain_name(worst.domain, lang),
                     change=num(abs(worst.change), lang)))
    return tuple(out)


def gap_sentences(s: Scores, lang: str) -> tuple[str, ...]:
    d = smart_domains(s).dropna(subset=["gap"]).sort_values("gap", ascending=False)
    behind, met = d[d.gap > 0], d[d.gap <= 0]
    year = target_year(s.period)
    out = []
    if len(behind):
        out.append(t("briefing.gaps_top", lang, year=year, parts="; ".join(
            t("briefing.gap_part", lang, domain=vocabulary.domain_name(str(r.domain), lang),
              gap=num(r.gap, lang), score=num(r.score, lang), target=num(r.target_score, lang))
            for r in rows(behind.head(3)))))
    if len(met):
        out.append(t("briefing.gaps_met", lang, n=len(met), year=year,
                     names=", ".join(vocabulary.domain_name(c, lang) for c in met.domain)))
    else:
        out.append(t("briefing.gaps_none_met", lang, year=year))
    return tuple(out)


# What a pack shows of a list that grows with the country (the slides are read in a meeting; the
# dashboard's pages hold every row): pilot indicators, departments in the completeness chart,
# names in a sentence.
PACK_ITEMS, PACK_ROWS, PACK_NAMES = 7, 12, 20  # 7 bars: what the pilot slide's figure holds legibly


def some(names: list[str], more_key: str, lang: str) -> str:
    """The first PACK_NAMES names, then how many more ("… và 14 đơn vị khác")."""
    shown = "; ".join(names[:PACK_NAMES])
    return t(more_key, lang, names=shown, n=len(names) - PACK_NAMES) if len(names) > PACK_NAMES else shown
