"""Many returns in one call (`ingest_many`): one commit per batch changes nothing — the same
database as ingesting file by file —, a bad file in a batch of 200 is rejected alone, a file whose
store step fails is rolled back alone, and a file too big is refused before it is read."""

import itertools

import duckdb
import pytest

from sca_metrics.demo import DEMO_UPLOADER, demo_returns
from sca_metrics.intake.ingest import ACCEPTED, DUPLICATE, REJECTED, Incoming, ingest_bytes, ingest_many
from sca_metrics.reference.roles import Actor
from sca_metrics.store import queries, schema
from tests.helpers import run_limited

ACTOR = Actor.local(DEMO_UPLOADER)
BAD_AT = 100


@pytest.fixture
def two_hundred(catalog):
    """The demo's returns, then some of them sent again (duplicates), to 199; a broken file at
    position 100."""
    files = [Incoming(f.file_name, f.data, None, f.department, f.period) for f in demo_returns(catalog)]
    again = itertools.cycle(files[:40])
    while len(files) < 199:
        files.append(next(again))
    files.insert(BAD_AT, Incoming("broken.xlsx", b"PK\x03\x04 not a workbook"))
    return files


def contents(con, keyed: bool = False) -> dict:
    """Every table's rows in order, without the clock's columns (received, logged, responded at).
    `keyed`: a row names its submission by department, period and version instead of its id
    (ids come from a sequence, which a rollback does not wind back)."""
    out = {}
    for table in schema.table_counts(con):
        columns = [name for name, kind in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position", [table]).fetchall() if not kind.startswith("TIMESTAMP")]
        own = [f't."{c}"' for c in columns]
        join = ""
        if keyed and "submission_id" in columns:
            own = [f't."{c}"' for c in columns if c not in ("id", "submission_id", "detail")]
            own += ["s.department", "s.period", "s.version"]
            join = "LEFT JOIN submissions s ON s.id = t.submission_id"
        elif keyed and table == "submissions":
            own = [f't."{c}"' for c in columns if c != "id"]
        # names from the database's own catalogue, not from input
        sql = f'SELECT {", ".join(own)} FROM "{table}" t {join} ORDER BY ALL'  # noqa: S608
        out[table] = con.execute(sql).fetchall()
    return out


def one_by_one(path, files, catalog, keyed: bool = False, remove_roadmap: bool = False) -> tuple[list, dict]:
    con = schema.connect(path)
    results = [ingest_bytes(con, f.data, f.file_name, catalog, ACTOR, f.expected_department,
                            f.expected_period, remove_roadmap=remove_roadmap) for f in files]
    found = contents(con, keyed)
    con.close()
    return results, found


def summary(results) -> list[tuple]:
    return [(r.file_name, r.status, r.submission_id, r.version, r.supersedes, [p.code for p in r.problems])
            for r in results]


@pytest.mark.slow
def test_a_batch_stores_what_file_by_file_stores_and_a_bad_file_is_rejected_alone(two_hundred, catalog,
                                                                                    tmp_path):
    expected, reference = one_by_one(tmp_path / "one.duckdb", two_hundred, catalog)
    con = schema.connect(tmp_path / "batch.duckdb")
    results = list(ingest_many(con, two_hundred, catalog, ACTOR, batch=200))
    assert len(results) == 200
    assert summary(results) == summary(expected)
    assert contents(con) == reference
    con.close()
    statuses = [r.status for r in results]
    assert statuses[BAD_AT] == REJECTED and results[BAD_AT].problems[0].code == "file_corrupt"
    assert statuses.count(REJECTED) == 1
    assert set(statuses) == {ACCEPTED, DUPLICATE, REJECTED} and statuses.count(DUPLICATE) >= 40


def test_a_file_whose_store_step_fails_is_rolled_back_alone(catalog, tmp_path, monkeypatch):
    files = [Incoming(f.file_name, f.data, None, f.department, f.period)
             for f in itertools.islice(demo_returns(catalog), 12)]
    failing = files[7].file_name
    _, reference = one_by_one(tmp_path / "one.duckdb", files[:7] + files[8:], catalog, keyed=True)
    real = queries.insert_return

    def insert(con, checked, **kw):
        if kw["file_name"] == failing:
            real(con, checked, **kw)  # written, then the statement after it fails
            raise duckdb.IOException("disk full")
        return real(con, checked, **kw)

    monkeypatch.setattr(queries, "insert_return", insert)
    con = schema.connect(tmp_path / "batch.duckdb")
    results = list(ingest_many(con, files, catalog, ACTOR))
    assert [r.status for r in results] == [ACCEPTED] * 7 + [REJECTED] + [ACCEPTED] * 4
    said = results[7].problems[-1]
    assert said.code == "store_failed" and "disk full" in said.message("en")
    assert contents(con, keyed=True) == reference
    con.close()


def test_results_come_batch_by_batch_each_committed(catalog, tmp_path):
    files = [Incoming(f.file_name, f.data, None, f.department, f.period)
             for f in itertools.islice(demo_returns(catalog), 5)]
    path = tmp_path / "batch.duckdb"
    con = schema.connect(path)
    stream = ingest_many(con, files, catalog, ACTOR, batch=2)
    first = [next(stream), next(stream)]
    assert [r.status for r in first] == [ACCEPTED, ACCEPTED]
    assert len(queries.submissions(con)) == 2  # the first batch is committed, the next not begun
    assert [r.status for r in stream] == [ACCEPTED] * 3
    con.close()


def test_a_file_too_big_is_refused_before_it_is_read_under_a_memory_cap(catalog, tmp_path):
    huge = tmp_path / "huge.xlsx"
    with huge.open("wb") as f:  # 3 GB on paper, nothing on disk: reading it would need 3 GB
        f.truncate(3 * 1024 ** 3)
    code = """
import json, sys
from sca_metrics.intake.ingest import Incoming
data, problems = Incoming.of_path(sys.argv[1]).read()
print(json.dumps({"read": data is not None, "codes": [p.code for p in problems]}))
"""
    out = run_limited(code, str(huge))  # under a 1 GiB address-space cap
    assert out["returncode"] == 0, out["stderr"]
    assert out == {**out, "read": False, "codes": ["file_too_large"]}
    con = schema.connect(tmp_path / "db.duckdb")  # and through a batch: refused, nothing stored
    result = next(ingest_many(con, [Incoming.of_path(huge)], catalog, ACTOR))
    assert result.status == REJECTED and [p.code for p in result.problems] == ["file_too_large"]
    assert "MB" in result.problems[0].message("en") and len(queries.submissions(con)) == 0
    con.close()


def test_a_missing_file_is_rejected_with_its_reason(catalog, tmp_path):
    con = schema.connect(tmp_path / "db.duckdb")
    result = next(ingest_many(con, [Incoming.of_path(tmp_path / "gone.xlsx")], catalog, ACTOR))
    assert result.status == REJECTED and result.problems[0].code == "file_unreadable"
    assert "No such file" in result.problems[0].message("en")
    con.close()


def test_a_batch_follows_the_plan_as_file_by_file_does(catalog, tmp_path):
    """The batch keeps the departments' task codes as it stores: a task may depend on one stored
    earlier in the batch, and not on one whose period was resent without tasks."""
    from tests.unit.store.test_store import a_task, roadmap_return

    gt = a_task("SGTVT-01", area="transport", depends_on="SYT-01", indicators="TRA.T1")
    files = [Incoming(name, data) for name, data in [
        ("gt-too-early.xlsx", roadmap_return(catalog, "SGTVT", "2023", tasks=[gt])),  # SYT-01 unknown yet
        ("yt-2023.xlsx", roadmap_return(catalog, "SYT", "2023", tasks=[a_task("SYT-01")])),
        ("gt-2023.xlsx", roadmap_return(catalog, "SGTVT", "2023", tasks=[gt])),  # now it is known
        # the roadmap moves on
        ("yt-2024.xlsx", roadmap_return(catalog, "SYT", "2024", tasks=[a_task("SYT-02")])),
        ("gt-2024.xlsx", roadmap_return(catalog, "SGTVT", "2024", tasks=[gt])),  # SYT-01 no longer in it
        ("yt-2024-again.xlsx", roadmap_return(catalog, "SYT", "2024")),  # 2024 resent without tasks
        ("gt-2024-again.xlsx", roadmap_return(catalog, "SGTVT", "2024", tasks=[gt])),  # 2023's plan is back
    ]]
    expected, reference = one_by_one(tmp_path / "one.duckdb", files, catalog, remove_roadmap=True)
    assert [r.status for r in expected] == [REJECTED, ACCEPTED, ACCEPTED, ACCEPTED, REJECTED, ACCEPTED,
                                            ACCEPTED]
    con = schema.connect(tmp_path / "batch.duckdb")
    assert summary(ingest_many(con, files, catalog, ACTOR, remove_roadmap=True)) == summary(expected)
    assert contents(con) == reference
    con.close()


def test_a_batch_refuses_a_return_that_would_empty_the_plan_as_file_by_file_does(catalog, tmp_path):
    """Without the confirmation, a return with empty plan sheets is refused when the current
    return of its department and period has tasks or comments — also when that return came
    earlier in the same batch (the batch keeps each return's plan size as it stores)."""
    from tests.unit.store.test_store import a_task, roadmap_return

    files = [Incoming(name, data) for name, data in [
        ("yt-2024.xlsx", roadmap_return(catalog, "SYT", "2024", tasks=[a_task("SYT-01")],
                                     comments=[{"section": "Y tế", "comment": "Bổ sung"}])),
        ("yt-2024-no-tasks.xlsx", roadmap_return(catalog, "SYT", "2024",
                                              comments=[{"section": "Y tế", "comment": "Bổ sung"}])),
        ("yt-2024-empty.xlsx", roadmap_return(catalog, "SYT", "2024")),
        ("yt-2025-empty.xlsx", roadmap_return(catalog, "SYT", "2025")),  # another period: nothing removed
    ]]
    expected, reference = one_by_one(tmp_path / "one.duckdb", files, catalog)
    assert [r.status for r in expected] == [ACCEPTED, REJECTED, REJECTED, ACCEPTED]
    assert [[p.code for p in r.problems if p.is_error] for r in expected[1:3]] == [
        ["plan_tasks_removed"], ["plan_tasks_removed", "plan_comments_removed"]]
    assert expected[2].problems[-1].location() == "Ý kiến góp ý!A4"
    con = schema.connect(tmp_path / "batch.duckdb")
    assert summary(ingest_many(con, files, catalog, ACTOR)) == summary(expected)
    assert contents(con) == reference
    con.close()


def test_when_the_batchs_rows_cannot_be_written_each_file_is_stored_alone(catalog, tmp_path, monkeypatch):
    files = [Incoming(f.file_name, f.data, None, f.department, f.period)
             for f in itertools.islice(demo_returns(catalog), 6)]
    expected, reference = one_by_one(tmp_path / "one.duckdb", files, catalog, keyed=True)
    real, calls = queries.Rows.flush, []

    def flush(self, con):
        calls.append(len(self._rows))
        if len(calls) == 1:  # the batch's first write fails; the file-by-file ones work
            raise duckdb.ConstraintException("constraint violated")
        return real(self, con)

    monkeypatch.setattr(queries.Rows, "flush", flush)
    con = schema.connect(tmp_path / "batch.duckdb")
    results = list(ingest_many(con, files, catalog, ACTOR))
    assert [r.status for r in results] == [r.status for r in expected] == [ACCEPTED] * 6
    assert contents(con, keyed=True) == reference and len(calls) >= 1 + 6  # then each file alone
    con.close()
