"""The briefing pack: sentences from the same numbers as the figures; PowerPoint and PDF files
that open, with the expected slides and the Vietnamese key sentences as real text."""

import io
from types import SimpleNamespace

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from sca_metrics import settings
from sca_metrics.outputs import briefing
from sca_metrics.reference import formatting, i18n, vocabulary


def context(demo_data, period="2025", lang="vi", demo=True):
    _, cat, by_period, subs = demo_data
    return briefing.Context(cat, by_period, subs, period, lang, demo)


def row(**kw):
    base = {"domain": "health", "score": 64.71, "level": 4, "reason": None, "gap_2025": 3.0,
            "target_score_2025": 67.7}
    return SimpleNamespace(**{**base, **kw})


def test_the_domain_sentence_reads_like_the_brief():
    assert briefing.domain_sentence(row(), "vi") == "Y tế đạt 64,7 điểm, mức 4 — Quản lý"
    assert briefing.domain_sentence(row(), "en") == "Health scores 64.7, level 4 — Managed"
    missing = row(score=np.nan, level=None, reason="insufficient_coverage")
    assert briefing.domain_sentence(missing, "vi") == (
        "Y tế: chưa có điểm (" + i18n.t("reason.insufficient_coverage", "vi") + ")")


def test_slides_cover_the_brief_in_order(demo_data):
    deck = briefing.slides(context(demo_data))
    keys = [s.key for s in deck]
    assert keys[:7] == ["title", "heatmap", "ranking", "radar", "gaps", "foundations", "submissions"]
    assert keys[7:9] == ["pilot", "pilot_series"]  # the demo has pilot values
    assert keys[9:17] == [f"domain_{d}" for d in vocabulary.SMART_DOMAIN_CODES]
    assert keys[-1] == "method"
    assert sum(s.figure is not None for s in deck) == 16
    assert all(s.sentences for s in deck)
    title = deck[0]
    assert "Dữ liệu minh hoạ" in " ".join(title.sentences)  # the demo notice
    assert title.sentences[0].startswith("Báo cáo nhanh kỳ 2025 · tạo ngày ")


def test_ranking_sentences_state_the_numbers_the_figure_plots(demo_data):
    ctx = context(demo_data)
    slide = next(s for s in briefing.slides(ctx) if s.key == "ranking")
    bars = slide.figure.data[0]
    plotted = {name: formatting.number(x, "vi", 1, fixed=True)
               for name, x in zip(bars.y, bars.x, strict=True)}
    assert len(slide.sentences) == 8
    for sentence in slide.sentences:
        name = sentence.split(" đạt ")[0]
        assert f" đạt {plotted[name]} điểm, mức " in sentence
    best = ctx.scores.domains[ctx.scores.domains.domain != vocabulary.FOUNDATIONS].sort_values(
        "score").iloc[-1]
    assert slide.sentences[0] == briefing.domain_sentence(best, "vi")


def test_gap_and_submission_sentences_follow_the_data(demo_data):
    ctx = context(demo_data, period="2025")
    deck = {s.key: s for s in briefing.slides(ctx)}
    domains = ctx.scores.domains.set_index("domain")
    worst = domains.drop(vocabulary.FOUNDATIONS).gap_2025.idxmax()
    name = vocabulary.term(vocabulary.DOMAINS, worst).name("vi")
    gap = formatting.number(domains.gap_2025[worst], "vi", 1, fixed=True)
    assert f"{name} còn thiếu {gap} điểm" in deck["gaps"].sentences[0]
    assert deck["submissions"].sentences[0] == "Kỳ 2025: 11/11 đơn vị đã nộp báo cáo."
    assert deck["submissions"].sentences[1] == "Tất cả các đơn vị đã nộp báo cáo."
    path, cat, by_period, subs = demo_data
    without_finance = subs[~((subs.department == "STC") & (subs.period.astype(str) == "2025"))]
    ctx = briefing.Context(cat, by_period, without_finance, "2025", "vi")
    slide = next(s for s in briefing.slides(ctx) if s.key == "submissions")
    assert slide.sentences[:2] == ("Kỳ 2025: 10/11 đơn vị đã nộp báo cáo.",
                                   f"Chưa nộp: {cat.department('STC').name('vi')}.")


