"""Text as people type it: one normal form at the door, and loose keys for matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")


def nfc(text: object) -> str:
    """NFC-normalised, trimmed text; non-breaking and repeated spaces collapse to one."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ")
    return _SPACE.sub(" ", s).strip()


def loose_key(text: object) -> str:
    """Key for matching labels typed by hand: case, spacing and diacritics do not matter."""
    return _loose_key(text) if isinstance(text, str) else _loose_key(nfc(text))


@lru_cache(maxsize=8192)
def _loose_key(text: str) -> str:
    s = unicodedata.normalize("NFD", nfc(text).casefold())
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    s = s.replace("đ", "d")
    return _SPACE.sub(" ", re.sub(r"[^\w%]+", " ", s)).strip()
