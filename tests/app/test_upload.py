"""AppTest: the Upload page — templates, checked returns, previews, saving and every refusal."""



from sca_metrics.outputs.exports import XLSX_MIME as XLSX
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.store import queries, schema
from tests.app.pages import domain_score, plain, roadmap_in, texts, upload_page, uploader
from tests.helpers import fill, row_of, template, to_bytes, valid_return


def test_a_return_that_would_remove_the_departments_tasks_asks_first(monkeypatch, own_demo_db):
    """The template a department downloaded had an empty tasks sheet: a corrected return uploaded
    as downloaded replaced SYT's plan (SYT-02 went from done to in progress). The preview now
    says what the roadmap will show differently, and saving needs an explicit confirmation."""
    catalog = default_catalog()
    at = upload_page(monkeypatch, own_demo_db, period="2026")
    with schema.connect(own_demo_db) as con:
        before = schema.table_counts(con)
    uploader(at).set_value(("cũ.xlsx", valid_return(catalog, "SYT", "2026"), XLSX)).run()
    assert not at.exception, at.exception
    assert any("sẽ bỏ cả 3 nhiệm vụ đó" in w.value for w in at.warning)
    plan = next(d.value for d in at.dataframe if "Mã nhiệm vụ / phần" in d.value.columns)
    syt02 = plan.set_index("Mã nhiệm vụ / phần").loc["SYT-02"]
    assert syt02["Thay đổi"] == "Thay đổi"
    assert syt02["Thay đổi gì (trước → sau)"] == "Tình trạng: Hoàn thành → Đang triển khai"
    assert at.button(key="up_confirm").disabled  # not without the confirmation
    box = next(c for c in at.checkbox if c.key.startswith("up_remove_roadmap"))
    assert box.label == "Tôi xác nhận: báo cáo này bỏ 3 nhiệm vụ của kỳ 2026"
    with schema.connect(own_demo_db) as con:
        assert schema.table_counts(con) == before
    box.check().run()
    at.button(key="up_confirm").click().run()
    assert not at.exception, at.exception
    assert "phiên bản" in at.success[0].value
    with schema.connect(own_demo_db) as con:
        # the roadmap before
        assert queries.roadmap_tasks(con, "2026", "SYT").period.unique().tolist() == ["2025"]


def test_an_uploaded_file_is_checked_once_not_at_every_rerun(monkeypatch, own_demo_db):
    """The upload page checked the file again at every rerun while the person read the preview
    (47 s of a hostile file's preview each time, issue 29): now once per upload."""
    from sca_metrics.intake import ingest

    catalog = default_catalog()
    calls = []
    original = ingest.check_bytes
    monkeypatch.setattr(ingest, "check_bytes", lambda *a, **k: calls.append(1) or original(*a, **k))
    at = upload_page(monkeypatch, own_demo_db)
    data = to_bytes(fill(template(catalog, "SYT", "2024", roadmap_in(own_demo_db)), {"HLT.T1": 5}))
    uploader(at).set_value(("DTTM_SYT_2024.xlsx", data, XLSX)).run()
    assert not at.exception and "Tệp hợp lệ" in at.success[0].value
    at.run()
    at.run()  # the person reads the preview; the page reruns
    assert len(calls) == 1


def test_upload_a_valid_return_previews_changes_then_saves_and_every_page_updates(
        monkeypatch, own_demo_db):
    catalog = default_catalog()
    before = domain_score(monkeypatch, own_demo_db, "health", "2024")
    at = upload_page(monkeypatch, own_demo_db)
    assert at.title[0].value == "Nộp báo cáo và tải mẫu phiếu"
    assert [b.label for b in at.get("download_button")][0] == "Tải mẫu phiếu (.xlsx)"
    values = {i.code: i.best for i in catalog.for_department("SYT") if i.kind in ("number", "percent")}
    data = to_bytes(fill(template(catalog, "SYT", "2024", roadmap_in(own_demo_db)), values))
    uploader(at).set_value(("DTTM_SYT_2024.xlsx", data, XLSX)).run()
    assert not at.exception, at.exception
    assert "Tệp hợp lệ" in at.success[0].value
    assert "phiên bản 2" in texts(at)  # the current demo version it will supersede
    preview = next(d.value for d in at.dataframe if "Giá trị mới" in d.value.columns)
    assert set(preview["Thay đổi"]) <= {"Thay đổi", "Bị xoá", "Mới"} and len(preview)
    # the plan it carries is the department's: nothing changes in it, and the page says so
    assert "Nhiệm vụ — mới: 0 · thay đổi: 0 · bị bỏ: 0 · không đổi: 3" in texts(at)
    assert not at.checkbox and not at.button(key="up_confirm").disabled
    with schema.connect(own_demo_db) as con:
        counts = schema.table_counts(con)
    at.button(key="up_confirm").click().run()
    assert not at.exception, at.exception
    assert "phiên bản 3" in at.success[0].value
    assert not uploader(at).value  # a fresh uploader for the next file
    with schema.connect(own_demo_db) as con:
        assert schema.table_counts(con)["submissions"] == counts["submissions"] + 1
        current = queries.submissions(con, "SYT", "2024")
    assert list(current.status) == ["superseded", "superseded", "current"]
    assert domain_score(monkeypatch, own_demo_db, "health", "2024") != before


