"""The official report (Word, Decree 30/2020/NĐ-CP): each part of the format where the decree
puts it, the numbers of the scores, the letterhead from settings and from the administrative
history, and the file as LibreOffice renders it (every word on its page, the letterhead's lines
whole, every glyph in the Times-compatible font)."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, datetime

import pytest
from docx import Document
from docx.shared import Mm
from PIL import Image

from sca_metrics import settings
from sca_metrics.outputs import report
from sca_metrics.outputs.documents.context import Context
from sca_metrics.reference import formatting, vocabulary
from sca_metrics.reference.units import default_units
from tests.helpers import word_boxes

NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ISSUED = datetime(2026, 1, 5, 9, 30)


def context(demo_data, period="2025", lang="vi", generated=ISSUED):
    _, cat, by_period, subs = demo_data
    return Context(cat, by_period, subs, period, lang, True, generated)


def fake_docx(ctx, head=None) -> bytes:
    """The report with a plain picture for each figure (the layout, not the figures, under test)."""
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1000), "#3b528b").save(buffer, "PNG")
    blocks = report.contents(ctx)
    images = {b.key: buffer.getvalue() for b in blocks if isinstance(b, report.Figure)}
    return report.docx_bytes(ctx, blocks, images, head or report.letterhead())


def paragraphs(doc) -> list[str]:
    """Every paragraph's text, the tables' included, in document order."""
    out = []
    for block in doc.element.body.iter():
        if block.tag.endswith("}p"):
            out.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
    return out


@pytest.fixture(scope="module")
def rendered(demo_data, tmp_path_factory):
    """The 2025 report in Vietnamese, figures rendered by chromium, converted by LibreOffice."""
    from sca_metrics.outputs import render

    settings.reload()  # (a module fixture runs before the per-test reload: a test before may have changed it)
    if not render.available():
        pytest.fail("chromium is needed to render the report (scripts/setup.sh installs it)")
    folder = tmp_path_factory.mktemp("report")
    source = folder / "report.docx"
    source.write_bytes(report.build(context(demo_data)))
    done = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                           str(source)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and (folder / "report.pdf").is_file(), done.stderr
    return source, folder / "report.pdf"


@pytest.mark.browser
@pytest.mark.office
def test_the_page_and_the_type_are_the_decrees(rendered):
    doc = Document(rendered[0])
    section = doc.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    mm = {k: round(getattr(section, f"{k}_margin") / Mm(1), 1) for k in ("top", "bottom", "left", "right")}
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    cells = [p for table in doc.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    sizes = {(run.font.size or normal.size).pt for p in [*doc.paragraphs, *cells] for run in p.runs
             if run.text.strip()}
    assert min(sizes) == 11 and max(sizes) == 14  # the recipients' lines; the body
    # the page number at the top from the second page on
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml


@pytest.mark.browser
@pytest.mark.office
def test_each_part_of_the_format_in_its_place(rendered, demo_data):
    doc = Document(rendered[0])
    text = paragraphs(doc)
    head = report.letterhead()

    def at(line: str) -> int:
        return text.index(line)

    # letterhead: the bodies, then the national title and motto; number; place and date
    # issued on 5/1/2026: the lead department was then the Department of Science and Technology
    assert at("UBND THÀNH PHỐ HỒ CHÍ MINH") < at("SỞ KHOA HỌC VÀ CÔNG NGHỆ") < at(NATIONAL) < at(MOTTO)
    assert re.fullmatch(r"Số: +/BC-SKHCN", text[at(MOTTO) + 1])
    assert "Thành phố Hồ Chí Minh, ngày 05 tháng 01 năm 2026" in text
    motto = next(r for p in doc.tables[0].rows[0].cells[1].paragraphs for r in p.runs if r.text == MOTTO)
    assert motto.bold and motto.underline
    # the type and the summary, then the content in the order of the brief
    assert text[at("BÁO CÁO") + 1] == "Kết quả đánh giá mức độ sẵn sàng đô thị thông minh kỳ 2025"
    sections = [line for line in text if re.match(r"^[IV]+\. ", line)]
    assert sections == ["I. KẾT QUẢ CHUNG", "II. KẾT QUẢ THEO NỀN TẢNG VÀ LĨNH VỰC",
                        "III. THÍ ĐIỂM TẠI THÀNH PHỐ VŨNG TÀU CŨ",
                        "IV. TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC SỞ, NGÀNH", "V. GHI CHÚ PHƯƠNG PHÁP",
                        "VI. ĐỀ XUẤT, KIẾN NGHỊ"]
    domains = [f"{n}. {vocabulary.domain_name(c, 'vi')}" for n, c in enumerate(vocabulary.DOMAIN_CODES, 1)]
    positions = [at(d) for d in domains]
    assert positions == sorted(positions) and at(sections[1]) < positions[0] < at(sections[2])
    # closing: recipients and the signature block, last
    assert at("Nơi nhận:") > at(sections[-1])
    assert text[at("Nơi nhận:") + 1:at("Nơi nhận:") + 4] == [
        f"- {line};" for line in head.recipients("vi")[:-1]] + [f"- {head.recipients('vi')[-1]}."]
    assert "GIÁM ĐỐC" in text[at("Nơi nhận:"):]


def test_every_domain_states_its_score_level_gap_and_key_indicator(demo_data):
    ctx = context(demo_data)
    blocks = report.contents(ctx)
    s = ctx.scores
    for code in vocabulary.SMART_DOMAIN_CODES:
        name = vocabulary.domain_name(code, "vi")
        i = next(k for k, b in enumerate(blocks) if isinstance(b, report.Heading) and b.text.endswith(name))
        row = s.domains.set_index("domain").loc[code]
        first, key_line, figure = blocks[i + 1], blocks[i + 2], blocks[i + 3]
        assert first.text.startswith(f"{name} đạt {formatting.number(row.score, 'vi', 1, fixed=True)} điểm, "
                                     f"mức {int(row.level)}")
        target = formatting.number(row.target_score, "vi", 1, fixed=True)
        assert (f"Điểm mục tiêu 2025: {target}; còn thiếu {formatting.number(row.gap, 'vi', 1, fixed=True)}"
                in first.text) if row.gap > 0 else f"Đã đạt điểm mục tiêu 2025 ({target} điểm)" in first.text
        mine = s.indicators[s.indicators.domain == code]
        top = mine.loc[mine.gap_contribution.idxmax()]
        assert key_line.text.startswith(f"Chỉ số làm lĩnh vực mất nhiều điểm nhất: "
                                        f"{ctx.catalog.indicator(top.code).short_name('vi')}, đạt ")
        assert isinstance(figure, report.Figure) and figure.key == f"domain_{code}"


def test_table_one_writes_every_score_as_the_pages_do(demo_data):
    table = next(b for b in report.contents(context(demo_data)) if isinstance(b, report.Table))
    s = context(demo_data).scores
    assert len(table.rows) == len(s.domains) + 1
    health = next(r for r in table.rows if r[1] == "Y tế")
    row = s.domains.set_index("domain").loc["health"]
    assert health[2:] == (formatting.number(row.score, "vi", 1, fixed=True), f"{int(row.level)} – Xác lập",
                          formatting.number(row.target_score, "vi", 1, fixed=True),
                          formatting.number(row.gap, "vi", 1, fixed=True))
    assert any(r[-1] == "Đạt" for r in table.rows)  # a target met reads as met, not as a negative gap


@pytest.mark.browser
@pytest.mark.office
def test_every_picture_says_what_it_shows(rendered):
    doc = Document(rendered[0])
    pictures = doc.inline_shapes
    blocks = [p for p in paragraphs(doc) if p.startswith("Hình ")]
    assert len(pictures) == len(blocks) >= 12
    alts = [shape._inline.docPr.get("descr") for shape in pictures]
    assert all(a and len(a) > 20 for a in alts)
    assert alts[0].startswith("Điểm theo lĩnh vực và động lực — kỳ 2025")


@pytest.mark.browser
@pytest.mark.office
def test_rendered_every_word_is_on_its_page_and_the_letterhead_lines_are_whole(rendered):
    """As LibreOffice lays it out (Liberation Serif has Times New Roman's metrics): every word
    inside the page and above the bottom margin, the letterhead's lines each on one line, and
    every glyph from the Times-compatible font (none from a fallback font)."""
    words = word_boxes(rendered[1])
    assert words
    pt = 72 / 25.4
    outside = [(w[0], w[1]) for w in words
               # (+3 pt: a glyph box takes the font's whole descent below the last line's baseline)
               if w[2] < 20 * pt or w[4] > w[6] - 8 * pt or w[3] < 8 * pt or w[5] > w[7] - 20 * pt + 3]
    assert outside == []
    first = [w for w in words if w[1] == 1]
    dated = "Thành phố Hồ Chí Minh, ngày 05 tháng 01 năm 2026"
    for line in (NATIONAL, "SỞ KHOA HỌC VÀ CÔNG NGHỆ", dated):
        parts = line.split()
        for k in range(len(first) - len(parts) + 1):
            if [w[0] for w in first[k:k + len(parts)]] == parts:
                assert len({round(w[3]) for w in first[k:k + len(parts)]}) == 1, line
                break
        else:
            pytest.fail(f"not on page 1: {line}")
    fonts = subprocess.run(["pdffonts", str(rendered[1])], capture_output=True, text=True, check=True).stdout
    names = [row.split()[0].split("+")[-1] for row in fonts.splitlines()[2:]]
    assert names and all(n.startswith("LiberationSerif") for n in names), names


def test_the_letterhead_follows_the_administrative_history():
    head, units = report.letterhead(), default_units()
    before, after = date(2025, 6, 30), date(2025, 7, 1)
    assert head.superior("vi", before, units) == "UBND Tỉnh Bà Rịa – Vũng Tàu"
    assert head.place("vi", before, units) == "Bà Rịa – Vũng Tàu"
    assert head.superior("vi", after, units) == "UBND Thành phố Hồ Chí Minh"
    assert head.place("vi", after, units) == "Thành phố Hồ Chí Minh"
    assert head.place("en", before, units) == "Bà Rịa – Vũng Tàu"
    assert head.superior("en", after, units) == "Hồ Chí Minh City People's Committee"


def test_the_issuing_body_and_signer_come_from_settings(demo_data, tmp_path, monkeypatch):
    mine = tmp_path / "letterhead.toml"
    mine.write_text('body_vi = "Văn phòng Ban Chỉ đạo"\nsymbol = "BC-BCĐ"\n'
                    'signer_title_vi = "KT. Giám đốc"\nsigner_name = "Nguyễn Văn A"\n', encoding="utf-8")
    monkeypatch.setenv("SCA_REPORT_FILE", str(mine))
    settings.reload()
    head = report.letterhead()
    on = ISSUED.date()
    assert head.body("vi", on) == "Văn phòng Ban Chỉ đạo" and head.body("en", on) == report.letterhead(
        settings.shipped_data() / "report.toml").body("en", on)  # what the file does not name stays
    text = paragraphs(Document(io.BytesIO(fake_docx(context(demo_data), head))))
    assert "VĂN PHÒNG BAN CHỈ ĐẠO" in text and any(re.fullmatch(r"Số: +/BC-BCĐ", p) for p in text)
    assert text[-1] == "Nguyễn Văn A" and "KT. GIÁM ĐỐC" in text
    assert any("Văn phòng Ban Chỉ đạo tổng hợp phiếu khảo sát" in p for p in text)


@pytest.mark.parametrize(("content", "said"), [
    ('signer = "x"\n', "khoá lạ 'signer'"),
    ('recipients_vi = "Lưu: VT"\n', "'recipients_vi' phải là danh sách"),
    ('body_vi = 3\n', "'body_vi' phải là một dòng chữ"),
    ('body_vi = "\n', "không đúng định dạng TOML"),
])
def test_a_bad_letterhead_file_is_refused_by_name(tmp_path, content, said):
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(report.LetterheadError) as caught:
        report.letterhead(bad)
    assert said in caught.value.message("vi") and str(bad) in caught.value.message("vi")
    assert str(bad) in str(caught.value)  # English for the log and the command line


def test_the_english_edition(demo_data):
    doc = Document(io.BytesIO(fake_docx(context(demo_data, period="2026", lang="en"))))
    text = paragraphs(doc)
    for line in ("SOCIALIST REPUBLIC OF VIETNAM", "Independence - Freedom - Happiness", "REPORT",
                 "Smart-city readiness assessment: results for 2026", "Hồ Chí Minh City, 5 January 2026",
                 "I. OVERALL RESULT", "2. E-government", "Recipients:", "DIRECTOR"):
        assert line in text, line
    assert any(p.startswith("Table 1.") for p in text) and any(p.startswith("Figure 1.") for p in text)
    assert not any(word in " ".join(text) for word in ("Nơi nhận", "BÁO CÁO", "Hình ", "Bảng "))
    # after 2025 the report measures against 2030 and names the area as it then was
    # (the pilot may say how period 2025 did against the 2025 targets)
    assert any("2030 target" in p for p in text)
    assert not any("2025 target" in p for p in text if not p.startswith("Period 2025:"))
    assert any("the former Bà Rịa – Vũng Tàu province area, now part of Hồ Chí Minh City" in p for p in text)
