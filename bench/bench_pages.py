"""Server time of a full rerun of each dashboard page on the demo database, caches warm.

    .venv/bin/python bench/bench_pages.py [--scale 34]

With --scale K, the same pages are also timed on the demo at K times its departments
(bench/scale.py; the method page with its data audit open as well), side by side in one run:
each page's median at K× beside its 1× median and their ratio (goals: under 2 s and at most 3×).

Each page is opened once (to warm the caches), then rerun 20 times with Streamlit's AppTest,
which executes app.py and the page exactly as the server does, without a browser; the median
and the worst of the 20 are reported (target: median under 300 ms). Two heavier cases are
measured too: the upload page holding a valid return (checked and compared with the current
one at every rerun) and the what-if page with a new weight at every rerun (scores and 1,000
Monte Carlo runs recomputed, nothing cached). The pilot page runs only its open tab: its
other two tabs are timed too. Results also go to bench/results/pages.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from bench import scale  # noqa: E402
from bench.timing import check, report  # noqa: E402
from sca_metrics import settings  # noqa: E402
from sca_metrics.demo import build_demo  # noqa: E402
from sca_metrics.outputs.exports import XLSX_MIME  # noqa: E402
from sca_metrics.reference import i18n  # noqa: E402
from sca_metrics.reference.catalog import default_catalog  # noqa: E402
from sca_metrics.store import schema  # noqa: E402
from tests.helpers import current_roadmap, valid_return  # noqa: E402

RUNS = 20
PAGES = ("overview", "domain", "pilot", "whatif", "submissions", "roadmap", "upload", "exports", "method",
         "audit", "users")  # every page of app.py
PILOT_TABS = ("progress", "wards")  # besides the first


def timed(at: AppTest, before=None, runs: int = RUNS) -> list[float]:
    times = []
    for k in range(runs):
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


def at_scale(k: int, runs: int) -> dict:
    """Each page (and the method page's audit open) on the demo at k× its departments."""
    data, cached_db = scale.scaled(k)
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        shutil.copy(cached_db, db)  # the cached one stays as built
        os.environ["SCA_DB"], os.environ["SCA_DATA_DIR"] = str(db), str(data)
        settings.reload()
        for page in PAGES:
            out[page] = summary(timed(open_page(page), runs=runs))
        at = open_page("method")
        at.session_state["method_audit"] = True
        out["method_audit_open"] = summary(timed(at, runs=runs))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--scale-runs", type=int, default=5)
    parser.add_argument("--only-at-scale", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only_at_scale:  # in a process of its own: the catalog is read once per process
        print(json.dumps(at_scale(args.scale, args.scale_runs)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        con = schema.connect(db)
        build_demo(con, default_catalog())
        plan = current_roadmap(con, "SYT", "2024")
        con.close()
        os.environ["SCA_DB"] = str(db)
        settings.reload()
        result = {}
        for page in PAGES:
            result[page] = summary(timed(open_page(page)))

        at = open_page("upload")
        at.selectbox(key="up_department").set_value("SYT")
        at.selectbox(key="up_period").set_value("2024").run()
        data = valid_return(default_catalog(), "SYT", "2024", plan)  # the template as the page gives it
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
        at = open_page("method")
        at.session_state["method_audit"] = True
        result["method_audit_open"] = summary(timed(at))
    result["target_median_ms"] = 300
    result["checks"] = [check(f"{page}: median rerun", result[page]["median_ms"], 300, " ms")
                        for page in PAGES]
    if args.scale > 1:
        command = [sys.executable, __file__, "--only-at-scale", "--scale", str(args.scale),
                   "--scale-runs", str(args.scale_runs)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        scaled = json.loads(done.stdout.strip().splitlines()[-1])
        result[f"x{args.scale}"] = scaled
        for page, times in scaled.items():
            base = result[page]["median_ms"]
            result["checks"] += [
                check(f"{page} at {args.scale}×: median rerun", round(times["median_ms"] / 1000, 3), 2, " s"),
                check(f"{page} at {args.scale}× ÷ at 1×", round(times["median_ms"] / base, 2), 3, "×")]
    report("pages", result)


if __name__ == "__main__":
    main()
