"""Scoring speed and memory.

    .venv/bin/python bench/bench_scoring.py

1. every period of the demo database scored (nominal, with change since the previous period);
2. the Monte Carlo (1,000 runs) for one period — target under 1 second;
3. a synthetic national roll-out: 1,000 runs × 34 provinces × 8 periods, each province's values
   being the demo values perturbed (seeded); reports the time and the peak memory (tracemalloc,
   which numpy reports its arrays to).
Times are the best of N repeats; results also go to bench/results/scoring.json.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import best_of, demo_inputs, report  # noqa: E402
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
    }
    report("scoring", result)


if __name__ == "__main__":
    main()
