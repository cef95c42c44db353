"""The plan sheets of a return (tasks and comments): read back from the real template, every
field checked with a located, bilingual problem, nothing kept from a refused file."""

from __future__ import annotations

import pytest

from sca_metrics.intake.reader import read_workbook
from sca_metrics.intake.validate import check_workbook
from sca_metrics.store.records import CommentRecord
from tests.helpers import fill, fill_roadmap, full_values, template, to_bytes

TASK = {"code": "SYT-01", "name": "Hồ sơ sức khoẻ điện tử", "area": "Y tế (health)",
        "phase": "2021–2025", "start_year": 2021, "end_year": 2023, "partners": "STTTT; STC",
        "sector_project": "Đề án Y tế thông minh", "decision": "QĐ 1234/QĐ-UBND",
        "budget": 12.5, "budget_source": "Ngân sách nhà nước (state)",
        "status": "Đang triển khai (in_progress)", "depends_on": "infrastructure; SYT-02",
        "indicators": "HLT.T1; hlt.t2"}
FIRST_ROW = 4  # under the header (row 3)


def checked(catalog, tasks=(), comments=(), known_tasks=()):
    wb = fill(template(catalog, "SYT", "2024"), full_values(catalog, "SYT"))
    book, problems = read_workbook(to_bytes(fill_roadmap(wb, list(tasks), list(comments))))
    assert book is not None and not problems
    return check_workbook(book, catalog, "SYT", "2024", known_tasks=known_tasks)


def test_tasks_and_comments_read_back_as_records(catalog):
    second = {**TASK, "code": "SYT-02", "name": "Kho dữ liệu y tế", "area": "infrastructure",
              "phase": "2018-2020", "start_year": 2019, "end_year": 2020, "partners": None,
              "depends_on": "Khung kiến trúc", "budget": None, "budget_source": None,
              "status": "done", "indicators": "FND.T1"}
    out = checked(catalog, [TASK, second], [
        {"section": "Y tế", "comment": "Bổ sung nhiệm vụ bệnh án điện tử", "proposal": "Đưa vào 2021–2025"},
        {"section": "Phần III", "comment": "Làm rõ nguồn vốn"}])
    assert out.ok, [p.line() for p in out.problems]
    first, other = out.tasks
    assert (first.code, first.area, first.phase, first.start_year, first.end_year) == (
        "SYT-01", "health", "2021-2025", 2021, 2023)
    assert first.partners == ("STTTT", "STC") and first.budget == 12.5 and first.budget_source == "state"
    assert first.status == "in_progress" and first.depends_on == ("infrastructure", "SYT-02")
    assert first.indicators == ("HLT.T1", "HLT.T2") and first.row == FIRST_ROW
    assert other.depends_on == ("architecture",) and other.budget is None and other.status == "done"
    assert out.comments == [CommentRecord("Y tế", "Bổ sung nhiệm vụ bệnh án điện tử", "Đưa vào 2021–2025", 4),
                            CommentRecord("Phần III", "Làm rõ nguồn vốn", "", 5)]


def test_an_empty_plan_is_no_problem(catalog):
    out = checked(catalog)
    assert out.ok and out.tasks == [] and out.comments == []


