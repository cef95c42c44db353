"""The roadmap's order, its budget totals and every flag, on small plans built here."""

from __future__ import annotations

import dataclasses

import pytest

from sca_metrics.method import roadmap
from sca_metrics.method.roadmap import OUTSIDE, Task
from sca_metrics.reference import vocabulary


def task(code, area, start, end, status="in_progress", **kw) -> Task:
    phase = next(p for p, (a, b) in vocabulary.PHASE_YEARS.items() if a <= start <= b)
    base = {"name": f"Nhiệm vụ {code}", "phase": phase, "lead_department": "STTTT",
            "indicators": ("FND.T1",)}
    return Task(code, area=area, start_year=start, end_year=end, status=status, **{**base, **kw})


def plan() -> list[Task]:
    """The article's order: architecture 2018–2019, infrastructure 2019–2021, operations centre
    2020–2021, then the domains — one of which starts before the operations centre is ready."""
    return [
        task("SYT-1", "health", 2020, 2022, depends_on=("operations",), lead_department="SYT",
             indicators=("HLT.T1",), budget=12.5, budget_source="state", sector_project="Y tế thông minh"),
        task("GT-1", "transport", 2022, 2025, depends_on=("operations",), lead_department="SGTVT",
             indicators=(), budget=30.0, budget_source="oda"),
        task("TT-3", "operations", 2020, 2021, depends_on=("TT-2",), budget=40.0, budget_source="state"),
        task("TT-2", "infrastructure", 2019, 2021, depends_on=("architecture",), budget=55.0,
             budget_source="state"),
        task("TT-1", "architecture", 2018, 2019, status="done", budget=2.0, budget_source="state"),
        task("SYT-2", OUTSIDE, 2021, 2023, lead_department="SYT", sector_project="Bệnh viện số",
             indicators=()),
        task("DL-1", "tourism", 2018, 2020, lead_department="SDL", indicators=("TOU.T1",)),
        task("GD-1", "education", 2021, 2025, status="delayed", note="thiếu kinh phí",
             lead_department="SGDDT", indicators=("EDU.T1",)),
    ]


def codes(flags, code):
    return [f.task or f.params.get("indicator") or f.params.get("area") or f.params.get("project")
            for f in flags if f.code == code]


def test_the_timeline_is_foundations_first_then_the_domains_then_what_lies_outside():
    order = [k.code for k in roadmap.timeline(plan())]
    assert order == ["TT-1", "TT-2", "TT-3", "GD-1", "SYT-1", "DL-1", "GT-1", "SYT-2"]


def test_a_task_starting_before_what_it_depends_on_is_ready_is_flagged(catalog):
    flags = roadmap.flags(plan(), catalog, as_of=2020)
    early = [f for f in flags if f.code == "before_dependency"]
    # health starts in 2020, the operations centre is scheduled for 2021; transport starts in
    # 2022 (after it); the operations centre starts in 2020 before the infrastructure's 2021
    assert [(f.task, f.params["dependency"], f.params["ready"]) for f in early] == [
        ("TT-3", "TT-2", 2021), ("SYT-1", "operations", 2021)]
    assert early[1].message("vi") == ("Nhiệm vụ SYT-1 bắt đầu năm 2020, trước khi Trung tâm điều hành (IOC) "
                                      "mà nó phụ thuộc hoàn thành (dự kiến năm 2021).")
    assert "Operations centres (IOC)" in early[1].message("en")
    # what depends on layers done before it starts is not early; a task that started before
    # its layer's scheduled end stays flagged once the layer is done (the order was broken)
    done = [dataclasses.replace(k, status="done") if k.area in vocabulary.LAYER_CODES else k for k in plan()]
    assert not codes(roadmap.flags(done, catalog, as_of=2019), "before_dependency")
    assert codes(roadmap.flags(done, catalog, as_of=2024), "before_dependency") == ["TT-3", "SYT-1"]


def test_a_dependency_on_a_layer_no_task_builds_is_flagged(catalog):
    tasks = [k for k in plan() if k.area != "operations"]
    flags = [f for f in roadmap.flags(tasks, catalog, 2020) if f.code == "before_dependency"]
    assert [f.task for f in flags] == ["SYT-1", "GT-1"]
    assert flags[0].message("en") == (
        "Task SYT-1 depends on Operations centres (IOC), which no task builds yet.")


