"""Administrative units with validity dates, and how they changed: data files, checked on load.

data/units.csv lists every unit with the dates it existed; data/unit_changes.csv says which
unit replaced which, on which date and by which resolution. A reporting period is a calendar
year and describes the units as they stood on its last day (31 December), so the 2025 returns
already use the wards created on 1 July 2025. Former units map to one successor (mergers);
a split cannot be rolled up and is refused when the files are loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from sca_metrics.reference.catalog import CatalogError, RowCheck, csv_rows
from sca_metrics.reference.problems import Problem, errors
from sca_metrics.reference.textnorm import loose_key
from sca_metrics.reference.vocabulary import in_language
from sca_metrics.settings import data_dir

UNIT_FIELDS = ["code", "name_vi", "name_en", "kind", "parent", "valid_from", "valid_to",
               "pilot", "population", "aliases"]
CHANGE_FIELDS = ["old", "new", "effective", "basis_vi", "basis_en"]
UNIT_KINDS = ("province", "city", "ward", "commune")
LOCAL_KINDS = ("ward", "commune")  # the units pilot indicators are reported for


@dataclass(frozen=True)
class Unit:
    code: str
    name_vi: str
    name_en: str
    kind: str
    parent: str
    valid_from: date | None
    valid_to: date | None
    pilot: bool
    population: float | None
    aliases: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return in_language(lang, self.name_vi, self.name_en)

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Change:
    old: str
    new: str
    effective: date
    basis_vi: str
    basis_en: str

    def basis(self, lang: str) -> str:
        return in_language(lang, self.basis_vi, self.basis_en)


class UnitsError(CatalogError):
    """The unit files have errors (a data-file error like the catalog's: every problem)."""


_KIND_WORDS = {"vi": "Tỉnh ", "en": " province"}  # a province's kind, as its name carries it


def in_sentence(name: str, lang: str) -> str:
    """A province's name inside a sentence: its kind word lower-case in Vietnamese ("tỉnh …"),
    a proper name (a city's) as it is."""
    return "t" + name[1:] if lang == "vi" and name.startswith(_KIND_WORDS["vi"]) else name


def place_name(name: str, lang: str) -> str:
    """A province's name without its kind word, as a date line or an English title writes it."""
    return name.removeprefix(_KIND_WORDS["vi"]) if lang == "vi" else name.removesuffix(_KIND_WORDS["en"])


def reference_date(period: str | int) -> date:
    """The day a reporting period describes: its last day."""
    return date(int(period), 12, 31)


@dataclass(frozen=True)
class Units:
    units: tuple[Unit, ...]
    changes: tuple[Change, ...]
    _by_code: dict[str, Unit] = field(init=False, repr=False, compare=False)
    _successor: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {u.code: u for u in self.units})
        object.__setattr__(self, "_successor", {c.old: c.new for c in self.changes})

    def unit(self, code: str) -> Unit:
        """The unit with this code (KeyError for a code not in the list)."""
        return self._by_code[code]

    def find(self, code: str) -> Unit | None:
        return self._by_code.get(code)

    def pilot_units(self, period: str | int | None = None, on: date | None = None) -> list[Unit]:
        """The pilot area's wards and communes that existed on the period's reference date
        (or on a given day), in file order."""
        if on is None and period is None:
            raise TypeError("pilot_units needs a period or a day")
        day = on if on is not None else reference_date(period)  # type: ignore[arg-type]
        return [u for u in self.units if u.pilot and u.kind in LOCAL_KINDS and u.valid_on(day)]

    def successor(self, code: str, on: date) -> str | None:
        """The unit that `code`'s territory belongs to on `day`, following every merger; None
        when the unit did not exist yet then (newer units are never split back)."""
        seen = set()
        while code not in seen:
            seen.add(code)
            unit = self._by_code[code]
            if unit.valid_on(on):
                return code
            if unit.valid_from is not None and on < unit.valid_from:
                return None
            if code not in self._successor:
                return None
            code = self._successor[code]
        return None

    def programme_province(self) -> Unit:
        """The province the programme began in: the first province in the file that any pilot
        unit lies in (units.csv: the pilot wards' parents), whatever it has become since."""
        for unit in self.units:
            if unit.pilot:
                parent = self._by_code.get(unit.parent)
                while parent is not None and parent.kind != "province":
                    parent = self._by_code.get(parent.parent)
                if parent is not None:
                    return parent
        raise LookupError("no pilot unit lies in a province (data/units.csv)")

    def province_on(self, on: date) -> Unit:
        """The province the programme's area lies in on `on`: the province itself until it was
        merged, then its successor."""
        province = self.programme_province()
        return self.unit(self.successor(province.code, on) or province.code)

    def area_name(self, period: str | int, lang: str) -> str:
        """The programme's area as it was named at the end of `period`, from the administrative
        history: the province while it existed; after it was merged, the area within its
        successor, with the former name for continuity (i18n `area.former`)."""
        from sca_metrics.reference.i18n import t  # i18n reads the settings, as this module does

        province = self.programme_province()
        day = reference_date(period)
        own = in_sentence(province.name(lang), lang)
        if province.valid_on(day):
            return own
        now = self.successor(province.code, day)
        if now is None:
            return own
        return t("area.former", lang, former=own, now=self.unit(now).name(lang))

    def pilot_name(self, lang: str, on: date) -> str:
        """The pilot area as it was named on `on`: the city its wards lay in while that city
        existed, then the city's name as a former one (i18n `area.former_city`); both from
        units.csv."""
        from sca_metrics.reference.i18n import t  # i18n reads the settings, as this module does

        parents = (self._by_code.get(u.parent) for u in self.units if u.pilot and u.kind in LOCAL_KINDS)
        city = next((p for p in parents if p is not None and p.kind != "province"), None)
        if city is None:
            return t("nav.pilot", lang)
        name = city.name(lang)
        return name if city.valid_on(on) else t("area.former_city", lang, name=name)

    def predecessors(self, code: str) -> list[str]:
        """The units merged into `code` (directly), in file order."""
        return [c.old for c in self.changes if c.new == code]

    def change_for(self, code: str) -> Change | None:
        return next((c for c in self.changes if c.old == code), None)

    def change_dates(self) -> list[date]:
        """The days any unit changed (the province's merger included)."""
        return sorted({c.effective for c in self.changes})

    def pilot_change_dates(self) -> list[date]:
        """The days the pilot area's units changed (1 July 2025): marked on every time axis."""
        pilot = {u.code for u in self.units if u.pilot}
        return sorted({c.effective for c in self.changes if c.old in pilot})

    def resolve(self, text: object, period: str | int) -> tuple[Unit | None, Unit | None]:
        """The pilot unit a cell names (by code, name or alias) for a period: (valid unit,
        None), or (None, the unit of that name that existed at another time), or (None, None)."""
        key = loose_key(text)
        if not key:
            return None, None
        valid = self.pilot_units(period)
        for unit in valid:
            if key in _unit_keys(unit):
                return unit, None
        other = [u for u in self.units if u.pilot and u.kind in LOCAL_KINDS and key in _unit_keys(u)]
        return None, (other[0] if other else None)


