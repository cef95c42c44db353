"""A room full of colleagues: N sessions load pages back to back while M others upload valid
returns, against a real `streamlit run` server, through Streamlit's own websocket protocol.

    .venv/bin/python bench/bench_load.py [--readers 25] [--uploaders 5] [--seconds 60]

The server runs on 127.0.0.1 with a fresh demo database. Each simulated session is a websocket
client speaking Streamlit's protocol (BackMsg rerun → ForwardMsg deltas → script_finished), as
a browser tab does, but without drawing anything, so one small process can drive thirty of
them. A page time is from the rerun request to the script's end. Uploaders take the upload
page's own path: ask for an upload URL, PUT the file (with the XSRF token), rerun with the
file, check the preview, then press «confirm» (a button trigger) and read the outcome.

Reported: page time p50/p95 per page for one session alone, then under load; errors (an
exception or an error box on a page, a protocol failure); uploads confirmed, reported saved
and found in the database afterwards (lost = confirmed − found). Goal on the 2-core machine:
25 readers + 5 uploaders, 0 errors, 0 lost uploads, p95 page time under 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ClientState_pb2 import ClientState  # noqa: E402
from streamlit.proto.Common_pb2 import FileUploaderState, FileURLsRequest, UploadedFileInfo  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates  # noqa: E402

from bench.timing import check, report  # noqa: E402
from sca_metrics.demo import build_demo  # noqa: E402
from sca_metrics.reference import i18n  # noqa: E402
from sca_metrics.reference.catalog import default_catalog  # noqa: E402
from sca_metrics.store import schema  # noqa: E402
from tests.helpers import current_roadmap, fill, full_values, template, to_bytes  # noqa: E402

PAGES = ("", "domain", "pilot", "whatif", "submissions", "upload", "exports", "method")
UPLOAD_PREFIX = "load_"


@dataclass
class Run:
    seconds: float
    elements: list = field(default_factory=list)  # (type, element) of every new element
    errors: list[str] = field(default_factory=list)

    def alerts(self, kind: str) -> list[str]:
        return [e.alert.body for t, e in self.elements if t == "alert" and _alert_kind(e) == kind]


def _alert_kind(element) -> str:
    from streamlit.proto.Alert_pb2 import Alert

    return {Alert.ERROR: "error", Alert.WARNING: "warning", Alert.INFO: "info",
            Alert.SUCCESS: "success"}.get(element.alert.format, "?")


class Session:
    """One browser tab, as the server sees it."""

    def __init__(self, base: str):
        self.base = base
        self.ws = None
        self.session_id = ""
        self.xsrf = ""

    async def open(self) -> None:
        # The health endpoint hands out the XSRF cookie, as it does to the browser.
        response = await asyncio.to_thread(requests.get, self.base + "/_stcore/health", timeout=30)
        self.xsrf = response.cookies.get("_streamlit_xsrf", "")
        headers = {"Cookie": f"_streamlit_xsrf={self.xsrf}"} if self.xsrf else {}
        protocols = ["streamlit", self.xsrf] if self.xsrf else ["streamlit"]
        self.ws = await websockets.connect(self.base.replace("http", "ws") + "/_stcore/stream",
                                           subprotocols=protocols, additional_headers=headers,
                                           max_size=None, open_timeout=60)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(self, page: str, query: str = "lang=vi", widgets: list | None = None) -> Run:
        msg = BackMsg(rerun_script=ClientState(query_string=query, page_name=page,
                                               widget_states=WidgetStates(widgets=widgets or [])))
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = Run(0.0)
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), timeout=120))
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                etype = element.WhichOneof("type")
                run.elements.append((etype, element))
                if etype == "exception":
                    run.errors.append(f"exception: {element.exception.message[:200]}")
                elif etype == "alert" and _alert_kind(element) == "error":
                    run.errors.append(f"error box: {element.alert.body[:200]}")
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    run.elements.clear()
                    run.errors.clear()
                    continue
                run.seconds = time.perf_counter() - started
                return run

    async def upload_url(self, name: str):
        request_id = uuid.uuid4().hex
        msg = BackMsg(file_urls_request=FileURLsRequest(request_id=request_id, file_names=[name],
                                                        session_id=self.session_id))
        await self.ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), timeout=120))
            if fwd.WhichOneof("type") == "file_urls_response" and \
                    fwd.file_urls_response.response_id == request_id:
                return fwd.file_urls_response.file_urls[0]

    async def put(self, url: str, name: str, data: bytes) -> None:
        def send() -> None:
            r = requests.put(self.base + url, files={"file": (name, data)}, timeout=60,
                             headers={"X-Xsrftoken": self.xsrf}, cookies={"_streamlit_xsrf": self.xsrf})
            r.raise_for_status()
        await asyncio.to_thread(send)


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    confirmed: int = 0
    saved: int = 0

    def page(self, page: str, run: Run) -> None:
        self.times.setdefault(page or "overview", []).append(run.seconds)
        self.errors.extend(f"{page or 'overview'}: {e}" for e in run.errors)


async def reader(base: str, deadline: float, tally: Tally, offset: int) -> None:
    session = Session(base)
    try:
        await session.open()
        i = offset
        while time.monotonic() < deadline:
            page = PAGES[i % len(PAGES)]
            tally.page(page, await session.run(page))
            i += 1
    except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
        tally.errors.append(f"reader: {type(exc).__name__}: {exc}")
    finally:
        await session.close()


def _widget(elements, etype: str, label: str | None = None):
    for t, e in elements:
        if t == etype and (label is None or getattr(e, etype).label == label):
            return getattr(e, etype)
    return None


def upload_target(catalog) -> tuple[str, str]:
    """The upload page's default department and period: the first department, the last finished year."""
    return catalog.departments[0].code, str(min(max(time.localtime().tm_year - 1, 2018), 2030))


