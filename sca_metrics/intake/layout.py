"""The survey workbook's layout, shared by the template writer and the reader.

Headers are written bilingually ("Giá trị / Value"); the reader finds a column by either
language, in any order, case, spacing or Unicode form.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sca_metrics.reference.textnorm import loose_key


@dataclass(frozen=True)
class Label:
    key: str
    vi: str
    en: str
    required: bool = True

    @property
    def text(self) -> str:
        return f"{self.vi} / {self.en}"

    def matches(self, text: object) -> bool:
        k = loose_key(text)
        return bool(k) and k in label_keys(self)


@cache
def label_keys(label: Label) -> frozenset[str]:
    """The loose keys a cell may have to name this label (vi, en, or both as the template writes)."""
    return frozenset({loose_key(label.vi), loose_key(label.en), loose_key(label.text)})


def _label(name: str, key: str, required: bool = True) -> Label:
    """A sheet's or a column's label with its names from the translation files ([workbook] in
    data/i18n/<lang>.toml): the layout (which labels, in which order) is here, their words are data."""
    from sca_metrics.reference.i18n import catalogue

    vi = catalogue("vi")[f"workbook.{name}"]
    return Label(key, vi, catalogue("en").get(f"workbook.{name}", vi), required)


SHEET_INSTRUCTIONS = _label("sheet_instructions", "instructions", required=False)
SHEET_INFO = _label("sheet_info", "info")
SHEET_INDICATORS = _label("sheet_indicators", "indicators")
SHEET_UNITS = _label("sheet_units", "units")

INFO_DEPARTMENT = _label("info_department", "department")
INFO_DEPARTMENT_NAME = _label("info_department_name", "department_name", required=False)
INFO_PERIOD = _label("info_period", "period")
INFO_PREPARER = _label("info_preparer", "preparer", required=False)
INFO_DATE = _label("info_date", "date", required=False)
INFO_CATALOG = _label("info_catalog", "catalog_version", required=False)
INFO_FIELDS = (INFO_DEPARTMENT, INFO_DEPARTMENT_NAME, INFO_PERIOD, INFO_PREPARER, INFO_DATE,
               INFO_CATALOG)

COL_CODE = _label("col_code", "code")
COL_NAME = _label("col_name", "name", required=False)
COL_DOMAIN = _label("col_domain", "domain", required=False)
COL_DRIVER = _label("col_driver", "driver", required=False)
COL_UNIT = _label("col_unit", "unit", required=False)
COL_KIND = _label("col_kind", "kind", required=False)
COL_VALUE = _label("col_value", "value")
COL_QUALITY = _label("col_quality", "quality")
COL_EVIDENCE = _label("col_evidence", "evidence")
COL_NOTE = _label("col_note", "note", required=False)
INDICATOR_COLUMNS = (COL_CODE, COL_NAME, COL_DOMAIN, COL_DRIVER, COL_UNIT, COL_KIND,
                     COL_VALUE, COL_QUALITY, COL_EVIDENCE, COL_NOTE)
FILL_COLUMNS = (COL_VALUE, COL_QUALITY, COL_EVIDENCE, COL_NOTE)

# Rows of the indicators sheet: a title, a hint, then the header.
HEADER_ROW = 3
INFO_FIRST_ROW = 3

# The ward-level sheet of the pilot indicators: one row per ward or commune valid on the
# period's last day, one column per pilot indicator (headed by its code), then the row's
# data quality, evidence and note. Above the header, a row names each indicator.
COL_UNIT_CODE = _label("col_unit_code", "unit_code")
COL_UNIT_NAME = _label("col_unit_name", "unit_name", required=False)
COL_POPULATION = _label("col_population", "population", required=False)
UNIT_LEAD_COLUMNS = (COL_UNIT_CODE, COL_UNIT_NAME, COL_POPULATION)
UNIT_TAIL_COLUMNS = (COL_QUALITY, COL_EVIDENCE, COL_NOTE)
UNITS_NAMES_ROW = 3
UNITS_HEADER_ROW = 4

# The plan: the department's tasks (nhiệm vụ) for the programme and its comments on the draft
# (docs/roadmap.md). Both sheets are optional; a header row, then one task or comment a row.
SHEET_TASKS = _label("sheet_tasks", "tasks", required=False)
SHEET_COMMENTS = _label("sheet_comments", "comments", required=False)
SHEET_CHOICES = _label("sheet_choices", "choices", required=False)  # hidden: drop-downs

TASK_CODE = _label("task_code", "code")
TASK_NAME = _label("task_name", "name")
TASK_AREA = _label("task_area", "area")
TASK_PHASE = _label("task_phase", "phase")
TASK_START = _label("task_start", "start_year")
TASK_END = _label("task_end", "end_year")
TASK_PARTNERS = _label("task_partners", "partners", required=False)
TASK_PROJECT = _label("task_project", "sector_project", required=False)
TASK_DECISION = _label("task_decision", "decision", required=False)
TASK_BUDGET = _label("task_budget", "budget", required=False)
TASK_SOURCE = _label("task_source", "budget_source", required=False)
TASK_STATUS = _label("task_status", "status")
TASK_NOTE = _label("task_note", "note", required=False)
TASK_DEPENDS = _label("task_depends", "depends_on", required=False)
TASK_INDICATORS = _label("task_indicators", "indicators", required=False)
TASK_COLUMNS = (TASK_CODE, TASK_NAME, TASK_AREA, TASK_PHASE, TASK_START, TASK_END, TASK_PARTNERS,
                TASK_PROJECT, TASK_DECISION, TASK_BUDGET, TASK_SOURCE, TASK_STATUS, TASK_NOTE,
                TASK_DEPENDS, TASK_INDICATORS)

COMMENT_SECTION = _label("comment_section", "section")
COMMENT_TEXT = _label("comment_text", "comment")
COMMENT_PROPOSAL = _label("comment_proposal", "proposal", required=False)
COMMENT_COLUMNS = (COMMENT_SECTION, COMMENT_TEXT, COMMENT_PROPOSAL)
# Beside a carried comment, how it was answered: for the department to read (the reader ignores them).
COMMENT_ANSWER_COLUMNS = (_label("comment_response", "response", required=False),
                          _label("comment_explanation", "explanation", required=False))

PLAN_HEADER_ROW = 3  # a title, a hint, then the header (1-based, as Excel shows it)
TASK_ROWS = 30  # rows ready to fill in a template (its carried tasks among them)
COMMENT_ROWS = 20
PLAN_SPARE_ROWS = 10  # empty rows at least, after a department's carried tasks or comments
LIST_SEPARATOR = ";"


def joined(items) -> str:
    """A list of codes as a cell writes it: "A; B" ("" for none)."""
    return f"{LIST_SEPARATOR} ".join(str(item) for item in items)
