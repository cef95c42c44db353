"""Translations (data/i18n/<lang>.toml) and locale-aware number formatting.

Vietnamese is the default; a key missing in English falls back to Vietnamese, and a key
missing everywhere shows itself, so a gap is visible instead of crashing a page.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache

from sca_metrics.settings import data_dir

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"


@cache
def catalogue(lang: str) -> dict[str, str]:
    with open(data_dir() / "i18n" / f"{lang}.toml", "rb") as f:
        return _flatten(tomllib.load(f))


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = str(value)
    return out


@cache
def document(name: str, lang: str) -> str:
    """A longer text (Markdown) kept beside the catalogues: data/i18n/<name>.<lang>.md."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    return (data_dir() / "i18n" / f"{name}.{lang}.md").read_text(encoding="utf-8")


def t(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    lang = lang if lang in LANGS else DEFAULT_LANG
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANG).get(key) or key
    return text.format(**params) if params else text


def fmt_number(x: float | int | None, lang: str = DEFAULT_LANG, decimals: int = 1,
               fixed: bool = False) -> str:
    """1.234,5 in Vietnamese, 1,234.5 in English; None → '–'. Whole numbers drop their
    decimals unless `fixed` (scores: 59,0 beside 53,6)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if not fixed and float(x).is_integer() and abs(x) < 1e15:
        text = f"{int(round(x)):,}"
    else:
        text = f"{x:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
