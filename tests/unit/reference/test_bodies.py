"""The bodies the documents name, by date (issue 30, first part): the programme's lead department
was the provincial Department of Information and Communications until 28/2/2025 and is the
Department of Science and Technology from 1/3/2025; its province is Bà Rịa – Vũng Tàu until
30/6/2025, then Hồ Chí Minh City. Every source line names the body as it was at the end of the
period its figures describe; the report's letterhead, as it is on the report's date."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from docx import Document

from sca_metrics.outputs import briefing, report
from sca_metrics.outputs.documents.context import Context, source_text
from sca_metrics.outputs.pack import layout, powerpoint
from sca_metrics.reference.bodies import LEAD, BodiesError, default_bodies, read_bodies
from sca_metrics.reference.i18n import t

OLD_NAMES = ("Thông tin và Truyền thông", "TT&TT", "STTTT", "Information and Communications")
NEW_NAMES = ("Khoa học và Công nghệ", "KH&CN", "SKHCN", "Science and Technology")


@pytest.mark.parametrize(("day", "code"), [(date(2018, 1, 1), "STTTT"), (date(2025, 2, 28), "STTTT"),
                                           (date(2025, 3, 1), "SKHCN"), (date(2026, 12, 7), "SKHCN")])
def test_the_lead_department_on_each_day(day, code):
    assert default_bodies().holder(LEAD, day).code == code


@pytest.mark.parametrize(("period", "lang", "said"), [
    ("2024", "vi", "Sở TT&TT tỉnh Bà Rịa – Vũng Tàu"),
    ("2024", "en", "Bà Rịa – Vũng Tàu Department of Information and Communications"),
    ("2025", "vi", "Sở KH&CN Thành phố Hồ Chí Minh"),
    ("2026", "en", "Hồ Chí Minh City Department of Science and Technology"),
    ("2018–2026", "vi", "Sở KH&CN Thành phố Hồ Chí Minh"),  # a series: as at its end
])
def test_a_source_line_names_the_body_of_its_period(period, lang, said):
    assert source_text(lang, False, period).startswith(said + ",")


def texts(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for table in doc.tables for row in table.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize(("period", "issued", "old"), [("2024", datetime(2025, 1, 20), True),
                                                      ("2026", datetime(2026, 12, 7), False)])
def test_packs_and_reports_use_no_name_outside_its_dates(demo_data, period, issued, old):
    """The 2024 documents, issued in January 2025, name the Department of Information and
    Communications throughout; the 2026 ones never do."""
    _, catalog, by_period, subs = demo_data
    for lang in ("vi", "en"):
        ctx = Context(catalog, by_period, subs, period, lang, True, issued)
        deck = briefing.deck(ctx)
        said = [ctx.source(), layout.footer(ctx, 1, len(deck))]
        said += [s.figure.layout.annotations[-1].text for s in deck if s.figure is not None]
        made = report.docx_bytes(ctx, report.contents(ctx, deck), {}, report.letterhead())
        said.append(texts(made))
        joined = "\n".join(said)
        wrong, right = (NEW_NAMES, OLD_NAMES) if old else (OLD_NAMES, NEW_NAMES)
        assert not [name for name in wrong if name in joined], lang
        assert any(name in joined for name in right)


def test_messages_that_say_whom_to_ask_name_todays_lead_department():
    assert "Sở Khoa học và Công nghệ" in t("access.no_access_text", "vi")
    assert "Department of Science and Technology" in t("access.page_forbidden", "en")
    assert "{lead}" not in t("problem.upload_department", "vi", who="a", department="SYT")


@pytest.mark.parametrize(("rows", "why"), [
    ("lead,A,a,a,a,a,BC-A,,2025-02-28\n", "to this day"),
    ("lead,A,a,a,a,a,BC-A,,2025-02-27\nlead,B,b,b,b,b,BC-B,2025-03-01,\n", "follow each other"),
    ("lead,A,a,a,a,a,BC-A,,2025-03-01\nlead,B,b,b,b,b,BC-B,2025-03-01,\n", "follow each other"),
    ("lead,A,a,a,a,a,,,\n", "first seven filled"),
])
def test_a_bodies_file_with_a_gap_or_an_overlap_is_refused(tmp_path, rows, why):
    path = tmp_path / "bodies.csv"
    path.write_text("role,code,name_vi,name_en,short_vi,short_en,symbol,valid_from,valid_to\n" + rows)
    with pytest.raises(BodiesError) as refused:
        read_bodies(path)
    assert why in str(refused.value)


@pytest.mark.parametrize(("code", "day", "vi", "en"), [
    ("STTTT", date(2025, 2, 28), "Sở Thông tin và Truyền thông",
     "Department of Information and Communications"),
    ("STTTT", date(2025, 3, 1), "Sở Khoa học và Công nghệ", "Department of Science and Technology"),
    ("CAT", date(2025, 6, 30), "Công an tỉnh", "Provincial Police"),
    ("CAT", date(2025, 7, 1), "Công an Thành phố", "City Police"),
    ("VPUBND", date(2026, 12, 31), "Văn phòng UBND Thành phố", "Office of the City People's Committee"),
    ("UBNDVT", date(2024, 12, 31), "UBND TP. Vũng Tàu (thí điểm)",
     "Vũng Tàu City People's Committee (pilot)"),
    ("SYT", date(2026, 12, 31), "Sở Y tế", "Department of Health"),
])
def test_a_department_is_named_as_it_was_on_the_day(catalog, code, day, vi, en):
    department = catalog.department(code)
    assert (department.name("vi", day), department.name("en", day)) == (vi, en)


@pytest.mark.parametrize(("period", "name"), [("2024", "Sở Thông tin và Truyền thông"),
                                               ("2026", "Sở Khoa học và Công nghệ")])
def test_a_template_names_its_department_as_at_the_end_of_its_period(catalog, period, name):
    from sca_metrics.intake import layout
    from sca_metrics.intake.template import build_template

    wb = build_template(catalog, "STTTT", period)
    texts = [str(c.value) for ws in (wb[layout.SHEET_INFO.vi], wb[layout.SHEET_INDICATORS.vi])
             for row in ws.iter_rows(max_row=8) for c in row if c.value]
    assert any(name in x for x in texts)
    assert not any(other in x for x in texts for other in OLD_NAMES[:1] + NEW_NAMES[:1] if other not in name)


def test_the_pack_and_the_report_say_who_made_them_when_and_in_which_language(demo_data):
    """The PPTX said python-pptx's author made it in 2013 as a 4:3 show, with no language on its
    text (PowerPoint marked every Vietnamese word misspelt); the DOCX said 2013 too."""
    import zipfile

    from tests.unit.outputs.test_briefing import fake_images

    _, catalog, by_period, subs = demo_data
    made = datetime(2026, 12, 7, 9, 0)
    for lang, tag, body in (("vi", "vi-VN", "Sở Khoa học và Công nghệ"),
                            ("en", "en-GB", "Department of Science and Technology")):
        ctx = Context(catalog, by_period, subs, "2026", lang, True, made)
        deck = briefing.deck(ctx)
        pack = zipfile.ZipFile(io.BytesIO(powerpoint.pptx_bytes(deck, fake_images(deck), ctx)))
        core = pack.read("docProps/core.xml").decode()
        assert f"<dc:creator>{body}</dc:creator>" in core and "2026-12-07T09:00:00" in core
        assert "Steve Canny" not in core and "2013" not in core
        assert "On-screen Show (16:9)" in pack.read("docProps/app.xml").decode()
        slides = [pack.read(n).decode() for n in pack.namelist() if n.startswith("ppt/slides/slide")]
        runs = sum(x.count("<a:r>") for x in slides)
        assert runs and sum(x.count(f'lang="{tag}"') for x in slides) == runs
        document = Document(io.BytesIO(report.docx_bytes(ctx, report.contents(ctx, deck), {},
                                                         report.letterhead())))
        properties = document.core_properties
        assert properties.author == properties.last_modified_by == body
        assert properties.created.replace(tzinfo=None) == made and properties.language == tag
