"""Rows → records + problems. Pure: no database, no streamlit; every problem at once."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from sca_metrics.intake import layout, roadmap, values
from sca_metrics.intake.reader import RawWorkbook, Sheet, cell_ref
from sca_metrics.intake.rows import HEADER_SEARCH_ROWS, Cells, find_header
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.reference.catalog import Catalog, Indicator
from sca_metrics.reference.problems import ERROR, WARNING, Problem, errors
from sca_metrics.reference.textnorm import forbidden, nfc, strip
from sca_metrics.reference.units import Unit, Units, default_units, reference_date
from sca_metrics.store.records import CheckedReturn, Record, UnitRecord


def check_workbook(
    book: RawWorkbook,
    catalog: Catalog,
    expected_department: str | None = None,
    expected_period: str | None = None,
    units: Units | None = None,
    known_tasks: Mapping[str, Sequence[str]] | None = None,
) -> CheckedReturn:
    """Every problem of a workbook. A department reports its provincial indicators on the
    indicators sheet and its pilot indicators on the ward sheet; the sheets it needs are
    required, a ward sheet is checked whenever present, and so are the plan's sheets (tasks,
    comments; `known_tasks`: the store's current tasks, each with what it depends on)."""
    out = CheckedReturn(None, None)
    refused: set[layout.Label] = set()
    info, sheet, wards, tasks, comments = (_role_sheet(book, label, out, refused) for label in (
        layout.SHEET_INFO, layout.SHEET_INDICATORS, layout.SHEET_UNITS, layout.SHEET_TASKS,
        layout.SHEET_COMMENTS))
    for found in (info, sheet, wards, tasks, comments):
        if found is not None:
            _screen_text(found, out)
    if info is None and layout.SHEET_INFO not in refused:
        out.problems.append(Problem("sheet_missing", params={"expected": layout.SHEET_INFO.text}))
    elif info is not None:
        _check_info(info, catalog, expected_department, expected_period, out)
    department = out.department or expected_department
    mine = catalog.for_department(department) if department else ()
    needs_wards = any(i.pilot for i in mine)
    needs_indicators = not mine or any(not i.pilot for i in mine)
    for label, found, needed in ((layout.SHEET_INDICATORS, sheet, needs_indicators),
                                 (layout.SHEET_UNITS, wards, needs_wards)):
        if found is None and needed and label not in refused:
            out.problems.append(Problem("sheet_missing", params={"expected": label.text}))
    if sheet is not None:
        _check_indicators(sheet, catalog, department, out)
    if wards is not None:
        period = out.period or (str(expected_period) if expected_period else None)
        _check_units(wards, catalog, department, period, units or default_units(), out)
    if tasks is not None:
        roadmap.check_tasks(tasks, catalog, department, known_tasks or {}, out)
    if comments is not None:
        roadmap.check_comments(comments, out)
    filled = sheet if sheet is not None else wards
    if not errors(out.problems) and out.n_values == 0 and filled is not None:
        out.problems.append(Problem("no_values", sheet=filled.name))
    return out


def _role_sheet(book: RawWorkbook, label: layout.Label, out: CheckedReturn,
                refused: set[layout.Label]) -> Sheet | None:
    """The one visible sheet that plays a role. Values count only where the person filling
    the return can see them: a hidden sheet that could play the role refuses the file, and
    so do two sheets that could (which one Excel shows first is not what the reader sees)."""
    found = book.sheets_for(label)
    for s in found:
        if s.hidden:
            out.problems.append(Problem("sheet_hidden", sheet=s.name,
                                        params={"sheet": s.name, "expected": label.text}))
    if len(found) > 1:
        out.problems.append(Problem("sheet_ambiguous", params={
            "expected": label.text, "sheets": ", ".join(f"«{s.name}»" for s in found)}))
    if len(found) == 1 and not found[0].hidden:
        return found[0]
    if found:
        refused.add(label)
    return None


def _screen_text(sheet: Sheet, out: CheckedReturn) -> None:
    """The intake policy on every text of a sheet the return is read from (docs/security.md):
    a cell holding a control, non- or text-direction character is a located error, and the
    character is taken out of the value read, so no message, list or file made from this
    return ever carries it. One pass over the cells."""
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and (bad := forbidden(value)) is not None:
                clean = strip(value)
                out.problems.append(Problem("text_forbidden_char", sheet=sheet.name, cell=cell_ref(r, c),
                                            value=nfc(clean)[:200], params={"char": bad[1]}))
                if isinstance(row, list):
                    row[c] = clean


