"""Department survey workbooks generated from the catalog (openpyxl writes; it never reads).

Prefilled columns are locked; the cells to fill carry drop-downs or numeric validation
and a prompt with the indicator's range, direction and 2025 target.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sca_metrics.intake import layout
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.reference.catalog import Catalog, Indicator
from sca_metrics.reference.i18n import t
from sca_metrics.reference.textnorm import strip
from sca_metrics.reference.units import Unit, Units, default_units, reference_date

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WIDTHS = {"code": 12, "name": 58, "domain": 20, "driver": 14, "unit": 16, "kind": 14,
          "value": 14, "quality": 26, "evidence": 34, "note": 28, "unit_code": 20,
          "unit_name": 26, "population": 18, "indicator": 20}

# The cells' looks as named styles, one assignment a cell (setting fill, border, protection and
# alignment one by one costs openpyxl a hash of each style per cell: a template took 0.4 s).
INPUT_STYLE = NamedStyle(name="sca_input", fill=INPUT_FILL, border=BORDER,
                         protection=Protection(locked=False),
                         alignment=Alignment(wrap_text=True, vertical="top"))
INPUT_LINE = NamedStyle(name="sca_input_line", fill=INPUT_FILL, border=BORDER,
                        protection=Protection(locked=False), alignment=Alignment(vertical="top"))
LOCKED_STYLE = NamedStyle(name="sca_locked", fill=LOCKED_FILL, border=BORDER,
                          alignment=Alignment(vertical="top"))
HEADER_STYLE = NamedStyle(name="sca_header", font=Font(bold=True, color="FFFFFF"), fill=HEADER_FILL,
                          border=BORDER, alignment=Alignment(wrap_text=True, vertical="center"))
LOCKED_WRAP = NamedStyle(name="sca_locked_wrap", fill=LOCKED_FILL, border=BORDER,
                         alignment=Alignment(wrap_text=True, vertical="top"))


def _named(ws, style: NamedStyle) -> str:
    """The style's name, registered in the sheet's workbook the first time it is used."""
    if style.name not in ws.parent.named_styles:
        ws.parent.add_named_style(style)
    return style.name


YES_NO_CHOICES = ("Có (Yes)", "Không (No)")
LEVEL_CHOICES = ("0", "1", "2", "3", "4")


INSTRUCTION_KEYS = tuple(f"template.instructions_{i}" for i in range(9))
UNIT_INSTRUCTION_KEYS = tuple(f"template.units_instructions_{i}" for i in range(3))


@dataclass(frozen=True)
class DepartmentRoadmap:
    """A department's plan as of the period, to carry into its template so that a return sent
    back as downloaded changes nothing in it: its tasks and its comments (with how each was
    answered), as the store's `roadmap_tasks` and `roadmap_comments` give them."""

    tasks: pd.DataFrame
    comments: pd.DataFrame


def build_template(catalog: Catalog, department: str, period: str,
                   units: Units | None = None, plan: DepartmentRoadmap | None = None) -> Workbook:
    """The return workbook of one department for one period, ready to save or fill: the
    indicators sheet for its provincial indicators, the ward sheet for its pilot ones, and the
    plan sheets with the department's current tasks and comments (`plan`) or empty."""
    dept = catalog.find_department(department)
    if dept is None:
        raise KeyError(f"unknown department {department!r}")
    indicators = catalog.for_department(department)
    regular = tuple(i for i in indicators if not i.pilot)
    pilot = tuple(i for i in indicators if i.pilot)
    wb = Workbook()
    _instructions(wb.active, UNIT_INSTRUCTION_KEYS if pilot else ())
    on = reference_date(period)  # the department named as it is at the end of the period
    name_vi, name_en = dept.name("vi", on), dept.name("en", on)
    _info(wb.create_sheet(layout.SHEET_INFO.vi), dept.code, name_vi, name_en, period, catalog.version)
    if regular or not pilot:
        _indicators(wb.create_sheet(layout.SHEET_INDICATORS.vi), regular, name_vi, period)
    if pilot:
        wards = (units or default_units()).pilot_units(period)
        _units(wb.create_sheet(layout.SHEET_UNITS.vi), pilot, wards, name_vi, period)
    tasks, comments = wb.create_sheet(layout.SHEET_TASKS.vi), wb.create_sheet(layout.SHEET_COMMENTS.vi)
    lists = _choices(wb.create_sheet(layout.SHEET_CHOICES.vi))  # last, hidden
    _tasks(tasks, dept.code, name_vi, lists, None if plan is None else plan.tasks)
    _comments(comments, name_vi, None if plan is None else plan.comments)
    wb.active = 2
    wb.properties.title = f"ĐTTM {dept.code} {period}"
    wb.properties.creator = "sca_metrics"
    return wb


