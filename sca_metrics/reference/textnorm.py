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


def slug(text: object, limit: int = 60) -> str:
    """A name fit for a file, from any text: lower case, diacritics dropped, words joined by
    hyphens ("Điểm theo lĩnh vực" → "diem-theo-linh-vuc"), at most `limit` characters, cut
    between words."""
    words = re.sub(r"[^a-z0-9]+", " ", _loose_key(nfc(text)).replace("%", " ")).split()
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit and out:
            break
        out = f"{out}-{word}" if out else word
    return out[:limit] or "figure"


_ASCII_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def markdown_literal(text: object) -> str:
    """Someone's text (a file name, a name, a note) to put inside a Markdown message so it
    shows exactly as typed: every ASCII punctuation mark is backslash-escaped (CommonMark
    lets any be), so no link, image, emphasis, HTML, math or directive can form, and line
    breaks and control characters become spaces, so no block (a heading, a list) can."""
    return _ASCII_PUNCTUATION.sub(r"\\\1", nfc(_CONTROL.sub(" ", str(text or ""))))


def printable(text: object) -> str:
    """Text for a terminal or a log line: control characters (an escape sequence could
    rewrite the screen) are shown as \\xNN instead of being sent."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                        else f"\\u{ord(m.group()):04x}", str(text))
