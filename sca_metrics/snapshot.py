"""What a page, the command line or an export needs for a period, read and scored in one place:
open the store → the current values as the scoring input → the scores of every period → the
period asked for (the latest with data by default). The store's current submissions become the
scoring input only here.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from sca_metrics.method import pilot
from sca_metrics.method.scoring import Options, Scores, score_periods
from sca_metrics.reference.catalog import Catalog, default_catalog
from sca_metrics.reference.units import Units, default_units
from sca_metrics.store import queries

COLUMNS = ["period", "indicator", "value", "quality", "evidence", "department"]
UNIT_COLUMNS = ["period", "indicator", "unit", "value", "quality", "evidence", "department"]


def observation_frame(con: duckdb.DuckDBPyConnection, period: str | None = None,
                      catalog: Catalog | None = None, units: Units | None = None,
                      wards: pd.DataFrame | None = None) -> pd.DataFrame:
    """period, indicator, value, quality, evidence, department: one row per current value,
    pilot indicators' city values combined from their wards (`wards`: unit_frame, when the
    caller has read it already)."""
    obs = queries.current_observations(con, period)
    frame = obs[obs.value.notna()][COLUMNS]
    wards = unit_frame(con, period) if wards is None else wards
    if len(wards):
        city = pilot.city_observations(wards, catalog or default_catalog(), units or default_units())
        frame = pd.concat([frame, city], ignore_index=True) if len(frame) else city
    return frame.sort_values(["period", "department", "indicator"]).reset_index(drop=True)


def unit_frame(con: duckdb.DuckDBPyConnection, period: str | None = None) -> pd.DataFrame:
    """period, indicator, unit, value, quality, evidence, department: every current ward value."""
    wards = queries.current_unit_observations(con, period)
    return wards[wards.value.notna()][UNIT_COLUMNS].reset_index(drop=True)


def scores(catalog: Catalog, observations: pd.DataFrame, options: Options | None = None,
           memo: MutableMapping | None = None) -> dict[str, Scores]:
    """The scores of every period with values, oldest first (none on an empty store)."""
    return score_periods(catalog, observations, options, memo=memo) if len(observations) else {}


class NoData(LookupError):
    """The store holds nothing to score, or nothing for the period asked for."""

    def __init__(self, period: str | None = None, have: tuple[str, ...] = ()):
        self.period, self.have = period, have
        super().__init__(f"no data for period {period!r} (have: {', '.join(have)})" if period
                         else "no values to score")


@dataclass
class Snapshot:
    """The store's current content, read once: the scoring input, the ward values, the
    submissions, whether any of it is demo data, and the scores (made when first asked for)."""

    catalog: Catalog
    observations: pd.DataFrame
    wards: pd.DataFrame
    submissions: pd.DataFrame
    is_demo: bool
    options: Options = field(default_factory=Options)
    _scores: dict[str, Scores] | None = field(default=None, repr=False)

    @property
    def by_period(self) -> dict[str, Scores]:
        if self._scores is None:
            self._scores = scores(self.catalog, self.observations, self.options)
        return self._scores

    def period(self, wanted: str | None = None) -> str:
        """The period asked for, or the latest with scores; NoData when there is none."""
        have = tuple(self.by_period)
        if not have:
            raise NoData()
        if wanted is None:
            return have[-1]
        if wanted not in self.by_period:
            raise NoData(wanted, have)
        return wanted


def read(con: duckdb.DuckDBPyConnection, catalog: Catalog | None = None,
         options: Options | None = None) -> Snapshot:
    """Everything a page, a command or an export reads, from one cursor."""
    catalog = catalog or default_catalog()
    wards = unit_frame(con)
    return Snapshot(catalog, observation_frame(con, catalog=catalog, wards=wards), wards,
                    queries.submissions(con), queries.is_demo(con), options or Options())
