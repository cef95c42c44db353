"""The indicator catalog and the departments list: data files, checked on load.

Adding an indicator is one row in data/catalog.csv. Loading reports every problem with
file, row and field, so an analyst editing the file in a spreadsheet can fix them at once.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

from sca_metrics.reference import vocabulary
from sca_metrics.reference.problems import ERROR, WARNING, Problem, ProblemsError, errors
from sca_metrics.reference.textnorm import nfc
from sca_metrics.reference.vocabulary import in_language
from sca_metrics.settings import data_dir


@dataclass(frozen=True)
class Indicator:
    code: str
    domain: str
    driver: str
    department: str
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    kind: str
    direction: str
    worst: float
    best: float
    target_2025: float | None
    target_2030: float | None
    weight: float
    pilot: bool
    log_transform: bool
    source: str
    source_ref: str
    aggregation: str = ""  # pilot indicators: how ward values make the city value

    def name(self, lang: str) -> str:
        return in_language(lang, self.name_vi, self.name_en)

    def short_name(self, lang: str) -> str:
        """The name without its parenthesised detail, for labels and titles:
        "Tỷ lệ hộ gia đình có kết nối Internet băng rộng cố định" of "… (FTTH)"."""
        return self.name(lang).split(" (")[0]

    def unit(self, lang: str) -> str:
        return in_language(lang, self.unit_vi, self.unit_en)


@dataclass(frozen=True)
class Department:
    code: str
    name_vi: str
    name_en: str
    domains: tuple[str, ...]

    def name(self, lang: str, on: date | None = None) -> str:
        """Its name on `on` (today when None): renames by date in data/department_names.csv."""
        from sca_metrics.reference.bodies import department_name  # bodies read the units, which read this

        return department_name(self.code, lang, on or date.today()) or in_language(
            lang, self.name_vi, self.name_en)


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    departments: tuple[Department, ...]
    version: str  # short SHA-256 of both files: which catalog a template or score used
    _by_code: dict[str, Indicator] = field(init=False, repr=False, compare=False)
    _departments: dict[str, Department] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {i.code: i for i in self.indicators})
        object.__setattr__(self, "_departments", {d.code: d for d in self.departments})

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code (KeyError for a code not in the catalog)."""
        return self._by_code[code]

    def find(self, code: str) -> Indicator | None:
        """The indicator with this code, or None: for codes typed by someone."""
        return self._by_code.get(code)

    def department(self, code: str) -> Department:
        """The department with this code (KeyError for a code not in the list)."""
        found = self.find_department(code)
        if found is None:
            raise KeyError(code)
        return found

    def find_department(self, code: str) -> Department | None:
        return self._departments.get(code)

    def for_department(self, code: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.department == code)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([vars(i) for i in self.indicators], columns=INDICATOR_FIELDS)


class CatalogError(ProblemsError):
    """The catalog's files have errors."""


INDICATOR_FIELDS = [f.name for f in fields(Indicator)]
DEPARTMENT_FIELDS = ["code", "name_vi", "name_en", "domains"]
_OPTIONAL = {"target_2025", "target_2030", "source_ref", "log_transform", "unit_vi", "unit_en",
             "aggregation"}
_TRUE = {"1", "yes", "true", "có", "x"}
_FALSE = {"0", "no", "false", "không", ""}


def load_catalog(catalog_path: Path | None = None, departments_path: Path | None = None) -> Catalog:
    """The checked catalog; raises CatalogError carrying every problem found."""
    catalog, problems = read_catalog(catalog_path, departments_path)
    if catalog is None:
        raise CatalogError(errors(problems))
    return catalog


@cache
def default_catalog() -> Catalog:
    return load_catalog()


