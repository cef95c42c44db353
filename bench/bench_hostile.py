"""Hostile and oversized workbooks: how fast, and with how little memory, each is refused.

    .venv/bin/python bench/bench_hostile.py [--repeat 3]

Each file is built in memory (the same builders as the tests), written to a temporary
folder, and checked in a fresh child process (`ingest.check_bytes`, the upload path) so its
peak memory is its own: reported are the best of N wall times of the check alone and the
child's peak resident memory, beside a valid return's figures. Goal: every hostile file
refused in under 1 s and under 200 MB peak.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import check, report  # noqa: E402
from sca_metrics.reference.catalog import default_catalog  # noqa: E402
from tests.helpers import fill, rezip, template, to_bytes, valid_return, with_rows  # noqa: E402

CHILD = """
import json, sys, time
from pathlib import Path
from sca_metrics.reference.catalog import default_catalog
from sca_metrics.intake.ingest import check_bytes
def peak_rss_mb():  # VmHWM: this process's own peak (ru_maxrss carries the parent's over exec)
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024
catalog = default_catalog()
data = Path(sys.argv[1]).read_bytes()
start = time.perf_counter()
problems = check_bytes(data, catalog).problems
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "errors": sorted({p.code for p in problems if p.is_error}),
                  "peak_rss_mb": peak_rss_mb()}))
"""


def cases(catalog) -> dict[str, bytes]:
    def value_at(cell: str) -> bytes:
        wb = fill(template(catalog), {"HLT.T1": 5})
        wb["Chỉ số"][cell] = 1
        return to_bytes(wb)

    values = random.Random(1).choices(range(1000, 10_000), k=1_000_000)
    return {
        "valid return (baseline)": valid_return(catalog),
        "one value at XFD1048576": value_at("XFD1048576"),
        "one value at K1048576": value_at("K1048576"),
        "1,000,000 rows (streamed)": with_rows(valid_return(catalog), "".join(
            f"<row><c><v>{v}</v></c></row>" for v in values)),
        "1,200,000 numbered rows (directory)": with_rows(valid_return(catalog), "".join(
            f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(200, 1_200_000))),
        "a 40,000-character cell": with_rows(valid_return(catalog), (
            f'<row r="150"><c r="B150" t="inlineStr"><is><t>{"x" * 40_000}</t></is></c></row>')),
        "zip bomb (8 MB of zeros)": rezip(valid_return(catalog), add={"xl/pad.xml": b"\0" * 8_000_000}),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    catalog = default_catalog()
    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in cases(catalog).items():
            path = Path(tmp) / "case.xlsx"
            path.write_bytes(data)
            runs = []
            for _ in range(args.repeat):
                done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                                      text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)}, check=True)
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            out[name] = {"file_kb": round(len(data) / 1024, 1),
                         "seconds": round(min(r["seconds"] for r in runs), 3),
                         "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs), 1),
                         "refused_with": runs[0]["errors"]}
    base = out["valid return (baseline)"]
    out["checks"] = [c for name, r in out.items() if name != "valid return (baseline)" for c in (
        check(f"{name}: refused", int(bool(r["refused_with"])), 1, "", at_least=True),
        check(f"{name}: seconds to refuse", r["seconds"], 1, " s"),
        check(f"{name}: peak memory over a valid return's", round(r["peak_rss_mb"] - base["peak_rss_mb"], 1),
              64, " MB"))]
    report("hostile", out)


if __name__ == "__main__":
    main()
