"""A sheet of rows under a header row: where its columns are, and one data row's cells with
located problems. Shared by the indicators, ward, task and comment sheets."""

from __future__ import annotations

from collections.abc import Sequence

from sca_metrics.intake import layout, values
from sca_metrics.intake.reader import Sheet, cell_ref
from sca_metrics.reference.problems import ERROR, Problem
from sca_metrics.reference.textnorm import loose_key

HEADER_SEARCH_ROWS = 30  # the header is found in the first rows, wherever a title pushed it


def find_header(sheet: Sheet, columns: Sequence[layout.Label],
                needed: Sequence[str]) -> tuple[int, dict[str, int]] | None:
    """(row, column by key) of the first row that names every `needed` column; None if none.
    Each cell's loose key is made once, then looked up in every label's keys."""
    keys = [(label.key, layout.label_keys(label)) for label in columns]
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        cols: dict[str, int] = {}
        for c, cell in enumerate(row):
            k = loose_key(cell) if cell != "" else ""
            if not k:
                continue
            for key, known in keys:
                if key not in cols and k in known:
                    cols[key] = c
        if all(key in cols for key in needed):
            return r, cols
    return None


class Cells:
    """One data row: cells by column key, and located problems."""

    def __init__(self, sheet: Sheet, r: int, cols: dict[str, int], problems: list[Problem]):
        self.sheet, self.r, self.cols, self.problems = sheet, r, cols, problems

    def get(self, key: str) -> object:
        return self.sheet.value(self.r, self.cols[key]) if key in self.cols else ""

    def at(self, key: str) -> str:
        return cell_ref(self.r, self.cols[key])

    def percent_styled(self, key: str) -> bool:
        return (self.r, self.cols[key]) in self.sheet.percent_cells

    def blank(self) -> bool:
        return all(values.is_blank(self.get(key)) for key in self.cols)

    def problem(self, code: str, key: str, severity: str = ERROR, **params: object) -> None:
        self.problems.append(Problem(code, severity, sheet=self.sheet.name, cell=self.at(key),
                                     value=values.raw_text(self.get(key)), params=params))
