"""Builders for test workbooks: every test makes its own file from the real template."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

from sca_metrics.intake import layout
from sca_metrics.intake.template import DepartmentRoadmap, build_template
from sca_metrics.outputs.documents.context import Context
from sca_metrics.reference.catalog import Catalog
from sca_metrics.store import queries

COLS = {c.key: i for i, c in enumerate(layout.INDICATOR_COLUMNS, start=1)}
VALUE_COL = "G"
QUALITY_COL = "H"


def template(catalog: Catalog, dept: str = "SYT", period: str = "2024",
             plan: DepartmentRoadmap | None = None) -> Workbook:
    """The department's template; with `plan`, carrying it (as the upload page's does)."""
    return build_template(catalog, dept, period, plan=plan)


def current_roadmap(con, dept: str = "SYT", period: str = "2024") -> DepartmentRoadmap:
    """The department's plan as of the period in a database: what its template carries."""
    return DepartmentRoadmap(queries.roadmap_tasks(con, period, dept),
                             queries.roadmap_comments(con, period, dept))


def row_of(wb: Workbook, code: str) -> int:
    ws = wb[layout.SHEET_INDICATORS.vi]
    for r in range(layout.HEADER_ROW + 1, ws.max_row + 1):
        if ws.cell(r, COLS["code"]).value == code:
            return r
    raise KeyError(code)


def fill(wb: Workbook, values: dict[str, object], quality: object = "Đo đạc (Measured)",
         evidence: str = "QĐ 12/QĐ-UBND ngày 01/02/2024") -> Workbook:
    """Write values (and a quality flag and evidence) into the rows of the given codes."""
    ws = wb[layout.SHEET_INDICATORS.vi]
    for code, value in values.items():
        r = row_of(wb, code)
        ws.cell(r, COLS["value"], value)
        ws.cell(r, COLS["quality"], quality)
        ws.cell(r, COLS["evidence"], evidence)
    return wb


def set_info(wb: Workbook, label, value: object) -> Workbook:
    ws = wb[layout.SHEET_INFO.vi]
    for r in range(1, ws.max_row + 1):
        if label.matches(ws.cell(r, 1).value):
            ws.cell(r, 2, value)
            return wb
    raise KeyError(label.key)


def to_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def full_values(catalog: Catalog, dept: str) -> dict[str, object]:
    """A plausible value for every indicator of a department (midway between goalposts)."""
    out: dict[str, object] = {}
    for ind in catalog.for_department(dept):
        if ind.kind == "yesno":
            out[ind.code] = "Có"
        elif ind.kind == "level":
            out[ind.code] = 2
        else:
            out[ind.code] = round((ind.worst + ind.best) / 2, 1)
    return out


def fill_roadmap(wb: Workbook, tasks: list[dict[str, object]] = (), comments: list[dict[str, object]] = ()
              ) -> Workbook:
    """Write task and comment rows (column key → cell value) under the plan sheets' headers."""
    for label, columns, rows in ((layout.SHEET_TASKS, layout.TASK_COLUMNS, tasks),
                                 (layout.SHEET_COMMENTS, layout.COMMENT_COLUMNS, comments)):
        ws = wb[label.vi]
        cols = {c.key: i for i, c in enumerate(columns, start=1)}
        for r, row in enumerate(rows, start=layout.PLAN_HEADER_ROW + 1):
            for key, value in row.items():
                ws.cell(r, cols[key], value)
    return wb


def valid_return(catalog: Catalog, dept: str = "SYT", period: str = "2024",
                 plan: DepartmentRoadmap | None = None) -> bytes:
    return to_bytes(fill(template(catalog, dept, period, plan), full_values(catalog, dept)))


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The same workbook with some parts replaced or added (for hostile-file tests)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as dst:
        for info in src.infolist():
            body = (replace or {}).get(info.filename, src.read(info))
            dst.writestr(info.filename, body)
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return buf.getvalue()


def lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite a zip entry's declared uncompressed size in both headers (a lying directory)."""
    out = bytearray(data)
    eocd = data.rfind(b"PK\x05\x06")
    pos = int.from_bytes(data[eocd + 16: eocd + 20], "little")
    fake = size.to_bytes(4, "little")
    while data[pos: pos + 4] == b"PK\x01\x02":
        n, m, k = (int.from_bytes(data[pos + o: pos + o + 2], "little") for o in (28, 30, 32))
        if data[pos + 46: pos + 46 + n].decode() == name:
            local = int.from_bytes(data[pos + 42: pos + 46], "little")
            out[pos + 24: pos + 28] = fake
            out[local + 22: local + 26] = fake
            return bytes(out)
        pos += 46 + n + m + k
    raise KeyError(name)


def ward_rows(wb: Workbook) -> dict[str, int]:
    """Unit code → row of the ward sheet."""
    ws = wb[layout.SHEET_UNITS.vi]
    return {ws.cell(r, 1).value: r for r in range(layout.UNITS_HEADER_ROW + 1, ws.max_row + 1)
            if ws.cell(r, 1).value}


def ward_columns(wb: Workbook) -> dict[str, int]:
    """Header text (indicator code or column label) → column of the ward sheet."""
    ws = wb[layout.SHEET_UNITS.vi]
    return {ws.cell(layout.UNITS_HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}


def fill_wards(wb: Workbook, values: dict[tuple[str, str], object],
               quality: object = "Số liệu hành chính (Administrative record)",
               evidence: str = "BC 15/BC-UBND ngày 20/12/2026") -> Workbook:
    """Write ward values keyed by (unit code, indicator), with the row's quality and evidence."""
    ws = wb[layout.SHEET_UNITS.vi]
    rows, cols = ward_rows(wb), ward_columns(wb)
    for (unit, code), value in values.items():
        ws.cell(rows[unit], cols[code], value)
        ws.cell(rows[unit], cols[layout.COL_QUALITY.text], quality)
        ws.cell(rows[unit], cols[layout.COL_EVIDENCE.text], evidence)
    return wb


def full_ward_values(catalog: Catalog, wb: Workbook, dept: str = "UBNDVT") -> dict[tuple[str, str], object]:
    """A value for every pilot indicator of every ward row: 10, 20, 30… down the rows."""
    out: dict[tuple[str, str], object] = {}
    for i, unit in enumerate(ward_rows(wb), start=1):
        for ind in catalog.for_department(dept):
            if ind.pilot:
                out[unit, ind.code] = 10 * i if ind.aggregation == "sum" else min(ind.best, 2.0 * i)
    return out


def sheet_xml(data: bytes, part: str = "xl/worksheets/sheet3.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(part).decode()


def with_rows(data: bytes, rows_xml: str, part: str = "xl/worksheets/sheet3.xml") -> bytes:
    """The workbook with raw <row> elements appended to a sheet's data (hostile shapes
    openpyxl would not write, built without materialising anything)."""
    xml = sheet_xml(data, part).replace("</sheetData>", rows_xml + "</sheetData>", 1)
    return rezip(data, replace={part: xml.encode()})


def run_limited(code: str, *args: str, memory_bytes: int = 1024 ** 3, timeout: float = 120) -> dict:
    """Run Python code in a child process whose address space is capped, so a regression
    that allocates without bound fails there instead of taking the test machine down. The
    code prints one JSON line; it is returned (with the exit code) for the test to assert."""
    import json
    import os
    import resource
    import subprocess
    import sys

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=cap, env=env, cwd=root)
    lines = done.stdout.strip().splitlines()
    out = json.loads(lines[-1]) if done.returncode == 0 and lines else {}
    return {"returncode": done.returncode, "stderr": done.stderr[-2000:], **out}


def flooded_return(catalog: Catalog, first_row: int = 100, last_row: int = 1999) -> bytes:
    """A return with one unknown indicator code per row, as many rows as a sheet may hold:
    about 1,900 errors, each in its own cell."""
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>ZZ.{r}</t></is></c>'
                   f'<c r="G{r}"><v>1</v></c></row>' for r in range(first_row, last_row + 1))
    return with_rows(valid_return(catalog), rows)


@contextlib.contextmanager
def _mounted(point, *steps: list[str]):
    """`point` after running the mount commands `steps`, unmounted afterwards; None where
    this machine does not allow mounting (then the test simulates the error, and says so)."""
    import subprocess

    point.mkdir()
    if any(subprocess.run(step, capture_output=True).returncode for step in steps):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)
        yield None
        return
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def small_disk(tmp_path, size_kb: int = 2048):
    """A tmpfs of `size_kb` mounted under tmp_path, or None."""
    disk = tmp_path / "disk"
    return _mounted(disk, ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(disk)])