@pytest.mark.parametrize(("field", "raw", "code", "column"), [
    ("code", None, "task_code_missing", "A"),
    ("code", "YT-01", "task_code_format", "A"),
    ("name", None, "task_name_missing", "B"),
    ("area", "Nông nghiệp", "task_area_unknown", "C"),
    ("area", None, "task_field_missing", "C"),
    ("phase", "2019–2022", "task_phase_unknown", "D"),
    ("start_year", "năm nay", "task_year_invalid", "E"),
    ("start_year", 2017, "task_year_invalid", "E"),
    ("start_year", 2019, "task_year_phase", "E"),
    ("end_year", 2020, "task_years_order", "F"),
    ("end_year", 2023.5, "task_year_invalid", "F"),
    ("partners", "STTTT; XYZ", "task_partner_unknown", "G"),
    ("partners", "SYT", "task_partner_lead", "G"),
    ("budget", -3, "task_budget_invalid", "J"),
    ("budget", "nhiều", "task_budget_invalid", "J"),
    ("budget_source", "Ngân hàng", "task_source_unknown", "K"),
    ("status", "Xong rồi", "task_status_unknown", "L"),
    ("depends_on", "SYT-99", "task_dependency_unknown", "N"),
    ("depends_on", "SYT-01", "task_dependency_self", "N"),
    ("indicators", "HLT.T1; XXX.9", "task_indicator_unknown", "O"),
])
def test_each_task_field_is_checked_and_located(catalog, field, raw, code, column):
    out = checked(catalog, [{**TASK, "depends_on": None, field: raw}])
    found = [p for p in out.problems if p.code == code]
    assert found and not out.ok, [p.line() for p in out.problems]
    assert found[0].location() == f"Nhiệm vụ!{column}{FIRST_ROW}"
    assert found[0].message("vi") != f"problem.{code}" and found[0].message("en") != found[0].message("vi")
    assert not [k for k in out.tasks if k.row == FIRST_ROW]  # nothing of a refused row is kept


def test_warnings_keep_the_task(catalog):
    out = checked(catalog, [{**TASK, "depends_on": None, "budget_source": None,
                             "status": "Chậm tiến độ (delayed)"}])
    assert out.ok and len(out.tasks) == 1
    assert {p.code for p in out.problems} >= {"task_source_missing", "task_note_missing"}


def test_a_dependency_is_a_layer_a_task_of_the_file_or_another_departments_current_task(catalog):
    other = {**TASK, "depends_on": "GT-07"}
    assert [p.code for p in checked(catalog, [other]).problems if p.code.startswith("task_")] == [
        "task_dependency_unknown"]
    assert checked(catalog, [other], known_tasks={"GT-07": ()}).ok


def test_tasks_depending_on_each_other_in_a_cycle_are_refused(catalog):
    a = {**TASK, "code": "SYT-01", "depends_on": "SYT-02"}
    b = {**TASK, "code": "SYT-02", "depends_on": "SYT-03"}
    c = {**TASK, "code": "SYT-03", "depends_on": "SYT-01"}
    out = checked(catalog, [a, b, c])
    cycles = [p for p in out.problems if p.code == "task_dependency_cycle"]
    assert len(cycles) == 3 and not out.ok
    assert "SYT-01 → SYT-02 → SYT-03 → SYT-01" in cycles[0].message("vi")


def test_a_duplicate_task_code_names_the_first(catalog):
    out = checked(catalog, [{**TASK, "depends_on": None}, {**TASK, "depends_on": None}])
    dup = next(p for p in out.problems if p.code == "task_duplicate")
    assert dup.location() == f"Nhiệm vụ!A{FIRST_ROW + 1}" and f"A{FIRST_ROW}" in dup.message("en")


@pytest.mark.parametrize(("row", "code"), [
    ({"section": "Y tế", "proposal": "Thêm"}, "comment_missing"),
    ({"comment": "Làm rõ"}, "comment_section_missing"),
])
def test_each_comment_field_is_checked(catalog, row, code):
    out = checked(catalog, comments=[row])
    assert [p.code for p in out.problems if p.code.startswith("comment_")] == [code]
    assert not out.ok and out.comments == []


def test_the_templates_task_sheet_offers_every_choice(catalog):
    from sca_metrics.reference import vocabulary

    wb = template(catalog, "SYT", "2024")
    lists = wb["Danh sách chọn"]
    assert [lists.cell(r, 1).value for r in range(1, len(vocabulary.AREA_CHOICES) + 1)] == [
        f"{a.vi} ({a.code})" for a in vocabulary.AREA_CHOICES]
    formulas = {dv.formula1 for dv in wb["Nhiệm vụ"].data_validations.dataValidation}
    assert "'Danh sách chọn'!$A$1:$A$12" in formulas and "'Danh sách chọn'!$C$1:$C$4" in formulas
