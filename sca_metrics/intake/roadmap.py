"""The plan sheets of a return — the department's tasks (nhiệm vụ) and its comments on the
programme's draft —: rows → records + problems, every problem located (sheet, cell) and in both
languages, like the indicators (docs/roadmap.md). Pure: no database.

A task's code starts with its department's code ("SYT-01"), so a code names one task across
every return and another department's task can be a dependency. What a task depends on must be
a foundations layer, a task of this return, or a current task of another department
(`known_tasks`, from the store, with what each depends on); no task may depend on itself,
directly or in a cycle — through this return's tasks or through other departments' (a cycle is
found once for the whole graph, in time linear in tasks and dependencies).

Every check is bounded: at most MAX_TASKS tasks in a return and MAX_DEPENDENCIES dependencies
on a task (docs/roadmap.md); a return beyond either is refused with the cell named.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping, Sequence

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
MAX_TASKS, MAX_DEPENDENCIES = vocabulary.MAX_TASKS, vocabulary.MAX_DEPENDENCIES
SHOWN_CYCLE = 8  # the codes of a cycle a message names (a longer one is cut in the middle)


def choices(terms: tuple[vocabulary.Term, ...]) -> str:
    """The allowed texts of a choice, for a message."""
    return ", ".join(f"{term.vi} ({term.code})" for term in terms)


def check_tasks(sheet: Sheet, catalog: Catalog, department: str | None,
                known_tasks: Mapping[str, Sequence[str]], out: CheckedReturn) -> None:
    """`known_tasks`: every current task of the store (code → what it depends on); this
    department's are replaced by the ones in this file."""
    header = find_header(sheet, layout.TASK_COLUMNS, ("code", "name"))
    if not _columns_present(sheet, header, layout.TASK_COLUMNS, out):
        return
    assert header is not None
    head_row, cols = header
    seen: dict[str, str] = {}
    rows: list[tuple[TaskRecord | None, str, tuple[str, ...], Cells]] = []
    for r in range(head_row + 1, len(sheet.rows)):
        row = Cells(sheet, r, cols, out.problems)
        if row.blank():
            continue
        if len(rows) == MAX_TASKS:  # the first MAX_TASKS are still checked, so all is said of them
            row.problem("tasks_too_many", "code", most=MAX_TASKS)
            break
        rows.append((*_task(row, catalog, department, seen), row))
    # what the tasks depend on, checked for every row with a code (a row refused for another
    # field still says what is wrong with its dependencies)
    mine = {code: depends for _, code, depends, _ in rows if code}
    graph = {c: tuple(d) for c, d in known_tasks.items()
             if not (department and c.startswith(f"{department}-"))}
    graph.update(mine)
    known = graph.keys() | set(vocabulary.LAYER_CODES)
    cycles = find_cycles(graph, list(mine))
    for task, code, depends, row in rows:
        before = len(out.problems)
        for dependency in depends:
            if dependency == code:
                row.problem("task_dependency_self", "depends_on", task=code)
            elif dependency not in known:
                row.problem("task_dependency_unknown", "depends_on", dependency=dependency,
                            layers=choices(vocabulary.LAYERS))
        if code in cycles:
            row.problem("task_dependency_cycle", "depends_on", cycle=cycle_text(cycles[code]))
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
    items = values.parse_list(row.get("depends_on"))
    if len(items) > MAX_DEPENDENCIES:
        row.problem("task_dependencies_too_many", "depends_on", n=len(items), most=MAX_DEPENDENCIES)
        ok = False
    depends = tuple(dict.fromkeys(_dependency(item) for item in items[:MAX_DEPENDENCIES]))
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


def find_cycles(graph: Mapping[str, Sequence[str]], starts: Sequence[str]) -> dict[str, list[str]]:
    """For each of `starts` that lies on a cycle of `graph` (code → what it depends on; a code
    outside the graph is a layer or unknown, and ends a path), a path from it back to itself
    (first and last the same). A task depending on itself directly is said otherwise, not here.

    Linear in the graph's tasks and dependencies: the strongly connected components of what
    `starts` reach (Tarjan's algorithm, iterative), then in each component one search forward
    and one backward from a root give every member a way round (member → … → root → … →
    member), so a thousand tasks each depending on every earlier one cost milliseconds."""
    component = _components(graph, starts)
    groups: dict[int, list[str]] = {}
    for code, c in component.items():
        groups.setdefault(c, []).append(code)
    out: dict[str, list[str]] = {}
    wanted = set(starts)
    for members in groups.values():
        if len(members) < 2 or not wanted.intersection(members):
            continue
        inside = set(members)
        root = next(code for code in starts if code in inside)
        back = _toward(root, inside, graph)  # member → the next step on a shortest way to root
        ahead: dict[str, str] = {}  # member → the step before it on a shortest way from root
        queue = deque([root])
        while queue:
            code = queue.popleft()
            for d in graph[code]:
                if d in inside and d not in ahead and d != root:
                    ahead[d] = code
                    queue.append(d)
        for code in wanted.intersection(members):
            to_root = [code]
            while to_root[-1] != root or len(to_root) == 1:
                here = to_root[-1]
                to_root.append(back[here] if here != root else _first_step(root, back, graph))
            from_root = [code]
            while from_root[-1] != root:
                from_root.append(ahead[from_root[-1]])
            out[code] = to_root + from_root[-2::-1] if code != root else to_root
    return out


def _first_step(root: str, back: dict[str, str], graph: Mapping[str, Sequence[str]]) -> str:
    """The dependency of `root` on the shortest way round back to it."""
    return min((d for d in graph[root] if d in back and d != root), key=lambda d: _distance(d, root, back))


def _distance(code: str, root: str, back: dict[str, str]) -> int:
    n = 0
    while code != root:
        code, n = back[code], n + 1
    return n


def _toward(root: str, inside: set[str], graph: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """A breadth-first search backward from `root` within one component: for each member, the
    dependency that leads it to `root` by a shortest way."""
    depended: dict[str, list[str]] = {}
    for code in inside:
        for d in graph[code]:
            if d in inside:
                depended.setdefault(d, []).append(code)
    back = {root: root}
    queue = deque([root])
    while queue:
        code = queue.popleft()
        for before in depended.get(code, ()):
            if before not in back:
                back[before] = code
                queue.append(before)
    return back


def _components(graph: Mapping[str, Sequence[str]], starts: Sequence[str]) -> dict[str, int]:
    """The strongly connected component of every task reachable from `starts` (Tarjan's
    algorithm without recursion, so a long chain cannot overflow the stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for start in starts:
        if start in index or start not in graph:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            code, edges = work[-1]
            for d in edges:
                if d not in graph:
                    continue
                if d not in index:
                    index[d] = low[d] = counter
                    counter += 1
                    stack.append(d)
                    on_stack.add(d)
                    work.append((d, iter(graph[d])))
                    break
                if d in on_stack:
                    low[code] = min(low[code], index[d])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[code])
                if low[code] == index[code]:
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component[member] = index[code]
                        if member == code:
                            break
    return component


def cycle_text(cycle: Sequence[str]) -> str:
    """A cycle as a message says it: at most SHOWN_CYCLE codes, a long one cut in the middle."""
    if len(cycle) > SHOWN_CYCLE:
        cycle = [*cycle[: SHOWN_CYCLE // 2], "…", *cycle[-(SHOWN_CYCLE // 2 - 1):]]
    return " → ".join(cycle)


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
