"""The dashboard in a real browser: pages render, the language switches, a heatmap click
drills down, uploads change the figures or list located errors, and downloads are real files.

The tests share one server and run in file order; the two uploads come after the read-only
checks and compare before/after, so they do not depend on the demo's exact numbers."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile

import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import Page, expect
from pptx import Presentation
from pypdf import PdfReader

from sca_metrics.method.scoring import score_periods
from sca_metrics.outputs import briefing
from sca_metrics.outputs.documents import sentences
from sca_metrics.outputs.documents.context import Context
from sca_metrics.reference import vocabulary
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.snapshot import observation_frame
from sca_metrics.store import queries, schema
from sca_metrics.store.database import Database
from tests.app.test_texts import MISSING_WORDS, key_pattern
from tests.e2e.conftest import IDLE, open_page, screenshot, serve
from tests.helpers import fill, template, to_bytes

PAGES = ("", "domain", "pilot", "whatif", "submissions", "roadmap", "upload", "exports", "method")
VISIBLE_CHARTS = "[data-testid=stPlotlyChart]:visible"  # a chart drawn for phones is hidden on a desktop


def no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def overall(page: Page) -> str:
    return page.get_by_test_id("stMetricValue").first.inner_text()


def test_every_page_opens_without_error_and_is_captured(page, app_url):
    """Each page, as the browser draws it: no error, no text that looks like a translation key,
    and no table cell reading None, nan or NaT."""
    for lang in ("vi", "en"):
        for name in PAGES:
            open_page(page, f"{app_url}/{name}?lang={lang}")
            expect(page.locator("h1").first).to_be_visible()
            no_exception(page)
            keys = key_pattern().findall(page.locator("[data-testid=stMain]").inner_text())
            assert not keys, (name, lang, keys)
            cells = page.locator("[data-testid=stDataFrame] [role=gridcell]").all_text_contents()
            assert not [c for c in cells if MISSING_WORDS.search(c)], (name, lang)
            if lang == "vi":
                screenshot(page, f"page_{name or 'overview'}_vi")


def test_a_deep_link_as_the_first_request_after_a_start_runs_through_the_app(page, demo_data, tmp_path):
    """The page files live in views/, not pages/: with a pages/ folder beside app.py,
    Streamlit would run /domain alone (no language picker, no menu) until app.py had run once."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_data[0], db)
    with serve(db, tmp_path / "streamlit.log") as url:
        open_page(page, f"{url}/domain?lang=en")
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_text("English", exact=True)).to_be_visible()  # app.py's picker
        expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Overview")
        expect(page.locator("h1").first).not_to_have_text("")
        no_exception(page)


def test_overview_shows_the_scores_heatmap_and_demo_notice(page, app_url):
    open_page(page, app_url)
    expect(page.locator("h1").first).to_have_text("Tổng quan mức độ sẵn sàng")
    expect(page.get_by_text("Dữ liệu minh hoạ — không phải số liệu chính thức", exact=False)).to_be_visible()
    expect(page.locator(VISIBLE_CHARTS)).to_have_count(3)  # the phone drawings are hidden here
    assert re.fullmatch(r"\d{1,3},\d", overall(page))  # Vietnamese decimal comma
    expect(page.get_by_test_id("stPlotlyChart").first).to_contain_text("Chính quyền điện tử")


def test_language_switches_to_english_and_back(page, app_url):
    open_page(page, app_url)
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(page.locator("h1").first).to_have_text("Readiness overview")
    expect(page).to_have_url(re.compile(r"lang=en"))
    assert re.fullmatch(r"\d{1,3}\.\d", overall(page))  # English decimal point
    screenshot(page, "page_overview_en")
    page.get_by_test_id("stSidebar").get_by_text("Tiếng Việt", exact=True).click()
    expect(page.locator("h1").first).to_have_text("Tổng quan mức độ sẵn sàng")
    expect(page).to_have_url(re.compile(r"lang=vi"))


def stable_box(page: Page, element) -> dict:
    """The element's box once the page has stopped moving it (charts resize as the page fills):
    two reads in a row that agree, polled on animation frames."""
    previous = None
    for _ in range(50):
        box = element.bounding_box()
        if box is not None and box == previous:
            return box
        previous = box
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    raise AssertionError("the chart kept moving")


