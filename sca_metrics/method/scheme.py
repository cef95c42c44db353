"""Scoring schemes: one TOML file sets how an index is scored (docs/METHOD.md §8).

Two kinds of scheme share one format:

- a **catalog scheme** (`indicators = "catalog"`) scores the readiness index: the indicators,
  their goalposts and the cell → domain → overall hierarchy come from the indicator catalog;
  the scheme sets each tier's mean, coverage rule and weights. It reads into `Options`; the
  shipped default (data/schemes/default.toml) is today's method.
- an **index scheme** defines its own indicators (goalposts, direction, transform, capping,
  weight, parent) and any hierarchy of named tiers up to one index node: the UNDP Human
  Development Index, or any other composite (examples/hdi/).

Reading checks everything and reports every problem at once, located by key path
(`tiers[2].weights.technlogy`): an unknown key, a misspelt name or a value out of range is an
error, never silently ignored. A file is bounded (size, indicators, nodes) before it is parsed.
"""

from __future__ import annotations

import base64
import math
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli
import tomli_w

from sca_metrics.method.scoring import (
    COVERAGE_BASES,
    DEFAULT_SCHEME,
    METHODS,
    TIERS,
    Options,
    Rule,
    build_tree,
    content_hash,
)
from sca_metrics.reference import vocabulary
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.problems import Problem, ProblemsError
from sca_metrics.settings import shipped_data

MAX_BYTES = 2 * 1024 * 1024  # a scheme is a few kilobytes (HDI's is 2 KB); 10,000 named indicators fit
MAX_INDICATORS = 10_000  # indicators of an index scheme
MAX_PARTS = MAX_INDICATORS + 2_000  # indicators and the nodes above them
MAX_DEPTH = 8  # arrays and tables nested in a scheme (a real one uses 3)
MAX_WEIGHT = 1_000.0  # a weight is relative: 0 to 1,000 says every preference; beyond, sums overflow
MAX_GOALPOST = 1e15  # |worst|, |best|: any real quantity; beyond, their difference loses all precision
CATALOG = "catalog"
TRANSFORMS = ("none", "log")
DIRECTIONS = ("higher", "lower")
_TOP_KEYS = {"name", "title", "description", "indicators", "tiers", "foundations_in_overall",
             "cap_by_foundations"}
_CATALOG_ONLY = ("foundations_in_overall", "cap_by_foundations")
_TIER_KEYS = {"name", "method", "coverage", "coverage_by", "weights", "nodes"}
_INDICATOR_KEYS = {"code", "name", "parent", "worst", "best", "direction", "transform", "cap", "weight"}


class SchemeError(ProblemsError, ValueError):
    """A scheme that cannot be used, with every problem found in it."""


@dataclass(frozen=True)
class IndexIndicator:
    code: str
    name: str
    parent: str
    worst: float
    best: float
    log: bool = False
    cap: bool = True
    weight: float = 1.0


@dataclass(frozen=True)
class IndexTier:
    """The nodes of one tier, each with its parent in the tier above (None: reported but not part
    of the index, as the catalog's foundations) and its weight there."""

    name: str
    rule: Rule
    nodes: tuple[str, ...]
    parents: tuple[str | None, ...]
    weights: tuple[float, ...]


@dataclass(frozen=True)
class IndexScheme:
    """A scheme with its own indicators and hierarchy (the last tier has one node: the index)."""

    name: str
    title: str
    indicators: tuple[IndexIndicator, ...]
    tiers: tuple[IndexTier, ...]
    catalog_hash: str = field(default="", compare=False)  # the catalog scheme it stands for


    def as_dict(self) -> dict:
        return {"name": self.name,
                "indicators": [vars(i) for i in self.indicators],
                "tiers": [{"name": t.name, "method": t.rule.method, "coverage": t.rule.coverage,
                           "coverage_by": t.rule.coverage_by,
                           "nodes": {n: {"parent": p, "weight": w} for n, p, w in
                                     zip(t.nodes, t.parents, t.weights, strict=True)}}
                          for t in self.tiers]}

    @property
    def fingerprint(self) -> str:
        """The hash of its content (a catalog scheme keeps its own: the same scheme, one hash)."""
        return self.catalog_hash or content_hash(self.as_dict())


