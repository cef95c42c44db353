"""The official report: one period's results as a Word document in the format of Decree
30/2020/NĐ-CP on clerical work (Appendix I), which the office numbers, edits and signs.

A4, Times New Roman, the body at 14 pt; the letterhead (superior and issuing body, national title
and motto, number and symbol, place and date), the document type and summary, the content —
the overall result, one heading per foundations and domain with its score, level, gap and the
indicator that costs it most, the pilot, the departments' returns and the method —, then
"Nơi nhận:" and the signature block. The sentences and figures are the documents' shared parts
(sca_metrics.outputs.documents: the same numbers as the briefing pack's). The letterhead
is data: data/report.toml, or the file SCA_REPORT_FILE names.
"""

from __future__ import annotations

import io
import logging
import re
import time
import tomllib
from copy import deepcopy
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from sca_metrics import settings
from sca_metrics.method.scoring import Scores, level_name, target_year
from sca_metrics.outputs import render
from sca_metrics.outputs.documents.context import Context
from sca_metrics.outputs.documents.parts import Slide, alt_text, slides
from sca_metrics.outputs.documents.sentences import proposal_lines
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.reference.bodies import LEAD, default_bodies
from sca_metrics.reference.i18n import t
from sca_metrics.reference.textnorm import strip
from sca_metrics.reference.units import Units, default_units, place_name

log = logging.getLogger(__name__)
FILE = "report.toml"

# The page and the type of Decree 30/2020/NĐ-CP, Appendix I (mm and points).
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 165
FONT = "Times New Roman"  # Liberation Serif, metric-compatible, where Word's font is absent
BODY_PT = 14  # the body: 13–14 pt
HEAD_PT = 12  # the letterhead's names and the national title: 12–13 pt
MOTTO_PT = 13  # the motto, the number and the date line: 13–14 pt
TABLE_PT = 13
RECIPIENTS_PT = (12, 11)  # "Nơi nhận:" and its lines
INDENT_CM = 1.27  # each body paragraph's first line
LINE_SPACING = 1.15  # single to 1.5 lines
AFTER_PT = 6  # space after a paragraph: at least 6 pt
# The letterhead's two columns: the bodies (left) and the national title (right), each line on
# one line in Times New Roman: the longest department name of data/bodies.csv at 12 pt bold is
# 73.6 mm, the longest place-and-date line at 13 pt italic 98.4 mm. 177 mm is
# wider than the text (165 mm): the letterhead reaches 7 mm into the left margin and 5 mm into
# the right one, as official templates do.
HEAD_COLUMNS_MM = (76, 101)
HEAD_SHIFT_MM = -7
FIGURE_MM = 150  # a figure's width on the page
# A report's figure is laid out this many pixels wide: at FIGURE_MM its smallest type
# (figure_style.PRINT_MIN, 21 px) prints at 9.3 pt
REPORT_PX = 960
DRIVERS_PX = 370  # a domain's three bars, lower than on a slide: two domains to a page
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


class LetterheadError(ValueError):
    """The letterhead file cannot be used: `message(lang)` names the file, the key and what is
    wrong (report.error_<code> in the translations)."""

    def __init__(self, path: Path, code: str, **params: object) -> None:
        self.path, self.code, self.params = path, code, params
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        return t(f"report.error_{self.code}", lang, path=str(self.path), **self.params)


@dataclass(frozen=True)
class Letterhead:
    """Who issues the report and who receives it (data/report.toml). An empty body, symbol,
    superior or place is taken from the bodies' and units' history on the report's date."""

    body_vi: str
    body_en: str
    symbol: str
    superior_vi: str
    superior_en: str
    place_vi: str
    place_en: str
    signer_title_vi: str
    signer_title_en: str
    signer_name: str
    recipients_vi: tuple[str, ...]
    recipients_en: tuple[str, ...]

    def body(self, lang: str, on: date) -> str:
        """The issuing body on the report's date: the file's, else the lead department then."""
        own = self.body_vi if lang == "vi" else self.body_en
        return own or default_bodies().holder(LEAD, on).name(lang)

    def symbol_on(self, on: date) -> str:
        return self.symbol or default_bodies().holder(LEAD, on).symbol

    def signer_title(self, lang: str) -> str:
        return self.signer_title_vi if lang == "vi" else self.signer_title_en

    def recipients(self, lang: str) -> tuple[str, ...]:
        return self.recipients_vi if lang == "vi" else self.recipients_en

    def superior(self, lang: str, on: date, units: Units) -> str:
        own = self.superior_vi if lang == "vi" else self.superior_en
        return own or t("report.superior", lang, province=units.province_on(on).name(lang))

    def place(self, lang: str, on: date, units: Units) -> str:
        own = self.place_vi if lang == "vi" else self.place_en
        return own or place_name(units.province_on(on).name(lang), lang)


