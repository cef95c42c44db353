"""Numbers, dates and counted nouns as each language writes them, built on Babel's locale data:
1.234,5 and 01/07/2025 or 1 tháng 7 năm 2025 in Vietnamese; 1,234.5 and 1 Jul 2025 in English
(never 1/7/2025, which an English reader takes for 7 January). The one home of these formats:
pages, figures, briefings and messages all call it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import get_decimal_symbol, get_group_symbol

MISSING = "–"
# Babel's own short date is 1/7/25 in Vietnamese and 7/1/25 in English: the programme writes
# the day first and the year whole, as its documents do.
DATE_PATTERNS = {
    "vi": {"short": "dd/MM/y", "long": "d 'tháng' M 'năm' y"},
    "en": {"short": "d MMM y", "long": "d MMMM y"},
}


def number(x: float | int | None, lang: str = "vi", decimals: int = 1, fixed: bool = False) -> str:
    """1.234,5 in Vietnamese, 1,234.5 in English; None or NaN → '–'. Whole numbers drop their
    decimals unless `fixed` (scores: 59,0 beside 53,6). The marks are the language's (CLDR data,
    through Babel); the digits are Python's, which rounds the float's exact value half to even,
    so a number reads the same in every output; 3 µs a number, where Babel's format_decimal
    takes 46 µs, and a table formats thousands."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    if not fixed and float(x).is_integer() and abs(x) < 1e15:
        text = f"{int(round(x)):,}"
    else:
        text = f"{x:,.{decimals}f}"
    decimal_mark, group_mark = _marks(lang)
    return text.translate({ord(","): group_mark, ord("."): decimal_mark})


def exact(x: float, lang: str = "vi", least: int = 1) -> str:
    """A weight or a share a person chose or loaded, written with every decimal it has (at least
    `least`) and no thousands mark (it is typed back): 1,2345 stays 1,2345, where `number`
    would round it — what is shown is what is used."""
    digits = -int(Decimal(repr(float(x))).normalize().as_tuple().exponent)
    text = f"{x:.{max(least, digits)}f}"
    return text.replace(".", _marks(lang)[0])


def signed(x: float | int | None, lang: str = "vi", decimals: int = 1) -> str:
    """A change as a change: +5,2 and −3,1 (a true minus), and ±0,0 for none as written (never
    "+0,0" nor a rise without its sign); '–' when missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    shown = round(float(x), decimals)
    if shown == 0:
        return "±" + number(0, lang, decimals, fixed=True)
    return ("+" if shown > 0 else "−") + number(abs(shown), lang, decimals, fixed=True)


def indicator_decimals(kind: str, *values: float | None) -> int:
    """The decimals an indicator's numbers are written with, the same for its value and its
    targets on one row: percentages 1; other numbers 1 when any of them has a fraction, else 0;
    levels and yes/no are words (indicator_value)."""
    if kind == "percent":
        return 1
    present = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    return 1 if kind == "number" and any(not v.is_integer() for v in present) else 0


def indicator_value(x: float | None, kind: str, lang: str, decimals: int = 1) -> str:
    """One value of an indicator as every table writes it: Có/Không (Yes/No) for yes/no,
    "Mức 3" (Level 3) for a level, else the number at `decimals` (fixed: 44,2 beside 67,0);
    '–' when missing."""
    from sca_metrics.reference.i18n import t  # i18n imports this module

    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    if kind == "yesno":
        return t("indicator.yes" if x >= 0.5 else "indicator.no", lang)
    if kind == "level":
        return f"{t('overview.level', lang)} {number(x, lang, 1)}"
    return number(x, lang, decimals, fixed=True)


def parse_decimal(text: object) -> float | None:
    """A short decimal as an official types it, in either language: "1,5" or "1.5" (a weight
    or a share: never thousands, so either mark is the decimal one); None when it is not one."""
    if not isinstance(text, str):
        return None
    cleaned = text.strip().replace(",", ".")
    if not cleaned or cleaned.count(".") > 1 or not cleaned.replace(".", "", 1).isdigit():
        return None
    return float(cleaned)


def indicator_values(kind: str, lang: str, *values: float | None) -> list[str]:
    """Several values of one indicator written alike — a row's value and target, or its
    goalposts —, at the decimals they call for together (indicator_decimals)."""
    decimals = indicator_decimals(kind, *values)
    return [indicator_value(v, kind, lang, decimals) for v in values]


def unit_after(text: str, kind: str, unit: str) -> str:
    """An indicator's written value with its unit: "34,6%", "230 điểm"; a yes/no or a level, a
    missing value or a unitless number as it is ("Có", "Mức 3", "–")."""
    if kind in ("yesno", "level") or text == MISSING or not unit:
        return text
    return text + ("" if unit == "%" else " ") + unit


def indicator_columns(kinds: Sequence[str], lang: str,
                      **columns: Sequence[float | None]) -> dict[str, list[str]]:
    """Columns of indicator values, one indicator a row, each row written alike
    (indicator_values): {"worst": [...], "best": [...]} for a table."""
    rows = [indicator_values(kind, lang, *values)
            for kind, *values in zip(kinds, *columns.values(), strict=True)]
    return {name: [row[k] for row in rows] for k, name in enumerate(columns)}


def with_unit(x: float | None, unit: str, lang: str, decimals: int = 1, fixed: bool = False) -> str:
    """A number and its unit: 37,7% (a percent sign is written close) but 210 điểm."""
    return number(x, lang, decimals, fixed) + ("" if unit == "%" or not unit else " ") + (unit or "")


def short_number(x: float, lang: str) -> str:
    """0,6 and 0,95: as few decimals as the value needs (axis ticks), a true minus sign."""
    text = f"{x:g}".replace("-", "−")
    return text.replace(".", ",") if lang == "vi" else text


def day(d: date, lang: str, style: str = "short") -> str:
    """01/07/2025 or 1 tháng 7 năm 2025 (vi); 1 Jul 2025 or 1 July 2025 (en)."""
    patterns = DATE_PATTERNS.get(lang, DATE_PATTERNS["vi"])
    return format_date(d, patterns[style], locale=_locale(lang))


def official_day(d: date, lang: str) -> str:
    """The date of an official document: "ngày 05 tháng 01 năm 2026" as Decree 30/2020/NĐ-CP
    writes it — a 0 before a day below 10 and before months 1 and 2 (so that "ngày 1 tháng 1"
    cannot be turned into "ngày 11 tháng 12"), which no CLDR pattern expresses; in English the
    long date (5 January 2026)."""
    if lang != "vi":
        return day(d, lang, "long")
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


# A date and time in a table Streamlit draws (its DatetimeColumn takes moment.js tokens): the
# same order as `day`, with the time.
TABLE_DATETIME = {"vi": "DD/MM/YYYY HH:mm", "en": "D MMM YYYY, HH:mm"}


def table_datetime(lang: str) -> str:
    return TABLE_DATETIME.get(lang, TABLE_DATETIME["vi"])


def plural(n: float, lang: str) -> str:
    """The CLDR plural category of a count: 'one' or 'other' in English; always 'other' in
    Vietnamese, which does not inflect nouns for number."""
    return _babel(_locale(lang)).plural_form(abs(n))


@cache
def _babel(lang: str) -> Locale:
    return Locale.parse(lang)


@cache
def _marks(lang: str) -> tuple[str, str]:
    """The decimal mark and the thousands separator of a language."""
    return get_decimal_symbol(_locale(lang)), get_group_symbol(_locale(lang))


def _locale(lang: str) -> str:
    return lang if lang in DATE_PATTERNS else "vi"
