"""Figures to PNG / SVG / PDF on the server, with plotly + kaleido and Debian's chromium.

Starting chromium takes seconds; rendering one figure in a running one takes a fraction of a
second. So one browser is started on first use and kept for the life of the process (the
dashboard's, or a command's), and every export goes through it. When no chromium is
installed, `available()` says so and why, and nothing tries to start one (kaleido would
otherwise offer to download a browser, which a government network does not allow).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import functools
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import plotly.graph_objects as go

from sca_metrics import settings

log = logging.getLogger(__name__)
FORMATS = ("png", "svg", "pdf")
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
WIDTH = 1200  # layout pixels; PNG is rendered at SCALE × this: 2400 px, print quality
SCALE = 2
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT = 60  # seconds for one figure, and for the browser to start


class ExportUnavailable(RuntimeError):
    """No browser to render with, or the browser failed; the message says what to do."""


def browser_path() -> str | None:
    """$SCA_CHROMIUM, else the first chromium / chrome on PATH."""
    wanted = settings.current().chromium
    if wanted:
        return wanted if os.access(wanted, os.X_OK) else None
    for name in BROWSER_NAMES:
        if found := shutil.which(name):
            return found
    return None


def available() -> bool:
    return browser_path() is not None


@dataclass(frozen=True)
class Job:
    """One figure to render: at its layout width (WIDTH when it sets none) × height layout
    pixels, in one format."""

    figure: go.Figure
    fmt: str = "png"
    height: int | None = None

    def opts(self) -> dict:
        """kaleido's layout options: PNG at SCALE × the width, vector formats at 1."""
        width = int(self.figure.layout.width or WIDTH)
        return {"format": self.fmt, "width": width, "scale": SCALE if self.fmt == "png" else 1,
                "height": self.height or self.figure.layout.height or 500}


# kaleido reloads a tab after every figure (plotly.js parsed and compiled again: about 0.4 s
# of CPU a figure, most of a pack's rendering). A tab here renders this many figures before it
# is reloaded; plotly.js draws each figure in a fresh element of its own and removes it, and a
# failed render replaces the whole browser (render_many).
RELOAD_EVERY = 50


@functools.cache
def _kaleido_class():
    import kaleido

    class Reusing(kaleido.Kaleido):
        """kaleido's browser, its tabs reloaded every RELOAD_EVERY figures, not after each."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.rendered: dict[int, int] = {}  # a tab's id → figures since it was (re)loaded

        async def _return_kaleido_tab(self, tab) -> None:
            done = self.rendered.get(id(tab), 0) + 1
            if done >= RELOAD_EVERY:
                self.rendered[id(tab)] = 0
                await super()._return_kaleido_tab(tab)  # reloads it
            else:
                self.rendered[id(tab)] = done
                await self.tabs_ready.put(tab)

    return Reusing


class _Browser:
    """A kaleido browser on its own event-loop thread, so synchronous callers (Streamlit
    script threads, the command line) can share it; calls wait with a timeout, and a
    browser that stops answering is closed and replaced on the next call."""

    def __init__(self, path: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name="kaleido-browser")
        self._thread.start()

        async def open_browser():
            # mathjax=False: no script from a CDN (offline networks); plotly.js comes from
            # the installed plotly package.
            k = _kaleido_class()(n=2, timeout=TIMEOUT, mathjax=False, path=path)
            await k.open()
            return k

        try:
            self._kaleido = self._wait(open_browser())
        except BaseException:
            self._stop_loop()
            raise

    def _wait(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(TIMEOUT)

    def submit(self, job: Job) -> concurrent.futures.Future:
        """Start rendering a figure now (in whichever tab is free); its bytes come in the future."""
        return asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(job.figure, opts=job.opts()),
                                                self._loop)

    def close(self) -> None:
        try:
            self._wait(self._kaleido.close())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


_lock = threading.Lock()
_browser: _Browser | None = None


def _shared_browser() -> _Browser:
    global _browser
    if _browser is None:
        path = browser_path()
        if path is None:
            raise ExportUnavailable("no chromium on PATH and SCA_CHROMIUM not set")
        _browser = _Browser(path)
        atexit.register(shutdown)
    return _browser


def shutdown() -> None:
    """Close the shared browser (at exit, or after it failed)."""
    global _browser
    if _browser is not None:
        browser, _browser = _browser, None
        try:
            browser.close()
        except Exception:  # noqa: BLE001 - already broken; the process is what matters
            pass


def render_many(jobs: Iterable[Job], done: Callable[[int], None] | None = None,
                ready: Callable[[int, bytes], None] | None = None) -> list[bytes]:
    """Render figures in the shared browser (started on first use), their bytes in order. Each
    job goes to the browser as soon as `jobs` yields it: a generator that draws the figures
    draws the next while the browser renders the ones before. Told in the caller's thread, as
    images come back (in whatever order they finish): `ready(k, data)` with the k-th job's
    bytes, then `done(n)` with how many are back."""
    started = time.perf_counter()
    futures: list[concurrent.futures.Future] = []
    told: set[int] = set()
    formats = set()

    def tell() -> None:  # while figures are still being drawn too
        back = [k for k, future in enumerate(futures) if k not in told and future.done()]
        for k in back:
            told.add(k)
            if ready is not None:
                ready(k, futures[k].result())
        if back and done is not None:
            done(len(told))

    with _lock:
        try:
            browser = _shared_browser()
            for job in jobs:
                futures.append(browser.submit(job))
                formats.add(job.fmt)
                tell()
            deadline = time.monotonic() + TIMEOUT * max(1, len(futures))
            while len(told) < len(futures):
                pending = [future for k, future in enumerate(futures) if k not in told]
                finished, _ = concurrent.futures.wait(pending, max(0.0, deadline - time.monotonic()),
                                                      concurrent.futures.FIRST_COMPLETED)
                if not finished:
                    raise TimeoutError(f"{len(pending)} figure(s) not rendered in time")
                tell()
            out = [future.result() for future in futures]
        except ExportUnavailable:
            log.warning("figure export unavailable", exc_info=True)
            raise
        except Exception as error:
            for future in futures:
                future.cancel()
            log.exception("figure export failed; the browser is restarted for the next one")
            shutdown()  # a fresh browser next time
            raise ExportUnavailable(f"{type(error).__name__}: {error}") from error
    log.info("rendered %d figure(s) (%s) in %.2f s", len(out), ", ".join(sorted(formats)),
             time.perf_counter() - started)
    return out


def render(figure: go.Figure, fmt: str = "png", height: int | None = None) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    return render_many([Job(figure, fmt, height)])[0]


def render_once(figure: go.Figure, fmt: str = "png", height: int | None = None) -> bytes:
    """Without the shared browser: start chromium, render, close it (the benchmark's
    baseline, and what plotly's own write_image does)."""
    import kaleido

    path = browser_path()
    if path is None:
        raise ExportUnavailable("no chromium on PATH and SCA_CHROMIUM not set")
    return kaleido.calc_fig_sync(figure, opts=Job(figure, fmt, height).opts(),
                                 kopts={"mathjax": False, "path": path})
