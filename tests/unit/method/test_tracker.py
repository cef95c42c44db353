"""Who has submitted for a period, how complete, and who is missing."""

from sca_metrics.intake.ingest import ingest_bytes
from sca_metrics.method import tracker
from sca_metrics.reference.roles import Actor
from sca_metrics.store import queries
from tests.helpers import fill, template, to_bytes, valid_return


def test_missing_submitted_and_withdrawn_departments(con, catalog):
    ingest_bytes(con, valid_return(catalog, "SYT", "2024"), "syt.xlsx", catalog, Actor.local("t"))
    half = dict(list({i.code: 10 for i in catalog.for_department("SGTVT")
                      if i.kind in ("number", "percent")}.items())[:2])
    ingest_bytes(con, to_bytes(fill(template(catalog, "SGTVT", "2024"), half)), "gt.xlsx", catalog,
                 Actor.local("t"))
    gone = ingest_bytes(con, valid_return(catalog, "SDL", "2024"), "dl.xlsx", catalog, Actor.local("t"))
    queries.withdraw(con, gone.submission_id, Actor.local("t"), "wrong file")
    status = tracker.period_status(catalog, queries.submissions(con), "2024").set_index("department")

    assert len(status) == len(catalog.departments)
    assert status.loc["SYT", "state"] == tracker.SUBMITTED and status.loc["SYT", "coverage"] == 1.0
    n_gt = len(catalog.for_department("SGTVT"))
    assert status.loc["SGTVT", "coverage"] == 2 / n_gt and status.loc["SGTVT", "n_values"] == 2
    assert status.loc["SDL", "state"] == tracker.WITHDRAWN and status.loc["SDL", "n_versions"] == 1
    assert status.loc["CAT", "state"] == tracker.MISSING and status.loc["CAT", "n_versions"] == 0
    missing = tracker.missing_departments(status.reset_index())
    assert "SDL" in missing and "CAT" in missing and "SYT" not in missing and "SGTVT" not in missing


def test_versions_are_counted_and_the_latest_is_current(con, catalog):
    ingest_bytes(con, valid_return(catalog, "SYT", "2024"), "v1.xlsx", catalog, Actor.local("t"))
    wb = fill(template(catalog, "SYT", "2024"), {"HLT.T1": 50})
    ingest_bytes(con, to_bytes(wb), "v2.xlsx", catalog, Actor.local("t"))
    row = tracker.period_status(catalog, queries.submissions(con), "2024").set_index("department").loc["SYT"]
    assert row.version == 2 and row.n_versions == 2 and row.file_name == "v2.xlsx"


def test_coverage_matrix_is_blank_where_nothing_is_current(con, catalog):
    ingest_bytes(con, valid_return(catalog, "SYT", "2024"), "syt.xlsx", catalog, Actor.local("t"))
    matrix = tracker.coverage_matrix(catalog, queries.submissions(con), ["2023", "2024"])
    assert matrix.loc["SYT", "2024"] == 1.0
    assert matrix["2023"].isna().all() and matrix.loc["CAT"].isna().all()
