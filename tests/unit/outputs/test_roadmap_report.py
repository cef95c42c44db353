"""The consolidated report for the Steering Committee: its sections in order, the budget totals
matching the tasks, each area's tasks, the flags, the comments table with the responses."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

from sca_metrics.method import roadmap
from sca_metrics.outputs import roadmap_report
from sca_metrics.outputs.documents.context import Context
from sca_metrics.reference import formatting
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.store import queries, schema


@pytest.fixture(scope="module")
def made(demo_data):
    path, catalog, by_period, subs = demo_data
    con = schema.connect(path, read_only=True)
    tasks, comments = queries.roadmap_tasks(con, "2026"), queries.roadmap_comments(con, "2026")
    con.close()
    out = {}
    for lang in ("vi", "en"):
        ctx = Context(catalog, by_period, subs, "2026", lang, True)
        out[lang] = Document(io.BytesIO(roadmap_report.build(ctx, tasks, comments)))
    return out, roadmap.tasks_from_frame(tasks), comments


def texts(doc) -> list[str]:
    return ["".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
            for p in doc.element.body.iter() if p.tag.endswith("}p")]


def test_the_sections_come_in_order_in_the_official_format(made):
    docs, _, _ = made
    text = texts(docs["vi"])
    heads = [line for line in text if re.match(r"^[IV]+\. ", line)]
    assert heads == ["I. TỔNG QUAN KẾ HOẠCH", "II. NHIỆM VỤ THEO NỀN TẢNG VÀ LĨNH VỰC",
                     "III. NHỮNG ĐIỂM CHƯA ĐỒNG BỘ CỦA KẾ HOẠCH",
                     "IV. TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý", "V. ĐỀ XUẤT, KIẾN NGHỊ"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Nơi nhận:" in text
    summary = text[text.index("BÁO CÁO") + 1]
    assert summary.startswith("Tổng hợp lộ trình thực hiện Đề án") and summary.endswith("kỳ 2026")
    areas = [line for line in text if re.match(r"^\d+\. ", line)]
    assert areas[:4] == ["1. Khung kiến trúc", "2. Hạ tầng (trung tâm dữ liệu, CSDL dùng chung, dữ liệu lớn)",
                         "3. Trung tâm điều hành (IOC)", "4. Chính quyền điện tử"]
    english = texts(docs["en"])
    assert "I. THE PLAN AT A GLANCE" in english and "Recipients:" in english


def test_the_budget_table_adds_up_to_the_tasks(made):
    docs, tasks, _ = made
    table = docs["vi"].tables[1]  # after the letterhead's: the budget by phase and source
    header = [c.text for c in table.rows[0].cells]
    assert header[0] == "Giai đoạn" and header[-1] == "Tổng cộng"
    total_row = [c.text for c in table.rows[-1].cells]
    inside = [k for k in tasks if k.area != "outside"]  # sector projects outside: totalled apart
    total = formatting.number(sum(k.budget or 0 for k in inside), "vi", 1, fixed=True)
    assert total_row[-1] == total == "472,5"
    by_phase = {r.cells[0].text: r.cells[-1].text for r in table.rows[1:-1]}
    first = sum(k.budget or 0 for k in inside if k.phase == "2018-2020")
    assert by_phase["2018–2020"] == formatting.number(first, "vi", 1, fixed=True)


def test_each_area_lists_its_tasks_and_the_flags_are_said(made):
    docs, tasks, _ = made
    cells = {c.text for t in docs["vi"].tables for r in t.rows for c in r.cells}
    assert {k.code for k in tasks} <= cells  # every task in its area's table
    text = " ".join(texts(docs["vi"]))
    assert "Nhiệm vụ SGTVT-01 bắt đầu năm 2020, trước khi Trung tâm điều hành (IOC)" in text
    assert "«Đề án Bệnh viện thông minh» của Sở Y tế" in text
    assert re.search(r"\d+ chỉ số có mục tiêu nhưng chưa có nhiệm vụ nào hướng tới — theo lĩnh vực: ", text)


def test_the_comments_table_gives_each_response(made):
    docs, _, comments = made
    table = docs["vi"].tables[-3]  # the last before the signature's (the appendix after it)
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == len(comments)
    assert {r[3] for r in rows} == {"Tiếp thu", "Giải trình"}
    explained = next(r for r in rows if r[3] == "Giải trình")
    assert len(explained[4]) > 20
    assert "Nhận 5 ý kiến góp ý: tiếp thu 3, giải trình 2, đang xem xét 0." in texts(docs["vi"])


def test_each_layer_has_its_score_and_a_domain_ahead_of_the_foundations_is_said(demo_data):
    """2025 in the demo: the operations centres at level 3 under three domains at level 4."""
    path, catalog, by_period, subs = demo_data
    con = schema.connect(path, read_only=True)
    tasks, comments = queries.roadmap_tasks(con, "2025"), queries.roadmap_comments(con, "2025")
    con.close()
    ctx = Context(catalog, by_period, subs, "2025", "vi", True)
    text = texts(Document(io.BytesIO(roadmap_report.build(ctx, tasks, comments))))
    said = ("Nền tảng trước: lớp nền tảng thấp nhất kỳ này là Trung tâm điều hành (mức 3); số lĩnh vực "
            "đang ở mức cao hơn: 3 (Chính quyền điện tử, Xây dựng, Giao thông vận tải)")
    assert any(line.startswith(said) for line in text)
    egov = text[text.index("4. Chính quyền điện tử") + 1]
    assert "mức 4" in egov and "cao hơn 1 mức so với nền tảng: Trung tâm điều hành mới ở mức 3" in egov
    health = next(line for line in text[text.index("6. Y tế"):] if "điểm" in line)
    assert "so với nền tảng" not in health
    layers = [text[text.index(head) + 1] for head in ("1. Khung kiến trúc", "3. Trung tâm điều hành (IOC)")]
    assert layers[0].startswith("Khung kiến trúc đạt ") and "mức 4" in layers[0]
    assert layers[1].startswith("Trung tâm điều hành đạt ") and "mức 3" in layers[1]


def test_the_report_is_written_for_the_steering_committee(made):
    """Issue 30: names, not codes; the targets without a task counted by domain in the text and
    listed in an appendix after the signature; the sector project outside the programme totalled
    apart; the English edition in English with its plurals and no placeholder; the signature kept
    with the text above it."""
    docs, tasks, _ = made
    vi, en = texts(docs["vi"]), texts(docs["en"])
    assert any(line.startswith("Ngoài ra, 1 nhiệm vụ thuộc dự án chuyên ngành nằm ngoài Đề án "
                               "(Đề án Bệnh viện thông minh), kinh phí 150,0 tỷ đồng") for line in vi)
    leads = {r.cells[3].text for table in docs["vi"].tables[2:] for r in table.rows[1:] if len(r.cells) == 6}
    assert "Sở Khoa học và Công nghệ" in leads and "Công an Thành phố" in leads
    assert not leads & {k.lead_department for k in tasks}  # no department by its code
    appendix = docs["vi"].tables[-1]
    flagged = [f for f in roadmap.flags(tasks, default_catalog(), 2026) if f.code == "unplanned_target"]
    assert len(appendix.rows) == 1 + len(flagged) and vi[vi.index("PHỤ LỤC") - 1] != "GIÁM ĐỐC"
    assert vi.index("PHỤ LỤC") > vi.index("Nơi nhận:")
    names = {r.cells[1].text for r in appendix.rows[1:]}
    assert default_catalog().indicator(str(flagged[0].params["indicator"])).name("vi") in names
    said = next(line for line in vi if "chưa có nhiệm vụ nào hướng tới — theo lĩnh vực:" in line)
    assert not re.search(r"[A-Z]{3}\.[A-Z]\d", said)  # counts, not codes
    english = " ".join(en)
    assert "1 tasks" not in english and "(–)" not in english and "1 task, estimated budget" in english
    assert "Task names are given as the departments submitted them (in Vietnamese)." in en
    paragraphs = docs["vi"].paragraphs
    signature = next(i for i, p in enumerate(paragraphs) if p.text == "" and i > len(paragraphs) // 2
                     and p.paragraph_format.keep_with_next)
    assert paragraphs[signature - 1].paragraph_format.keep_with_next and paragraphs[signature - 1].text
