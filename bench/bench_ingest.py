"""Ingest every demo return (all departments × 8 years) with full validation, and compare
with only reading the same files through pandas + openpyxl.

    .venv/bin/python bench/bench_ingest.py [--repeat 3]

The demo files are generated first (not timed). Reported: the best of N runs of each.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import best_of, report  # noqa: E402
from sca_metrics.demo import demo_returns  # noqa: E402
from sca_metrics.intake.ingest import ACCEPTED, ingest_path  # noqa: E402
from sca_metrics.intake.reader import read_workbook  # noqa: E402
from sca_metrics.reference.catalog import default_catalog  # noqa: E402
from sca_metrics.reference.roles import Actor  # noqa: E402
from sca_metrics.store import schema


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    catalog = default_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = []
        for f in demo_returns(catalog):
            path = tmp / f.file_name
            path.write_bytes(f.data)
            files.append(path)

        def ingest_all() -> None:
            db = tmp / f"bench-{time.perf_counter_ns()}.duckdb"
            con = schema.connect(db)
            results = [ingest_path(con, p, catalog, Actor.local("bench")) for p in files]
            assert all(r.status == ACCEPTED for r in results)
            con.close()

        def read_calamine() -> None:
            for p in files:
                read_workbook(p.read_bytes())

        def read_pandas_openpyxl() -> None:
            for p in files:
                pd.read_excel(p, sheet_name=None, engine="openpyxl", header=None)

        ingest = best_of(args.repeat, ingest_all)
        calamine = best_of(args.repeat, read_calamine)
        openpyxl = best_of(args.repeat, read_pandas_openpyxl)
    result = {
        "files": len(files),
        "ingest_with_validation_s": round(ingest, 3),
        "read_only_calamine_guarded_s": round(calamine, 3),
        "read_only_pandas_openpyxl_s": round(openpyxl, 3),
        "ratio_pandas_openpyxl_read_over_our_full_ingest": round(openpyxl / ingest, 2),
        "ratio_pandas_openpyxl_read_over_our_read": round(openpyxl / calamine, 2),
        "target_s": 5.0,
    }
    report("ingest", result)


if __name__ == "__main__":
    main()