# ---- reading ----

def parse(data: bytes | str, source: str = "scheme.toml",
          catalog: Catalog | None = None) -> Options | IndexScheme:
    """A scheme from the text of a TOML file: Options (catalog scheme, its weight keys checked
    against `catalog` when given) or IndexScheme. SchemeError lists every problem."""
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise SchemeError([Problem("scheme_too_big", sheet=source,
                                   params={"size": kilobytes(len(raw)), "limit": kilobytes(MAX_BYTES)})])
    try:
        doc = tomli.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomli.TOMLDecodeError) as exc:
        raise SchemeError([Problem("scheme_syntax", sheet=source, value=str(exc))]) from None
    except RecursionError:  # arrays in arrays hundreds deep: tomli reads them recursively
        raise SchemeError([Problem("scheme_too_deep", sheet=source, params={"limit": MAX_DEPTH})]) from None
    if _depth(doc) > MAX_DEPTH:  # nothing below recurses into a document deeper than a scheme is
        raise SchemeError([Problem("scheme_too_deep", sheet=source, params={"limit": MAX_DEPTH})])
    check = _Check(source)
    scheme = check.scheme(doc, catalog)
    if check.problems:
        raise SchemeError(check.problems)
    assert scheme is not None
    return scheme


def _depth(doc: object) -> int:
    """How deeply arrays and tables nest in a parsed document, walked without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(doc, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth < MAX_DEPTH + 1:  # deeper than the limit needs no more looking
                stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return deepest


def read(path: str | Path, catalog: Catalog | None = None) -> Options | IndexScheme:
    """A scheme file, its size bounded before it is read."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SchemeError([Problem("scheme_too_big", sheet=path.name,
                                   params={"size": kilobytes(size), "limit": kilobytes(MAX_BYTES)})])
    return parse(path.read_bytes(), path.name, catalog)


def default() -> Options:
    """The shipped default scheme: the method as docs/METHOD.md defines it."""
    scheme = read(shipped_data() / "schemes" / "default.toml")
    assert isinstance(scheme, Options)
    return scheme


