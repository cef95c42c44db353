import json

import pytest

from sca_metrics.intake.ingest import ACCEPTED, DUPLICATE, REJECTED, ingest_bytes
from sca_metrics.reference.roles import Actor
from sca_metrics.store import queries, schema
from sca_metrics.store.errors import StoreError
from tests.helpers import fill, full_values, template, to_bytes, valid_return


def ingest(con, catalog, data, name="r.xlsx", **kw):
    return ingest_bytes(con, data, name, catalog, Actor.local("tester"), **kw)


def snapshot(con):
    """Everything the database holds, to prove a failed ingest changed nothing."""
    return {
        "counts": schema.table_counts(con),
        "submissions": queries.submissions(con).to_json(date_format="iso"),
        "observations": queries.current_observations(con).to_json(date_format="iso"),
        "audit": queries.audit_log(con).to_json(date_format="iso"),
    }


def test_schema_is_created_and_versioned(tmp_path):
    path = tmp_path / "a.duckdb"
    con = schema.connect(path)
    assert schema.schema_version(con) == schema.SCHEMA_VERSION
    con.close()
    con = schema.connect(path)  # opening again migrates nothing and keeps one version row
    assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_template_round_trip_keeps_every_value(con, catalog):
    values = full_values(catalog, "SYT")
    result = ingest(con, catalog, to_bytes(fill(template(catalog), values)), "DTTM_SYT_2024.xlsx")
    assert result.status == ACCEPTED
    stored = queries.current_observations(con, "2024")
    assert set(stored.department) == {"SYT"}
    expected = {code: 1.0 if v == "Có" else float(v) for code, v in values.items()}
    assert dict(zip(stored.indicator, stored.value, strict=True)) == expected
    sub = queries.submissions(con).iloc[0]
    assert (sub.file_name, sub.uploader, sub.status, sub.version) == (
        "DTTM_SYT_2024.xlsx", "local (tester)", "current", 1)  # the local administrator, named
    assert len(sub.sha256) == 64 and sub.catalog_version == catalog.version
    assert not sub.is_demo and not queries.is_demo(con)


def test_identical_file_again_is_a_no_op(con, catalog):
    data = valid_return(catalog)
    first = ingest(con, catalog, data)
    before = snapshot(con)
    again = ingest(con, catalog, data, "copy.xlsx")
    assert again.status == DUPLICATE and again.submission_id == first.submission_id
    assert snapshot(con) == before


def test_newer_return_supersedes_and_withdraw_restores(con, catalog):
    v1 = ingest(con, catalog, to_bytes(fill(template(catalog), {"HLT.T1": 40})), "v1.xlsx")
    v2 = ingest(con, catalog, to_bytes(fill(template(catalog), {"HLT.T1": 55})), "v2.xlsx")
    assert (v2.status, v2.version, v2.supersedes) == (ACCEPTED, 2, v1.submission_id)
    subs = queries.submissions(con, "SYT", "2024")
    assert list(subs.status) == ["superseded", "current"]
    assert queries.current_observations(con).value.tolist() == [55]

    restored = queries.withdraw(con, v2.submission_id, Actor.local("analyst"), "sai số liệu")
    assert restored == v1.submission_id
    subs = queries.submissions(con, "SYT", "2024")
    assert list(subs.status) == ["current", "withdrawn"]
    assert subs.iloc[1].withdraw_reason == "sai số liệu"
    assert queries.current_observations(con).value.tolist() == [40]
    # history is never deleted: both versions' values are still there
    assert len(queries.observations(con, v2.submission_id)) == 1
    with pytest.raises(StoreError):  # already withdrawn
        queries.withdraw(con, v2.submission_id, Actor.local("analyst"), "again")
    assert queries.withdraw(con, v1.submission_id, Actor.local("analyst"), "both wrong") is None
    assert queries.current_observations(con).empty


def test_a_failing_ingest_leaves_the_database_unchanged(con, catalog):
    ingest(con, catalog, valid_return(catalog))
    before = snapshot(con)
    bad = to_bytes(fill(template(catalog), {"HLT.T1": 50, "HLT.T2": 400}))
    result = ingest(con, catalog, bad, "bad.xlsx")
    assert result.status == REJECTED
    assert snapshot(con) == before


def test_an_error_during_the_write_rolls_everything_back(con, catalog, monkeypatch):
    before = snapshot(con)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(queries, "_audit", boom)  # the last statement of the transaction fails
    with pytest.raises(RuntimeError):
        ingest(con, catalog, valid_return(catalog))
    assert snapshot(con) == before


def test_warnings_and_audit_log_are_kept(con, catalog):
    result = ingest(con, catalog, to_bytes(fill(template(catalog), {"HLT.T1": 50})))
    problems = queries.submission_problems(con, result.submission_id)
    assert set(problems.severity) == {"warning"} and problems.message_vi.str.len().min() > 0
    audit = queries.audit_log(con)
    assert list(audit.action) == ["ingest"]
    detail = json.loads(audit.detail[0])
    assert detail["sha256"] == result.sha256 and detail["n_values"] == 1
    queries.withdraw(con, result.submission_id, Actor.local("analyst"), "test")
    assert list(queries.audit_log(con).action) == ["ingest", "withdraw"]