def _check_info(info: Sheet, catalog: Catalog, exp_dept: str | None, exp_period: str | None,
                out: CheckedReturn) -> None:
    found = _info_fields(info)
    for label in layout.INFO_FIELDS:
        if label.required and label.key not in found:
            out.problems.append(Problem("info_missing", sheet=info.name,
                                        params={"expected": label.text}))

    def problem(code: str, key: str, raw: object, severity: str = ERROR, **params) -> None:
        out.problems.append(Problem(code, severity, sheet=info.name, cell=cell_ref(*found[key][0]),
                                    value=values.raw_text(raw), params=params))

    if "department" in found:
        raw = found["department"][1]
        code = nfc(raw).upper()
        if catalog.find_department(code) is None:
            problem("department_unknown", "department", raw)
        elif exp_dept and code != exp_dept:
            problem("department_mismatch", "department", raw, expected=exp_dept)
        else:
            out.department = code
    if "period" in found:
        raw = found["period"][1]
        period, issue = values.parse_period(raw)
        if issue:
            problem(issue, "period", raw, first=vocabulary.PERIOD_FIRST, last=vocabulary.PERIOD_LAST)
        elif exp_period and period != str(exp_period):
            problem("period_mismatch", "period", raw, expected=exp_period)
        else:
            out.period = period
    if "preparer" in found:
        out.preparer = values.raw_text(found["preparer"][1])
    if "date" in found and not values.is_blank(found["date"][1]):
        out.prepared_on, issue = values.parse_date(found["date"][1])
        if issue:
            problem(issue, "date", found["date"][1], WARNING)


def _info_fields(info: Sheet) -> dict[str, tuple[tuple[int, int], object]]:
    """label key → ((row, col) of the value, value): the value is the next filled cell right."""
    found: dict[str, tuple[tuple[int, int], object]] = {}
    for r, row in enumerate(info.rows):
        for c, cell in enumerate(row):
            label = next((f for f in layout.INFO_FIELDS if f.matches(cell)), None)
            if label is None or label.key in found:
                continue
            rest = [(c2, v) for c2, v in enumerate(row) if c2 > c and not values.is_blank(v)]
            c_val, v = rest[0] if rest else (c + 1, "")
            found[label.key] = ((r, c_val), v)
            break
    return found


def _find_header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    return find_header(sheet, layout.INDICATOR_COLUMNS, ("code", "value"))


def _check_indicators(sheet: Sheet, catalog: Catalog, department: str | None,
                      out: CheckedReturn) -> None:
    header = _find_header(sheet)
    required = [c for c in layout.INDICATOR_COLUMNS if c.required]
    if header is None:
        for label in required:
            out.problems.append(Problem("column_missing", sheet=sheet.name,
                                        params={"expected": label.text}))
        return
    head_row, cols = header
    for label in required:
        if label.key not in cols:
            out.problems.append(Problem("column_missing", sheet=sheet.name,
                                        cell=f"{head_row + 1}:{head_row + 1}",
                                        params={"expected": label.text}))
    if any(label.key not in cols for label in required):
        return

    expected = [i for i in catalog.for_department(department) if not i.pilot] if department else []
    out.n_expected += len(expected)
    seen: dict[str, str] = {}
    for r in range(head_row + 1, len(sheet.rows)):
        _check_row(Cells(sheet, r, cols, out.problems), catalog, department, seen, out)
    for ind in expected:
        if ind.code not in seen:
            out.problems.append(Problem("indicator_missing_row", WARNING, sheet=sheet.name,
                                        params={"indicator": ind.code}))


def _check_row(row: Cells, catalog: Catalog, department: str | None, seen: dict[str, str],
               out: CheckedReturn) -> None:
    raw_code = row.get("code")
    fill = {k: row.get(k) for k in ("value", "quality", "evidence", "note")}
    if values.is_blank(raw_code):
        if not all(values.is_blank(v) for v in fill.values()):
            row.problem("code_missing", "code")
        return
    code = nfc(raw_code).upper()
    ind = catalog.find(code)
    if ind is None:
        row.problem("indicator_unknown", "code")
        return
    if department and ind.department != department:
        row.problem("indicator_other_department", "code", owner=ind.department)
        return
    if code in seen:
        row.problem("indicator_duplicate", "code", first=seen[code])
        return
    seen[code] = row.at("code")
    if ind.pilot:
        row.problem("indicator_by_ward", "code", sheet=layout.SHEET_UNITS.text)
        return

    value = None
    if values.is_blank(fill["value"]):
        row.problem("value_missing", "value", WARNING, indicator=code)
    else:
        value = _parse_value(ind, fill["value"], row.percent_styled("value"),
                             lambda c, severity=ERROR, **p: row.problem(c, "value", severity, **p))
    quality, q_problem = values.parse_quality(fill["quality"])
    if q_problem:
        row.problem(q_problem, "quality", allowed=", ".join(vocabulary.quality_choices()))
    elif quality is None and value is not None:
        row.problem("quality_missing", "quality", WARNING)
    evidence, note = values.raw_text(fill["evidence"]), values.raw_text(fill["note"])
    if value and ind.kind in ("yesno", "level") and not evidence:
        row.problem("evidence_missing", "evidence", WARNING)
    if value is not None or evidence or note:
        out.records.append(Record(code, value, values.raw_text(fill["value"]),
                                  quality or "unknown", evidence, note, row.at("value")))


