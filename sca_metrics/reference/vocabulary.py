"""The programme's fixed vocabulary: domains, drivers, kinds, directions, quality flags.

One home for every code, bilingual name and colour, so pages, exports and validation
never spell them twice. Indicators themselves are data (data/catalog.csv), not code.
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


FOUNDATIONS = "foundations"

# The article's order: foundations first, then the eight priority smart domains.
DOMAINS: tuple[Term, ...] = (
    Term(FOUNDATIONS, "Nền tảng", "Foundations", "#666666"),
    Term("egov", "Chính quyền điện tử", "E-government", "#0072B2"),
    Term("education", "Giáo dục", "Education", "#E69F00"),
    Term("health", "Y tế", "Health", "#009E73"),
    Term("tourism", "Du lịch", "Tourism", "#56B4E9"),
    Term("environment", "Môi trường", "Environment", "#F0E442"),
    Term("construction", "Xây dựng", "Construction", "#D55E00"),
    Term("transport", "Giao thông vận tải", "Transport", "#CC79A7"),
    Term("security", "An ninh an toàn", "Security & safety", "#000000"),
)

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
DRIVERS: tuple[Term, ...] = (
    Term("technology", "Công nghệ", "Technology", "#0072B2"),
    Term("policy", "Chính sách", "Policy", "#E69F00"),
    Term("resources", "Nguồn lực", "Resources", "#009E73"),
)

KINDS: tuple[Term, ...] = (
    Term("number", "Số", "Number"),
    Term("percent", "Tỷ lệ %", "Percent"),
    Term("yesno", "Có/Không", "Yes/No"),
    Term("level", "Mức 0–4", "Level 0–4"),
)

DIRECTIONS: tuple[Term, ...] = (
    Term("higher", "Càng cao càng tốt", "Higher is better"),
    Term("lower", "Càng thấp càng tốt", "Lower is better"),
)

# U4SSC-style data-quality flags for each reported value.
QUALITY_FLAGS: tuple[Term, ...] = (
    Term("measured", "Đo đạc", "Measured"),
    Term("administrative", "Số liệu hành chính", "Administrative record"),
    Term("estimate", "Ước tính", "Estimate"),
    Term("extrapolated", "Ngoại suy", "Extrapolated"),
    Term("unknown", "Không rõ", "Unknown"),
)

SOURCES: tuple[Term, ...] = (
    Term("u4ssc", "U4SSC / ITU-T Y.4903", "U4SSC / ITU-T Y.4903"),
    Term("dti", "Chỉ số DTI cấp tỉnh", "Provincial DTI"),
    Term("tt03_2026_bxd", "Thông tư 03/2026/TT-BXD", "Circular 03/2026/TT-BXD"),
    Term("proposed", "Đề xuất", "Proposed"),
)

# How the values of a pilot indicator's wards and communes make one value for a larger area
# (the city, or a new ward from the former wards it replaced).
AGGREGATIONS: tuple[Term, ...] = (
    Term("sum", "Tổng", "Sum"),
    Term("mean_pop", "Bình quân gia quyền theo dân số", "Population-weighted mean"),
    Term("min", "Thấp nhất", "Minimum"),
    Term("max", "Cao nhất", "Maximum"),
)

# Progress to a target (docs/METHOD.md §6, Open SDG / Eurostat), best first. Colours run from green
# to red; the name is always shown beside the colour.
PROGRESS_STATUSES: tuple[Term, ...] = (
    Term("achieved", "Đã đạt mục tiêu", "Target achieved", "#1B7837"),
    Term("on_track", "Đúng tiến độ", "On track", "#5AAE61"),
    Term("acceleration", "Cần tăng tốc", "Acceleration needed", "#E69F00"),
    Term("limited", "Tiến bộ hạn chế", "Limited progress", "#D55E00"),
    Term("deterioration", "Đi xuống", "Deterioration", "#A50026"),
    Term("insufficient", "Chưa đủ số liệu", "Not enough data", "#999999"),
)

LEVEL_RANGE = (0, 4)

# The roadmap (docs/roadmap.md). The foundations are built in layers, in the article's order —
# the architecture framework, then the infrastructure (data centre, shared databases, big data),
# then the operations centres —, before the smart domains that rest on them.
LAYERS: tuple[Term, ...] = (
    Term("architecture", "Khung kiến trúc", "Architecture framework", "#4D4D4D"),
    Term("infrastructure", "Hạ tầng (trung tâm dữ liệu, CSDL dùng chung, dữ liệu lớn)",
         "Infrastructure (data centre, shared databases, big data)", "#7F7F7F"),
    Term("operations", "Trung tâm điều hành (IOC)", "Operations centres (IOC)", "#A6A6A6"),
)
# Where a task belongs: a foundations layer, then the eight smart domains, in the programme's order;
# or outside the programme (a task of a department's own sector project that no area takes).
AREAS: tuple[Term, ...] = LAYERS + tuple(t for t in DOMAINS if t.code != FOUNDATIONS)
OUTSIDE = Term("outside", "Ngoài Đề án", "Outside the programme", "#BDBDBD")
AREA_CHOICES: tuple[Term, ...] = AREAS + (OUTSIDE,)

# The programme's phases: 2018–2025 with a vision to 2030.
PHASES: tuple[Term, ...] = (
    Term("2018-2020", "2018–2020", "2018–2020"),
    Term("2021-2025", "2021–2025", "2021–2025"),
    Term("2026-2030", "2026–2030", "2026–2030"),
)
PHASE_YEARS = {"2018-2020": (2018, 2020), "2021-2025": (2021, 2025), "2026-2030": (2026, 2030)}

TASK_STATUSES: tuple[Term, ...] = (
    Term("not_started", "Chưa triển khai", "Not started", "#BDBDBD"),
    Term("in_progress", "Đang triển khai", "In progress", "#0072B2"),
    Term("done", "Hoàn thành", "Done", "#009E73"),
    Term("delayed", "Chậm tiến độ", "Delayed", "#D55E00"),
)

BUDGET_SOURCES: tuple[Term, ...] = (
    Term("state", "Ngân sách nhà nước", "State budget"),
    Term("oda", "Vốn ODA", "ODA"),
    Term("private", "Xã hội hoá, tư nhân", "Socialisation / private"),
    Term("other", "Nguồn khác", "Other"),
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
    Term("1", "Khởi đầu", "Initial", "#fde725"),
    Term("2", "Đang hình thành", "Developing", "#5ec962"),
    Term("3", "Xác lập", "Defined", "#21918c"),
    Term("4", "Quản lý", "Managed", "#3b528b"),
    Term("5", "Tối ưu", "Optimising", "#440154"),
)
