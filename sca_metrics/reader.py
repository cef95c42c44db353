"""Reading an uploaded workbook safely: refuse hostile files first, then read cells.

Order matters: the zip directory is checked (sizes, ratios, entries) before anything is
unpacked; XML parts are then streamed with a hard cap while scanning for DTDs, so neither
a zip bomb nor an entity-expansion bomb costs more than a few megabytes. Only then does
python-calamine read the values. Calamine does not report number formats, so a small
pass over styles.xml tells which cells are formatted as percentages (Excel stores a typed
"45%" as 0.45 in such a cell).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

import python_calamine
from defusedxml import ElementTree as SafeET

from sca_metrics.problems import Problem

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 2000
CHUNK = 64 * 1024

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD_MARKERS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY")
                     for enc in ("ascii", "utf-16-le", "utf-16-be"))
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MACRO_TYPES = ("macroEnabled", "vbaProject")
_BUILTIN_PERCENT_FORMATS = {9, 10}


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 0-based

    def value(self, row: int, col: int) -> object:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""


@dataclass
class RawWorkbook:
    sheets: list[Sheet]

    def sheet(self, label) -> Sheet | None:
        """The sheet whose name matches a layout label in either language."""
        return next((s for s in self.sheets if label.matches(s.name)), None)


def read_workbook(data: bytes) -> tuple[RawWorkbook | None, list[Problem]]:
    problems = inspect_container(data)
    if problems:
        return None, problems
    try:
        percent = _percent_cells(data)
    except (zipfile.BadZipFile, KeyError, SafeET.ParseError, ValueError) as exc:
        return None, [Problem("file_corrupt", params={"detail": type(exc).__name__})]
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [
            Sheet(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False),
                  percent.get(name, set()))
            for name in book.sheet_names
        ]
    except python_calamine.PasswordError:
        return None, [Problem("file_encrypted")]
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        return None, [Problem("file_corrupt", params={"detail": str(exc)[:120] or type(exc).__name__})]
    return RawWorkbook(sheets), []


def inspect_container(data: bytes) -> list[Problem]:
    """Every reason to refuse the file before parsing it; empty when it is safe to read."""
    if len(data) > MAX_FILE_BYTES:
        return [Problem("file_too_large", params={"size": _mb(len(data)), "limit": _mb(MAX_FILE_BYTES)})]
    if data.startswith(OLE_MAGIC):
        # Encrypted OOXML is wrapped in an OLE container with an EncryptionInfo stream.
        marker = "EncryptionInfo".encode("utf-16-le")
        return [Problem("file_encrypted" if marker in data[: 4 * 1024 * 1024] else "file_legacy_xls")]
    if not data.startswith(ZIP_MAGIC):
        return [Problem("file_not_xlsx")]
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return [Problem("file_corrupt", params={"detail": str(exc)[:120]})]
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return [Problem("file_not_xlsx")]  # another zip, an .ods or an .xlsb
    declared = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    worst_ratio = max((i.file_size / max(1, i.compress_size) for i in infos), default=0)
    if len(infos) > MAX_ENTRIES or declared > MAX_UNPACKED_BYTES or worst_ratio > MAX_RATIO:
        return [_bomb(declared, max(worst_ratio, declared / packed))]
    if any(n.endswith("vbaProject.bin") for n in names):
        return [Problem("file_macro")]
    return _stream_parts(zf, infos)


def _stream_parts(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[Problem]:
    """Unpack XML parts in chunks under a hard cap (the directory may lie) and scan for DTDs."""
    total = 0
    for info in infos:
        if not info.filename.lower().endswith(_XML_SUFFIXES):
            continue
        tail = b""
        size = 0
        try:
            with zf.open(info) as part:
                while chunk := part.read(CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > info.file_size + CHUNK or total > MAX_UNPACKED_BYTES:
                        return [_bomb(total, total / max(1, info.compress_size))]
                    window = tail + chunk
                    if any(m in window for m in _DTD_MARKERS):
                        return [Problem("file_xml_entities", params={"part": info.filename})]
                    tail = window[-32:]
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
            return [Problem("file_corrupt", params={"detail": f"{info.filename}: {exc}"[:120]})]
        if info.filename == "[Content_Types].xml":
            content_types = zf.read(info)
            if any(t.encode() in content_types for t in _MACRO_TYPES):
                return [Problem("file_macro")]
    return []


def _bomb(size: float, ratio: float) -> Problem:
    return Problem("file_zip_bomb", params={"size": _mb(size), "ratio": f"{ratio:.0f}:1"})


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:.1f}"


def _percent_cells(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Per sheet name, the cells whose number format is a percentage."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = set(zf.namelist())
    if "xl/styles.xml" not in names:
        return {}
    styles = SafeET.fromstring(zf.read("xl/styles.xml"))
    custom = {
        int(f.get("numFmtId")): f.get("formatCode", "")
        for f in styles.iter(f"{{{_MAIN_NS}}}numFmt")
    }
    xfs = styles.find(f"{{{_MAIN_NS}}}cellXfs")
    percent_styles = set()
    for idx, xf in enumerate(xfs if xfs is not None else []):
        fmt = int(xf.get("numFmtId", "0"))
        if fmt in _BUILTIN_PERCENT_FORMATS or _is_percent_code(custom.get(fmt, "")):
            percent_styles.add(str(idx))
    if not percent_styles:
        return {}
    out: dict[str, set[tuple[int, int]]] = {}
    for name, path in _sheet_paths(zf).items():
        if path not in names:
            continue
        cells = set()
        for _, el in SafeET.iterparse(zf.open(path)):
            if el.tag == f"{{{_MAIN_NS}}}c":
                if el.get("s") in percent_styles and el.get("r"):
                    cells.add(_ref_to_index(el.get("r")))
                el.clear()
        out[name] = cells
    return out


def _is_percent_code(code: str) -> bool:
    """A '%' outside quoted literals and escapes, as Excel and LibreOffice read it."""
    quoted = escaped = False
    for ch in code:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == "%" and not quoted:
            return True
    return False


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    wb = SafeET.fromstring(zf.read("xl/workbook.xml"))
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_PKG_REL_NS}}}Relationship")}
    out = {}
    for s in wb.iter(f"{{{_MAIN_NS}}}sheet"):
        target = targets.get(s.get(f"{{{_REL_NS}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        out[s.get("name")] = path
    return out


def _ref_to_index(ref: str) -> tuple[int, int]:
    col = 0
    i = 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + (ord(ref[i].upper()) - 64)
        i += 1
    return int(ref[i:]) - 1, col - 1


def cell_ref(row: int, col: int) -> str:
    """'G12' from 0-based (row, col)."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"
