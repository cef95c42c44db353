"""Proposals (đề xuất, kiến nghị, issue 30): each drawn from the data, naming what, who and by
when and citing what it rests on; the pack ends with them and each report has them as its last
section. Also the headline change as the reader can check it, and the heatmap's colour being the
level its text states."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from sca_metrics.method import proposals, roadmap
from sca_metrics.method.roadmap import Task
from sca_metrics.method.scoring import level
from sca_metrics.outputs import briefing, report, score_figures
from sca_metrics.outputs.documents import sentences
from sca_metrics.outputs.documents.context import Context
from sca_metrics.reference import vocabulary
from sca_metrics.reference.i18n import t
from sca_metrics.store import queries, schema

ON = date(2026, 12, 8)


@pytest.fixture(scope="module")
def plan(demo_data, tmp_path_factory):
    # a copy: another test of this process may hold the demo database open with other settings
    copy = tmp_path_factory.mktemp("plan") / "demo.duckdb"
    shutil.copyfile(demo_data[0], copy)
    con = schema.connect(copy, read_only=True)
    try:
        return {p: tuple(roadmap.tasks_from_frame(queries.roadmap_tasks(con, p))) for p in ("2024", "2026")}
    finally:
        con.close()


def found(demo_data, plan, period="2026", subs=None, tasks=None):
    _, catalog, by_period, all_subs = demo_data
    return proposals.proposals(by_period[period], catalog, all_subs if subs is None else subs,
                               plan[period] if tasks is None else tasks, ON)


def test_the_domains_furthest_behind_with_the_indicator_costing_each_most(demo_data, plan):
    _, catalog, by_period, _ = demo_data
    s = by_period["2026"]
    behind = [p for p in found(demo_data, plan) if p.kind == "behind"]
    smart = s.domains[(s.domains.domain != vocabulary.FOUNDATIONS) & (s.domains.gap > 0)]
    expected = list(smart.sort_values("gap", ascending=False).domain[:3])
    assert [p.params["domain"] for p in behind] == expected
    for p in behind:
        ind = s.indicators[s.indicators.domain == p.params["domain"]]
        top = ind.loc[ind.gap_contribution.idxmax()]
        assert p.params["indicator"] == top.code
        assert p.who == (catalog.indicator(top.code).department,)  # who: the indicator's department
        assert p.by == date(2030, 12, 31) and p.cites == ("gaps",)  # by the end of the target year
    text = behind[0].text("vi", catalog, ON, {})
    assert text.startswith("Nâng Y tế từ 55,3 lên 99,6 điểm (mục tiêu 2030)")
    assert "Chủ trì: Sở Y tế. Thời hạn: 31/12/2030. Căn cứ: biểu đồ khoảng cách đến mục tiêu." in text


def test_delayed_tasks_by_lead_department_and_phases_without_budget(demo_data, plan):
    _, catalog, _, _ = demo_data
    got = found(demo_data, plan)
    delayed = [p for p in got if p.kind == "delayed"]
    assert [p.who for p in delayed] == [("SXD",), ("CAT",)]  # the two tasks reported late
    assert all(p.by == date(2027, 3, 31) for p in delayed)  # the first quarter after the period
    # named as on the document's date: the police of the city the province became part of
    police = delayed[1].text("vi", catalog, ON, {})
    assert "«Camera an ninh trật tự kết nối trung tâm chỉ huy»" in police
    assert "Chủ trì: Công an Thành phố." in police
    assert delayed[0].text("en", catalog, ON, {}).startswith("Recover the delay of 1 task: ")
    # the 2026–2030 phase has no task, and so no budget: the lead department as it is today
    phase = next(p for p in got if p.kind in ("unplanned", "unbudgeted"))
    assert phase.params["phase"] == "2026-2030" and phase.by == date(2027, 6, 30)
    assert "Chủ trì: Sở Khoa học và Công nghệ." in phase.text("vi", catalog, ON, {})
    # the order of the rules: domains, foundations, delays, missing returns, phases
    kinds = [p.kind for p in got]
    order = ["behind", "foundations_early", "foundations_unbuilt", "foundations_low", "delayed", "missing",
             "unbudgeted", "unplanned"]
    assert kinds == sorted(kinds, key=order.index)


def test_a_phase_with_tasks_but_no_budget_counts_them_in_english_plurals(demo_data, plan):
    _, catalog, _, _ = demo_data
    late = [Task(f"X-{k}", f"Nhiệm vụ {k}", "health", "2026-2030", 2027, 2028, "SYT") for k in (1, 2)]
    got = [p for p in found(demo_data, plan, tasks=plan["2026"] + tuple(late)) if p.kind == "unbudgeted"]
    assert len(got) == 1 and got[0].params["n"] == 2
    assert "the plan has 2 tasks of the programme in it and no budget" in got[0].text("en", catalog, ON, {})


def test_a_layer_scheduled_after_the_tasks_resting_on_it(demo_data, plan):
    """Tasks that start before the layer they depend on is built: complete the layer first (or
    reschedule), led by the layer's builders, by the end of the year the first of them starts."""
    _, catalog, _, _ = demo_data
    tasks = (Task("L-1", "Trung tâm dữ liệu mới", "infrastructure", "2026-2030", 2026, 2029, "STTTT",
                  budget=50.0, budget_source="state", indicators=("FND.T2",)),
             Task("D-1", "Bệnh án điện tử giai đoạn 2", "health", "2026-2030", 2027, 2028, "SYT",
                  budget=10.0, budget_source="state", depends_on=("infrastructure",), indicators=("HLT.T2",)))
    got = next(p for p in found(demo_data, plan, tasks=tasks) if p.kind.startswith("foundations"))
    assert got.kind == "foundations_early" and got.who == ("STTTT",) and got.by == date(2027, 12, 31)
    assert got.params["ready"] == 2029 and got.cites == ("foundations", "roadmap")
    text = got.text("vi", catalog, ON, {"foundations": "Hình 2"})
    assert text.startswith("Hoàn thành Hạ tầng (theo kế hoạch xong năm 2029) trước khi triển khai")
    assert "«Bệnh án điện tử giai đoạn 2»" in text and "Chủ trì: Sở Khoa học và Công nghệ." in text
    assert text.endswith("Căn cứ: Hình 2 và trang Lộ trình.")


