"""Real-browser fixtures: the dashboard served by `streamlit run` on a free port with a fresh
demo database, driven by Playwright in Debian's chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from sca_metrics import settings
from sca_metrics.settings import ROOT

# The tests run beside another worker on two cores: a rerun can take longer than Playwright's
# 5-second default for an assertion; the actions already wait up to 60 s (context timeout).
expect.set_options(timeout=20_000)

SCREENSHOTS = ROOT / "screenshots" / "e2e"  # git-ignored
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not healthy after {timeout} s")


@pytest.fixture(scope="session")
def app_db(demo_data, tmp_path_factory) -> Path:
    """A fresh copy of the demo database: the upload tests write to it."""
    path = tmp_path_factory.mktemp("e2e") / "demo.duckdb"
    shutil.copy(demo_data[0], path)
    return path


@contextmanager
def serve(db: Path, log: Path, port: int | None = None, host: str = "127.0.0.1",
          address: str = "127.0.0.1", extra: tuple[str, ...] = ()) -> Iterator[str]:
    """`streamlit run app.py` on a free port, listening on `address`, serving `db`; yields
    its URL at `host` (sign-in needs the exact origin of its redirect URI)."""
    port = port or free_port()
    env = {**os.environ, "SCA_DB": str(db), "SCA_DEMO": "0",
           "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": str(settings.current().upload_mb)}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
             "--server.address", address, "--server.headless", "true",
             "--browser.gatherUsageStats", "false", *extra], cwd=ROOT, env=env, stdout=out, stderr=out)
    url = f"http://{host}:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def app_url(app_db, tmp_path_factory):
    with serve(app_db, tmp_path_factory.mktemp("e2e_log") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium is needed: apt-get install chromium (scripts/test.sh does)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True,
                                  locale="vi-VN")
    context.set_default_timeout(60_000)
    pg = context.new_page()
    yield pg
    context.close()


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(IDLE)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here drives the dashboard in Debian's chromium: marked `browser`, so the quick
    run (`pytest -m "not browser and not office"`) leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
