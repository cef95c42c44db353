"""Permissions are checked where data is written: the ingest, withdraw and grant services are
called here directly with identities their roles do not allow."""

from __future__ import annotations

import json

import pytest

from sca_metrics.cli import main
from sca_metrics.intake.ingest import ACCEPTED, REJECTED, check_bytes, ingest_bytes
from sca_metrics.reference.roles import ADMIN, UPLOADER, VIEWER, Actor, BadGrant, Forbidden
from sca_metrics.store import queries, schema
from tests.helpers import valid_return

ADMIN_ACTOR = Actor("chief@stttt.gov.vn", ADMIN)
HEALTH = Actor("nurse@syt.gov.vn", UPLOADER, frozenset({"SYT"}))
READER = Actor("reader@ubnd.gov.vn", VIEWER)


def departments(catalog) -> list[str]:
    return [d.code for d in catalog.departments]


@pytest.fixture
def con(con, catalog):
    """The store with the three people's grants, as an administrator gave them: the write
    functions read the grant from the store, never from the Actor they are handed."""
    for who in (ADMIN_ACTOR, HEALTH, READER):
        queries.grant(con, Actor.local(), who.email, who.role, sorted(who.departments), departments(catalog))
    return con


def test_an_uploader_submits_for_their_department_only(con, catalog):
    mine = ingest_bytes(con, valid_return(catalog, "SYT"), "syt.xlsx", catalog, HEALTH)
    assert mine.status == ACCEPTED
    assert queries.submissions(con).uploader.tolist() == ["nurse@syt.gov.vn"]  # the signed-in email
    before = schema.table_counts(con)
    other = ingest_bytes(con, valid_return(catalog, "SGTVT"), "gt.xlsx", catalog, HEALTH)
    assert other.status == REJECTED and other.problems[0].code == "upload_department"
    said = other.problems[0].message("en")
    assert "SGTVT" in said and "Nothing was stored" in said
    assert schema.table_counts(con) == before


def test_a_viewer_cannot_submit_anything(con, catalog):
    result = ingest_bytes(con, valid_return(catalog, "SYT"), "syt.xlsx", catalog, READER)
    assert result.status == REJECTED and [p.code for p in result.problems] == ["upload_role"]
    assert schema.table_counts(con)["submissions"] == 0


def test_the_store_itself_refuses_a_forbidden_save(con, catalog):
    checked = check_bytes(valid_return(catalog, "SGTVT"), catalog)
    assert checked.ok
    for actor in (HEALTH, READER):
        with pytest.raises(Forbidden):
            queries.save_return(con, checked, file_name="x.xlsx", sha256="0" * 64, actor=actor,
                                catalog_version=catalog.version)
    assert schema.table_counts(con)["submissions"] == 0


def test_only_an_administrator_withdraws_and_always_with_a_reason(con, catalog):
    sid = ingest_bytes(con, valid_return(catalog, "SYT"), "syt.xlsx", catalog, HEALTH).submission_id
    for actor in (HEALTH, READER):
        with pytest.raises(Forbidden) as refused:
            queries.withdraw(con, sid, actor, "mine")
        assert "administrator" in refused.value.message("en")
    with pytest.raises(BadGrant):
        queries.withdraw(con, sid, ADMIN_ACTOR, "   ")
    assert queries.submissions(con).status.tolist() == ["current"]
    queries.withdraw(con, sid, ADMIN_ACTOR, "wrong year")
    events = queries.audit_events(con)
    assert events.iloc[0].action == "withdraw" and events.iloc[0].actor == "chief@stttt.gov.vn"
    assert events.iloc[0].reason == "wrong year" and len(events.iloc[0].sha256) == 64


def test_grants_are_for_administrators_checked_and_audited(tmp_path, catalog):
    known = departments(catalog)
    con = schema.connect(tmp_path / "grants.duckdb")  # no grant yet
    queries.grant(con, Actor.local("cli"), "Chief@STTTT.gov.vn ", ADMIN, [], known)
    assert queries.actor_for(con, "chief@stttt.gov.vn") == ADMIN_ACTOR  # the email, lower-cased
    for actor in (HEALTH, READER):  # no grant in the store, whatever the object says
        with pytest.raises(Forbidden):
            queries.grant(con, actor, "x@y.vn", ADMIN, [], known)
        with pytest.raises(Forbidden):
            queries.revoke(con, actor, "chief@stttt.gov.vn")
    for role, depts, key in ((UPLOADER, [], "uploader_needs_department"),
                             (VIEWER, ["SYT"], "departments_only_for_uploaders"),
                             (UPLOADER, ["XYZ"], "unknown_department"), ("owner", [], "bad_role")):
        with pytest.raises(BadGrant) as bad:
            queries.grant(con, ADMIN_ACTOR, "x@y.vn", role, depts, known)
        assert bad.value.key == key
    queries.grant(con, ADMIN_ACTOR, "nurse@syt.gov.vn", UPLOADER, ["syt"], known)
    assert queries.actor_for(con, "NURSE@syt.gov.vn") == HEALTH
    with pytest.raises(BadGrant) as last:
        queries.revoke(con, ADMIN_ACTOR, "chief@stttt.gov.vn")
    assert last.value.key == "last_admin"
    queries.revoke(con, ADMIN_ACTOR, "nurse@syt.gov.vn")
    assert queries.actor_for(con, "nurse@syt.gov.vn") is None
    events = queries.audit_events(con)
    assert events.action.tolist() == ["revoke", "grant", "grant"]
    assert events.person.tolist() == ["nurse@syt.gov.vn", "nurse@syt.gov.vn", "chief@stttt.gov.vn"]


def test_users_and_audit_commands(tmp_path, capsys):
    db = str(tmp_path / "u.duckdb")
    assert main(["users", "grant", "Chief@STTTT.gov.vn", "--role", "admin", "--db", db]) == 0
    assert main(["users", "grant", "nurse@syt.gov.vn", "--role", "uploader", "--department", "SYT",
                 "--department", "sgtvt", "--db", db]) == 0
    assert main(["users", "grant", "v@x.vn", "--role", "uploader", "--db", db, "--lang", "en"]) == 1
    assert "needs at least one department" in capsys.readouterr().err
    assert main(["users", "list", "--format", "json", "--db", db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(u["email"], u["role"], u["departments"]) for u in listed] == [
        ("chief@stttt.gov.vn", "admin", []), ("nurse@syt.gov.vn", "uploader", ["SGTVT", "SYT"])]
    assert main(["users", "revoke", "chief@stttt.gov.vn", "--db", db, "--lang", "en"]) == 1
    assert "last administrator" in capsys.readouterr().err
    assert main(["users", "revoke", "nurse@syt.gov.vn", "--db", db]) == 0
    capsys.readouterr()
    assert main(["audit", "--format", "json", "--db", db]) == 0
    events = json.loads(capsys.readouterr().out)
    assert [(e["action"], e["actor"], e["person"]) for e in events] == [
        ("revoke", "local", "nurse@syt.gov.vn"), ("grant", "local", "nurse@syt.gov.vn"),
        ("grant", "local", "chief@stttt.gov.vn")]
    assert {"logged_at", "submission_id", "reason", "sha256"} <= set(events[0])