def test_unmeasured_delayed_and_overdue_tasks(catalog):
    flags = roadmap.flags(plan(), catalog, as_of=2021)
    assert codes(flags, "unmeasured") == ["GT-1"]  # a task outside the programme is not asked to be
    delayed = {f.task: f for f in flags if f.code == "delayed"}
    assert set(delayed) == {"DL-1", "GD-1"}  # reported delayed; ended in 2020, not done
    assert delayed["GD-1"].message("vi") == "Nhiệm vụ GD-1 chậm tiến độ: thiếu kinh phí"
    assert delayed["DL-1"].message("en") == "Task DL-1 is past its end year 2020 and not done."
    later = {f.task for f in roadmap.flags(plan(), catalog, as_of=2022) if f.code == "delayed"}
    assert later == {"DL-1", "GD-1", "TT-2", "TT-3"}  # the two ending in 2021 are not done


def test_unplanned_targets_unlinked_projects_and_areas_without_a_task(catalog):
    flags = roadmap.flags(plan(), catalog, as_of=2020)
    unplanned = codes(flags, "unplanned_target")
    with_target = [i.code for i in catalog.indicators
                   if i.target_2025 is not None or i.target_2030 is not None]
    assert unplanned == [c for c in with_target if c not in {"FND.T1", "HLT.T1", "TOU.T1", "EDU.T1"}]
    first = next(f for f in flags if f.code == "unplanned_target")
    assert first.message("vi", catalog).startswith(f"Chỉ số {first.params['indicator']} · ")
    # the health department's digital-hospital project has no task in a programme area; its
    # smart-health project has
    assert codes(flags, "project_unlinked") == ["Bệnh viện số"]
    assert "«Bệnh viện số» của SYT" in next(f for f in flags if f.code == "project_unlinked").message("vi")
    assert codes(flags, "area_without_task") == ["egov", "environment", "construction", "security"]
    assert next(f for f in flags if f.code == "area_without_task").message("en") == (
        "E-government: no department has a task here yet.")


def test_budget_totals_match_the_tasks_in_the_programmes_order():
    tasks = plan()
    by_area = roadmap.budget(tasks, by=("area",))
    assert list(by_area.area) == ["architecture", "infrastructure", "operations", "education", "health",
                                  "tourism", "transport", OUTSIDE]
    assert by_area.budget.sum() == pytest.approx(sum(k.budget or 0 for k in tasks)) == 139.5
    assert by_area.set_index("area").n_unbudgeted["education"] == 1
    by_source = roadmap.budget(tasks, by=("phase", "budget_source")).set_index(["phase", "budget_source"])
    assert by_source.budget[("2018-2020", "state")] == pytest.approx(2.0 + 55.0 + 40.0 + 12.5)
    assert by_source.budget[("2021-2025", "oda")] == pytest.approx(30.0)


def test_the_timeline_draws_each_task_from_its_start_to_its_end_in_the_programmes_order():
    from sca_metrics.outputs import roadmap_figures

    tasks = plan() + [task("SYT-9", "health", 2021, 2022, name="<a href='x'>Bệnh án</a>")]
    fig = roadmap_figures.timeline(tasks, "vi", 2022, flagged={"SYT-1"})
    bars = {code: (base, width) for trace in fig.data if trace.type == "bar"
            for code, base, width in zip(trace.customdata, trace.base, trace.x, strict=True)}
    assert bars["TT-2"] == (2019, 3)  # 2019–2021: three years
    order = list(fig.layout.yaxis.categoryarray)
    assert [label.split(" · ")[0] for label in order[:3]] == ["TT-1", "TT-2", "TT-3"]
    assert any(label.startswith("⚠ SYT-1 · ") for label in order)
    escaped = "&lt;a href=&#x27;x&#x27;&gt;Bệnh án&lt;/a&gt;"  # drawn as text, never a link
    assert any(escaped in label.replace("<br>", " ") for label in order)
    by_status = {trace.name: trace.marker.color for trace in fig.data if trace.type == "bar"}
    assert by_status["Chậm tiến độ"] == vocabulary.term(vocabulary.TASK_STATUSES, "delayed").colour
    assert {n.text for n in fig.layout.annotations} >= {"Khung kiến trúc", "Y tế", "Ngoài Đề án"}
    phone = roadmap_figures.timeline(tasks, "vi", 2022, phone=True)
    assert not [n for n in phone.layout.annotations if n.text == "Y tế"]
    assert all(" · " not in label for label in phone.layout.yaxis.categoryarray)
