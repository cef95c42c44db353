"""The plan sheets of a return — the department's tasks (nhiệm vụ) and its comments on the
programme's draft —: rows → records + problems, every problem located (sheet, cell) and in both
languages, like the indicators (docs/roadmap.md). Pure: no database.

A task's code starts with its department's code ("SYT-01"), so a code names one task across
every return and another department's task can be a dependency. What a task depends on must be
a foundations layer, a task of this return, or a current task of another department
(`known_tasks`, from the store); no task may depend on itself, directly or in a cycle.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sca_metrics.intake import layout, values
from sca_metrics.intake.reader import Sheet
from sca_metrics.intake.rows import Cells, find_header
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.problems import WARNING, Problem
from sca_metrics.reference.textnorm import nfc
from sca_metrics.store.records import CheckedReturn, CommentRecord, TaskRecord

CODE = re.compile(r"^[A-Z0-9]+-[A-Z0-9][A-Z0-9.\-]*$")
MAX_BUDGET = 1_000_000  # billion VND: far beyond any task, a typo in units beyond it


def choices(terms: tuple[vocabulary.Term, ...]) -> str:
    """The allowed texts of a choice, for a message."""
    return ", ".join(f"{term.vi} ({term.code})" for term in terms)


def check_tasks(sheet: Sheet, catalog: Catalog, department: str | None, known_tasks: Collection[str],
                out: CheckedReturn) -> None:
    header = find_header(sheet, layout.TASK_COLUMNS, ("code", "name"))
    if not _columns_present(sheet, header, layout.TASK_COLUMNS, out):
        return
    assert header is not None
    head_row, cols = header
    seen: dict[str, str] = {}
    rows: list[tuple[TaskRecord | None, str, tuple[str, ...], Cells]] = []
    for r in range(head_row + 1, len(sheet.rows)):
        row = Cells(sheet, r, cols, out.problems)
        if not row.blank():
            rows.append((*_task(row, catalog, department, seen), row))
    # what the tasks depend on, checked for every row with a code (a row refused for another
    # field still says what is wrong with its dependencies)
    graph = {code: depends for _, code, depends, _ in rows if code}
    # another department's current tasks; this department's are the ones in this file
    others = {c for c in known_tasks if not (department and c.startswith(f"{department}-"))}
    known = graph.keys() | others | set(vocabulary.LAYER_CODES)
    for task, code, depends, row in rows:
        before = len(out.problems)
        for dependency in depends:
            if dependency == code:
                row.problem("task_dependency_self", "depends_on", task=code)
            elif dependency not in known:
                row.problem("task_dependency_unknown", "depends_on", dependency=dependency,
                            layers=choices(vocabulary.LAYERS))
        if code and (cycle := _cycle(code, graph)) is not None:
            row.problem("task_dependency_cycle", "depends_on", cycle=" → ".join(cycle))
        if task is not None and len(out.problems) == before:
            out.tasks.append(task)


def _columns_present(sheet: Sheet, header, columns, out: CheckedReturn) -> bool:
    required = [c for c in columns if c.required]
    cols = header[1] if header else {}
    where = f"{header[0] + 1}:{header[0] + 1}" if header else None
    missing = [label for label in required if label.key not in cols]
    for label in missing:
        out.problems.append(Problem("column_missing", sheet=sheet.name, cell=where,
                                    params={"expected": label.text}))
    return not missing


def _task(row: Cells, catalog: Catalog, department: str | None,
          seen: dict[str, str]) -> tuple[TaskRecord | None, str, tuple[str, ...]]:
    """One task row: its record (None when any field is wrong; every problem of the row is
    said either way), its code ("" when it has none usable) and what it depends on."""
    ok = True
    code = nfc(row.get("code")).upper().replace(" ", "")
    if not code:
        row.problem("task_code_missing", "code")
        ok = False
    elif not CODE.match(code) or (department and not code.startswith(f"{department}-")):
        row.problem("task_code_format", "code", department=department or "SYT")
        ok = False
    elif code in seen:
        row.problem("task_duplicate", "code", first=seen[code])
        ok = False
    else:
        seen[code] = row.at("code")
    name = values.raw_text(row.get("name"))
    if not name:
        row.problem("task_name_missing", "name")
        ok = False
    terms: dict[str, str | None] = {}
    for key, vocab, code_ in (("area", vocabulary.AREA_CHOICES, "task_area_unknown"),
                              ("phase", vocabulary.PHASES, "task_phase_unknown"),
                              ("status", vocabulary.TASK_STATUSES, "task_status_unknown"),
                              ("budget_source", vocabulary.BUDGET_SOURCES, "task_source_unknown")):
        terms[key], known = values.parse_term(row.get(key), vocab)
        if not known:
            row.problem(code_, key, allowed=choices(vocab))
            ok = False
        elif terms[key] is None and key != "budget_source":
            row.problem("task_field_missing", key, field=_label(key))
            ok = False
    years = {key: _year(row, key) for key in ("start_year", "end_year")}
    start, end = years["start_year"], years["end_year"]
    if None in years.values():
        ok = False
    elif start is not None and end is not None:
        if end < start:
            row.problem("task_years_order", "end_year", start=start)
            ok = False
        first, last = vocabulary.PHASE_YEARS.get(terms["phase"] or "", (start, end))
        if not first <= start <= last:
            row.problem("task_year_phase", "start_year", first=first, last=last)
            ok = False
    partners = tuple(nfc(p).upper() for p in values.parse_list(row.get("partners")))
    for partner in partners:
        if catalog.find_department(partner) is None:
            row.problem("task_partner_unknown", "partners", partner=partner)
            ok = False
        elif partner == department:
            row.problem("task_partner_lead", "partners", partner=partner)
            ok = False
    budget, budget_ok = _budget(row)
    ok = ok and budget_ok
    if budget is not None and terms["budget_source"] is None:
        row.problem("task_source_missing", "budget_source", WARNING)
    note = values.raw_text(row.get("note"))
    if terms["status"] == "delayed" and not note:
        row.problem("task_note_missing", "note", WARNING)
    depends = tuple(_dependency(item) for item in values.parse_list(row.get("depends_on")))
    indicators = tuple(nfc(i).upper() for i in values.parse_list(row.get("indicators")))
    for ind in indicators:
        if catalog.find(ind) is None:
            row.problem("task_indicator_unknown", "indicators", indicator=ind)
            ok = False
    usable = code if code in seen and seen[code] == row.at("code") else ""
    if not ok or start is None or end is None:
        return None, usable, depends
    return TaskRecord(
        code=code, name=name, area=str(terms["area"]), phase=str(terms["phase"]), start_year=start,
        end_year=end, partners=partners, sector_project=values.raw_text(row.get("sector_project")),
        decision=values.raw_text(row.get("decision")), budget=budget, budget_source=terms["budget_source"],
        status=str(terms["status"]), note=note, depends_on=depends, indicators=indicators,
        row=row.r + 1), usable, depends


def _label(key: str) -> str:
    return next(label.text for label in layout.TASK_COLUMNS if label.key == key)


def _year(row: Cells, key: str) -> int | None:
    raw = row.get(key)
    if values.is_blank(raw):
        row.problem("task_field_missing", key, field=_label(key))
        return None
    number, issue, _ = values.parse_number(raw)
    if issue or number is None or not number.is_integer() or not (
            vocabulary.PERIOD_FIRST <= number <= vocabulary.PERIOD_LAST):
        row.problem("task_year_invalid", key, first=vocabulary.PERIOD_FIRST, last=vocabulary.PERIOD_LAST)
        return None
    return int(number)


def _budget(row: Cells) -> tuple[float | None, bool]:
    """(billion VND or None when blank, whether it is valid)."""
    raw = row.get("budget")
    if values.is_blank(raw):
        return None, True
    number, issue, _ = values.parse_number(raw)
    if issue or number is None or not 0 <= number <= MAX_BUDGET:
        row.problem("task_budget_invalid", "budget", most=formatting.number(MAX_BUDGET, "vi"))
        return None, False
    return number, True


def _dependency(item: str) -> str:
    """A layer's code (typed as its code or name) or a task code."""
    layer, _ = values.parse_term(item, vocabulary.LAYERS)
    return layer if layer is not None else nfc(item).upper().replace(" ", "")


