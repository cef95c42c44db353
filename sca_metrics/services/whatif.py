"""What-if: scoring schemes (the shipped default, one read from a file or a link, one made on
the page), the scores of a period by a scheme with their Monte Carlo intervals, and a table of
units scored by an index scheme of its own."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sca_metrics.method import composite
from sca_metrics.method import scheme as _scheme
from sca_metrics.method.scheme import MAX_BYTES, IndexScheme, SchemeError, dump, link
from sca_metrics.method.scoring import (
    ARITHMETIC,
    COVERAGE_BASES,
    DEFAULT_THRESHOLD,
    METHODS,
    TIERS,
    Options,
    Rule,
    Scores,
    content_key,
    score_period,
    scores_table,
)
from sca_metrics.method.uncertainty import MonteCarlo, Uncertainty, uncertainty
from sca_metrics.reference.catalog import Catalog

__all__ = ["ARITHMETIC", "COVERAGE_BASES", "DEFAULT_THRESHOLD", "MAX_BYTES", "METHODS", "TIERS",
           "IndexScheme", "MonteCarlo", "Options", "Rule", "SchemeError", "Scores", "content_key",
           "default", "dump", "from_link", "link", "parse", "read", "score", "score_table",
           "scored_records", "scored_table", "scores_table", "uncertainty"]


def default() -> Options:
    """The shipped scheme (data/schemes/default.toml): the method as documented."""
    return _scheme.default()


def parse(data: bytes | str, source: str, catalog: Catalog | None = None) -> Options | IndexScheme:
    """A scheme from a file's content, checked whole (SchemeError lists every problem)."""
    return _scheme.parse(data, source, catalog)


def read(path: Path, catalog: Catalog | None = None) -> Options | IndexScheme:
    """A scheme file, its size bounded before it is read."""
    return _scheme.read(path, catalog)


def from_link(text: str, catalog: Catalog | None = None) -> Options | IndexScheme:
    """The scheme a link carries (?scheme=…)."""
    return _scheme.from_link(text, catalog)


def score(catalog: Catalog, values: pd.DataFrame, period: str, options: Options,
          runs: MonteCarlo | None = None) -> tuple[Scores, Uncertainty | None]:
    """A period's scores by `options`, with their Monte Carlo intervals when `runs` is given."""
    scored = score_period(catalog, values, period, options)
    return scored, None if runs is None else uncertainty(catalog, values, period, options, runs)


def _index(catalog: Catalog, chosen: Options | IndexScheme) -> IndexScheme:
    return _scheme.catalog_index(catalog, chosen) if isinstance(chosen, Options) else chosen


def score_table(source: Path, catalog: Catalog, chosen: Options | IndexScheme) -> composite.Scored:
    """A long table of units' values (unit, indicator, value), read within its bounds and
    scored by `chosen` (the catalog's scheme, or an index scheme of its own)."""
    index = _index(catalog, chosen)
    return composite.score(index, composite.read_data(source, index))


scored_table = composite.scored_table  # a scored table as rows (one per unit)
scored_records = composite.records  # a scored table a unit at a time