@cache
def _unit_keys(unit: Unit) -> frozenset[str]:
    names = (unit.code, unit.name_vi, unit.name_en, *unit.aliases)
    return frozenset(loose_key(n) for n in names)


def load_units(units_path: Path | None = None, changes_path: Path | None = None) -> Units:
    """The checked units; raises UnitsError carrying every problem found."""
    units, problems = read_units(units_path, changes_path)
    if units is None:
        raise UnitsError(errors(problems))
    return units


@cache
def default_units() -> Units:
    return load_units()


def read_units(units_path: Path | None = None,
               changes_path: Path | None = None) -> tuple[Units | None, list[Problem]]:
    units_path = Path(units_path or data_dir() / "units.csv")
    changes_path = Path(changes_path or data_dir() / "unit_changes.csv")
    units, problems = _read_units(units_path.read_text(encoding="utf-8-sig"), units_path.name)
    changes, change_problems = _read_changes(changes_path.read_text(encoding="utf-8-sig"),
                                             changes_path.name, {u.code: u for u in units})
    problems += change_problems
    if errors(problems):
        return None, problems
    return Units(tuple(units), tuple(changes)), problems


def _date(check: RowCheck, column: str) -> date | None:
    raw = check.row.get(column, "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        check.bad("units_not_date", column)
        return None


def _read_units(text: str, file: str) -> tuple[list[Unit], list[Problem]]:
    rows, problems = csv_rows(text, file, UNIT_FIELDS)
    codes = {row["code"] for _, row in rows}
    seen: set[str] = set()
    out = []
    for line, row in rows:
        check = RowCheck(file, line, row, problems)
        check.required("code", "name_vi", "name_en")
        code = check.unique("code", seen)
        if row["kind"] not in UNIT_KINDS:
            check.bad("units_unknown_kind", "kind", allowed=", ".join(UNIT_KINDS))
        if row["parent"] and row["parent"] not in codes:
            check.bad("units_unknown_parent", "parent")
        start, end = _date(check, "valid_from"), _date(check, "valid_to")
        if start and end and end < start:
            check.bad("units_dates_backwards", "valid_to")
        pilot = check.flag("pilot")
        population = check.number("population", optional=True)
        if population is not None and population <= 0:
            check.bad("units_population", "population")
        if pilot and row["kind"] in LOCAL_KINDS and population is None:
            check.bad("units_population", "population")
        aliases = tuple(a.strip() for a in row.get("aliases", "").split(";") if a.strip())
        if not check.failed:
            out.append(Unit(code, row["name_vi"], row["name_en"], row["kind"], row["parent"],
                            start, end, pilot, population, aliases))
    return out, problems


def _read_changes(text: str, file: str, units: dict[str, Unit]) -> tuple[list[Change], list[Problem]]:
    rows, problems = csv_rows(text, file, CHANGE_FIELDS)
    seen: set[str] = set()
    out = []
    for line, row in rows:
        check = RowCheck(file, line, row, problems)
        check.required("old", "new", "effective", "basis_vi", "basis_en")
        for column in ("old", "new"):
            if row[column] not in units:
                check.bad("units_unknown_unit", column)
        if row["old"] in seen:
            check.bad("units_split", "old")  # one former unit, two successors
        seen.add(row["old"])
        effective = _date(check, "effective")
        if check.failed or effective is None:
            continue
        old, new = units[row["old"]], units[row["new"]]
        if old.valid_to is None or old.valid_to + timedelta(days=1) != effective:
            check.bad("units_change_date", "effective", unit=old.code)
        elif new.valid_from is not None and new.valid_from != effective:
            check.bad("units_change_date", "effective", unit=new.code)
        elif old.pilot != new.pilot:
            check.bad("units_change_pilot", "new")
        else:
            out.append(Change(old.code, new.code, effective, row["basis_vi"], row["basis_en"]))
    return out, problems
