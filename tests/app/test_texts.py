"""Every page, in both languages, with every section opened and every kind of audit event in the
database: no text looks like a translation key (the audit page showed `audit.action_respond`),
and no table draws "None", "nan" or "NaT" (Streamlit draws a missing value as "None" unless told).
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from functools import cache

import pyarrow as pa
import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from sca_metrics import settings
from sca_metrics.reference import i18n
from sca_metrics.reference.roles import Actor
from sca_metrics.settings import ROOT
from sca_metrics.store import queries, schema

PAGES = ("overview", "domain", "pilot?tab=series", "pilot?tab=progress", "pilot?tab=wards", "whatif",
         "submissions", "roadmap", "upload", "exports", "method", "audit", "users")
MISSING_WORDS = re.compile(r"^(None|nan|NaN|NaT|<NA>|null)$|\b(None|nan|NaT)\b")


@cache
def key_pattern() -> re.Pattern:
    """`section.key` for any section of the translation files: what a missing key looks like."""
    sections = sorted({k.split(".")[0] for lang in i18n.LANGS for k in i18n.catalogue(lang)}, key=len,
                      reverse=True)
    # not a file's name in a path (data/report.toml), nor part of a longer dotted name
    return re.compile(r"(?<![\w/.])(?:" + "|".join(map(re.escape, sections)) + r")\.[a-z_][a-z0-9_]*\b(?!\.)")


@pytest.fixture(scope="module")
def every_event_db(demo_data, tmp_path_factory):
    """The demo with one of every kind of write in its audit log."""
    path = tmp_path_factory.mktemp("texts") / "demo.duckdb"
    shutil.copy(demo_data[0], path)
    con = schema.connect(path)
    admin = Actor.local("admin")
    sid = int(queries.submissions(con, "SYT", "2024").query("status == 'current'").id.iloc[0])
    queries.withdraw(con, sid, admin, "Nộp nhầm kỳ")
    codes = [d.code for d in demo_data[1].departments]
    queries.grant(con, admin, "yt@example.vn", "uploader", ["SYT"], codes)
    queries.grant(con, admin, "lanhdao@example.vn", "viewer", [], codes)
    queries.revoke(con, admin, "lanhdao@example.vn")
    comment = queries.roadmap_comments(con, "2026").iloc[0]
    queries.respond(con, admin, int(comment.submission_id), int(comment.sheet_row), "explained", "Đã có")
    queries.open_round(con, admin, "2026", date(2026, 3, 31), [], "Nộp trước 31/3", codes)
    queries.extend_round(con, admin, "2026", date(2026, 4, 15))
    queries.close_round(con, admin, "2026")
    assert set(queries.audit_log(con).action) == set(queries.AUDIT_ACTIONS)
    con.close()
    return path


def strings(value) -> list[str]:
    """Every text in a protobuf message turned into a dict (a chart's spec parsed too)."""
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            if key == "spec" and isinstance(item, str):  # a plotly figure's JSON
                found += strings(json.loads(item))
            elif key not in ("data", "displayValues", "id", "formId", "arrowData"):
                found += strings(item)
        return found
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return [value] if isinstance(value, str) else []


def drawn_tables(node) -> list[tuple[object, list[str], int]]:
    """Each table of the tree: (its element, the texts its cells show, how many cells are empty)."""
    found = []
    if type(node).__name__ in ("Dataframe",) and node.proto.HasField("arrow_data"):
        data = node.proto.arrow_data
        frame = pa.ipc.open_stream(data.data).read_all().to_pandas()
        shown = (pa.ipc.open_stream(data.styler.display_values).read_all().to_pandas()
                 if data.HasField("styler") else frame)
        texts = [str(c) for c in frame.columns] + [v for v in shown.to_numpy().ravel() if isinstance(v, str)]
        found.append((node, texts, int(frame.isna().to_numpy().sum())))
    for child in getattr(node, "children", {}).values():
        found += drawn_tables(child)
    return found


def texts_of(node) -> list[str]:
    found = strings(MessageToDict(node.proto)) if getattr(node, "proto", None) is not None else []
    for child in getattr(node, "children", {}).values():
        found += texts_of(child)
    return found


def keyed_sections(node) -> set[str]:
    """The keys of every expander and popover drawn (made only while open: they are opened)."""
    found = set()
    proto = getattr(node, "proto", None)
    kind = type(proto).__name__
    if kind == "Block" and proto.WhichOneof("type") == "popover":
        proto = proto.popover
    elif kind != "Expandable":
        proto = None
    if proto is not None and proto.id.startswith("$$ID-"):
        found.add(proto.id.split("-", 2)[2])
    for child in getattr(node, "children", {}).values():
        found |= keyed_sections(child)
    return found


@cache
def rendered(db: str, page: str, lang: str):
    """The page with every section open, once per test run."""
    name, _, query = page.partition("?")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    if query:
        key, _, value = query.partition("=")
        at.query_params[key] = i18n.t(f"pilot.tab_{value}", lang) if key == "tab" else value
    at.run()
    at.switch_page(f"views/{name}.py").run()
    opened: set[str] = set()
    for _ in range(3):  # a section opened may hold another
        closed = keyed_sections(at._tree) - opened
        if not closed:
            break
        for key in closed:
            at.session_state[key] = True
        opened |= closed
        at.run()
    assert not at.exception, (page, lang, at.exception)
    return at


@pytest.fixture
def page_of(every_event_db, monkeypatch):
    monkeypatch.setenv("SCA_DB", str(every_event_db))
    settings.reload()
    return lambda page, lang: rendered(str(every_event_db), page, lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_a_translation_key(page_of, page, lang):
    at = page_of(page, lang)
    texts = texts_of(at._tree) + [t for _, cells, _ in drawn_tables(at._tree) for t in cells]
    keys = sorted({m.group() for text in texts for m in key_pattern().finditer(text)})
    assert not keys, (page, lang, keys)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_no_table_draws_none_nan_or_nat(page_of, page, lang):
    """A missing value is drawn "–" (the table's placeholder); no cell's text says None/nan/NaT."""
    at = page_of(page, lang)
    tables = drawn_tables(at._tree)
    for element, cells, empty in tables:
        assert element.proto.placeholder == "–" or not empty, (page, lang, empty)
        said = sorted({c for c in cells if MISSING_WORDS.search(c)})
        assert not said, (page, lang, said)


def test_the_audit_page_names_every_kind_of_event(page_of):
    """Each action the store writes has its name and its sentence in both languages."""
    for lang in ("vi", "en"):
        at = page_of("audit", lang)
        table = next(e.value for e in at.dataframe if i18n.t("audit.what", lang) in e.value.columns)
        named = set(table[i18n.t("audit.action", lang)])
        assert named == {i18n.t(f"audit.action_{a}", lang) for a in queries.AUDIT_ACTIONS}
        assert not {n for n in named if key_pattern().search(n)}
        answered = table[table[i18n.t("audit.action", lang)] == i18n.t("audit.action_respond", lang)]
        assert answered[i18n.t("audit.what", lang)].str.contains(i18n.t("roadmap.explained", lang)).any()
    assert {o for o in page_of("audit", "vi").multiselect(key="audit_actions").options} == {
        i18n.t(f"audit.action_{a}", "vi") for a in queries.AUDIT_ACTIONS}


def test_every_audit_action_is_written_in_both_languages():
    for action in queries.AUDIT_ACTIONS:
        for lang in i18n.LANGS:
            for key in (f"audit.action_{action}", f"audit.what_{action}"):
                assert key in i18n.catalogue(lang), (key, lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_no_page_points_a_reader_at_the_source_tree(page_of, page, lang):
    """The roadmap sent officials to "docs/roadmap.md", a file of the repository they never see."""
    at = page_of(page, lang)
    said = [text for text in texts_of(at._tree) if re.search(r"\bdocs/|\b[\w-]+\.md\b", text)]
    assert not said, (page, lang, said)


@pytest.mark.parametrize("page", PAGES)
def test_no_list_offers_streamlits_english_select_all(page_of, page):
    """Streamlit draws «Select all» in English on the Vietnamese page; an empty choice already
    means every item, so every multiselect has it off."""
    at = page_of(page, "vi")
    assert all(not m.proto.select_all for m in at.multiselect), page