def _cycle(start: str, graph: dict[str, tuple[str, ...]]) -> list[str] | None:
    """The dependency path from `start` back to itself through this return's tasks, if any."""
    stack: list[tuple[str, list[str]]] = [(d, [start, d]) for d in graph[start]]
    seen: set[str] = set()
    while stack:
        code, path = stack.pop()
        if code == start:
            return path
        if code in seen or code not in graph:
            continue
        seen.add(code)
        stack.extend((d, [*path, d]) for d in graph[code])
    return None


def check_comments(sheet: Sheet, out: CheckedReturn) -> None:
    header = find_header(sheet, layout.COMMENT_COLUMNS, ("comment",))
    if not _columns_present(sheet, header, layout.COMMENT_COLUMNS, out):
        return
    assert header is not None
    head_row, cols = header
    for r in range(head_row + 1, len(sheet.rows)):
        row = Cells(sheet, r, cols, out.problems)
        if row.blank():
            continue
        section, comment = values.raw_text(row.get("section")), values.raw_text(row.get("comment"))
        if not comment:
            row.problem("comment_missing", "comment")
            continue
        if not section:
            row.problem("comment_section_missing", "section")
            continue
        out.comments.append(CommentRecord(section, comment, values.raw_text(row.get("proposal")), r + 1))