class _Check:
    """Reads a parsed TOML document, collecting every problem with its key path."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def bad(self, code: str, where: str, value: object = None, **params) -> None:
        self.problems.append(Problem(code, sheet=f"{self.source}: {where}" if where else self.source,
                                     value=None if value is None else str(value), params=params))

    def keys(self, table: Mapping, allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                self.bad("scheme_unknown_key", f"{where}.{key}" if where else key, key,
                         allowed=", ".join(sorted(allowed)))

    def text(self, table: Mapping, key: str, where: str, required: bool = False,
             default: str = "") -> str:
        if key not in table:
            if required:
                self.bad("scheme_missing_key", where, key)
            return default
        v = table[key]
        if not isinstance(v, str) or not v.strip():
            self.bad("scheme_not_text", _at(where, key), v)
            return default
        return v.strip()

    def number(self, table: Mapping, key: str, where: str, default: float | None = None,
               low: float = -math.inf, high: float = math.inf) -> float | None:
        if key not in table:
            if default is None:
                self.bad("scheme_missing_key", where, key)
            return default
        v = table[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            self.bad("scheme_not_number", _at(where, key), v)
            return default
        if not low <= v <= high:
            self.bad("scheme_range", _at(where, key), v, low=_num(low), high=_num(high))
            return default
        return float(v)

    def choice(self, table: Mapping, key: str, where: str, allowed: Iterable[str], default: str) -> str:
        v = table.get(key, default)
        if v not in allowed:
            self.bad("scheme_choice", _at(where, key), v, allowed=", ".join(allowed))
            return default
        return v

    def flag(self, table: Mapping, key: str, where: str, default: bool) -> bool:
        v = table.get(key, default)
        if not isinstance(v, bool):
            self.bad("scheme_not_bool", _at(where, key), v)
            return default
        return v

    def table(self, parent: Mapping, key: str, where: str) -> Mapping:
        v = parent.get(key, {})
        if not isinstance(v, Mapping):
            self.bad("scheme_not_table", _at(where, key), type(v).__name__)
            return {}
        return v

    def rule(self, tier: Mapping, where: str) -> Rule:
        method = self.choice(tier, "method", where, METHODS, METHODS[0])
        coverage = self.number(tier, "coverage", where, Rule.coverage, 0.0, 1.0)
        coverage_by = self.choice(tier, "coverage_by", where, COVERAGE_BASES, COVERAGE_BASES[0])
        return Rule(method, coverage if coverage is not None else Rule.coverage, coverage_by)

    def weights(self, table: Mapping, where: str, known: set[str] | None) -> dict[str, float]:
        out = {}
        for key in table:
            if known is not None and key not in known:
                self.bad("scheme_unknown_name", _at(where, key), key)
                continue
            w = self.number(table, key, where, 1.0, 0.0, MAX_WEIGHT)
            if w is not None:
                out[key] = w
        return out

    # -- the document --

    def scheme(self, doc: Mapping, catalog: Catalog | None) -> Options | IndexScheme | None:
        self.keys(doc, _TOP_KEYS, "")
        name = self.text(doc, "name", "", required=True, default=DEFAULT_SCHEME)
        tiers = doc.get("tiers", [])
        if not isinstance(tiers, list) or not all(isinstance(t, Mapping) for t in tiers) or not tiers:
            self.bad("scheme_not_list", "tiers", "tiers")
            return None
        if doc.get("indicators") == CATALOG:
            return self.catalog_scheme(doc, name, tiers, catalog)
        for key in _CATALOG_ONLY:  # an index scheme has no catalog foundations
            if key in doc:
                self.bad("scheme_unknown_key", key, key,
                         allowed=", ".join(sorted(_TOP_KEYS - set(_CATALOG_ONLY))))
        return self.index_scheme(doc, name, tiers)

    def catalog_scheme(self, doc: Mapping, name: str, tiers: list, catalog: Catalog | None) -> Options:
        names = [t.get("name") for t in tiers]
        if names != list(TIERS):
            self.bad("scheme_catalog_tiers", "tiers", ", ".join(map(str, names)), tiers=", ".join(TIERS))
            return Options(name=name)
        codes = {i.code for i in catalog.indicators} if catalog else None
        known = (codes, set(vocabulary.DRIVER_CODES), set(vocabulary.DOMAIN_CODES))
        rules, weights = {}, []
        for k, (tier, names_known) in enumerate(zip(tiers, known, strict=True)):
            where = f"tiers[{k + 1}]"
            self.keys(tier, _TIER_KEYS - {"nodes"}, where)
            rules[TIERS[k]] = self.rule(tier, where)
            weights.append(self.weights(self.table(tier, "weights", where), f"{where}.weights", names_known))
        return Options(name=name, tiers=rules, indicator_weights=weights[0], driver_weights=weights[1],
                       domain_weights=weights[2],
                       foundations_in_overall=self.flag(doc, "foundations_in_overall", "", False),
                       cap_by_foundations=self.flag(doc, "cap_by_foundations", "", False))

    def index_scheme(self, doc: Mapping, name: str, tiers: list) -> IndexScheme | None:
        title = self.text(doc, "title", "", default=name)
        rows = doc.get("indicators")
        if not isinstance(rows, list) or not rows or not all(isinstance(r, Mapping) for r in rows):
            self.bad("scheme_no_indicators", "indicators", doc.get("indicators"))
            return None
        n_nodes = sum(len(t.get("nodes", {})) for t in tiers if isinstance(t.get("nodes", {}), Mapping))
        if len(rows) > MAX_INDICATORS or len(rows) + n_nodes > MAX_PARTS:
            self.bad("scheme_too_many", "", len(rows) + n_nodes, indicators=grouped(MAX_INDICATORS),
                     limit=grouped(MAX_PARTS))
            return None
        built: list[IndexTier] = []
        seen_tiers: set[str] = {"indicator"}
        for k, tier in enumerate(tiers):
            where = f"tiers[{k + 1}]"
            self.keys(tier, _TIER_KEYS - {"weights"}, where)
            tier_name = self.text(tier, "name", where, required=True, default=f"tier{k + 1}")
            if tier_name in seen_tiers:
                self.bad("scheme_duplicate", _at(where, "name"), tier_name)
            seen_tiers.add(tier_name)
            nodes = self.table(tier, "nodes", where)
            last = k == len(tiers) - 1
            if last and len(nodes) != 1:
                self.bad("scheme_top", _at(where, "nodes"), len(nodes))
            parents, weights = [], []
            for node, spec in nodes.items():
                at = f"{where}.nodes.{node}"
                if not isinstance(spec, Mapping):
                    self.bad("scheme_not_table", at, type(spec).__name__)
                    spec = {}
                self.keys(spec, {"weight"} if last else {"parent", "weight"}, at)
                parents.append(None if last else self.text(spec, "parent", at, required=True))
                weights.append(self.number(spec, "weight", at, 1.0, 0.0, MAX_WEIGHT) or 0.0)
            built.append(IndexTier(tier_name, self.rule(tier, where), tuple(nodes), tuple(parents),
                                   tuple(weights)))
        indicators = [self.indicator(row, f"indicators[{k + 1}]") for k, row in enumerate(rows)]
        self.hierarchy(indicators, built)
        return IndexScheme(name, title, tuple(i for i in indicators if i), tuple(built))

    def indicator(self, row: Mapping, where: str) -> IndexIndicator | None:
        self.keys(row, _INDICATOR_KEYS, where)
        code = self.text(row, "code", where, required=True)
        parent = self.text(row, "parent", where, required=True)
        worst, best = (self.number(row, key, where, None, -MAX_GOALPOST, MAX_GOALPOST)
                       for key in ("worst", "best"))
        weight = self.number(row, "weight", where, 1.0, 0.0, MAX_WEIGHT)
        transform = self.choice(row, "transform", where, TRANSFORMS, "none")
        cap = self.flag(row, "cap", where, True)
        if worst is None or best is None or not code or not parent or weight is None:
            return None
        if worst == best:
            self.bad("scheme_goalposts", where, _num(worst))
            return None
        if "direction" in row:
            direction = self.choice(row, "direction", where, DIRECTIONS, "higher")
            if (direction == "higher") != (best > worst):
                self.bad("scheme_direction", _at(where, "direction"), direction,
                         worst=_num(worst), best=_num(best))
        if transform == "log" and min(worst, best) <= 0:
            self.bad("scheme_log", where, f"{_num(worst)}–{_num(best)}")
        return IndexIndicator(code, self.text(row, "name", where, default=code), parent, worst, best,
                              transform == "log", cap, weight)

    def hierarchy(self, indicators: list[IndexIndicator | None], tiers: list[IndexTier]) -> None:
        """Codes unique; every parent a node of the tier above; every node with a child."""
        counted = Counter(i.code for i in indicators if i)  # linear: 10,000 indicators in milliseconds
        for code in sorted(c for c, n in counted.items() if n > 1):
            self.bad("scheme_duplicate", "indicators", code)
        children = [{i.parent for i in indicators if i}] + [set(t.parents) for t in tiers[:-1]]
        for k, tier in enumerate(tiers):
            below = children[k]
            nodes = set(tier.nodes)
            where = f"tiers[{k + 1}]"
            for parent in sorted(p for p in below if p is not None and p not in nodes):
                self.bad("scheme_parent", where, parent, tier=tier.name)
            for node in tier.nodes:
                if node not in below:
                    self.bad("scheme_childless", f"{where}.nodes.{node}", node)


def kilobytes(n: int) -> str:
    return f"{math.ceil(n / 1024)} KB"


def grouped(n: int) -> str:
    """A count with its thousands apart by a space, as both languages read it (2 000 000)."""
    return f"{n:,}".replace(",", "\u202f")


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _num(v: float) -> str:
    return "∞" if math.isinf(v) else f"{v:g}"


# ---- writing ----

def dump(options: Options, title: str = "") -> str:
    """A catalog scheme as TOML, every tier spelt out; parse(dump(o)) scores as o does."""
    content = options.as_dict()
    doc: dict[str, Any] = {"name": content["name"]}
    if title:
        doc["title"] = title
    doc |= {"indicators": CATALOG, "foundations_in_overall": content["foundations_in_overall"],
            "cap_by_foundations": options.cap_by_foundations, "tiers": content["tiers"]}
    head = ("# Scoring scheme of the smart-city readiness index (docs/METHOD.md, section 8).\n"
            f"# hash {options.fingerprint}: the scores made with it record this hash.\n"
            "# Weights by tier: cell = indicator codes (others keep the catalog's weight),\n"
            "# domain = drivers, overall = domains.\n")
    return head + tomli_w.dumps(doc)


# ---- a scheme in a link: what-if scenarios shared by their address ----

MAX_LINK = 8_000  # characters of a link's scheme (browsers keep addresses of 8 KB and more)


def link(options: Options) -> str:
    """A catalog scheme as a short text for an address (?scheme=…): its TOML, compressed, in
    URL-safe base 64; from_link(link(o)) scores as o does."""
    content = options.as_dict()
    doc = {"name": content["name"], "indicators": CATALOG,
           "foundations_in_overall": content["foundations_in_overall"],
           "cap_by_foundations": options.cap_by_foundations, "tiers": content["tiers"]}
    packed = zlib.compress(tomli_w.dumps(doc).encode("utf-8"), 9)
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def from_link(text: str, catalog: Catalog | None = None) -> Options | IndexScheme:
    """The scheme a link carries, checked as a file is: bounded before it is decoded (the link's
    length, then what it unpacks to), every problem said (SchemeError)."""
    source = "link"
    if len(text) > MAX_LINK:
        raise SchemeError([Problem("scheme_too_big", sheet=source,
                                   params={"size": kilobytes(len(text)), "limit": kilobytes(MAX_LINK)})])
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        unpack = zlib.decompressobj()
        raw = unpack.decompress(packed, MAX_BYTES + 1)
    except (ValueError, zlib.error) as exc:
        raise SchemeError([Problem("scheme_link", sheet=source, value=str(exc)[:200])]) from None
    if len(raw) > MAX_BYTES or unpack.unconsumed_tail:
        raise SchemeError([Problem("scheme_too_big", sheet=source, params={
            "size": f"> {kilobytes(MAX_BYTES)}", "limit": kilobytes(MAX_BYTES)})])
    return parse(raw, source, catalog)


# ---- the catalog as an index scheme: the same engine for any units ----

def catalog_index(catalog: Catalog, options: Options) -> IndexScheme:
    """The readiness index as an IndexScheme, so `composite.score_units` scores any units
    (departments, provinces, wards) with the catalog's indicators exactly as the dashboard
    scores the province. The foundations domain has no parent unless the scheme includes it."""
    tree = build_tree(catalog, options)
    ind = tree.indicators
    indicators = tuple(IndexIndicator(c, n, f"{d}/{r}", w, b, bool(lg), True, float(wt)) for
                       c, n, d, r, w, b, lg, wt in zip(ind.code, ind.name_en, ind.domain, ind.driver,
                                                       ind.worst, ind.best, ind.log_transform, tree.ind_w,
                                                       strict=True))
    cells = [f"{d}/{r}" for d, r in zip(tree.cells.domain, tree.cells.driver, strict=True)]
    tiers = (
        IndexTier("cell", options.rule("cell"), tuple(cells), tuple(tree.cells.domain),
                  tuple(map(float, tree.cell_w))),
        IndexTier("domain", options.rule("domain"), tuple(tree.domains),
                  tuple("overall" if d in tree.overall_domains else None for d in tree.domains),
                  tuple(map(float, tree.dom_w))),
        IndexTier("overall", options.rule("overall"), ("overall",), (None,), (1.0,)),
    )
    return IndexScheme(options.name, options.name, indicators, tiers, options.fingerprint)
