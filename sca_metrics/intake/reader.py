"""Reading an uploaded workbook safely: refuse hostile files first, then read cells.

Order matters, and nothing is materialised before it is known to be small:
1. the zip directory is checked (sizes, ratios, entries) before anything is unpacked;
2. every part, whatever its name, is streamed with a hard cap while scanning for DTDs, so
   neither a zip bomb nor an entity-expansion bomb costs more than a few megabytes;
3. every worksheet is streamed once more (expat callbacks, no element built) to find where its
   values lie: a value beyond the rows or columns any real return uses, or a cell longer
   than Excel allows, refuses the file with the sheet and cell named. python-calamine reads
   a sheet as a dense rectangle from A1 to its last value, so one value at XFD1048576 would
   cost half a terabyte; after this pass the rectangle is known to be small. The same pass
   notes which cells are formatted as percentages (calamine does not report number formats,
   and Excel stores a typed "45%" as 0.45 in such a cell) and which sheets are hidden;
4. only then does calamine read the values.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.parsers import expat

import python_calamine
from defusedxml import ElementTree as SafeET

from sca_metrics import settings
from sca_metrics.reference.problems import Problem

# A real return unpacks to well under 1 MB; 30 MB is far beyond any, and small enough that
# reading all of it stays within a couple of hundred megabytes.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
# A worksheet part up to this size (a return of the whole catalog at 34× is about 1 MB) is
# scanned by regular expressions over its bytes; a larger one streams through expat, so a
# hostile sheet near the unpacked limit never sits whole in memory with a list of its tags.
QUICK_BYTES = 2 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 2000
CHUNK = 64 * 1024
# Default bounds of one sheet; `Limits.for_catalog` widens them for a larger catalog.
MAX_ROWS = 2000
MAX_COLUMNS = 64
MAX_CELL_CHARS = 32767  # Excel's own limit for the text of one cell

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD_MARKERS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY")
                     for enc in ("ascii", "utf-16-le", "utf-16-be"))
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MACRO_TYPES = ("macroEnabled", "vbaProject")
_BUILTIN_PERCENT_FORMATS = {9, 10}
_SI, _T = (f"{{{_MAIN_NS}}}{tag}" for tag in ("si", "t"))
# as expat names them (namespace, "}", tag): the worksheet scan's tags
_X_C, _X_ROW = f"{_MAIN_NS}}}c", f"{_MAIN_NS}}}row"
_X_TEXT_TAGS = frozenset(f"{_MAIN_NS}}}{tag}" for tag in ("v", "is", "f", "t"))
VISIBLE = "visible"


@dataclass(frozen=True)
class Limits:
    """How far a sheet's values may reach: any value beyond refuses the file."""

    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cell_chars: int = MAX_CELL_CHARS

    @classmethod
    def for_catalog(cls, n_indicators: int) -> Limits:
        """Ten times the rows a return of the whole catalog would need, never fewer than
        the defaults: far beyond any real return, far below what could hurt the server."""
        return cls(rows=max(MAX_ROWS, 10 * n_indicators), columns=max(MAX_COLUMNS, n_indicators))


@dataclass
class Sheet:
    name: str
    rows: Sequence[Sequence[object]]
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 0-based
    state: str = VISIBLE  # or "hidden" / "veryHidden", as the workbook declares it

    @property
    def hidden(self) -> bool:
        return self.state != VISIBLE

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

    def sheets_for(self, label) -> list[Sheet]:
        """Every sheet that could play a layout label's role (visible or not)."""
        return [s for s in self.sheets if label.matches(s.name)]


@dataclass(frozen=True)
class _SheetPart:
    name: str
    path: str
    state: str


def read_workbook(data: bytes, limits: Limits | None = None) -> tuple[RawWorkbook | None, list[Problem]]:
    limits = limits or Limits()
    problems = inspect_container(data)
    if problems:
        return None, problems
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        parts = _sheet_parts(zf)
        problems = _check_shared_strings(zf, limits)
        styles = _percent_styles(zf)
        percent: dict[str, set[tuple[int, int]]] = {}
        for part in parts:
            if problems:
                break
            cells, problems = _scan_sheet(zf, part, styles, limits)
            percent[part.name] = cells
    except (zipfile.BadZipFile, KeyError, SafeET.ParseError, expat.ExpatError, ValueError) as exc:
        return None, [Problem("file_corrupt", params={"detail": type(exc).__name__})]
    if problems:
        return None, problems
    states = {p.name: p.state for p in parts}
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [
            Sheet(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False),
                  percent.get(name, set()), states.get(name, VISIBLE))
            for name in book.sheet_names
        ]
    except python_calamine.PasswordError:
        return None, [Problem("file_encrypted")]
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        return None, [Problem("file_corrupt", params={"detail": str(exc)[:120] or type(exc).__name__})]
    return RawWorkbook(sheets), []


