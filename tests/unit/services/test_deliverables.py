"""Every deliverable of the registry is built in every language it lists, its files are the
ones its names say, and each opens as what its name says it is."""

import io
import re
import zipfile

import pytest

from sca_metrics.services import database, exports, readiness
from sca_metrics.services import roadmap as road

MAGIC = {"xlsx": b"PK", "docx": b"PK", "pptx": b"PK", "pdf": b"%PDF", "csv": b"\xef\xbb\xbf"}


@pytest.fixture(scope="module")
def inputs_of(demo_data):
    path = demo_data[0]

    def make(lang: str) -> exports.Inputs:
        with database.for_reading(path) as db:
            snap = readiness.snapshot(db)
            tasks, comments = road.as_of(db, snap.period())
        return exports.Inputs(snap.catalog, snap.by_period, snap.submissions, snap.period(), lang,
                              snap.is_demo, tasks, comments, snap.wards)
    return make


def test_the_registry_names_each_deliverable_once_with_a_translated_label():
    from sca_metrics.reference import i18n

    assert list(exports.DELIVERABLES) == ["data", "roadmap_data", "roadmap_report", "pack", "report"]
    for d in exports.DELIVERABLES.values():
        assert set(d.languages) == set(i18n.LANGS)
        labels = {i18n.t(d.label, lang) for lang in d.languages}
        assert len(labels) == len(d.languages) and not any(label == d.label for label in labels)


@pytest.mark.parametrize("key", [k for k, d in exports.DELIVERABLES.items() if not d.needs_browser])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_deliverable_without_figures_builds_the_files_its_names_say(inputs_of, key, lang):
    inputs = inputs_of(lang)
    deliverable = exports.DELIVERABLES[key]
    files = deliverable.build(inputs, None, None)
    assert tuple(files) == deliverable.file_names(inputs)
    for name, data in files.items():
        assert re.fullmatch(r"[\w.–-]+", name), name  # no space or path in a file's name
        assert name.endswith(f"_{lang}." + name.rsplit(".", 1)[1]), name
        assert data.startswith(MAGIC[name.rsplit(".", 1)[1]]), name
        assert exports.mime(name)
        if name.endswith((".xlsx", ".docx")):
            assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


@pytest.mark.browser
def test_the_deliverables_with_figures_build_the_files_their_names_say(inputs_of):
    inputs = inputs_of("en")
    for key in ("pack", "report"):
        deliverable = exports.DELIVERABLES[key]
        files = deliverable.build(inputs, None, None)
        assert tuple(files) == deliverable.file_names(inputs)
        assert all(data.startswith(MAGIC[name.rsplit(".", 1)[1]]) for name, data in files.items())