def test_departments_that_did_not_report_within_a_month(demo_data, plan):
    _, catalog, _, subs = demo_data
    without = subs[~((subs.period == "2026") & subs.department.isin(["SYT", "SDL"]))]
    got = next(p for p in found(demo_data, plan, subs=without) if p.kind == "missing")
    assert set(got.who) == {"SYT", "SDL"} and got.by == date(2027, 1, 7)
    text = got.text("vi", catalog, ON, {})
    assert "Gửi phiếu khảo sát kỳ 2026 còn thiếu (2 đơn vị)." in text and "Sở Y tế" in text
    assert "Sở Du lịch" in text and "Thời hạn: 07/01/2027." in text


def test_nothing_to_decide_is_said_so(demo_data):
    _, catalog, by_period, subs = demo_data
    s = by_period["2026"]
    met = dataclasses.replace(s, domains=s.domains.assign(gap=-1.0))
    ctx = Context(catalog, {"2026": met}, subs, "2026", "vi", True)
    assert proposals.proposals(met, catalog, subs, (), ON) == []
    assert sentences.proposal_lines(ctx, {}) == ()
    said = "Số liệu kỳ 2026 không cho thấy vấn đề nào cần Ban Chỉ đạo quyết định."
    assert next(s for s in briefing.deck(ctx) if s.key == "proposals").sentences == (said,)
    blocks = report.contents(ctx)
    assert [b.text for b in blocks[-2:]] == ["VI. ĐỀ XUẤT, KIẾN NGHỊ", said]