def _parse_value(ind: Indicator, raw: object, percent_styled: bool, problem) -> float | None:
    if ind.kind == "yesno":
        value, code = values.parse_yes_no(raw)
    elif ind.kind == "level":
        value, code = values.parse_level(raw)
        if code == "level_range":
            problem(code, parsed=formatting.number(value, "vi", 2))
            return None
    else:
        value, code, ambiguous = values.parse_number(raw, percent_sign=ind.kind == "percent")
        if value is not None and ind.kind == "percent" and percent_styled:
            value *= 100  # Excel stores a typed 45% as 0.45 in a percent-formatted cell
        if value is not None and ambiguous:
            problem("value_ambiguous", WARNING, parsed=formatting.number(value, "vi", 6))
    if code:
        problem(code)
        return None
    if value is None:
        return None
    if ind.kind == "percent" and not 0 <= value <= 100:
        problem("percent_range", parsed=formatting.number(value, "vi", 2))
        return None
    if ind.kind == "number" and value < 0 <= min(ind.worst, ind.best):
        problem("negative_count", parsed=formatting.number(value, "vi", 2))
        return None
    lo, hi = min(ind.worst, ind.best), max(ind.worst, ind.best)
    if ind.kind in ("number", "percent") and not lo <= value <= hi:
        bound = hi if value > hi else lo
        problem("value_capped", WARNING, parsed=formatting.number(value, "vi", 2),
                bound=formatting.number(bound, "vi", 2))
    return value


_CODE_LIKE = re.compile(r"^[A-Z]{2,}(\.[A-Z0-9]+)+$")


