"""A return saved by LibreOffice Calc must ingest exactly like one written by openpyxl.

The test command installs Debian's LibreOffice (see scripts/setup.sh); without soffice the
test fails loudly rather than skipping.
"""

import shutil
import subprocess

import pytest

from sca_metrics.intake.ingest import check_bytes
from tests.helpers import fill, row_of, template, to_bytes


@pytest.mark.office
def test_workbook_saved_by_libreoffice_ingests_the_same(tmp_path, catalog):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required: run the README's test command"
    wb = fill(template(catalog, "SGTVT", "2025"), {
        "TRA.T1": 87.5, "TRA.T2": "35,5", "TRA.T3": "60%", "TRA.T4": 4, "TRA.P1": "3",
        "TRA.P2": 0.5, "TRA.P3": "Có (Yes)", "TRA.R1": "1.234,5", "TRA.R2": 12,
    }, quality="Ước tính (Estimate)")
    wb["Chỉ số"][f"G{row_of(wb, 'TRA.P2')}"].number_format = "0%"  # 50% typed in a % cell
    original = tmp_path / "orig" / "DTTM_SGTVT_2025.xlsx"
    original.parent.mkdir()
    original.write_bytes(to_bytes(wb))

    out_dir = tmp_path / "lo"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir), str(original)],
        check=True, capture_output=True, timeout=180)
    converted = (out_dir / original.name).read_bytes()
    assert converted != original.read_bytes()

    mine = check_bytes(original.read_bytes(), catalog, "SGTVT", "2025")
    theirs = check_bytes(converted, catalog, "SGTVT", "2025")
    assert mine.ok and theirs.ok, [p.line("en") for p in theirs.problems if p.is_error]
    values = {r.indicator: (r.value, r.quality) for r in theirs.records}
    assert values == {r.indicator: (r.value, r.quality) for r in mine.records}
    assert values["TRA.P2"][0] == 50 and values["TRA.R1"][0] == 1234.5
    assert (theirs.department, theirs.period) == ("SGTVT", "2025")
