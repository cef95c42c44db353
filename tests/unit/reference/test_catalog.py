import csv
import io

import pytest

from sca_metrics.reference import vocabulary
from sca_metrics.reference.catalog import CatalogError, load_catalog, read_catalog
from sca_metrics.settings import data_dir

SEED_DEPARTMENTS = {  # named in the 2018 article, plus Environment and the pilot city
    "STTTT", "VPUBND", "STC", "SXD", "SYT", "SGTVT", "SGDDT", "SDL", "CAT", "STNMT", "UBNDVT",
}


def test_shipped_catalog_loads_without_problems(catalog):
    _, problems = read_catalog()
    assert problems == []
    assert len(catalog.indicators) >= 8 * 3 * 3 + 9


def test_every_domain_and_driver_cell_has_at_least_three_indicators(catalog):
    for domain in vocabulary.DOMAIN_CODES:
        for driver in vocabulary.DRIVER_CODES:
            n = sum(i.domain == domain and i.driver == driver and not i.pilot
                    for i in catalog.indicators)
            assert n >= 3, (domain, driver)


def test_indicators_carry_sources_units_and_both_names(catalog):
    sources = {i.source for i in catalog.indicators}
    assert {"u4ssc", "dti", "tt03_2026_bxd", "proposed"} <= sources
    for i in catalog.indicators:
        assert i.name_vi and i.name_en and i.unit_vi and i.unit_en
        if i.source == "u4ssc":
            assert ":" in i.source_ref, i.code  # a KPI code such as "SC: EHH: H: 1C"
    assert any(i.direction == "lower" for i in catalog.indicators)
    assert any(i.pilot and i.department == "UBNDVT" for i in catalog.indicators)


def test_departments_cover_the_seed_article(catalog):
    assert {d.code for d in catalog.departments} == SEED_DEPARTMENTS
    for dept in catalog.departments:
        assert catalog.for_department(dept.code), dept.code


def _write(tmp_path, edit, extra_rows=()):
    """A copy of the shipped catalog with row 1 (file line 2) edited."""
    text = (data_dir() / "catalog.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    fields = list(rows[0])
    edit(rows[0])
    rows.extend(extra_rows)
    path = tmp_path / "catalog.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    return path, rows


@pytest.mark.parametrize(
    ("edit", "code", "column"),
    [
        (lambda r: r.update(domain="agriculture"), "catalog_unknown_domain", "domain"),
        (lambda r: r.update(driver="culture"), "catalog_unknown_driver", "driver"),
        (lambda r: r.update(best=r["worst"]), "catalog_worst_equals_best", "best"),
        (lambda r: r.update(target_2025="150"), "catalog_target_outside", "target_2025"),
        (lambda r: r.update(target_2025="90", target_2030="50"), "catalog_target_backwards",
         "target_2030"),
        (lambda r: r.update(weight="0"), "catalog_weight", "weight"),
        (lambda r: r.update(weight="-1"), "catalog_weight", "weight"),
        (lambda r: r.update(weight="heavy"), "catalog_not_number", "weight"),
        (lambda r: r.update(kind="text"), "catalog_unknown_kind", "kind"),
        (lambda r: r.update(direction="lower"), "catalog_direction", "best"),
        (lambda r: r.update(best="120"), "catalog_percent_goalposts", "best"),
        (lambda r: r.update(department="SXX"), "catalog_unknown_department", "department"),
        (lambda r: r.update(department="SYT"), "catalog_department_domain", "department"),
    ],
)
def test_each_catalog_rule_is_reported_with_file_row_and_field(tmp_path, edit, code, column):
    path, _ = _write(tmp_path, edit)
    catalog, problems = read_catalog(path)
    assert catalog is None
    found = [p for p in problems if p.code == code]
    assert found, [p.code for p in problems]
    p = found[0]
    assert (p.sheet, p.row, p.column) == ("catalog.csv", 2, column)
    assert "catalog.csv" in p.location("vi") and "dòng 2" in p.location("vi")
    assert "line 2" in p.location("en")


def test_duplicate_code_and_all_problems_reported_at_once(tmp_path):
    def edit(r):
        r["weight"] = "0"
        r["domain"] = "nowhere"

    text = (data_dir() / "catalog.csv").read_text(encoding="utf-8")
    first = next(csv.DictReader(io.StringIO(text)))
    path, rows = _write(tmp_path, edit, extra_rows=[dict(first)])
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    codes = {(p.code, p.row) for p in err.value.problems}
    last_line = len(rows) + 1
    assert ("catalog_weight", 2) in codes
    assert ("catalog_unknown_domain", 2) in codes
    assert ("catalog_duplicate_code", last_line) in codes


def test_adding_an_indicator_is_one_row(tmp_path):
    new = {"code": "HLT.T9", "domain": "health", "driver": "technology", "department": "SYT",
           "name_vi": "Tỷ lệ đơn thuốc điện tử", "name_en": "Electronic prescriptions",
           "unit_vi": "%", "unit_en": "%", "kind": "percent", "direction": "higher",
           "worst": "0", "best": "100", "target_2025": "80", "target_2030": "100",
           "weight": "1", "pilot": "0", "log_transform": "0", "source": "proposed",
           "source_ref": ""}
    path, _ = _write(tmp_path, lambda r: None, extra_rows=[new])
    catalog = load_catalog(path)
    assert catalog.indicator("HLT.T9").name_en == "Electronic prescriptions"
    assert "HLT.T9" in {i.code for i in catalog.for_department("SYT")}
