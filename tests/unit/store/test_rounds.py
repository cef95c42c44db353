"""Reporting rounds in the store: opened, extended and closed by an administrator only, every
change audited, bad input refused with a clear message and nothing stored."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from sca_metrics.method import tracker
from sca_metrics.reference.roles import ADMIN, UPLOADER, Actor, BadGrant, Forbidden
from sca_metrics.reference.textnorm import TextRefused
from sca_metrics.store import queries, schema

CHIEF = Actor("chief@sokhcn.gov.vn", ADMIN)
NURSE = Actor("nurse@syt.gov.vn", UPLOADER, frozenset({"SYT"}))


@pytest.fixture
def con(con, catalog):
    codes = [d.code for d in catalog.departments]
    queries.grant(con, Actor.local(), CHIEF.email, ADMIN, [], codes)
    queries.grant(con, Actor.local(), NURSE.email, UPLOADER, ["SYT"], codes)
    return con


def known(catalog) -> list[str]:
    return [d.code for d in catalog.departments]


def test_a_round_is_opened_extended_and_closed_and_each_step_is_audited(con, catalog):
    queries.open_round(con, CHIEF, "2026", date(2026, 3, 31), ["syt", "SXD"], "Nộp trước\n31/3",
                       known(catalog))
    found = queries.rounds(con).iloc[0]
    assert (found.period, found.deadline, found.status) == ("2026", date(2026, 3, 31), "open")
    assert list(found.departments) == ["SXD", "SYT"] and found.message == "Nộp trước\n31/3"
    queries.extend_round(con, CHIEF, "2026", date(2026, 4, 15))
    assert queries.rounds(con).iloc[0].deadline == date(2026, 4, 15)
    queries.close_round(con, CHIEF, "2026")
    assert queries.rounds(con).iloc[0].status == "closed"
    log = queries.audit_events(con)
    assert list(log.action[:3]) == ["round_close", "round_extend", "round_open"]
    assert list(log.deadline[:3]) == ["2026-04-15", "2026-04-15", "2026-03-31"]
    queries.open_round(con, CHIEF, "2026", date(2026, 5, 1), [], "", known(catalog))  # opened again: afresh
    again = queries.rounds(con).iloc[0]
    assert (again.status, again.deadline) == ("open", date(2026, 5, 1))
    assert len(again.departments) == len(known(catalog))


def test_only_an_administrator_runs_a_round(con, catalog):
    with pytest.raises(Forbidden):
        queries.open_round(con, NURSE, "2026", date(2026, 3, 31), [], "", known(catalog))
    queries.open_round(con, CHIEF, "2026", date(2026, 3, 31), [], "", known(catalog))
    for act in (lambda: queries.extend_round(con, NURSE, "2026", date(2026, 4, 1)),
                lambda: queries.close_round(con, NURSE, "2026")):
        with pytest.raises(Forbidden):
            act()
    assert queries.rounds(con).iloc[0].deadline == date(2026, 3, 31)


@pytest.mark.parametrize(("call", "key"), [
    (lambda con, k: queries.open_round(con, CHIEF, "2026", date(9999, 1, 1), [], "", k), "round_deadline"),
    (lambda con, k: queries.open_round(con, CHIEF, "2026", date(1, 1, 1), [], "", k), "round_deadline"),
    (lambda con, k: queries.open_round(con, CHIEF, "0", date(2026, 1, 1), [], "", k), "round_period"),
    (lambda con, k: queries.open_round(con, CHIEF, "2026", date(2026, 3, 1), ["XYZ"], "", k),
     "round_unknown_department"),
    (lambda con, k: queries.extend_round(con, CHIEF, "2025", date(2025, 6, 1)), "round_not_open"),
    (lambda con, k: queries.close_round(con, CHIEF, "2025"), "round_not_open"),
])
def test_bad_input_is_refused_by_name_and_stores_nothing(con, catalog, call, key):
    before = schema.table_counts(con)
    with pytest.raises(BadGrant) as refused:
        call(con, known(catalog))
    assert refused.value.key == key
    assert "{" not in refused.value.message("vi") and "{" not in refused.value.message("en")
    assert schema.table_counts(con) == before


@pytest.mark.parametrize("message", ["x" * 1_000_000, "a\x1b[2Jb", "trái\u202ephải", "\x00"])
def test_a_hostile_message_is_refused_and_stores_nothing(con, catalog, message):
    before = schema.table_counts(con)
    with pytest.raises(TextRefused):
        queries.open_round(con, CHIEF, "2026", date(2026, 3, 31), [], message, known(catalog))
    assert schema.table_counts(con) == before


def test_an_open_round_is_extended_not_opened_twice_and_only_to_a_later_day(con, catalog):
    queries.open_round(con, CHIEF, "2026", date(2026, 3, 31), [], "", known(catalog))
    with pytest.raises(BadGrant) as twice:
        queries.open_round(con, CHIEF, "2026", date(2026, 4, 30), [], "", known(catalog))
    assert "31/03/2026" in twice.value.message("vi") and "31 Mar 2026" in twice.value.message("en")
    with pytest.raises(BadGrant, match="after"):
        queries.extend_round(con, CHIEF, "2026", date(2026, 3, 31))


def test_a_departments_state_is_its_first_return_in_force_against_the_deadline():
    """On time, late (by how many days) or not started (days left, negative when overdue); a
    correction after the deadline leaves an on-time return on time; a withdrawn one is not a return."""
    subs = pd.DataFrame([
        ("SYT", "2026", "superseded", datetime(2026, 3, 30, 9)),
        ("SYT", "2026", "current", datetime(2026, 4, 20, 9)),
        ("SXD", "2026", "current", datetime(2026, 4, 3, 16)),
        ("STC", "2026", "withdrawn", datetime(2026, 3, 1, 8)),
        ("SYT", "2025", "current", datetime(2025, 3, 1, 8)),
    ], columns=["department", "period", "status", "received_at"])
    got = tracker.round_status(["SYT", "SXD", "STC", "SDL"], date(2026, 3, 31), subs, "2026",
                               today=date(2026, 4, 5)).set_index("department")
    assert got.loc["SYT", "state"] == "on_time" and got.loc["SYT", "days_late"] == 0
    assert got.loc["SXD", "state"] == "late" and got.loc["SXD", "days_late"] == 3
    assert got.loc["STC", "state"] == got.loc["SDL", "state"] == "not_started"
    assert got.loc["SDL", "days_left"] == -5
    just = tracker.round_status(["SXD"], date(2026, 4, 3), subs, "2026", today=date(2026, 4, 5))
    assert just.state.iloc[0] == "on_time"  # reported on the deadline's own day