def read_only_view(folder):
    """The folder seen through a read-only bind mount (root cannot be kept from writing a
    file by its mode bits, but a read-only file system stops everyone), or None."""
    view = folder.parent / f"{folder.name}-ro"
    return _mounted(view, ["mount", "--bind", str(folder), str(view)],
                    ["mount", "-o", "remount,ro,bind", str(view)])


def fill_disk(folder) -> None:
    """Fill the file system holding `folder` to the last byte."""
    import errno

    with open(folder / "filler", "wb", buffering=0) as f:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise


def word_boxes(pdf) -> list[tuple]:
    """Every word of a PDF file with its page, box and the page's size, in points (poppler's
    pdftotext -bbox): (word, page, x0, y0, x1, y1, page width, page height)."""
    import re
    import subprocess
    from html import unescape

    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    out = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", html, re.S), start=1):
        width, height = (float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        for box, word in re.findall(r"<word ([^>]*)>(.*?)</word>", page):
            x0, y0, x1, y1 = (float(re.search(f'{k}="([\\d.-]+)"', box).group(1))
                              for k in ("xMin", "yMin", "xMax", "yMax"))
            out.append((unescape(word), number, x0, y0, x1, y1, width, height))
    return out


def roadmap_task_row(code: str, depends_on: str = "", **fields: object) -> dict[str, object]:
    """One valid task row (column key → cell) of the plan sheet, depending on `depends_on`."""
    return {"code": code, "name": f"Nhiệm vụ {code}", "area": "Y tế (health)", "phase": "2021–2025",
            "start_year": 2022, "end_year": 2024, "status": "Đang triển khai (in_progress)",
            "depends_on": depends_on, "indicators": "HLT.T1", **fields}


def dense_roadmap(catalog: Catalog, n: int, dept: str = "SYT", each: int | None = None) -> bytes:
    """A hostile return: `n` tasks, each depending on every earlier one (or on the `each`
    before it) — the dependency graph with the most edges a sheet can describe."""
    codes = [f"{dept}-{i:04d}" for i in range(1, n + 1)]
    tasks = [roadmap_task_row(code, "; ".join(codes[max(0, i - each) if each else 0:i]))
             for i, code in enumerate(codes)]
    return to_bytes(fill_roadmap(fill(template(catalog, dept, "2024"), full_values(catalog, dept)), tasks))


def long_roadmap(folder, n: int):
    """A consolidated report's input with `n` tasks and `n` comments for the demo's scores:
    (the briefing context, the tasks frame, the comments frame), as the store would give them."""
    import pandas as pd

    from sca_metrics.demo import build_demo
    from sca_metrics.method.scoring import score_periods
    from sca_metrics.reference.catalog import default_catalog
    from sca_metrics.snapshot import observation_frame
    from sca_metrics.store import schema

    catalog = default_catalog()
    con = schema.connect(Path(folder) / "demo.duckdb")
    build_demo(con, catalog)
    by_period = score_periods(catalog, observation_frame(con))
    con.close()
    tasks = pd.DataFrame([{
        "department": "SYT", "period": "2024", "submission_id": 1, "code": f"SYT-{k:04d}",
        "name": f"Nhiệm vụ {k}", "area": "health", "phase": "2021-2025", "start_year": 2022,
        "end_year": 2024, "partners": [], "sector_project": None, "decision": None, "budget": 1.5,
        "budget_source": "state", "status": "in_progress", "note": None, "depends_on": [],
        "indicators": ["HLT.T1"], "sheet_row": k + 4} for k in range(n)])
    comments = pd.DataFrame([{
        "department": "SYT", "period": "2024", "submission_id": 1, "sheet_row": k + 4, "section": "Y tế",
        "comment": f"Ý kiến {k}", "proposal": "", "response": "accepted", "explanation": None,
        "responded_at": None, "responded_by": None} for k in range(n)])
    return Context(catalog, by_period, pd.DataFrame(), "2024", "vi"), tasks, comments
