"""What a valid upload would change against the current submission, before it is stored."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

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
