"""Problems are values: every check returns all of them, located, in Vietnamese and English."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sca_metrics.reference import formatting
from sca_metrics.reference.i18n import LANGS, t

ERROR = "error"
WARNING = "warning"
# How many problems a page or a terminal lists; all of them go to the downloadable list.
SHOWN = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or worth a look (warning), with where it is and what was found.

    `sheet` and `cell` locate it in a workbook (Chỉ số!F12); for a CSV file `sheet` is the
    file name, `row` the line and `column` the field. `params` fill the message template
    `problem.<code>` of the translation files.
    """

    code: str
    severity: str = ERROR
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict[str, object] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self, lang: str = "vi") -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        if self.sheet and self.row is not None:
            return t("problem.at_row", lang, file=self.sheet, row=self.row, column=self.column or "")
        return self.sheet or ""

    def message(self, lang: str = "vi") -> str:
        """The message in `lang`; a date among the parameters is written as that language
        writes dates (30/06/2025; 30 Jun 2025)."""
        params = {k: formatting.day(v, lang) if isinstance(v, date) else v for k, v in self.params.items()}
        return t(f"problem.{self.code}", lang, value=self.value or "", **params)

    def line(self, lang: str = "vi", prefix: str = "") -> str:
        """One line for a terminal or a log: prefix, location, severity, message."""
        head = " ".join(p for p in (prefix, self.location(lang)) if p)
        sev = t(f"severity.{self.severity}", lang)
        return f"{head}: [{sev}] {self.message(lang)}" if head else f"[{sev}] {self.message(lang)}"

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "value": self.value,
        }
        for lang in LANGS:
            out[f"location_{lang}"] = self.location(lang)
            out[f"message_{lang}"] = self.message(lang)
        return out


class ProblemsError(Exception):
    """A file that cannot be used (a catalog, a scoring scheme, a data table), with every
    problem found in it, located."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.line("en") for p in problems))

    def message(self, lang: str) -> str:
        return "\n".join(p.line(lang) for p in self.problems)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]


def ordered(problems: list[Problem]) -> list[Problem]:
    """Errors first, then warnings, each in the order they were found."""
    return errors(problems) + warnings(problems)


def table(problems: list[Problem], lang: str = "vi", file_name: str | None = None):
    """Every problem as rows with translated headers, for a page, a CSV or an XLSX."""
    import pandas as pd

    columns: tuple[str, ...] = ("severity", "location", "sheet", "cell", "value", "message")
    rows = [{
        "severity": t(f"severity.{p.severity}", lang), "location": p.location(lang),
        "sheet": p.sheet or "", "cell": p.cell or "", "value": p.value or "",
        "message": p.message(lang),
    } for p in problems]
    frame = pd.DataFrame(rows, columns=list(columns))
    if file_name is not None:
        frame.insert(0, "file", file_name)
        columns = ("file", *columns)
    frame.columns = [t(f"upload.col_{c}", lang) for c in columns]
    return frame
