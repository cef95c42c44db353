"""The roadmap: the departments' tasks for the programme, in its order — the foundations' layers
(architecture framework → infrastructure → operations centres), then the smart domains — and
what is wrong with the plan. Pure: tasks and the catalog in; a timeline, budget totals and flags
out (docs/roadmap.md).

A flag says what is wrong and why, in both languages:
- ``before_dependency`` — a task is scheduled to start before the year a layer or task it
  depends on is scheduled to be done (a layer: the year its last task ends; starting in that
  year is the programme's own overlap of phases), unless that was done already, before the
  task's start; or it depends on a layer no task builds;
- ``unmeasured`` — a task linked to no catalog indicator: its progress is not measured;
- ``delayed`` — a task reported delayed, or past its end year and not done;
- ``unplanned_target`` — a catalog indicator with a target that no task works towards;
- ``project_unlinked`` — a department's sector project none of whose tasks is in a programme
  area;
- ``area_without_task`` — a smart domain or foundations layer with no task.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sca_metrics.reference import vocabulary
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.i18n import t

TASK_FLAGS = ("before_dependency", "unmeasured", "delayed")  # about one task
ROADMAP_FLAGS = ("unplanned_target", "project_unlinked", "area_without_task")  # about the plan as a whole
FLAG_CODES = TASK_FLAGS + ROADMAP_FLAGS
OUTSIDE = vocabulary.OUTSIDE.code  # a task of a sector project in no programme area


@dataclass(frozen=True)
class Task:
    """One task (nhiệm vụ) a department proposes. `area`: a foundations layer or a smart domain,
    or OUTSIDE; `depends_on`: task codes or layer codes; `budget`: billion VND."""

    code: str
    name: str
    area: str
    phase: str
    start_year: int
    end_year: int
    lead_department: str
    partners: tuple[str, ...] = ()
    sector_project: str | None = None
    budget: float | None = None
    budget_source: str | None = None
    status: str = "not_started"
    note: str | None = None
    depends_on: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flag:
    """Something wrong with the plan: about a task (`task`), or about the plan as a whole."""

    code: str
    task: str | None = None
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str, catalog: Catalog | None = None) -> str:
        """The flag's reason, the names in the language (an indicator's name from the catalog)."""
        params = dict(self.params)
        if "area" in params:
            params["area"] = area_name(str(params["area"]), lang)
        if "dependency" in params and params["dependency"] in vocabulary.LAYER_CODES:
            params["dependency"] = area_name(str(params["dependency"]), lang)
        if "department" in params and catalog is not None and (
                found := catalog.find_department(str(params["department"]))) is not None:
            params["department"] = found.name(lang)  # as it is named today
        if "indicator" in params and catalog is not None:
            code = str(params["indicator"])
            params["indicator"] = f"{code} · {catalog.indicator(code).name(lang)}"
        if self.code == "before_dependency" and params.get("ready") is None:
            return t("roadmap.flag_before_unplanned", lang, **params)
        if self.code == "delayed" and "end" in params:
            return t("roadmap.flag_overdue", lang, **params)
        return t(f"roadmap.flag_{self.code}", lang, **params)


def by_domain(found: Sequence[Flag], catalog: Catalog) -> dict[str, list[Flag]]:
    """Flags about indicators (targets without a task) by the domain of their indicator —
    foundations first, then the smart domains, in the programme's order."""
    groups: dict[str, list[Flag]] = {}
    for flag in found:
        groups.setdefault(catalog.indicator(str(flag.params["indicator"])).domain, []).append(flag)
    return dict(sorted(groups.items(), key=lambda item: vocabulary.DOMAIN_CODES.index(item[0])))


def area_name(code: str, lang: str) -> str:
    return vocabulary.term(vocabulary.AREA_CHOICES, code).name(lang)


# ---- the plan's order ----

def area_rank(area: str) -> int:
    """The programme's order: the layers, then the domains, then what lies outside it."""
    codes = vocabulary.AREA_CODES
    return codes.index(area) if area in codes else len(codes)


def timeline(tasks: Iterable[Task]) -> list[Task]:
    """Tasks in the order the roadmap shows them: by area in the programme's order, then by
    start and end year, then by code."""
    return sorted(tasks, key=lambda k: (area_rank(k.area), k.start_year, k.end_year, k.code))


def by_area(tasks: Iterable[Task]) -> dict[str, list[Task]]:
    """Every programme area in its order with its tasks in timeline order — an area without a
    task too —, then the tasks outside the programme when there are any."""
    out: dict[str, list[Task]] = {area: [] for area in vocabulary.AREA_CODES}
    for task in timeline(tasks):
        out.setdefault(task.area, []).append(task)
    if not out.get(OUTSIDE):
        out.pop(OUTSIDE, None)
    return out


def layer_ready(tasks: Sequence[Task], layer: str) -> tuple[bool, int | None]:
    """(done, the year it is done or scheduled to be): done when every task of the layer is;
    scheduled in the year its last task ends; (False, None) when no task builds it."""
    return layers_ready(tasks).get(layer, (False, None))


def layers_ready(tasks: Iterable[Task]) -> dict[str, tuple[bool, int | None]]:
    """`layer_ready` of every layer some task builds, in one pass over the tasks."""
    out: dict[str, tuple[bool, int | None]] = {}
    for k in tasks:
        if k.area in vocabulary.LAYER_CODES:
            done, year = out.get(k.area, (True, k.end_year))
            out[k.area] = (done and k.status == "done", max(year or k.end_year, k.end_year))
    return out


