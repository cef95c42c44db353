"""The pack as PDF: the same layout drawn with fpdf2, Noto Sans embedded, images prepared
as they come back from the browser.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from sca_metrics.outputs.documents.context import Context
from sca_metrics.outputs.documents.fitting import LINE, PARA_PT, font_files
from sca_metrics.outputs.documents.parts import Slide
from sca_metrics.outputs.pack.layout import (
    PT_MM,
    TEXT_STYLES,
    H,
    Picture,
    Text,
    W,
    bullet,
    fitted,
    placements,
)


class PdfImages:
    """The pack's PNGs made ready for the PDF on two threads, each as soon as it is added — while
    the browser still renders the next figures and the PowerPoint is written.

    fpdf2 cannot embed a PNG as it is (a PDF has no samples with an alpha channel, and kaleido's
    PNGs carry one): in pdf.image it decodes each one and compresses its pixels again with zlib,
    one at a time on the calling thread (3 s of a pack's 17). Here Pillow decodes, the alpha
    channel (opaque: the figures are white) is dropped, and zlib-ng compresses the same rows at
    the same level about four times faster (the PDF 4 % larger); both let go of the GIL. The
    entries go into fpdf2's image cache, where pdf.image finds them: the pages are the same."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(2, thread_name_prefix="pdf-images")
        self._made: dict[str, Future] = {}

    def add(self, png: bytes) -> None:
        name = _image_name(png)
        if name not in self._made:
            self._made[name] = self._pool.submit(pdf_image, png)

    def load(self, pdf, pngs: Iterable[bytes]) -> None:
        """Into the document's image cache, in the order its pages use them (as pdf.image would
        put them there, so the objects are numbered alike)."""
        cache = pdf.image_cache
        try:
            for png in pngs:
                self.add(png)
                name = _image_name(png)
                info = self._made[name].result()
                if info is None or name in cache.images:  # not one of ours (fpdf2 reads it
                    continue                                # itself), or a picture used again
                info["i"], info["usages"], info["iccp_i"] = len(cache.images) + 1, 0, None
                cache.images[name] = info
        finally:
            self.close()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


def _image_name(png: bytes) -> str:
    """The name fpdf2 gives an image passed as bytes (its cache key)."""
    return hashlib.md5(png.strip(), usedforsecurity=False).hexdigest()


def pdf_image(png: bytes):
    """fpdf2's entry for a PNG of opaque 8-bit RGB(A) pixels without a colour profile: its rows,
    each after a 0 (no PNG filter: the PDF's predictor reads them so, as fpdf2 writes them),
    compressed at fpdf2's level; None for any other image, which fpdf2 then reads itself."""
    from fpdf.image_datastructures import RasterImageInfo
    from fpdf.image_parsing import SETTINGS
    from PIL import Image
    from zlib_ng import zlib_ng

    with Image.open(io.BytesIO(png)) as img:
        if img.format != "PNG" or img.mode not in ("RGB", "RGBA") or img.info.get("icc_profile"):
            return None
        img.load()
        if img.mode == "RGBA" and img.getchannel("A").getextrema() != (255, 255):
            return None  # transparent somewhere: fpdf2 writes its soft mask
        pixels = img.convert("RGB").tobytes()
        width, height = img.size
    rows = np.zeros((height, 1 + 3 * width), np.uint8)
    rows[:, 1:] = np.frombuffer(pixels, np.uint8).reshape(height, -1)
    return RasterImageInfo(
        data=zlib_ng.compress(rows, SETTINGS.compression_level), w=width, h=height,
        cs="DeviceRGB", iccp=None, bpc=8, dpn=3, f="FlateDecode", inverted=False,
        dp=f"/Predictor 15 /Colors 3 /Columns {width}")


def pdf_bytes(deck: list[Slide], images: dict[str, bytes], ctx: Context,
              prepared: PdfImages | None = None) -> bytes:
    """`prepared`: the images already being made ready (build adds each as it comes back)."""
    from fpdf import FPDF

    mm = 25.4  # the slide geometry in inches → mm, so both files look alike
    pdf = FPDF(orientation="L", unit="mm", format=(H * mm, W * mm))
    pdf.c_margin = 0  # no cell padding: the text set as _Measure measured it
    pdf.set_auto_page_break(False)
    for style, path in font_files().items():
        pdf.add_font("Noto", style, str(path))
    pdf.set_title(deck[0].title)
    pdf.set_creator("sca_metrics")
    pdf.set_lang(ctx.lang)
    (prepared or PdfImages()).load(pdf, [images[s.key] for s in deck if s.key in images])

    def draw_text(text: Text) -> None:
        _, bold, is_grey = TEXT_STYLES[text.role]
        size = fitted(text)
        left, top, width, _height = (v * mm for v in text.box)
        pdf.set_font("Noto", "B" if bold else "", size)
        pdf.set_text_color(*((85, 85, 85) if is_grey else (34, 34, 34)))
        pdf.set_xy(left, top)
        for line in text.lines:
            pdf.set_x(left)
            pdf.multi_cell(width, size * LINE * PT_MM, bullet(text, line), align="L",
                           new_x="LMARGIN", new_y="NEXT")
            pdf.ln(PARA_PT * PT_MM)

    for number, s in enumerate(deck, start=1):
        pdf.add_page()
        for item in placements(s, number, len(deck), ctx, images):
            if isinstance(item, Picture):
                x, y, w, h = (v * mm for v in item.box)
                pdf.image(io.BytesIO(item.png), x=x, y=y, w=w, h=h, alt_text=item.alt)
            else:
                draw_text(item)
    return bytes(pdf.output())