def test_upload_an_invalid_return_lists_located_errors_and_stores_nothing(monkeypatch, own_demo_db):
    catalog = default_catalog()
    wb = fill(template(catalog, "SYT", "2024"), {"HLT.T1": "nhiều", "HLT.R1": 12})
    bad_cell = f"G{row_of(wb, 'HLT.T1')}"
    with schema.connect(own_demo_db) as con:
        counts = schema.table_counts(con)
    at = upload_page(monkeypatch, own_demo_db, lang="en")
    uploader(at).set_value(("syt.xlsx", to_bytes(wb), XLSX)).run()
    assert not at.exception, at.exception
    assert "was not accepted" in at.error[0].value and "Nothing was stored" in at.error[0].value
    problems = at.dataframe[-1].value
    row = problems[problems["Cell"] == bad_cell].iloc[0]
    assert row["Value in the file"] == "nhiều" and "not a number" in row["Problem"]
    assert row["Location"].endswith(f"!{bad_cell}")
    assert not [b for b in at.button if b.key == "up_confirm"]
    with schema.connect(own_demo_db) as con:
        assert schema.table_counts(con) == counts


def test_upload_of_another_departments_file_is_refused(monkeypatch, own_demo_db):
    catalog = default_catalog()
    at = upload_page(monkeypatch, own_demo_db, department="SGTVT")
    uploader(at).set_value(("syt.xlsx", valid_return(catalog, "SYT", "2024"), XLSX)).run()
    assert "chưa được nhận" in at.error[0].value
    assert any("SYT" in m and "SGTVT" in m for m in at.dataframe[-1].value["Nội dung lỗi"])


def test_a_flood_of_problems_shows_the_first_ones_and_offers_them_all(monkeypatch, own_demo_db):
    """1,900 real errors from the largest sheet a return may have, listed in a capped table."""
    from sca_metrics.reference.problems import SHOWN
    from tests.helpers import flooded_return

    at = upload_page(monkeypatch, own_demo_db, lang="en")
    uploader(at).set_value(("flood.xlsx", flooded_return(default_catalog()), XLSX)).run()
    assert not at.exception, at.exception
    assert "1,900 errors" in at.error[0].value
    assert f"Showing the first {SHOWN} of 1,900 problems" in texts(at)
    assert len(at.dataframe[-1].value) == SHOWN
    labels = {b.label for b in at.get("download_button")}
    assert {"Download CSV", "Download Excel (.xlsx)"} <= labels


def test_fifty_thousand_problems_never_end_in_a_traceback(monkeypatch, own_demo_db):
    """The checker is made to report 50,000 errors (more than a bounded sheet can hold): the
    page still lists 200 of them (pandas' Styler limit was the traceback) and counts them all."""
    from sca_metrics.intake import ingest
    from sca_metrics.reference.problems import SHOWN, Problem
    from sca_metrics.store.records import CheckedReturn

    flood = [Problem("value_not_number", sheet="Chỉ số", cell=f"G{r}", value="x")
             for r in range(50_000)]
    monkeypatch.setattr(ingest, "check_bytes", lambda *a, **k: CheckedReturn(None, None, problems=flood))
    at = upload_page(monkeypatch, own_demo_db)
    uploader(at).set_value(("big.xlsx", b"PK", XLSX)).run()
    assert not at.exception, at.exception
    assert "50.000 lỗi" in at.error[0].value
    assert f"{SHOWN} trên tổng số 50.000" in texts(at)
    assert len(at.dataframe[-1].value) == SHOWN


def test_a_file_name_is_shown_as_typed_never_as_markdown(monkeypatch, own_demo_db):
    at = upload_page(monkeypatch, own_demo_db)
    name = "![x](http://127.0.0.1:9/t.png) **b**.xlsx"
    uploader(at).set_value((name, b"not a workbook", XLSX)).run()
    assert not at.exception, at.exception
    message = at.error[0].value
    assert r"«\!\[x\]\(http\:\/\/127\.0\.0\.1\:9\/t\.png\) \*\*b\*\*\.xlsx»" in message


def test_a_full_disk_during_an_upload_says_so_and_saves_nothing(monkeypatch, own_demo_db):
    """The commit fails as DuckDB reports a full disk (simulated: AppTest runs in this
    process, where a tmpfs would fill for every test; the CLI test fills a real one)."""
    from sca_metrics.intake import ingest

    with schema.connect(own_demo_db) as con:
        before = schema.table_counts(con)
    at = upload_page(monkeypatch, own_demo_db, lang="en")
    uploader(at).set_value(("r.xlsx", valid_return(default_catalog(), "SYT", "2024",
                                                          roadmap_in(own_demo_db)), XLSX)).run()

    def full(con, *args, **kwargs):
        import duckdb
        raise duckdb.TransactionException(
            'TransactionContext Error: Failed to commit: Could not write file "x.wal": '
            "No space left on device")

    monkeypatch.setattr(ingest, "ingest_bytes", full)
    at.button(key="up_confirm").click().run()
    assert not at.exception, at.exception
    assert "disk holding" in plain(at.error[0].value) and "is full" in plain(at.error[0].value)
    with schema.connect(own_demo_db) as con:
        assert schema.table_counts(con) == before
