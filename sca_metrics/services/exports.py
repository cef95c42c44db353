"""Exports and deliverables: one registry of what the programme hands out — the briefing pack,
the official report, the roadmap's report and data, the readiness data — each with its name,
its file names, its builder and its languages. The exports page, the roadmap page, the `export`
command and the tests all read it, so a new deliverable is one entry here (docs/developing).

The documents' builders (python-pptx, fpdf2, python-docx) are imported when a document is made,
not with this module: a command that only reads or loads data starts without them."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from sca_metrics.method import roadmap as _roadmap
from sca_metrics.method.scoring import Scores
from sca_metrics.outputs import exports
from sca_metrics.outputs.documents.context import Context, Progress, source_text
from sca_metrics.outputs.exports import DATA_SHEETS, XLSX_MIME, csv_bytes, csv_text, file_stem, xlsx_bytes
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.i18n import LANGS
from sca_metrics.reference.units import Units, default_units

__all__ = ["DATA_SHEETS", "DELIVERABLES", "DOCX_MIME", "Deliverable", "Inputs", "XLSX_MIME", "csv_bytes",
           "csv_text", "data_sheets", "file_stem", "letterhead", "letterhead_problem", "mime", "pack",
           "pack_files", "pack_slides", "records_sheets", "source_text", "xlsx_bytes"]

if TYPE_CHECKING:
    from sca_metrics.outputs.briefing import Pack
    from sca_metrics.outputs.documents.parts import Slide
    from sca_metrics.outputs.report import Letterhead

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIMES = {"pptx": PPTX_MIME, "pdf": "application/pdf", "docx": DOCX_MIME, "xlsx": XLSX_MIME, "csv": "text/csv",
         "zip": "application/zip"}
# The pack's types, for the callers' annotations: imported when first asked for
_LATER = ("Pack", "Slide")


def __getattr__(name: str) -> Any:
    if name in _LATER:
        return getattr(importlib.import_module("sca_metrics.outputs.briefing"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def letterhead() -> Letterhead:
    """The issuing body, signer and recipients of the documents (data/report.toml or
    SCA_REPORT_FILE); LetterheadError names a field that is wrong."""
    return _report().letterhead()


def letterhead_problem(lang: str) -> str | None:
    """What is wrong with the letterhead settings, said in `lang`; None when they can be used
    (a page says it before anyone clicks; a command stops before it writes a file)."""
    try:
        _report().letterhead()
    except _report().LetterheadError as exc:
        return exc.message(lang)
    return None


def _briefing():
    from sca_metrics.outputs import briefing
    return briefing


def _report():
    from sca_metrics.outputs import report
    return report


def _roadmap_report():
    from sca_metrics.outputs import roadmap_report
    return roadmap_report


@dataclass(frozen=True)
class Inputs:
    """What every deliverable of one period and language is made from, read once."""

    catalog: Catalog
    by_period: Mapping[str, Scores]
    submissions: pd.DataFrame
    period: str
    lang: str
    demo: bool
    tasks: pd.DataFrame  # the roadmap's tasks as of the period (the store's frame)
    comments: pd.DataFrame  # the comments on the roadmap as of the period, with their answers
    wards: pd.DataFrame  # every current ward value
    units: Units = field(default_factory=default_units)

    @property
    def context(self) -> Context:
        """The documents' context: the scores, the period, the language and the roadmap's tasks."""
        return Context(self.catalog, dict(self.by_period), self.submissions, self.period,
                                   self.lang, self.demo, tasks=tuple(_roadmap.tasks_from_frame(self.tasks)))

    @property
    def span(self) -> str:
        """The periods the data files cover ("2018–2026")."""
        return exports.span(self.by_period)


Build = Callable[[Inputs, "Letterhead | None", "Progress | None"], dict[str, bytes]]


@dataclass(frozen=True)
class Deliverable:
    """One thing the programme hands out: `label` names it ([export] in the translation files),
    `names` gives its files' names for a period, the span of the data and a language, `build`
    makes them (file name → bytes); `needs_browser`: it holds figures (rendered by chromium)."""

    key: str
    label: str
    names: Callable[[str, str, str], tuple[str, ...]]
    build: Build
    needs_browser: bool
    languages: tuple[str, ...] = LANGS

    def file_names(self, inputs: Inputs) -> tuple[str, ...]:
        return self.names(inputs.period, inputs.span, inputs.lang)


def pack_slides(ctx: Context) -> list[Slide]:
    """The slides the pack will have (their text split to fit); unsplit where there are no
    fonts to measure the text with."""
    from sca_metrics.outputs import render

    try:
        return _briefing().pack_slides(ctx)
    except render.ExportUnavailable:
        return _briefing().deck(ctx)


def pack(inputs: Inputs, deck: list[Slide] | None = None, progress: Progress | None = None) -> Pack:
    """The briefing pack: its slides, their figures (PNG), the PowerPoint and the PDF."""
    return _briefing().build(inputs.context, deck, progress=progress)


def data_sheets(inputs: Inputs) -> dict[str, pd.DataFrame]:
    """The readiness data: scores, indicators, submissions, progress and wards."""
    return exports.data_sheets(inputs.by_period, inputs.submissions, inputs.catalog, inputs.wards,
                               inputs.units)


def roadmap_sheets(inputs: Inputs) -> dict[str, pd.DataFrame]:
    """The roadmap's tasks (with their flags) and its comments."""
    from sca_metrics.services import roadmap

    records, _ = roadmap.records(inputs.tasks, inputs.catalog, inputs.period, inputs.lang)
    return records_sheets(records, inputs.comments)


