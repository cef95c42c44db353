"""The systemd units under deploy/ work as written: where systemd is not available (a
container, CI), their ExecStart lines are run as systemd would run them, with the install
paths pointed at this checkout."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

from sca_metrics.settings import ROOT
from sca_metrics.store import schema
from tests.e2e.conftest import free_port, wait_healthy

DEPLOY = ROOT / "deploy"
INSTALL = "/opt/sca"


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections, each key with every value it is given (systemd allows a key
    such as Environment= several times, which configparser would merge away)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        else:
            key, value = line.split("=", 1)
            current.setdefault(key.strip(), []).append(value.strip())
    return sections


def command(line: str, data: str) -> list[str]:
    """ExecStart with the install paths of this checkout, as systemd splits it (%% is %)."""
    line = line.replace(INSTALL + "/.venv/bin/python", sys.executable).replace(INSTALL, str(ROOT))
    return shlex.split(line.replace("/var/lib/sca", data).replace("%%", "%"))


def test_the_dashboard_unit_starts_the_dashboard_and_restarts_it_on_failure(tmp_path, demo_data):
    service = unit("sca-dashboard.service")["Service"]
    assert service["Restart"] == ["on-failure"]
    [start] = service["ExecStart"]
    assert service["WorkingDirectory"] == [INSTALL] and "--server.address 127.0.0.1" in start
    shutil.copy(demo_data[0], tmp_path / "sca.duckdb")
    port = free_port()
    argv = [a.replace("8501", str(port)) for a in command(start, str(tmp_path))]
    env = {**os.environ, **dict(e.split("=", 1) for e in service["Environment"])}
    env["SCA_DB"] = env["SCA_DB"].replace("/var/lib/sca", str(tmp_path))
    with open(tmp_path / "service.log", "wb") as log:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
    finally:
        process.terminate()
        process.wait(30)
    assert process.returncode in (0, -15)  # stopped by SIGTERM, as systemd stops it


def test_the_backup_unit_makes_a_dated_backup(tmp_path, demo_data):
    service = unit("sca-backup.service")["Service"]
    shutil.copy(demo_data[0], tmp_path / "sca.duckdb")
    done = subprocess.run(command(service["ExecStart"][0], str(tmp_path)), cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    [backup] = (tmp_path / "backups").glob("sca-*.duckdb")
    con = schema.connect(backup, read_only=True)
    assert schema.table_counts(con)["submissions"] == 100
    con.close()
    timer = unit("sca-backup.timer")["Timer"]
    assert timer["OnCalendar"] and timer["Persistent"] == ["true"]
