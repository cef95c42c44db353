"""The bodies the documents name, with the dates they existed (data/bodies.csv), beside the
administrative units' history (units.py): a text names each body as it was on the day it
concerns — a figure's source as of its reporting period, a report's issuer as of its date.
The departments keep their codes; their names change on the dates data/department_names.csv
gives (a department's name on a day: the latest rename on or before it, else departments.csv's).
Which body held a role when, and what it was called, is data only: this module names none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from sca_metrics.reference.catalog import csv_rows
from sca_metrics.reference.units import Units, default_units, in_sentence, place_name
from sca_metrics.reference.vocabulary import in_language
from sca_metrics.settings import data_dir

FIELDS = ["role", "code", "name_vi", "name_en", "short_vi", "short_en", "symbol", "valid_from", "valid_to"]
RENAME_FIELDS = ["code", "valid_from", "name_vi", "name_en"]
LEAD = "lead"  # the programme's lead department: collects the returns, issues the reports


@dataclass(frozen=True)
class Body:
    role: str
    code: str
    name_vi: str
    name_en: str
    short_vi: str
    short_en: str
    symbol: str  # a report's symbol after its number: "BC-SKHCN"
    valid_from: date | None
    valid_to: date | None

    def name(self, lang: str) -> str:
        return in_language(lang, self.name_vi, self.name_en)

    def short(self, lang: str) -> str:
        return in_language(lang, self.short_vi, self.short_en)

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to)


class BodiesError(ValueError):
    """data/bodies.csv cannot be used: the row and what is wrong."""


@dataclass(frozen=True)
class Bodies:
    bodies: tuple[Body, ...]

    def holder(self, role: str, on: date) -> Body:
        """The body that held `role` on `on` (the file is checked to have exactly one each day)."""
        found = [b for b in self.bodies if b.role == role and b.valid_on(on)]
        if len(found) != 1:
            raise BodiesError(f"{len(found)} bodies hold the role {role!r} on {on:%d/%m/%Y}")
        return found[0]

    def lead_in_province(self, lang: str, on: date, units: Units | None = None) -> str:
        """The lead department with the province it belonged to on `on`, as a source line names
        it: its short name, then the province inside a sentence (Vietnamese); the province's
        name, then the body's (English)."""
        body = self.holder(LEAD, on)
        province = (units or default_units()).province_on(on).name(lang)
        if lang == "vi":
            return f"{body.short(lang)} {in_sentence(province, lang)}"
        return f"{place_name(province, lang)} {body.short(lang)}"


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _rows(path: Path, fields: list[str]) -> list[tuple[int, dict[str, str]]]:
    """A data file's rows (the catalog's reader: NFC, blank rows skipped, numbered by line)."""
    rows, problems = csv_rows(path.read_text(encoding="utf-8-sig"), path.name, fields)
    if problems:
        raise BodiesError(f"{path}: the columns are {', '.join(fields)}")
    return rows


def read_bodies(path: Path | None = None) -> Bodies:
    """The bodies file, checked: every field present, dates valid, and for each role the bodies
    following each other without a gap or an overlap (one holder every day)."""
    path = Path(path or data_dir() / "bodies.csv")
    out = []
    for n, row in _rows(path, FIELDS):
        if any(not row.get(k) for k in FIELDS[:7]):
            raise BodiesError(f"{path}:{n}: the columns are {', '.join(FIELDS)}, the first seven filled")
        try:
            role, code, name_vi, name_en, short_vi, short_en, symbol = (row[k] for k in FIELDS[:7])
            out.append(Body(role, code, name_vi, name_en, short_vi, short_en, symbol,
                            _day(row["valid_from"]), _day(row["valid_to"])))
        except ValueError as exc:
            raise BodiesError(f"{path}:{n}: {exc}") from None
    for role in {b.role for b in out}:
        chain = sorted((b for b in out if b.role == role), key=lambda b: b.valid_from or date.min)
        if chain[0].valid_from is not None or chain[-1].valid_to is not None:
            raise BodiesError(f"{path}: the role {role!r} must be held from the start and to this day")
        for before, after in zip(chain, chain[1:], strict=False):
            if before.valid_to is None or after.valid_from is None or (
                    after.valid_from - before.valid_to).days != 1:
                raise BodiesError(f"{path}: {before.code} and {after.code} must follow each other by a day")
    return Bodies(tuple(out))


@cache
def default_bodies() -> Bodies:
    return read_bodies()


@cache
def _renames() -> dict[str, tuple[tuple[date, str, str], ...]]:
    """Each department's renames, oldest first (data/department_names.csv)."""
    path = data_dir() / "department_names.csv"
    out: dict[str, list[tuple[date, str, str]]] = {}
    for n, row in _rows(path, RENAME_FIELDS):
        try:
            day = date.fromisoformat(row["valid_from"])
        except ValueError as exc:
            raise BodiesError(f"{path}:{n}: {exc}") from None
        if not row["name_vi"] or not row["name_en"]:
            raise BodiesError(f"{path}:{n}: a rename needs both names")
        out.setdefault(row["code"], []).append((day, row["name_vi"], row["name_en"]))
    return {code: tuple(sorted(names)) for code, names in out.items()}


def department_name(code: str, lang: str, on: date) -> str | None:
    """A department's name on `on` when it was renamed by then; None: its name in departments.csv."""
    names = [(vi, en) for day, vi, en in _renames().get(code, ()) if day <= on]
    return in_language(lang, *names[-1]) if names else None
