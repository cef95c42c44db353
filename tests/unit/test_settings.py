"""Settings: every SCA_* variable read once, in one module, listed in docs/operating/settings.md; the upload
limit is one number for the widget, the server and the reader."""

from __future__ import annotations

import io
import re
import zipfile

from sca_metrics import settings
from sca_metrics.cli import main
from sca_metrics.intake.reader import inspect_container
from sca_metrics.settings import ROOT


def test_the_environment_is_read_once_until_reloaded(monkeypatch, tmp_path):
    monkeypatch.setenv("SCA_DB", str(tmp_path / "a.duckdb"))
    assert settings.reload().db == tmp_path / "a.duckdb"
    monkeypatch.setenv("SCA_DB", str(tmp_path / "b.duckdb"))
    assert settings.default_db() == tmp_path / "a.duckdb"  # read once
    assert settings.reload().db == tmp_path / "b.duckdb"


def test_bad_values_fall_back_to_the_defaults(monkeypatch):
    for name, value in (("SCA_UPLOAD_MB", "lots"), ("SCA_UPLOAD_MB", "-3"), ("SCA_LOG_LEVEL", "LOUD")):
        monkeypatch.setenv(name, value)
    chosen = settings.reload()
    assert chosen.upload_mb == 20 and chosen.log_level is None


def test_the_upload_limit_is_the_readers(monkeypatch):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("filler.bin", b"\0" * (1536 * 1024))  # 1.5 MB
    data = buf.getvalue()
    assert not any(p.code == "file_too_large" for p in inspect_container(data))
    monkeypatch.setenv("SCA_UPLOAD_MB", "1")
    settings.reload()
    [problem] = [p for p in inspect_container(data) if p.code == "file_too_large"]
    assert re.search(r"the limit is 1(\.0)? MB", problem.message("en"))


def test_the_settings_command_prints_what_is_in_effect(monkeypatch, capsys):
    monkeypatch.setenv("SCA_UPLOAD_MB", "7")
    settings.reload()
    assert main(["settings", "--get", "upload_mb"]) == 0
    assert capsys.readouterr().out == "7\n"
    assert main(["settings"]) == 0
    assert "upload_mb = 7" in capsys.readouterr().out


def test_every_variable_is_in_the_readme_table_and_read_only_by_the_settings_module():
    readme = (ROOT / "docs" / "operating" / "settings.md").read_text(encoding="utf-8")
    for name, _, _ in settings.ENVIRONMENT:
        assert re.search(rf"^\| `{name}` \|", readme, re.M), name
    for path in [*(ROOT / "sca_metrics").rglob("*.py"), *(ROOT / "views").glob("*.py"), ROOT / "app.py"]:
        if path.name != "settings.py":
            assert "os.environ" not in path.read_text(encoding="utf-8"), path


def test_the_shipped_data_is_found_from_a_checkout():
    assert (settings.shipped_data() / "catalog.csv").is_file()
    assert (settings.shipped_data() / "i18n" / "method.vi.md").is_file()
