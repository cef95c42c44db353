"""Server-side figure export in Debian's chromium: print-size PNG, SVG, PDF; one browser per
process; a clear refusal, never a hang or a download, when chromium is missing."""

import io

import plotly.graph_objects as go
import pytest
from PIL import Image

from sca_metrics import settings
from sca_metrics.outputs import figure_style, render
from sca_metrics.reference import i18n


@pytest.fixture(scope="module")
def figure():
    fig = go.Figure(go.Bar(x=["Y tế", "Giáo dục"], y=[64.7, 51.1]))
    fig.update_layout(title="Điểm — kỳ 2025", height=400)
    return figure_style.for_print(fig, "vi", "2025", "Sở TT&TT", i18n.t("figure.unit_score", "vi"))


@pytest.mark.browser
def test_png_is_print_size_and_svg_pdf_are_what_they_say(figure):
    png = render.render(figure, "png")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width >= 2400
    assert image.height == 2 * figure.layout.height
    svg = render.render(figure, "svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "Điểm — kỳ 2025" in svg
    assert "Nguồn: Sở TT&amp;TT — kỳ báo cáo 2025" in svg
    assert render.render(figure, "pdf").startswith(b"%PDF")


@pytest.mark.browser
def test_one_browser_serves_every_export(figure):
    render.render(figure, "png")
    first = render._browser
    pngs = render.render_many([render.Job(figure, "png"), render.Job(figure, "svg", 300)])
    assert render._browser is first and len(pngs) == 2
    assert pngs[1].startswith(b"<svg") or b"<svg" in pngs[1][:200]


@pytest.mark.browser
def test_a_tab_draws_many_figures_before_it_is_reloaded_and_each_as_a_fresh_browser_would(
        figure, monkeypatch):
    """kaleido reloaded its tab (plotly.js parsed again) after every figure; now after
    RELOAD_EVERY. A figure drawn after others is the same image as in a fresh browser."""
    other = go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2], mode="lines+markers"))
    other.update_layout(title="Khác", height=300, xaxis_range=[0, 4], yaxis_type="log")
    alone = render.render_once(figure, "png")
    monkeypatch.setattr(render, "RELOAD_EVERY", 3)
    render.shutdown()
    reloads = []
    kaleido = render._kaleido_class().__mro__[1]
    original = kaleido._return_kaleido_tab

    async def counted(self, tab):
        reloads.append(id(tab))
        await original(self, tab)

    monkeypatch.setattr(kaleido, "_return_kaleido_tab", counted)
    out = []
    for job in (figure, other, figure, other, figure, other, figure):  # one after another
        out += render.render_many([render.Job(job, "png")])
    assert out[0] == out[2] == out[4] == out[6] == alone and out[1] == out[3] == out[5]
    # two tabs, seven figures: reloaded after the third figure of each, never after the others
    assert 1 <= len(reloads) <= 2


@pytest.mark.browser
def test_progress_counts_the_images_back_up_to_all_of_them(figure):
    """Each image is handed over once as soon as it is back (the pack's PDF starts on it),
    before the count that includes it; the list comes back in the jobs' order."""
    told, handed = [], {}
    jobs = (render.Job(figure, "png", 300 + 20 * k) for k in range(4))  # drawn as they are sent
    out = render.render_many(jobs, done=lambda n: told.append((n, len(handed))),
                             ready=lambda k, data: handed.setdefault(k, data))
    counts = [n for n, _ in told]
    assert len(out) == 4 and counts == sorted(set(counts)) and counts[-1] == 4
    assert all(n == n_handed for n, n_handed in told)
    assert handed == dict(enumerate(out))
    assert [Image.open(io.BytesIO(png)).height for png in out] == [2 * (300 + 20 * k) for k in range(4)]


def test_an_unknown_format_is_refused(figure):
    with pytest.raises(ValueError, match="format"):
        render.render(figure, "bmp")


def test_without_chromium_export_is_off_and_says_so(figure, monkeypatch):
    render.shutdown()
    monkeypatch.setenv("SCA_CHROMIUM", "/nonexistent/chromium")
    settings.reload()
    assert not render.available()
    with pytest.raises(render.ExportUnavailable, match="no chromium"):
        render.render(figure, "png")
    with pytest.raises(render.ExportUnavailable):
        render.render_once(figure, "png")
