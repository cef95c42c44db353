"""Data downloads (CSV, XLSX) that are safe to open in a spreadsheet.

A cell whose text starts with = + - @ (or a tab / carriage return) would be run as a
formula by Excel or LibreOffice: such text is prefixed with an apostrophe, so it shows
as typed and never executes. Numbers stay numbers. Characters the intake policy refuses
(control, non- and text-direction characters; docs/security.md) are removed: a workbook
cannot hold them, and a terminal or a spreadsheet would act on them.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Mapping

import pandas as pd

from sca_metrics.reference.textnorm import strip

log = logging.getLogger(__name__)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The sheets of the full data export (with the catalog and the ward values), in order.
DATA_SHEETS = ("scores", "indicators", "submissions", "progress", "wards")


def file_stem(what: str, period: str, lang: str) -> str:
    """Every exported file's name, without its extension: what it shows, its period (or span of
    periods) and its language — `dttm_roadmap_2026_vi` —, so both languages of every period can
    be exported into one folder and none overwrites another."""
    return f"dttm_{what}_{period}_{lang}"


def span(periods) -> str:
    """The periods a file covers, as its name says them: "2018-2026" (one: "2026")."""
    known = sorted(str(p) for p in periods)
    return known[0] if len(known) == 1 else f"{known[0]}-{known[-1]}" if known else "all"


def neutralise(value: object) -> object:
    if not isinstance(value, str):
        return value
    value = strip(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) neutralised."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text, neutralised: what every CSV the product writes is made of (the
    dashboard's downloads, the command line's --format csv)."""
    return safe_frame(frame).to_csv(index=False, lineterminator="\n")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Vietnamese diacritics correctly."""
    started = time.perf_counter()
    data = csv_text(frame).encode("utf-8-sig")
    log.info("CSV export: %d rows, %d bytes in %.3f s", len(frame), len(data), time.perf_counter() - started)
    return data


# The displayed form of a number column, as the dashboard shows it (Excel writes the separators
# of the reader's locale: 65,1 in Vietnamese, 65.1 in English); other numbers as reported.
SCORE_FORMAT, SHARE_FORMAT, WEIGHT_FORMAT, RATE_FORMAT = "0.0", "0%", "0.000", "0.00"
NUMBER_FORMATS = {
    **dict.fromkeys(("score", "target_score", "gap", "target_score_2025", "gap_2025", "target_score_2030",
                     "gap_2030", "points_to_next_level", "gap_contribution", "change"), SCORE_FORMAT),
    **dict.fromkeys(("coverage", "weighted_coverage"), SHARE_FORMAT),
    **dict.fromkeys(("weight", "effective_weight"), WEIGHT_FORMAT),
    **dict.fromkeys(("actual_rate", "required_rate", "ratio"), RATE_FORMAT),
}
TIME_COLUMNS, DAY_COLUMNS = ("received_at", "withdrawn_at", "responded_at"), ("prepared_on",)
DATE_COLUMNS = TIME_COLUMNS + DAY_COLUMNS
TIME_FORMAT, DAY_FORMAT = "dd/mm/yyyy hh:mm", "dd/mm/yyyy"


def xlsx_bytes(sheets: pd.DataFrame | Mapping[str, pd.DataFrame], lang: str | None = None) -> bytes:
    """One sheet per frame (names cut to Excel's 31 characters), header row frozen. In `lang`:
    the sheets' and columns' names translated (i18n `xlsx.*`; a name without a translation
    kept), scores, shares, weights and rates in their displayed number format (stored as
    numbers), and times as dates."""
    if isinstance(sheets, pd.DataFrame):
        sheets = {"data": sheets}
    started = time.perf_counter()
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet = _said(f"sheet_{name}", str(name), lang)[:31]
            table = _dated(frame) if lang else frame
            safe_frame(table).to_excel(writer, sheet_name=sheet, index=False,
                                       header=[_said(str(c), str(c), lang) for c in table.columns])
            ws = writer.sheets[sheet]
            ws.freeze_panes = "A2"
            for source, column in zip(table.columns, ws.columns, strict=True):
                width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
                ws.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
                shown = TIME_FORMAT if source in TIME_COLUMNS else DAY_FORMAT if source in DAY_COLUMNS \
                    else NUMBER_FORMATS.get(str(source))
                if lang and shown:
                    for cell in column[1:]:
                        cell.number_format = shown
    log.info("XLSX export: %d sheet(s), %d bytes in %.3f s", len(sheets), buffer.tell(),
             time.perf_counter() - started)
    return buffer.getvalue()


def _said(key: str, name: str, lang: str | None) -> str:
    """A sheet's or column's name in `lang` (i18n `xlsx.<key>`), or as it is."""
    if lang is None:
        return name
    from sca_metrics.reference.i18n import catalogue, t

    return t(f"xlsx.{key}", lang) if f"xlsx.{key}" in catalogue(lang) else name


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its time columns as naive date-times (a spreadsheet's dates hold no zone;
    the times are the server's, as the dashboard shows them)."""
    out = frame.copy()
    for col in DATE_COLUMNS:
        if col in out:
            times = pd.to_datetime(out[col], errors="coerce")
            if getattr(times.dt, "tz", None) is not None:
                times = times.dt.tz_localize(None)
            out[col] = times
    return out


def data_sheets(by_period: Mapping, submissions: pd.DataFrame, catalog=None,
                wards: pd.DataFrame | None = None, units=None) -> dict[str, pd.DataFrame]:
    """The data export: scores (overall, domains, foundations, cells) and indicators of
    every period, every submission (current, superseded, withdrawn), the progress to targets
    of every period (with a catalog) and the pilot's ward values as reported (with wards),
    one frame each."""
    from sca_metrics.method import progress
    from sca_metrics.method.scoring import scores_table

    tables = [scores_table(s) for s in by_period.values()]
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=["tier"])
    scores = table[table.tier != "indicator"].drop(columns=["code", "value", "worst", "best",
                                                            "direction"], errors="ignore")
    keep = ["period", "code", "domain", "driver", "department", "name_vi", "name_en", "unit_vi",
            "unit_en", "direction", "value", "quality", "evidence", "score", "capped",
            "target_2025", "target_2030", "target_score_2025", "target_score_2030", "weight",
            "effective_weight", "gap_contribution", "change", "pilot", "source", "source_ref"]
    frames = [s.indicators.assign(period=s.period) for s in by_period.values()]
    indicators = (pd.concat(frames, ignore_index=True).reindex(columns=keep) if frames
                  else pd.DataFrame(columns=keep))
    out = {"scores": scores.reset_index(drop=True), "indicators": indicators,
           "submissions": submissions.reset_index(drop=True)}
    if catalog is not None:
        values = progress.values_from_scores(by_period)
        frames = [progress.progress_frame(catalog, values, p).assign(period=p) for p in by_period]
        out["progress"] = (pd.concat(frames, ignore_index=True) if frames
                           else pd.DataFrame(columns=["period", *progress.PROGRESS_COLUMNS]))
    if wards is not None and units is not None:
        named = wards.assign(unit_name=[(units.find(u).name_vi if units.find(u) else u) for u in wards.unit])
        out["wards"] = named[["period", "indicator", "unit", "unit_name", "value", "quality",
                              "evidence", "department"]].reset_index(drop=True)
    return out


def roadmap_sheets(task_records: list[dict], comments: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The roadmap's data (docs/roadmap.md): every task of the plan with its flags, one a row
    (lists joined with "; ", flags as "code: reason"), and every comment with its response."""
    tasks = pd.DataFrame([{
        **r, **{k: "; ".join(map(str, r[k])) for k in ("partners", "depends_on", "indicators")},
        "flags": " | ".join(f"{f['code']}: {f['message']}" for f in r["flags"])} for r in task_records],
        columns=list(task_records[0]) if task_records else ["code", "flags"])
    notes = comments.drop(columns=["submission_id"], errors="ignore").rename(columns={"sheet_row": "row"})
    return {"tasks": tasks, "comments": notes.reset_index(drop=True)}
