"""Reading readiness: the values behind the scores, the scores of every period, a domain's
indicators against their targets, the method's diagnostics, and the pilot's indicators and
wards. Every function reads through the handle it is given and returns frames or scores."""

from __future__ import annotations

from collections.abc import MutableMapping

import pandas as pd

from sca_metrics import snapshot as _snapshot
from sca_metrics.method import pilot as _pilot
from sca_metrics.method import progress as _progress
from sca_metrics.method.diagnostics import Diagnostics, diagnose, top_pairs
from sca_metrics.method.scoring import Options, Scores, level_bounds, level_name, target_year
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.units import Units
from sca_metrics.snapshot import NoData, Snapshot
from sca_metrics.store import queries
from sca_metrics.store.database import Database

__all__ = ["CURRENT", "FORMER", "Diagnostics", "NoData", "Scores", "Snapshot", "diagnose",
           "indicator_progress", "is_demo", "level_bounds", "level_name", "observations",
           "pilot_headlines", "scores", "snapshot", "target_year", "top_pairs", "unit_observations",
           "wards"]

CURRENT, FORMER = _pilot.CURRENT, _pilot.FORMER  # the pilot's ward systems, after and before 1/7/2025


def observations(db: Database, catalog: Catalog) -> pd.DataFrame:
    """The scoring input: every current value of every period."""
    with db.cursor() as con:
        return _snapshot.observation_frame(con, catalog=catalog)


def unit_observations(db: Database) -> pd.DataFrame:
    """Every current ward value of the pilot's indicators."""
    with db.cursor() as con:
        return _snapshot.unit_frame(con)


def is_demo(db: Database) -> bool:
    """Whether any of the data is the illustrative demo (every document then says so)."""
    with db.cursor() as con:
        return queries.is_demo(con)


def scores(catalog: Catalog, values: pd.DataFrame, memo: MutableMapping | None = None) -> dict[str, Scores]:
    """The scores of every period with values, oldest first, by the default scheme; `memo`
    keeps each period's scores by the content of its values, so a new return re-scores its
    own period only."""
    return _snapshot.scores(catalog, values, memo=memo)


def snapshot(db: Database, options: Options | None = None) -> Snapshot:
    """Everything a command reads, at once from one cursor: values, wards, submissions and
    (when first asked for) the scores by `options`."""
    with db.cursor() as con:
        return _snapshot.read(con, options=options)


def indicator_progress(catalog: Catalog, values: pd.DataFrame, period: str,
                       codes: list[str] | None = None) -> pd.DataFrame:
    """Each indicator's progress to its target at `period` (only `codes` when given)."""
    return _progress.progress_frame(catalog, values, period, codes)


def pilot_headlines(catalog: Catalog, values: pd.DataFrame, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pilot's indicators at `period`: (their progress to target, the headline cards)."""
    codes = [i.code for i in catalog.indicators if i.pilot]
    prog = _progress.progress_frame(catalog, values, period, codes)
    return prog, _pilot.headlines(values, prog, period)


def wards(values: pd.DataFrame, catalog: Catalog, units: Units, system: str) -> pd.DataFrame:
    """Ward values in one system of wards (CURRENT or FORMER): split or combined by population
    where the other system reported them; empty when a period can never be split back."""
    return _pilot.in_system(values, catalog, units, _pilot.system_day(units, system))