def test_every_exported_figure_carries_unit_source_and_period(demo_data):
    for slide in briefing.slides(context(demo_data, lang="en")):
        if slide.figure is None:
            continue
        note = slide.figure.layout.annotations[-1].text
        assert "Source: Bà Rịa – Vũng Tàu Department of Information and Communications" in note
        assert "(illustrative data)" in note and "reporting period 20" in note
        assert slide.figure.layout.width == 1200 and slide.figure.layout.title.text


def fake_images(deck):
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1000), "#3b528b").save(buffer, "PNG")
    return {s.key: buffer.getvalue() for s in deck if s.figure is not None}


def test_pptx_and_pdf_open_with_every_slide_and_the_key_sentences(demo_data):
    ctx = context(demo_data)
    deck = briefing.slides(ctx)
    images = fake_images(deck)
    prs = Presentation(io.BytesIO(briefing.pptx_bytes(deck, images, ctx)))
    assert len(prs.slides) == len(deck)
    pictures = sum(1 for s in prs.slides for shape in s.shapes if shape.shape_type == 13)
    assert pictures == len(images)
    health = next(s for s in deck if s.key == "domain_health")
    slide_text = "\n".join(shape.text_frame.text for shape in prs.slides[deck.index(health)].shapes
                           if shape.has_text_frame)
    assert health.sentences[0] in slide_text

    reader = PdfReader(io.BytesIO(briefing.pdf_bytes(deck, images, ctx)))
    assert len(reader.pages) == len(deck)
    text = " ".join(reader.pages[deck.index(health)].extract_text().split())
    assert health.sentences[0] in text  # e.g. "Y tế đạt 51,1 điểm, mức 3 — Xác lập"
    fonts = {str(f) for p in reader.pages[:1] for f in p["/Resources"]["/Font"].values()}
    assert fonts  # fonts are embedded (Noto), not the PDF base fonts
    assert all("Helvetica" not in str(p["/Resources"]["/Font"]) for p in reader.pages)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_embedded_font_has_every_glyph_the_pack_uses(demo_data, lang):
    """A missing glyph prints as a blank box: every character of every slide is in Noto Sans."""
    cmap = set()
    for path in briefing.font_files().values():
        cmap |= set(TTFont(path).getBestCmap())
    for slide in briefing.slides(context(demo_data, lang=lang)):
        for text in (slide.title, *slide.sentences):
            missing = {ch for ch in text if ord(ch) not in cmap and not ch.isspace()}
            assert not missing, (slide.key, missing, text)


def test_without_the_fonts_the_pdf_says_what_to_install(demo_data, monkeypatch):
    monkeypatch.setattr(briefing, "FONT_DIRS", ("/nonexistent",))
    monkeypatch.delenv("SCA_FONT_DIR", raising=False)
    settings.reload()
    ctx = context(demo_data)
    deck = briefing.slides(ctx)
    with pytest.raises(briefing.render.ExportUnavailable, match="fonts-noto-core"):
        briefing.pdf_bytes(deck, fake_images(deck), ctx)


def test_pilot_slide_states_each_indicators_progress(demo_data):
    from sca_metrics.method import progress

    ctx = context(demo_data)
    slide = next(s for s in briefing.slides(ctx) if s.key == "pilot")
    codes = [i.code for i in ctx.catalog.indicators if i.pilot]
    prog = progress.progress_frame(ctx.catalog, progress.values_from_scores(ctx.by_period), "2025",
                                   codes).set_index("code")
    assert slide.sentences[0].startswith("Kỳ 2025, 7 chỉ tiêu thí điểm: ")
    for code, sentence in zip(codes, slide.sentences[1:], strict=True):
        ind = ctx.catalog.indicator(code)
        status = vocabulary.term(vocabulary.PROGRESS_STATUSES, prog.status[code]).name("vi").lower()
        assert sentence.startswith(ind.name("vi").split(" (")[0] + ": ")
        assert f" — {status}" in sentence and "mục tiêu 2025: " in sentence
    assert len(slide.figure.data[0].y) == 7