def inspect_container(data: bytes) -> list[Problem]:
    """Every reason to refuse the file before parsing it; empty when it is safe to read."""
    limit = settings.current().upload_bytes  # the same limit as the upload widget's (SCA_UPLOAD_MB)
    if len(data) > limit:
        return [too_large(len(data), limit)]
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
    if len(infos) > MAX_ENTRIES or worst_ratio > MAX_RATIO:
        return [_bomb(declared, max(worst_ratio, declared / packed))]
    if declared > MAX_UNPACKED_BYTES:
        return [_content_too_large(declared)]
    if any(n.endswith("vbaProject.bin") for n in names):
        return [Problem("file_macro")]
    return _stream_parts(zf, infos)


def _stream_parts(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[Problem]:
    """Unpack every part in chunks under a hard cap (the directory may lie) and scan it for
    DTDs. Every part, whatever its name: a sheet may be stored under any name its
    relationship points at, and [Content_Types].xml may declare any extension as XML."""
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        tail = b""
        size = 0
        try:
            with zf.open(info) as part:
                while chunk := part.read(CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > info.file_size + CHUNK or total > MAX_UNPACKED_BYTES + CHUNK:
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


class _Stop(Exception):
    """Ends a sheet's scan with the problem found."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def _scan_sheet(zf: zipfile.ZipFile, part: _SheetPart, percent_styles: set[str],
                limits: Limits) -> tuple[set[tuple[int, int]], list[Problem]]:
    """Stream one worksheet: its percent-formatted cells, or the first value out of bounds.

    Rows and cells without an `r` attribute follow the one before, as Excel reads them. A cell
    without a value (only a style) costs calamine nothing and is not counted. Expat's own
    callbacks, no element built: a sheet of 1,500 cells is read in about a millisecond."""
    cells: set[tuple[int, int]] = set()
    if part.path not in zf.namelist():
        return cells, []
    if zf.getinfo(part.path).file_size <= QUICK_BYTES:  # a return's size: read whole, scanned by patterns
        quick = _scan_quickly(zf.read(part.path), part, percent_styles, limits)
        if quick is not None:
            return quick
    row = col = -1
    in_cell = has_value = False
    style: str | None = None
    text = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row, col, in_cell, has_value, style, text
        if name == _X_ROW:
            ref = attrs.get("r")
            row = int(ref) - 1 if ref and ref.isdigit() else row + 1
            col = -1
        elif name == _X_C:
            ref = attrs.get("r")
            if ref:
                row, col = _ref_to_index(ref)
            else:
                col += 1
            in_cell, has_value, style = True, False, attrs.get("s")
        else:
            has_value = has_value or in_cell  # any element inside a cell: it has content
            if name in _X_TEXT_TAGS:
                text = 0

    def end(name: str) -> None:
        nonlocal in_cell
        if name in _X_TEXT_TAGS:
            if text > limits.cell_chars:
                raise _Stop(_cell_too_long(part.name, row, col, limits))
        elif name == _X_C:
            in_cell = False
            if has_value and (row >= limits.rows or col >= limits.columns):
                cell = cell_ref(row, col)
                raise _Stop(Problem("sheet_too_large", sheet=part.name, cell=cell, params={
                    "sheet": part.name, "cell": cell, "rows": limits.rows,
                    "columns": column_letters(limits.columns - 1)}))
            if style in percent_styles:
                cells.add((row, col))

    def characters(data: str) -> None:
        nonlocal text
        text += len(data)

    parser = _parser()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = characters
    try:
        with zf.open(part.path) as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Stop as stop:
        return cells, [stop.problem]
    return cells, []


_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c(?=[\s/>])([^>]*)>")
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')


@functools.lru_cache(maxsize=8)
def _long_text(chars: int) -> re.Pattern[bytes]:
    return re.compile(rb">[^<]{%d,}<" % (chars + 1))


@functools.lru_cache(maxsize=64)
def _styled(styles: frozenset[str]) -> re.Pattern[bytes]:
    """A cell tag whose style is one of `styles`."""
    return re.compile(rb'\ss="(?:%s)"' % b"|".join(re.escape(x.encode()) for x in sorted(styles)))


def _scan_quickly(xml: bytes, part: _SheetPart, percent_styles: set[str],
                  limits: Limits) -> tuple[set[tuple[int, int]], list[Problem]] | None:
    """The same scan by regular expressions over the part's bytes, for a sheet as spreadsheet
    programs write it: every cell tag with its `r="A1"` in double quotes, all within the limits.
    None when the sheet is written otherwise — a cell without `r`, CDATA, a comment, a
    processing instruction, a text long enough to need counting in characters — or reaches
    beyond the limits: then the expat scan decides, cell by cell."""
    if xml.count(b"<row") > limits.rows:  # more rows than may hold values: expat finds which
        return None
    if b"<![CDATA[" in xml or b"<!--" in xml or xml.find(b"<?", 1) != -1 or _long_text(
            limits.cell_chars // 4).search(xml):  # 4 bytes a character at most: no text near the limit
        return None
    tags = _CELL_TAG.findall(xml)
    refs = _CELL_REF.findall(b"\x00".join(tags))
    if len(refs) != len(tags):
        return None  # a cell without r (or with two)
    if refs:
        last_row = max(int(r) for r in {r for _, r in refs})
        last_col = max(_ref_to_index(f"{c.decode()}1")[1] for c in {c for c, _ in refs})
        if last_row > limits.rows or last_col >= limits.columns:
            return None  # something lies beyond: which cell, and whether it holds a value
    cells: set[tuple[int, int]] = set()
    if percent_styles:
        styled = _styled(frozenset(percent_styles))
        for attrs in tags:
            if styled.search(attrs):
                ref = _CELL_REF.search(attrs)
                assert ref is not None
                cells.add(_ref_to_index((ref.group(1) + ref.group(2)).decode()))
    return cells, []


def _parser() -> expat.XMLParserType:
    """An expat parser that refuses any DTD or entity declaration (as defusedxml does; the parts
    were scanned for them already)."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args: object) -> None:
        raise ValueError("DTD or entity declaration")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def _check_shared_strings(zf: zipfile.ZipFile, limits: Limits) -> list[Problem]:
    """No shared text longer than a cell may hold (calamine keeps all of them in memory)."""
    path = "xl/sharedStrings.xml"
    if path not in zf.namelist():
        return []
    with zf.open(path) as stream:
        for _, el in SafeET.iterparse(stream):
            if el.tag == _SI:
                if sum(len(t.text or "") for t in el.iter(_T)) > limits.cell_chars:
                    return [_cell_too_long(None, None, None, limits)]
                el.clear()
    return []


def _cell_too_long(sheet: str | None, row: int | None, col: int | None, limits: Limits) -> Problem:
    cell = cell_ref(row, col) if row is not None and col is not None and row >= 0 <= col else None
    return Problem("cell_too_long", sheet=sheet, cell=cell, params={"limit": limits.cell_chars})


def _content_too_large(size: float) -> Problem:
    return Problem("file_content_too_large",
                   params={"size": megabytes(size), "limit": megabytes(MAX_UNPACKED_BYTES)})


def _bomb(size: float, ratio: float) -> Problem:
    return Problem("file_zip_bomb", params={"size": megabytes(size), "ratio": f"{ratio:.0f}:1"})


def too_large(size: int, limit: int) -> Problem:
    """The file is bigger than an upload may be (SCA_UPLOAD_MB)."""
    return Problem("file_too_large", params={"size": megabytes(size), "limit": megabytes(limit)})


def megabytes(n: float) -> str:
    return f"{n / 1024 / 1024:.1f}"


def _percent_styles(zf: zipfile.ZipFile) -> set[str]:
    """The style indexes (a cell's `s`) whose number format is a percentage."""
    if "xl/styles.xml" not in zf.namelist():
        return set()
    styles = SafeET.fromstring(zf.read("xl/styles.xml"))
    custom = {
        int(f.get("numFmtId", "-1")): f.get("formatCode", "")
        for f in styles.iter(f"{{{_MAIN_NS}}}numFmt")
    }
    xfs = styles.find(f"{{{_MAIN_NS}}}cellXfs")
    out = set()
    for idx, xf in enumerate(xfs if xfs is not None else []):
        fmt = int(xf.get("numFmtId", "0"))
        if fmt in _BUILTIN_PERCENT_FORMATS or _is_percent_code(custom.get(fmt, "")):
            out.add(str(idx))
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


def _sheet_parts(zf: zipfile.ZipFile) -> list[_SheetPart]:
    """Every sheet the workbook declares: its name, the part that holds it, its visibility."""
    wb = SafeET.fromstring(zf.read("xl/workbook.xml"))
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_PKG_REL_NS}}}Relationship")}
    out = []
    for s in wb.iter(f"{{{_MAIN_NS}}}sheet"):
        target = targets.get(s.get(f"{{{_REL_NS}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        out.append(_SheetPart(s.get("name", ""), path, s.get("state", VISIBLE)))
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
    return f"{column_letters(col)}{row + 1}"


def column_letters(col: int) -> str:
    """'G' from a 0-based column index."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
