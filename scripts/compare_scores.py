"""Compare the scores of this checkout with those of another revision, on the demo data.

    .venv/bin/python scripts/compare_scores.py REV [--tolerance 1e-12]

Builds the demo database once, scores every period under both means with this checkout and
with REV (a temporary git worktree), and prints, per column of the flat scores table, how many
values differ beyond the tolerance and by how much at most. A change to the method shows here
column by column before it ships (docs/METHOD.md lists the changes each version made).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUMP = """
import pickle, sys
import duckdb
from sca_metrics import snapshot
from sca_metrics.method import scoring
con = duckdb.connect(sys.argv[1], read_only=True)
out = {m: {p: scoring.scores_table(s) for p, s in
           snapshot.read(con, options=scoring.Options(method=m)).by_period.items()}
       for m in ("arithmetic", "geometric")}
pickle.dump(out, open(sys.argv[2], "wb"))
"""


def dump(tree: Path, db: Path, out: Path) -> None:
    subprocess.run([sys.executable, "-c", DUMP, str(db), str(out)], check=True, cwd=tree,
                   env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})


def main() -> int:
    import pickle

    import numpy as np

    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("rev")
    args.add_argument("--tolerance", type=float, default=1e-12)
    a = args.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "demo.duckdb"
        subprocess.run([sys.executable, "-m", "sca_metrics", "demo", "--db", str(db)], check=True,
                       cwd=ROOT, capture_output=True)
        old_tree = work / "old"
        subprocess.run(["git", "worktree", "add", "-q", "--detach", str(old_tree), a.rev], check=True,
                       cwd=ROOT)
        try:
            dump(old_tree, db, work / "old.pkl")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT)
        dump(ROOT, db, work / "new.pkl")
        old, new = (pickle.loads((work / f).read_bytes()) for f in ("old.pkl", "new.pkl"))
    report: dict = {}
    for method, periods in old.items():
        for period, before in periods.items():
            after = new[method][period]
            for column in before.columns:
                entry = report.setdefault(method, {}).setdefault(column, {"differ": 0, "max_abs": 0.0})
                if column not in after.columns:
                    entry["differ"] = "column removed"
                    continue
                x, y = before[column], after[column]
                if x.dtype.kind in "fiub" or str(x.dtype) in ("Int64", "Float64", "boolean"):
                    x, y = x.astype(float).to_numpy(), y.astype(float).to_numpy()
                    both = ~np.isnan(x) & ~np.isnan(y)
                    gap = np.abs(x[both] - y[both])
                    entry["differ"] += int((gap > a.tolerance).sum() + (np.isnan(x) != np.isnan(y)).sum())
                    entry["max_abs"] = max(entry["max_abs"], float(gap.max()) if gap.size else 0.0)
                else:  # text: equal, or missing on both sides (None and NaN alike)
                    same = (x.astype(str) == y.astype(str)) | (x.isna() & y.isna())
                    entry["differ"] += int((~same).sum())
            for column in sorted(set(after.columns) - set(before.columns)):
                report[method][column] = {"differ": "column added"}
    changed = {m: {c: e for c, e in cols.items() if e["differ"]} for m, cols in report.items()}
    print(json.dumps({"rev": a.rev, "tolerance": a.tolerance, "columns_compared": len(report["arithmetic"]),
                      "changed": changed}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
