"""Sign-in end to end: Streamlit's st.login against a local OpenID Connect provider
(oidc-provider-mock, started here on localhost), an admin, an uploader, a viewer and a person
without a grant, each in their own browser context — what each sees, what each may do, and what
lands in the database and the audit log. And the open mode: no sign-in, this computer only."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import Page, expect

from sca_metrics.reference.roles import ADMIN, UPLOADER, VIEWER, Actor
from sca_metrics.settings import ROOT
from sca_metrics.store import queries, schema
from sca_metrics.store.database import Database
from tests.e2e.conftest import IDLE, free_port, serve
from tests.helpers import current_roadmap, valid_return

ADMIN_EMAIL, UPLOADER_EMAIL, VIEWER_EMAIL, STRANGER = (
    "chief@stttt.gov.vn", "nurse@syt.gov.vn", "reader@ubnd.gov.vn", "someone@example.com")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def provider():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def signed_db(demo_data, tmp_path_factory, catalog_module):
    db = tmp_path_factory.mktemp("signin") / "demo.duckdb"
    shutil.copy(demo_data[0], db)
    con = schema.connect(db)
    known = [d.code for d in catalog_module.departments]
    cli = Actor.local("cli")
    queries.grant(con, cli, ADMIN_EMAIL, ADMIN, [], known)
    queries.grant(con, cli, UPLOADER_EMAIL, UPLOADER, ["SYT"], known)
    queries.grant(con, cli, VIEWER_EMAIL, VIEWER, [], known)
    con.close()
    return db


@pytest.fixture(scope="module")
def catalog_module():
    from sca_metrics.reference.catalog import default_catalog

    return default_catalog()


@pytest.fixture(scope="module")
def app(provider, signed_db, tmp_path_factory):
    """The dashboard with sign-in configured, opened at exactly its redirect URI's origin."""
    folder = tmp_path_factory.mktemp("auth")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(f"""[auth]
redirect_uri = "http://localhost:{port}/oauth2callback"
cookie_secret = "a-long-random-cookie-secret-for-the-tests-only"
client_id = "sca-dashboard"
client_secret = "sca-dashboard-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""", encoding="utf-8")
    with serve(signed_db, folder / "streamlit.log", port=port, host="localhost",
               extra=("--secrets.files", str(secrets))) as url:
        yield url


def read(db: Path, query):
    """A query on the server's database, waiting for the server to let go of the file."""
    with Database(db, wait=30, read_only=True) as handle, handle.cursor() as con:
        return query(con)


def sign_in(page: Page, app: str, email: str, path: str = "") -> None:
    page.goto(f"{app}/{path}")
    page.wait_for_selector(IDLE)
    page.get_by_role("button", name="Đăng nhập").click()
    page.locator('input[name="sub"]').fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(app)))
    page.wait_for_selector(IDLE)
    expect(page.get_by_test_id("stSidebar")).to_contain_text(email)
    if path:  # the provider sends the browser back to the app's first page
        page.goto(f"{app}/{path}")
        page.wait_for_selector(IDLE)


def menu(page: Page) -> list[str]:
    """The menu's entries (each link's text ends with its label, after the icon's name)."""
    return [t.strip().splitlines()[-1] for t in page.get_by_test_id("stSidebarNavLink").all_inner_texts()]


def hosts_requested(page: Page) -> set[str]:
    seen: set[str] = set()
    page.on("request", lambda r: seen.add(urllib.parse.urlsplit(r.url).netloc))
    return seen


