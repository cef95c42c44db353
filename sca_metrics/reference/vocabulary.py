"""The programme's fixed vocabulary: domains, drivers, kinds, directions, quality flags.

One home for every code and colour, so pages, exports and validation never spell them twice;
their names in both languages are in the translation files ([terms]). Indicators themselves
are data (data/catalog.csv), not code.
"""

from __future__ import annotations

from dataclasses import dataclass


def in_language(lang: str, vi: str, en: str) -> str:
    """The one rule for every bilingual name and text: Vietnamese for "vi", English otherwise."""
    return vi if lang == "vi" else en


@dataclass(frozen=True)
class Term:
    code: str
    vi: str
    en: str
    colour: str = "#7f7f7f"

    def name(self, lang: str) -> str:
        return in_language(lang, self.vi, self.en)


def _term(group: str, code: str, colour: str = "#7f7f7f") -> Term:
    """A term with its names from the translation files (data/i18n/<lang>.toml, [terms],
    `<group>_<code>`): the names are data, so officials change a label without touching code;
    the codes and colours stay here. A name missing in Vietnamese stops the start (a test
    checks both files name every term)."""
    from sca_metrics.reference.i18n import catalogue  # i18n reads the files; it needs no term

    key = f"terms.{group}_{code}"
    vi = catalogue("vi")[key]
    return Term(code, vi, catalogue("en").get(key, vi), colour)


FOUNDATIONS = "foundations"

# The article's order: foundations first, then the eight priority smart domains.
DOMAINS: tuple[Term, ...] = (
    _term("domain", FOUNDATIONS, "#666666"),
    _term("domain", "egov", "#0072B2"),
    _term("domain", "education", "#E69F00"),
    _term("domain", "health", "#009E73"),
    _term("domain", "tourism", "#56B4E9"),
    _term("domain", "environment", "#F0E442"),
    _term("domain", "construction", "#D55E00"),
    _term("domain", "transport", "#CC79A7"),
    _term("domain", "security", "#000000"),
)

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
DRIVERS: tuple[Term, ...] = (
    _term("driver", "technology", "#0072B2"),
    _term("driver", "policy", "#E69F00"),
    _term("driver", "resources", "#009E73"),
)

KINDS: tuple[Term, ...] = (
    _term("kind", "number"),
    _term("kind", "percent"),
    _term("kind", "yesno"),
    _term("kind", "level"),
)

DIRECTIONS: tuple[Term, ...] = (
    _term("direction", "higher"),
    _term("direction", "lower"),
)

# U4SSC-style data-quality flags for each reported value.
QUALITY_FLAGS: tuple[Term, ...] = (
    _term("quality", "measured"),
    _term("quality", "administrative"),
    _term("quality", "estimate"),
    _term("quality", "extrapolated"),
    _term("quality", "unknown"),
)

SOURCES: tuple[Term, ...] = (
    _term("source", "u4ssc"),
    _term("source", "dti"),
    _term("source", "tt03_2026_bxd"),
    _term("source", "proposed"),
)

# How the values of a pilot indicator's wards and communes make one value for a larger area
# (the city, or a new ward from the former wards it replaced).
AGGREGATIONS: tuple[Term, ...] = (
    _term("aggregation", "sum"),
    _term("aggregation", "mean_pop"),
    _term("aggregation", "min"),
    _term("aggregation", "max"),
)

# Progress to a target (docs/METHOD.md §6, Open SDG / Eurostat), best first. Colours run from green
# to red; the name is always shown beside the colour.
PROGRESS_STATUSES: tuple[Term, ...] = (
    _term("progress", "achieved", "#1B7837"),
    _term("progress", "on_track", "#5AAE61"),
    _term("progress", "acceleration", "#E69F00"),
    _term("progress", "limited", "#D55E00"),
    _term("progress", "deterioration", "#A50026"),
    _term("progress", "insufficient", "#999999"),
)

LEVEL_RANGE = (0, 4)