def template_bytes(catalog: Catalog, department: str, period: str,
                   plan: DepartmentRoadmap | None = None) -> bytes:
    buf = io.BytesIO()
    build_template(catalog, department, period, plan=plan).save(buf)
    return buf.getvalue()


def write_template(catalog: Catalog, department: str, period: str, out: Path,
                   plan: DepartmentRoadmap | None = None) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    build_template(catalog, department, period, plan=plan).save(out)
    return out


def template_file_name(department: str, period: str) -> str:
    return f"DTTM_{department}_{period}.xlsx"


def _instructions(ws, extra: tuple[str, ...] = ()) -> None:
    ws.title = layout.SHEET_INSTRUCTIONS.vi
    ws.column_dimensions["A"].width = 90
    ws.column_dimensions["B"].width = 90
    for r, key in enumerate(INSTRUCTION_KEYS + extra, start=1):
        vi, en = t(key, "vi"), t(key, "en")
        ws.cell(r, 1, vi).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(r, 2, en).alignment = Alignment(wrap_text=True, vertical="top")
        _fit_height(ws, r, [(vi, 90), (en, 90)], line=18 if r == 1 else 15)
    ws["A1"].font = ws["B1"].font = Font(bold=True, size=14)
    ws.protection.sheet = True
    _print_setup(ws)


def _info(ws, code: str, name_vi: str, name_en: str, period: str, version: str) -> None:
    ws["A1"] = "Thông tin báo cáo / Return information"
    ws["A1"].font = Font(bold=True, size=14)
    values = {
        "department": code, "department_name": f"{name_vi} / {name_en}", "period": str(period),
        "preparer": None, "date": None, "catalog_version": version,
    }
    for offset, label in enumerate(layout.INFO_FIELDS):
        row = layout.INFO_FIRST_ROW + offset
        head = ws.cell(row, 1, label.text)
        head.font = Font(bold=True)
        head.fill, head.border = LOCKED_FILL, BORDER
        cell = ws.cell(row, 2, values[label.key])
        cell.border = BORDER
        cell.number_format = "@"
        editable = label.key in {"preparer", "date"}
        cell.fill = INPUT_FILL if editable else LOCKED_FILL
        cell.protection = Protection(locked=not editable)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 60
    ws.protection.sheet = True
    _print_setup(ws)