def test_departments_and_periods_are_independent(con, catalog):
    ingest(con, catalog, valid_return(catalog, "SYT", "2024"))
    ingest(con, catalog, valid_return(catalog, "SYT", "2025"))
    ingest(con, catalog, valid_return(catalog, "SGTVT", "2024"))
    subs = queries.submissions(con)
    assert list(subs.status) == ["current"] * 3 and list(subs.version) == [1, 1, 1]


def roadmap_return(catalog, dept, period="2024", tasks=(), comments=()):
    from tests.helpers import fill_roadmap

    wb = fill(template(catalog, dept, period), full_values(catalog, dept))
    return to_bytes(fill_roadmap(wb, list(tasks), list(comments)))


def a_task(code, **kw):
    return {"code": code, "name": f"Nhiệm vụ {code}", "area": "health", "phase": "2021-2025",
            "start_year": 2022, "end_year": 2024, "status": "in_progress", "indicators": "HLT.T1", **kw}


def test_a_returns_tasks_and_comments_are_stored_and_superseded_with_it(con, catalog):
    first = ingest(con, catalog, roadmap_return(catalog, "SYT", tasks=[a_task("SYT-01"), a_task("SYT-02")],
                                             comments=[{"section": "Y tế", "comment": "Bổ sung"}]))
    assert first.status == ACCEPTED, [p.line() for p in first.problems]
    tasks = queries.roadmap_tasks(con)
    assert list(tasks.code) == ["SYT-01", "SYT-02"] and list(tasks.indicators[0]) == ["HLT.T1"]
    assert list(queries.roadmap_comments(con).comment) == ["Bổ sung"]
    before = schema.table_counts(con)
    refused = ingest(con, catalog, roadmap_return(catalog, "SYT", tasks=[a_task("SYT-03")]), "v2.xlsx")
    assert [p.code for p in refused.problems if p.is_error] == ["plan_comments_removed"]  # not silently
    assert schema.table_counts(con) == before
    second = ingest(con, catalog, roadmap_return(catalog, "SYT", tasks=[a_task("SYT-03")]), "v2.xlsx",
                    remove_roadmap=True)  # confirmed
    assert second.supersedes == first.submission_id
    assert list(queries.roadmap_tasks(con).code) == ["SYT-03"]  # the newer return's plan only
    assert queries.roadmap_comments(con).empty
    assert schema.table_counts(con)["tasks"] == 3  # history is kept


def test_the_plan_as_of_a_period_is_each_departments_latest_return_with_tasks(con, catalog):
    ingest(con, catalog, roadmap_return(catalog, "SYT", "2023", tasks=[a_task("SYT-01")]), "a.xlsx")
    ingest(con, catalog, roadmap_return(catalog, "SYT", "2025", tasks=[a_task("SYT-09")]), "b.xlsx")
    assert list(queries.roadmap_tasks(con, "2024").code) == ["SYT-01"]
    assert list(queries.roadmap_tasks(con, "2025").code) == ["SYT-09"]
    assert list(queries.roadmap_tasks(con).code) == ["SYT-09"]


def test_a_task_may_depend_on_another_departments_current_task(con, catalog):
    refused = ingest(con, catalog, roadmap_return(catalog, "SGTVT", tasks=[
        a_task("SGTVT-01", area="transport", depends_on="SYT-01", indicators="TRA.T1")]), "gt.xlsx")
    assert refused.status == REJECTED and [p.code for p in refused.problems if p.is_error] == [
        "task_dependency_unknown"]
    ingest(con, catalog, roadmap_return(catalog, "SYT", tasks=[a_task("SYT-01")]), "yt.xlsx")
    accepted = ingest(con, catalog, roadmap_return(catalog, "SGTVT", tasks=[
        a_task("SGTVT-01", area="transport", depends_on="SYT-01", indicators="TRA.T1")]), "gt.xlsx")
    assert accepted.status == ACCEPTED


def test_only_an_administrator_responds_to_a_comment_and_an_explanation_is_required(con, catalog):
    from sca_metrics.reference.roles import UPLOADER, BadGrant, Forbidden

    saved = ingest(con, catalog, roadmap_return(catalog, "SYT", comments=[
        {"section": "Y tế", "comment": "Bổ sung bệnh án điện tử"}]))
    sid = saved.submission_id
    uploader = Actor("yt@example.vn", UPLOADER, ("SYT",))
    before = schema.table_counts(con)
    with pytest.raises(Forbidden):
        queries.respond(con, uploader, sid, 4, "accepted", "")
    with pytest.raises(BadGrant) as missing:
        queries.respond(con, Actor.local("admin"), sid, 4, "explained", "  ")
    assert missing.value.message("vi") == "Nhập nội dung giải trình cho ý kiến không tiếp thu."
    with pytest.raises(BadGrant):
        queries.respond(con, Actor.local("admin"), sid, 99, "accepted", "")
    assert schema.table_counts(con) == before  # a refusal changes nothing
    queries.respond(con, Actor.local("admin"), sid, 4, "explained", "Đã có trong Đề án ngành")
    queries.respond(con, Actor.local("admin"), sid, 4, "accepted", "")
    row = queries.roadmap_comments(con).iloc[0]
    assert (row.response, row.responded_by) == ("accepted", "local (admin)")  # the latest response
    assert "respond" in set(queries.audit_log(con).action)