# The roadmap (docs/roadmap.md). The foundations are built in layers, in the article's order —
# the architecture framework, then the infrastructure (data centre, shared databases, big data),
# then the operations centres —, before the smart domains that rest on them.
LAYERS: tuple[Term, ...] = (
    _term("layer", "architecture", "#4D4D4D"),
    _term("layer", "infrastructure", "#7F7F7F"),
    _term("layer", "operations", "#A6A6A6"),
)
# Where a task belongs: a foundations layer, then the eight smart domains, in the programme's order;
# or outside the programme (a task of a department's own sector project that no area takes).
AREAS: tuple[Term, ...] = LAYERS + tuple(t for t in DOMAINS if t.code != FOUNDATIONS)
OUTSIDE = _term("area", "outside", "#BDBDBD")
AREA_CHOICES: tuple[Term, ...] = AREAS + (OUTSIDE,)

# The programme's phases: 2018–2025 with a vision to 2030.
PHASES: tuple[Term, ...] = (
    _term("phase", "2018-2020"),
    _term("phase", "2021-2025"),
    _term("phase", "2026-2030"),
)
PHASE_YEARS = {"2018-2020": (2018, 2020), "2021-2025": (2021, 2025), "2026-2030": (2026, 2030)}

TASK_STATUSES: tuple[Term, ...] = (
    _term("task_status", "not_started", "#BDBDBD"),
    _term("task_status", "in_progress", "#0072B2"),
    _term("task_status", "done", "#009E73"),
    _term("task_status", "delayed", "#D55E00"),
)

BUDGET_SOURCES: tuple[Term, ...] = (
    _term("budget_source", "state"),
    _term("budget_source", "oda"),
    _term("budget_source", "private"),
    _term("budget_source", "other"),
)


def quality_choices() -> tuple[str, ...]:
    """The drop-down texts of the quality flags, as templates show them."""
    return tuple(f"{q.vi} ({q.en})" for q in QUALITY_FLAGS)


def codes(terms: tuple[Term, ...]) -> tuple[str, ...]:
    return tuple(t.code for t in terms)


def term(terms: tuple[Term, ...], code: str) -> Term:
    for t in terms:
        if t.code == code:
            return t
    raise KeyError(code)


def domain_name(code: str, lang: str) -> str:
    """A domain's name (foundations included) in the language."""
    return term(DOMAINS, code).name(lang)


DOMAIN_CODES = codes(DOMAINS)
LAYER_CODES = codes(LAYERS)
AREA_CODES = codes(AREAS)
TASK_STATUS_CODES = codes(TASK_STATUSES)
PHASE_CODES = codes(PHASES)
BUDGET_SOURCE_CODES = codes(BUDGET_SOURCES)
SMART_DOMAIN_CODES = tuple(c for c in DOMAIN_CODES if c != FOUNDATIONS)
DRIVER_CODES = codes(DRIVERS)
KIND_CODES = codes(KINDS)
DIRECTION_CODES = codes(DIRECTIONS)
QUALITY_CODES = codes(QUALITY_FLAGS)
SOURCE_CODES = codes(SOURCES)
AGGREGATION_CODES = codes(AGGREGATIONS)

# Reporting periods are calendar years within the programme and its vision.
# A department's plan has tens of tasks, each resting on a few others: ten times that is still
# a plan, and keeps every check, flag and report of the roadmap small (docs/roadmap.md). A
# return beyond either is refused; a plan stored before these limits is flagged within them.
MAX_TASKS = 300  # tasks in one return
MAX_DEPENDENCIES = 20  # what one task may depend on

PERIOD_FIRST = 2018
PERIOD_LAST = 2030

# Maturity levels 1–5 (docs/METHOD.md §3): level = 1 + min(4, ⌊score / 20⌋). One colour scale for
# levels everywhere: viridis steps, readable with the common colour-vision deficiencies.
LEVELS: tuple[Term, ...] = (
    _term("level", "1", "#fde725"),
    _term("level", "2", "#5ec962"),
    _term("level", "3", "#21918c"),
    _term("level", "4", "#3b528b"),
    _term("level", "5", "#440154"),
)
