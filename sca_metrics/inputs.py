"""The store's current submissions as the scoring input frame (the only bridge between them)."""

from __future__ import annotations

import duckdb
import pandas as pd

from sca_metrics import store


def observation_frame(con: duckdb.DuckDBPyConnection, period: str | None = None) -> pd.DataFrame:
    """period, indicator, value, quality, evidence, department: one row per current value."""
    obs = store.current_observations(con, period)
    cols = ["period", "indicator", "value", "quality", "evidence", "department"]
    return obs[obs.value.notna()][cols].reset_index(drop=True)
