"""Proposals (đề xuất, kiến nghị): what the Steering Committee is asked to decide, drawn from the
data — each says what, who and by when, and cites the figure or table it rests on. Pure: scores,
the catalog, the submissions and the plan in; proposals out, worded in either language
(docs/METHOD.md, "Proposals").

The rules, in the order the proposals are numbered:
- ``behind`` — the smart domains furthest behind their target (at most BEHIND), each with the
  indicator that costs it most of the points it lacks (its share of 100 − S); led by that
  indicator's department, by the end of the target year;
- ``foundations`` — a foundations layer that holds domains back: tasks scheduled to start before
  the layer they depend on is ready (the roadmap's ``before_dependency``), or, without such
  tasks, the lowest layer standing below domains built on it; led by the layer's departments,
  by the end of the year the first of those tasks starts (the next year for the second case);
- ``delayed`` — delayed tasks, one proposal per lead department; a recovery plan by the end
  of the first quarter after the period;
- ``missing`` — departments that sent no current return for the period, within FOLLOW_UP_DAYS
  of the document's date;
- ``unbudgeted`` (``unplanned`` when it has no task at all) — a phase not yet over with no budget
  planned inside the programme; the lead department consolidates the departments' proposals by
  mid-year after the period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from sca_metrics.method import foundations, roadmap, tracker
from sca_metrics.method.roadmap import Task
from sca_metrics.method.scoring import Scores, target_year
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.reference.bodies import LEAD, default_bodies
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.i18n import t

BEHIND = 3  # domains named: the committee decides on a few, the tables hold every one
DELAYED_DEPARTMENTS = 5  # delayed tasks' departments named (the most delayed tasks first)
NAMES = 5  # task or department names in one proposal before "and N more"
FOLLOW_UP_DAYS = 30  # a missing return is asked for within a month of the document
LEAD_BODY = "@lead"  # `who`: the lead department as it is on the document's date


@dataclass(frozen=True)
class Proposal:
    """One proposal: `kind` (see the module), `who` (department codes, or LEAD_BODY), `by` (a
    date), `cites` (what it rests on: "gaps", "foundations", "roadmap", "submissions" — each
    document maps them to its own figure, table or page) and the figures it states (`params`,
    codes not names)."""

    kind: str
    who: tuple[str, ...]
    by: date
    cites: tuple[str, ...]
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str, catalog: Catalog, on: date, cite: Mapping[str, str]) -> str:
        """The proposal as a sentence: what, then who (each body as named on `on`, the document's
        date), by when, and where its figures are (`cite`: key → "Hình 3", "slide «…»")."""
        params = {k: _said(k, v, lang, catalog) for k, v in self.params.items()}
        what = t(f"proposals.{self.kind}", lang, **params)
        who = _list([_body(code, lang, catalog, on) for code in self.who], lang)
        where = _list([cite.get(key) or t(f"proposals.cite_{key}", lang) for key in self.cites], lang)
        return t("proposals.sentence", lang, what=what, who=who,
                 by=formatting.day(self.by, lang), cite=where)


def proposals(scores: Scores, catalog: Catalog, submissions: pd.DataFrame, tasks: Sequence[Task],
              on: date) -> list[Proposal]:
    """Every proposal for the period of `scores`, in the order above; `on`: the document's date
    (what a follow-up is counted from); `tasks`: the plan (none: no plan proposal)."""
    period = int(scores.period)
    out = _behind(scores, catalog)
    roadmap_flags = roadmap.flags(tasks, catalog, period) if tasks else []
    out += _foundations(scores, catalog, tasks, roadmap_flags, period)
    out += _delayed(tasks, roadmap_flags, period)
    status = tracker.period_status(catalog, submissions, scores.period)
    if missing := tracker.missing_departments(status):
        out.append(Proposal("missing", tuple(missing), on + timedelta(days=FOLLOW_UP_DAYS),
                            ("submissions",), {"period": scores.period, "n": len(missing)}))
    out += _unbudgeted(tasks, period)
    return out


def _behind(s: Scores, catalog: Catalog) -> list[Proposal]:
    year = target_year(s.period)
    domains = s.domains[(s.domains.domain != vocabulary.FOUNDATIONS) & (s.domains.gap > 0)]
    out = []
    for row in domains.sort_values("gap", ascending=False, kind="stable").head(BEHIND).itertuples():
        ind = s.indicators[(s.indicators.domain == row.domain) & (s.indicators.gap_contribution > 0)]
        if ind.empty or year is None:
            continue
        top = ind.iloc[int(ind.gap_contribution.to_numpy().argmax())]
        indicator = catalog.indicator(str(top.code))
        target = indicator.target_2025 if year == 2025 else indicator.target_2030
        out.append(Proposal("behind", (indicator.department,), date(year, 12, 31), ("gaps",), {
            "domain": row.domain, "score": row.score, "target": row.target_score, "year": year,
            "indicator": indicator.code, "value": (indicator.code, _float(top.value)),
            "goal": (indicator.code, _float(target)), "points": float(top.gap_contribution)}))
    return out


def _float(x: float | None) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _foundations(s: Scores, catalog: Catalog, tasks: Sequence[Task], roadmap_flags: Sequence[roadmap.Flag],
                 period: int) -> list[Proposal]:
    """The layer that holds domains back: by the plan's schedule first, else by its level."""
    by_code = {k.code: k for k in tasks}
    built = roadmap.layers_ready(tasks)
    early: dict[str, list[Task]] = {}
    for flag in roadmap_flags:  # still ahead: neither the task nor the layer is done
        layer = str(flag.params.get("dependency"))
        if flag.code != "before_dependency" or layer not in vocabulary.LAYER_CODES:
            continue
        task = by_code[str(flag.task)]
        if task.status != "done" and not built.get(layer, (False, None))[0]:
            early.setdefault(layer, []).append(task)
    if early:
        layer, waiting = min(early.items(), key=lambda item: vocabulary.LAYER_CODES.index(item[0]))
        ready = built.get(layer, (False, None))[1]
        builders = _departments(k.lead_department for k in tasks if k.area == layer) or (LEAD_BODY,)
        start = min(k.start_year for k in waiting)
        return [Proposal("foundations_early" if ready else "foundations_unbuilt", builders,
                         date(max(start, period), 12, 31), ("foundations", "roadmap"),
                         {"layer": layer, "ready": ready, "tasks": tuple(k.name for k in waiting)})]
    standing = foundations.readiness(s, catalog).set_index("area")
    low, level = foundations.lowest(standing)
    ahead = standing[standing.ahead.fillna(0) > 0]
    if low is None or level is None or ahead.empty:
        return []
    measured = foundations.layer_indicators(catalog).get(low, ())
    who = _departments(catalog.indicator(code).department for code in measured) or (LEAD_BODY,)
    return [Proposal("foundations_low", who, date(period + 1, 12, 31), ("foundations",),
                     {"layer": low, "level": level, "next": level + 1, "domains": tuple(ahead.index)})]