def _indicators(ws, indicators: tuple[Indicator, ...], dept_name: str, period: str) -> None:
    cols = {c.key: i for i, c in enumerate(layout.INDICATOR_COLUMNS, start=1)}
    last = get_column_letter(len(cols))
    ws["A1"] = f"Chỉ số đô thị thông minh — {dept_name} — kỳ {period}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = ("Điền các cột nền vàng; để trống nếu chưa có số liệu. "
                "Fill the yellow columns; leave empty when not available.")
    ws["A2"].font = Font(italic=True, color="595959")
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    for col in layout.INDICATOR_COLUMNS:
        _header(ws, layout.HEADER_ROW, cols[col.key], col.text, WIDTHS[col.key])
    ws.row_dimensions[layout.HEADER_ROW].height = 32

    yes_no = _list_validation(YES_NO_CHOICES)
    levels = _list_validation(LEVEL_CHOICES)
    quality = _list_validation(vocabulary.quality_choices())
    for dv in (yes_no, levels, quality):
        ws.add_data_validation(dv)
    for r, ind in enumerate(indicators, start=layout.HEADER_ROW + 1):
        fixed = {
            "code": ind.code, "name": ind.name_vi,
            "domain": vocabulary.term(vocabulary.DOMAINS, ind.domain).vi,
            "driver": vocabulary.term(vocabulary.DRIVERS, ind.driver).vi, "unit": ind.unit_vi,
            "kind": vocabulary.term(vocabulary.KINDS, ind.kind).vi,
        }
        for key, value in fixed.items():
            ws.cell(r, cols[key], value).style = _named(ws, LOCKED_WRAP if key == "name" else LOCKED_STYLE)
        _fit_height(ws, r, [(ind.name_vi, WIDTHS["name"]), (ind.unit_vi, WIDTHS["unit"])])
        for col in layout.FILL_COLUMNS:
            ws.cell(r, cols[col.key]).style = _named(
                ws, INPUT_STYLE if col.key in {"evidence", "note"} else INPUT_LINE)
        _value_validation(ws, ind, f"{get_column_letter(cols['value'])}{r}", yes_no, levels)
        quality.add(f"{get_column_letter(cols['quality'])}{r}")
    ws.freeze_panes = ws.cell(layout.HEADER_ROW + 1, cols["value"])
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # officers may widen columns
    ws.protection.formatRows = False
    _print_setup(ws, f"{layout.HEADER_ROW}:{layout.HEADER_ROW}")


def _value_validation(ws, ind: Indicator, ref: str, yes_no: DataValidation,
                      levels: DataValidation) -> None:
    if ind.kind == "yesno":
        yes_no.add(ref)
    elif ind.kind == "level":
        levels.add(ref)
    else:
        ws.add_data_validation(_number_validation(ind, ref))


def _header(ws, row: int, col: int, text: str, width: float) -> None:
    ws.cell(row, col, text).style = _named(ws, HEADER_STYLE)
    ws.column_dimensions[get_column_letter(col)].width = width


def _units(ws, indicators: tuple[Indicator, ...], wards: list[Unit], dept_name: str,
           period: str) -> None:
    """The ward sheet: one row per ward or commune valid on the period's last day."""
    lead, tail = layout.UNIT_LEAD_COLUMNS, layout.UNIT_TAIL_COLUMNS
    first_ind = len(lead) + 1
    first_tail = first_ind + len(indicators)
    last = get_column_letter(first_tail + len(tail) - 1)
    day = formatting.day(reference_date(period), "vi")  # the workbook is in Vietnamese
    ws["A1"] = f"Chỉ số thí điểm theo phường, xã — {dept_name} — kỳ {period}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = t("template.units_hint", "vi", day=day) + "\n" + t("template.units_hint", "en", day=day)
    ws["A2"].font = Font(italic=True, color="595959")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 45
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    for i, label in enumerate(lead, start=1):
        _header(ws, layout.UNITS_HEADER_ROW, i, label.text, WIDTHS[label.key])
    for i, label in enumerate(tail, start=first_tail):
        _header(ws, layout.UNITS_HEADER_ROW, i, label.text, WIDTHS[label.key])
    for i, ind in enumerate(indicators, start=first_ind):
        _header(ws, layout.UNITS_HEADER_ROW, i, ind.code, WIDTHS["indicator"])
        how = vocabulary.term(vocabulary.AGGREGATIONS, ind.aggregation).vi.lower()
        c = ws.cell(layout.UNITS_NAMES_ROW, i, f"{ind.name_vi} ({ind.unit_vi}) — toàn thành phố: {how}")
        c.fill, c.border = LOCKED_FILL, BORDER
        c.alignment = Alignment(wrap_text=True, vertical="top")
        c.font = Font(size=9)
    ws.row_dimensions[layout.UNITS_NAMES_ROW].height = 110
    ws.row_dimensions[layout.UNITS_HEADER_ROW].height = 32

    yes_no, levels = _list_validation(YES_NO_CHOICES), _list_validation(LEVEL_CHOICES)
    quality = _list_validation(vocabulary.quality_choices())
    for dv in (yes_no, levels, quality):
        ws.add_data_validation(dv)
    for r, unit in enumerate(wards, start=layout.UNITS_HEADER_ROW + 1):
        for col, value in enumerate((unit.code, unit.name_vi, unit.population), start=1):
            c = ws.cell(r, col, value)
            c.fill, c.border = LOCKED_FILL, BORDER
        ws.cell(r, 3).number_format = "#,##0"
        for col in range(first_ind, first_tail + len(tail)):
            c = ws.cell(r, col)
            c.fill, c.border = INPUT_FILL, BORDER
            c.protection = Protection(locked=False)
            c.alignment = Alignment(wrap_text=col >= first_tail + 1, vertical="top")
        for i, ind in enumerate(indicators, start=first_ind):
            _value_validation(ws, ind, f"{get_column_letter(i)}{r}", yes_no, levels)
        quality.add(f"{get_column_letter(first_tail)}{r}")
    ws.freeze_panes = ws.cell(layout.UNITS_HEADER_ROW + 1, first_ind)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _print_setup(ws, f"{layout.UNITS_NAMES_ROW}:{layout.UNITS_HEADER_ROW}")