def test_clicking_a_heatmap_cell_opens_that_domain_and_driver(page, app_url):
    open_page(page, f"{app_url}/?period=2024")
    heatmap = page.get_by_test_id("stPlotlyChart").first
    plot = heatmap.locator(".nsewdrag").first
    expect(plot).to_be_visible(timeout=30_000)  # plotly draws after the page is idle
    page.wait_for_selector(IDLE)
    plot.scroll_into_view_if_needed()
    box = stable_box(page, plot)
    row = list(vocabulary.SMART_DOMAIN_CODES).index("health")  # rows top to bottom, 3 driver columns
    col = list(vocabulary.DRIVER_CODES).index("policy")
    n_rows = len(vocabulary.SMART_DOMAIN_CODES)
    page.mouse.click(box["x"] + box["width"] * (col + 0.5) / 3,
                     box["y"] + box["height"] * (row + 0.5) / n_rows)
    expect(page).to_have_url(re.compile(r"/domain\?.*domain=health"))
    expect(page).to_have_url(re.compile(r"driver=policy"))
    expect(page.locator("h1").first).to_have_text("Chi tiết lĩnh vực")
    page.wait_for_selector(IDLE)
    expect(page.get_by_test_id("stPlotlyChart").first).to_contain_text("Y tế")
    no_exception(page)
    screenshot(page, "drill_health_policy")


def test_a_figure_downloads_as_a_print_size_png(page, app_url):
    open_page(page, app_url)
    page.get_by_test_id("stPopover").first.click()
    button = page.get_by_test_id("stPopoverBody").get_by_role("button", name="PNG")
    with page.expect_download(timeout=120_000) as download:
        button.click()
    image = Image.open(download.value.path())
    assert image.format == "PNG" and image.width >= 2400
    assert download.value.suggested_filename == "dttm_diem-theo-linh-vuc-va-dong-luc_2026_vi.png"


def test_the_pilot_wards_switch_between_unit_systems(page, app_url):
    open_page(page, f"{app_url}/pilot?period=2024")
    expect(page.locator("h1").first).to_have_text("Thí điểm Vũng Tàu")
    expect(page.get_by_test_id("stMetric")).to_have_count(7)
    expect(page.locator(VISIBLE_CHARTS)).to_have_count(1)  # only the open tab runs
    chart = page.locator(VISIBLE_CHARTS)
    page.get_by_role("tab", name="Theo phường, xã").click()
    page.wait_for_selector(IDLE)
    expect(page).to_have_url(re.compile(r"tab=wards"))  # the open tab is in a link, the same in any language
    expect(chart.filter(has_text="so sánh phường, xã mới")).to_have_count(1)
    page.get_by_text("phường, xã cũ (đến 30/6/2025)").click()
    page.wait_for_selector(IDLE)
    expect(chart.filter(has_text="so sánh phường, xã cũ")).to_have_count(1)
    expect(chart.filter(has_text="Phường Thắng Nhất")).not_to_have_count(0)
    screenshot(page, "pilot_former_wards_2024")
    choose(page, 0, "2026")
    expect(page.get_by_test_id("stAlert").filter(
        has_text="không thể chia ngược về phường, xã cũ")).to_have_count(1)
    # switching the language keeps the open tab
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(page.locator("h1").first).to_have_text("Vũng Tàu pilot")
    expect(page.get_by_role("tab", name="By ward")).to_have_attribute("aria-selected", "true")
    expect(page.locator(VISIBLE_CHARTS)).to_have_count(1)  # the ward series, in English
    no_exception(page)


def read(db, fn):
    """fn(con) on the server's database, waiting while the server holds it (it lets go of
    the file when idle)."""
    with Database(db, read_only=True, wait=30) as handle, handle.cursor() as con:
        return fn(con)


def expected_sentence(app_db, period: str, domain: str) -> str:
    by_period = score_periods(default_catalog(), read(app_db, observation_frame))
    row = next(r for r in by_period[period].domains.itertuples() if r.domain == domain)
    return sentences.domain_sentence(row, "vi")


