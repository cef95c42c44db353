"""Every benchmark, one after the other, then each figure beside its goal.

    .venv/bin/python bench/run_all.py [--only ingest,scoring] [--table]

Each benchmark runs in its own process (as its own command would) and keeps its result in
bench/results/<name>.json; the table at the end reads them: the figures a benchmark checks
against a goal (its `checks`), met or not, and the machine they came from.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BENCHES = ("ingest", "scoring", "pages", "browser", "exports", "hostile", "load")
ARGS = {"pages": ["--scale", "34"]}  # each page at 1× and at 34× (bench/scale.py)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default=",".join(BENCHES))
    parser.add_argument("--table", action="store_true",
                        help="run nothing: the table of the latest results in bench/results/")
    args = parser.parse_args()
    chosen = [b for b in args.only.split(",") if b]
    failed = []
    for name in [] if args.table else chosen:
        started = time.perf_counter()
        print(f"== bench_{name}.py", flush=True)
        done = subprocess.run([sys.executable, str(ROOT / "bench" / f"bench_{name}.py"), *ARGS.get(name, [])],
                              cwd=ROOT)
        took = time.perf_counter() - started
        print(f"== bench_{name}.py: {took:.0f} s, exit {done.returncode}", flush=True)
        if done.returncode:
            failed.append(name)
    print(f"\nMachine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'benchmark':<10} {'figure':<62} {'value':>10}  {'goal':<10} met")
    for name in chosen:
        path = RESULTS / f"{name}.json"
        checks = json.loads(path.read_text(encoding="utf-8")).get("checks", []) if path.is_file() else []
        if not checks:
            print(f"{name:<10} {'(no goal checked: see bench/results/' + name + '.json)':<62}")
        for c in checks:
            print(f"{name:<10} {c['figure']:<62} {c['value']:>9g}{c['unit']:<1}  {c['goal']:<10} "
                  f"{'yes' if c['met'] else 'NO'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
