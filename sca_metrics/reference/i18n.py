"""Translations (data/i18n/<lang>.toml), with plural forms, and the method text.

Vietnamese is the default; a key missing in English falls back to Vietnamese, and a key
missing everywhere shows itself, so a gap is visible instead of crashing a page.
"""

from __future__ import annotations

import tomllib
from functools import cache

from sca_metrics.reference.formatting import plural
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
    """The message `key` in `lang` (Vietnamese when it has none), with its parameters. A message
    with a count `n` may have one form per plural category (`key.one`, `key.other`): the count
    picks it, so English reads "1 error" and "2 errors". When `n` is passed already formatted
    (1.234), `count` carries the number. `{lead}` names the programme's lead department as it is
    today, unless the caller names it."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    count = params.get("count", params.get("n"))
    if f"{key}.other" in catalogue(lang):
        form = f"{key}.{plural(count, lang)}" if isinstance(count, int | float) else ""
        key = form if form in catalogue(lang) else f"{key}.other"
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANG).get(key) or key
    if "{lead}" in text and "lead" not in params:  # the lead department as it is today
        params = {**params, "lead": lead_today(lang)}
    return text.format(**params) if params else text


def lead_today(lang: str) -> str:
    """The programme's lead department today (data/bodies.csv), for the messages that say whom
    to ask: `{lead}` in a catalogue's text."""
    from datetime import date

    from sca_metrics.reference.bodies import LEAD, default_bodies  # bodies read the units, which use t

    return default_bodies().holder(LEAD, date.today()).name(lang)
