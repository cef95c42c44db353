"""Where the shipped data and the working database live (overridable by environment)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return Path(os.environ.get("SCA_DATA_DIR", ROOT / "data"))


def default_db() -> Path:
    """The database the app and the CLI use unless told otherwise (SCA_DB or --db)."""
    return Path(os.environ.get("SCA_DB", ROOT / "var" / "sca.duckdb"))