async def uploader(base: str, deadline: float, tally: Tally, number: int, catalog, plan) -> None:
    """Uploads the upload page's default department and period, each file with other values so
    each is a new version, from the template as the page gives it (carrying the plan)."""
    confirm = i18n.t("upload.confirm", "vi")
    saved_text = i18n.t("upload.saved", "vi").split("{", 1)[0]  # "Đã lưu báo cáo "
    session = Session(base)
    k = 0
    try:
        await session.open()
        first = await session.run("upload")
        tally.page("upload", first)
        department, period = upload_target(catalog)
        values = full_values(catalog, department)
        numeric = [i.code for i in catalog.for_department(department) if i.kind in ("number", "percent")]
        while time.monotonic() < deadline:
            k += 1
            page = await session.run("upload")
            box = _widget(page.elements, "file_uploader")
            if box is None:
                tally.errors.append("uploader: no file uploader on the upload page")
                return
            name = f"{UPLOAD_PREFIX}{number}_{k}.xlsx"
            # A value of its own (uploader, attempt): every file differs, so none is a duplicate.
            wb = fill(template(catalog, department, period, plan),
                      {**values, numeric[0]: round(float(values[numeric[0]]) + number + k / 1000, 3)})
            data = to_bytes(wb)
            urls = await session.upload_url(name)
            await session.put(urls.upload_url, name, data)
            state = WidgetState(id=box.id, file_uploader_state_value=FileUploaderState(
                uploaded_file_info=[UploadedFileInfo(file_id=urls.file_id, name=name, size=len(data),
                                                     file_urls=urls)]))
            checked = await session.run("upload", widgets=[state])
            tally.page("upload", checked)
            button = _widget(checked.elements, "button", confirm)
            if button is None:
                tally.errors.append(f"uploader: {name} was not accepted for preview: "
                                    f"{checked.alerts('error')[:1]}")
                continue
            tally.confirmed += 1
            press = WidgetState(id=button.id, trigger_value=True)
            saved = await session.run("upload", widgets=[state, press])
            tally.page("upload", saved)
            if any(a.startswith(saved_text) for a in saved.alerts("success")):
                tally.saved += 1
            else:
                tally.errors.append(f"uploader: {name} not saved: {saved.alerts('error')[:1]}")
    except Exception as exc:  # noqa: BLE001
        tally.errors.append(f"uploader: {type(exc).__name__}: {exc}")
    finally:
        await session.close()


