"""Scoring speed and memory.

    .venv/bin/python bench/bench_scoring.py

1. every period of the demo database scored (nominal, with change since the previous period);
2. the Monte Carlo (1,000 runs) for one period — target under 1 second;
3. a synthetic national roll-out: 1,000 runs × 34 provinces × 8 periods, each province's values
   being the demo values perturbed (seeded); reports the time and the peak memory (tracemalloc,
   which numpy reports its arrays to);
4. the demo at 34× its departments (bench/scale.py): every period scored, then the 1,000-run
   Monte Carlo of the latest in one vectorised pass — goals under 10 s and under 1 GB.
Times are the best of N repeats; results also go to bench/results/scoring.json.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scale  # noqa: E402
from bench.timing import best_of, check, demo_inputs, report  # noqa: E402
from sca_metrics.method.scoring import Options, build_tree, indicator_scores, score_periods  # noqa: E402
from sca_metrics.method.uncertainty import MonteCarlo, simulate, summarise, uncertainty  # noqa: E402

PROVINCES = 34


def main() -> None:
    catalog, obs, _ = demo_inputs()
    periods = sorted(obs.period.unique())
    all_periods = best_of(3, lambda: score_periods(catalog, obs))
    latest = obs[obs.period == periods[-1]]
    mc_one = best_of(5, lambda: uncertainty(catalog, latest, periods[-1], mc=MonteCarlo(runs=1000)))

    options, mc = Options(), MonteCarlo(runs=1000)
    tree = build_tree(catalog, options)
    codes = list(tree.indicators.code)
    rng = np.random.default_rng(1)
    base = {p: obs[obs.period == p].set_index("indicator").value.reindex(codes).to_numpy()
            for p in periods}
    province_values = [
        {p: base[p] * rng.uniform(0.7, 1.3, len(codes)) for p in periods} for _ in range(PROVINCES)
    ]

    def national() -> int:
        n = 0
        for prov in province_values:
            for p in periods:
                summarise(tree, simulate(tree, indicator_scores(tree, prov[p]), mc))
                n += 1
        return n

    start = time.perf_counter()
    n = national()
    national_s = time.perf_counter() - start
    tracemalloc.start()  # a second, traced pass: tracing slows it, so it is not the timed one
    national()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    result = {
        "periods": len(periods),
        "indicators": len(codes),
        "score_all_demo_periods_s": round(all_periods, 3),
        "monte_carlo_1000_runs_one_period_s": round(mc_one, 3),
        "monte_carlo_target_s": 1.0,
        "national_province_periods": n,
        "national_runs_total": n * mc.runs,
        "national_s": round(national_s, 2),
        "national_peak_memory_mb": round(peak / 1024 / 1024, 1),
        **at_scale(34),
    }
    result["checks"] = [
        check("Monte Carlo, 1,000 runs, one period", result["monte_carlo_1000_runs_one_period_s"], 1, " s"),
        check("34×: every period scored + 1,000-run Monte Carlo", result["x34_score_and_mc_s"], 10, " s"),
        check("34×: its peak memory (traced)", result["x34_peak_memory_mb"], 1024, " MB")]
    report("scoring", result)


def at_scale(k: int) -> dict:
    """Every period of the demo at k× scored, then the Monte Carlo of the latest period."""
    from sca_metrics import snapshot
    from sca_metrics.reference.catalog import load_catalog
    from sca_metrics.store import schema

    data, db = scale.scaled(k)
    catalog = load_catalog(data / "catalog.csv", data / "departments.csv")
    con = schema.connect(db, read_only=True)
    obs = snapshot.observation_frame(con, catalog=catalog)
    con.close()
    latest = max(obs.period.astype(str))

    def run() -> None:
        score_periods(catalog, obs)
        uncertainty(catalog, obs[obs.period.astype(str) == latest], latest, mc=MonteCarlo(runs=1000))

    took = best_of(3, run)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {f"x{k}_indicators": len(catalog.indicators), f"x{k}_values": len(obs),
            f"x{k}_score_and_mc_s": round(took, 2), f"x{k}_peak_memory_mb": round(peak / 1024 / 1024, 1)}


if __name__ == "__main__":
    main()
