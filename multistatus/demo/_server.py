"""The demo application (batch endpoint, WebDAV folder, an index page), its server and its self-test."""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request

from .._http._negotiation import JSON
from .._http._policy import POLICIES
from .._idempotency import DEFAULT_LEASE, Idempotency
from .._jobs import DEFAULT_JOB_RETENTION
from .._json import from_json
from .._model import MultiStatus
from .._xml import from_xml
from ..wsgi import respond_problem
from ._batch import QUOTA, SAMPLE_ITEMS, batch_app, item_name, process_items
from ._dav import dav_app
from ._faults import Faults
from ._files import FILES, propfind_app
from ._jobs import MONITORS, demo_jobs
from ._saved import ITEMS_FILE, KEYS_FILE, SavedItems, open_store

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from ..idempotency import Store

__all__ = ["curl_commands", "make_app", "run"]

# -- the demo application -------------------------------------------------------------
_PROPFIND_BODY = (
    '<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop>'
    '<displayname/><getcontentlength/><getetag/><color xmlns="http://example.com/ns"/></prop></propfind>'
)


def curl_commands(base: str) -> list[str]:
    """Commands to try the demo running at *base* (``http://host:port``).

    Example:
        >>> from multistatus.demo import curl_commands
        >>> curl_commands("http://127.0.0.1:8000")[0].startswith("# JSON")
        True
    """
    sample = json.dumps(list(SAMPLE_ITEMS), separators=(",", ":"))
    post = f"curl -i -X POST {base}/batch -H 'Content-Type: application/json' -d '{sample}'"
    return [
        "# JSON (the default for the JSON batch endpoint): 7 of 10 items saved",
        post,
        "# XML, and the compatibility policy for clients that cannot take 207",
        f"curl -i -X POST '{base}/batch?policy=200-if-all-succeeded' -H 'Accept: application/xml' "
        f"-H 'Content-Type: application/json' -d '{sample}'",
        "# The same batch with an Idempotency-Key, twice: saved once, the second answer is the first one's replay",
        f"curl -i -X POST {base}/batch -H 'Idempotency-Key: \"retry-1\"' -H 'Content-Type: application/json' "
        f"-d '{sample}'",
        "# A long batch as a job: 202 and a monitor (Location) that shows the progress; GET it, DELETE cancels",
        f"curl -i -X POST '{base}/batch?delay=0.5' -H 'Prefer: respond-async' -H 'Content-Type: application/json' "
        f"-d '{sample}'",
        "# What was saved, and how many times",
        f"curl -s {base}/batch/items",
        "# HTML (or open the URL in a browser)",
        f"curl -i {base}/batch -H 'Accept: text/html'",
        "# PROPFIND, Depth 1, with an unknown property (404 propstat)",
        f"curl -i -X PROPFIND {base}/files/ -H 'Depth: 1' -d '{_PROPFIND_BODY}'",
        "# The same with Prefer: return=minimal (404 propstats dropped)",
        f"curl -i -X PROPFIND {base}/files/ -H 'Depth: 1' -H 'Prefer: return=minimal' -d '{_PROPFIND_BODY}'",
    ]


