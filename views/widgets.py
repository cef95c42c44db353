"""The pieces every page draws the same way: charts with their exports, tables with their
downloads, sections made only while open, and what to say when the database cannot answer.

Streamlit-side only; the engine (sca_metrics) never imports this.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sca_metrics.outputs import figure_style, render
from sca_metrics.outputs.selection import drill_target
from sca_metrics.reference import formatting, i18n
from sca_metrics.reference.roles import AccessError
from sca_metrics.reference.textnorm import TextRefused
from sca_metrics.reference.textnorm import markdown_literal as literal  # someone's text in a message
from sca_metrics.services import exports
from sca_metrics.services.database import StoreError
from views.cached import catalog, db, db_path, is_demo, scores_by_period, version, wrote
from views.session import lang, num, t

CHART_CONFIG = {"displaylogo": False}
T = TypeVar("T")


def chart_config(fig: go.Figure, period: str) -> dict:
    """The toolbar's camera button: a PNG named for what the chart shows (as the server-side
    exports are), 2,400 px wide whatever the screen (1,200 layout px × 2)."""
    return {**CHART_CONFIG, "toImageButtonOptions": {
        "format": "png", "filename": figure_style.download_stem(fig, period, lang()),
        "width": render.WIDTH, "height": int(fig.layout.height or 450), "scale": render.SCALE}}


@st.cache_resource(show_spinner=False, max_entries=512)
def _made(key: str, version: tuple[str, str], depends: tuple, _make: Callable[[], Any]) -> Any:
    return _make()


def shared(key: str, make: Callable[[], T], *depends: object) -> T:
    """What `make` returns — a figure, a frame derived from the data — made once per data
    version, `key` and `depends` (everything else it reads: the language, the period, the
    domain…), then shared by every session: never changed in place."""
    return _made(key, version(), depends, make)


def chart(draw: Callable[[], go.Figure], key: str, period: str, drill: bool = False,
          unit: str | None = "score", container=st, depends: tuple = (),
          phone: Callable[[], go.Figure] | None = None,
          pick: Callable[[Mapping[str, Any] | None], None] | None = None) -> None:
    """A plotly figure with the print-quality image button and a server-side export (PNG,
    SVG, PDF with the source line). With `drill`, clicking a point that carries a domain opens
    the Domain page on it (and on the driver of a heatmap cell). `draw` makes the figure, once
    per data version, `key` and `depends` — which must name everything the drawing reads besides
    the data: the language, the period, the domain…
    A chart is sent twice, for a wide screen and for a phone (PHONE_PX wide or less), and the
    page's CSS shows the one that fits (the server does not know the screen's width): the
    phone's is `phone` (a drawing of its own) or the figure itself, either made fit by
    `figure_style.for_phone`. `pick` is given the selection when a point is clicked (instead
    of `drill`'s page switch)."""
    fig = shared(key, draw, lang(), period, *depends)
    narrow = shared(f"{key}_phone", lambda: figure_style.for_phone(phone() if phone else fig), lang(), period,
                    *depends)
    both(fig, narrow, key, period, drill, container, pick)
    figure_export(fig, key, period, unit, container)


PHONE_PX = 640  # a screen this wide or narrower gets a chart's phone drawing


def both(fig: go.Figure, narrow: go.Figure, key: str, period: str, drill: bool = False, container=st,
         pick=None) -> None:
    """A figure and its phone drawing, each in a keyed container the page's CSS shows or hides
    by the screen's width."""
    container.html(f"""<style>
@media (max-width: {PHONE_PX}px) {{ .st-key-wide_{key} {{ display: none !important; }} }}
@media (min-width: {PHONE_PX + 1}px) {{ .st-key-narrow_{key} {{ display: none !important; }} }}
</style>""")
    _plot(fig, key, period, drill, container.container(key=f"wide_{key}"), pick)
    _plot(narrow, f"{key}_phone", period, drill, container.container(key=f"narrow_{key}"), pick)


def _plot(fig: go.Figure, key: str, period: str, drill: bool, container, pick=None) -> None:
    config = chart_config(fig, period)
    if pick is not None:
        event = container.plotly_chart(fig, width="stretch", config=config, key=key,
                                       on_select="rerun", selection_mode="points")
        pick(event.selection if event else None)
        return
    if not drill:
        container.plotly_chart(fig, width="stretch", config=config, key=key)
        return
    event = container.plotly_chart(fig, width="stretch", config=config, key=key,
                                   on_select="rerun", selection_mode="points")
    target = drill_target(event.selection if event else None)
    if target is not None:
        params = {"lang": lang(), **target.query_params()}
        if "period" in st.query_params:
            params["period"] = st.query_params["period"]
        st.switch_page("views/domain.py", query_params=params)


def figure_export(fig, name: str, period: str, unit: str | None = "score", container=st) -> None:
    """PNG (2400 px), SVG and PDF of a figure, rendered on the server only when clicked;
    without chromium, says how to enable it."""
    popover = container.popover(t("export.figure"), icon=":material/image:", key=f"{name}_export",
                                on_change="rerun")
    if not popover.open:  # its buttons are made only when someone opens it
        return
    with popover:
        if render.available():
            st.caption(t("export.figure_help"))
        language = lang()
        draw = functools.partial(print_figure, fig, language=language, period=period,
                                 source=exports.source_text(language, is_demo(*version()), period),
                                 unit=t(f"figure.unit_{unit}") if unit else None)
        format_buttons(draw, figure_style.download_stem(fig, period, language), name)


def format_buttons(draw, stem: str, key: str) -> None:
    """One download button per export format; `draw(fmt)` makes the file, only when clicked.
    Without chromium: how to enable server-side export, instead of the buttons."""
    if not render.available():
        st.info(t("export.no_browser"))
        return
    for column, fmt in zip(st.columns(len(render.FORMATS)), render.FORMATS, strict=True):
        column.download_button(fmt.upper(), functools.partial(draw, fmt), file_name=f"{stem}.{fmt}",
                               mime=render.MIME[fmt], key=f"{key}_{fmt}", on_click="ignore",
                               icon=":material/download:")


def print_figure(fig, fmt: str, language: str, period: str, source: str, unit: str | None) -> bytes:
    """Runs when a download is clicked (outside the script run: no session state here)."""
    return render.render(figure_style.for_print(fig, language, period, source, unit), fmt)


def table(data: pd.DataFrame, numbers: dict[str, int] | None = None,
          percent: tuple[str, ...] = (), help: dict[str, str] | None = None,
          signed: dict[str, int] | None = None, **kwargs) -> None:
    """A data frame shown with the language's number format (1.234,5 in Vietnamese),
    while sorting still uses the numbers. `numbers`: column → decimals (fixed); `signed`: the
    same for changes, written with their sign (+5,2, −3,1, ±0,0); `help`: column → what its
    header says on hover (beside any `column_config` the column has)."""
    if help:
        config = kwargs.setdefault("column_config", {})
        for col, text in help.items():
            config[col] = {**config.get(col, st.column_config.Column(col)), "help": text}
    styler = data.style
    for col, decimals in (numbers or {}).items():
        if col in data.columns:
            styler = styler.format(lambda x, d=decimals: num(x, d, fixed=True), subset=[col],
                                   na_rep="–")
    for col, decimals in (signed or {}).items():
        if col in data.columns:
            styler = styler.format(lambda x, d=decimals: formatting.signed(x, lang(), d), subset=[col],
                                   na_rep="–")
    for col in percent:
        if col in data.columns:
            styler = styler.format(lambda x: f"{num(100 * x, 0)}%", subset=[col], na_rep="–")
    frame(styler, **kwargs)


MISSING = "–"  # how a table draws a missing value (Streamlit draws "None" unless told)


def frame(data, **kwargs):
    """st.dataframe as every page draws it: as wide as the page, without the index, and a
    missing value drawn "–" — Streamlit draws "None" for it whatever a Styler says (`na_rep`
    does not reach the grid), so each table says it here (tests/app/test_tables.py)."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    kwargs.setdefault("placeholder", MISSING)
    return st.dataframe(data, **kwargs)


def downloads(frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str) -> None:
    """CSV and XLSX of a chart's data, side by side, safe against formula injection. The
    frame may be a function that makes it: then it is made only when a button is clicked."""
    make = frame if callable(frame) else lambda: frame
    left, right = st.columns(2)
    stem = f"dttm_{name}_{lang()}"  # what it shows and its period are in `name`; the language too
    # Callables: the files are built only when clicked, not on every rerun.
    left.download_button(t("download.csv"), lambda: exports.csv_bytes(make()), file_name=f"{stem}.csv",
                         mime="text/csv", icon=":material/download:", key=f"{name}_csv",
                         on_click="ignore")
    right.download_button(t("download.xlsx"), lambda: exports.xlsx_bytes({name: make()}),
                          file_name=f"{stem}.xlsx", mime=exports.XLSX_MIME,
                          icon=":material/download:", key=f"{name}_xlsx", on_click="ignore")


PAGE_ROWS = 50  # rows of a table at a time
PAGE_ITEMS = 12  # cards, or small charts, or bars at a time
PAGE_BARS = 25  # bars of a long bar chart (one panel) at a time


def page(count: int, key: str, size: int | None = None, what: str = "widgets.page_rows") -> slice:
    """Which `size` of `count` things to show, the page chosen by a number box (none when
    they fit on one page) with a caption saying which ones (`what`: its text, given first,
    last, count and total). `size`: PAGE_ROWS unless given."""
    size = size or PAGE_ROWS
    pages = max(1, -(-count // size))
    if pages == 1:
        return slice(0, count)
    chosen = st.number_input(t("widgets.page", pages=num(pages, 0)), min_value=1, max_value=pages,
                             value=1, step=1, key=key, width=200)
    first = (int(chosen) - 1) * size
    st.caption(t(what, first=num(first + 1, 0), last=num(min(first + size, count), 0), count=count,
                 total=num(count, 0)))
    return slice(first, first + size)


def paged(frame: pd.DataFrame, key: str, rows: int | None = None,
          what: str = "widgets.page_rows") -> pd.DataFrame:
    """One page of a long table (or of the things a frame lists), with the page to show chosen
    beside it (none for one page): never more than `rows` (PAGE_ROWS) rows, however long the frame."""
    return frame.iloc[page(len(frame), key, rows, what)]


def opened(label: str, key: str, icon: str, expanded: bool = False):
    """An expander whose content is made only while it is open: the container to fill, or
    None while it is closed (opening or closing it reruns the page)."""
    box = st.expander(label, expanded=expanded, icon=icon, key=key, on_change="rerun")
    return box if box.open else None


def data_table(frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str,
               numbers: dict[str, int] | Callable[[pd.DataFrame], dict[str, int]] | None = None,
               percent: tuple[str, ...] = (), expanded: bool = False,
               help: dict[str, str] | None = None, signed: dict[str, int] | None = None) -> None:
    """The data behind a chart: a table in an expander with its CSV/XLSX downloads, made
    only while the expander is open (most reruns never show it). `frame` may be a function
    that makes it, and `numbers` a function of the frame, so nothing is built while closed."""
    box = opened(t("download.data_table"), f"{name}_data", ":material/table:", expanded)
    if box is not None:
        data = frame() if callable(frame) else frame
        with box:
            table(data, numbers(data) if callable(numbers) else numbers, percent, help, signed)
            downloads(data, name)


@st.cache_resource(show_spinner=False, max_entries=8)
def _department_labels(catalog_version: str, language: str) -> dict[str, str]:
    return {d.code: f"{d.code} — {d.name(language)}" for d in catalog().departments}


def department_labels(language: str | None = None) -> dict[str, str]:
    """Each department's code → "code — name" in the language (this run's by default)."""
    return _department_labels(catalog().version, language or lang())


def department_label(code: str, language: str | None = None) -> str:
    return department_labels(language).get(code, code)


def department_format(language: str) -> Callable[[str], str]:
    """A select box's format_func for department codes, in `language` (bound now: Streamlit
    may call it outside the script run), one lookup an option."""
    names = department_labels(language)
    return lambda code: names.get(code, code)


LIST_NAMES = 20  # departments named in a sentence; the rest counted


def department_list(codes: list[str]) -> str:
    """Departments named in a sentence: the first LIST_NAMES of them, and how many more."""
    names = ", ".join(department_label(d) for d in codes[:LIST_NAMES])
    more = len(codes) - LIST_NAMES
    return names if more <= 0 else t("submissions.and_more", names=names, n=num(more, 0))


def translated(codes: pd.Series, prefix: str) -> pd.Series:
    """A column of codes (states, statuses…) in this run's language: the message `prefix` +
    code of each, looked up once per distinct code."""
    language = lang()
    return codes.map({c: i18n.t(f"{prefix}{c}", language) for c in codes.unique()})


def department_names(codes: pd.Series) -> pd.Series:
    """A column of department codes written as their labels (a code not in the list as itself)."""
    names = department_labels()
    return codes.map(lambda c: names.get(c, c))


class Refusal(NamedTuple):
    """Why a write did not happen, as a message says it (someone's text in it escaped)."""
    text: str
    icon: str


def attempt(action: Callable, language: str) -> tuple[bool, object, Refusal | None]:
    """Runs action(db) — a service's write on the shared handle: (True, its result, None), and
    every session reads the new data; or (False, None, why) for a refusal (the role does not
    allow it, a value the store refuses) or a store failure (the store logs it). Callbacks use
    it: they cannot draw in place."""
    try:
        result = action(db())
    except AccessError as exc:
        return False, None, Refusal(literal(exc.message(language)), ":material/lock:")
    except TextRefused as exc:
        return False, None, Refusal(literal(exc.message(language)), ":material/edit_off:")
    except StoreError as exc:
        return False, None, Refusal(literal(exc.message(language)), ":material/error:")
    wrote()
    return True, result, None


def write(action: Callable) -> tuple[bool, object]:
    """`attempt` with its refusal shown in place: (True, its result) or (False, None)."""
    ok, result, why = attempt(action, lang())
    if why is not None:
        st.error(why.text, icon=why.icon)
    return ok, result


def show_flash(key: str, icon: str) -> None:
    """The success message a write left for this rerun, once."""
    message = st.session_state.pop(key, None)
    if message:
        st.success(message, icon=icon)


def store_error(exc: StoreError) -> None:
    """What the database could not do, what it means and what to do, in place of the page
    (the traceback goes to the server's log, never to the page)."""
    icons = {"busy": ":material/hourglass_top:", "read_only": ":material/lock:",
             "corrupt": ":material/broken_image:", "disk_full": ":material/storage:"}
    st.error(literal(exc.message(lang())), icon=icons.get(exc.kind, ":material/error:"))
    st.stop()


def scores_or_stop() -> dict:
    """Scores of every period; on an empty database, says how to start and stops the page."""
    by_period = scores_by_period(*version())
    if not by_period:
        st.info(t("app.empty_db", db=db_path()))
        st.stop()
    return by_period


def delta(change: float | None, since: str, decimals: int = 1, higher_is_better: bool = True) -> dict:
    """st.metric's delta arguments for a change: signed, coloured by whether it is progress;
    no change as shown (0,0) is neutral — grey, without an arrow — never a green "↑ +0,0"."""
    if change is None or pd.isna(change):
        return {"delta": None}
    shown = round(float(change), decimals)
    if shown == 0:
        return {"delta": f"±{num(0, decimals, fixed=True)} {since}", "delta_color": "off",
                "delta_arrow": "off"}
    # the ASCII minus of the language's number format: Streamlit reads it as a fall (a "−"
    # read as a rise, and a fall of a pilot indicator showed as a green arrow up)
    return {"delta": f"{'+' if shown > 0 else ''}{num(shown, decimals, fixed=True)} {since}",
            "delta_color": "normal" if higher_is_better else "inverse"}


def score_metric(column, label: str, row, previous_period: str | None, caption: str = "") -> None:
    """A score with its change since the previous period (like for like: on the indicators
    reported in both), its caption, and a note when the indicators below it changed between
    the two periods."""
    column.metric(label, num(row.score, 1, fixed=True), help=caption or None,
                  **delta(row.get("change"), t("overview.change")))
    if caption:
        column.caption(caption)
    if previous_period and bool(row.get("set_changed", False)):
        column.caption(t("overview.set_changed", period=previous_period))


def file_uploader(label: str, types: list[str], key: str, max_mb: int, **kwargs):
    """st.file_uploader in the page's language. Streamlit draws its button ("Upload") and the
    limit ("20MB per file • XLSX") in English and has no parameter for them, so the uploader
    sits in a keyed container whose CSS hides those two texts and shows the translated ones
    in their place (tested in a real browser: tests/e2e/test_browser.py)."""
    box = st.container(key=f"uploader_{key}")
    button = t("uploader.button")
    limit = t("uploader.limit", mb=max_mb, types=" · ".join(x.upper() for x in types))
    scope = f".st-key-uploader_{key} [data-testid='stFileUploaderDropzone']"
    box.html(f"""<style>
{scope} button [data-testid='stMarkdownContainer'] p {{ font-size: 0; }}
{scope} button [data-testid='stMarkdownContainer'] p::after {{ content: {_css_string(button)};
  font-size: 0.875rem; }}
{scope} [data-testid='stFileUploaderDropzoneInstructions'] span {{ font-size: 0; }}
{scope} [data-testid='stFileUploaderDropzoneInstructions'] span::after {{ content: {_css_string(limit)};
  font-size: 0.875rem; }}
</style>""")
    return box.file_uploader(label, type=types, key=key, max_upload_size=max_mb, **kwargs)


def _css_string(text: str) -> str:
    """Text as a CSS string literal: quotes, backslashes and line breaks escaped."""
    return '"' + "".join(f"\\{ord(c):x} " if c in '"\\\n<>' else c for c in text) + '"'
