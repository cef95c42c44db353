"""The baseline the ingest benchmark compares with: a plain reader that a first version would
write — pandas with openpyxl reads each workbook, its indicator rows go into DuckDB, one commit
per file; no validation, no safety checks, no history.

    .venv/bin/python bench/baseline_ingest.py DB FILE...
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pandas as pd


def main(db: str, files: list[str]) -> None:
    con = duckdb.connect(db)
    con.execute("CREATE TABLE IF NOT EXISTS submissions (id INTEGER, file_name VARCHAR)")
    con.execute("CREATE TABLE IF NOT EXISTS observations (submission_id INTEGER, indicator VARCHAR, "
                "value VARCHAR)")
    for sid, path in enumerate(files, start=1):
        sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None, dtype=str)
        rows = []
        for frame in sheets.values():  # every row whose first cell looks like an indicator code
            first = frame.iloc[:, 0].fillna("")
            hit = frame[first.str.fullmatch(r"[A-Z]{2,}(\.[A-Z0-9]+)+")]
            rows += [(sid, r.iloc[0], None if frame.shape[1] < 4 else r.iloc[3]) for _, r in hit.iterrows()]
        values = pd.DataFrame(rows, columns=["submission_id", "indicator", "value"])  # noqa: F841
        con.begin()
        con.execute("INSERT INTO submissions VALUES (?, ?)", [sid, Path(path).name])
        con.execute("INSERT INTO observations SELECT * FROM values")
        con.commit()
    con.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
