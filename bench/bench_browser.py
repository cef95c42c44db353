"""Every page in a real browser, on the demo and on the demo at 34× its departments, side by side.

    .venv/bin/python bench/bench_browser.py [--scale 34] [--runs 5] [--pages overview,domain]

Two `streamlit run` servers on 127.0.0.1, started as the browser tests start them — one on the
demo database, one on bench/scale.py's database at k× (both copies, caches warm after a first
visit) — and Debian's chromium through Playwright. Each page is loaded in full (a new
navigation, the browser's HTTP cache warm, as a second visit), alternately on either server,
and timed from the navigation until the script has finished and every chart on the page has
drawn. Reported per page: the median at 1× and at k× and their ratio (goals: under 2 s, at most
3×). Results also go to bench/results/browser.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scale  # noqa: E402
from bench.bench_pages import PAGES  # noqa: E402  (every page of app.py, as the server-time bench)
from bench.timing import check, report  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, IDLE, serve  # noqa: E402  (as the browser tests)

# every chart drawn: each plotly element holds its SVG (charts hidden by the phone/desktop CSS too)
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                         .every(c => c.querySelector('svg.main-svg'))"""


def load(page, url: str) -> float:
    """Seconds from the navigation until the script has finished and every chart is drawn."""
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("h1")  # the page's own script has started drawing
    page.wait_for_selector(IDLE)
    page.wait_for_function(CHARTS_DRAWN)
    return time.perf_counter() - start


def main() -> None:
    from playwright.sync_api import sync_playwright

    from sca_metrics.demo import build_demo
    from sca_metrics.reference.catalog import default_catalog
    from sca_metrics.store import schema

    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=34)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", default=",".join(PAGES), help="some of them only")
    args = parser.parse_args()
    pages = [p for p in args.pages.split(",") if p in PAGES]
    data, scaled_db = scale.scaled(args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        small, big = Path(tmp) / "demo.duckdb", Path(tmp) / "scaled.duckdb"
        con = schema.connect(small)
        build_demo(con, default_catalog())
        con.close()
        shutil.copy(scaled_db, big)
        with serve(small, Path(tmp) / "1.log") as one:
            os.environ["SCA_DATA_DIR"] = str(data)  # the second server reads the copied catalog
            with serve(big, Path(tmp) / "k.log") as many, sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
                page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
                page.set_default_timeout(120_000)
                times: dict[str, dict[str, list[float]]] = {name: {"1": [], "k": []} for name in pages}
                for name in pages:
                    load(page, f"{one}/{name}")  # first visits: caches and the HTTP cache warm
                    load(page, f"{many}/{name}")
                for _ in range(args.runs):
                    for name in pages:
                        times[name]["1"].append(load(page, f"{one}/{name}"))
                        times[name]["k"].append(load(page, f"{many}/{name}"))
                browser.close()
    result: dict = {"scale": args.scale, "runs": args.runs, "pages": {}, "checks": []}
    for name in pages:
        a, b = statistics.median(times[name]["1"]), statistics.median(times[name]["k"])
        ratio = round(b / a, 2)
        result["pages"][name] = {"x1_s": round(a, 2), f"x{args.scale}_s": round(b, 2), "ratio": ratio}
        result["checks"] += [check(f"{name} at {args.scale}×, in the browser", round(b, 2), 2, " s"),
                             check(f"{name} at {args.scale}× ÷ at 1×, in the browser", ratio, 3, "×")]
    report("browser", result)


if __name__ == "__main__":
    main()
