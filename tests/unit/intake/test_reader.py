import io
import random
import re
import zipfile

import msoffcrypto
import pytest

from sca_metrics.intake.ingest import check_bytes
from sca_metrics.intake.reader import MAX_RATIO, Limits, read_workbook
from tests.helpers import (
    fill,
    lie_about_size,
    rezip,
    row_of,
    run_limited,
    sheet_xml,
    template,
    to_bytes,
    valid_return,
    with_rows,
)


def codes(data, catalog):
    return [p.code for p in check_bytes(data, catalog).problems if p.is_error]


def test_valid_workbook_reads(catalog):
    book, problems = read_workbook(valid_return(catalog))
    assert problems == []
    assert [s.name for s in book.sheets] == ["Hướng dẫn", "Thông tin", "Chỉ số", "Nhiệm vụ", "Ý kiến góp ý",
                                            "Danh sách chọn"]


def test_not_an_xlsx(catalog):
    assert codes("mã,giá trị\nHLT.T1,5\n".encode(), catalog) == ["file_not_xlsx"]
    assert codes(b"", catalog) == ["file_not_xlsx"]
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    assert codes(zipped.getvalue(), catalog) == ["file_not_xlsx"]


def test_corrupt_workbook(catalog):
    data = valid_return(catalog)
    assert codes(data[: len(data) // 2], catalog) == ["file_corrupt"]
    broken = rezip(data, replace={"xl/worksheets/sheet3.xml": b"<worksheet><sheetData><row>"})
    assert codes(broken, catalog) == ["file_corrupt"]


def test_legacy_xls_refused(catalog):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000
    assert codes(ole, catalog) == ["file_legacy_xls"]


def test_encrypted_workbook_refused(catalog):
    plain = io.BytesIO(valid_return(catalog))
    locked = io.BytesIO()
    office = msoffcrypto.OfficeFile(plain)
    office.encrypt("mật-khẩu", locked)
    assert codes(locked.getvalue(), catalog) == ["file_encrypted"]


def test_macro_enabled_workbook_refused(catalog):
    data = valid_return(catalog)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml")
    macro_types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert codes(rezip(data, replace={"[Content_Types].xml": macro_types}), catalog) == ["file_macro"]
    assert codes(rezip(data, add={"xl/vbaProject.bin": b"\0" * 100}), catalog) == ["file_macro"]


def test_zip_bomb_refused_from_the_directory(catalog):
    data = rezip(valid_return(catalog), add={"xl/media/pad.xml": b"\0" * (MAX_RATIO * 40_000)})
    assert codes(data, catalog) == ["file_zip_bomb"]


def test_zip_bomb_refused_when_the_directory_lies(catalog):
    """Declared sizes rewritten to look harmless: unpacking stops at the declared size."""
    padded = rezip(valid_return(catalog), add={"xl/pad.xml": b"<a>" + b" " * 3_000_000 + b"</a>"})
    with zipfile.ZipFile(io.BytesIO(padded)) as z:
        packed = z.getinfo("xl/pad.xml").compress_size
    lying = lie_about_size(padded, "xl/pad.xml", packed * 2)
    assert codes(lying, catalog) in (["file_zip_bomb"], ["file_corrupt"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_xml_entities_refused(catalog, encoding):
    data = valid_return(catalog)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet3.xml").decode()
    body = sheet.split("?>", 1)[-1]
    evil = ('<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;">]>' + body).encode(encoding)
    problems = check_bytes(rezip(data, replace={"xl/worksheets/sheet3.xml": evil}), catalog).problems
    assert [p.code for p in problems] == ["file_xml_entities"]
    assert problems[0].params["part"] == "xl/worksheets/sheet3.xml"


def test_too_large_refused(catalog):
    assert codes(b"PK\x03\x04" + b"\0" * (21 * 1024 * 1024), catalog) == ["file_too_large"]


def test_percent_formatted_cells_are_known(catalog):
    wb = fill(template(catalog), {"HLT.T1": 0.45})
    wb["Chỉ số"]["G4"].number_format = "0%"
    wb["Chỉ số"]["G5"].number_format = '0.0"%"'  # a literal % sign, not a percent format
    book, _ = read_workbook(to_bytes(wb))
    sheet = book.sheets[2]
    assert (3, 6) in sheet.percent_cells
    assert (4, 6) not in sheet.percent_cells


# ---- hostile shapes: nothing is materialised before it is known to be small ----

CHECK_UNDER_LIMIT = """
import json, sys
from pathlib import Path
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.intake.ingest import check_bytes
def peak_rss_mb():  # VmHWM: this process's own peak (ru_maxrss carries the parent's over exec)
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024
data = Path(sys.argv[1]).read_bytes()
problems = check_bytes(data, default_catalog()).problems
print(json.dumps({"problems": [[p.code, p.sheet, p.cell] for p in problems if p.is_error],
                  "peak_rss_mb": peak_rss_mb()}))
"""


def check_limited(data: bytes, tmp_path) -> dict:
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)
    return run_limited(CHECK_UNDER_LIMIT, str(path), memory_bytes=1024 ** 3)


@pytest.mark.parametrize("cell", ["XFD1048576", "K1048576", "A2500", "DZ4"])
def test_a_value_far_away_refuses_the_file_naming_its_cell(catalog, tmp_path, cell):
    """One value at XFD1048576 used to make the reader allocate 512 GiB (calamine reads a
    sheet as a dense rectangle). Run under a 1 GiB address-space cap."""
    wb = fill(template(catalog), {"HLT.T1": 5})
    wb["Chỉ số"][cell] = 1
    out = check_limited(to_bytes(wb), tmp_path)
    assert out["returncode"] == 0, out["stderr"]
    assert out["problems"] == [["sheet_too_large", "Chỉ số", cell]]


def test_a_far_away_cell_without_a_value_costs_nothing(catalog):
    """A formatted but empty cell (Excel writes them) and a huge declared dimension are fine."""
    data = valid_return(catalog)
    xml = sheet_xml(data).replace("<sheetData>", "", 1)
    xml = (xml.split("<dimension", 1)[0] + '<dimension ref="A1:XFD1048576"/>'
           + xml.split("/>", 1)[1].split("<sheetData>", 1)[-1]) if "<dimension" in xml else xml
    data = with_rows(rezip(data, replace={"xl/worksheets/sheet3.xml": sheet_xml(data).encode()}),
                     '<row r="1048576"><c r="XFD1048576" s="1"/></row>')
    book, problems = read_workbook(data)
    assert problems == []
    assert len(book.sheets[2].rows) < 200


def test_a_million_rows_are_refused_while_streaming(catalog, tmp_path):
    """Rows without an `r` attribute follow the previous one: counted, refused at the first
    row beyond the limit, under the memory cap (it used to be accepted after 6.6 s, 716 MB)."""
    values = random.Random(1).choices(range(1000, 10_000), k=1_000_000)  # compresses like data
    data = with_rows(valid_return(catalog), "".join(f"<row><c><v>{v}</v></c></row>" for v in values))
    out = check_limited(data, tmp_path)
    assert out["returncode"] == 0, out["stderr"]
    [[code, sheet, cell]] = out["problems"]
    assert (code, sheet) == ("sheet_too_large", "Chỉ số")
    assert int(cell[1:]) == Limits.for_catalog(len(catalog.indicators)).rows + 1


def test_a_sheet_larger_than_a_return_streams_and_is_never_held_whole(catalog, monkeypatch):
    """The quick scan reads a part whole and lists its cell tags: for the million rows above
    that cost 1.2 s and 113 MB more than a valid return. Only a return-sized part takes it."""
    from sca_metrics.intake import reader

    values = random.Random(1).choices(range(1000, 10_000), k=1_000_000)
    data = with_rows(valid_return(catalog), "".join(f"<row><c><v>{v}</v></c></row>" for v in values))
    sizes = []
    quick = reader._scan_quickly
    monkeypatch.setattr(reader, "_scan_quickly",
                        lambda xml, *rest: sizes.append(len(xml)) or quick(xml, *rest))
    assert [p.code for p in check_bytes(data, catalog).problems] == ["sheet_too_large"]
    assert sizes and max(sizes) <= reader.QUICK_BYTES


def test_content_far_larger_than_a_return_is_refused_from_the_directory(catalog):
    padding = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(200, 1_200_000))
    data = with_rows(valid_return(catalog), padding)
    problems = check_bytes(data, catalog).problems
    assert [p.code for p in problems] == ["file_content_too_large"]
    assert "MB" in problems[0].message("en")


def test_a_cell_longer_than_excel_allows_is_refused(catalog):
    data = with_rows(valid_return(catalog),
                     f'<row r="150"><c r="B150" t="inlineStr"><is><t>{"x" * 40_000}</t></is></c></row>')
    problems = check_bytes(data, catalog).problems
    assert [(p.code, p.sheet, p.cell) for p in problems] == [("cell_too_long", "Chỉ số", "B150")]


def test_limits_grow_with_the_catalog():
    assert Limits.for_catalog(10).rows == 2000
    assert Limits.for_catalog(1000).rows == 10_000


def test_xml_entities_refused_in_a_part_of_any_name(catalog):
    """The sheet moved to a part whose name does not end in .xml (its relationship points at
    it, so a reader would parse it), and an extra part of a declared XML type."""
    data = valid_return(catalog)
    evil = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e "e">]>'
            + sheet_xml(data).split("?>", 1)[-1]).encode()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("xl/_rels/workbook.xml.rels").replace(b"worksheets/sheet3.xml",
                                                            b"worksheets/sheet3.bin")
        parts = {i.filename: z.read(i) for i in z.infolist()}
    del parts["xl/worksheets/sheet3.xml"]
    parts.update({"xl/_rels/workbook.xml.rels": rels, "xl/worksheets/sheet3.bin": evil})
    moved = io.BytesIO()
    with zipfile.ZipFile(moved, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    problems = check_bytes(moved.getvalue(), catalog).problems
    assert [(p.code, p.params.get("part")) for p in problems] == [
        ("file_xml_entities", "xl/worksheets/sheet3.bin")]
    extra = rezip(data, add={"customXml/item1.dat": b'<!DOCTYPE x [<!ENTITY a "a">]><x/>'})
    assert codes(extra, catalog) == ["file_xml_entities"]


def _hide(data: bytes, sheet: str, state: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        wb = z.read("xl/workbook.xml").decode()
    wb = re.sub(rf'(name="{sheet}"[^>]*?state=")visible"', rf'\g<1>{state}"', wb, count=1)
    return rezip(data, replace={"xl/workbook.xml": wb.encode()})


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_that_could_supply_values_refuses_the_file(catalog, state):
    """A visible «Chỉ số» says 55; a hidden «Indicators» sheet says 99. Only what the person
    filling the return sees may count: the file is refused, naming the hidden sheet."""
    wb = fill(template(catalog), {"HLT.T1": 55})
    copy = wb.copy_worksheet(wb["Chỉ số"])
    copy.title = "Indicators"
    copy.cell(row_of(wb, "HLT.T1"), 7, 99)
    data = _hide(to_bytes(wb), "Indicators", state)
    problems = [p for p in check_bytes(data, catalog).problems if p.is_error]
    assert [(p.code, p.sheet) for p in problems] == [("sheet_hidden", "Indicators"),
                                                     ("sheet_ambiguous", None)]
    assert "Indicators" in problems[0].message("en") and "ẩn" in problems[0].message("vi")
    # The only indicators sheet hidden: refused as hidden, not reported as missing.
    only = _hide(to_bytes(fill(template(catalog), {"HLT.T1": 55})), "Chỉ số", state)
    assert codes(only, catalog) == ["sheet_hidden"]


def test_two_visible_sheets_for_one_role_are_refused(catalog):
    wb = fill(template(catalog), {"HLT.T1": 55})
    wb.copy_worksheet(wb["Chỉ số"]).title = "Indicators"
    problems = [p for p in check_bytes(to_bytes(wb), catalog).problems if p.is_error]
    assert [p.code for p in problems] == ["sheet_ambiguous"]
    assert "«Chỉ số», «Indicators»" in problems[0].message("vi")


def test_a_hidden_instructions_sheet_is_harmless(catalog):
    data = _hide(valid_return(catalog), "Hướng dẫn", "hidden")
    assert codes(data, catalog) == []


def test_the_same_indicator_twice_names_both_cells(catalog):
    wb = fill(template(catalog), {"HLT.T1": 5})
    first = row_of(wb, "HLT.T1")
    ws = wb["Chỉ số"]
    last = ws.max_row + 1
    ws.cell(last, 1, "HLT.T1")
    ws.cell(last, 7, 6)
    [dup] = [p for p in check_bytes(to_bytes(wb), catalog).problems if p.code == "indicator_duplicate"]
    assert dup.location() == f"Chỉ số!A{last}"
    assert f"A{first}" in dup.message("vi") and f"A{first}" in dup.message("en")


# ---- the quick scan (regular expressions) decides as the expat scan does, or defers to it ----

def _both_scans(data: bytes, monkeypatch) -> tuple:
    from sca_metrics.intake import reader

    quick = reader.read_workbook(data)
    monkeypatch.setattr(reader, "_scan_quickly", lambda *args: None)
    slow = reader.read_workbook(data)
    monkeypatch.undo()
    summary = [(b and [(s.name, sorted(s.percent_cells), len(s.rows)) for s in b.sheets],
                [(p.code, p.sheet, p.cell) for p in problems]) for b, problems in (quick, slow)]
    return summary[0], summary[1]


@pytest.mark.parametrize("rows", [
    "",  # the return as the template writes it
    '<row r="1500"><c r="K1500" s="1"/></row>',  # a styled empty cell far out: harmless
    '<row r="2500"><c r="B2500"><v>1</v></c></row>',  # a value beyond the rows
    '<row r="150"><c r="BZ150" t="inlineStr"><is><t>x</t></is></c></row>',  # beyond the columns
    '<row r="150"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'r="ZZ150"><x:v>1</x:v></x:c></row>',  # a prefixed tag
    '<row r="150"><c><v>1</v></c></row>',  # no r: the expat scan counts
    '<row r="150"><c r="B150"><v><![CDATA[1]]></v></c></row>',
    '<!-- <c r="XFD1"><v>1</v></c> --><row r="150"><c r="B150"><v>2</v></c></row>',
    f'<row r="150"><c r="B150" t="inlineStr"><is><t>{"x" * 40_000}</t></is></c></row>',
])
def test_the_quick_scan_agrees_with_the_expat_scan(catalog, monkeypatch, rows):
    wb = fill(template(catalog), {"HLT.T1": 0.45})
    wb["Chỉ số"]["G4"].number_format = "0%"
    data = with_rows(to_bytes(wb), rows) if rows else to_bytes(wb)
    quick, slow = _both_scans(data, monkeypatch)
    assert quick == slow


def test_the_quick_scan_defers_what_it_cannot_read_exactly(catalog):
    from sca_metrics.intake.reader import _scan_quickly, _SheetPart

    part, limits = _SheetPart("Chỉ số", "xl/worksheets/sheet3.xml", "visible"), Limits()
    assert _scan_quickly(b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>', part, set(),
                         limits) == (set(), [])
    for odd in (b"<c><v>1</v></c>", b"<c r='A1'><v>1</v></c>", b'<c r="A1"><v><![CDATA[1]]></v></c>',
                b'<!-- x --><c r="A1"/>', b'<?pi x?><c r="A1"/>',
                b'<c r="A1"><v>' + b"9" * 9000 + b"</v></c>"):
        assert _scan_quickly(b"<?xml version='1.0'?>" + odd, part, set(), limits) is None
