"""The package installs: a wheel built from the checkout, installed into an empty virtual
environment, runs `sca` from any folder and finds its catalog, units and translations through
importlib.resources (the dependencies come from the test environment, already pinned)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from sca_metrics.settings import ROOT


def run(argv: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=300, **kw)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_the_wheel_installs_and_sca_runs_outside_the_checkout(tmp_path):
    source = tmp_path / "source"  # a copy: building writes build/ and *.egg-info beside the code
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "var", "screenshots", "exports", "__pycache__", "*.duckdb", "build", "*.egg-info"))
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(source)],
        cwd=tmp_path)
    [wheel] = (tmp_path / "dist").glob("sca_metrics-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("sca_metrics/data/catalog.csv", "sca_metrics/data/units.csv",
                    "sca_metrics/data/i18n/vi.toml", "sca_metrics/data/i18n/method.en.md"):
        assert shipped in names
    assert not any(n.startswith(("tests/", "views/", "bench/")) for n in names)

    env_dir = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], cwd=tmp_path)
    python = env_dir / "bin" / "python"
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
               cwd=tmp_path).stdout.strip()
    # the pinned dependencies of the test environment, behind the new environment's own packages
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    usage = run([str(env_dir / "bin" / "sca"), "--help"], cwd=elsewhere, env=env).stdout
    assert usage.startswith("usage: sca ") and "template" in usage
    located = run([str(python), "-c", "import sca_metrics.settings as s; print(s.shipped_data())"],
                  cwd=elsewhere, env=env).stdout.strip()
    assert located.startswith(site) and located.endswith("sca_metrics/data")
    run([str(env_dir / "bin" / "sca"), "catalog", "--check"], cwd=elsewhere, env=env)
    made = run([str(env_dir / "bin" / "sca"), "template", "--department", "STTTT", "--period", "2025",
                "--out", "return.xlsx"], cwd=elsewhere, env=env)
    assert (elsewhere / "return.xlsx").stat().st_size > 5000, made.stdout
    assert run([str(python), "-m", "sca_metrics", "--help"], cwd=elsewhere, env=env).stdout
