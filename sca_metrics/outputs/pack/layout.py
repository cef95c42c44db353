"""The pack's layout: the 16:9 slide's boxes, the text styles, what goes where on a slide,
and slides split so that no text runs off one.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

from sca_metrics.outputs.documents.context import Context
from sca_metrics.outputs.documents.figures import fit
from sca_metrics.outputs.documents.fitting import measure
from sca_metrics.outputs.documents.parts import Slide, alt_text
from sca_metrics.reference.bodies import default_bodies
from sca_metrics.reference.i18n import t
from sca_metrics.reference.units import reference_date

# Slide geometry (inches, 16:9) shared by both files: the PDF uses the same boxes in mm.
W, H = 13.333, 7.5


MARGIN, TITLE_H, FOOT_H = 0.5, 0.9, 0.4


Box = tuple[float, float, float, float]  # left, top, width, height (inches)


def boxes(slide: Slide) -> tuple[Box, Box | None]:
    """(text box, image box) as (left, top, width, height): the figure at FIGURE_SHARE of the
    width (large enough for its type to read at 10 pt), its text beside it."""
    top, bottom = MARGIN + TITLE_H, H - MARGIN - FOOT_H
    inner_w = W - 2 * MARGIN
    if not slide.has_figure:
        return (MARGIN, top, inner_w, bottom - top), None
    fig_w = inner_w * FIGURE_SHARE
    return (MARGIN + fig_w + 0.25, top, inner_w - fig_w - 0.25, bottom - top), (MARGIN, top, fig_w,
                                                                                bottom - top)


@dataclass(frozen=True)
class Text:
    box: tuple[float, float, float, float]  # left, top, width, height (inches)
    lines: tuple[str, ...]
    role: str  # a key of TEXT_STYLES
    bullets: bool = False


@dataclass(frozen=True)
class Picture:
    box: tuple[float, float, float, float]  # already fitted to the PNG's aspect
    png: bytes
    alt: str  # what it shows, for a screen reader: the figure's title and the slide's first finding


# role → (size in points, bold, grey): the same in both files, which share the page size. A
# text is set at its size, or smaller down to MIN_PT until it fits its box (_Measure.fitted_size); what
# does not fit at MIN_PT goes on to a continuation slide (paginate).
TEXT_STYLES = {"cover_title": (34, True, False), "cover_text": (20, False, False),
               "title": (26, True, False), "body": (18, False, False), "footer": (14, False, True)}


PT_MM = 25.4 / 72


TITLE_ROLES = ("title", "cover_title")  # set in the slide's title placeholder


MIN_PT = 14  # no text on a slide is smaller: legible from the back of a meeting room


LINE = 1.2  # line height, as a multiple of the font size


PARA_PT = 6  # space after each paragraph


FIGURE_SHARE = 0.7  # of the inner width, for a figure with its text beside it


# A slide's figure is laid out this many pixels wide: it is shown 8.6 in (621 pt) wide, so the
# smallest type of a printed figure (figure_style.PRINT_MIN, 21 px) reads at 14.5 pt
SLIDE_PX = 900


def slide_figure_px() -> int:
    """The height, in layout pixels, of a figure SLIDE_PX wide in the shape of a slide's figure
    box (its text beside it)."""
    top, bottom = MARGIN + TITLE_H, H - MARGIN - FOOT_H
    return int(SLIDE_PX * (bottom - top) / ((W - 2 * MARGIN) * FIGURE_SHARE))


def figure_height(slide: Slide) -> int:
    """Render each figure in the shape of the box it fills on the slide."""
    return slide_figure_px() if boxes(slide)[1] is not None else 420


def placements(slide: Slide, number: int, total: int, ctx: Context,
                images: dict[str, bytes]) -> list[Text | Picture]:
    """What goes where on one slide: the single layout both files draw."""
    full = W - 2 * MARGIN
    out: list[Text | Picture]
    if slide.key == "title":
        out = [Text((MARGIN, 2.0, full, 1.4), (slide.title,), "cover_title"),
               Text((MARGIN, 3.6, full, 3.0), slide.sentences, "cover_text")]
    else:
        text_box, image_box = boxes(slide)
        out = [Text((MARGIN, MARGIN, full, TITLE_H), (slide.title,), "title")]
        if image_box and slide.key in images:
            w, h = fit(images[slide.key], image_box[2], image_box[3])
            out.append(Picture((image_box[0], image_box[1], w, h), images[slide.key], alt_text(slide)))
        numbered = slide.key.startswith("proposals")  # numbered in their text: no bullet
        out.append(Text(text_box, slide.sentences, "body",
                         bullets=len(slide.sentences) > 1 and not numbered))
    out.append(Text((MARGIN, H - MARGIN - FOOT_H + 0.1, full, FOOT_H),
                     (footer(ctx, number, total),), "footer"))
    return out


def footer(ctx: Context, number: int, total: int) -> str:
    """The body, the period and the page, on one line at the room's size (the full source line
    is under every figure)."""
    body = default_bodies().lead_in_province(ctx.lang, reference_date(ctx.period))
    if ctx.demo:
        body = f"{body} ({t('briefing.illustrative', ctx.lang)})"
    return t("briefing.footer", ctx.lang, source=body, period=ctx.period, page=number, total=total)


@functools.lru_cache(maxsize=1024)
def _fitted_size(text: Text) -> float | None:
    """fitted_size, measured once a text: pagination asks it, then both files (a text and its
    box are all it depends on)."""
    return fitted_size(text)


SLACK = 0.92  # of a box's height used: room for a word wrapped differently elsewhere


def fits(text: Text, size: float) -> bool:
    """Whether the text set at `size` fits its box."""
    lines = [bullet(text, line) for line in text.lines]
    room = text.box[3] * 72 * SLACK
    return measure().height(lines, text.box[2], size, TEXT_STYLES[text.role][1]) <= room


def fitted_size(text: Text) -> float | None:
    """The largest size from the style's down to MIN_PT at which the text fits its box;
    None when it does not fit even at MIN_PT. A text takes more room the larger it is set,
    so the style's own size is tried first (most texts fit at it), then the sizes between
    it and MIN_PT are halved — three measures at most instead of one a point."""
    size = int(TEXT_STYLES[text.role][0])
    if fits(text, size):
        return size
    if not fits(text, MIN_PT):
        return None
    low, high = MIN_PT, size - 1  # fits at low; the answer is at most high
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(text, middle) else (low, middle - 1)
    return low


def fitted(text: Text) -> float:
    """The size a text is set at: fitted to its box (paginate made sure it fits at MIN_PT)."""
    if text.role == "body" or text.role.startswith("cover"):
        return _fitted_size(text) or MIN_PT
    return TEXT_STYLES[text.role][0]


def paginate(deck: list[Slide], lang: str) -> list[Slide]:
    """The deck with every slide whose text does not fit its box at MIN_PT split: the
    sentences that fit stay (beside the figure), the rest continue on slides of their own
    ("… (tiếp)" / "(cont.)"), so no text ever runs off a slide or over the footer."""
    out: list[Slide] = []
    for slide in deck:
        rest = list(slide.sentences)
        current = slide
        while True:
            text_box = boxes(current)[0] if current.key != "title" else (MARGIN, 3.6, W - 2 * MARGIN, 3.0)
            kept = _fit_count(rest, text_box, "cover_text" if current.key == "title" else "body")
            if kept >= len(rest):
                out.append(dataclasses.replace(current, sentences=tuple(rest)))
                break
            out.append(dataclasses.replace(current, sentences=tuple(rest[:kept])))
            rest = rest[kept:]
            current = Slide(f"{slide.key}_cont{len(out)}", f"{slide.title} {t('briefing.continued', lang)}",
                            tuple(rest))
    return out


def _fit_count(sentences: list[str], box: Box, role: str) -> int:
    """How many of the sentences, from the first, fit the box at MIN_PT (at least one, so every
    slide makes progress: a single sentence too long for a whole slide is set anyway, and the
    test would say so; none fit an empty list, which is done). All of them, most often: that
    measure is the one the files set the text by. Otherwise fewer sentences take less room, so
    the count is halved to."""
    if not sentences:
        return 0
    bullets = len(sentences) > 1
    if _fitted_size(Text(box, tuple(sentences), role, bullets=bullets)) is not None:
        return len(sentences)
    low, high = 1, len(sentences) - 1  # at least one; the answer is at most high
    while low < high:
        middle = (low + high + 1) // 2
        fitting = fits(Text(box, tuple(sentences[:middle]), role, bullets=bullets), MIN_PT)
        low, high = (middle, high) if fitting else (low, middle - 1)
    return low


def bullet(text: Text, line: str) -> str:
    return ("• " if text.bullets else "") + line
