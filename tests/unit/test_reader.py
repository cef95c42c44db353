import io
import zipfile

import msoffcrypto
import pytest

from sca_metrics.ingest import check_bytes
from sca_metrics.reader import MAX_RATIO, read_workbook
from tests.helpers import fill, lie_about_size, rezip, template, to_bytes, valid_return


def codes(data, catalog):
    return [p.code for p in check_bytes(data, catalog).problems if p.is_error]


def test_valid_workbook_reads(catalog):
    book, problems = read_workbook(valid_return(catalog))
    assert problems == []
    assert [s.name for s in book.sheets] == ["Hướng dẫn", "Thông tin", "Chỉ số"]


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
