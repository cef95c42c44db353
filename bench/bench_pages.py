"""Server time of a full rerun of each dashboard page on the demo database, caches warm.

    .venv/bin/python bench/bench_pages.py

Each page is opened once (to warm the caches), then rerun 20 times with Streamlit's AppTest,
which executes app.py and the page exactly as the server does, without a browser; the median
and the worst of the 20 are reported (target: median under 300 ms). Two heavier cases are
measured too: the upload page holding a valid return (checked and compared with the current
one at every rerun) and the what-if page with a new weight at every rerun (scores and 1,000
Monte Carlo runs recomputed, nothing cached). The pilot page runs only its open tab: its
other two tabs are timed too. Results also go to bench/results/pages.json.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.timing import report  # noqa: E402
from sca_metrics import settings  # noqa: E402
from sca_metrics.demo import build_demo  # noqa: E402
from sca_metrics.outputs.exports import XLSX_MIME  # noqa: E402
from sca_metrics.reference import i18n  # noqa: E402
from sca_metrics.reference.catalog import default_catalog  # noqa: E402
from sca_metrics.store import schema  # noqa: E402
from tests.helpers import valid_return  # noqa: E402

RUNS = 20
PAGES = ("overview", "domain", "pilot", "whatif", "submissions", "upload", "exports", "method")
PILOT_TABS = ("progress", "wards")  # besides the first


def timed(at: AppTest, before=None) -> list[float]:
    times = []
    for k in range(RUNS):
        if before:
            before(at, k)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return times


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def summary(times: list[float]) -> dict:
    return {"median_ms": round(1000 * statistics.median(times), 1),
            "max_ms": round(1000 * max(times), 1), "runs": len(times)}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        con = schema.connect(db)
        build_demo(con, default_catalog())
        con.close()
        os.environ["SCA_DB"] = str(db)
        settings.reload()
        result = {}
        for page in PAGES:
            result[page] = summary(timed(open_page(page)))

        at = open_page("upload")
        at.selectbox(key="up_department").set_value("SYT")
        at.selectbox(key="up_period").set_value("2024").run()
        data = valid_return(default_catalog(), "SYT", "2024")
        at.file_uploader[0].set_value(("DTTM_SYT_2024.xlsx", data, XLSX_MIME)).run()
        assert [b for b in at.button if b.key == "up_confirm"], "the valid return was not previewed"
        result["upload_with_valid_return"] = summary(timed(at))

        for name in PILOT_TABS:
            at = open_page("pilot")
            at.session_state["tab"] = i18n.t(f"pilot.tab_{name}")  # the label is the tab's state
            at.run()
            result[f"pilot_tab_{name}"] = summary(timed(at))

        at = open_page("whatif")

        def new_weight(at: AppTest, k: int) -> None:
            at.select_slider(key="w_driver_technology").set_value(round(0.1 * (k + 11), 1))

        result["whatif_new_weights_uncached"] = summary(timed(at, new_weight))
    result["target_median_ms"] = 300
    report("pages", result)


if __name__ == "__main__":
    main()
