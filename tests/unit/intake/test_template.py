from openpyxl import load_workbook

from sca_metrics.intake import layout
from sca_metrics.intake.template import write_template


def test_template_has_bilingual_sheets_and_one_row_per_indicator(catalog, tmp_path):
    path = write_template(catalog, "SGTVT", "2025", tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Hướng dẫn", "Thông tin", "Chỉ số", "Nhiệm vụ", "Ý kiến góp ý", "Danh sách chọn"]
    assert wb["Danh sách chọn"].sheet_state == "hidden"  # the task sheet's drop-down lists
    guide = wb["Hướng dẫn"]
    assert "Thông tin" in guide["A2"].value and "Information" in guide["B2"].value
    ws = wb["Chỉ số"]
    headers = [ws.cell(layout.HEADER_ROW, c).value for c in range(1, 11)]
    assert headers[0] == "Mã chỉ số / Code" and "Giá trị / Value" in headers
    codes = [ws.cell(r, 1).value for r in range(layout.HEADER_ROW + 1, ws.max_row + 1)]
    assert codes == [i.code for i in catalog.for_department("SGTVT")]
    info = {wb["Thông tin"].cell(r, 1).value: wb["Thông tin"].cell(r, 2).value for r in range(1, 10)}
    assert info["Mã đơn vị / Department code"] == "SGTVT"
    assert info["Kỳ báo cáo / Reporting period"] == "2025"
    assert info["Phiên bản danh mục / Catalog version"] == catalog.version


def test_prefilled_cells_locked_and_fill_cells_open(catalog, tmp_path):
    ws = load_workbook(write_template(catalog, "SYT", "2024", tmp_path / "t.xlsx"))["Chỉ số"]
    assert ws.protection.sheet
    row = layout.HEADER_ROW + 1
    for col in "ABCDEF":  # code, name, domain, driver, unit, kind
        assert ws[f"{col}{row}"].protection.locked, col
    for col in "GHIJ":  # value, quality, evidence, note
        assert not ws[f"{col}{row}"].protection.locked, col


def test_drop_downs_and_numeric_validation(catalog, tmp_path):
    ws = load_workbook(write_template(catalog, "STTTT", "2024", tmp_path / "t.xlsx"))["Chỉ số"]
    rows = {ws.cell(r, 1).value: r for r in range(layout.HEADER_ROW + 1, ws.max_row + 1)}

    def rule_for(cell):
        return next(dv for dv in ws.data_validations.dataValidation if cell in dv.sqref)

    yes_no = rule_for(f"G{rows['FND.P2']}")
    assert yes_no.type == "list" and "Có (Yes)" in yes_no.formula1
    level = rule_for(f"G{rows['FND.P1']}")
    assert level.type == "list" and "0,1,2,3,4" in level.formula1
    percent = rule_for(f"G{rows['FND.T1']}")
    assert (percent.type, percent.formula1, percent.formula2) == ("decimal", "0", "100")
    count = rule_for(f"G{rows['FND.R3']}")
    assert (count.type, count.operator, count.formula1) == ("decimal", "greaterThanOrEqual", "0")
    quality = rule_for(f"H{rows['FND.T1']}")
    assert "Ước tính (Estimate)" in quality.formula1


def test_cli_template(tmp_path):
    from sca_metrics.cli import main

    out = tmp_path / "sub" / "SYT.xlsx"
    assert main(["template", "--department", "SYT", "--period", "2025", "--out", str(out)]) == 0
    assert load_workbook(out)["Chỉ số"]["A4"].value == "HLT.T1"
    assert main(["template", "--department", "NOPE", "--period", "2025", "--out", str(out)]) == 2
