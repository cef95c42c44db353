"""The demo at scale, for the benchmarks: every department and its indicators copied k times
(departments copied stand in for provinces until the model has them), and the demo's returns
of that catalog ingested through the real path (`ingest_many`).

    from bench.scale import scaled
    data_dir, db = scaled(34)        # SCA_DATA_DIR=data_dir and SCA_DB=db run the app on it

Both are cached in bench/results/cache/ under a key of k and the content of the shipped data
and of the code that makes returns and stores them: a second run takes them from there.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sca_metrics.settings import shipped_data  # noqa: E402

CACHE = Path(__file__).parent / "results" / "cache"
# what the cached returns depend on, besides the data folder; and the cached database, besides them
_MAKES_RETURNS = ("sca_metrics/demo.py", "sca_metrics/intake/template.py", "sca_metrics/intake/layout.py")
_STORES_THEM = ("sca_metrics/intake/ingest.py", "sca_metrics/store/schema.py", "sca_metrics/store/queries.py")


def copy_code(code: str, k: int) -> str:
    """The k-th copy's code: SYT → SYT02; an indicator HLT.T1 → HLT.T1.K02; the original is copy 1."""
    return code if k == 1 else (f"{code}.K{k:02d}" if "." in code else f"{code}{k:02d}")


def _key(k: int, code: tuple[str, ...] = _MAKES_RETURNS) -> str:
    digest = hashlib.sha256(str(k).encode())
    for path in sorted(shipped_data().rglob("*")) + [ROOT / p for p in code]:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _prune(prefix: str, keep: Path) -> None:
    """Cached entries of an older key (the data or the code changed since): removed."""
    for old in CACHE.glob(f"{prefix}_*"):
        if old != keep and not old.name.endswith(".tmp") and not old.name.endswith(".wal"):
            shutil.rmtree(old) if old.is_dir() else old.unlink()


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def scaled_data(k: int) -> Path:
    """A data folder whose catalog has every department and its indicators k times."""
    out = CACHE / f"data_x{k}_{_key(k)}"
    if (out / "catalog.csv").is_file():
        return out
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(shipped_data(), tmp, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    fields, departments = _rows(tmp / "departments.csv")
    _write(tmp / "departments.csv", fields, [
        {**d, "code": copy_code(d["code"], n), "name_vi": d["name_vi"] + (f" ({n})" if n > 1 else ""),
         "name_en": d["name_en"] + (f" ({n})" if n > 1 else "")}
        for n in range(1, k + 1) for d in departments])
    fields, indicators = _rows(tmp / "catalog.csv")
    _write(tmp / "catalog.csv", fields, [
        {**i, "code": copy_code(i["code"], n), "department": copy_code(i["department"], n)}
        for n in range(1, k + 1) for i in indicators])
    tmp.rename(out)
    _prune(f"data_x{k}", out)
    return out


def returns(k: int) -> Iterator[tuple[str, bytes, str, str]]:
    """The demo's returns of the catalog copied k times: (file name, bytes, department, period)."""
    from sca_metrics.demo import demo_returns
    from sca_metrics.reference.catalog import load_catalog

    data = scaled_data(k)
    catalog = load_catalog(data / "catalog.csv", data / "departments.csv")
    for f in demo_returns(catalog):
        yield f.file_name, f.data, f.department, f.period


def return_files(k: int, n: int) -> list[Path]:
    """The first n returns of the catalog copied k times, as files (cached)."""
    folder = CACHE / f"returns_x{k}_{_key(k)}"
    done = folder / f"first_{n}.txt"
    if done.is_file():
        return [folder / name for name in done.read_text(encoding="utf-8").split()]
    folder.mkdir(parents=True, exist_ok=True)
    _prune(f"returns_x{k}", folder)
    names = []
    for name, data, _, _ in returns(k):
        (folder / name).write_bytes(data)
        names.append(name)
        if len(names) == n:
            break
    done.write_text("\n".join(names), encoding="utf-8")
    return [folder / name for name in names]


def scaled(k: int) -> tuple[Path, Path]:
    """(data folder, database) of the demo at k times its departments, built once and cached."""
    from sca_metrics.demo import build_demo
    from sca_metrics.reference.catalog import load_catalog
    from sca_metrics.store import schema

    data = scaled_data(k)
    db = CACHE / f"demo_x{k}_{_key(k, _MAKES_RETURNS + _STORES_THEM)}.duckdb"
    if db.is_file():
        return data, db
    tmp = db.with_name(db.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = schema.connect(tmp)
    build_demo(con, load_catalog(data / "catalog.csv", data / "departments.csv"))
    con.close()
    tmp.rename(db)
    _prune(f"demo_x{k}", db)
    return data, db
