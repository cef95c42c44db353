"""Foundations first (docs/METHOD.md §10): the programme builds the architecture framework, then
the infrastructure (data centre, shared databases, big data), then the operations centres, and
only then the smart domains on top of them. Each layer is scored from the foundations indicators
that measure it (data/layers.csv); a domain is *ahead of its foundations* when its level is above
the lowest layer's, and the scheme option `cap_by_foundations` (off by default) caps it there.

Pure: a period's Scores in, frames out. Every smart domain rests on all three layers.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Mapping

import numpy as np
import pandas as pd

from sca_metrics.method.scoring import Rule, Scores, combine, level_name, levels
from sca_metrics.reference import vocabulary
from sca_metrics.reference.catalog import Catalog
from sca_metrics.settings import shipped_data

LAYERS_FILE = "layers.csv"


class LayersError(ValueError):
    """The layers file does not fit the catalog."""


@functools.cache
def _rows() -> tuple[tuple[int, str, str], ...]:
    text = (shipped_data() / LAYERS_FILE).read_text(encoding="utf-8")
    return tuple((n, r.get("code", "").strip(), r.get("layer", "").strip())
                 for n, r in enumerate(csv.DictReader(io.StringIO(text)), start=2))


def layer_indicators(catalog: Catalog,
                     rows: tuple[tuple[int, str, str], ...] | None = None) -> dict[str, tuple[str, ...]]:
    """Each layer's foundations indicators, in the layers' order. `rows` (line, code, layer)
    stand for the shipped file. LayersError lists every line that does not fit the catalog."""
    by_code = {i.code: i for i in catalog.indicators}
    out: dict[str, list[str]] = {layer: [] for layer in vocabulary.LAYER_CODES}
    problems, seen = [], set()
    for line, code, layer in _rows() if rows is None else rows:
        where = f"{LAYERS_FILE}, line {line}"
        if code not in by_code or by_code[code].domain != vocabulary.FOUNDATIONS:
            problems.append(f"{where}: {code!r} is not a foundations indicator of the catalog")
        elif code in seen:
            problems.append(f"{where}: {code!r} is in more than one row")
        elif layer not in out:
            problems.append(f"{where}: {layer!r} is not a layer ({', '.join(vocabulary.LAYER_CODES)})")
        else:
            seen.add(code)
            out[layer].append(code)
    problems += [f"{LAYERS_FILE}: no indicator measures the layer {layer!r}" for layer, codes in out.items()
                 if not codes]
    if problems:
        raise LayersError("; ".join(problems))
    return {layer: tuple(codes) for layer, codes in out.items()}


def layer_scores(indicators: pd.DataFrame, layers: Mapping[str, tuple[str, ...]], rule: Rule) -> pd.DataFrame:
    """One row per layer (layer, score, coverage, level, level_vi, level_en, target_score, gap):
    its indicators combined as a cell combines its own — the scheme's cell rule, the indicators'
    weights — and their target scores the same way."""
    codes = indicators.code.to_numpy()
    member = np.array([np.isin(codes, layers[layer]) for layer in vocabulary.LAYER_CODES], dtype=float)
    w = indicators.weight.to_numpy(dtype=float)

    def rolled(column: str) -> tuple[np.ndarray, np.ndarray]:
        return combine(indicators[column].to_numpy(dtype=float), w, member, rule.method, rule.coverage,
                       rule.coverage_by)

    score, coverage = rolled("score")
    target = rolled("target_score")[0] if "target_score" in indicators else np.full(len(member), np.nan)
    frame = pd.DataFrame({"layer": vocabulary.LAYER_CODES, "score": score, "coverage": coverage,
                          "level": pd.array(levels(score), dtype="Int64")})
    _name_levels(frame)
    return frame.assign(target_score=target, gap=target - score)


def _name_levels(frame: pd.DataFrame) -> None:
    """level_vi and level_en beside `level`, in place."""
    for lang in ("vi", "en"):
        names = [level_name(v, lang) if pd.notna(v) else None for v in frame.level]
        frame[f"level_{lang}"] = pd.Series(names, index=frame.index, dtype=object)


def floor(layers: pd.DataFrame) -> tuple[str | None, int | None]:
    """The layer with the lowest level (the first in the programme's order on a tie) and its
    level; (None, None) when no layer has a score."""
    known = [(int(lv), str(code)) for code, lv in zip(layers.layer, layers.level, strict=True)
             if pd.notna(lv)]
    if not known:
        return None, None
    level, layer = min(known, key=lambda pair: pair[0])  # min keeps the first of equals
    return layer, level


def capped(domains: pd.DataFrame, layers: pd.DataFrame) -> pd.DataFrame:
    """The domains with each smart domain's level capped at the lowest layer's: `level` is the
    capped level, `level_uncapped` the score's own, `capped_by` the layer that holds it back
    (None where nothing does). A capped domain has no points to the next level: its score
    already reaches it, the foundations hold it back. The foundations' own row is not capped."""
    layer, cap = floor(layers)
    out = domains.copy()
    smart = (out.domain != vocabulary.FOUNDATIONS).to_numpy()
    out["level_uncapped"] = out.level
    held = smart & (out.level.fillna(0).to_numpy() > cap) if cap is not None else np.zeros(len(out), bool)
    out.loc[held, "level"] = cap
    out["capped_by"] = [layer if h else None for h in held]
    _name_levels(out)
    out.loc[held, "points_to_next_level"] = np.nan
    return out


def layer_name(code: str, lang: str) -> str:
    """A layer's name without its parenthesis ("Hạ tầng", "Infrastructure"), for a table cell."""
    return vocabulary.term(vocabulary.LAYERS, code).name(lang).split(" (")[0]


def readiness(s: Scores, catalog: Catalog) -> pd.DataFrame:
    """One row per programme area — the three layers, then the smart domains — with its score,
    level, level_vi, level_en and gap to the period's target; for a domain also the layer under
    it with the lowest level (`floor_layer`, `floor_level`), how many levels it stands above it
    (`ahead`, 0 when not above; NaN when either is not known) and its capped level
    (`capped_level`: what the scheme option gives)."""
    layers = layer_scores(s.indicators, layer_indicators(catalog), s.options.rule("cell"))
    layer, cap = floor(layers)
    domains = s.domains[s.domains.domain != vocabulary.FOUNDATIONS].copy()
    if "level_uncapped" in domains:  # scored with the cap on: the score's own level
        domains["level"] = domains.level_uncapped
    _name_levels(domains)
    columns = ["score", "level", "level_vi", "level_en", "gap"]
    frame = pd.concat([layers.rename(columns={"layer": "area"})[["area", *columns]],
                       domains.rename(columns={"domain": "area"})[["area", *columns]]], ignore_index=True)
    is_domain = frame.area.isin(vocabulary.SMART_DOMAIN_CODES).to_numpy()
    frame["floor_layer"] = [layer if d else None for d in is_domain]
    frame["floor_level"] = pd.array([cap if d else None for d in is_domain], dtype="Int64")
    ahead = frame.level.astype("Float64") - frame.floor_level.astype("Float64")
    frame["ahead"] = ahead.clip(lower=0).astype("Int64")
    held = (frame.ahead > 0).fillna(False).to_numpy()
    frame["capped_level"] = frame.level.where(~held, frame.floor_level).where(is_domain).astype("Int64")
    order = {code: k for k, code in enumerate(vocabulary.AREA_CODES)}
    return frame.sort_values("area", key=lambda c: c.map(order), kind="stable").reset_index(drop=True)


def lowest(standing: pd.DataFrame) -> tuple[str | None, int | None]:
    """The lowest layer and its level as a `readiness` frame gives them; (None, None) when no
    layer has a score."""
    known = standing[standing.floor_level.notna()]
    if known.empty:
        return None, None
    return str(known.floor_layer.iloc[0]), int(known.floor_level.iloc[0])
