"""The store's current submissions as the scoring input frame (the only bridge between them)."""

from __future__ import annotations

import duckdb
import pandas as pd

from sca_metrics import pilot, store
from sca_metrics.catalog import Catalog, default_catalog
from sca_metrics.units import Units, default_units

COLUMNS = ["period", "indicator", "value", "quality", "evidence", "department"]


def observation_frame(con: duckdb.DuckDBPyConnection, period: str | None = None,
                      catalog: Catalog | None = None, units: Units | None = None) -> pd.DataFrame:
    """period, indicator, value, quality, evidence, department: one row per current value,
    pilot indicators' city values combined from their wards."""
    obs = store.current_observations(con, period)
    frame = obs[obs.value.notna()][COLUMNS]
    wards = unit_frame(con, period)
    if len(wards):
        city = pilot.city_observations(wards, catalog or default_catalog(), units or default_units())
        frame = pd.concat([frame, city], ignore_index=True) if len(frame) else city
    return frame.sort_values(["period", "department", "indicator"]).reset_index(drop=True)


def unit_frame(con: duckdb.DuckDBPyConnection, period: str | None = None) -> pd.DataFrame:
    """period, indicator, unit, value, quality, evidence, department: every current ward value."""
    wards = store.current_unit_observations(con, period)
    return wards[wards.value.notna()][["period", "indicator", "unit", "value", "quality",
                                       "evidence", "department"]].reset_index(drop=True)
