"""Someone's text shown as text: in Markdown messages and on a terminal."""

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from sca_metrics.reference.textnorm import markdown_literal, nfc, printable

HOSTILE = [
    "![x](http://127.0.0.1:9/track.png).xlsx",
    "[click](javascript:alert(1)).xlsx",
    "<img src=x onerror=alert(1)>.xlsx",
    "**bold** _it_ `code` ~~del~~ $x^2$ :red[red] :material/home:",
    "# heading\n- item\n> quote",
    "a\\*b\\\\c",
    "https://example.com/a_b.xlsx www.example.com",
    "1. not a list",
    "Báo cáo «Sở Y tế» (bản 2).xlsx",
]
MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def rendered_text(markdown: str) -> str:
    """What a Markdown renderer shows (one paragraph's text, entities decoded)."""
    out = MD.render(markdown).strip()
    assert out.startswith("<p>") and out.endswith("</p>"), out
    return html.unescape(out[3:-4])


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_renders_exactly_as_typed(text):
    out = MD.render(f"Tệp «{markdown_literal(text)}» chưa được nhận")
    assert "<img" not in out and "<a " not in out and "<em>" not in out and "<strong>" not in out
    assert "<h1>" not in out and "<li>" not in out and "<code>" not in out
    assert rendered_text(f"Tệp «{markdown_literal(text)}»") == f"Tệp «{shown_as(text)}»"


def shown_as(text: str) -> str:
    """What markdown_literal promises to show: NFC, control characters as spaces, spaces
    collapsed and trimmed (as everywhere text enters the product)."""
    return nfc(re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text))


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_any_text_renders_as_itself(text):
    if shown_as(text):
        assert rendered_text(markdown_literal(text)) == shown_as(text)


def test_terminal_text_cannot_send_escape_sequences():
    assert printable("ok\x1b[2J\x07") == "ok\\x1b[2J\\x07"
    assert printable("Sở Y tế") == "Sở Y tế"
