"""The user guide's screenshots, made from the running code by the browser: every page as a
reader first sees it on a desktop (1440×900) and the overview on a phone (390×844), in
Vietnamese and English, and the upload page with a checked return's preview. They go to
docs/guide/screens/ (git-ignored); `scripts/docs.sh` makes them, then builds the site."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import Page, expect

from sca_metrics.reference import i18n
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.settings import ROOT
from tests.e2e.conftest import IDLE, open_page
from tests.helpers import fill, to_bytes

GUIDE = ROOT / "docs" / "guide" / "screens"  # git-ignored: made again from the code each run
DESKTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
# (the file's name, the page's address, the key of its title)
CHARTS = ("overview", "domain")  # pages whose first chart is below the first screen: shown too
PAGES = (("overview", "", "overview.title"), ("domain", "domain?domain=health", "domain.title"),
         ("pilot", "pilot", "pilot.title"), ("whatif", "whatif", "whatif.title"),
         ("submissions", "submissions", "submissions.title"), ("roadmap", "roadmap", "roadmap.title"),
         ("upload", "upload", "upload.title"), ("exports", "exports", "export.title"),
         ("method", "method", "method.title"))


def _page(browser, viewport: dict, lang: str) -> Page:
    context = browser.new_context(viewport=viewport, accept_downloads=True,
                                  locale="vi-VN" if lang == "vi" else "en-GB")
    context.set_default_timeout(60_000)
    return context.new_page()


def _shot(page: Page, name: str, viewport: dict) -> None:
    """The screen as the reader sees it (not the whole scrolled page), checked for its size."""
    GUIDE.mkdir(parents=True, exist_ok=True)
    path = GUIDE / f"{name}.png"
    page.screenshot(path=path)
    assert Image.open(path).size == (viewport["width"], viewport["height"])


def _address(app_url: str, path: str, lang: str) -> str:
    return f"{app_url}/{path}{'&' if '?' in path else '?'}lang={lang}"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_guide_shows_every_page_in_each_language(browser, app_url, lang):
    page = _page(browser, DESKTOP, lang)
    try:
        for name, path, title in PAGES:
            open_page(page, _address(app_url, path, lang))
            expect(page.locator("h1").first).to_contain_text(i18n.t(title, lang).split(" — ")[0])
            expect(page.get_by_test_id("stException")).to_have_count(0)
            page.wait_for_timeout(300)  # let the charts finish their first transition
            _shot(page, f"{name}_{lang}", DESKTOP)
            if name in CHARTS:  # and its first chart, as the reader scrolls to it
                chart = page.locator("[data-testid=stPlotlyChart]:visible").first
                chart.evaluate("e => e.scrollIntoView({block: 'start'})")
                page.wait_for_timeout(300)
                _shot(page, f"{name}_chart_{lang}", DESKTOP)
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_guide_shows_the_overview_on_a_phone(browser, app_url, lang):
    page = _page(browser, PHONE, lang)
    try:
        open_page(page, _address(app_url, "", lang))
        expect(page.locator("h1").first).to_contain_text(i18n.t("overview.title", lang))
        _shot(page, f"overview_phone_{lang}", PHONE)
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_guide_shows_a_checked_return_before_it_is_saved(browser, app_url, lang):
    """The upload page as an officer sees it after choosing the file: valid, with what it
    changes. Nothing is saved (the confirm button is not clicked)."""
    page = _page(browser, DESKTOP, lang)
    try:
        open_page(page, _address(app_url, "upload", lang))
        page.get_by_test_id("stSelectbox").nth(0).click()
        page.get_by_role("option", name=re.compile(r"^SYT — ")).click()
        page.wait_for_selector(IDLE)
        page.get_by_test_id("stSelectbox").nth(1).click()
        page.get_by_role("option", name="2024", exact=True).click()
        page.wait_for_selector(IDLE)
        with page.expect_download() as got:
            page.get_by_role("button", name=i18n.t("upload.download", lang)).click()
        catalog = default_catalog()
        changed = {i.code: i.best for i in catalog.for_department("SYT")}  # every value: nothing removed
        data = to_bytes(fill(load_workbook(io.BytesIO(got.value.path().read_bytes())), changed))
        page.locator('input[type="file"]').set_input_files(
            {"name": "DTTM_SYT_2024.xlsx", "mimeType": "application/octet-stream", "buffer": data})
        valid = page.get_by_test_id("stAlertContentSuccess").first
        expect(valid).to_contain_text(i18n.t("upload.valid", lang, n_values=0, n_expected=0).split(":")[0])
        valid.evaluate("e => e.scrollIntoView({block: 'start'})")  # the verdict, then the changes
        page.wait_for_timeout(300)
        _shot(page, f"upload_preview_{lang}", DESKTOP)
    finally:
        page.context.close()
