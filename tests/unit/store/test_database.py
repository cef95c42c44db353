"""The database under stress: shared by threads and processes, read-only, damaged, on a full
disk, backed up and restored. Nothing is ever lost, and every failure says what to do."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pandas as pd
import pytest

from sca_metrics.cli import main
from sca_metrics.intake.ingest import ACCEPTED, ingest_bytes
from sca_metrics.reference.roles import Actor
from sca_metrics.store import database, queries, schema
from sca_metrics.store.database import Database
from sca_metrics.store.errors import StoreError
from tests.helpers import (
    current_roadmap,
    fill,
    fill_disk,
    read_only_view,
    small_disk,
    template,
    to_bytes,
    valid_return,
)


@pytest.fixture
def demo_copy(demo_data, tmp_path):
    """A copy of the session's demo database this test may change."""
    path = tmp_path / "db" / "demo.duckdb"
    path.parent.mkdir()
    shutil.copy(demo_data[0], path)
    return path


def counts(path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return schema.table_counts(con)
    finally:
        con.close()


def tables(path) -> dict[str, pd.DataFrame]:
    """Every table's whole content, in a stable order."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").df() for t in schema.TABLES}  # noqa: S608
    finally:
        con.close()


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def run_cli(*args, preexec=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sca_metrics", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", preexec_fn=preexec, timeout=timeout)


def a_return(catalog, db, dept="SYT", period="2024", value=None) -> bytes:
    """A return for a copy of the demo `db`, made from the department's template as the upload
    page gives it: carrying its current plan, so storing it removes none of its tasks."""
    con = schema.connect(db, read_only=True)
    try:
        plan = current_roadmap(con, dept, period)
    finally:
        con.close()
    values = {"HLT.T1": value} if value is not None else None
    return to_bytes(fill(template(catalog, dept, period, plan), values)) if values else valid_return(
        catalog, dept, period, plan)


def test_every_table_of_the_schema_is_listed(tmp_path):
    con = schema.connect(tmp_path / "s.duckdb")
    found = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                       "WHERE table_type = 'BASE TABLE'").fetchall()}
    con.close()
    assert found == set(schema.TABLES)


# ---- backups ----

def test_backup_and_restore_round_trip_every_table(demo_copy, tmp_path, capsys, catalog):
    before = tables(demo_copy)
    backup = tmp_path / "backups" / "demo-2026-11-30.duckdb"
    code, out, _ = cli(capsys, "backup", "--db", demo_copy, "--out", backup, "--lang", "en")
    assert code == 0 and "100 submissions" in out
    assert not list(backup.parent.glob("*.part*"))
    # Work goes on after the backup: a new version and a withdrawal.
    data = a_return(catalog, demo_copy, value=77)
    with Database(demo_copy) as db, db.writing() as con:
        added = ingest_bytes(con, data, "new.xlsx", catalog, Actor.local("t"))
        assert added.status == ACCEPTED
        queries.withdraw(con, 1, Actor.local("admin"), "test")
    changed = tables(demo_copy)
    assert len(changed["submissions"]) == len(before["submissions"]) + 1

    code, _, err = cli(capsys, "restore", "--from", backup, "--db", demo_copy, "--lang", "en")
    assert code == 1 and "add --force" in err
    assert tables(demo_copy)["submissions"].equals(changed["submissions"])  # refused: unchanged

    code, out, _ = cli(capsys, "restore", "--from", backup, "--db", demo_copy, "--force")
    assert code == 0
    restored = tables(demo_copy)
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(restored[name], before[name], check_dtype=False)
    [kept] = demo_copy.parent.glob("demo.duckdb.replaced-*")
    assert str(kept) in out
    assert len(tables(kept)["submissions"]) == len(changed["submissions"])  # nothing lost


def test_a_backup_never_overwrites_one_and_a_bad_backup_changes_nothing(demo_copy, tmp_path, capsys):
    backup = tmp_path / "b.duckdb"
    assert cli(capsys, "backup", "--db", demo_copy, "--out", backup)[0] == 0
    code, _, err = cli(capsys, "backup", "--db", demo_copy, "--out", backup, "--lang", "en")
    assert code == 1 and "already exists" in err
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database at all" * 100)
    before = counts(demo_copy)
    code, _, err = cli(capsys, "restore", "--from", junk, "--db", demo_copy, "--force", "--lang", "en")
    assert code == 1 and "junk.duckdb is not a usable backup" in err and "Traceback" not in err
    assert counts(demo_copy) == before and not list(demo_copy.parent.glob("*.replaced-*"))


def test_a_damaged_database_is_restored_from_its_backup(demo_copy, tmp_path, capsys):
    backup = tmp_path / "b.duckdb"
    assert cli(capsys, "backup", "--db", demo_copy, "--out", backup)[0] == 0
    data = demo_copy.read_bytes()
    demo_copy.write_bytes(data[: len(data) // 2])
    code, _, err = cli(capsys, "scores", "--db", demo_copy, "--lang", "en")
    assert code == 1 and f"The file {demo_copy} is damaged" in err and "restore --from" in err
    assert cli(capsys, "restore", "--from", backup, "--db", demo_copy, "--force")[0] == 0
    assert cli(capsys, "scores", "--db", demo_copy)[0] == 0


def test_backup_waits_for_a_running_dashboard(demo_copy, tmp_path):
    """The dashboard holds the file while it works and lets go when idle: a backup started
    meanwhile waits for it instead of failing."""
    server = Database(demo_copy, linger=1.5)
    with server.cursor() as con:
        schema.table_counts(con)  # the handle stays open 1.5 s after this
    done = run_cli("backup", "--db", demo_copy, "--out", tmp_path / "b.duckdb", "--wait", "30")
    server.close()
    assert done.returncode == 0, done.stderr
    assert counts(tmp_path / "b.duckdb") == counts(demo_copy)


# ---- sharing the file ----

def test_a_command_waits_for_the_dashboard_then_saves(demo_copy, tmp_path, catalog):
    path = tmp_path / "r.xlsx"
    path.write_bytes(a_return(catalog, demo_copy, value=66))
    server = Database(demo_copy, linger=None)
    holder = threading.Thread(target=lambda: (time.sleep(1.0), server.close()))
    with server.cursor():
        pass
    holder.start()
    done = run_cli("ingest", "--db", demo_copy, path, "--wait", "30")
    holder.join()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "accepted as submission" in done.stdout


def test_a_lock_held_too_long_says_busy_and_loses_nothing(demo_copy, tmp_path, catalog):
    path = tmp_path / "r.xlsx"
    path.write_bytes(a_return(catalog, demo_copy, value=66))
    before = counts(demo_copy)
    with Database(demo_copy) as server, server.cursor():
        started = time.monotonic()
        done = run_cli("ingest", "--db", demo_copy, path, "--wait", "1", "--lang", "en")
        waited = time.monotonic() - started
    assert done.returncode == 1
    assert "is in use by another program" in done.stderr and "Try again" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert waited >= 1.0
    assert counts(demo_copy) == before


def test_the_schema_is_checked_once_per_process_and_file(demo_copy, monkeypatch):
    calls = []
    real = schema.migrate
    monkeypatch.setattr(schema, "migrate", lambda con: calls.append(1) or real(con))
    monkeypatch.setattr(Database, "_schema_checked", set())
    db = Database(demo_copy, linger=0)
    for _ in range(5):
        with db.cursor() as con:
            schema.table_counts(con)
    assert calls == [1]
    shutil.copy(demo_copy, demo_copy.with_name("other"))
    os.replace(demo_copy.with_name("other"), demo_copy)  # a restore replaces the file
    with db.cursor() as con:
        schema.table_counts(con)
    assert calls == [1, 1]


def test_the_version_changes_with_every_write_from_any_process(demo_copy, tmp_path, catalog):
    path = tmp_path / "r.xlsx"
    path.write_bytes(a_return(catalog, demo_copy, value=61))
    again = a_return(catalog, demo_copy, value=62)
    db = Database(demo_copy, linger=0)
    first = db.version()
    assert db.version() == first  # reading changes nothing
    assert run_cli("ingest", "--db", demo_copy, path).returncode == 0
    second = db.version()
    assert second != first
    with db.writing() as con:
        ingest_bytes(con, again, "b.xlsx", catalog, Actor.local("t"))
    assert db.version() not in (first, second)


def test_many_threads_read_while_others_write_and_every_write_is_kept(demo_copy, catalog):
    """One handle, as the dashboard has: 8 sessions read in a loop while 4 save returns."""
    returns = [(dept, period, a_return(catalog, demo_copy, dept, period))
               for dept in ("SYT", "SGTVT") for period in ("2019", "2020", "2021", "2022")]
    db = Database(demo_copy, linger=0.5)
    before = counts(demo_copy)["submissions"]
    failures: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                with db.cursor() as con:
                    queries.submissions(con)
                    queries.current_observations(con, "2024")
        except BaseException as exc:  # noqa: BLE001 - any failure fails the test
            failures.append(exc)

    def writer(batch) -> None:
        try:
            for dept, period, data in batch:
                with db.writing() as con:
                    r = ingest_bytes(con, data, f"{dept}_{period}.xlsx", catalog, Actor.local("t"))
                assert r.status == ACCEPTED, r.problems
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)

    readers = [threading.Thread(target=reader) for _ in range(8)]
    writers = [threading.Thread(target=writer, args=(returns[i::4],)) for i in range(4)]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    for t in readers:
        t.join()
    db.close()
    assert failures == []
    assert counts(demo_copy)["submissions"] == before + len(returns)


# ---- a read-only file, a full disk ----

def test_a_read_only_database_reads_and_refuses_writes_clearly(demo_copy, tmp_path, capsys, catalog,
                                                               monkeypatch):
    path = tmp_path / "r.xlsx"
    path.write_bytes(a_return(catalog, demo_copy, value=66))
    with read_only_view(demo_copy.parent) as view:
        if view is None:  # no mounting here: the OS's answer is simulated
            print("read-only file system simulated: os.access says no")
            view = demo_copy.parent
            real = os.access
            monkeypatch.setattr(database.os, "access", lambda p, mode: False if mode == os.W_OK
                                and str(p).startswith(str(view)) else real(p, mode))
        db = view / demo_copy.name
        code, out, _ = cli(capsys, "scores", "--db", db)
        assert code == 0 and '"overall"' in out
        code, _, err = cli(capsys, "ingest", "--db", db, path, "--lang", "en")
        assert code == 1 and f"The database {db} can only be read here" in err
        with pytest.raises(StoreError) as refused, Database(db) as handle, handle.writing():
            pass
        assert refused.value.kind == "read_only"
    assert counts(demo_copy)["submissions"] == 100


def test_a_full_disk_rolls_the_save_back_and_says_so(demo_copy, tmp_path, catalog):
    path = tmp_path / "r.xlsx"
    path.write_bytes(a_return(catalog, demo_copy, value=66))
    with small_disk(tmp_path, size_kb=8192) as disk:
        if disk is not None:
            db = disk / "demo.duckdb"
            shutil.copy(demo_copy, db)
            before = counts(db)
            fill_disk(disk)
            done = run_cli("ingest", "--db", db, path, "--lang", "en")
        else:  # no tmpfs here: the same I/O error simulated by a file-size limit (EFBIG)
            print("full disk simulated with RLIMIT_FSIZE")
            db = demo_copy
            before = counts(db)

            def limit() -> None:  # no file may grow past 1 KB: the write-ahead log cannot
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

            done = run_cli("ingest", "--db", db, path, "--lang", "en", preexec=limit)
        assert done.returncode == 1
        assert "the disk holding" in done.stderr and "is full" in done.stderr
        assert "Traceback" not in done.stderr + done.stdout and "cannot rollback" not in done.stderr
        if disk is not None:
            (disk / "filler").unlink()
        assert counts(db) == before
        assert run_cli("ingest", "--db", db, path).returncode == 0  # space again: it saves
        assert counts(db)["submissions"] == before["submissions"] + 1


# ---- a restore checks the whole backup before it touches the live file (issue 29, item 5) ----

def _refused_restore(capsys, source, demo_copy) -> str:
    """Restore `source` over the demo copy: it must be refused, the live file unchanged (content
    and no file kept or left beside it)."""
    before = tables(demo_copy)
    code, _, err = cli(capsys, "restore", "--from", source, "--db", demo_copy, "--force", "--lang", "en")
    assert code == 1 and "is not a usable backup" in err and "Traceback" not in err, err
    after = tables(demo_copy)
    assert all(after[name].equals(before[name]) for name in schema.TABLES)
    assert sorted(p.name for p in demo_copy.parent.iterdir()) == ["demo.duckdb"]
    return err


def test_half_a_backup_is_refused_and_nothing_is_replaced(demo_copy, tmp_path, capsys):
    backup = tmp_path / "b.duckdb"
    assert cli(capsys, "backup", "--db", demo_copy, "--out", backup)[0] == 0
    half = tmp_path / "half.duckdb"
    data = backup.read_bytes()
    half.write_bytes(data[: len(data) // 2])
    _refused_restore(capsys, half, demo_copy)


def test_a_backup_whose_rows_changed_after_it_was_made_is_refused(demo_copy, tmp_path, capsys):
    backup = tmp_path / "b.duckdb"
    assert cli(capsys, "backup", "--db", demo_copy, "--out", backup)[0] == 0
    con = duckdb.connect(str(backup))
    con.execute("DELETE FROM observations WHERE rowid IN (SELECT rowid FROM observations LIMIT 3)")
    con.close()
    err = _refused_restore(capsys, backup, demo_copy)
    assert "table observations" in err


def test_a_file_with_only_the_schema_table_is_refused(demo_copy, tmp_path, capsys):
    bare = tmp_path / "bare.duckdb"
    con = duckdb.connect(str(bare))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    con.execute("INSERT INTO schema_version VALUES (?, now())", [schema.SCHEMA_VERSION])
    con.close()
    err = _refused_restore(capsys, bare, demo_copy)
    assert "tables missing: submissions" in err


def test_a_backup_of_a_newer_schema_is_refused(demo_copy, tmp_path, capsys):
    backup = tmp_path / "b.duckdb"
    assert cli(capsys, "backup", "--db", demo_copy, "--out", backup)[0] == 0
    con = duckdb.connect(str(backup))
    con.execute("INSERT INTO schema_version VALUES (?, now())", [schema.SCHEMA_VERSION + 1])
    con.close()
    err = _refused_restore(capsys, backup, demo_copy)
    assert f"schema version is {schema.SCHEMA_VERSION + 1}" in err and "newer" in err


def test_rows_in_the_backups_write_ahead_log_are_restored_not_lost(demo_copy, tmp_path, capsys, catalog):
    """A database copied as a backup while its last rows are still in its log (.wal beside it):
    the restore folds the log in, and the rows it counts are the rows restored."""
    source = tmp_path / "copy" / "live.duckdb"
    source.parent.mkdir()
    shutil.copy(demo_copy, source)
    code = (
        "import sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "con.execute('PRAGMA disable_checkpoint_on_shutdown')\n"
        "con.execute(\"INSERT INTO grants VALUES ('wal@so.gov.vn', 'viewer', [], 'test', now())\")\n"
        "import os; os._exit(0)\n")  # no checkpoint: the row stays in the log
    subprocess.run([sys.executable, "-c", code, str(source)], check=True)
    assert source.with_name("live.duckdb.wal").exists()
    code, out, _ = cli(capsys, "restore", "--from", source, "--db", demo_copy, "--force", "--lang", "en")
    assert code == 0
    restored = tables(demo_copy)["grants"]
    assert "wal@so.gov.vn" in set(restored.email)
    assert source.with_name("live.duckdb.wal").exists()  # the source itself is never changed