def letterhead(path: Path | None = None) -> Letterhead:
    """The shipped letterhead, overlaid with `path` (or SCA_REPORT_FILE, or report.toml in the
    data folder) when there is one: a file may name only what it changes."""
    shipped = settings.shipped_data() / FILE
    chosen = path or settings.current().report_file
    if chosen is None and (settings.data_dir() / FILE).is_file():
        chosen = settings.data_dir() / FILE
    values = _read_letterhead(shipped)
    if chosen is not None and Path(chosen).resolve() != shipped.resolve():
        values |= _read_letterhead(Path(chosen))
    return Letterhead(**values)


def _read_letterhead(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as f:
            raw = tomllib.load(f)
    except OSError as exc:
        raise LetterheadError(path, "read", reason=exc.strerror or exc) from exc
    except tomllib.TOMLDecodeError as exc:
        raise LetterheadError(path, "toml", reason=exc) from exc
    known = {f.name: f.type for f in fields(Letterhead)}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise LetterheadError(path, "key", field=key, known=", ".join(known))
        if key.startswith("recipients"):
            if not (isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)):
                raise LetterheadError(path, "list", field=key)
            out[key] = tuple(v.strip() for v in value)
        elif isinstance(value, str):
            out[key] = value.strip()
        else:
            raise LetterheadError(path, "text", field=key)
    return out


# ---- what the report says: blocks, then one writer ----

@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1: "I. KẾT QUẢ CHUNG"; 2: "1. Y tế"


@dataclass(frozen=True)
class Para:
    text: str
    italic: bool = False
    keep: bool = False  # on the same page as what follows (a domain's text and its figure)