# The drop-down lists of the task sheet, too long for an inline list (Excel allows 255
# characters), on a hidden sheet: one column per list, "Vietnamese name (code)".
CHOICE_LISTS = (("area", vocabulary.AREA_CHOICES), ("phase", vocabulary.PHASES),
                ("status", vocabulary.TASK_STATUSES), ("budget_source", vocabulary.BUDGET_SOURCES))
WIDTHS |= {"start_year": 11, "end_year": 11, "partners": 22, "sector_project": 30, "decision": 20,
           "budget": 16, "budget_source": 30, "status": 22, "depends_on": 26, "indicators": 24,
           "area": 30, "phase": 14, "section": 30, "comment": 60, "proposal": 50, "response": 22,
           "explanation": 50}




def _choices(ws) -> dict[str, str]:
    """The hidden sheet of the task sheet's lists; key → its range, for a list validation."""
    ranges = {}
    for col, (key, terms) in enumerate(CHOICE_LISTS, start=1):
        for r, term in enumerate(terms, start=1):
            ws.cell(r, col, f"{term.vi} ({term.code})")
        letter = get_column_letter(col)
        ranges[key] = f"'{ws.title}'!${letter}$1:${letter}${len(terms)}"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return ranges


def _roadmap_sheet(ws, columns: tuple[layout.Label, ...], title: str, hint_key: str,
                rows: int) -> dict[str, int]:
    """A title, a hint in both languages, the header, and `rows` rows to fill."""
    cols = {c.key: i for i, c in enumerate(columns, start=1)}
    last = get_column_letter(len(cols))
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = t(hint_key, "vi") + "\n" + t(hint_key, "en")
    ws["A2"].font = Font(italic=True, color="595959")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    merged = sum(WIDTHS[c.key] for c in columns)  # the hint's width, in characters
    lines = sum(math.ceil(len(t(hint_key, lang)) * 1.15 / merged) for lang in ("vi", "en"))
    ws.row_dimensions[2].height = 15 * lines + 6
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    for col in columns:
        _header(ws, layout.PLAN_HEADER_ROW, cols[col.key], col.text, WIDTHS[col.key])
    ws.row_dimensions[layout.PLAN_HEADER_ROW].height = 80  # the bilingual labels on up to five lines
    for r in range(layout.PLAN_HEADER_ROW + 1, layout.PLAN_HEADER_ROW + 1 + rows):
        for c in cols.values():
            ws.cell(r, c).style = _named(ws, INPUT_STYLE)
    ws.freeze_panes = ws.cell(layout.PLAN_HEADER_ROW + 1, 3)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _print_setup(ws, f"{layout.PLAN_HEADER_ROW}:{layout.PLAN_HEADER_ROW}")
    return cols


