"""Numbers, dates and counts as each language writes them (one module, on Babel)."""

from __future__ import annotations

import math
import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from sca_metrics.reference import formatting, i18n


def test_numbers_use_each_languages_marks():
    assert formatting.number(1234.5, "vi") == "1.234,5"
    assert formatting.number(1234.5, "en") == "1,234.5"
    assert formatting.number(59, "vi", 1, fixed=True) == "59,0"
    assert formatting.number(1_000_000, "en") == "1,000,000"
    assert formatting.number(None, "vi") == formatting.number(math.nan, "en") == "–"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 3), st.booleans())
def test_numbers_round_as_python_does_so_every_output_agrees(x, decimals, fixed):
    expected = (f"{int(round(x)):,}" if not fixed and x.is_integer() else f"{x:,.{decimals}f}")
    assert formatting.number(x, "en", decimals, fixed) == expected
    assert formatting.number(x, "vi", decimals, fixed) == expected.translate(str.maketrans(",.", ".,"))


def test_dates_put_the_day_first_and_never_read_as_numbers_in_english():
    day = date(2025, 7, 1)
    assert formatting.day(day, "vi") == "01/07/2025"
    assert formatting.day(day, "vi", "long") == "1 tháng 7 năm 2025"
    assert formatting.day(day, "en") == "1 Jul 2025"
    assert formatting.day(day, "en", "long") == "1 July 2025"


def test_an_official_document_dates_as_decree_30_writes_it():
    """A 0 before a day below 10 and before months 1 and 2, so no figure can be added by hand."""
    assert formatting.official_day(date(2026, 1, 5), "vi") == "ngày 05 tháng 01 năm 2026"
    assert formatting.official_day(date(2026, 2, 28), "vi") == "ngày 28 tháng 02 năm 2026"
    assert formatting.official_day(date(2026, 3, 9), "vi") == "ngày 09 tháng 3 năm 2026"
    assert formatting.official_day(date(2026, 11, 30), "vi") == "ngày 30 tháng 11 năm 2026"
    assert formatting.official_day(date(2026, 1, 5), "en") == "5 January 2026"


def test_a_weight_typed_with_either_mark_reads_the_same():
    assert formatting.parse_decimal("1,5") == formatting.parse_decimal(" 1.5 ") == 1.5
    assert formatting.parse_decimal("10") == 10.0 and formatting.parse_decimal("0,05") == 0.05
    for bad in ("", "  ", "1,2,3", "-1", "1e3", "một", None, "1.5.0", "nan"):
        assert formatting.parse_decimal(bad) is None, bad


def test_counted_messages_agree_in_number_in_english():
    assert "1 error." in i18n.t("upload.rejected", "en", file="a.xlsx", n=1)
    assert "2 errors." in i18n.t("upload.rejected", "en", file="a.xlsx", n=2)
    assert i18n.t("upload.warnings", "en", n=1).startswith("1 warning ")
    assert i18n.t("upload.warnings", "en", n=0).startswith("0 warnings ")
    assert "có 1 lỗi" in i18n.t("upload.rejected", "vi", file="a.xlsx", n=1)  # no plural in Vietnamese


def test_every_message_exists_in_both_languages():
    def keys(lang: str) -> set[str]:
        return {re.sub(r"\.(one|other)$", "", k) for k in i18n.catalogue(lang)}

    assert keys("vi") == keys("en")
    for key in i18n.catalogue("en"):
        if key.endswith(".one"):
            assert key[:-4] + ".other" in i18n.catalogue("en"), key


def test_the_vocabularys_names_are_read_from_the_translation_files(tmp_path):
    """Domain, driver, level and status names were written in Python: they are data now
    ([terms] in data/i18n/<lang>.toml), so a name changed there is the name everywhere."""
    import os
    import shutil
    import subprocess
    import sys

    from sca_metrics.settings import ROOT

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    file = data / "i18n" / "en.toml"
    text = file.read_text(encoding="utf-8")
    text = text.replace('domain_health = "Health"', 'domain_health = "Public health"')
    file.write_text(text, encoding="utf-8")
    code = ("from sca_metrics.reference import vocabulary as v; "
            "print(v.domain_name('health', 'en'), '|', v.domain_name('health', 'vi'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "SCA_DATA_DIR": str(data)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Public health | Y tế"