@dataclass(frozen=True)
class Table:
    """A numbered table: `widths` in mm (summing to at most the text width), `align` per column
    ("l", "c", "r"); its last row bold when `total`."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = (12, 58, 20, 32, 23, 20)
    align: str = "clrcrr"
    total: bool = True


@dataclass(frozen=True)
class Figure:
    key: str  # the slide whose image it is
    caption: str
    alt: str


Block = Heading | Para | Table | Figure


def report_parts(ctx: Context) -> list[Slide]:
    """The parts as the report shows them: figures REPORT_PX wide at their own height, every
    row of a list in one figure, no source line under each (the report states it once)."""
    return slides(ctx, REPORT_PX, on_slides=False)


def contents(ctx: Context, deck: list[Slide] | None = None,
             head: Letterhead | None = None) -> list[Block]:
    """The report's body, from the document's parts (`report_parts`: every row of a list in one
    figure, the source stated once)."""
    lang, s = ctx.lang, ctx.scores
    deck = deck if deck is not None else report_parts(ctx)
    head = head or letterhead()
    by_key = {slide.key: slide for slide in deck}
    units = default_units()
    out: list[Block] = [Para(t("report.intro", lang, area=units.area_name(ctx.period, lang),
                                body=head.body(lang, ctx.generated.date()), period=ctx.period))]
    if ctx.demo:
        out.append(Para(t("app.demo_banner", lang), italic=True))
    sections = iter(ROMAN)
    figures = iter(range(1, 100))

    numbers: dict[str, int] = {}  # slide key → its figure's number, for the proposals to cite

    def figure(key: str) -> Figure:
        slide = by_key[key]
        numbers[key] = next(figures)
        return Figure(key, t("report.caption", lang, n=numbers[key], title=slide.title),
                      alt_text(slide))

    out.append(Heading(f"{next(sections)}. {t('report.overall', lang)}", 1))
    title = by_key["title"]
    out += [Para(line) for line in title.sentences[1:] if line != t("app.demo_banner", lang)]
    out.append(_table(s, lang))
    out += [Para(line) for line in by_key["heatmap"].sentences]
    out.append(figure("heatmap"))
    if "radar" in by_key:
        out += [Para(line) for line in by_key["radar"].sentences]
    out += [Para(line) for line in by_key["gaps"].sentences]

    out.append(Heading(f"{next(sections)}. {t('report.domains', lang)}", 1))
    for number, code in enumerate(vocabulary.DOMAIN_CODES, start=1):
        key = "foundations" if code == vocabulary.FOUNDATIONS else f"domain_{code}"
        slide = by_key[key]
        out.append(Heading(f"{number}. {vocabulary.domain_name(code, lang)}", 2))
        first, *rest = slide.sentences
        out.append(Para(" ".join([first + ".", *rest[1:], rest[0]]), keep=True))  # score, target; drivers
        if (key_line := _key_indicator(ctx, code)) is not None:
            out.append(Para(key_line, keep=True))
        out.append(figure(key))

    if "pilot" in by_key:
        out.append(Heading(f"{next(sections)}. {t('report.pilot', lang)}", 1))
        pilot = [key for key in by_key if key == "pilot" or re.fullmatch(r"pilot_\d+", key)]
        out += [Para(line) for key in pilot for line in by_key[key].sentences]
        out += [figure(key) for key in pilot]
        out += [Para(line) for line in by_key["pilot_series"].sentences]  # they refer to the series
        out += [figure(key) for key in by_key if key.startswith("pilot_series")]

    out.append(Heading(f"{next(sections)}. {t('report.submissions', lang)}", 1))
    out += [Para(line) for line in by_key["submissions"].sentences]
    out += [figure(key) for key in by_key if key == "submissions" or key.startswith("submissions_")]

    out.append(Heading(f"{next(sections)}. {t('report.method', lang)}", 1))
    out += [Para(line) for line in by_key["method"].sentences]
    out.append(Para(t("report.source", lang, source=ctx.source()), italic=True, keep=True))

    cite = {"gaps": t("proposals.cite_table", lang, n=1),
            **{key: t("proposals.cite_figure", lang, n=n) for key, n in numbers.items()
               if key in ("foundations", "submissions")}}
    out += proposals_section(ctx, next(sections), head, cite)
    return out


def proposals_section(ctx: Context, number: str, head: Letterhead,
                      cite: dict[str, str]) -> list[Block]:
    """The last section of a report: the numbered proposals (proposal_lines), each a
    paragraph, after a sentence that says who proposes them."""
    lang = ctx.lang
    lines = proposal_lines(ctx, cite)
    heading = Heading(f"{number}. {t('proposals.heading', lang)}", 1)
    if not lines:
        return [heading, Para(t("proposals.none", lang, period=ctx.period))]
    body = head.body(lang, ctx.generated.date())
    return [heading, Para(t("proposals.intro", lang, period=ctx.period, body=body), keep=True),
            *(Para(line) for line in lines)]


def _table(s: Scores, lang: str) -> Table:
    """Table 1: foundations, the eight domains and the overall, as every table writes numbers."""
    year = target_year(s.period)
    header = (t("report.col_no", lang), t("report.col_name", lang), t("report.col_score", lang),
              t("report.col_level", lang), t("report.col_target", lang, year=year or "–"),
              t("report.col_gap", lang))

    def cells(name: str, row) -> tuple[str, ...]:
        level = "–" if pd.isna(row.level) else f"{int(row.level)} – {level_name(int(row.level), lang)}"
        gap = row.gap
        gap_text = "–" if pd.isna(gap) else t("report.met", lang) if gap <= 0 else _n(gap, lang)
        return (name, _n(row.score, lang), level, _n(row.target_score, lang), gap_text)

    rows = [(str(n), *cells(vocabulary.domain_name(str(r.domain), lang), r))
            for n, r in enumerate(s.domains.itertuples(), start=1)]
    rows.append(("", *cells(t("report.row_overall", lang), next(s.overall.itertuples()))))
    return Table(t("report.table", lang, period=s.period), header, tuple(rows))


def _n(x: float, lang: str) -> str:
    return formatting.number(x, lang, 1, fixed=True)


def _key_indicator(ctx: Context, domain: str) -> str | None:
    """The indicator that costs the domain most of the points it lacks from 100 (its part of
    100 − S, docs/METHOD.md §3), with its value and its target; None when nothing is missing."""
    lang, s = ctx.lang, ctx.scores
    ind = s.indicators[(s.indicators.domain == domain) & s.indicators.gap_contribution.notna()]
    if ind.empty or float(ind.gap_contribution.max()) <= 0:
        return None
    top = ind.iloc[int(ind.gap_contribution.to_numpy().argmax())]
    indicator = ctx.catalog.indicator(str(top.code))
    unit = indicator.unit(lang)
    year = target_year(s.period)
    target = indicator.target_2025 if year == 2025 else indicator.target_2030

    value, goal = (formatting.unit_after(text, indicator.kind, unit)
                   for text in formatting.indicator_values(indicator.kind, lang, top.value, target))
    return t("report.key_indicator", lang, name=indicator.short_name(lang), value=value,
             year=year or "–", target=goal, points=_n(float(top.gap_contribution), lang),
             missing=_n(100 - float(s.domains.set_index("domain").score[domain]), lang))


# ---- the file ----

def file_stem(period: str, lang: str) -> str:
    return f"dttm_bao-cao_{period}_{lang}" if lang == "vi" else f"dttm_report_{period}_{lang}"


def build(ctx: Context, head: Letterhead | None = None) -> bytes:
    """The report as .docx bytes, its figures rendered in one browser at their own height (a
    slide's figure is cut to the slide's shape; on A4 each keeps its own, so two domains share
    a page)."""
    started = time.perf_counter()
    head = head or letterhead()
    deck = report_parts(ctx)
    by_key = {slide.key: slide for slide in deck}
    blocks = contents(ctx, deck, head)
    keys = [b.key for b in blocks if isinstance(b, Figure)]
    pngs = render.render_many(render.Job(by_key[key].figure, "png", _height(key)) for key in keys)
    data = docx_bytes(ctx, blocks, dict(zip(keys, pngs, strict=True)), head)
    log.info("official report %s: %d figures in %.2f s", file_stem(ctx.period, ctx.lang), len(keys),
             time.perf_counter() - started)
    return data


def _height(key: str) -> int | None:
    """A figure's height on A4: its own (None), but a domain's bars lower."""
    return DRIVERS_PX if key == "foundations" or key.startswith("domain_") else None


def docx_bytes(ctx: Context, blocks: list[Block], images: dict[str, bytes],
               head: Letterhead, summary: str | None = None, appendix: list[Block] | None = None) -> bytes:
    """The document: letterhead, BÁO CÁO and its `summary` (the readiness report's by default),
    the blocks, the closing — kept on one page with the paragraph before it —, then the
    `appendix` on a page of its own."""
    summary = summary or t("report.summary", ctx.lang, period=ctx.period)

    lang = ctx.lang
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(10)
    _base_style(doc, lang)
    _page_numbers(section)
    core = doc.core_properties  # made now, by the issuing body (python-docx's template says 2013)
    core.title = strip(summary)
    core.author = core.last_modified_by = strip(head.body(lang, ctx.generated.date()))
    core.created = core.modified = ctx.generated.replace(tzinfo=None, microsecond=0)
    core.revision = 1
    core.comments = ""
    core.language = "vi-VN" if lang == "vi" else "en-GB"

    on = ctx.generated.date()
    units = default_units()
    _letterhead(doc, head, lang, on, units)
    _title(doc, t("report.kind", lang), summary)
    _blocks(doc, blocks, images)
    if doc.paragraphs:  # the signature never alone on its page: the text before it goes with it
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    _closing(doc, head, lang)
    if appendix:
        doc.add_page_break()
        _blocks(doc, appendix, images)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _blocks(doc, blocks: list[Block], images: dict[str, bytes]) -> None:
    """The blocks in their order: headings, paragraphs, tables, figures (`images` by key)."""
    for block in blocks:
        if isinstance(block, Heading):
            p = _para(doc, block.text, bold=True, indent=True)
            p.paragraph_format.keep_with_next = True
            p.paragraph_format.space_before = Pt(6)
        elif isinstance(block, Para):
            p = _para(doc, block.text, italic=block.italic, indent=True, justify=True)
            p.paragraph_format.keep_with_next = block.keep or None
        elif isinstance(block, Table):
            _data_table(doc, block)
        elif block.key in images:
            p = _para(doc, "", centre=True)
            p.paragraph_format.keep_with_next = True
            shape = p.runs[0].add_picture(io.BytesIO(images[block.key]), width=Mm(FIGURE_MM))
            shape._inline.docPr.set("descr", block.alt)  # Word's alt text
            _para(doc, block.caption, italic=True, centre=True, size=TABLE_PT)


def _base_style(doc, lang: str) -> None:
    """Times New Roman for every script (Word picks the font per script: ascii, hAnsi, cs,
    eastAsia), the body size, the language for the spelling checker."""

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(script), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN" if lang == "vi" else "en-GB")
    normal.element.get_or_add_rPr().insert_element_before(language, "w:eastAsianLayout", "w:specVanish",
                                                           "w:oMath")
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(AFTER_PT), LINE_SPACING


def _page_numbers(section) -> None:
    """The page number at the top centre from the second page on (Decree 30: not on the first)."""

    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    run.font.size = Pt(BODY_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _para(container, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None,
          centre: bool = False, indent: bool = False, justify: bool = False, underline: bool = False,
          after: float | None = None):

    p = container.add_paragraph()
    run = p.add_run(strip(text))
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if size is not None:
        run.font.size = Pt(size)
    fmt = p.paragraph_format
    fmt.first_line_indent = Cm(INDENT_CM) if indent else Cm(0)
    if after is not None:
        fmt.space_after = Pt(after)
    p.alignment = (WD_ALIGN_PARAGRAPH.CENTER if centre else WD_ALIGN_PARAGRAPH.JUSTIFY if justify
                   else WD_ALIGN_PARAGRAPH.LEFT)
    return p


# What follows w:pBdr in a paragraph's properties (ECMA-376 §17.3.1.26): Word refuses a file
# whose elements are out of this order, where LibreOffice would not say.
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
               "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _rule(container, width_mm: float, column_mm: float) -> None:
    """A short centred line (the rule under a name or a summary): a paragraph's bottom border,
    as wide as its indents leave it."""

    p = _para(container, "", size=2, after=0)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Mm((column_mm - width_mm) / 2)
    p.paragraph_format.line_spacing = Pt(2)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(k), v)
    border.append(bottom)
    p._p.get_or_add_pPr().insert_element_before(border, *_AFTER_PBDR)


def _layout_table(doc, widths_mm: tuple[float, ...], rows: int = 1, shift_mm: float = 0):
    """A borderless table that sets parts side by side (letterhead, signature), `shift_mm` from
    the left margin."""

    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "57")  # twips: 1 mm
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    if shift_mm:
        indent = OxmlElement("w:tblInd")
        indent.set(qn("w:w"), str(round(shift_mm * 1440 / 25.4)))
        indent.set(qn("w:type"), "dxa")
        table._tbl.tblPr.insert_element_before(indent, "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
                                               "w:tblLook", "w:tblCaption", "w:tblDescription")
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    return table


def _cell(table, row: int, col: int):
    """A cell emptied of its first paragraph (python-docx starts each with one)."""
    cell = table.cell(row, col)
    first = cell.paragraphs[0]._p
    first.getparent().remove(first)
    return cell


def _letterhead(doc, head: Letterhead, lang: str, on: date, units: Units) -> None:
    left_mm, right_mm = HEAD_COLUMNS_MM
    table = _layout_table(doc, HEAD_COLUMNS_MM, rows=2, shift_mm=HEAD_SHIFT_MM)
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    _para(left, head.superior(lang, on, units).upper(), size=HEAD_PT, centre=True, after=0)
    _para(left, head.body(lang, on).upper(), bold=True, size=HEAD_PT, centre=True, after=0)
    _rule(left, left_mm / 3, left_mm)
    _para(right, t("report.national", lang), bold=True, size=HEAD_PT, centre=True, after=0)
    # the motto underlined: a line exactly as long as the words (Decree 30: "bằng độ dài của dòng chữ")
    _para(right, t("report.motto", lang), bold=True, size=MOTTO_PT, centre=True, underline=True, after=0)
    number, dated = _cell(table, 1, 0), _cell(table, 1, 1)
    _para(number, t("report.number", lang, symbol=head.symbol_on(on)), size=MOTTO_PT, centre=True)
    _para(dated, t("report.dated", lang, place=head.place(lang, on, units),
                   date=formatting.official_day(on, lang)), italic=True, size=MOTTO_PT, centre=True)
    table.rows[1].cells[0].paragraphs[0].paragraph_format.space_before = Pt(6)
    table.rows[1].cells[1].paragraphs[0].paragraph_format.space_before = Pt(6)


def _title(doc, kind: str, summary: str) -> None:
    p = _para(doc, kind, bold=True, centre=True, after=0)
    p.paragraph_format.space_before = Pt(18)
    _para(doc, summary, bold=True, centre=True, after=2)
    _rule(doc, TEXT_MM / 4, TEXT_MM)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _data_table(doc, block: Table) -> None:
    """A numbered table: its caption above, the header bold, numbers right-aligned.

    Linear in rows, and quick: the header and the first data row are laid out through
    python-docx; every further plain row is a copy of the first (its widths, alignment, size)
    with its own text, so a report of 2,000 tasks is built in seconds (`table.cell(r, c)` lays
    out the whole table at each call, and each property set through python-docx searches its
    element's children: minutes for 500 tasks before)."""

    caption = _para(doc, block.caption, bold=True, centre=True, size=TABLE_PT)
    caption.paragraph_format.keep_with_next = True
    rows = [block.header, *block.rows]
    plain = len(rows) - (1 if block.total else 0)  # the header and the rows laid out like the first data row
    laid = min(2, plain)
    table = doc.add_table(rows=laid, cols=len(block.header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, block.widths, strict=True):
        column.width = Mm(width)
    for r, row in enumerate(table.rows):
        _table_row(row, rows[r], block, r)
    if laid == 2:
        model = table.rows[1]._tr
        for r in range(2, plain):
            tr = deepcopy(model)
            for tc, value in zip(tr.tc_lst, rows[r], strict=True):
                _set_text(tc.p_lst[0].r_lst[0], value)
            if len(block.rows) <= KEEP_ROWS and r == len(block.rows):  # the last row ends the keeping
                for p in tr.iter(qn("w:keepNext")):
                    p.getparent().remove(p)
            table._tbl.append(tr)
    if plain < len(rows):
        _table_row(table.add_row(), rows[-1], block, len(rows) - 1)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _table_row(row, values: tuple[str, ...], block: Table, r: int) -> None:
    """One row laid out through python-docx: the header (r = 0), a data row, or the total."""
    last = block.total and r == len(block.rows)
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))  # a row is never cut by a page break
    if r == 0:
        properties.append(OxmlElement("w:tblHeader"))  # the header again on each page
    for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
        cell.width = Mm(block.widths[c])
        p = cell.paragraphs[0]
        run = p.add_run(strip(value))
        run.font.size = Pt(TABLE_PT)
        run.bold = (r == 0 or last) or None
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.first_line_indent = Mm(0)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 else ALIGN[block.align[c]]
        # a short table stays on one page with its caption
        p.paragraph_format.keep_with_next = (len(block.rows) <= KEEP_ROWS and r < len(block.rows)) or None


def _set_text(run, value: str) -> None:
    """A copied run's text: a plain text straight into its <w:t>; one with a tab or a line
    break through python-docx, which writes them as Word's own elements."""
    text = strip(value)
    t_ = run.find(qn("w:t"))
    if t_ is None or "\t" in text or "\n" in text:
        run.text = text
        return
    t_.text = text
    if text != text.strip():  # as python-docx marks it: spaces at an end are kept
        t_.set(qn("xml:space"), "preserve")
    else:
        t_.attrib.pop(qn("xml:space"), None)


KEEP_ROWS = 12  # a table of up to this many rows is kept on one page
ALIGN = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}


def _closing(doc, head: Letterhead, lang: str) -> None:
    """"Nơi nhận:" on the left (each line with a dash; ";" between, "." at the end) and the
    signature block on the right: the title in capitals, room to sign, the name."""
    doc.add_paragraph().paragraph_format.keep_with_next = True  # the signature never alone on a page
    table = _layout_table(doc, (80, TEXT_MM - 80))
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    _para(left, t("report.recipients", lang), bold=True, italic=True, size=RECIPIENTS_PT[0], after=0)
    lines = head.recipients(lang)
    for i, line in enumerate(lines):
        end = "." if i == len(lines) - 1 else ";"
        _para(left, f"- {line.rstrip(';.')}{end}", size=RECIPIENTS_PT[1], after=0)
    _para(right, head.signer_title(lang).upper(), bold=True, centre=True, after=0)
    for _ in range(4):  # room for the signature and the seal
        _para(right, "", after=0)
    _para(right, head.signer_name, bold=True, centre=True, after=0)
