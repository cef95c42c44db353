"""A rendered figure placed in a box: its size read from the PNG, scaled to fit.
"""

from __future__ import annotations


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (no image library needed)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def fit(png: bytes, box_w: float, box_h: float) -> tuple[float, float]:
    w, h = png_size(png)
    scale = min(box_w / w, box_h / h)
    return w * scale, h * scale