def read_catalog(
    catalog_path: Path | None = None, departments_path: Path | None = None
) -> tuple[Catalog | None, list[Problem]]:
    """Parse and check both files; the catalog is None when any problem is an error."""
    catalog_path = Path(catalog_path or data_dir() / "catalog.csv")
    departments_path = Path(departments_path or data_dir() / "departments.csv")
    cat_text = catalog_path.read_text(encoding="utf-8-sig")
    dep_text = departments_path.read_text(encoding="utf-8-sig")
    departments, problems = _read_departments(dep_text, departments_path.name)
    indicators, ind_problems = _read_indicators(cat_text, catalog_path.name, departments)
    problems += ind_problems
    version = hashlib.sha256((cat_text + "\0" + dep_text).encode()).hexdigest()[:12]
    if errors(problems):
        return None, problems
    return Catalog(tuple(indicators), tuple(departments), version), problems


def csv_rows(text: str, file: str, required: list[str]) -> tuple[list[tuple[int, dict]], list[Problem]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [nfc(h) for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    problems = [Problem("catalog_missing_column", sheet=file, row=1, column=c) for c in missing]
    if missing:
        return [], problems
    rows = []
    for line_no, raw in enumerate(reader, start=2):
        row = {k: nfc(v) for k, v in raw.items() if k is not None}
        if any(row.values()):
            rows.append((line_no, row))
    return rows, problems


class RowCheck:
    """One CSV row being checked: typed getters that record located problems."""

    def __init__(self, file: str, line: int, row: dict[str, str], problems: list[Problem]):
        self.file, self.line, self.row, self.problems = file, line, row, problems
        self.start = len(problems)

    def bad(self, code: str, column: str, severity: str = ERROR, **params: object) -> None:
        self.problems.append(Problem(code, severity, sheet=self.file, row=self.line, column=column,
                                     value=self.row.get(column, ""), params=params))

    def number(self, column: str, optional: bool = False) -> float | None:
        raw = self.row.get(column, "")
        if raw == "" and optional:
            return None
        try:
            return float(raw)
        except ValueError:
            self.bad("catalog_not_number", column)
            return None

    def flag(self, column: str) -> bool:
        raw = self.row.get(column, "").casefold()
        if raw not in _TRUE | _FALSE:
            self.bad("catalog_not_flag", column)
        return raw in _TRUE

    def required(self, *columns: str) -> None:
        for column in columns:
            if not self.row.get(column):
                self.bad("catalog_empty", column)

    def unique(self, column: str, seen: set[str]) -> str:
        value = self.row[column]
        if value in seen:
            self.bad("catalog_duplicate_code", column)
        seen.add(value)
        return value

    @property
    def failed(self) -> bool:
        return bool(errors(self.problems[self.start:]))


def _read_departments(text: str, file: str) -> tuple[list[Department], list[Problem]]:
    rows, problems = csv_rows(text, file, DEPARTMENT_FIELDS)
    seen: set[str] = set()
    out = []
    for line, row in rows:
        check = RowCheck(file, line, row, problems)
        check.required("code", "name_vi", "name_en")
        code = check.unique("code", seen)
        domains = tuple(d.strip() for d in row["domains"].split(";") if d.strip())
        if any(d not in vocabulary.DOMAIN_CODES for d in domains):
            check.bad("catalog_unknown_domain", "domains", allowed=", ".join(vocabulary.DOMAIN_CODES))
        out.append(Department(code, row["name_vi"], row["name_en"], domains))
    return out, problems


def _read_indicators(
    text: str, file: str, departments: list[Department]
) -> tuple[list[Indicator], list[Problem]]:
    required = [f for f in INDICATOR_FIELDS if f not in _OPTIONAL]
    rows, problems = csv_rows(text, file, required)
    dept_domains = {d.code: d.domains for d in departments}
    seen: set[str] = set()
    out: list[Indicator] = []
    for line, row in rows:
        check = RowCheck(file, line, row, problems)
        check.required("code", "name_vi", "name_en")
        code = check.unique("code", seen)
        for column, allowed, problem in (
            ("domain", vocabulary.DOMAIN_CODES, "catalog_unknown_domain"),
            ("driver", vocabulary.DRIVER_CODES, "catalog_unknown_driver"),
            ("kind", vocabulary.KIND_CODES, "catalog_unknown_kind"),
            ("direction", vocabulary.DIRECTION_CODES, "catalog_unknown_direction"),
            ("source", vocabulary.SOURCE_CODES, "catalog_unknown_source"),
        ):
            if row[column] not in allowed:
                check.bad(problem, column, allowed=", ".join(allowed))
        dept = row["department"]
        if dept not in dept_domains:
            check.bad("catalog_unknown_department", "department")
        elif row["domain"] in vocabulary.DOMAIN_CODES and row["domain"] not in dept_domains[dept]:
            check.bad("catalog_department_domain", "department", domain=row["domain"])

        worst, best = check.number("worst"), check.number("best")
        t25, t30 = check.number("target_2025", True), check.number("target_2030", True)
        weight = check.number("weight")
        pilot, log = check.flag("pilot"), check.flag("log_transform")
        if weight is not None and weight <= 0:
            check.bad("catalog_weight", "weight")
        aggregation = row.get("aggregation", "")
        if pilot and aggregation not in vocabulary.AGGREGATION_CODES:
            check.bad("catalog_aggregation", "aggregation",
                      allowed=", ".join(vocabulary.AGGREGATION_CODES))
        elif pilot and aggregation == "sum" and row["kind"] != "number":
            check.bad("catalog_aggregation_sum", "aggregation")
        elif pilot and aggregation == "mean_pop" and row["kind"] not in ("number", "percent"):
            check.bad("catalog_aggregation_mean", "aggregation")
        if worst is not None and best is not None:
            _check_goalposts(check, worst, best, t25, t30, log)
        if not check.failed and worst is not None and best is not None and weight is not None:
            out.append(Indicator(
                code=code, domain=row["domain"], driver=row["driver"], department=dept,
                name_vi=row["name_vi"], name_en=row["name_en"],
                unit_vi=row.get("unit_vi", ""), unit_en=row.get("unit_en", ""),
                kind=row["kind"], direction=row["direction"], worst=worst, best=best,
                target_2025=t25, target_2030=t30, weight=weight, pilot=pilot,
                log_transform=log, source=row["source"], source_ref=row.get("source_ref", ""),
                aggregation=aggregation if pilot else "",
            ))
    for domain in vocabulary.DOMAIN_CODES:
        for driver in vocabulary.DRIVER_CODES:
            if not any(i.domain == domain and i.driver == driver for i in out):
                problems.append(Problem("catalog_empty_cell", WARNING, sheet=file,
                                        params={"domain": domain, "driver": driver}))
    return out, problems


def _check_goalposts(check: RowCheck, worst: float, best: float, t25: float | None,
                     t30: float | None, log: bool) -> None:
    kind, direction, bad = check.row["kind"], check.row["direction"], check.bad
    if worst == best:
        bad("catalog_worst_equals_best", "best")
        return
    if direction == "higher" and worst > best or direction == "lower" and worst < best:
        bad("catalog_direction", "best", direction=direction)
        return
    lo, hi = min(worst, best), max(worst, best)
    if kind == "percent" and (lo < 0 or hi > 100):
        bad("catalog_percent_goalposts", "worst" if lo < 0 else "best")
    if kind == "yesno" and (worst, best) != (0, 1):
        bad("catalog_yesno_goalposts", "best")
    if kind == "level" and (lo < vocabulary.LEVEL_RANGE[0] or hi > vocabulary.LEVEL_RANGE[1]):
        bad("catalog_level_goalposts", "best")
    if log and (lo <= 0 or kind != "number"):
        bad("catalog_log_transform", "log_transform")
    for column, target in (("target_2025", t25), ("target_2030", t30)):
        if target is not None and not lo <= target <= hi:
            bad("catalog_target_outside", column, worst=worst, best=best)
    if t25 is not None and t30 is not None and (t30 - t25) * (best - worst) < 0:
        bad("catalog_target_backwards", "target_2030")
