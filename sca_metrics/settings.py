"""Every setting the engine, the dashboard and the command line read from the environment, read
once, in one place. The "Settings" table of docs/operating/settings.md lists them; `ENVIRONMENT`
is that table.

A process reads its environment when it first asks (`current()`); tests that change a variable
call `reload()`.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent  # the checkout (app.py, data/, var/) when running from source
IN_CHECKOUT = (ROOT / "app.py").is_file() and (ROOT / "data" / "catalog.csv").is_file()

# (variable, default, what it sets) — docs/operating/settings.md's table, in the same order.
ENVIRONMENT: tuple[tuple[str, str, str], ...] = (
    ("SCA_DB", "var/sca.duckdb", "the DuckDB database file of the dashboard and the CLI (`--db` wins)"),
    ("SCA_DATA_DIR", "the shipped data", "a folder with another catalog.csv, departments.csv, "
                                         "units.csv, unit_changes.csv and i18n/"),
    ("SCA_DEMO", "1", "`scripts/start.sh` loads the demo data into an empty database unless 0"),
    ("SCA_UPLOAD_MB", "20", "the largest workbook accepted, in MB (the upload widget, the server "
                            "and the reader)"),
    ("SCA_CHROMIUM", "chromium on PATH", "the browser that renders figures to PNG, SVG and PDF"),
    ("SCA_FONT_DIR", "Debian's Noto folders", "where NotoSans-Regular.ttf and NotoSans-Bold.ttf are"),
    ("SCA_LOG_LEVEL", "INFO (dashboard), ERROR (CLI)", "DEBUG, INFO, WARNING or ERROR"),
    ("SCA_IDENTITY_CLAIM", "email", "the sign-in provider's claim that names a person (lower-cased)"),
    ("SCA_REPORT_FILE", "data/report.toml", "the official report's letterhead: issuing body, symbol, "
                                            "signer, recipients"),
)


@dataclass(frozen=True)
class Settings:
    db: Path
    data_dir: Path | None  # None: the data shipped with the package
    demo: bool
    upload_mb: int
    chromium: str | None
    font_dir: Path | None
    log_level: str | None  # None: the process's own default
    identity_claim: str = "email"
    report_file: Path | None = None  # None: report.toml of the data folder, else the shipped one

    @property
    def upload_bytes(self) -> int:
        return self.upload_mb * 1024 * 1024


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        value = default
    return value if value > 0 else default


def _read() -> Settings:
    env = os.environ
    level = env.get("SCA_LOG_LEVEL", "").strip().upper() or None
    return Settings(
        db=Path(env.get("SCA_DB") or (ROOT if IN_CHECKOUT else Path.cwd()) / "var" / "sca.duckdb"),
        data_dir=Path(env["SCA_DATA_DIR"]) if env.get("SCA_DATA_DIR") else None,
        demo=env.get("SCA_DEMO", "1").strip() != "0",
        upload_mb=_positive_int("SCA_UPLOAD_MB", 20),
        chromium=env.get("SCA_CHROMIUM") or None,
        font_dir=Path(env["SCA_FONT_DIR"]) if env.get("SCA_FONT_DIR") else None,
        log_level=level if level in logging.getLevelNamesMapping() else None,
        identity_claim=env.get("SCA_IDENTITY_CLAIM", "").strip() or "email",
        report_file=Path(env["SCA_REPORT_FILE"]) if env.get("SCA_REPORT_FILE") else None,
    )


@cache
def current() -> Settings:
    return _read()


def reload() -> Settings:
    """Read the environment again (tests that change a variable)."""
    current.cache_clear()
    return current()


def sign_in_configured(places: tuple[Path, ...] | None = None) -> bool:
    """Whether the dashboard signs people in: an [auth] section in a secrets.toml Streamlit
    reads (the project's .streamlit/ folder, the working folder's, the home folder's). The
    command line asks, so that it names no one but `local` on a server where people sign in."""
    import tomllib

    if places is None:
        places = tuple(dict.fromkeys((ROOT / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" /
                                      "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")))
    for place in places:
        try:
            with open(place, "rb") as f:
                if "auth" in tomllib.load(f):
                    return True
        except (OSError, tomllib.TOMLDecodeError):
            continue
    return False


def shipped_data() -> Path:
    """The catalog, the units, the translations and the method text: found through
    importlib.resources when installed (the wheel carries data/ as the package
    `sca_metrics.data`, unpacked on disk), the checkout's data/ folder when running from source."""
    try:
        return Path(str(resources.files("sca_metrics.data")))
    except ModuleNotFoundError:
        return ROOT / "data"


def data_dir() -> Path:
    """SCA_DATA_DIR when set, else the shipped data."""
    chosen = current().data_dir
    return chosen if chosen is not None else shipped_data()


def default_db() -> Path:
    """The database the app and the CLI use unless told otherwise (SCA_DB or --db)."""
    return current().db


def configure_logging(handler: logging.Handler, default_level: str, logger: str = "") -> None:
    """Log lines (every write, export and failure, with its duration; a failure with its
    traceback) at SCA_LOG_LEVEL, or this process's default, through `handler`: of the whole
    process, or only of `logger` (then they go nowhere else)."""
    target = logging.getLogger(logger)
    if not target.handlers:
        target.addHandler(handler)
    target.setLevel(current().log_level or default_level)
    if logger:
        target.propagate = False