def make_app(
    root: str | Path = FILES,
    *,
    dav: str | Path | None = None,
    max_resources: int = 1000,
    allow_hosts: Iterable[str] = (),
    data: str | Path | None = None,
    store: str | Store | None = None,
    lease: float = DEFAULT_LEASE,
    quota: int | None = QUOTA,
    job_retention: float = DEFAULT_JOB_RETENTION,
    faults: Faults | None = None,
) -> WSGIApplication:
    """The demo: ``/batch`` (``?policy=`` to choose one), ``/files/`` over *root*, and ``/`` with instructions.

    With a *data* folder, ``POST /batch`` saves the items it accepts there (an
    SQLite file) and ``GET /batch/items`` lists them as JSON, each with how many
    times it was saved; and ``/batch`` takes idempotency keys, the request's
    (``Idempotency-Key``) and each item's (``idempotency_key``), kept in *store*.

    Args:
        root: the folder served at ``/files/``.
        dav: a folder to serve read-write at ``/dav/`` (:func:`~multistatus.demo.dav_app`); none when ``None``.
        max_resources: the most resources a ``Depth: infinity`` PROPFIND of ``/dav/`` lists.
        allow_hosts: host names ``/dav/`` answers for besides the loopback ones
            (``127.0.0.1``, ``localhost``, ``[::1]``); other ``Host`` values get 421.
        data: the folder of the saved items (and of the default store); ``None``:
            nothing is saved, and keys are taken only with a *store*.
        store: the idempotency store: a :class:`~multistatus.idempotency.Store`, or
            ``sqlite:PATH``, ``redis://HOST:PORT/DB``, ``memory:``; ``None``: an
            SQLite file in *data* (no keys without *data*).
        lease: seconds a request (or an item) holds its key before a retry may run it.
        quota: saves per ``POST /batch``; the items after that are rate-limited (429);
            ``None``: no quota.
        job_retention: seconds a finished job's results are kept (a ``POST /batch`` with
            ``Prefer: respond-async`` runs as a job, its monitor at ``/batch/jobs/...``); then 410.
        faults: misbehave on purpose (:class:`~multistatus.demo.Faults`): some items and
            whole requests fail, some connections drop after saving; the quota is then off.

    Returns:
        A WSGI application.

    Example:
        >>> from werkzeug.test import Client
        >>> from multistatus.demo import make_app
        >>> r = Client(make_app()).get("/batch?policy=nope")
        >>> r.status_code, r.json["title"]
        (400, 'Bad Request')
    """
    files = propfind_app(root, prefix="/files/")
    saved = SavedItems(Path(data) / ITEMS_FILE) if data is not None else None
    idem = None
    if data is not None or store is not None:
        keys = open_store(store, data) if store is None or isinstance(store, str) else store
        idem = Idempotency(keys, lease=lease)
    save = saved.save if saved is not None else None
    quota = None if faults is not None else quota
    jobs = demo_jobs(
        POLICIES, partial(process_items, save=save, quota=quota), item_name, data=data, retention=job_retention
    )
    batches = {
        policy: batch_app(policy, save=save, idempotency=idem, quota=quota, jobs=jobs[policy], faults=faults)
        for policy in POLICIES
    }
    webdav = dav_app(dav, max_resources=max_resources, allow_hosts=allow_hosts) if dav is not None else None

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if webdav is not None and (path == "/dav" or path.startswith("/dav/")):
            return webdav(environ, start_response)
        if path == "/files" or path.startswith("/files/"):
            return files(environ, start_response)
        if path.startswith(MONITORS):
            policy = path[len(MONITORS) :].partition("/")[0]
            if policy in jobs:
                return jobs[policy].monitor_app(environ, start_response)
        if path == "/batch/items":
            return _items(environ, start_response, saved)
        if path == "/batch":
            policy = parse_qs(environ.get("QUERY_STRING", "")).get("policy", ["always-207"])[-1]
            if policy not in batches:
                detail = f"unknown policy; use one of {', '.join(POLICIES)}"
                return respond_problem(environ, start_response, 400, detail=detail, default=JSON)
            return batches[policy](environ, start_response)
        if path == "/":
            base = Request(environ).host_url.rstrip("/")
            text = "multistatus demo\n\n" + "\n".join(curl_commands(base)) + "\n"
            data = text.encode("utf-8")
            start_response(
                "200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))]
            )
            return [] if environ.get("REQUEST_METHOD") == "HEAD" else [data]  # (RFC 9110 §9.3.2)
        return respond_problem(environ, start_response, 404, detail="try / for instructions")

    return app