def test_an_administrator_sees_everything_and_withdraws_with_a_reason(page, app, signed_db):
    sign_in(page, app, ADMIN_EMAIL)
    assert menu(page)[-2:] == ["Nhật ký", "Người dùng"] and "Nộp báo cáo & mẫu phiếu" in menu(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text(str(signed_db))  # admins only
    page.goto(f"{app}/submissions")
    page.wait_for_selector(IDLE)
    page.get_by_text("Rút một báo cáo (quản trị viên)").click()
    page.wait_for_selector(IDLE)
    page.get_by_label("Lý do (lưu trong nhật ký)").fill("Nhầm kỳ báo cáo")
    page.get_by_text("Tôi xác nhận rút báo cáo này").click()
    page.get_by_role("button", name="Rút báo cáo").click()
    page.wait_for_selector(IDLE)
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_contain_text("Đã rút báo cáo #")
    events = read(signed_db, queries.audit_events)
    last = events.iloc[0]
    assert (last.action, last.actor, last.reason) == ("withdraw", ADMIN_EMAIL, "Nhầm kỳ báo cáo")
    page.goto(f"{app}/audit")
    page.wait_for_selector(IDLE)
    expect(page.locator("h1").first).to_have_text("Nhật ký thay đổi")
    expect(page.get_by_test_id("stDataFrame")).to_be_visible()


def test_an_uploader_submits_for_their_department_under_their_email(page, app, signed_db,
                                                                    catalog_module):
    sign_in(page, app, UPLOADER_EMAIL, "upload")
    assert "Nộp báo cáo & mẫu phiếu" in menu(page)
    assert "Nhật ký" not in menu(page) and "Người dùng" not in menu(page)
    expect(page.get_by_test_id("stSidebar")).not_to_contain_text(str(signed_db))
    department = page.get_by_role("combobox", name="Đơn vị")
    expect(department).to_have_value("SYT — Sở Y tế")
    department.click()
    expect(page.get_by_role("option")).to_have_count(1)  # their one department
    page.keyboard.press("Escape")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "gt.xlsx", "mimeType": XLSX,
                "buffer": valid_return(catalog_module, "SGTVT", "2025")}])
    page.wait_for_selector(IDLE)
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text("chưa được nhận")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "syt.xlsx", "mimeType": XLSX,  # the template as the page gives it, with the plan
                "buffer": valid_return(catalog_module, "SYT", "2025",
                                       read(signed_db, lambda con: current_roadmap(con, "SYT", "2025")))}])
    page.wait_for_selector(IDLE)
    page.get_by_role("button", name="Xác nhận và lưu báo cáo").click()
    page.wait_for_selector(IDLE)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_be_visible()
    subs = read(signed_db, lambda con: queries.submissions(con, "SYT", "2025"))
    assert subs.iloc[-1].uploader == UPLOADER_EMAIL and subs.iloc[-1].status == "current"
    page.goto(f"{app}/users")  # not theirs: the menu does not have it, the page is not served
    page.wait_for_selector(IDLE)
    expect(page.locator("h1").first).not_to_have_text("Người dùng và vai trò")


def test_a_viewer_reads_but_cannot_upload(page, app):
    sign_in(page, app, VIEWER_EMAIL)
    assert "Tổng quan" in menu(page) and "Nộp báo cáo & mẫu phiếu" not in menu(page)
    assert "Người dùng" not in menu(page)
    page.goto(f"{app}/upload")
    page.wait_for_selector(IDLE)
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)


def test_a_person_without_a_grant_sees_whom_to_ask_and_no_data(page, app):
    seen = hosts_requested(page)
    sign_in(page, app, STRANGER)
    expect(page.locator("h1").first).to_have_text("Chưa được cấp quyền")
    # the lead department as it is today
    expect(page.get_by_text("Sở Khoa học và Công nghệ", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNavLink")).to_have_count(0)
    app_host = urllib.parse.urlsplit(app).netloc
    provider_hosts = {h for h in seen if h != app_host and h.startswith("localhost:")}
    # only the app and the sign-in provider (whose own page may ask a CDN for a stylesheet)
    assert seen - {app_host} - provider_hosts <= {"cdn.jsdelivr.net", "unpkg.com"}
    assert len(provider_hosts) == 1


def test_the_app_makes_no_request_to_another_host(page, app):
    seen = hosts_requested(page)
    sign_in(page, app, ADMIN_EMAIL)
    seen.clear()
    page.goto(f"{app}/pilot")
    page.wait_for_selector(IDLE)
    page.wait_for_timeout(1500)
    assert seen == {urllib.parse.urlsplit(app).netloc}


def test_without_sign_in_only_this_computer_may_open_it(demo_data, tmp_path, page):
    db = tmp_path / "open.duckdb"
    shutil.copy(demo_data[0], db)
    with serve(db, tmp_path / "streamlit.log", address="0.0.0.0") as url:
        page.goto(url)
        page.wait_for_selector(IDLE)
        expect(page.get_by_test_id("stAlertContentError")).to_contain_text("127.0.0.1")
        expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)
    with serve(db, tmp_path / "streamlit2.log") as url:  # the default: 127.0.0.1, local admin
        page.goto(url)
        page.wait_for_selector(IDLE)
        expect(page.get_by_test_id("stSidebar")).to_contain_text("Đăng nhập đang tắt")
        expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    done = subprocess.run(["bash", str(ROOT / "scripts" / "start.sh"), "--server.address", "0.0.0.0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 2 and "sign-in is off" in done.stderr  # before starting anything
