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


SHEET_INSTRUCTIONS = Label("instructions", "Hướng dẫn", "Instructions", required=False)
SHEET_INFO = Label("info", "Thông tin", "Information")
SHEET_INDICATORS = Label("indicators", "Chỉ số", "Indicators")
SHEET_UNITS = Label("units", "Theo phường, xã", "By ward")

INFO_DEPARTMENT = Label("department", "Mã đơn vị", "Department code")
INFO_DEPARTMENT_NAME = Label("department_name", "Tên đơn vị", "Department", required=False)
INFO_PERIOD = Label("period", "Kỳ báo cáo", "Reporting period")
INFO_PREPARER = Label("preparer", "Người lập", "Prepared by", required=False)
INFO_DATE = Label("date", "Ngày lập (dd/mm/yyyy)", "Date (dd/mm/yyyy)", required=False)
INFO_CATALOG = Label("catalog_version", "Phiên bản danh mục", "Catalog version", required=False)
INFO_FIELDS = (INFO_DEPARTMENT, INFO_DEPARTMENT_NAME, INFO_PERIOD, INFO_PREPARER, INFO_DATE,
               INFO_CATALOG)

COL_CODE = Label("code", "Mã chỉ số", "Code")
COL_NAME = Label("name", "Tên chỉ số", "Indicator", required=False)
COL_DOMAIN = Label("domain", "Lĩnh vực", "Domain", required=False)
COL_DRIVER = Label("driver", "Động lực", "Driver", required=False)
COL_UNIT = Label("unit", "Đơn vị tính", "Unit", required=False)
COL_KIND = Label("kind", "Loại", "Kind", required=False)
COL_VALUE = Label("value", "Giá trị", "Value")
COL_QUALITY = Label("quality", "Chất lượng dữ liệu", "Data quality")
COL_EVIDENCE = Label("evidence", "Minh chứng", "Evidence")
COL_NOTE = Label("note", "Ghi chú", "Note", required=False)
INDICATOR_COLUMNS = (COL_CODE, COL_NAME, COL_DOMAIN, COL_DRIVER, COL_UNIT, COL_KIND,
                     COL_VALUE, COL_QUALITY, COL_EVIDENCE, COL_NOTE)
FILL_COLUMNS = (COL_VALUE, COL_QUALITY, COL_EVIDENCE, COL_NOTE)

# Rows of the indicators sheet: a title, a hint, then the header.
HEADER_ROW = 3
INFO_FIRST_ROW = 3

# The ward-level sheet of the pilot indicators: one row per ward or commune valid on the
# period's last day, one column per pilot indicator (headed by its code), then the row's
# data quality, evidence and note. Above the header, a row names each indicator.
COL_UNIT_CODE = Label("unit_code", "Mã đơn vị hành chính", "Unit code")
COL_UNIT_NAME = Label("unit_name", "Phường, xã", "Ward or commune", required=False)
COL_POPULATION = Label("population", "Dân số (trọng số)", "Population (weight)", required=False)
UNIT_LEAD_COLUMNS = (COL_UNIT_CODE, COL_UNIT_NAME, COL_POPULATION)
UNIT_TAIL_COLUMNS = (COL_QUALITY, COL_EVIDENCE, COL_NOTE)
UNITS_NAMES_ROW = 3
UNITS_HEADER_ROW = 4

# The plan: the department's tasks (nhiệm vụ) for the programme and its comments on the draft
# (docs/roadmap.md). Both sheets are optional; a header row, then one task or comment a row.
SHEET_TASKS = Label("tasks", "Nhiệm vụ", "Tasks", required=False)
SHEET_COMMENTS = Label("comments", "Ý kiến góp ý", "Comments", required=False)
SHEET_CHOICES = Label("choices", "Danh sách chọn", "Choices", required=False)  # hidden: drop-downs

TASK_CODE = Label("code", "Mã nhiệm vụ", "Task code")
TASK_NAME = Label("name", "Tên nhiệm vụ", "Task")
TASK_AREA = Label("area", "Lĩnh vực, lớp nền tảng", "Domain or foundations layer")
TASK_PHASE = Label("phase", "Giai đoạn", "Phase")
TASK_START = Label("start_year", "Năm bắt đầu", "Start year")
TASK_END = Label("end_year", "Năm kết thúc", "End year")
TASK_PARTNERS = Label("partners", "Đơn vị phối hợp (mã; mã)", "Cooperating departments (code; code)",
                      required=False)
TASK_PROJECT = Label("sector_project", "Đề án, dự án của ngành", "Sector project", required=False)
TASK_DECISION = Label("decision", "Số quyết định phê duyệt", "Approving decision", required=False)
TASK_BUDGET = Label("budget", "Kinh phí dự kiến (tỷ đồng)", "Estimated budget (billion VND)",
                    required=False)
TASK_SOURCE = Label("budget_source", "Nguồn vốn", "Budget source", required=False)
TASK_STATUS = Label("status", "Tình trạng", "Status")
TASK_NOTE = Label("note", "Ghi chú tình trạng", "Status note", required=False)
TASK_DEPENDS = Label("depends_on", "Phụ thuộc (mã nhiệm vụ hoặc lớp nền tảng; …)",
                     "Depends on (task codes or foundations layers; …)", required=False)
TASK_INDICATORS = Label("indicators", "Chỉ số đo lường (mã; mã)", "Measured by (indicator codes; …)",
                        required=False)
TASK_COLUMNS = (TASK_CODE, TASK_NAME, TASK_AREA, TASK_PHASE, TASK_START, TASK_END, TASK_PARTNERS,
                TASK_PROJECT, TASK_DECISION, TASK_BUDGET, TASK_SOURCE, TASK_STATUS, TASK_NOTE,
                TASK_DEPENDS, TASK_INDICATORS)

COMMENT_SECTION = Label("section", "Phần, lĩnh vực của dự thảo", "Section or domain of the draft")
COMMENT_TEXT = Label("comment", "Ý kiến", "Comment")
COMMENT_PROPOSAL = Label("proposal", "Đề xuất", "Proposal", required=False)
COMMENT_COLUMNS = (COMMENT_SECTION, COMMENT_TEXT, COMMENT_PROPOSAL)
# Beside a carried comment, how it was answered: for the department to read (the reader ignores them).
COMMENT_ANSWER_COLUMNS = (Label("response", "Tiếp thu / giải trình", "Response", required=False),
                          Label("explanation", "Nội dung giải trình", "Explanation", required=False))

PLAN_HEADER_ROW = 3  # a title, a hint, then the header (1-based, as Excel shows it)
TASK_ROWS = 30  # rows ready to fill in a template (its carried tasks among them)
COMMENT_ROWS = 20
PLAN_SPARE_ROWS = 10  # empty rows at least, after a department's carried tasks or comments
LIST_SEPARATOR = ";"


def joined(items) -> str:
    """A list of codes as a cell writes it: "A; B" ("" for none)."""
    return f"{LIST_SEPARATOR} ".join(str(item) for item in items)
