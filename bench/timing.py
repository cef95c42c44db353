"""Shared by the benchmarks: the best of n runs of a function, in seconds."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(n: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def demo_inputs():
    """The demo database, built in a temporary folder: (catalog, observation frame, submissions)."""
    import tempfile
    from pathlib import Path

    from sca_metrics.demo import build_demo
    from sca_metrics.reference.catalog import default_catalog
    from sca_metrics.snapshot import observation_frame
    from sca_metrics.store import queries, schema

    catalog = default_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        con = schema.connect(Path(tmp) / "demo.duckdb")
        build_demo(con, catalog)
        obs, subs = observation_frame(con), queries.submissions(con)
        con.close()
    return catalog, obs, subs


def check(figure: str, value: float, goal: float, unit: str = "", at_least: bool = False) -> dict:
    """One figure beside its goal, for bench/run_all.py's table."""
    met = value >= goal if at_least else value <= goal
    return {"figure": figure, "value": value, "goal": f"{'≥' if at_least else '≤'} {goal:g}{unit}",
            "unit": unit, "met": met}


def report(name: str, result: dict) -> None:
    """Print the result and keep it in bench/results/<name>.json (git-ignored); its `checks`
    (figures beside their goals) are what bench/run_all.py tabulates."""
    import json
    from pathlib import Path

    print(json.dumps(result, indent=2))
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=2))