def test_the_briefing_pack_downloads_as_pptx_pdf_and_zip(page, app_url, app_db):
    open_page(page, f"{app_url}/exports")
    expect(page.locator("h1").first).to_have_text("Bộ báo cáo và xuất dữ liệu")
    page.get_by_role("button", name="Tạo bộ báo cáo").click()  # built on the click, its steps shown
    expect(page.get_by_test_id("stExpander").filter(has_text="Bộ báo cáo kỳ 2026 đã sẵn sàng")).to_be_visible(
        timeout=180_000)
    with page.expect_download(timeout=180_000) as pptx:
        page.get_by_role("button", name="Chỉ PowerPoint (.pptx)").click()
    deck = Presentation(pptx.value.path())
    same_pack_as_the_command_line(deck, app_db)
    with page.expect_download(timeout=180_000) as pdf:
        page.get_by_role("button", name="Chỉ PDF").click()
    reader = PdfReader(pdf.value.path())
    assert len(reader.pages) == len(deck.slides)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    sentence = expected_sentence(app_db, "2026", "health")
    assert sentence.startswith("Y tế đạt ") and sentence in text
    with page.expect_download(timeout=180_000) as bundle:
        page.get_by_role("button", name="Tải bộ báo cáo (PowerPoint + PDF, .zip)").click()
    names = zipfile.ZipFile(bundle.value.path()).namelist()
    assert names == ["dttm_briefing_2026_vi.pptx", "dttm_briefing_2026_vi.pdf"]


def test_whatif_reset_puts_every_control_back(page, app_url):
    """Reset removed the controls' keys; the browser sent the sliders' state back, so the ones
    moved stayed where they were. Three sliders moved, then reset: all at 1,0 again."""
    open_page(page, f"{app_url}/whatif")
    sliders = page.locator("[data-testid=stSlider] input[type=range]")
    moved = ("Công nghệ", "Y tế", "An ninh an toàn")
    for label in moved:
        page.locator(f"input[type=range][aria-label='{label}']").focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_selector(IDLE)
        expect(page.locator(f"input[type=range][aria-label='{label}']")).to_have_attribute(
            "aria-valuetext", "1,3")
    page.get_by_role("button", name="Khôi phục phương án mặc định").click()
    page.wait_for_selector(IDLE)
    for label in moved:
        expect(page.locator(f"input[type=range][aria-label='{label}']")).to_have_attribute(
            "aria-valuetext", "1,0")
    weights = [sliders.nth(k).get_attribute("aria-valuetext") for k in range(sliders.count())
               if sliders.nth(k).get_attribute("aria-label") not in ("Độ bao phủ tối thiểu",)]
    assert len(weights) == 11 and set(weights) == {"1,0"}
    expect(page.get_by_text("Đang dùng phương án mặc định.")).to_be_visible()


@pytest.mark.parametrize(("lang", "title", "flag", "floor", "cap"), [
    ("vi", "Lộ trình", "Bắt đầu trước khi phần nền tảng được hoàn thành (1)",
     "lớp nền tảng thấp nhất kỳ này là Hạ tầng (mức 4)", "Giới hạn mức của lĩnh vực theo nền tảng"),
    ("en", "Roadmap", "Starts before the foundations it rests on are done (1)",
     "the lowest foundations layer this period is Infrastructure (level 4)",
     "Cap domain levels by the foundations")])
def test_the_roadmap_shows_the_timeline_flags_and_comments(page, app_url, lang, title, flag, floor, cap):
    open_page(page, f"{app_url}/roadmap?lang={lang}")
    expect(page.locator("h1").first).to_have_text(title)
    chart = page.locator(VISIBLE_CHARTS).first
    expect(chart).to_contain_text("SGTVT-01")
    expect(chart).to_contain_text("STTTT-01")
    expect(page.get_by_text(flag)).to_be_visible()
    no_exception(page)
    screenshot(page, f"roadmap_{lang}")
    # a bar clicked: its task in detail right under the timeline, brought into view (it appeared
    # about 1,500 px lower, off the screen)
    page.set_viewport_size({"width": 1440, "height": 900})
    chart.scroll_into_view_if_needed()
    boxes = [b.bounding_box() for b in chart.locator(".barlayer .point path").all()]
    top = min((b for b in boxes if b), key=lambda b: b["y"])  # the first task: the architecture framework
    page.mouse.click(top["x"] + top["width"] / 2, top["y"] + top["height"] / 2)
    page.wait_for_selector(IDLE)
    detail = page.locator(".st-key-roadmap_task_detail")
    expect(detail.locator("input")).to_have_value(re.compile(r"^STTTT-01 · "))
    expect(detail.get_by_test_id("stDataFrame")).to_be_in_viewport()
    page.set_viewport_size({"width": 1400, "height": 1800})
    # foundations first: the lowest layer named, and the cap's switch turns on
    expect(page.get_by_text(floor)).to_be_visible()
    switch = page.get_by_role("switch", name=cap)
    page.get_by_text(cap, exact=True).click()
    page.wait_for_selector(IDLE)
    expect(switch).to_be_checked()
    no_exception(page)


