"""Shared by the benchmarks: the best of n runs of a function, in seconds."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(n: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)
