"""A department's template carries its current plan, so a return sent back as downloaded changes
nothing in it; the preview says what a return changes in the tasks and comments; a return that
would empty the plan is refused unless confirmed; a comment re-sent unchanged keeps its response."""

import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from sca_metrics.cli import main
from sca_metrics.intake import layout
from sca_metrics.intake.ingest import ACCEPTED, REJECTED, check_bytes, ingest_bytes
from sca_metrics.intake.preview import (
    CHANGED,
    COMMENT,
    NEW,
    REMOVED,
    TASK,
    UNCHANGED,
    describe,
    roadmap_changes,
    roadmap_summary,
)
from sca_metrics.reference.roles import Actor
from sca_metrics.store import queries, schema
from tests.helpers import current_roadmap, fill, fill_roadmap, full_values, template, to_bytes

ADMIN = Actor.local("admin")
FULL_TASK = {"code": "SYT-01", "name": "Bệnh án điện tử toàn tỉnh", "area": "health",
             "phase": "2021-2025", "start_year": 2022, "end_year": 2025, "partners": "STTTT; STC",
             "sector_project": "Đề án Y tế số", "decision": "QĐ 123/QĐ-UBND", "budget": 12.5,
             "budget_source": "state", "status": "delayed", "note": "Chờ hạ tầng",
             "depends_on": "infrastructure", "indicators": "HLT.T1; HLT.T2"}
SECOND = {"code": "SYT-02", "name": "=HYPERLINK(\"http://x\",\"bấm\")", "area": "health",
          "phase": "2021-2025", "start_year": 2023, "end_year": 2024, "status": "done",
          "indicators": "HLT.T3", "depends_on": "SYT-01"}
COMMENTS = [{"section": "Y tế", "comment": "Bổ sung bệnh án điện tử", "proposal": "Thêm nhiệm vụ"},
            {"section": "Phần V - Kinh phí", "comment": "Kinh phí lớn"}]


def store(con, catalog, data, name="r.xlsx", **kw):
    result = ingest_bytes(con, data, name, catalog, Actor.local("yt"), **kw)
    assert result.status == ACCEPTED, [p.line() for p in result.problems]
    return result


