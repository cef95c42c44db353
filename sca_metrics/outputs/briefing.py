"""The briefing pack: the key figures of one period as PowerPoint and PDF slides.

Each slide states its key numbers in sentences built from the same scores as its figure
("Y tế đạt 64,7 điểm, mức 4 — Quản lý"), so a leader can read the pack without the charts
and an analyst can check every number. Pure: data in, bytes out (figures are rendered by
sca_metrics.outputs.render in one shared browser). What every document shares lives in
sca_metrics.outputs.documents; the slide layout and the two writers in sca_metrics.outputs.pack.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sca_metrics.outputs import render
from sca_metrics.outputs.documents.context import Context, Progress
from sca_metrics.outputs.documents.parts import Slide, slides
from sca_metrics.outputs.pack.layout import SLIDE_PX, figure_height, paginate, slide_figure_px
from sca_metrics.outputs.pack.pdf import PdfImages, pdf_bytes
from sca_metrics.outputs.pack.powerpoint import pptx_bytes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pack:
    slides: list[Slide]
    images: dict[str, bytes]  # slide key → PNG
    pptx: bytes
    pdf: bytes

    @property
    def n_figures(self) -> int:
        return len(self.images)


def deck(ctx: Context) -> list[Slide]:
    """The pack's parts, their figures laid out SLIDE_PX wide in the shape of a slide's figure
    box (their type reads at 14 pt or more), before pagination."""
    return slides(ctx, SLIDE_PX, slide_figure_px())


def pack_slides(ctx: Context) -> list[Slide]:
    """The pack's slides as both files and the exports page show them: `deck`, paginated."""
    return paginate(deck(ctx), ctx.lang)


def build(ctx: Context, deck: list[Slide] | None = None, progress: Progress | None = None) -> Pack:
    """Render every figure once (one browser), then write the PowerPoint and the PDF from the
    same images. `deck`: the slides of `ctx` when the caller already has them. `progress(key,
    **values)` is told each step (briefing.step_*), for a page's status or a command's output."""
    say = progress or (lambda key, **values: None)
    started = time.perf_counter()
    say("briefing.step_slides")
    deck = paginate(deck, ctx.lang) if deck is not None else pack_slides(ctx)
    with_fig = [s for s in deck if s.has_figure]
    total = len(with_fig)
    say("briefing.step_figures", done=0, total=total)
    prepared = PdfImages()
    try:
        # each figure drawn and sent to the browser in turn: the next is drawn while it renders;
        # each image made ready for the PDF as it comes back
        pngs = render.render_many((render.Job(s.figure, "png", figure_height(s)) for s in with_fig),
                                  done=lambda k: say("briefing.step_figures", done=k, total=total),
                                  ready=lambda k, png: prepared.add(png))
        images = {s.key: png for s, png in zip(with_fig, pngs, strict=True)}
        say("briefing.step_pptx")
        pptx = pptx_bytes(deck, images, ctx)
        say("briefing.step_pdf")
        pack = Pack(deck, images, pptx, pdf_bytes(deck, images, ctx, prepared))
    finally:
        prepared.close()
    log.info("briefing pack %s: %d slides, %d figures in %.2f s", file_stem(ctx), len(deck),
             len(with_fig), time.perf_counter() - started)
    return pack


def file_stem(ctx: Context) -> str:
    return stem(ctx.period, ctx.lang)


def stem(period: str, lang: str) -> str:
    """The pack's file name without its extension."""
    return f"dttm_briefing_{period}_{lang}"