def _tasks(ws, code: str, dept_name: str, lists: dict[str, str], current: pd.DataFrame | None) -> None:
    """The tasks sheet: one task a row — the department's current tasks first, as they are
    stored, then empty rows —; the choices from drop-downs, the years whole numbers."""
    carried = [] if current is None else current.sort_values(["sheet_row", "code"]).to_dict("records")
    rows = max(layout.TASK_ROWS, len(carried) + layout.PLAN_SPARE_ROWS)
    cols = _roadmap_sheet(ws, layout.TASK_COLUMNS, f"Nhiệm vụ thực hiện Đề án — {dept_name} / Tasks",
                       "template.tasks_hint", rows)
    first, last = layout.PLAN_HEADER_ROW + 1, layout.PLAN_HEADER_ROW + rows
    for r, task in enumerate(carried, start=first):
        cells = _task_cells(task)
        for key, value in cells.items():
            _put(ws.cell(r, cols[key]), value)
        _fit_height(ws, r, [(str(cells[k] or ""), WIDTHS[k]) for k in ("name", "note", "sector_project")])
    for key, formula in lists.items():
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.error = "Chọn một giá trị trong danh sách / Choose a value from the list"
        dv.errorTitle = "Giá trị không hợp lệ / Invalid value"
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        letter = get_column_letter(cols[key])
        dv.add(f"{letter}{first}:{letter}{last}")
    years = DataValidation(type="whole", operator="between", formula1=str(vocabulary.PERIOD_FIRST),
                           formula2=str(vocabulary.PERIOD_LAST), allow_blank=True)
    years.error = f"Một năm từ {vocabulary.PERIOD_FIRST} đến {vocabulary.PERIOD_LAST} / A year"
    years.showErrorMessage = True
    ws.add_data_validation(years)
    budget = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    budget.error = "Nhập số tỷ đồng / Enter billions of đồng"
    budget.showErrorMessage = True
    ws.add_data_validation(budget)
    for key, dv in (("start_year", years), ("end_year", years), ("budget", budget)):
        letter = get_column_letter(cols[key])
        dv.add(f"{letter}{first}:{letter}{last}")
    code_cell = get_column_letter(cols["code"])
    prompt = DataValidation(type="custom", formula1=f'LEFT({code_cell}{first},{len(code) + 1})="{code}-"',
                            allow_blank=True)
    prompt.promptTitle = "Mã nhiệm vụ / Task code"
    prompt.prompt = f"{code}-01, {code}-02, …"
    prompt.showInputMessage = True
    prompt.error = f"Mã bắt đầu bằng {code}- / The code starts with {code}-"
    prompt.showErrorMessage = True
    ws.add_data_validation(prompt)
    prompt.add(f"{code_cell}{first}:{code_cell}{last}")


def _choice(terms: tuple[vocabulary.Term, ...], code: object) -> str | None:
    """A stored code as its drop-down text, "name (code)"."""
    if not isinstance(code, str) or not code:
        return None
    term = vocabulary.term(terms, code)
    return f"{term.vi} ({term.code})"


def _items(value: Iterable[object] | float | None) -> str | None:
    """A stored list (codes) as the sheet writes it, "a; b"; None for none."""
    return layout.joined([] if value is None or isinstance(value, float) else value) or None


def _task_cells(task: dict) -> dict[str, object]:
    """One stored task as the sheet's cells, written the way the reader reads them back."""
    def text(value: object) -> str | None:
        return value if isinstance(value, str) and value else None

    budget = task.get("budget")
    return {
        "code": task["code"], "name": task["name"], "area": _choice(vocabulary.AREA_CHOICES, task["area"]),
        "phase": _choice(vocabulary.PHASES, task["phase"]), "start_year": int(task["start_year"]),
        "end_year": int(task["end_year"]), "partners": _items(task.get("partners")),
        "sector_project": text(task.get("sector_project")), "decision": text(task.get("decision")),
        "budget": None if budget is None or pd.isna(budget) else float(budget),
        "budget_source": _choice(vocabulary.BUDGET_SOURCES, task.get("budget_source")),
        "status": _choice(vocabulary.TASK_STATUSES, task["status"]), "note": text(task.get("note")),
        "depends_on": _items(task.get("depends_on")), "indicators": _items(task.get("indicators")),
    }


