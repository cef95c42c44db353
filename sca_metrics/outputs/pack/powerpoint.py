"""The pack as PowerPoint: every slide from the layout, its title in the title placeholder,
every run tagged with its language, the file's properties.
"""

from __future__ import annotations

import io

from sca_metrics.outputs.documents.context import Context
from sca_metrics.outputs.documents.fitting import LINE, PARA_PT
from sca_metrics.outputs.documents.parts import Slide
from sca_metrics.outputs.pack.layout import (
    TEXT_STYLES,
    TITLE_ROLES,
    H,
    Picture,
    Text,
    W,
    bullet,
    fitted,
    placements,
)
from sca_metrics.reference.bodies import LEAD, default_bodies
from sca_metrics.reference.i18n import t
from sca_metrics.reference.textnorm import strip


def pptx_bytes(deck: list[Slide], images: dict[str, bytes], ctx: Context) -> bytes:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(W), Inches(H)
    # "Title Only": each slide's title is its title placeholder (an outline, an accessibility
    # checker and a screen reader find it), placed and styled as the measured layout says
    titled = prs.slide_layouts[5]
    dark, grey = RGBColor(0x22, 0x22, 0x22), RGBColor(0x55, 0x55, 0x55)
    tag = LANGUAGE_TAGS.get(ctx.lang, ctx.lang)

    def draw_text(slide, text: Text) -> None:
        _, bold, is_grey = TEXT_STYLES[text.role]
        size = fitted(text)
        if text.role in TITLE_ROLES:
            shape = slide.shapes.title
            shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in text.box)
        else:
            shape = slide.shapes.add_textbox(*(Inches(v) for v in text.box))
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE  # set at the measured size, never grown or shrunk
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        for i, line in enumerate(text.lines):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.text = strip(bullet(text, line))  # the writer's own defence (docs/security.md)
            _tag_language(para, tag)
            para.space_after = Pt(PARA_PT)
            para.line_spacing = Pt(size * LINE)
            para.alignment = PP_ALIGN.LEFT  # (a title placeholder centres its text)
            para.font.size, para.font.bold, para.font.name = Pt(size), bold, "Noto Sans"
            para.font.color.rgb = grey if is_grey else dark

    for number, s in enumerate(deck, start=1):
        slide = prs.slides.add_slide(titled)
        for item in placements(s, number, len(deck), ctx, images):
            if isinstance(item, Picture):
                picture = slide.shapes.add_picture(io.BytesIO(item.png), *(Inches(v) for v in item.box))
                picture._element.nvPicPr.cNvPr.set("descr", item.alt)  # PowerPoint's alt text
            else:
                draw_text(slide, item)
        notes = slide.notes_slide.notes_text_frame
        notes.text = strip("\n".join(s.sentences))
        for para in notes.paragraphs:
            _tag_language(para, tag)
    _properties(prs, ctx, deck)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


LANGUAGE_TAGS = {"vi": "vi-VN", "en": "en-GB"}


def _tag_language(para, tag: str) -> None:
    """Every run says its language, so PowerPoint checks the spelling in Vietnamese (without a
    tag it marks every Vietnamese word as misspelt English)."""
    for run in para.runs:
        run.font._rPr.set("lang", tag)


def _properties(prs, ctx: Context, deck: list[Slide]) -> None:
    """The file says what it is: made now by the issuing body (the lead department on the day it
    is made), titled as its cover, in its language, a 16:9 show (python-pptx's template says
    2013, its author and 4:3)."""
    on = ctx.generated
    core = prs.core_properties
    core.author = core.last_modified_by = strip(default_bodies().holder(LEAD, on.date()).name(ctx.lang))
    core.created = core.modified = on.replace(tzinfo=None, microsecond=0)
    core.revision = 1
    core.title = strip(deck[0].title if deck else t("briefing.title", ctx.lang, area=""))
    core.subject = strip(ctx.source())
    core.language = LANGUAGE_TAGS.get(ctx.lang, ctx.lang)
    core.comments = ""
    for part in prs.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = part.blob.replace(b"On-screen Show (4:3)", b"On-screen Show (16:9)").replace(
                b"Microsoft Macintosh PowerPoint", b"sca_metrics")
