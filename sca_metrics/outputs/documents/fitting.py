"""Text as a document sets it: the embedded Noto Sans, and how much room paragraphs take in a
box at a size (the one measure every file is laid out by).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from pathlib import Path

from sca_metrics import settings
from sca_metrics.outputs import render

FONT_FILES = {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf"}


FONT_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto", "/usr/local/share/fonts",
             "/usr/share/fonts/opentype/noto", str(Path.home() / ".fonts"))


def font_files() -> dict[str, Path]:
    """Noto Sans regular and bold ($SCA_FONT_DIR first); embedded in the PDF so every
    diacritic prints the same on any machine."""
    font_dir = settings.current().font_dir
    dirs: list[Path | str] = [font_dir] if font_dir else []
    found = {}
    for style, name in FONT_FILES.items():
        for d in [*dirs, *FONT_DIRS]:
            if (p := Path(d) / name).is_file():
                found[style] = p
                break
        else:
            raise render.ExportUnavailable(
                f"font {name} not found (install Debian's fonts-noto-core, or set SCA_FONT_DIR)")
    return found


LINE = 1.2  # line height, as a multiple of the font size
PARA_PT = 6  # space after each paragraph


class Measure:
    """Lines and heights of text as the PDF sets it (Noto Sans, the embedded font): the one
    measure every file is laid out by (PowerPoint, Word and LibreOffice wrap the same font at
    the same width alike, give or take a word, which a document's margin absorbs)."""

    def __init__(self) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(unit="pt")
        self.pdf.c_margin = 0
        for style, path in font_files().items():
            self.pdf.add_font("Noto", style, str(path))
        self.pdf.add_page()  # multi_cell measures on a page (nothing is drawn: dry runs)
        self.lock = threading.Lock()

    def height(self, lines: Iterable[str], width_in: float, size: float, bold: bool) -> float:
        """Points the paragraphs take at `size` in a box `width_in` inches wide (one measure at
        a time: the dashboard's sessions share this object, and its font is its state)."""
        with self.lock:
            self.pdf.set_font("Noto", "B" if bold else "", size)
            total = 0.0
            for line in lines:
                wrapped = self.pdf.multi_cell(width_in * 72, size * LINE, line, dry_run=True, output="LINES")
                n = len(wrapped) if isinstance(wrapped, list) else 1
                total += n * size * LINE + PARA_PT
            return total


@functools.cache
def measure() -> Measure:
    """The process's one measure (its fonts loaded once)."""
    return Measure()