def test_the_pack_ends_with_them_citing_its_own_slides(demo_data, plan):
    _, catalog, by_period, subs = demo_data
    ctx = Context(catalog, by_period, subs, "2026", "vi", True, datetime(2026, 12, 8), plan["2026"])
    deck = briefing.pack_slides(ctx)
    last = [s for s in deck if s.key.startswith("proposals")]
    assert deck[-len(last):] == last and last[0].title == "Đề xuất, kiến nghị"
    lines = [line for s in last for line in s.sentences]
    assert [int(re.match(r"(\d+)\. ", line)[1]) for line in lines] == list(range(1, len(lines) + 1))
    gaps = next(s for s in deck if s.key == "gaps")
    assert f"Căn cứ: trang «{gaps.title}»." in lines[0]
    assert any("Khắc phục chậm tiến độ" in line for line in lines)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_report_ends_with_numbered_proposals_citing_its_table_and_figures(demo_data, plan, lang):
    _, catalog, by_period, subs = demo_data
    ctx = Context(catalog, by_period, subs, "2026", lang, True, datetime(2026, 12, 8), plan["2026"])
    blocks = report.contents(ctx)
    heads = [i for i, b in enumerate(blocks) if isinstance(b, report.Heading) and b.level == 1]
    assert blocks[heads[-1]].text == f"VI. {t('proposals.heading', lang)}"
    said = [b.text for b in blocks[heads[-1] + 1:]]
    assert said[0] == t("proposals.intro", lang, period="2026",
                        body=report.letterhead().body(lang, date(2026, 12, 8)))
    assert all(re.match(rf"{k}\. ", line) for k, line in enumerate(said[1:], start=1))
    # the domains behind their target cite Table 1, which states every gap
    assert said[1].endswith(f"{t('proposals.cite_table', lang, n=1)}.")


def test_the_headline_change_is_the_difference_of_the_scores_shown(demo_data):
    """65,1 − 59,8 = 5,3 as printed; the like-for-like change beside it, with why it differs;
    then the meaning in plain words."""
    _, catalog, by_period, subs = demo_data
    title = briefing.deck(Context(catalog, by_period, subs, "2026", "vi", True))[0].sentences
    change = next(s for s in title if s.startswith(("Tăng", "Giảm")))
    got = re.fullmatch(r"Tăng (\d+,\d) điểm so với kỳ 2025 \(từ (\d+,\d) lên (\d+,\d) điểm\)\.", change)
    shown = [float(g.replace(",", ".")) for g in got.groups()]
    assert shown[0] == pytest.approx(shown[2] - shown[1])
    assert shown[1:] == [59.8, 65.1] and shown[0] == 5.3
    like = next(s for s in title if s.startswith("Nếu chỉ so"))
    assert "tăng 5,2 điểm" in like and "chỉ có số liệu ở một trong hai kỳ" in like
    assert ("Nghĩa là: mức sẵn sàng chung đã lên mức 4 — Quản lý (kỳ 2025: mức 3). "
            "Cần thêm 14,9 điểm để lên mức 5.") in title


def test_the_heatmap_colours_a_cell_by_the_level_its_text_states(demo_data):
    """A cell printed 60,0 (59,97) is level 4 in the text: its colour is level 4's, not the
    raw score's band (level 3); the colours count the cells by level as the sentence does."""
    _, _, by_period, _ = demo_data
    s = by_period["2026"]
    cells = s.cells.copy()
    first = cells.index[(cells.domain == "health") & (cells.driver == vocabulary.DRIVER_CODES[0])][0]
    cells.loc[first, "score"], cells.loc[first, "level"] = 59.97, level(59.97)
    s = dataclasses.replace(s, cells=cells)
    fig = score_figures.heatmap(s, "vi")
    z = np.asarray(fig.data[-2].z, dtype=float)  # the coloured heatmap (the grey one first when any)
    scale = fig.data[-2].colorscale

    def colour(v: float) -> str:
        bands = zip(scale[::2], scale[1::2], strict=True)
        return next(c for (lo, c), (hi, _) in bands if lo * 100 <= v <= hi * 100)

    health = list(s.cells[s.cells.domain != vocabulary.FOUNDATIONS].domain.drop_duplicates()).index("health")
    assert colour(z[health][0]) == vocabulary.LEVELS[3].colour  # level 4
    by_colour = pd.Series([colour(v) for v in z.ravel() if not np.isnan(v)]).value_counts()
    sentence = next(line for line in sentences.heatmap_sentences(s, "vi") if "ô có điểm" in line)
    for lv in vocabulary.LEVELS:
        said = re.search(rf"(\d+) ô mức {lv.code}\b", sentence)
        assert int(by_colour.get(lv.colour, 0)) == (int(said[1]) if said else 0)