def typed_as_text(wb):
    """Text starting with "=" as an officer types it ('=…): a text cell, not a formula."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return wb


def planned(wb, tasks, comments) -> bytes:
    return to_bytes(typed_as_text(fill_roadmap(wb, tasks, comments)))


def first_roadmap(con, catalog, period="2024"):
    wb = fill(template(catalog, "SYT", period), full_values(catalog, "SYT"))
    store(con, catalog, planned(wb, [FULL_TASK, SECOND], COMMENTS), "v1.xlsx")
    found = queries.roadmap_comments(con, period, "SYT")
    queries.respond(con, ADMIN, int(found.submission_id[0]), int(found.sheet_row[0]), "explained",
                    "Đã có trong Đề án ngành")


def roadmap_now(con, period="2024") -> tuple[pd.DataFrame, pd.DataFrame]:
    keep = ["code", "name", "area", "phase", "start_year", "end_year", "partners", "sector_project",
            "decision", "budget", "budget_source", "status", "note", "depends_on", "indicators"]
    tasks = queries.roadmap_tasks(con, period, "SYT")[keep]
    tasks = tasks.assign(**{c: tasks[c].map(list) for c in ("partners", "depends_on", "indicators")})
    comments = queries.roadmap_comments(con, period, "SYT")[["section", "comment", "proposal", "response",
                                                           "explanation", "responded_by"]]
    return tasks, comments


def test_a_return_sent_back_as_downloaded_changes_nothing_in_the_plan(con, catalog):
    """The template a department downloaded had an empty tasks sheet: a corrected return uploaded
    as downloaded replaced the plan (SYT-02 went from done to in progress, «delayed» appeared)."""
    first_roadmap(con, catalog)
    before = roadmap_now(con)
    wb = fill(template(catalog, "SYT", "2024", current_roadmap(con, "SYT", "2024")), {"HLT.T1": 61})
    data = to_bytes(wb)
    checked = check_bytes(data, catalog, "SYT", "2024", queries.task_graph(con))
    assert not [p for p in checked.problems if p.is_error]
    plan = current_roadmap(con, "SYT", "2024")
    diff = roadmap_changes(checked, plan.tasks, plan.comments, queries.roadmap_tasks(con, "2023", "SYT"),
                        queries.roadmap_comments(con, "2023", "SYT"))
    assert set(diff.change) == {UNCHANGED} and len(diff) == 4
    store(con, catalog, data, "v2.xlsx")
    after = roadmap_now(con)
    pd.testing.assert_frame_equal(after[0], before[0])
    pd.testing.assert_frame_equal(after[1], before[1])  # the response too: the comment is the same
    assert after[1].response.tolist()[0] == "explained"


def test_the_template_writes_a_tasks_text_as_text_never_as_a_formula(con, catalog, tmp_path):
    first_roadmap(con, catalog)
    path = tmp_path / "t.xlsx"
    path.write_bytes(to_bytes(template(catalog, "SYT", "2024", current_roadmap(con, "SYT", "2024"))))
    with zipfile.ZipFile(path) as z:
        tasks_xml = next(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")
                         and "HYPERLINK" in z.read(n).decode())
    assert "<f>" not in tasks_xml  # no formula anywhere on the sheet
    ws = load_workbook(path)[layout.SHEET_TASKS.vi]
    cells = {ws.cell(r, 1).value: r for r in range(layout.PLAN_HEADER_ROW + 1, ws.max_row + 1)}
    name = ws.cell(cells["SYT-02"], 2)
    assert name.value == SECOND["name"] and name.data_type == "s"
    row = cells["SYT-01"]
    texts = [ws.cell(row, c).value for c in range(1, len(layout.TASK_COLUMNS) + 1)]
    assert texts == ["SYT-01", FULL_TASK["name"], "Y tế (health)", "2021–2025 (2021-2025)", 2022, 2025,
                     "STTTT; STC", "Đề án Y tế số", "QĐ 123/QĐ-UBND", 12.5, "Ngân sách nhà nước (state)",
                     "Chậm tiến độ (delayed)", "Chờ hạ tầng", "infrastructure", "HLT.T1; HLT.T2"]
    comments = load_workbook(path)[layout.SHEET_COMMENTS.vi]
    head = [comments.cell(layout.PLAN_HEADER_ROW, c).value for c in range(1, 6)]
    assert head[3:] == ["Tiếp thu / giải trình / Response", "Nội dung giải trình / Explanation"]
    first = layout.PLAN_HEADER_ROW + 1
    assert comments.cell(first, 4).value == "Giải trình / Explained"
    assert comments.cell(first, 5).value == "Đã có trong Đề án ngành"
    assert comments.cell(first, 5).protection.locked and not comments.cell(first, 2).protection.locked


def test_the_preview_says_what_a_return_changes_in_tasks_and_comments(con, catalog):
    first_roadmap(con, catalog)
    changed = dict(FULL_TASK, status="done", budget=13)
    wb = fill(template(catalog, "SYT", "2024"), full_values(catalog, "SYT"))
    fill_roadmap(wb, [changed, dict(SECOND, code="SYT-03", name="Nhiệm vụ mới", depends_on="")],
              [COMMENTS[0], dict(COMMENTS[1], proposal="Giảm quy mô")])
    checked = check_bytes(to_bytes(wb), catalog, "SYT", "2024", queries.task_graph(con))
    plan = current_roadmap(con, "SYT", "2024")
    diff = roadmap_changes(checked, plan.tasks, plan.comments, plan.tasks.iloc[:0], plan.comments.iloc[:0])
    tasks = diff[diff.kind == TASK].set_index("key")
    assert tasks.change.to_dict() == {"SYT-03": NEW, "SYT-01": CHANGED, "SYT-02": REMOVED}
    assert tasks.loc["SYT-01", "fields"] == ["budget", "status"]
    one = tasks.loc["SYT-01"]
    assert describe(one.fields, one.before, one.after, "vi") == (
        "Kinh phí dự kiến (tỷ đồng): 12,5 → 13,0; Tình trạng: Chậm tiến độ → Hoàn thành")
    assert tasks.loc["SYT-03", "cell"] == "Nhiệm vụ!A5" and pd.isna(tasks.loc["SYT-02", "cell"])
    notes = diff[diff.kind == COMMENT].set_index("text")
    assert notes.change.to_dict() == {"Kinh phí lớn": CHANGED, "Bổ sung bệnh án điện tử": UNCHANGED}
    assert roadmap_summary(diff) == {TASK: {NEW: 1, CHANGED: 1, REMOVED: 1, UNCHANGED: 0},
                                  COMMENT: {NEW: 0, CHANGED: 1, REMOVED: 0, UNCHANGED: 1}}
    assert list(diff.kind[:3]) == [TASK] * 3  # tasks first, what changes first


def test_a_return_without_tasks_shows_the_plan_the_roadmap_falls_back_to(con, catalog):
    """The roadmap shows a department's latest period with tasks: a 2025 return that removes its
    tasks brings 2024's back, and the preview says so task by task."""
    first_roadmap(con, catalog, "2024")
    wb = fill(template(catalog, "SYT", "2025"), full_values(catalog, "SYT"))
    store(con, catalog, planned(wb, [dict(FULL_TASK, status="done")], COMMENTS), "2025.xlsx")
    empty = check_bytes(to_bytes(fill(template(catalog, "SYT", "2025"), full_values(catalog, "SYT"))),
                        catalog, "SYT", "2025")
    plan, earlier = current_roadmap(con, "SYT", "2025"), current_roadmap(con, "SYT", "2024")
    diff = roadmap_changes(empty, plan.tasks, plan.comments, earlier.tasks, earlier.comments)
    tasks = diff[diff.kind == TASK].set_index("key")
    assert tasks.change.to_dict() == {"SYT-02": NEW, "SYT-01": CHANGED}
    assert tasks.loc["SYT-01", "fields"] == ["status"]


