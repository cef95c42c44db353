"""Before confirming, the official sees exactly what an upload changes."""

import pandas as pd

from sca_metrics.intake.ingest import check_bytes, ingest_bytes
from sca_metrics.intake.preview import CHANGED, NEW, REMOVED, UNCHANGED, changes, summary
from sca_metrics.reference.roles import Actor
from sca_metrics.store import queries
from tests.helpers import fill, full_values, template, to_bytes


def test_first_return_is_all_new(con, catalog):
    checked = check_bytes(to_bytes(fill(template(catalog), full_values(catalog, "SYT"))), catalog)
    frame = changes(checked, queries.current_observations(con, "2024"))
    assert set(frame.change) == {NEW}
    assert summary(frame)[NEW] == len(catalog.for_department("SYT"))


def test_new_changed_removed_and_unchanged_against_the_current_return(con, catalog):
    values = full_values(catalog, "SYT")
    values.pop("HLT.T2")
    ingest_bytes(con, to_bytes(fill(template(catalog), values)), "v1.xlsx", catalog, Actor.local("t"))
    current = queries.current_observations(con, "2024")

    update = dict(values, **{"HLT.T1": 77.5, "HLT.T2": 12})  # one changed, one new
    update.pop("HLT.R1")  # one removed (left empty)
    wb = template(catalog)
    fill(wb, update)
    checked = check_bytes(to_bytes(wb), catalog)
    frame = changes(checked, current[current.department == "SYT"]).set_index("indicator")

    assert frame.loc["HLT.T1", "change"] == CHANGED and frame.loc["HLT.T1", "new_value"] == 77.5
    assert frame.loc["HLT.T2", "change"] == NEW and pd.isna(frame.loc["HLT.T2", "old_value"])
    assert frame.loc["HLT.R1", "change"] == REMOVED and pd.isna(frame.loc["HLT.R1", "new_value"])
    assert frame.loc["HLT.T3", "change"] == UNCHANGED
    counts = summary(frame.reset_index())
    assert (counts[NEW], counts[CHANGED], counts[REMOVED]) == (1, 1, 1)
    assert list(frame.change[:3]) == [NEW, CHANGED, REMOVED]  # what matters first


def test_a_different_quality_flag_is_a_change(con, catalog):
    values = full_values(catalog, "SYT")
    ingest_bytes(con, to_bytes(fill(template(catalog), values)), "v1.xlsx", catalog, Actor.local("t"))
    checked = check_bytes(to_bytes(fill(template(catalog), values, quality="Ước tính (Estimate)")),
                          catalog)
    frame = changes(checked, queries.current_observations(con, "2024"))
    assert set(frame.change) == {CHANGED}
    assert set(frame.old_quality) == {"measured"} and set(frame.new_quality) == {"estimate"}


def test_ward_values_are_compared_ward_by_ward(con, catalog):
    from sca_metrics.snapshot import unit_frame
    from tests.helpers import fill_wards, full_ward_values

    wb = template(catalog, "UBNDVT", "2026")
    values = full_ward_values(catalog, wb)
    ingest_bytes(con, to_bytes(fill_wards(wb, values)), "v1.xlsx", catalog, Actor.local("t"))
    again = template(catalog, "UBNDVT", "2026")
    fill_wards(again, {**values, ("HCM-TAMTHANG", "VT.SEC.T1"): 999})
    frame = changes(check_bytes(to_bytes(again), catalog), unit_frame(con, "2026"))
    assert len(frame) == 35
    [changed] = frame[frame.change == CHANGED].itertuples()
    assert (changed.indicator, changed.unit, changed.new_value) == ("VT.SEC.T1", "HCM-TAMTHANG", 999)
