"""Ingest of many returns in one call, end to end, beside a plain reader.

    .venv/bin/python bench/bench_ingest.py [--returns 1000] [--scale 34] [--repeat 3]

The returns are the demo's at `scale` times its departments (bench/scale.py; made once and
cached). Timed side by side in one run, each in a fresh process, start-up included:

- ours: `python -m sca_metrics ingest --db NEW FILE…` — every file read safely, validated and
  stored with its history, one commit per batch of 200 (`ingest_many`);
- the baseline: bench/baseline_ingest.py — pandas with openpyxl reads each file, its indicator
  rows go into DuckDB, one commit per file, nothing checked.

Reported: the median of `repeat` runs of each, their ratio (goal ≥ 5× at 1,000 returns), the
start-up of the command alone, and each reader alone in this process (calamine, guarded, and
pandas + openpyxl) on the same files.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scale  # noqa: E402
from bench.timing import check, report  # noqa: E402

GOAL_RATIO = 5.0


def timed(command: list[str], env: dict | None = None) -> float:
    """Seconds of one run; the ingest exits 1 when a file is refused (the demo at scale has a
    few returns left empty by chance), anything else is a failure."""
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[1]} failed: {done.stderr.decode()[-2000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--returns", type=int, default=1000)
    parser.add_argument("--scale", type=int, default=34)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = [str(p) for p in scale.return_files(args.scale, args.returns)]
    env = {**os.environ, "SCA_DATA_DIR": str(scale.scaled_data(args.scale)), "SCA_LOG_LEVEL": "WARNING"}
    python = sys.executable
    ours, baseline = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.repeat):  # interleaved: both see the same machine
            ours.append(timed([python, "-m", "sca_metrics", "ingest", "--db", f"{tmp}/ours{k}.duckdb",
                               "--uploader", "bench", *files], env))
            baseline.append(timed([python, str(ROOT / "bench" / "baseline_ingest.py"),
                                   f"{tmp}/base{k}.duckdb", *files]))
        startup = statistics.median(timed([python, "-c", "import sca_metrics.cli"], env) for _ in range(3))
    readers = _readers(files[:100])
    result = {
        "returns": len(files),
        "scale": args.scale,
        "ours_s": round(statistics.median(ours), 2),
        "baseline_pandas_openpyxl_s": round(statistics.median(baseline), 2),
        "ratio_baseline_over_ours": round(statistics.median(baseline) / statistics.median(ours), 2),
        "goal_ratio": GOAL_RATIO,
        "ours_startup_s": round(startup, 2),
        "ours_per_return_ms": round(1000 * (statistics.median(ours) - startup) / len(files), 1),
        **readers,
        "runs": args.repeat,
    }
    result["checks"] = [check(f"ingest of {len(files)} returns: pandas + openpyxl ÷ ours",
                              result["ratio_baseline_over_ours"], GOAL_RATIO, "×", at_least=True)]
    report("ingest", result)


def _readers(files: list[str]) -> dict:
    """Each reader alone on the same files, in this process (no start-up, nothing stored)."""
    import pandas as pd

    from sca_metrics.intake.reader import read_workbook

    blobs = [Path(f).read_bytes() for f in files]
    start = time.perf_counter()
    for data in blobs:
        read_workbook(data)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for f in files:
        pd.read_excel(f, sheet_name=None, engine="openpyxl", header=None)
    theirs = time.perf_counter() - start
    return {"read_only_ms_per_return_guarded_calamine": round(1000 * ours / len(files), 1),
            "read_only_ms_per_return_pandas_openpyxl": round(1000 * theirs / len(files), 1),
            "read_only_ratio": round(theirs / ours, 2)}


if __name__ == "__main__":
    main()
