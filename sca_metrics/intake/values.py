"""Values as officials type them: '3,5', '1.234,5', '45 %', 'Có', 'x', '15/12/2024'.

Each parser returns (value, problem code or None, ambiguous). Vietnamese conventions win
where the text is ambiguous: a comma is a decimal separator, a dot groups thousands.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from sca_metrics.reference import vocabulary
from sca_metrics.reference.textnorm import loose_key, nfc

_NUMBER = re.compile(r"^[+-]?(\d+)?(\.\d*)?$")
_YES = {"co", "yes", "y", "x", "true", "dung", "1", "v", "✓"}
_NO = {"khong", "no", "n", "false", "sai", "0", "ko"}
_LEVEL_PREFIX = re.compile(r"^(mức|muc|level)\s*", re.IGNORECASE)
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and nfc(raw) == "")


def raw_text(raw: object) -> str:
    """The value as the official typed it, for storage and messages."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (date, datetime)):
        return raw.strftime("%d/%m/%Y")
    return nfc(raw)


def parse_number(raw: object, percent_sign: bool = False) -> tuple[float | None, str | None, bool]:
    """A finite float from a cell; '45%' keeps 45 when percent_sign is allowed."""
    if isinstance(raw, bool):
        return None, "value_not_number", False
    if isinstance(raw, (int, float)):
        x = float(raw)
        return (x, None, False) if math.isfinite(x) else (None, "value_not_number", False)
    text = nfc(raw).replace(" ", "").replace("\u2009", "").replace("\u202f", "").replace("−", "-")
    if percent_sign and text.endswith("%"):
        text = text[:-1]
    if not text:
        return None, "value_not_number", False
    ambiguous = False
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        head, _, tail = text.rpartition(decimal)
        if not _grouped(head, thousands):
            return None, "value_not_number", False
        text = head.replace(thousands, "") + "." + tail
    elif text.count(",") > 1 or text.count(".") > 1:
        sep = "," if "," in text else "."
        if not _grouped(text, sep):
            return None, "value_not_number", False
        text = text.replace(sep, "")
    elif "," in text:
        head, _, tail = text.partition(",")
        ambiguous = len(tail) == 3 and head.lstrip("+-") not in ("", "0")
        text = head + "." + tail
    elif "." in text:
        head, _, tail = text.partition(".")
        if len(tail) == 3 and head.lstrip("+-") not in ("", "0") and len(head.lstrip("+-")) <= 3:
            ambiguous = True
            text = head + tail
    if not _NUMBER.match(text) or text in ("+", "-", ".", "+.", "-."):
        return None, "value_not_number", False
    return float(text), None, ambiguous


def _grouped(text: str, sep: str) -> bool:
    """'1.234.567' is grouped by thousands; '1.23.4' is not."""
    parts = text.lstrip("+-").split(sep)
    return parts[0].isdigit() and 1 <= len(parts[0]) <= 3 and all(
        len(p) == 3 and p.isdigit() for p in parts[1:])


def parse_yes_no(raw: object) -> tuple[float | None, str | None]:
    if isinstance(raw, bool):
        return float(raw), None
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return float(raw), None
    tokens = set(loose_key(raw).split())
    if tokens and tokens <= _YES:
        return 1.0, None
    if tokens and tokens <= _NO:
        return 0.0, None
    return None, "value_not_yesno"


def parse_level(raw: object) -> tuple[float | None, str | None]:
    if isinstance(raw, bool):
        return None, "value_not_level"
    if isinstance(raw, (int, float)):
        x = float(raw)
    else:
        parsed, problem, _ = parse_number(_LEVEL_PREFIX.sub("", nfc(raw)))
        if problem or parsed is None:
            return None, "value_not_level"
        x = parsed
    if not x.is_integer():
        return None, "value_not_level"
    lo, hi = vocabulary.LEVEL_RANGE
    if not lo <= x <= hi:
        return x, "level_range"
    return x, None


def parse_quality(raw: object) -> tuple[str | None, str | None]:
    """A quality-flag code from its code, Vietnamese or English name, or the drop-down text."""
    key = loose_key(raw)
    if not key:
        return None, None
    for q in vocabulary.QUALITY_FLAGS:
        names = {loose_key(q.code), loose_key(q.vi), loose_key(q.en), loose_key(f"{q.vi} ({q.en})")}
        if key in names:
            return q.code, None
    return None, "quality_unknown"


def parse_term(raw: object, terms: tuple[vocabulary.Term, ...]) -> tuple[str | None, bool]:
    """(code, found) of a choice typed as its code, its Vietnamese or English name, or the
    drop-down text "name (code)"; (None, True) when blank, (None, False) when no term matches."""
    key = loose_key(raw)
    if not key:
        return None, True
    for term in terms:
        names = {loose_key(n) for n in (term.code, term.vi, term.en, f"{term.vi} ({term.code})",
                                         f"{term.vi} ({term.en})")}
        if key in names:
            return term.code, True
    return None, False


def parse_list(raw: object) -> list[str]:
    """The items of a cell listing codes: separated by ";" (or "," or a line break), trimmed,
    empty items dropped."""
    text = raw_text(raw)
    for sep in (",", "\n"):
        text = text.replace(sep, ";")
    return [item.strip() for item in text.split(";") if item.strip()]


def parse_date(raw: object) -> tuple[date | None, str | None]:
    if isinstance(raw, datetime):
        return raw.date(), None
    if isinstance(raw, date):
        return raw, None
    m = _DATE.match(nfc(raw))
    if not m:
        return None, "date_invalid"
    d, mth, y = (int(g) for g in m.groups())
    try:
        return date(y, mth, d), None
    except ValueError:
        return None, "date_invalid"


def parse_period(raw: object) -> tuple[str | None, str | None]:
    """A reporting period: a four-digit year within the programme's horizon."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = nfc(raw)
    if text.isdigit() and len(text) == 4 and vocabulary.PERIOD_FIRST <= int(text) <= vocabulary.PERIOD_LAST:
        return text, None
    return None, "period_invalid"