def test_a_return_that_would_empty_the_plan_is_refused_unless_confirmed(con, catalog):
    first_roadmap(con, catalog)
    before = schema.table_counts(con)
    data = to_bytes(fill(template(catalog, "SYT", "2024"), full_values(catalog, "SYT")))
    refused = ingest_bytes(con, data, "trống.xlsx", catalog, Actor.local("yt"))
    assert refused.status == REJECTED
    assert [(p.code, p.location(), p.params["n"]) for p in refused.problems if p.is_error] == [
        ("plan_tasks_removed", "Nhiệm vụ!A4", 2), ("plan_comments_removed", "Ý kiến góp ý!A4", 2)]
    assert "sẽ bỏ cả 2 nhiệm vụ đó" in refused.problems[-2].message("vi")
    assert "would remove all 2, and the roadmap" in refused.problems[-2].message("en")
    assert schema.table_counts(con) == before  # nothing stored
    store(con, catalog, data, "trống.xlsx", remove_roadmap=True)
    assert queries.roadmap_tasks(con, "2024", "SYT").empty
    assert queries.roadmap_comments(con, "2024", "SYT").empty


def test_a_comment_keeps_its_response_while_it_is_sent_unchanged(con, catalog):
    first_roadmap(con, catalog)
    wb = fill(template(catalog, "SYT", "2024"), full_values(catalog, "SYT"))
    edited = [dict(COMMENTS[0], proposal="Thêm hai nhiệm vụ"), COMMENTS[1]]
    store(con, catalog, planned(wb, [FULL_TASK, SECOND], edited), "v2.xlsx")
    assert queries.roadmap_comments(con, "2024", "SYT").response.isna().all()  # edited: to answer again
    wb = fill(template(catalog, "SYT", "2024"), full_values(catalog, "SYT"))
    store(con, catalog, planned(wb, [FULL_TASK, SECOND], COMMENTS), "v3.xlsx")
    row = queries.roadmap_comments(con, "2024", "SYT").iloc[0]
    assert (row.response, row.explanation) == ("explained", "Đã có trong Đề án ngành")  # as it was said
    # carried over from the first return, and said to be (the roadmap page names its version)
    assert row.answered_on != row.submission_id and row.answered_version == 1
    # another department saying the same has not been answered
    wb = fill(template(catalog, "SGTVT", "2024"), full_values(catalog, "SGTVT"))
    store(con, catalog, planned(wb, [], COMMENTS), "gt.xlsx")
    assert queries.roadmap_comments(con, "2024", "SGTVT").response.isna().all()


def test_the_command_line_carries_the_plan_and_asks_before_removing_it(tmp_path, catalog, capsys):
    db = tmp_path / "db.duckdb"
    con = schema.connect(db)
    first_roadmap(con, catalog)
    con.close()
    out = tmp_path / "SYT_2024.xlsx"
    assert main(["template", "--db", str(db), "--department", "SYT", "--period", "2024",
                 "--out", str(out)]) == 0
    assert "carried over: 2 tasks, 2 comments" in capsys.readouterr().out
    ws = load_workbook(out)[layout.SHEET_TASKS.vi]
    assert [ws.cell(r, 1).value for r in (4, 5, 6)] == ["SYT-01", "SYT-02", None]
    blank = tmp_path / "blank.xlsx"
    assert main(["template", "--db", str(db), "--department", "SYT", "--period", "2024", "--out", str(blank),
                 "--blank"]) == 0
    wb = fill(load_workbook(blank), full_values(catalog, "SYT"))
    blank.write_bytes(to_bytes(wb))
    assert main(["ingest", "--db", str(db), str(blank), "--lang", "en"]) == 1
    said = capsys.readouterr().out
    assert "Nhiệm vụ!A4: [Error] The «Tasks» sheet is empty" in said and "rejected (2 errors)" in said
    assert main(["ingest", "--db", str(db), str(blank), "--remove-roadmap"]) == 0
    con = schema.connect(db)
    assert queries.roadmap_tasks(con, "2024").empty
    con.close()


@pytest.mark.parametrize("text", ["=1+1", "@SUM(A1)", "a\x1bb"])
def test_a_text_the_template_writes_back_is_safe_in_a_spreadsheet(con, catalog, text, tmp_path):
    """A note the store holds is written as text (a formula would run; a control character
    would make the workbook unreadable)."""
    from sca_metrics.intake.template import DepartmentRoadmap

    plan = current_roadmap(con, "SYT", "2024")
    task = {"department": "SYT", "period": "2024", "code": "SYT-09", "name": "Tên", "area": "health",
            "phase": "2021-2025", "start_year": 2022, "end_year": 2023, "partners": [],
            "sector_project": None, "decision": None, "budget": None, "budget_source": None,
            "status": "not_started", "note": text,
            "depends_on": [], "indicators": [], "sheet_row": 4}
    path = tmp_path / "t.xlsx"
    carried = DepartmentRoadmap(pd.DataFrame([task]), plan.comments)
    path.write_bytes(to_bytes(template(catalog, "SYT", "2024", carried)))
    ws = load_workbook(path)[layout.SHEET_TASKS.vi]
    note = ws.cell(layout.PLAN_HEADER_ROW + 1, 13)
    assert note.data_type == "s" and note.value == text.replace("\x1b", "")
