"""AppTest: the Exports page — the pack, the report and the data downloads."""

import pytest

from sca_metrics import settings
from tests.app.pages import run_app, texts


@pytest.mark.browser
def test_exports_page_lists_the_pack_and_offers_every_download(monkeypatch, demo_db, no_packs):
    at = run_app(monkeypatch, demo_db, page="views/exports.py")
    assert at.title[0].value == "Bộ báo cáo và xuất dữ liệu"
    labels = [b.label for b in at.get("download_button")]
    # the pack is built when asked for (its steps shown), then downloaded
    assert [b.label for b in at.button] == ["Tạo bộ báo cáo"] and labels[0] == "Tải báo cáo (.docx)"
    assert {"Excel (.xlsx, 5 trang tính)", "CSV điểm", "CSV theo phường, xã"} <= set(labels)
    assert "Y tế đạt " not in texts(at)  # the slides are worked out when a section opens
    at.session_state["export_contents"] = True
    at.session_state["export_figures"] = True
    at.run()
    contents = texts(at)
    assert "Y tế đạt " in contents and "27 trang, 24 biểu đồ" in contents
    assert {"PNG", "SVG", "PDF"} <= {b.label for b in at.get("download_button")}
    at.selectbox(key="export_figure").set_value("domain_health").run()
    assert not at.exception, at.exception


@pytest.mark.browser
def test_the_pack_is_built_on_a_click_its_steps_shown_then_kept_for_its_downloads(monkeypatch, demo_db,
                                                                                  no_packs):
    from views import cached

    at = run_app(monkeypatch, demo_db, page="views/exports.py")
    at.button(key="pack_build").click().run()
    assert not at.exception, at.exception
    [status] = at.status
    assert status.state == "complete" and status.label.startswith("Bộ báo cáo kỳ 2026 đã sẵn sàng (")
    downloads = {b.label: b for b in at.get("download_button")}
    assert list(downloads)[:3] == ["Tải bộ báo cáo (PowerPoint + PDF, .zip)", "Chỉ PowerPoint (.pptx)",
                                   "Chỉ PDF"]
    assert not at.button  # built: no second build
    [pack] = [p for k, p in cached.packs().items() if k[2:4] == ("2026", "vi")]
    assert pack.pdf.startswith(b"%PDF") and len(pack.images) == 24
    at.run()  # kept: the next run offers the files made, without building again
    assert not at.button and downloads["Chỉ PDF"].proto.default == at.get("download_button")[2].proto.default


@pytest.mark.browser
def test_a_bad_letterhead_file_is_said_and_turns_the_report_off(monkeypatch, demo_db, tmp_path, no_packs):
    bad = tmp_path / "letterhead.toml"
    bad.write_text('recipients_vi = "Lưu: VT"\n', encoding="utf-8")
    monkeypatch.setenv("SCA_REPORT_FILE", str(bad))
    settings.reload()
    at = run_app(monkeypatch, demo_db, page="views/exports.py")
    assert f"Tệp tiêu đề báo cáo {bad}: 'recipients_vi' phải là danh sách" in at.error[0].value
    report = next(b for b in at.get("download_button") if b.label == "Tải báo cáo (.docx)")
    assert report.proto.disabled
    assert not at.button(key="pack_build").disabled


def test_without_chromium_every_page_works_and_says_how_to_enable_export(monkeypatch, demo_db, no_packs):
    monkeypatch.setenv("SCA_CHROMIUM", "/nonexistent/chromium")
    settings.reload()
    at = run_app(monkeypatch, demo_db, lang="en", page="views/exports.py")
    assert "apt-get install chromium fonts-noto-core" in at.warning[-1].value
    assert at.button(key="pack_build").disabled  # the pack's, and the report's download
    report = next(b for b in at.get("download_button") if b.label == "Download the report (.docx)")
    assert report.proto.disabled
    overview = run_app(monkeypatch, demo_db, lang="en")
    assert "SCA_CHROMIUM" not in texts(overview)  # a popover's content is made when it opens
    overview.session_state["overview_heatmap_export"] = True  # the heatmap's export popover
    overview.run()
    assert "SCA_CHROMIUM" in texts(overview)
