"""Briefing exports: the briefing pack (PowerPoint + PDF), any figure as PNG/SVG/PDF, the data
as XLSX/CSV. Files are built on the server only when a download is clicked."""

from __future__ import annotations

import functools
import io
import time
import zipfile
from datetime import date

import streamlit as st

from sca_metrics.outputs import figure_style, render
from sca_metrics.services import exports
from views import access, cached, session, widgets

access.require()

lang = session.lang()
st.title(session.t("export.title"))

by_period = widgets.scores_or_stop()
path, version = cached.version()
period = session.period_picker(list(by_period), "export")
today = date.today().isoformat()  # in every cache key: a pack or report is dated the day it is made


def build_pack(key: tuple, status) -> exports.Pack:
    """Builds the pack of `key`, each step shown on `status` (an st.status), and keeps it."""
    built = exports.pack(cached.inputs(path, version, period, lang), slides(path, version, *key[2:]),
                         progress=lambda step, **values: status.update(label=session.t(step, **values)))
    kept = cached.packs()
    kept[key] = built
    for old in list(kept)[:-cached.PACKS_KEPT]:
        kept.pop(old, None)
    return built


def zipped(files: dict[str, bytes]) -> bytes:
    """The pack's files in one archive; made when its download is clicked (outside the script run)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@st.cache_resource(show_spinner=False, max_entries=4)
def official_report(path: str, version: str, period: str, lang: str, day: str) -> bytes:
    """The Word report: built when its download is clicked, once per data version and language."""
    files = exports.DELIVERABLES["report"].build(cached.inputs(path, version, period, lang), None, None)
    return files[report_name]


@st.cache_resource(show_spinner=False, max_entries=8)
def slides(path: str, version: str, period: str, lang: str, day: str) -> list[exports.Slide]:
    """The slides the pack will have."""
    return exports.pack_slides(cached.inputs(path, version, period, lang).context)


def data_sheets(path: str, version: str, period: str, lang: str) -> dict:
    """The data sheets of every period, once per data version (not per period or language: they
    hold every period, and the workbook's language is set when it is written)."""
    return _sheets(path, version, cached.inputs(path, version, period, lang))


@st.cache_resource(show_spinner=False, max_entries=2)
def _sheets(path: str, version: str, _inputs: exports.Inputs) -> dict:
    return exports.data_sheets(_inputs)


ready = render.available()

st.subheader(session.t("export.pack"))
st.caption(session.t("export.pack_help"))
if not ready:
    st.warning(session.t("export.no_browser"), icon=":material/warning:")
inputs = cached.inputs(path, version, period, lang)
pptx_name, pdf_name = exports.DELIVERABLES["pack"].file_names(inputs)
(report_name,) = exports.DELIVERABLES["report"].file_names(inputs)
data_names = exports.DELIVERABLES["data"].file_names(inputs)
pack_key = (path, cached.content(path, version), period, lang, today)
built = cached.packs().get(pack_key)
# Built on the click of a button, its steps shown as they go (slides, each figure, the two
# files), then kept for every session: the downloads are the files already made.
slot = st.empty()  # the button; once clicked, the build's status in its place
if built is None and slot.button(session.t("export.pack_prepare"), key="pack_build", type="primary",
                                 icon=":material/slideshow:", disabled=not ready):
    with slot.status(session.t("briefing.step_slides"), expanded=False) as status:
        started = time.perf_counter()
        built = build_pack(pack_key, status)
        status.update(label=session.t("export.pack_ready", period=period,
                                      seconds=session.num(time.perf_counter() - started, 1)),
                      state="complete")
if built is not None:
    files = exports.pack_files(built, period, lang)
    buttons = (("zip", "export.pack_zip", pptx_name.removesuffix(".pptx") + ".zip",
                functools.partial(zipped, files)),
               ("pptx", "export.pack_pptx", pptx_name, files[pptx_name]),
               ("pdf", "export.pack_pdf", pdf_name, files[pdf_name]))
    for column, (kind, label, name, data) in zip(st.columns(3), buttons, strict=True):
        column.download_button(session.t(label), data, file_name=name, mime=exports.mime(name),
                               key=f"pack_{kind}", on_click="ignore", icon=":material/download:",
                               type="primary" if kind == "zip" else "secondary")

# The slides are worked out only when one of these sections is opened (each new data version
# would otherwise cost every visit of this page the whole deck).
contents = widgets.opened(session.t("export.pack_contents"), "export_contents", ":material/slideshow:")
if contents is not None:
    with contents:
        deck = slides(path, version, period, lang, today)
        st.caption(session.t("export.pack_count", slides=len(deck),
                            figures=sum(s.has_figure for s in deck)))
        for number, s in enumerate(deck, start=1):
            st.markdown(f"**{number}. {s.title}**\n\n" + "\n".join(f"- {line}" for line in s.sentences))

single = widgets.opened(session.t("export.figures"), "export_figures", ":material/image:")
if single is not None:
    with single:
        deck = slides(path, version, period, lang, today)
        with_figure = [s for s in deck if s.has_figure]
        titles = {s.key: f"{n}. {s.title}" for n, s in enumerate(with_figure, start=1)}
        chosen = st.selectbox(session.t("export.figure_pick"), list(titles), format_func=titles.get,
                              key="export_figure")
        figure = next(s.figure for s in with_figure if s.key == chosen)
        narrow = widgets.shared(f"export_{chosen}_phone", lambda: figure_style.for_phone(figure), lang,
                                period, today)
        widgets.both(figure, narrow, "export_preview", period)
        widgets.format_buttons(functools.partial(render.render, figure),
                               figure_style.download_stem(figure, period, lang), "export")

st.subheader(session.t("export.report"))
st.caption(session.t("export.report_help"))
letterhead_error = exports.letterhead_problem(lang)  # said here, not when the button is clicked
if letterhead_error is not None:
    st.error(letterhead_error, icon=":material/error:")
st.download_button(session.t("export.report_docx"),
                   functools.partial(official_report, path, version, period, lang, today),
                   file_name=report_name, mime=exports.mime(report_name),
                   key="report_docx", disabled=not ready or letterhead_error is not None,
                   on_click="ignore", icon=":material/description:", type="primary")

st.subheader(session.t("export.data"))
st.caption(session.t("export.data_help"))
# The sheets are made when a button is clicked (outside the script run), not at every rerun.
xlsx_name, *csv_names = data_names
columns = st.columns([1.5] + [1] * len(csv_names))
columns[0].download_button(session.t("export.data_xlsx"),
                           lambda: exports.xlsx_bytes(data_sheets(path, version, period, lang), lang),
                           file_name=xlsx_name, mime=exports.mime(xlsx_name),
                           key="data_xlsx", on_click="ignore", icon=":material/download:")
for column, sheet, name in zip(columns[1:], exports.DATA_SHEETS, csv_names, strict=True):
    column.download_button(session.t(f"export.csv_{sheet}"),
                           lambda sheet=sheet: exports.csv_bytes(
                               data_sheets(path, version, period, lang)[sheet]),
                           file_name=name, mime=exports.mime(name), key=f"data_{sheet}",
                           on_click="ignore", icon=":material/download:")
