"""Briefing pack speed: the whole pack with the browser warm, against its figures exported one by
one in fresh processes.

    .venv/bin/python bench/bench_exports.py

On the demo database (Vietnamese), in one run:
1. cold: the first pack of the process, chromium started inside (what the first click costs);
2. warm: a pack for a period not built before — slides laid out, every figure drawn and
   rendered, the PowerPoint and the PDF written — with the browser already running (what the
   second click costs, on another period); the median of three periods, each step's share
   beside it. Goal: under 3 s;
3. the same figures one by one, each in a fresh Python process that starts its own chromium
   (what exporting them one at a time with plotly's write_image costs) — and its ratio to (2).
   Goal: at least 12×.
Results also go to bench/results/exports.json.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import check, demo_inputs, report  # noqa: E402
from sca_metrics.method.scoring import score_periods  # noqa: E402
from sca_metrics.outputs import briefing, render  # noqa: E402
from sca_metrics.outputs.documents.context import Context  # noqa: E402
from sca_metrics.outputs.pack.layout import figure_height  # noqa: E402

WARM_PERIODS = ("2025", "2024", "2023")
ONE_FIGURE = """
import sys
import plotly.io as pio
from sca_metrics.outputs import render
figure = pio.read_json(sys.argv[1])
open(sys.argv[2], "wb").write(render.render_once(figure, "png", int(sys.argv[3])))
"""


def timed_build(ctx: Context) -> tuple[float, dict[str, float]]:
    """Seconds for the whole pack, and the seconds each step took."""
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    briefing.build(ctx, progress=lambda step, **values: marks.append((step, time.perf_counter())))
    end = time.perf_counter()
    firsts: dict[str, float] = {}
    for step, at in marks:
        firsts.setdefault(step.removeprefix("briefing.step_"), at)
    names, times = list(firsts), [*firsts.values(), end]
    return end - start, {name: round(times[k + 1] - times[k], 2) for k, name in enumerate(names)}


def main() -> None:
    catalog, obs, subs = demo_inputs()
    by_period = score_periods(catalog, obs)

    def context(period: str) -> Context:
        return Context(catalog, by_period, subs, period, "vi", demo=True)

    cold, _ = timed_build(context(max(by_period)))
    warm_runs = [timed_build(context(p)) for p in WARM_PERIODS]
    warm = statistics.median(t for t, _ in warm_runs)
    steps = {p: s for p, (_, s) in zip(WARM_PERIODS, warm_runs, strict=True)}

    deck = [s for s in briefing.pack_slides(context(max(by_period))) if s.has_figure]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        for k, s in enumerate(deck):
            spec = Path(tmp) / f"{k}.json"
            spec.write_text(s.figure.to_json(), encoding="utf-8")
            subprocess.run([sys.executable, "-c", ONE_FIGURE, str(spec), str(Path(tmp) / f"{k}.png"),
                            str(figure_height(s))], check=True, cwd=ROOT)
        one_by_one = time.perf_counter() - start
    render.shutdown()

    ratio = round(one_by_one / warm, 1)
    report("exports", {
        "figures": len(deck),
        "pack_cold_s": round(cold, 2),
        "pack_warm_s": round(warm, 2),
        "pack_warm_steps_s": steps,
        "one_figure_per_fresh_process_s": round(one_by_one, 2),
        "ratio_one_by_one_to_warm_pack": ratio,
        "checks": [check("briefing pack, warm (a new period, browser running)", round(warm, 2), 3, " s"),
                   check("its figures one by one in fresh processes ÷ the warm pack", ratio, 12, "×",
                         at_least=True)],
    })


if __name__ == "__main__":
    main()
