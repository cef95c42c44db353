import pytest

from sca_metrics.demo import CORRECTED, DEMO_PERIODS, build_demo, demo_returns
from sca_metrics.reference.units import default_units
from sca_metrics.snapshot import observation_frame, unit_frame
from sca_metrics.store import queries, schema


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from sca_metrics.reference.catalog import default_catalog

    con = schema.connect(tmp_path_factory.mktemp("demo") / "demo.duckdb")
    results = build_demo(con, default_catalog())
    yield con, results
    con.close()


def test_every_department_has_a_current_return_each_year(demo_db, catalog):
    con, results = demo_db
    assert {r.status for r in results} == {"accepted"}
    current = queries.submissions(con).query("status == 'current'")
    assert len(current) == len(catalog.departments) * len(DEMO_PERIODS)
    assert set(current.period) == set(DEMO_PERIODS) == {str(y) for y in range(2018, 2027)}


def test_demo_has_one_superseded_return_and_is_labelled(demo_db):
    con, _ = demo_db
    subs = queries.submissions(con)
    superseded = subs.query("status == 'superseded'")
    assert list(zip(superseded.department, superseded.period, strict=True)) == [CORRECTED]
    assert subs.is_demo.all() and queries.is_demo(con)


def test_demo_has_missing_values_and_progress(demo_db, catalog):
    con, _ = demo_db
    obs = observation_frame(con)
    expected = len(catalog.indicators) * len(DEMO_PERIODS)
    assert 0.8 * expected < len(obs) < expected
    first, last = (obs[obs.period == p].set_index("indicator").value for p in ("2018", "2026"))
    both = first.index.intersection(last.index)
    improved = 0
    for code in both:
        ind = catalog.indicator(code)
        sign = 1 if ind.direction == "higher" else -1
        improved += sign * (last[code] - first[code]) > 0
    assert improved / len(both) > 0.7


def test_pilot_wards_across_the_2025_change(demo_db, catalog):
    con, _ = demo_db
    wards = unit_frame(con)
    per_period = wards.groupby("period").unit.nunique()
    assert per_period["2024"] == 17 and per_period["2025"] == per_period["2026"] == 5
    assert set(wards[wards.period == "2026"].unit) == {u.code for u in default_units().pilot_units("2026")}
    # the city series of every pilot indicator runs on through 2025 without a gap
    city = observation_frame(con)
    pilots = [i.code for i in catalog.indicators if i.pilot]
    for period in ("2020", "2024", "2025", "2026"):
        assert set(pilots) <= set(city[city.period == period].indicator), period


def test_demo_is_deterministic(catalog):
    a = [(f.file_name, f.department) for f in demo_returns(catalog, ("2020",))]
    b = list(demo_returns(catalog, ("2020",)))
    assert a == [(f.file_name, f.department) for f in b]
    from sca_metrics.intake.ingest import check_bytes

    first = [check_bytes(f.data, catalog).records for f in b]
    second = [check_bytes(f.data, catalog).records for f in demo_returns(catalog, ("2020",))]
    assert first == second


def test_demo_command_refuses_a_database_with_data(tmp_path):
    from sca_metrics.cli import main

    db = tmp_path / "d.duckdb"
    con = schema.connect(db)
    con.close()
    assert main(["demo", "--db", str(db), "--if-empty"]) == 0  # empty → builds
    assert main(["demo", "--db", str(db), "--if-empty"]) == 0  # already filled → no-op
    assert main(["demo", "--db", str(db)]) == 1


def test_the_demo_plan_follows_the_articles_order_with_one_broken_dependency(demo_data):
    """Foundations first (architecture 2018–2019, infrastructure 2019–2021, operations centre
    2020–2021), then the domains; some tasks delayed; one domain task started before the
    operations centre it depends on; one sector project outside the programme."""
    from sca_metrics.method import roadmap
    from sca_metrics.reference import vocabulary

    path, catalog, _, _ = demo_data
    con = schema.connect(path, read_only=True)
    tasks = roadmap.tasks_from_frame(queries.roadmap_tasks(con))
    comments = queries.roadmap_comments(con)
    con.close()
    first = {area: min(k.start_year for k in tasks if k.area == area) for area in vocabulary.LAYER_CODES}
    assert first == {"architecture": 2018, "infrastructure": 2019, "operations": 2020}
    assert min(k.start_year for k in tasks if k.area in vocabulary.SMART_DOMAIN_CODES) >= 2019
    flags = roadmap.flags(tasks, catalog, 2026)
    assert [f.task for f in flags if f.code == "before_dependency"] == ["SGTVT-01"]
    assert {f.task for f in flags if f.code == "delayed"} >= {"SXD-01"}
    unlinked = [f.params["project"] for f in flags if f.code == "project_unlinked"]
    assert unlinked == ["Đề án Bệnh viện thông minh"]
    assert not [f for f in flags if f.code == "area_without_task"]
    assert {"accepted", "explained"} == set(comments.response)
    assert comments[comments.response == "explained"].explanation.str.len().min() > 20
