"""Downloads never carry a live spreadsheet formula; numbers and Vietnamese text survive."""

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from sca_metrics.outputs.exports import csv_bytes, neutralise, safe_frame, xlsx_bytes

HOSTILE = pd.DataFrame({
    "name": ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "Y tế", None],
    "value": [1.5, -2.0, 3.0, 4.0, 5.0, 6.25, None],
})


def test_formula_starts_are_prefixed_and_other_text_is_kept():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("-x") == "'-x" and neutralise("@a") == "'@a" and neutralise("+a") == "'+a"
    assert neutralise("Sở Y tế") == "Sở Y tế" and neutralise(-3.5) == -3.5 and neutralise(None) is None


def test_csv_has_a_bom_no_formula_and_keeps_negative_numbers():
    text = csv_bytes(HOSTILE).decode("utf-8-sig")
    rows = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert all(not str(v).startswith(("=", "+", "-", "@", "\t")) for v in rows["name"])
    assert rows["name"][5] == "Y tế"
    assert text.splitlines()[2] == "'+1+1,-2.0"  # the number is not prefixed


def test_xlsx_cells_are_text_not_formulas_and_numbers_stay_numbers():
    ws = load_workbook(io.BytesIO(xlsx_bytes({"scores": HOSTILE})))["scores"]
    names = [ws.cell(r, 1) for r in range(2, 8)]
    assert all(c.data_type != "f" for c in names)
    assert names[0].value == "'=HYPERLINK(\"http://x\")"
    assert ws.cell(3, 2).value == -2.0 and ws.cell(3, 2).data_type == "n"
    assert ws.freeze_panes == "A2"


def test_column_names_are_neutralised_too():
    assert list(safe_frame(pd.DataFrame({"=x": [1]})).columns) == ["'=x"]


def test_data_export_has_scores_indicators_submissions_and_neutralises_formulas(demo_data):
    import io

    import openpyxl

    from sca_metrics.outputs.exports import csv_bytes, data_sheets, xlsx_bytes

    _, _, by_period, subs = demo_data
    subs = subs.copy()
    subs.loc[subs.index[0], "uploader"] = "=HYPERLINK(\"http://x\")"
    sheets = data_sheets(by_period, subs)
    assert list(sheets) == ["scores", "indicators", "submissions"]
    assert set(sheets["scores"].tier) == {"cell", "domain", "foundations", "overall"}
    assert set(sheets["indicators"].period) == set(by_period)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheets)))
    assert book.sheetnames == ["scores", "indicators", "submissions"]
    column = [c.value for c in book["submissions"][1]].index("uploader")
    assert book["submissions"].cell(2, column + 1).value == "'=HYPERLINK(\"http://x\")"
    assert "'=HYPERLINK" in csv_bytes(sheets["submissions"]).decode("utf-8-sig")


def test_data_export_carries_progress_and_the_ward_values(demo_data):
    from sca_metrics.outputs.exports import data_sheets
    from sca_metrics.reference.units import default_units
    from sca_metrics.snapshot import unit_frame
    from sca_metrics.store import schema

    path, catalog, by_period, subs = demo_data
    con = schema.connect(path, read_only=True)
    wards = unit_frame(con)
    con.close()
    sheets = data_sheets(by_period, subs, catalog, wards, default_units())
    assert list(sheets) == ["scores", "indicators", "submissions", "progress", "wards"]
    progress = sheets["progress"]
    with_target = {i.code for i in catalog.indicators if i.target_2025 is not None}
    assert set(progress[progress.period == "2025"].code) == with_target
    assert set(progress.status) <= {"achieved", "on_track", "acceleration", "limited",
                                    "deterioration", "insufficient"}
    ward = sheets["wards"]
    assert len(ward) == len(wards)
    assert set(ward[ward.period == "2026"].unit_name) == {
        "Phường Vũng Tàu", "Phường Tam Thắng", "Phường Rạch Dừa", "Phường Phước Thắng", "Xã Long Sơn"}


def test_every_file_name_says_what_its_period_and_its_language():
    """The data and roadmap files were named dttm_data.xlsx, dttm_roadmap.xlsx, dttm_scores.csv:
    exporting both languages, or two periods, into one folder overwrote them (issue 30)."""
    from sca_metrics.outputs import exports

    assert exports.file_stem("roadmap", "2026", "en") == "dttm_roadmap_2026_en"
    assert exports.span(["2026", "2018", "2024"]) == "2018-2026" and exports.span(["2025"]) == "2025"
    names = {exports.file_stem(what, period, lang) for what in ("data", "roadmap")
             for period in ("2025", "2026") for lang in ("vi", "en")}
    assert len(names) == 8


@pytest.mark.parametrize(("lang", "sheet", "header"), [
    ("vi", "Điểm", ["Kỳ", "Cấp", "Lĩnh vực", "Điểm", "Độ phủ"]),
    ("en", "Scores", ["Period", "Tier", "Domain", "Score", "Coverage"]),
])
def test_the_data_workbook_reads_in_its_language_with_numbers_and_dates_as_shown(demo_data, lang, sheet,
                                                                                header):
    """Issue 30: the Vietnamese data XLSX had English headers, raw floats (26.26125397991673) and
    ISO date-times. Now: sheets and headers in the page's language, a score stored as a number
    shown with one decimal, a share as a percentage, a time as a date."""
    import datetime as dt
    import io

    import openpyxl

    from sca_metrics.outputs.exports import data_sheets, xlsx_bytes

    _, _, by_period, subs = demo_data
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(data_sheets(by_period, subs), lang)))
    assert book.sheetnames[0] == sheet
    ws = book[sheet]
    names = [c.value for c in ws[1]]
    assert set(header) <= set(names)
    score = ws.cell(2, names.index(header[3]) + 1)
    assert isinstance(score.value, float) and score.number_format == "0.0"
    assert ws.cell(2, names.index(header[4]) + 1).number_format == "0%"
    loaded = book[book.sheetnames[2]]
    column = [c.value for c in loaded[1]].index("Thời điểm nạp" if lang == "vi" else "Loaded at") + 1
    cell = loaded.cell(2, column)
    assert isinstance(cell.value, dt.datetime) and cell.number_format == "dd/mm/yyyy hh:mm"
    # without a language (a table's own download, the command line's problems): as it was
    plain = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(data_sheets(by_period, subs))))
    assert plain.sheetnames[0] == "scores" and plain["scores"].cell(1, 1).value == "period"