def _delayed(tasks: Sequence[Task], roadmap_flags: Sequence[roadmap.Flag], period: int) -> list[Proposal]:
    by_code = {k.code: k for k in tasks}
    late: dict[str, list[Task]] = {}
    for flag in roadmap_flags:
        if flag.code == "delayed":
            task = by_code[str(flag.task)]
            late.setdefault(task.lead_department, []).append(task)
    ordered = sorted(late.items(), key=lambda item: (-len(item[1]), min(k.end_year for k in item[1])))
    return [Proposal("delayed", (dept,), date(period + 1, 3, 31), ("roadmap",),
                     {"n": len(mine), "tasks": tuple(k.name for k in mine)})
            for dept, mine in ordered[:DELAYED_DEPARTMENTS]]


def _unbudgeted(tasks: Sequence[Task], period: int) -> list[Proposal]:
    if not tasks:
        return []
    out = []
    for phase in vocabulary.PHASES:
        end = int(phase.code.split("-")[1])
        if end < period:
            continue
        inside = [k for k in tasks if k.phase == phase.code and k.area != roadmap.OUTSIDE]
        if sum(k.budget or 0 for k in inside) <= 0:
            kind = "unbudgeted" if inside else "unplanned"
            out.append(Proposal(kind, (LEAD_BODY,), date(period + 1, 6, 30), ("roadmap",),
                                {"phase": phase.code, "n": len(inside)}))
    return out


def _departments(codes) -> tuple[str, ...]:
    """Distinct codes in their first order."""
    return tuple(dict.fromkeys(codes))


# ---- wording ----

def _body(code: str, lang: str, catalog: Catalog, on: date) -> str:
    if code == LEAD_BODY:
        return default_bodies().holder(LEAD, on).name(lang)
    return catalog.department(code).name(lang, on)


def _list(names: Sequence[str], lang: str) -> str:
    """"A, B và C" / "A, B and C"; past NAMES, "… và N khác"."""
    if len(names) > NAMES:
        return t("proposals.and_more", lang, names=", ".join(names[:NAMES]), n=len(names) - NAMES)
    if len(names) <= 1:
        return "".join(names)
    return t("proposals.and", lang, first=", ".join(names[:-1]), last=names[-1])


def _said(key: str, value: object, lang: str, catalog: Catalog) -> object:
    """A parameter in words: a code by its name, a number as the language writes it (a count
    stays a number: it picks the message's plural form)."""
    if key == "domain":
        return vocabulary.domain_name(str(value), lang)
    if key == "layer":
        return foundations.layer_name(str(value), lang)
    if key == "domains":
        return _list([vocabulary.domain_name(str(c), lang) for c in value], lang)  # type: ignore[attr-defined]
    if key == "indicator":
        return catalog.indicator(str(value)).short_name(lang)
    if key in ("value", "goal"):
        code, x = value if isinstance(value, tuple) else (str(value), None)
        indicator = catalog.indicator(str(code))
        return formatting.unit_after(formatting.indicator_values(indicator.kind, lang, x)[0], indicator.kind,
                                     indicator.unit(lang))
    if key == "tasks":
        return _list([f"«{name}»" for name in value], lang)  # type: ignore[attr-defined]
    if key == "phase":
        return vocabulary.term(vocabulary.PHASES, str(value)).name(lang)
    if key == "ready" and value is None:
        return "–"
    if isinstance(value, float):
        return formatting.number(value, lang, 1, fixed=True)
    return value