def _put(cell, value: object) -> None:
    """A value into a cell as text stays text: characters a workbook cannot hold (control
    characters) are dropped, and a text starting with "=" is stored as text, never as a formula
    (openpyxl would make it one: a task's name could run in the officer's Excel)."""
    if isinstance(value, str):
        value = strip(value)  # the intake policy's refused characters: openpyxl's illegal ones and more
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"


def _comments(ws, dept_name: str, current: pd.DataFrame | None) -> None:
    """The comments sheet: the department's current comments first, each with how it was
    answered beside it (locked, for reading), then empty rows."""
    carried = [] if current is None else current.sort_values("sheet_row").to_dict("records")
    rows = max(layout.COMMENT_ROWS, len(carried) + layout.PLAN_SPARE_ROWS)
    cols = _roadmap_sheet(ws, layout.COMMENT_COLUMNS, f"Ý kiến góp ý dự thảo Đề án — {dept_name} / Comments",
                       "template.comments_hint", rows)
    answer_cols = {}
    for i, label in enumerate(layout.COMMENT_ANSWER_COLUMNS, start=len(cols) + 1):
        _header(ws, layout.PLAN_HEADER_ROW, i, label.text, WIDTHS[label.key])
        answer_cols[label.key] = i
        for r in range(layout.PLAN_HEADER_ROW + 1, layout.PLAN_HEADER_ROW + 1 + rows):
            ws.cell(r, i).style = _named(ws, LOCKED_WRAP)
    for r, comment in enumerate(carried, start=layout.PLAN_HEADER_ROW + 1):
        for key in ("section", "comment", "proposal"):
            value = comment.get(key)
            _put(ws.cell(r, cols[key]), value if isinstance(value, str) and value else None)
        response = comment.get("response")
        if isinstance(response, str) and response:
            _put(ws.cell(r, answer_cols["response"]),
                 f"{t(f'roadmap.{response}', 'vi')} / {t(f'roadmap.{response}', 'en')}")
            explanation = comment.get("explanation")
            _put(ws.cell(r, answer_cols["explanation"]),
                 explanation if isinstance(explanation, str) and explanation else None)
        _fit_height(ws, r, [(str(ws.cell(r, c).value or ""), WIDTHS[k]) for k, c in
                            [*cols.items(), *answer_cols.items()]])


def _fit_height(ws, row: int, texts: list[tuple[str, float]], line: float = 15.0) -> None:
    """Row height for wrapped text (openpyxl cannot autofit): lines ≈ characters / width."""
    lines = max((math.ceil(len(text) * 1.1 / width) for text, width in texts if text), default=1)
    ws.row_dimensions[row].height = line * max(1, lines)


def _print_setup(ws, repeat_rows: str | None = None) -> None:
    """A4 landscape, one page wide, so a printed return stays readable."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if repeat_rows:
        ws.print_title_rows = repeat_rows


def _list_validation(choices: tuple[str, ...]) -> DataValidation:
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    dv.error = "Chọn một giá trị trong danh sách / Choose a value from the list"
    dv.errorTitle = "Giá trị không hợp lệ / Invalid value"
    dv.showErrorMessage = True
    return dv


def _number_validation(ind: Indicator, ref: str) -> DataValidation:
    """Decimal validation (0–100 for percents, ≥ 0 where negatives make no sense) with a prompt."""
    if ind.kind == "percent":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
    elif min(ind.worst, ind.best) >= 0:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    else:
        dv = DataValidation(type="decimal")
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorTitle = "Giá trị không hợp lệ / Invalid value"
    dv.error = "Nhập một số hợp lệ / Enter a valid number"
    arrow = "↑" if ind.direction == "higher" else "↓"
    target = formatting.number(ind.target_2025, "vi", 2) if ind.target_2025 is not None else "–"
    dv.promptTitle = ind.code
    dv.prompt = (f"{arrow} {vocabulary.term(vocabulary.DIRECTIONS, ind.direction).vi}. "
                 f"Mục tiêu 2025: {target} {ind.unit_vi}")[:255]
    dv.showInputMessage = True
    dv.add(ref)
    return dv
