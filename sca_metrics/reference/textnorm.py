"""Text as people type it: one normal form at the door, one intake policy for every text a
person or a file supplies, and loose keys for matching.

The intake policy (docs/security.md): no stored text holds a control character (C0 and C1,
DEL; a tab or a line break only where the field is multi-line), a Unicode non-character, a lone
surrogate or a bidirectional embedding, override, isolate or mark — characters that crash the
writers (a workbook, a Word document), rewrite a terminal or make a text read otherwise than it
is stored. `accept` refuses such a text with the field and the character named; `strip` removes
them, for the writers' own defence and for the few fields whose meaning survives it.
"""

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


_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
# what no stored text may hold: control characters (tab and line breaks apart), DEL and C1,
# lone surrogates, non-characters, and the bidirectional marks, embeddings, overrides, isolates
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f"
                       "\u202a-\u202e\u2066-\u2069" + _NONCHARACTERS + "]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_BLANK_LINES = re.compile(r"\n{3,}")
_LINE_SPACE = re.compile(r"[^\S\n]+")


class TextRefused(ValueError):
    """A text the intake policy refuses, said in either language (`text.<key>`)."""

    def __init__(self, key: str, field: str, **params: object) -> None:
        self.key, self.field, self.params = key, field, params
        super().__init__(self.message("en"))

    def message(self, lang: str = "vi") -> str:
        from sca_metrics.reference.formatting import number
        from sca_metrics.reference.i18n import t  # i18n reads the catalogues; this module stays light

        params = {k: number(v, lang) if isinstance(v, int) else v for k, v in self.params.items()}
        return t(f"text.{self.key}", lang, field=t(f"text.field_{self.field}", lang), **params)


def codepoint(ch: str) -> str:
    """'U+001B' for a character, as a message names it."""
    return f"U+{ord(ch):04X}"


def forbidden(text: str) -> tuple[int, str] | None:
    """(position, 'U+001B') of the first character the policy refuses; None when there is none."""
    found = FORBIDDEN.search(text)
    return (found.start(), codepoint(found.group())) if found else None


def strip(text: str) -> str:
    """The text without the characters the policy refuses (a writer's own defence)."""
    return FORBIDDEN.sub("", text)


def accept(text: object, field: str, limit: int, multiline: bool = False) -> str:
    """A text a person typed, as it is stored: NFC, trimmed, spaces collapsed (line breaks kept,
    as "\n", when the field is multi-line, at most one blank line in a row). TextRefused names
    the field and the first forbidden character, or the limit when the text is longer."""
    raw = "" if text is None else str(text)
    if len(raw) > 4 * limit:  # refused before any work on it
        raise TextRefused("too_long", field=field, n=len(raw), limit=limit)
    if multiline:
        raw = _LINE_BREAKS.sub("\n", raw)
    bad = forbidden(raw)  # a tab or a line break is not: in a one-line field it becomes a space
    if bad is not None:
        raise TextRefused("forbidden_char", field=field, char=bad[1], at=bad[0] + 1)
    if multiline:
        lines = [_LINE_SPACE.sub(" ", line).strip() for line in
                 unicodedata.normalize("NFC", raw).replace("\u00a0", " ").split("\n")]
        out = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    else:
        out = nfc(raw)
    if len(out) > limit:
        raise TextRefused("too_long", field=field, n=len(out), limit=limit)
    return out


MAX_FILE_NAME = 255


def file_label(name: object) -> str:
    """A file's name as it is kept (provenance, shown and exported): what the policy refuses
    is removed — the name identifies the upload, and the file is the same without it —, NFC,
    at most MAX_FILE_NAME characters (its end kept: the extension), never empty."""
    text = nfc(strip(str(name or "")))
    if len(text) > MAX_FILE_NAME:
        text = "…" + text[-(MAX_FILE_NAME - 1):]
    return text or "–"


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
    rewrite the screen), line separators and what the policy refuses (a right-to-left override
    could make a line read otherwise) are shown as \\xNN / \\uNNNN instead of being sent."""
    return _UNPRINTABLE.sub(_escaped, str(text))


def terminal(text: str) -> str:
    """`printable`, but tabs and line breaks pass: for whole tables and documents."""
    return _TERMINAL.sub(_escaped, text)


def _escaped(m: re.Match[str]) -> str:
    n = ord(m.group())
    return f"\\x{n:02x}" if n < 256 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


_UNPRINTABLE = re.compile(f"{_CONTROL.pattern}|{FORBIDDEN.pattern}")
_TERMINAL = re.compile(f"(?![\t\n]){_UNPRINTABLE.pattern}")