def _pick(page: Page, picker, typed: str, option: re.Pattern) -> None:
    """Type into a select box and choose the option: again when a rerun of the page closed the
    list before the option showed (in CI runs the list sometimes closed under the typing)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(3):
        picker.fill(typed)
        try:
            page.get_by_role("option", name=option).click(timeout=15_000)
            page.wait_for_selector(IDLE)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            page.wait_for_selector(IDLE)
    raise AssertionError(f"no option {option.pattern} after typing {typed!r} three times")


def test_a_response_is_recorded_as_chosen_after_a_refused_save(page, app_url, app_db):
    """An administrator chose «Giải trình» and saved without text: refused, and the form went
    back to «Tiếp thu»; the explanation typed next was stored as accepted. The refused form now
    keeps the choice, the comment's current response is preselected, and the message says what
    was recorded."""
    open_page(page, f"{app_url}/roadmap")
    expect(page.locator(VISIBLE_CHARTS).first.locator(".main-svg").first).to_be_visible()  # laid out
    form = page.locator(".st-key-roadmap_respond")
    picker = form.get_by_role("combobox")
    picker.scroll_into_view_if_needed()
    page.wait_for_selector(IDLE)
    _pick(page, picker, "SGDDT", re.compile(r"^SGDDT "))  # typed, as an officer narrows the list
    expect(form.get_by_role("radio", name="Tiếp thu")).to_be_checked()  # its response, preselected
    expect(form.get_by_test_id("stCaptionContainer").first).to_contain_text("Hiện ghi nhận: Tiếp thu")
    form.get_by_text("Giải trình", exact=True).click()
    page.wait_for_selector(IDLE)
    form.get_by_role("button", name="Lưu").click()
    page.wait_for_selector(IDLE)
    expect(form.get_by_test_id("stAlertContentError")).to_contain_text("Nhập nội dung giải trình")
    expect(form.get_by_role("radio", name="Giải trình")).to_be_checked()  # the choice kept
    form.locator("textarea").fill("Đã có trong Đề án ngành giáo dục")
    form.locator("textarea").blur()
    page.wait_for_selector(IDLE)
    form.get_by_role("button", name="Lưu").click()
    page.wait_for_selector(IDLE)
    expect(form.get_by_test_id("stAlertContentSuccess")).to_contain_text("Đã ghi nhận «Giải trình»")
    screenshot(page, "roadmap_response_saved")
    stored = read(app_db, lambda con: queries.roadmap_comments(con, "2026")).set_index("department")
    assert stored.loc["SGDDT", "response"] == "explained"
    assert stored.loc["SGDDT", "explanation"] == "Đã có trong Đề án ngành giáo dục"
    expect(form.get_by_role("radio", name="Giải trình")).to_be_checked()
    recorded = form.get_by_test_id("stCaptionContainer").first
    expect(recorded).to_contain_text("Hiện ghi nhận: Giải trình (local, ")


def test_the_official_report_downloads_as_word(page, app_url):
    from docx import Document

    open_page(page, f"{app_url}/exports")
    with page.expect_download(timeout=180_000) as docx:
        page.get_by_role("button", name="Tải báo cáo (.docx)").click()
    assert docx.value.suggested_filename == "dttm_bao-cao_2026_vi.docx"
    text = [p.text for p in Document(docx.value.path()).paragraphs]
    assert "BÁO CÁO" in text and "Kết quả đánh giá mức độ sẵn sàng đô thị thông minh kỳ 2026" in text
    assert "I. KẾT QUẢ CHUNG" in text and "9. An ninh an toàn" in text


def same_pack_as_the_command_line(downloaded, db) -> None:
    """The pack the exports page made is the one `sca export` makes from the same database:
    the same slides with the same text, and the same figure images at the same pixel size
    (the page's used to cut every axis label: the server's plotly template differed)."""
    from PIL import ImageChops, ImageStat

    from sca_metrics import snapshot
    from sca_metrics.method import roadmap
    from sca_metrics.store import queries

    with Database(db, read_only=True) as store, store.cursor() as con:
        snap = snapshot.read(con)
        # the page passes the roadmap
        tasks = tuple(roadmap.tasks_from_frame(queries.roadmap_tasks(con, "2026")))
    made = Presentation(io.BytesIO(briefing.build(Context(
        snap.catalog, snap.by_period, snap.submissions, "2026", "vi", snap.is_demo, tasks=tasks)).pptx))

    def texts(deck) -> list[str]:
        return [" ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
                .split(" · trang")[0] for slide in deck.slides]

    def pictures(deck) -> list[Image.Image]:
        return [Image.open(io.BytesIO(sh.image.blob)).convert("RGB") for slide in deck.slides
                for sh in slide.shapes if sh.shape_type == 13]

    assert texts(downloaded) == texts(made)
    ours, theirs = pictures(downloaded), pictures(made)
    assert len(ours) == len(theirs) > 0
    for a, b in zip(ours, theirs, strict=True):
        assert a.size == b.size
        assert max(ImageStat.Stat(ImageChops.difference(a, b)).mean) < 1.0


def choose(page: Page, index: int, option: str) -> None:
    page.get_by_test_id("stSelectbox").nth(index).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_selector(IDLE)


def upload(page: Page, app_url: str, name: str, data: bytes | None = None, fill_values=None) -> None:
    """On the upload page, SYT's 2024 return: `data`, or the template downloaded there with
    `fill_values` written in (as an officer does)."""
    open_page(page, f"{app_url}/upload")
    choose(page, 0, "SYT — Sở Y tế")
    choose(page, 1, "2024")
    if data is None:
        with page.expect_download() as got:
            page.get_by_role("button", name="Tải mẫu phiếu (.xlsx)").click()
        assert got.value.suggested_filename == "DTTM_SYT_2024.xlsx"
        data = to_bytes(fill(load_workbook(io.BytesIO(got.value.path().read_bytes())), fill_values or {}))
    page.locator('input[type="file"]').set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": data})


def test_a_valid_upload_changes_the_overview(page, app_url):
    catalog = default_catalog()
    open_page(page, f"{app_url}/?period=2024")
    before = overall(page)
    best = {i.code: i.best for i in catalog.for_department("SYT") if i.kind in ("number", "percent")}
    upload(page, app_url, "DTTM_SYT_2024.xlsx", fill_values=best)
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_contain_text("Tệp hợp lệ")
    # the downloaded template carried SYT's tasks: the plan stays as it is
    expect(page.get_by_text("Nhiệm vụ — mới: 0 · thay đổi: 0 · bị bỏ: 0 · không đổi: 3")).to_be_visible()
    screenshot(page, "upload_preview")
    page.get_by_role("button", name="Xác nhận và lưu báo cáo").click()
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_contain_text("phiên bản 3")
    open_page(page, f"{app_url}/?period=2024")
    expect(page.get_by_test_id("stMetricValue").first).not_to_have_text(before)
    after = float(overall(page).replace(",", "."))
    assert after > float(before.replace(",", "."))


def test_an_invalid_upload_lists_located_errors_and_stores_nothing(page, app_url, app_db):
    catalog = default_catalog()
    counts = read(app_db, schema.table_counts)
    bad = to_bytes(fill(template(catalog, "SYT", "2024"), {"HLT.T1": 150, "HLT.P1": "nhiều"}))
    upload(page, app_url, "sai.xlsx", bad)
    alert = page.get_by_test_id("stAlertContentError").first
    expect(alert).to_contain_text("Tệp «sai.xlsx» chưa được nhận: có 2 lỗi")
    screenshot(page, "upload_errors")
    expect(page.get_by_role("button", name="Xác nhận và lưu báo cáo")).to_have_count(0)
    with page.expect_download() as problems:
        page.get_by_role("button", name="Tải CSV").first.click()
    rows = list(csv.DictReader(io.StringIO(open(problems.value.path(), encoding="utf-8-sig").read())))
    assert len(rows) >= 2 and all(re.fullmatch(r"Chỉ số!G\d+", r["Vị trí"]) for r in rows[:2])
    assert read(app_db, schema.table_counts) == counts


def test_a_file_name_is_shown_as_typed_and_fetches_nothing(page, app_url):
    """A name that would be an image in Markdown: the browser shows its text and never asks
    for the image (a tracking pixel would tell a stranger who opened the page)."""
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    name = "![x](probe-image.png) **đậm** <b>x</b>.xlsx"
    upload(page, app_url, name, b"not a workbook")
    alert = page.get_by_test_id("stAlertContentError").first
    expect(alert).to_contain_text(f"Tệp «{name}» chưa được nhận")
    expect(alert.locator("img, strong, b")).to_have_count(0)
    screenshot(page, "upload_hostile_name")
    assert not [u for u in asked if "probe-image" in u]


def test_the_file_uploader_speaks_the_pages_language(page, app_url):
    """Streamlit draws "Upload" and "20MB per file • XLSX" in English whatever the page's
    language; the translated texts take their place (widgets.file_uploader)."""
    for lang, button, limit in (("vi", "Tải tệp lên", "Tối đa"), ("en", "Upload", "Up to")):
        open_page(page, f"{app_url}/upload?lang={lang}")
        zone = page.get_by_test_id("stFileUploaderDropzone").first
        expect(zone).to_be_visible()
        # the page's style may come a moment after the widget (beside another worker, it did)
        page.wait_for_function("""() => {
            const p = document.querySelector(
                '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p');
            return p && getComputedStyle(p, '::after').content !== 'none';
        }""", timeout=20_000)
        shown = zone.evaluate("""z => {
            const p = z.querySelector('button [data-testid="stMarkdownContainer"] p');
            const s = z.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span');
            const after = e => getComputedStyle(e, '::after').content;
            return {button: after(p), buttonSize: getComputedStyle(p).fontSize,
                    limit: after(s), limitSize: getComputedStyle(s).fontSize};
        }""")
        assert shown["button"] == f'"{button}"' and shown["buttonSize"] == "0px"
        assert shown["limit"].startswith(f'"{limit} ') and "XLSX" in shown["limit"]
        assert shown["limitSize"] == "0px"
        if lang == "vi":
            screenshot(page, "upload_uploader_vi")


def test_no_page_asks_any_other_host_for_anything(page, app_url):
    """The favicon used to come from an external font host: on an offline government network
    there was none. Every request of every page, in both languages, goes to the app itself."""
    from urllib.parse import urlsplit

    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    for lang in ("vi", "en"):
        for name in PAGES:
            open_page(page, f"{app_url}/{name}?lang={lang}")
    assert hosts == {urlsplit(app_url).netloc}


def apart(a: dict, b: dict) -> bool:
    """Two boxes that do not overlap (touching is fine)."""
    return (a["x"] + a["width"] <= b["x"] + 1 or b["x"] + b["width"] <= a["x"] + 1
            or a["y"] + a["height"] <= b["y"] + 1 or b["y"] + b["height"] <= a["y"] + 1)


# Every text of a chart with its box and what it is (title, tick, legend…), the plot areas, and
# the chart's own box, as the browser drew them.
CHART_GEOMETRY = """chart => {
  const box = b => {
    const r = b.getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height};
  };
  const kinds = [['.gtitle', 'title'], ['.xtick', 'xtick'], ['.ytick', 'ytick'], ['.legend', 'legend'],
                 ['.g-xtitle', 'xtitle'], ['.g-ytitle', 'ytitle'], ['.annotation', 'annotation']];
  const texts = [];
  chart.querySelectorAll('svg.main-svg text').forEach(e => {
    const b = box(e);
    if (!b.width || !e.textContent.trim()) return;
    const kind = (kinds.find(([sel]) => e.closest(sel)) || [null, 'other'])[1];
    texts.push({kind, text: e.textContent, ...b});
  });
  const plots = [...chart.querySelectorAll('.nsewdrag, .polar path.maindrag')].map(box).filter(b => b.width);
  return {chart: box(chart), plots, texts};
}"""
PHONE_PAGES = ("", "domain", "pilot?tab=series", "pilot?tab=progress", "pilot?tab=wards", "whatif",
               "submissions", "roadmap")


def inside(a: dict, b: dict) -> bool:
    """Box a within box b (a pixel's tolerance)."""
    return (a["x"] >= b["x"] - 1 and a["y"] >= b["y"] - 1 and a["x"] + a["width"] <= b["x"] + b["width"] + 1
            and a["y"] + a["height"] <= b["y"] + b["height"] + 1)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_on_a_phone_every_chart_is_readable(page, app_url, lang):
    """At 390 × 844: the overview heatmap once shrank to about 40 px and the pilot's small multiples
    overlapped; the submissions heatmap kept about 50 px beside the departments' names; titles
    ran off the domain and pilot charts, the radar's was clipped and the roadmap's sat on its
    year axis; the pilot's legend lay over its first panel's title. On every page (each pilot
    tab), every visible chart keeps at least 250 px of plot width with its panels apart, every text
    it draws is inside it, its title is over no axis, tick, legend or plot, its legend over no
    other text, and nothing scrolls sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        for name in PHONE_PAGES:
            sep = "&" if "?" in name else "?"
            open_page(page, f"{app_url}/{name}{sep}lang={lang}")
            charts = page.locator(VISIBLE_CHARTS)
            expect(charts.first.locator(".main-svg").first).to_be_visible(timeout=30_000)
            for chart in charts.all():
                chart.scroll_into_view_if_needed()
                drawn = chart.evaluate(CHART_GEOMETRY)
                plots, texts = drawn["plots"], drawn["texts"]
                title = " ".join(t["text"] for t in texts if t["kind"] == "title")
                assert plots and min(b["width"] for b in plots) >= 250, (name, title, plots)
                for i, a in enumerate(plots):
                    for b in plots[i + 1:]:
                        assert apart(a, b), (name, title, a, b)
                cut = [t["text"] for t in texts if not inside(t, drawn["chart"])]
                assert not cut, (name, title, cut)
                for head in (t for t in texts if t["kind"] == "title"):
                    over = [t["text"] for t in texts if t["kind"] not in ("title", "other", "annotation")
                            and not apart(head, t)] + ["plot" for b in plots if not apart(head, b)]
                    assert not over, (name, title, over)
                for item in (t for t in texts if t["kind"] == "legend"):  # the legend over no other text
                    over = [t["text"] for t in texts
                            if t["kind"] not in ("legend", "other") and not apart(item, t)]
                    assert not over, (name, title, item["text"], over)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
            if lang == "vi" or name in ("", "pilot?tab=series"):
                charts.first.evaluate("""e => { e.scrollIntoView();  // then clear of the page's header
                    let p = e.parentElement;
                    while (p && p.scrollHeight <= p.clientHeight) p = p.parentElement;
                    if (p) p.scrollTop -= 70; }""")
                screenshot(page, f"phone_{name.replace('?tab=', '_') or 'overview'}_{lang}")
    finally:
        page.set_viewport_size({"width": 1400, "height": 1800})


def visible_headers(page: Page, table) -> list[str]:
    """The column headers a table draws in its visible width (the grid renders only those)."""
    table.scroll_into_view_if_needed()
    expect(table.locator("[role=columnheader]").first).to_be_attached()
    return [h.text_content() for h in table.locator("[role=columnheader]").all()]


@pytest.mark.parametrize(("path", "grid", "decisive"), [
    ("domain?period=2026&domain=egov", "Chỉ số",
     ["Mã", "Chỉ số", "Giá trị", "Điểm", "Mục tiêu 2030", "Khoảng cách", "Tiến độ đến mục tiêu (Open SDG)",
      "Chất lượng dữ liệu"]),
    ("submissions?period=2026", "Tình trạng",
     ["Đơn vị", "Tình trạng", "Mức đầy đủ", "Cảnh báo", "Thời điểm nạp"]),
    ("roadmap?period=2026", "Số nhiệm vụ",
     ["Lĩnh vực, lớp nền tảng", "Điểm", "Mức", "Khoảng cách", "Số nhiệm vụ", "Kinh phí 2026–2030"]),
])
def test_a_tables_decisive_columns_are_in_view_at_1440(page, app_url, path, grid, decisive):
    """At 1440 × 900 progress and data quality (domain), completeness and warnings (submissions)
    and the 2026–2030 budget (roadmap) were off-screen to the right."""
    page.set_viewport_size({"width": 1440, "height": 900})
    try:
        open_page(page, f"{app_url}/{path}")
        tables = page.get_by_test_id("stDataFrame")
        expect(tables.first).to_be_visible()
        table = next(t for t in tables.all() if grid in visible_headers(page, t))
        shown = visible_headers(page, table)
        assert all(name in shown for name in decisive), shown
    finally:
        page.set_viewport_size({"width": 1400, "height": 1800})