def _find_unit_header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The ward sheet's header row: the unit columns, the tail columns, and every cell that
    looks like an indicator code (keyed by the code as written)."""
    labels = (*layout.UNIT_LEAD_COLUMNS, *layout.UNIT_TAIL_COLUMNS)
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        cols: dict[str, int] = {}
        for c, cell in enumerate(row):
            label = next((x for x in labels if x.key not in cols and x.matches(cell)), None)
            if label is not None:
                cols[label.key] = c
            elif _CODE_LIKE.match(nfc(cell).upper()):
                cols.setdefault(nfc(cell).upper(), c)
        if "unit_code" in cols or "unit_name" in cols:
            return r, cols
    return None


def _check_units(sheet: Sheet, catalog: Catalog, department: str | None, period: str | None,
                 units: Units, out: CheckedReturn) -> None:
    header = _find_unit_header(sheet)
    if header is None:
        for label in (layout.COL_UNIT_CODE, layout.COL_QUALITY, layout.COL_EVIDENCE):
            out.problems.append(Problem("column_missing", sheet=sheet.name,
                                        params={"expected": label.text}))
        return
    head_row, cols = header
    for label in (layout.COL_QUALITY, layout.COL_EVIDENCE):
        if label.key not in cols:
            out.problems.append(Problem("column_missing", sheet=sheet.name,
                                        cell=f"{head_row + 1}:{head_row + 1}",
                                        params={"expected": label.text}))
    indicators = _unit_indicators(sheet, head_row, cols, catalog, department, out)
    expected_inds = [i for i in catalog.for_department(department) if i.pilot] if department else []
    for ind in expected_inds:
        if ind.code not in indicators:
            out.problems.append(Problem("indicator_missing_column", WARNING, sheet=sheet.name,
                                        params={"indicator": ind.code}))
    if period is None:
        return  # units are valid only for a period; the info sheet's problem says why
    valid = units.pilot_units(period)
    out.n_expected += len(expected_inds) * len(valid)
    seen: dict[str, str] = {}
    for r in range(head_row + 1, len(sheet.rows)):
        row = Cells(sheet, r, cols, out.problems)
        unit = _row_unit(row, units, period, seen)
        if unit is not None:
            _check_unit_row(row, unit, indicators, out)
    for unit in valid:
        if unit.code not in seen:
            out.problems.append(Problem("unit_missing_row", WARNING, sheet=sheet.name,
                                        params={"unit": unit.name_vi, "period": period}))


def _unit_indicators(sheet: Sheet, head_row: int, cols: dict[str, int], catalog: Catalog,
                     department: str | None, out: CheckedReturn) -> dict[str, Indicator]:
    """The indicator columns of the ward sheet that are this department's pilot indicators;
    every other code-like header is a located error."""
    found: dict[str, Indicator] = {}
    labels = {x.key for x in (*layout.UNIT_LEAD_COLUMNS, *layout.UNIT_TAIL_COLUMNS)}
    for key, c in cols.items():
        if key in labels:
            continue
        ind = catalog.find(key)
        code: str | None = None
        params: dict[str, object] = {}
        if ind is None:
            code = "indicator_unknown"
        elif department and ind.department != department:
            code, params = "indicator_other_department", {"owner": ind.department}
        elif not ind.pilot:
            code, params = "indicator_not_pilot", {"sheet": layout.SHEET_INDICATORS.text}
        else:
            found[key] = ind
        if code:
            out.problems.append(Problem(code, sheet=sheet.name, cell=cell_ref(head_row, c),
                                        value=key, params=params))
    return found


def _row_unit(row: Cells, units: Units, period: str, seen: dict[str, str]) -> Unit | None:
    """The ward or commune a row reports for, valid in the period; None (with the reason as
    a located problem) otherwise, or for an empty row."""
    key = "unit_code" if not values.is_blank(row.get("unit_code")) else "unit_name"
    others = [k for k in row.cols if k not in ("unit_code", "unit_name", "population")]
    if values.is_blank(row.get(key)):
        if any(not values.is_blank(row.get(k)) for k in others):
            row.problem("unit_missing", key if key in row.cols else "unit_name")
        return None
    unit, elsewhere = units.resolve(row.get(key), period)
    if unit is None:
        _unit_problem(row, key, elsewhere, units, period)
        return None
    name = row.get("unit_name")
    if key == "unit_code" and not values.is_blank(name):
        named, _ = units.resolve(name, period)
        if named is not None and named.code != unit.code:
            row.problem("unit_mismatch", "unit_name", unit_code=unit.code, unit=unit.name_vi)
            return None
    if unit.code in seen:
        row.problem("unit_duplicate", key, first=seen[unit.code])
        return None
    seen[unit.code] = row.at(key)
    return unit


def _unit_problem(row: Cells, key: str, elsewhere: Unit | None, units: Units, period: str) -> None:
    day = reference_date(period)
    valid = ", ".join(u.name_vi for u in units.pilot_units(period))
    if elsewhere is None:
        row.problem("unit_unknown", key, period=period, allowed=valid)
    elif elsewhere.valid_to is not None and elsewhere.valid_to < day:
        successor = units.successor(elsewhere.code, day)
        row.problem("unit_replaced", key, period=period, unit=elsewhere.name_vi,
                    until=elsewhere.valid_to,
                    successor=units.unit(successor).name_vi if successor else "–")
    else:
        former = ", ".join(units.unit(c).name_vi for c in units.predecessors(elsewhere.code))
        row.problem("unit_not_yet", key, period=period, unit=elsewhere.name_vi,
                    since=elsewhere.valid_from or "–",
                    former=former or valid)


def _check_unit_row(row: Cells, unit: Unit, indicators: dict[str, Indicator],
                    out: CheckedReturn) -> None:
    quality, q_problem = values.parse_quality(row.get("quality"))
    if q_problem:
        row.problem(q_problem, "quality", allowed=", ".join(vocabulary.quality_choices()))
    evidence, note = values.raw_text(row.get("evidence")), values.raw_text(row.get("note"))
    any_value = False
    for code, ind in indicators.items():
        raw = row.get(code)
        value = None
        if values.is_blank(raw):
            row.problem("unit_value_missing", code, WARNING, indicator=code, unit=unit.name_vi)
        else:
            value = _parse_value(ind, raw, row.percent_styled(code),
                                 lambda c, severity=ERROR, _k=code, **p: row.problem(c, _k, severity, **p))
        any_value |= value is not None
        if value is not None:
            out.unit_records.append(UnitRecord(code, unit.code, value, values.raw_text(raw),
                                               quality or "unknown", evidence, note, row.at(code)))
    if any_value and quality is None and not q_problem:
        row.problem("quality_missing", "quality", WARNING)
