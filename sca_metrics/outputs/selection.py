"""From a chart selection or a URL to what the Domain page shows: pure, no streamlit.

Charts carry domain (and driver) codes in their points' customdata; a point without
customdata is recognised by its axis labels in either language. URL values are accepted
only when they are known codes, so a hand-edited link can never break a page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sca_metrics.reference import vocabulary


@dataclass(frozen=True)
class Drill:
    """Where a click leads: a domain, and a driver when a heatmap cell was clicked."""

    domain: str
    driver: str | None = None

    def query_params(self) -> dict[str, str]:
        return {"domain": self.domain, **({"driver": self.driver} if self.driver else {})}


def _names(terms: tuple[vocabulary.Term, ...]) -> dict[str, str]:
    return {name.casefold(): t.code for t in terms for name in (t.code, t.vi, t.en)}


_DOMAIN_NAMES = _names(vocabulary.DOMAINS)
_DRIVER_NAMES = _names(vocabulary.DRIVERS)


def _codes(point: Mapping[str, Any]) -> Iterable[str]:
    data = point.get("customdata")
    if isinstance(data, str):
        yield data
    elif isinstance(data, (list, tuple)):
        yield from (d for d in data if isinstance(d, str))
    for key in ("y", "x", "theta", "label"):  # axis labels, as a last resort
        if isinstance(point.get(key), str):
            yield point[key]


def drill_target(selection: Mapping[str, Any] | None) -> Drill | None:
    """The first selected point that names a domain → Drill; None when nothing usable."""
    for point in (selection or {}).get("points") or []:
        found = [c.strip().casefold() for c in _codes(point)]
        domain = next((_DOMAIN_NAMES[c] for c in found if c in _DOMAIN_NAMES), None)
        if domain is None:
            continue
        driver = next((_DRIVER_NAMES[c] for c in found if c in _DRIVER_NAMES), None)
        return Drill(domain, driver)
    return None


def domain_param(value: str | None, default: str = vocabulary.SMART_DOMAIN_CODES[0]) -> str:
    """?domain= as a known domain code (foundations included), else the default."""
    code = _DOMAIN_NAMES.get((value or "").strip().casefold())
    return code or default


def driver_param(value: str | None) -> str | None:
    """?driver= as a known driver code, else None (all drivers)."""
    return _DRIVER_NAMES.get((value or "").strip().casefold())


def picked(selection: Mapping[str, Any] | None, known: Iterable[str]) -> str | None:
    """The first selected point's code among `known` (a roadmap bar carries its task's code in
    its customdata), or None."""
    codes = set(known)
    for point in (selection or {}).get("points") or []:
        data = point.get("customdata")
        values = [data] if isinstance(data, str) else data if isinstance(data, (list, tuple)) else []
        found = next((v for v in values if isinstance(v, str) and v in codes), None)
        if found is not None:
            return found
    return None