# ---- flags ----

def flags(tasks: Sequence[Task], catalog: Catalog, as_of: int) -> list[Flag]:
    """Every flag of the plan in period `as_of` (a calendar year): the tasks' in timeline order,
    then the plan's. Linear in tasks, dependencies and indicators: what a layer or task is
    ready by is looked up, never searched for."""
    ready: dict[str, tuple[bool, int | None]] = {k.code: (k.status == "done", k.end_year) for k in tasks}
    ready.update(layers_ready(tasks))
    out: list[Flag] = []
    for task in timeline(tasks):
        for dependency in task.depends_on[: vocabulary.MAX_DEPENDENCIES]:  # a plan stored before the limit
            done, year = ready.get(dependency, (False, None))
            # scheduled to start before the year what it rests on is ready — unless that was
            # done already before the task started (done as of a period before its start)
            if year is None or (task.start_year < year and not (done and as_of < task.start_year)):
                out.append(Flag("before_dependency", task.code, {
                    "task": task.code, "start": task.start_year, "dependency": dependency, "ready": year}))
        if not task.indicators and task.area != OUTSIDE:
            out.append(Flag("unmeasured", task.code, {"task": task.code}))
        if task.status == "delayed":
            out.append(Flag("delayed", task.code, {"task": task.code, "note": task.note or "–"}))
        elif task.status != "done" and task.end_year < as_of:  # past its end, not done
            out.append(Flag("delayed", task.code, {"task": task.code, "end": task.end_year}))
    linked = {code for k in tasks if k.area != OUTSIDE for code in k.indicators}
    for ind in catalog.indicators:
        if (ind.target_2025 is not None or ind.target_2030 is not None) and ind.code not in linked:
            out.append(Flag("unplanned_target", None, {"indicator": ind.code}))
    projects: dict[tuple[str, str], list[Task]] = {}
    for task in tasks:
        if task.sector_project:
            projects.setdefault((task.lead_department, task.sector_project), []).append(task)
    for (department, project), mine in projects.items():
        if all(k.area == OUTSIDE for k in mine):
            out.append(Flag("project_unlinked", None, {"department": department, "project": project}))
    planned = {k.area for k in tasks}
    for area in vocabulary.AREA_CODES:
        if area not in planned:
            out.append(Flag("area_without_task", None, {"area": area}))
    return out


# ---- totals ----

def budget(tasks: Iterable[Task], by: Sequence[str] = ("area", "phase", "budget_source")) -> pd.DataFrame:
    """Budget totals (billion VND) by the given fields, in the programme's order; tasks without
    a budget count in `n_unbudgeted`."""
    rows = [{"area": k.area, "phase": k.phase, "budget_source": k.budget_source or "other",
             "lead_department": k.lead_department, "budget": k.budget} for k in tasks]
    frame = pd.DataFrame(rows, columns=["area", "phase", "budget_source", "lead_department", "budget"])
    grouped = frame.groupby(list(by), sort=False, dropna=False).agg(
        budget=("budget", lambda b: float(b.dropna().sum())),
        n_tasks=("budget", "size"), n_unbudgeted=("budget", lambda b: int(b.isna().sum())))
    out = grouped.reset_index()
    if "area" in by:
        rest = [b for b in by if b != "area"]
        out = out.assign(_rank=out.area.map(area_rank)).sort_values(["_rank", *rest]).drop(columns="_rank")
    return out.reset_index(drop=True)



# ---- from the store, and out as records ----

def tasks_from_frame(frame: pd.DataFrame) -> list[Task]:
    """The tasks of a plan frame (the store's `roadmap_tasks`)."""
    def items(value) -> tuple[str, ...]:
        return tuple(str(v) for v in value) if value is not None and not isinstance(value, float) else ()

    def text(value) -> str | None:
        return str(value) if isinstance(value, str) and value else None

    def budget(value) -> float | None:
        return None if value is None or pd.isna(value) else float(value)

    return [Task(code=str(r["code"]), name=str(r["name"]), area=str(r["area"]), phase=str(r["phase"]),
                 start_year=int(r["start_year"]), end_year=int(r["end_year"]),
                 lead_department=str(r["department"]), partners=items(r["partners"]),
                 sector_project=text(r["sector_project"]), budget=budget(r["budget"]),
                 budget_source=text(r["budget_source"]), status=str(r["status"]), note=text(r["note"]),
                 depends_on=items(r["depends_on"]), indicators=items(r["indicators"]))
            for r in frame.to_dict("records")]


def task_records(tasks: Sequence[Task], found: Sequence[Flag], lang: str,
                 catalog: Catalog) -> list[dict[str, Any]]:
    """One record per task, in timeline order, with its flags (code and message) — the
    command line's `roadmap` output."""
    by_task: dict[str, list[Flag]] = {}
    for flag in found:
        if flag.task is not None:
            by_task.setdefault(flag.task, []).append(flag)
    return [{
        "code": k.code, "name": k.name, "domain": k.area, "domain_name": area_name(k.area, lang),
        "phase": k.phase, "start_year": k.start_year, "end_year": k.end_year,
        "lead_department": k.lead_department, "partners": list(k.partners),
        "sector_project": k.sector_project, "budget": k.budget, "budget_source": k.budget_source,
        "status": k.status, "note": k.note, "depends_on": list(k.depends_on),
        "indicators": list(k.indicators),
        "flags": [{"code": f.code, "message": f.message(lang, catalog)} for f in by_task.get(k.code, [])],
    } for k in timeline(tasks)]