def records_sheets(records: list[dict], comments: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The roadmap's task records (with their flags) and its comments as sheets."""
    return exports.roadmap_sheets(records, pd.DataFrame() if comments is None else comments)


def pack_files(built: Pack, period: str, lang: str) -> dict[str, bytes]:
    """A built pack's two files by their names."""
    pptx, pdf = _pack_names(period, "", lang)
    return {pptx: built.pptx, pdf: built.pdf}


def _pack_names(period: str, span: str, lang: str) -> tuple[str, ...]:
    return tuple(f"{_briefing().stem(period, lang)}.{x}" for x in ("pptx", "pdf"))


def _data_names(period: str, span: str, lang: str) -> tuple[str, ...]:
    return (f"{exports.file_stem('data', span, lang)}.xlsx",
            *(f"{exports.file_stem(name, span, lang)}.csv" for name in exports.DATA_SHEETS))


def _data_files(inputs: Inputs, head: Letterhead | None, progress: Progress | None) -> dict[str, bytes]:
    sheets = data_sheets(inputs)
    xlsx, *csvs = _data_names(inputs.period, inputs.span, inputs.lang)
    return {xlsx: xlsx_bytes(sheets, inputs.lang),
            **{name: csv_bytes(sheets[sheet]) for name, sheet in zip(csvs, exports.DATA_SHEETS, strict=True)}}


DELIVERABLES: dict[str, Deliverable] = {d.key: d for d in (
    Deliverable("data", "export.data", _data_names, _data_files, needs_browser=False),
    Deliverable("roadmap_data", "roadmap.download",
                lambda period, span, lang: (f"{exports.file_stem('roadmap', period, lang)}.xlsx",),
                lambda i, head, progress: {f"{exports.file_stem('roadmap', i.period, i.lang)}.xlsx":
                                           xlsx_bytes(roadmap_sheets(i), i.lang)},
                needs_browser=False),
    Deliverable("roadmap_report", "roadmap.report_docx",
                lambda period, span, lang: (f"{_roadmap_report().file_stem(period, lang)}.docx",),
                lambda i, head, progress: {f"{_roadmap_report().file_stem(i.period, i.lang)}.docx":
                                           _roadmap_report().build(i.context, i.tasks, i.comments, head)},
                needs_browser=False),
    Deliverable("pack", "export.pack", _pack_names,
                lambda i, head, progress: pack_files(pack(i, progress=progress), i.period, i.lang),
                needs_browser=True),
    Deliverable("report", "export.report",
                lambda period, span, lang: (f"{_report().file_stem(period, lang)}.docx",),
                lambda i, head, progress: {f"{_report().file_stem(i.period, i.lang)}.docx":
                                           _report().build(i.context, head)},
                needs_browser=True),
)}


def mime(file_name: str) -> str:
    """The media type of a deliverable's file, by its extension."""
    return MIMES[file_name.rsplit(".", 1)[-1]]
