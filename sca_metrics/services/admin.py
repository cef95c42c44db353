"""Administration: who may do what (grants, given and taken back by an administrator; the
store refuses anyone else and never leaves the dashboard without one), and the audit log of
every write."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sca_metrics.intake.ingest import IngestResult
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.roles import Actor
from sca_metrics.store import queries
from sca_metrics.store.database import Database

__all__ = ["audit", "grant", "grants", "load_demo", "revoke"]


def grants(db: Database) -> pd.DataFrame:
    """Every grant: email, role, departments, who gave it and when."""
    with db.cursor() as con:
        return queries.grants(con)


def grant(db: Database, actor: Actor, email: str, role: str, departments: Sequence[str],
          known: Sequence[str]) -> None:
    """Gives `email` the role (replacing theirs); `known` are the department codes there are."""
    with db.writing() as con:
        queries.grant(con, actor, email, role, list(departments), list(known))


def revoke(db: Database, actor: Actor, email: str) -> None:
    with db.writing() as con:
        queries.revoke(con, actor, email)


def audit(db: Database) -> pd.DataFrame:
    """Every write, newest first, in words a reader can follow."""
    with db.cursor() as con:
        return queries.audit_events(con)



def load_demo(db: Database, catalog: Catalog, out: Path | None = None) -> list[IngestResult] | None:
    """Loads the illustrative demo returns (also kept as .xlsx in `out`) into an empty
    database; None, and nothing done, when it already holds submissions."""
    from sca_metrics.demo import build_demo  # imported late: only this needs the demo's numpy work

    with db.writing() as con:
        if not queries.is_empty(con):
            return None
        return build_demo(con, catalog, out)
