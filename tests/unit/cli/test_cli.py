import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sca_metrics import settings
from sca_metrics.cli import main
from sca_metrics.method.scoring import Options
from tests.helpers import fill, template, to_bytes, valid_return


def run(*args):
    return subprocess.run([sys.executable, "-m", "sca_metrics", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8")


def test_help_lists_the_commands():
    out = run("--help")
    assert out.returncode == 0
    for command in ("demo", "template", "ingest", "catalog", "submissions", "withdraw"):
        assert command in out.stdout


def test_a_single_error_is_counted_in_the_singular(tmp_path, catalog, capsys):
    bad = tmp_path / "one.xlsx"
    bad.write_bytes(to_bytes(fill(template(catalog, "SGTVT"), {"TRA.T1": 150})))
    assert main(["ingest", "--db", str(tmp_path / "one.duckdb"), "--lang", "en", str(bad)]) == 1
    assert "one.xlsx: rejected (1 error); nothing stored" in capsys.readouterr().out.splitlines()


def test_ingest_exit_codes_and_located_problem_lines(tmp_path, catalog):
    db = tmp_path / "cli.duckdb"
    good = tmp_path / "good.xlsx"
    good.write_bytes(valid_return(catalog))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(to_bytes(fill(template(catalog, "SGTVT"), {"TRA.T1": 150, "TRA.P1": "cao"})))

    ok = run("ingest", "--db", db, good)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "good.xlsx: accepted as submission #1" in ok.stdout

    mixed = run("ingest", "--db", db, "--lang", "en", bad, good)
    assert mixed.returncode == 1
    lines = mixed.stdout.splitlines()
    errors = [line for line in lines if "[Error]" in line]
    assert len(errors) == 2
    assert all(line.startswith("bad.xlsx Chỉ số!G") for line in errors)
    assert any("150% is outside 0–100" in line for line in errors)
    assert "bad.xlsx: rejected (2 errors); nothing stored" in lines
    assert "good.xlsx: identical to current submission #1" in mixed.stdout

    vi = run("ingest", "--db", db, bad)
    assert "[Lỗi] Tỷ lệ 150% nằm ngoài khoảng 0–100." in vi.stdout


def test_submissions_json_lists_status_and_version(tmp_path, catalog):
    db = tmp_path / "cli.duckdb"
    for i, value in enumerate((40, 60)):
        f = tmp_path / f"v{i}.xlsx"
        f.write_bytes(to_bytes(fill(template(catalog), {"HLT.T1": value})))
        assert main(["ingest", "--db", str(db), str(f)]) == 0
    out = run("submissions", "--db", db, "--format", "json")
    rows = json.loads(out.stdout)
    assert [(r["version"], r["status"]) for r in rows] == [(1, "superseded"), (2, "current")]
    assert {"file_name", "sha256", "received_at", "uploader", "n_values"} <= set(rows[0])
    assert main(["withdraw", "--db", str(db), "2", "--reason", "nhầm"]) == 0
    rows = json.loads(run("submissions", "--db", db, "--format", "json").stdout)
    assert [r["status"] for r in rows] == ["current", "withdrawn"]


def test_catalog_csv_and_json(catalog):
    csv_out = run("catalog", "--format", "csv")
    assert csv_out.returncode == 0
    assert csv_out.stdout.splitlines()[0].startswith("code,domain,driver,department,name_vi")
    assert len(csv_out.stdout.splitlines()) == len(catalog.indicators) + 1
    data = json.loads(run("catalog", "--format", "json").stdout)
    assert data["version"] == catalog.version
    assert {i["code"] for i in data["indicators"]} == {i.code for i in catalog.indicators}
    assert run("catalog", "--check").returncode == 0


def test_missing_file_counts_as_rejected(tmp_path):
    out = run("ingest", "--db", tmp_path / "x.duckdb", tmp_path / "nope.xlsx")
    assert out.returncode == 1 and "no such file" in out.stdout


@pytest.mark.slow
def test_scores_json_is_complete_enough_to_recompute(tmp_path, catalog):
    from sca_metrics.method.scoring import normalise

    db = tmp_path / "s.duckdb"
    f = tmp_path / "syt.xlsx"
    f.write_bytes(valid_return(catalog, "SYT", "2024"))
    assert main(["ingest", "--db", str(db), str(f)]) == 0
    out = run("scores", "--db", db, "--runs", "50")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["period"] == "2024" and doc["method_version"] == "2.0"
    assert doc["scheme"]["name"] == "sca-default" and doc["scheme"]["hash"] == Options().fingerprint
    assert [(t["name"], t["method"], t["coverage"]) for t in doc["scheme"]["tiers"]] == [
        ("cell", "arithmetic", 0.66), ("domain", "arithmetic", 0.66), ("overall", "arithmetic", 0.66)]
    health = [i for i in doc["indicators"] if i["domain"] == "health"]
    for i in health:
        assert i["score"] == normalise(i["value"], i["worst"], i["best"]).item()
    tech = next(c for c in doc["cells"] if c["domain"] == "health" and c["driver"] == "technology")
    parts = [i for i in health if i["driver"] == "technology"]
    recomputed = sum(i["weight"] * i["score"] for i in parts) / sum(i["weight"] for i in parts)
    assert abs(tech["score"] - recomputed) < 1e-9
    assert doc["overall"]["score"] is None and doc["overall"]["reason"] == "insufficient_coverage"
    assert {"coverage", "level", "target_score_2025", "gap_2025", "gap_2030"} <= set(tech)
    assert doc["foundations"]["reason"] == "no_data"
    assert len(doc["uncertainty"]["domains"]) == 10

    geo = json.loads(run("scores", "--db", db, "--method", "geometric").stdout)
    assert {t["method"] for t in geo["scheme"]["tiers"]} == {"geometric"}
    csv_out = run("scores", "--db", db, "--format", "csv")
    assert csv_out.stdout.splitlines()[0].startswith("period,scheme,scheme_hash,method_version,tier")
    assert run("scores", "--db", db, "--period", "2019").returncode == 1


@pytest.mark.slow
def test_scores_with_a_scheme_file(tmp_path, catalog):
    """--scheme FILE scores the database with it (and refuses --method beside it); the
    `scheme` command prints the default and checks a file, naming every problem."""
    db = tmp_path / "s.duckdb"
    f = tmp_path / "syt.xlsx"
    f.write_bytes(valid_return(catalog, "SYT", "2024"))
    assert main(["ingest", "--db", str(db), str(f)]) == 0
    default = run("scheme").stdout
    mine = tmp_path / "mine.toml"
    mine.write_text(default.replace('name = "sca-default"', 'name = "policy-heavy"')
                    .replace("policy = 1.0", "policy = 3.0"))
    doc = json.loads(run("scores", "--db", db, "--scheme", mine).stdout)
    assert doc["scheme"]["name"] == "policy-heavy" and doc["scheme"]["hash"] != Options().fingerprint
    assert run("scores", "--db", db, "--scheme", mine, "--method", "geometric").returncode == 2
    checked = run("scheme", mine)
    assert checked.returncode == 0 and "policy-heavy (catalog scheme), hash" in checked.stdout
    mine.write_text(default.replace("policy = 1.0", "polcy = 1.0"))
    bad = run("scheme", mine, "--lang", "en")
    assert bad.returncode == 1 and "mine.toml: tiers[2].weights.polcy" in bad.stderr
    assert run("scores", "--db", db, "--scheme", mine).returncode == 1
    hdi = Path(__file__).resolve().parents[3] / "examples" / "hdi" / "scheme.toml"
    assert run("scores", "--db", db, "--scheme", hdi).returncode == 2  # needs --data


@pytest.mark.browser
def test_export_writes_the_pack_the_data_and_the_figures(tmp_path, demo_data):
    from pptx import Presentation
    from pypdf import PdfReader

    db = demo_data[0]
    # (PNG: the pack's own images, written again; SVG and PDF are the renderer's tests)
    out = run("export", "--db", db, "--out", tmp_path / "out", "--period", "2024", "--figures", "png")
    assert out.returncode == 0, out.stderr
    names = {p.name for p in (tmp_path / "out").iterdir()}
    # every name says what, the period (or the span of the data) and the language
    assert {"dttm_briefing_2024_vi.pptx", "dttm_briefing_2024_vi.pdf", "dttm_data_2018-2026_vi.xlsx",
            "dttm_scores_2018-2026_vi.csv", "dttm_indicators_2018-2026_vi.csv",
            "dttm_submissions_2018-2026_vi.csv", "dttm_roadmap_2024_vi.xlsx"} <= names
    assert sum(n.endswith(".png") for n in names) == 23 and "dttm_figure-01-heatmap_2024_vi.png" in names
    deck = Presentation(tmp_path / "out" / "dttm_briefing_2024_vi.pptx")
    assert len(deck.slides) == 26
    # the pack ends with the proposals, the plan's among them (the command passes the roadmap)
    last = " ".join(shape.text_frame.text for shape in deck.slides[-1].shapes if shape.has_text_frame)
    assert "Đề xuất, kiến nghị" in last and "1. Nâng " in last and "Khắc phục chậm tiến độ" in last
    text = PdfReader(tmp_path / "out" / "dttm_briefing_2024_vi.pdf").pages[0].extract_text()
    assert "Báo cáo nhanh kỳ 2024" in text and "Dữ liệu minh hoạ" in text
    from docx import Document

    report = Document(tmp_path / "out" / "dttm_bao-cao_2024_vi.docx")
    assert "Kết quả đánh giá mức độ sẵn sàng đô thị thông minh kỳ 2024" in [p.text for p in report.paragraphs]
    # heatmap, foundations, 8 domains, the pilot's bars, its series (the text refers to them: two
    # charts of four panels), submissions
    assert len(report.inline_shapes) == 14
    from openpyxl import load_workbook

    plan = load_workbook(tmp_path / "out" / "dttm_roadmap_2024_vi.xlsx")
    assert plan.sheetnames == ["Nhiệm vụ", "Ý kiến góp ý"]  # in the export's language
    header = [c.value for c in plan["Nhiệm vụ"][1]]
    assert {"Mã", "Lĩnh vực", "Giai đoạn", "Kinh phí (tỷ đồng)", "Cảnh báo"} <= set(header)
    assert plan["Nhiệm vụ"].max_row == 1 + 16 and plan["Ý kiến góp ý"].max_row == 1 + 5
    consolidated = Document(tmp_path / "out" / "dttm_lo-trinh_2024_vi.docx")
    assert "I. TỔNG QUAN KẾ HOẠCH" in [p.text for p in consolidated.paragraphs]


def test_export_says_which_letterhead_setting_is_wrong(tmp_path, demo_data, monkeypatch):
    bad = tmp_path / "letterhead.toml"
    bad.write_text('signer = "Nguyễn Văn A"\n', encoding="utf-8")
    monkeypatch.setenv("SCA_REPORT_FILE", str(bad))
    settings.reload()
    out = run("export", "--db", demo_data[0], "--out", tmp_path / "out", "--lang", "en")
    assert out.returncode == 1 and f"{bad}: unknown key 'signer'" in out.stderr
    assert not (tmp_path / "out").exists()  # nothing written


@pytest.mark.slow
def test_export_without_chromium_keeps_the_data_and_says_how(tmp_path, demo_data, monkeypatch):
    monkeypatch.setenv("SCA_CHROMIUM", "/nonexistent/chromium")
    settings.reload()
    out = run("export", "--db", demo_data[0], "--out", tmp_path, "--lang", "en")
    assert out.returncode == 1
    assert "apt-get install chromium fonts-noto-core" in out.stderr
    assert (tmp_path / "dttm_data_2018-2026_en.xlsx").exists() and not list(tmp_path.glob("*.pptx"))


def test_export_refuses_an_unknown_period(tmp_path, demo_data):
    out = run("export", "--db", demo_data[0], "--out", tmp_path, "--period", "2031")
    assert out.returncode == 1 and "no data for period '2031'" in out.stderr


def test_wards_in_either_unit_system_and_never_split_back(demo_data):
    db = demo_data[0]
    out = run("wards", "--db", db, "--period", "2024", "--system", "former", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len({r["unit"] for r in rows}) == 17 and len(rows) == 17 * 7
    rolled = list(csv.DictReader(io.StringIO(run("wards", "--db", db, "--period", "2024",
                                                 "--format", "csv").stdout)))
    cameras = sum(float(r["value"]) for r in rolled if r["indicator"] == "VT.SEC.T1")
    assert cameras == sum(float(r["value"]) for r in rows if r["indicator"] == "VT.SEC.T1")
    refused = run("wards", "--db", db, "--period", "2026", "--system", "former")
    assert refused.returncode == 1 and "never split back" in refused.stderr


def test_progress_lists_a_status_for_every_pilot_indicator(demo_data):
    out = run("progress", "--db", demo_data[0], "--pilot", "--period", "2025", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 7 and {r["target_year"] for r in rows} == {2025}
    assert all(r["status"] in {"achieved", "on_track", "acceleration", "limited", "deterioration"}
               for r in rows)


def test_a_flood_of_problems_is_capped_on_the_terminal_and_complete_in_the_file(tmp_path, catalog):
    from sca_metrics.reference.problems import SHOWN
    from tests.helpers import flooded_return

    flood = tmp_path / "flood.xlsx"
    flood.write_bytes(flooded_return(catalog))
    out = run("ingest", "--db", tmp_path / "f.duckdb", "--lang", "en", flood)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = out.stdout.splitlines()
    assert sum("[Error]" in line for line in lines) == SHOWN
    assert "flood.xlsx: … and 1,700 more problems (write them all with --problems FILE.csv)" in lines
    assert lines[-1] == "flood.xlsx: rejected (1,900 errors); nothing stored"

    listed = tmp_path / "out" / "problems.csv"
    out = run("ingest", "--db", tmp_path / "f.duckdb", "--problems", listed, flood)
    rows = list(csv.DictReader(io.StringIO(listed.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1900 and rows[0]["Tệp"] == "flood.xlsx"
    assert rows[-1]["Vị trí"] == "Chỉ số!A1999"
    assert "1.900 problems written" not in out.stdout and "1,900 problems written" in out.stdout


def test_a_file_name_cannot_send_escape_sequences_to_the_terminal(tmp_path, catalog):
    evil = tmp_path / "a\x1b[2Jb.xlsx"
    evil.write_bytes(b"not a workbook")
    out = run("ingest", "--db", tmp_path / "e.duckdb", evil)
    # the name is kept without the character the intake policy removes from file names
    assert "\x1b" not in out.stdout and "a[2Jb.xlsx" in out.stdout


def test_roadmap_gives_one_record_per_task_with_its_flags(demo_data):
    out = run("roadmap", "--db", demo_data[0], "--format", "json")
    assert out.returncode == 0, out.stderr
    records = json.loads(out.stdout)
    fields = {"code", "name", "domain", "phase", "start_year", "end_year", "lead_department", "partners",
              "sector_project", "budget", "budget_source", "status", "depends_on", "indicators", "flags"}
    assert records and all(fields <= set(r) for r in records)
    assert records[0]["domain"] == "architecture"  # foundations first
    early = next(r for r in records if r["code"] == "SGTVT-01")
    assert [f["code"] for f in early["flags"]] == ["before_dependency"]
    assert "Trung tâm điều hành (IOC)" in early["flags"][0]["message"]
    assert "unplanned_target" in out.stderr  # the plan's own flags, counted
    csv_out = run("roadmap", "--db", demo_data[0], "--format", "csv", "--lang", "en", "--period", "2021")
    rows = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert next(r for r in rows if r["code"] == "STTTT-02")["status"] == "delayed"
    assert "Operations centres (IOC)" in next(r for r in rows if r["code"] == "SGTVT-01")["flags"]


def test_comments_give_each_comment_with_its_response(demo_data):
    out = run("comments", "--db", demo_data[0], "--format", "json")
    assert out.returncode == 0, out.stderr
    comments = json.loads(out.stdout)
    assert {"department", "section", "comment", "proposal", "response", "explanation"} <= set(comments[0])
    assert {c["response"] for c in comments} == {"accepted", "explained"}


def test_the_command_line_reference_is_the_parsers():
    """docs/developing/cli.md is generated from the parser (python -m sca_metrics.cli_reference):
    an option added, renamed or re-described without regenerating it fails here."""
    from sca_metrics import cli
    from sca_metrics.cli_reference import TARGET

    written = TARGET.read_text(encoding="utf-8")
    assert written == cli.reference(), "stale: run python -m sca_metrics.cli_reference"
    assert "## `export`" in written and "--figures" in written and "var/sca.duckdb" in written


def test_a_round_runs_from_the_command_line_and_lists_each_departments_state(tmp_path, catalog, capsys):
    """rounds open/extend/close/list: the JSON names the period, deadline, status and every
    department with its state; a bad date or an unknown department says so and stores nothing."""
    db = tmp_path / "r.duckdb"
    path = tmp_path / "DTTM_SYT_2024.xlsx"
    path.write_bytes(valid_return(catalog, "SYT", "2024"))
    assert main(["ingest", "--db", str(db), str(path)]) == 0
    capsys.readouterr()
    assert main(["rounds", "open", "--db", str(db), "--period", "2024", "--deadline", "2024-03-31",
                 "--departments", "SYT", "SXD", "--message", "Hạn 31/3"]) == 0
    assert main(["rounds", "extend", "--db", str(db), "--period", "2024", "--deadline", "2024-04-30"]) == 0
    capsys.readouterr()
    assert main(["rounds", "list", "--db", str(db), "--format", "json", "--today", "2024-05-02"]) == 0
    (found,) = json.loads(capsys.readouterr().out)
    assert (found["period"], found["deadline"], found["status"]) == ("2024", "2024-04-30", "open")
    states = {d["department"]: d for d in found["departments"]}
    assert set(states) == {"SYT", "SXD"} and states["SXD"]["state"] == "not_started"
    assert states["SXD"]["days_left"] == -2 and states["SYT"]["submitted_at"]
    assert main(["rounds", "close", "--db", str(db), "--period", "2024"]) == 0
    with pytest.raises(SystemExit) as bad:
        main(["rounds", "open", "--db", str(db), "--period", "2025", "--deadline", "0000-01-01"])
    assert bad.value.code == 2 and "not a date" in capsys.readouterr().err
    assert main(["rounds", "open", "--db", str(db), "--period", "2025", "--deadline", "2025-03-31",
                 "--departments", "XYZ", "--lang", "en"]) == 1
    assert "no department XYZ" in capsys.readouterr().err
    assert main(["rounds", "list", "--db", str(db)]) == 0
    assert capsys.readouterr().out.strip() == "2024: closed, deadline 2024-04-30, 1/2 reported"
