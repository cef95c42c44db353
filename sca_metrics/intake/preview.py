"""What a valid upload would change against the current submission, before it is stored."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from sca_metrics.intake import layout
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.store.records import CheckedReturn, Record, UnitRecord

NEW, CHANGED, REMOVED, UNCHANGED = "new", "changed", "removed", "unchanged"
CHANGE_ORDER = (NEW, CHANGED, REMOVED, UNCHANGED)


def _text(v) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)


def changes(checked: CheckedReturn, current: pd.DataFrame) -> pd.DataFrame:
    """One row per value in either version — per indicator, and per indicator and ward for
    the ward sheet: new (a value where there was none), changed (value, quality or evidence
    differ), removed (a value that the upload leaves empty), unchanged. `current`: the
    current values of the same department and period (indicator, value, quality, evidence,
    and unit for ward values); empty when nothing was submitted yet."""
    units = current.unit if "unit" in current else pd.Series([""] * len(current), index=current.index)
    old: dict[tuple[str, str], Any] = {(str(r.indicator), u if isinstance(u, str) else ""): r
                                       for r, u in zip(current.itertuples(), units, strict=True)}
    rows = []
    seen = set()
    received: list[Record | UnitRecord] = [*checked.records, *checked.unit_records]
    for rec in received:
        key = (rec.indicator, getattr(rec, "unit", ""))
        seen.add(key)
        before = old.get(key)
        old_value = None if before is None else before.value
        old_value = None if old_value is None or old_value != old_value else old_value
        if rec.value is None:
            change = REMOVED if old_value is not None else UNCHANGED
        elif old_value is None:
            change = NEW
        elif (before is None or not math.isclose(rec.value, old_value, rel_tol=1e-9, abs_tol=1e-12)
              or rec.quality != _text(before.quality)
              or _text(rec.evidence) != _text(before.evidence)):
            change = CHANGED
        else:
            change = UNCHANGED
        rows.append({"indicator": key[0], "unit": key[1], "change": change, "old_value": old_value,
                     "new_value": rec.value, "old_quality": None if before is None else before.quality,
                     "new_quality": rec.quality,
                     "old_evidence": None if before is None else _text(before.evidence) or None,
                     "new_evidence": rec.evidence or None, "cell": rec.cell})
    for key, before in old.items():  # rows deleted from the workbook altogether
        if key not in seen and before.value == before.value and before.value is not None:
            rows.append({"indicator": key[0], "unit": key[1], "change": REMOVED,
                         "old_value": before.value, "new_value": None,
                         "old_quality": before.quality, "new_quality": None,
                         "old_evidence": _text(before.evidence) or None, "new_evidence": None,
                         "cell": None})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    order = {c: i for i, c in enumerate(CHANGE_ORDER)}
    return frame.sort_values(["change", "indicator", "unit"],
                             key=lambda s: s.map(order) if s.name == "change" else s,
                             kind="stable").reset_index(drop=True)


COLUMNS = ["indicator", "unit", "change", "old_value", "new_value", "old_quality", "new_quality",
           "old_evidence", "new_evidence", "cell"]


def summary(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame.change.value_counts()
    return {c: int(counts.get(c, 0)) for c in CHANGE_ORDER}


# ---- the plan: what a return changes in the department's tasks and comments ----

TASK, COMMENT = "task", "comment"
TASK_FIELDS = ("name", "area", "phase", "start_year", "end_year", "partners", "sector_project", "decision",
               "budget", "budget_source", "status", "note", "depends_on", "indicators")
PLAN_COLUMNS = ["kind", "key", "text", "change", "fields", "before", "after", "cell"]


def _plain(v: object) -> object:
    """A field's value as a read or stored one compares: a list (the store gives arrays back) as
    a tuple of texts, any blank — None, NaN, "", no items — as None."""
    if hasattr(v, "tolist"):
        v = v.tolist()
    if isinstance(v, list | tuple):
        return tuple(str(x) for x in v) or None
    if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
        return None
    return v


def _same(a: object, b: object) -> bool:
    """Two values of a field alike: a blank is a blank, a list compares by its items, a number
    to the float's precision."""
    a, b = _plain(a), _plain(b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def roadmap_changes(checked: CheckedReturn, before_tasks: pd.DataFrame, before_comments: pd.DataFrame,
                 fallback_tasks: pd.DataFrame, fallback_comments: pd.DataFrame) -> pd.DataFrame:
    """What the roadmap of the return's period will show differently once it is stored: one row
    per task (by code) and per comment (by section and text) before or after — new, changed
    (with the fields that differ), removed, unchanged. `before_*`: the department's plan as of
    the period now (the store's `roadmap_tasks` / `roadmap_comments` of it); `fallback_*`: its plan
    as of the period before, which the roadmap shows instead when the return has no tasks (or
    no comments) — docs/roadmap.md."""
    rows: list[dict[str, Any]] = []
    old = {str(r["code"]): r for r in before_tasks.to_dict("records")}
    new: dict[str, tuple[dict, str | None]]
    if checked.tasks:
        new = {k.code: ({f: getattr(k, f) for f in TASK_FIELDS}, f"{layout.SHEET_TASKS.vi}!A{k.row}")
               for k in checked.tasks}
    else:
        new = {str(r["code"]): (r, None) for r in fallback_tasks.to_dict("records")}
    for code, (after, cell) in new.items():
        before = old.get(code)
        fields = [] if before is None else [f for f in TASK_FIELDS if not _same(before.get(f), after.get(f))]
        change = NEW if before is None else CHANGED if fields else UNCHANGED
        rows.append({"kind": TASK, "key": code, "text": str(after.get("name") or ""), "change": change,
                     "fields": fields, "before": {f: before[f] for f in fields} if before else {},
                     "after": {f: after.get(f) for f in fields}, "cell": cell})
    for code, before in old.items():
        if code not in new:
            rows.append({"kind": TASK, "key": code, "text": str(before.get("name") or ""), "change": REMOVED,
                         "fields": [], "before": {}, "after": {}, "cell": None})

    def said(section: object, comment: object) -> tuple[str, str]:
        return str(section or ""), str(comment or "")

    old_comments = {said(r["section"], r["comment"]): r for r in before_comments.to_dict("records")}
    new_comments: dict[tuple[str, str], tuple[object, str | None]]
    if checked.comments:
        new_comments = {said(m.section, m.comment): (m.proposal, f"{layout.SHEET_COMMENTS.vi}!A{m.row}")
                        for m in checked.comments}
    else:
        new_comments = {said(r["section"], r["comment"]): (r.get("proposal"), None)
                        for r in fallback_comments.to_dict("records")}
    for key, (proposal, cell) in new_comments.items():
        before = old_comments.get(key)
        differs = before is not None and not _same(before.get("proposal"), proposal)
        change = NEW if before is None else CHANGED if differs else UNCHANGED
        rows.append({"kind": COMMENT, "key": key[0], "text": key[1], "change": change,
                     "fields": ["proposal"] if differs else [],
                     "before": {"proposal": before.get("proposal")} if differs and before else {},
                     "after": {"proposal": proposal} if differs else {}, "cell": cell})
    for key in old_comments:
        if key not in new_comments:
            rows.append({"kind": COMMENT, "key": key[0], "text": key[1], "change": REMOVED, "fields": [],
                         "before": {}, "after": {}, "cell": None})
    frame = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    order = {c: i for i, c in enumerate(CHANGE_ORDER)}
    return frame.sort_values(["kind", "change", "key"], ascending=[False, True, True], kind="stable",
                             key=lambda s: s.map(order) if s.name == "change" else s).reset_index(drop=True)


def roadmap_summary(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """kind → change → count, every change named (0 when none)."""
    return {kind: {c: int(((frame.kind == kind) & (frame.change == c)).sum()) for c in CHANGE_ORDER}
            for kind in (TASK, COMMENT)}


_TERMS = {"area": vocabulary.AREA_CHOICES, "phase": vocabulary.PHASES, "status": vocabulary.TASK_STATUSES,
          "budget_source": vocabulary.BUDGET_SOURCES}
_LABELS = {c.key: c for c in layout.TASK_COLUMNS + layout.COMMENT_COLUMNS}


def field_value(field: str, value: object, lang: str) -> str:
    """A stored value of a task's (or comment's) field as the preview writes it: a choice by its
    name, a list joined, a budget in the language's number format, nothing as "–"."""
    value = _plain(value)
    if value is None:
        return "–"
    if isinstance(value, tuple):
        return layout.joined(value)
    if field in _TERMS:
        return vocabulary.term(_TERMS[field], str(value)).name(lang)
    if field == "budget":
        return formatting.number(float(value), lang, 1, fixed=True)  # type: ignore[arg-type]
    return str(value)


def describe(fields: list[str], before: dict, after: dict, lang: str) -> str:
    """What changed in a task or a comment, field by field: "Status: In progress → Done"."""
    def label(field: str) -> str:
        found = _LABELS[field]
        return found.vi if lang == "vi" else found.en

    def one(f: str) -> str:
        return f"{label(f)}: {field_value(f, before.get(f), lang)} → {field_value(f, after.get(f), lang)}"

    return "; ".join(one(f) for f in fields)
