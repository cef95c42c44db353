"""Who has reported what: the submission tracker, from the store's submissions frame. Pure."""

from __future__ import annotations

import pandas as pd

from sca_metrics.catalog import Catalog

SUBMITTED, MISSING, WITHDRAWN = "submitted", "missing", "withdrawn"


def period_status(catalog: Catalog, subs: pd.DataFrame, period: str) -> pd.DataFrame:
    """One row per department of the catalog for one period: submitted, missing, or
    withdrawn (returns exist but none is current); the current version's provenance,
    completeness (values filled / indicators) and warnings; how many versions exist."""
    subs = subs[subs.period.astype(str) == str(period)]
    rows = []
    for dept in catalog.departments:
        mine = subs[subs.department == dept.code]
        current = mine[mine.status == "current"]
        n_expected = len(catalog.for_department(dept.code))
        row = {"department": dept.code, "state": MISSING, "version": None, "n_versions": len(mine),
               "received_at": None, "uploader": None, "preparer": None, "n_values": 0,
               "n_expected": n_expected, "coverage": 0.0, "n_warnings": 0, "file_name": None}
        if len(current):
            c = current.iloc[-1]
            row.update(state=SUBMITTED, version=int(c.version), received_at=c.received_at,
                       uploader=c.uploader, preparer=c.preparer, n_values=int(c.n_values),
                       n_expected=int(c.n_expected), n_warnings=int(c.n_warnings),
                       file_name=c.file_name,
                       coverage=int(c.n_values) / int(c.n_expected) if c.n_expected else 0.0)
        elif len(mine):
            row["state"] = WITHDRAWN
        rows.append(row)
    return pd.DataFrame(rows).astype({"version": "Int64"})


def missing_departments(status: pd.DataFrame) -> list[str]:
    return list(status.department[status.state != SUBMITTED])


def coverage_matrix(catalog: Catalog, subs: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """Department × period completeness of the current returns (NaN = nothing current)."""
    current = subs[subs.status == "current"]
    cov = {(r.department, str(r.period)): (r.n_values / r.n_expected if r.n_expected else 0.0)
           for r in current.itertuples()}
    codes = [d.code for d in catalog.departments]
    return pd.DataFrame([[cov.get((d, p)) for p in periods] for d in codes], index=codes,
                        columns=periods, dtype=float)
