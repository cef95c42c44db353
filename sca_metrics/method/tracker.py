"""Who has reported what: the submission tracker, from the store's submissions frame. Pure."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from sca_metrics.reference.catalog import Catalog

SUBMITTED, MISSING, WITHDRAWN = "submitted", "missing", "withdrawn"


def period_status(catalog: Catalog, subs: pd.DataFrame, period: str) -> pd.DataFrame:
    """One row per department of the catalog for one period: submitted, missing, or
    withdrawn (returns exist but none is current); the current version's provenance,
    completeness (values filled / indicators) and warnings; how many versions exist."""
    subs = subs[subs.period.astype(str) == str(period)] if "period" in subs else subs.iloc[0:0]
    # One pass over the period's rows (a few per department), not a filter per department.
    versions: dict[str, int] = {}
    current: dict[str, dict] = {}
    for r in subs.to_dict("records"):
        versions[r["department"]] = versions.get(r["department"], 0) + 1
        if r["status"] == "current":
            current[r["department"]] = r
    rows = []
    for dept in catalog.departments:
        n_versions = versions.get(dept.code, 0)
        row = {"department": dept.code, "state": MISSING, "version": None, "n_versions": n_versions,
               "received_at": None, "uploader": None, "preparer": None, "n_values": 0,
               "n_expected": len(catalog.for_department(dept.code)), "coverage": 0.0,
               "n_warnings": 0, "file_name": None}
        c = current.get(dept.code)
        if c is not None:
            n_values, n_expected = int(c["n_values"]), int(c["n_expected"])
            row.update(state=SUBMITTED, version=int(c["version"]), received_at=c["received_at"],
                       uploader=c["uploader"], preparer=c["preparer"], n_values=n_values,
                       n_expected=n_expected, n_warnings=int(c["n_warnings"]),
                       file_name=c["file_name"], coverage=n_values / n_expected if n_expected else 0.0)
        elif n_versions:
            row["state"] = WITHDRAWN
        rows.append(row)
    return pd.DataFrame(rows).astype({"version": "Int64"})


def missing_departments(status: pd.DataFrame) -> list[str]:
    return list(status.department[status.state != SUBMITTED])


def coverage_matrix(catalog: Catalog, subs: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """Department × period completeness of the current returns (NaN = nothing current)."""
    current = subs[subs.status == "current"]
    cov = {(str(d), str(p)): (float(n) / float(e) if e else 0.0)
           for d, p, n, e in zip(current.department, current.period, current.n_values,
                                 current.n_expected, strict=True)}
    codes = [d.code for d in catalog.departments]
    return pd.DataFrame([[cov.get((d, p)) for p in periods] for d in codes], index=codes,
                        columns=periods, dtype=float)


NOT_STARTED, ON_TIME, LATE = "not_started", "on_time", "late"


def round_status(departments: list[str], deadline: date, subs: pd.DataFrame, period: str,
                 today: date) -> pd.DataFrame:
    """A round's departments, each as it stands on `today`: not started (no current return for
    the period), or submitted on time or late — when its first return still in force arrived
    (a correction after the deadline does not make an on-time return late) — with the days it
    was late, and the days left before the deadline (negative: overdue) for one not started."""
    mine = subs[(subs.period.astype(str) == str(period))] if "period" in subs else subs.iloc[0:0]
    current = set(mine.department[mine.status == "current"])
    first: dict[str, datetime] = {}
    for r in mine.sort_values("received_at").to_dict("records"):
        if r["department"] in current and r["status"] != "withdrawn":
            first.setdefault(r["department"], r["received_at"])
    rows: list[dict[str, object]] = []
    for code in departments:
        at = first.get(code)
        if at is None:
            rows.append({"department": code, "state": NOT_STARTED, "submitted_at": None, "days_late": None,
                         "days_left": (deadline - today).days})
            continue
        late = (pd.Timestamp(at).date() - deadline).days
        rows.append({"department": code, "state": LATE if late > 0 else ON_TIME, "submitted_at": at,
                     "days_late": max(late, 0), "days_left": None})
    columns = ["department", "state", "submitted_at", "days_late", "days_left"]
    return pd.DataFrame(rows, columns=columns).astype({"days_late": "Int64", "days_left": "Int64"})