async def drive(base: str, readers: int, uploaders: int, seconds: float, catalog, plan) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    tasks = [reader(base, deadline, tally, i) for i in range(readers)]
    tasks += [uploader(base, deadline, tally, j, catalog, plan) for j in range(uploaders)]
    await asyncio.gather(*tasks)
    return tally


def summary(tally: Tally) -> dict:
    out = {}
    for page, times in sorted(tally.times.items()):
        times = sorted(times)
        out[page] = {"n": len(times), "p50_s": round(statistics.median(times), 3),
                     "p95_s": round(times[min(len(times) - 1, int(0.95 * len(times)))], 3)}
    every = sorted(t for times in tally.times.values() for t in times)
    out["all pages"] = {"n": len(every), "p50_s": round(statistics.median(every), 3),
                        "p95_s": round(every[min(len(every) - 1, int(0.95 * len(every)))], 3)}
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "SCA_DB": str(db), "SCA_DEMO": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(base + "/_stcore/health", timeout=2).status_code == 200:
                return process, base
        except requests.ConnectionError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise RuntimeError(f"the server did not start (see {log})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readers", type=int, default=25)
    parser.add_argument("--uploaders", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--alone-rounds", type=int, default=5, help="page loads of the lone session")
    args = parser.parse_args()
    catalog = default_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.duckdb"
        con = schema.connect(db)
        build_demo(con, catalog)
        before = schema.table_counts(con)["submissions"]
        plan = current_roadmap(con, *upload_target(catalog))
        con.close()
        process, base = start_server(db, Path(tmp) / "server.log")
        try:
            async def lone(tally: Tally, rounds: int) -> None:
                session = Session(base)
                await session.open()
                for _ in range(rounds):
                    for page in PAGES:
                        tally.page(page, await session.run(page))
                await session.close()

            asyncio.run(lone(Tally(), 1))  # warm-up: every page once, caches filled
            alone = Tally()
            asyncio.run(lone(alone, args.alone_rounds))
            started = time.monotonic()
            if os.environ.get("BENCH_PYSPY"):  # a sampling profile of the server under load
                subprocess.Popen([os.environ["BENCH_PYSPY"], "record", "-p", str(process.pid), "-d",
                                  str(int(args.seconds * 0.8)), "-f", "speedscope", "-o",
                                  str(ROOT / "bench" / "results" / "load_profile.json")])
            loaded = asyncio.run(drive(base, args.readers, args.uploaders, args.seconds, catalog, plan))
            elapsed = time.monotonic() - started
        finally:
            process.terminate()
            process.wait(30)
        with schema.connect(db, read_only=True) as con:
            found = con.execute("SELECT count(*) FROM submissions WHERE file_name LIKE ?",
                                [UPLOAD_PREFIX + "%"]).fetchone()[0]
            after = schema.table_counts(con)["submissions"]
        server_log = (Path(tmp) / "server.log").read_text(errors="replace")
    result = {
        "readers": args.readers, "uploaders": args.uploaders, "seconds": round(elapsed, 1),
        "one session alone": summary(alone),
        "under load": summary(loaded),
        "errors": len(loaded.errors) + len(alone.errors),
        "first errors": (alone.errors + loaded.errors)[:10],
        "uploads confirmed": loaded.confirmed, "uploads reported saved": loaded.saved,
        "uploads found in the database": found, "submissions added": after - before,
        "lost uploads": loaded.confirmed - found,
        "tracebacks in the server log": server_log.count("Traceback"),
    }
    result["checks"] = [check("errors on pages under load", result["errors"], 0),
                        check("uploads lost (confirmed, not in the database)", result["lost uploads"], 0),
                        check("tracebacks in the server log", result["tracebacks in the server log"], 0)]
    report("load", result)


if __name__ == "__main__":
    main()
