"""Reporting rounds: for a period, which department has returned, which has not, and how
complete each return is; and the completeness of every period at once."""

from __future__ import annotations

import pandas as pd

from sca_metrics.method import tracker
from sca_metrics.method.tracker import MISSING, SUBMITTED, WITHDRAWN
from sca_metrics.reference.catalog import Catalog

__all__ = ["MISSING", "SUBMITTED", "WITHDRAWN", "completeness", "missing", "status"]


def status(catalog: Catalog, submissions: pd.DataFrame, period: str) -> pd.DataFrame:
    """One row per department for `period`: submitted, missing or withdrawn, with the current
    version's provenance and completeness."""
    return tracker.period_status(catalog, submissions, period)


def missing(status_frame: pd.DataFrame) -> list[str]:
    """The departments with no current return in a round's status."""
    return tracker.missing_departments(status_frame)


def completeness(catalog: Catalog, submissions: pd.DataFrame) -> pd.DataFrame:
    """Department × period completeness of the current returns, every period with a return."""
    periods = sorted(submissions.period.astype(str).unique())
    return tracker.coverage_matrix(catalog, submissions, periods)