def _items(environ: WSGIEnvironment, start_response: StartResponse, saved: SavedItems | None) -> Iterable[bytes]:
    """``GET /batch/items``: the saved items as JSON, ``[{"id", "saves", "name"}, ...]``."""
    if saved is None:
        return respond_problem(environ, start_response, 404, detail="this demo saves nothing (no data folder)")
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return respond_problem(environ, start_response, 405, headers=[("Allow", "GET, HEAD")], default=JSON)
    data = json.dumps(saved.listing(), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    headers = [("Content-Type", JSON), ("Content-Length", str(len(data))), ("Cache-Control", "no-store")]
    start_response("200 OK", headers)
    return [] if environ.get("REQUEST_METHOD") == "HEAD" else [data]


# -- running it -----------------------------------------------------------------------
class _QuietHandler(WSGIRequestHandler):
    def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002 - werkzeug's signature
        pass


def _fetch(
    url: str, *, method: str = "GET", data: bytes | None = None, headers: dict[str, str]
) -> tuple[int, Any, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.headers, resp.read()


class _CheckFailed(Exception):
    pass


def _expect(condition: bool, detail: str) -> None:
    if not condition:
        raise _CheckFailed(detail)


def _checks(base: str) -> list[tuple[str, Callable[[], str]]]:
    sample = json.dumps(list(SAMPLE_ITEMS)).encode()
    post = {"Content-Type": "application/json"}

    def batch_json() -> str:
        status, headers, body = _fetch(f"{base}/batch", method="POST", data=sample, headers=post)
        s = from_json(body).summary
        _expect(status == 207, f"status {status}")
        _expect(headers["Content-Type"] == "application/json", headers["Content-Type"])
        _expect((s.succeeded, s.failed) == (7, 3), repr(s))
        return f"{status}, {s.succeeded} succeeded, {s.failed} failed"

    def batch_xml() -> str:
        status, headers, body = _fetch(
            f"{base}/batch", method="POST", data=sample, headers={**post, "Accept": "application/xml"}
        )
        doc = from_xml(body)
        _expect(status == 207, f"status {status}")
        _expect(headers["Content-Type"] == "application/xml; charset=utf-8", headers["Content-Type"])
        _expect([r.status.code for r in doc.failed() if r.status] == [422, 403, 429], repr(doc))
        return f"{status}, failed: {', '.join(str(r.status.code) for r in doc.failed() if r.status)}"

    def batch_replay() -> str:
        keyed = {**post, "Idempotency-Key": '"self-test-1"'}
        first = _fetch(f"{base}/batch", method="POST", data=sample, headers=keyed)
        status, headers, body = _fetch(
            f"{base}/batch", method="POST", data=sample, headers={**keyed, "Accept": "application/xml"}
        )
        _expect(first[1]["Idempotent-Replayed"] is None, "the first answer is marked replayed")
        _expect(headers["Idempotent-Replayed"] == "true", str(headers["Idempotent-Replayed"]))
        _expect(from_xml(body) == from_json(first[2]), "the replay differs from the first answer")
        return f"{status}, the first answer again, in XML"

    def batch_html() -> str:
        status, headers, body = _fetch(f"{base}/batch", headers={"Accept": "text/html"})
        _expect(status == 207, f"status {status}")
        _expect(headers["Content-Type"] == "text/html; charset=utf-8", headers["Content-Type"])
        _expect(b"<table>" in body, "no table in the page")
        return f"{status}, {len(body)} bytes of HTML"

    def propfind_minimal() -> str:
        status, headers, body = _fetch(
            f"{base}/files/",
            method="PROPFIND",
            data=_PROPFIND_BODY.encode(),
            headers={"Depth": "1", "Prefer": "return=minimal", "Content-Type": "application/xml"},
        )
        doc: MultiStatus = from_xml(body)
        codes = {ps.status.code for r in doc for ps in r.propstats}
        _expect(status == 207, f"status {status}")
        _expect(headers["Preference-Applied"] == "return=minimal", str(headers["Preference-Applied"]))
        _expect(codes == {200}, f"propstat statuses {sorted(codes)}")
        return f"{status}, {len(doc.responses)} resources, no 404 propstats"

    return [
        ("POST /batch (JSON)", batch_json),
        ("POST /batch (XML)", batch_xml),
        ("POST /batch again with its Idempotency-Key", batch_replay),
        ("GET /batch (HTML)", batch_html),
        ("PROPFIND /files/ (Prefer: return=minimal)", propfind_minimal),
    ]


def _self_test(app: WSGIApplication, out: Any) -> int:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    failures = 0
    try:
        base = f"http://127.0.0.1:{server.port}"
        for name, check in _checks(base):
            try:
                print(f"ok    {name}: {check()}", file=out)
            except (_CheckFailed, OSError, urllib.error.URLError, ValueError) as exc:
                failures += 1
                print(f"FAIL  {name}: {exc!r}", file=out)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    return 1 if failures else 0


_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def run(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    self_test: bool = False,
    dav: str | Path | None = None,
    max_resources: int = 1000,
    allow_hosts: Iterable[str] = (),
    data: str | Path | None = None,
    store: str | None = None,
    lease: float = DEFAULT_LEASE,
    job_retention: float = DEFAULT_JOB_RETENTION,
    quota: int | None = QUOTA,
    faults: Faults | None = None,
) -> int:
    """Serve the demo on *host*:*port* until interrupted, printing curl commands to try it.

    Args:
        host: the address to listen on.
        port: the port.
        self_test: instead, start on a free 127.0.0.1 port, make a few requests
            (JSON, XML, HTML, ``Prefer: return=minimal``), print one line per
            check, and stop.
        dav: a folder to serve read-write at ``/dav/`` (WebDAV class 1 and 2); only
            on a loopback address (the demo has no authentication).
        max_resources: the most resources a ``Depth: infinity`` PROPFIND of
            ``/dav/`` lists (``Depth: 1`` lists a folder whatever its size).
        allow_hosts: more host names ``/dav/`` answers for (a name of this
            machine in ``/etc/hosts``); it answers ``127.0.0.1``, ``localhost``
            and ``[::1]`` (any port) and refuses others with 421, against DNS
            rebinding.
        data: the folder of the saved items and of the default idempotency
            store (created if absent); ``None``: a new temporary folder, removed
            when the demo stops.  Processes given the same folder (and store)
            share the saved items and the keys.
        store: the idempotency store (``sqlite:PATH``, ``redis://HOST:PORT/DB``,
            ``memory:``); ``None``: an SQLite file in *data*.
        lease: seconds a request holds its idempotency key before a retry may run it.
        job_retention: seconds a finished job's results are kept.
        quota: saves per ``POST /batch`` (the rest 429); ``None``: no quota.
        faults: misbehave on purpose (:class:`~multistatus.demo.Faults`); the quota is then off.

    Returns:
        The exit code: 0, 1 when a self-test check failed, 2 when ``dav`` is
        asked for on an address other than loopback or is not a folder, or
        *store* is not a store's address, or *max_resources* is below 1.
    """
    if data is not None:
        Path(data).mkdir(parents=True, exist_ok=True)
        args = (host, port, self_test, dav, max_resources, allow_hosts, Path(data), store, lease, job_retention)
        return _run(*args, quota=quota, faults=faults)
    with tempfile.TemporaryDirectory(prefix="multistatus-demo-") as folder:
        args = (host, port, self_test, dav, max_resources, allow_hosts, Path(folder), store, lease, job_retention)
        return _run(*args, quota=quota, faults=faults)


def _run(
    host: str,
    port: int,
    self_test: bool,
    dav: str | Path | None,
    max_resources: int,
    allow_hosts: Iterable[str],
    data: Path,
    store: str | None,
    lease: float,
    job_retention: float,
    *,
    quota: int | None = QUOTA,
    faults: Faults | None = None,
) -> int:
    out = sys.stdout
    if max_resources < 1:
        print(f"--max-resources {max_resources}: give 1 or more", file=out)
        return 2
    if dav is not None and host not in _LOOPBACK:
        print(f"--dav serves a folder read-write without authentication: only on 127.0.0.1, not {host}", file=out)
        return 2
    if dav is not None and not Path(dav).is_dir():
        print(f"--dav {dav}: not a folder", file=out)
        return 2
    try:
        app = make_app(
            dav=dav,
            max_resources=max_resources,
            allow_hosts=allow_hosts,
            data=data,
            store=store,
            lease=lease,
            job_retention=job_retention,
            quota=quota,
            faults=faults,
        )
    except ValueError as exc:
        print(exc, file=out)
        return 2
    if self_test:
        return _self_test(app, out)
    server = make_server(host, port, app, threaded=True)
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{server.port}"
    print(f"multistatus demo on {base}/  (Ctrl+C to stop)\n", file=out)
    if dav is not None:
        print(f"WebDAV (class 1, 2) over {Path(dav).resolve()} at {base}/dav/\n", file=out)
    print(f"saved items in {data.resolve()}, listed at {base}/batch/items", file=out)
    print(f"idempotency keys in {store or 'sqlite:' + str((data / KEYS_FILE).resolve())}\n", file=out)
    print("\n".join(curl_commands(base)), file=out, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nstopped", file=out)
    finally:
        server.server_close()
    return 0
