"""Briefing pack speed: figures rendered in one warm browser against one browser per figure.

    .venv/bin/python bench/bench_exports.py

On the demo database (latest period, Vietnamese):
1. cold: the first pack of the process, chromium started inside (what the first click costs);
2. warm: the whole pack (15 figures rendered, PowerPoint and PDF written) with the browser
   already running — target under 10 seconds; best of N;
3. the same figures one by one without a reused browser (kaleido starting and closing
   chromium for each, as plotly's write_image does) — and the ratio to (2)'s rendering.
Results also go to bench/results/exports.json.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import best_of, demo_inputs, report  # noqa: E402
from sca_metrics.method.scoring import score_periods  # noqa: E402
from sca_metrics.outputs import briefing, render  # noqa: E402

REPEATS = 3


def main() -> None:
    catalog, obs, subs = demo_inputs()
    by_period = score_periods(catalog, obs)
    ctx = briefing.Context(catalog, by_period, subs, max(by_period), "vi", demo=True)

    start = time.perf_counter()
    pack = briefing.build(ctx)
    cold = time.perf_counter() - start
    warm = best_of(REPEATS, lambda: briefing.build(ctx))

    deck = [s for s in briefing.slides(ctx) if s.has_figure]
    jobs = [render.Job(s.figure, "png", briefing._figure_height(s)) for s in deck]
    warm_render = best_of(REPEATS, lambda: render.render_many(jobs))
    start = time.perf_counter()
    for job in jobs:
        render.render_once(job.figure, job.fmt, job.height)
    one_by_one = time.perf_counter() - start
    render.shutdown()

    report("exports", {
        "figures": pack.n_figures, "slides": len(pack.slides),
        "pptx_bytes": len(pack.pptx), "pdf_bytes": len(pack.pdf),
        "pack_cold_s": round(cold, 2),
        "pack_warm_s": round(warm, 2),
        "target_warm_s": 10,
        "render_warm_browser_s": round(warm_render, 2),
        "render_one_browser_per_figure_s": round(one_by_one, 2),
        "ratio_one_by_one_to_warm": round(one_by_one / warm_render, 1),
    })


if __name__ == "__main__":
    main()
