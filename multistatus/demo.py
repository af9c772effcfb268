"""The demo server of ``python -m multistatus demo``: a batch endpoint and a PROPFIND responder.

``POST /batch``
    A JSON array of items in, a multistatus out (JSON by default, XML, HTML or
    ``text/xml`` by ``Accept``).  Items fail the way real batches do: an item
    without a ``name`` is 422 ``invalid``, one with ``"protected": true`` is 403
    ``forbidden``, more than seven saves in one request are 429 ``rate_limited``
    with ``retry-after``, and ``"explode": true`` raises inside the handler (500
    ``internal_error``, no traceback sent).  ``GET /batch`` runs the sample
    batch for browsers; ``?policy=`` picks a status policy.
``/files/``
    A read-only WebDAV view of a folder (a bundled one by default):
    ``PROPFIND`` with ``Depth: 0`` or ``1``, named properties, ``allprop``,
    ``propname``, 404 propstats for unknown properties, ``Prefer: return=minimal``.

The same :func:`propfind_app` serves ``examples/propfind_server.py``.
"""

from __future__ import annotations

import email.utils
import json
import mimetypes
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.security import safe_join
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request

from ._builders import Results
from ._element import DAV, Element, check_text
from ._exceptions import LimitExceeded, ParseError
from ._json import from_json
from ._model import MultiStatus
from ._negotiation import JSON, XML
from ._policy import POLICIES
from ._xml import from_xml, parse_tree
from .wsgi import MultiStatusMiddleware, get_results, respond, respond_problem

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["FILES", "SAMPLE_ITEMS", "batch_app", "make_app", "process_items", "propfind_app", "run"]

#: The folder served at ``/files/`` by default.
FILES = Path(__file__).resolve().parent / "data" / "files"

#: The seeds' scenario: ten items, seven saved, one invalid, one forbidden, one rate-limited.
SAMPLE_ITEMS: tuple[dict[str, Any], ...] = (
    {"id": "1", "name": "apple"},
    {"id": "2", "name": "banana"},
    {"id": "3", "name": "cherry"},
    {"id": "4", "name": ""},
    {"id": "5", "name": "elderberry"},
    {"id": "6", "name": "fig"},
    {"id": "7", "name": "grape", "protected": True},
    {"id": "8", "name": "honeydew"},
    {"id": "9", "name": "kiwi"},
    {"id": "10", "name": "lemon"},
)

QUOTA = 7  # saves per request; the rest are rate-limited
MAX_BODY = 64 * 1024
MAX_ITEMS = 1000
_D = f"{{{DAV}}}"
ALLPROP = (
    f"{_D}displayname",
    f"{_D}resourcetype",
    f"{_D}getcontentlength",
    f"{_D}getcontenttype",
    f"{_D}getlastmodified",
    f"{_D}getetag",
)


# -- the batch endpoint ---------------------------------------------------------------
def process_items(results: Results, items: Iterable[object]) -> None:
    """Pretend to save *items*, recording one result per item in *results*.

    Args:
        results: the request's collector.
        items: the decoded JSON items.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.demo import SAMPLE_ITEMS, process_items
        >>> results = ms.Results()
        >>> process_items(results, SAMPLE_ITEMS)
        >>> s = results.build().summary
        >>> s.succeeded, dict(s.by_status)
        (7, {201: 7, 403: 1, 422: 1, 429: 1})
    """
    saved = 0
    for index, item in enumerate(items, 1):
        raw_id = item.get("id") if isinstance(item, dict) else None
        item_id = str(raw_id) if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else str(index)
        usable_id = _usable(item_id)
        if not usable_id:  # e.g. a NUL: no multistatus can carry it, so answer by position
            item_id = str(index)
        href = f"/items/{quote(item_id, safe='')}"
        with results.item(href, id=item_id) as handle:
            name = item.get("name") if isinstance(item, dict) else None
            if not usable_id:
                handle.failed(status=422, code="invalid_id", message="The item's id holds characters XML cannot carry.")
            elif not isinstance(item, dict) or not isinstance(name, str) or not name.strip():
                handle.failed(status=422, code="invalid", message="Each item needs a non-empty string 'name'.")
            elif item.get("protected"):
                handle.failed(status=403, code="forbidden", message="This item is protected.")
            elif item.get("explode"):
                raise RuntimeError("the demo storage exploded")
            elif saved >= QUOTA:
                handle.failed(status=429, code="rate_limited", message="Too many items in one request.", retry_after=30)
            else:
                saved += 1
                handle.succeeded(status=201, location=href, body={"id": item_id, "name": name})


def _usable(text: str) -> bool:
    try:
        check_text(text)
    except ValueError:
        return False
    return True


def _read_items(request: Request) -> list[object]:
    request.max_content_length = MAX_BODY
    try:
        data = request.get_data(cache=False)
    except RequestEntityTooLarge as exc:
        raise LimitExceeded(f"the request body is larger than {MAX_BODY} bytes") from exc
    try:
        items = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"the request body is not JSON: {exc}") from exc
    if not isinstance(items, list):
        raise ParseError(f"the request body must be a JSON array of items, not {type(items).__name__}")
    if len(items) > MAX_ITEMS:
        raise LimitExceeded(f"{len(items)} items in one request; the limit is {MAX_ITEMS}")
    return items


def _batch(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    request = Request(environ)
    if request.method == "GET":
        items: list[object] = list(SAMPLE_ITEMS)  # a dry run for people with a browser
    elif request.method == "POST":
        items = _read_items(request)
    else:
        return respond_problem(environ, start_response, 405, headers=[("Allow", "GET, POST")])
    process_items(get_results(environ), items)
    return respond(environ, start_response)


def batch_app(policy: str = "always-207") -> WSGIApplication:
    """The batch endpoint: a JSON array of items in, a negotiated multistatus out (JSON by default).

    Args:
        policy: the status policy.

    Returns:
        A WSGI application.

    Example:
        >>> import multistatus as ms
        >>> from werkzeug.test import Client
        >>> from multistatus.demo import batch_app
        >>> r = Client(batch_app("collapse-uniform")).post("/batch", json=[{"name": "a"}])
        >>> r.status_code, ms.from_json(r.data).responses[0].href
        (201, '/items/1')
    """
    return MultiStatusMiddleware(_batch, policy=policy, default=JSON)


# -- the PROPFIND responder -----------------------------------------------------------
def _propfind_request(body: bytes) -> tuple[str, tuple[str, ...]]:
    """``("allprop" | "prop" | "propname", names)`` from a PROPFIND body (RFC 4918 §9.1, §14.20)."""
    if not body.strip():
        return "allprop", ()
    root = parse_tree(body)
    if root.tag != f"{_D}propfind":
        raise ParseError(f"a PROPFIND body must be a DAV:propfind element, not {root.tag!s}", line=root.sourceline)
    mode = ""
    names: list[str] = []
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if child.tag == f"{_D}prop":
            mode = "prop"
            names.extend(c.tag for c in child if isinstance(c.tag, str))
        elif child.tag in (f"{_D}allprop", f"{_D}propname"):
            mode = child.tag[len(_D) :]
        elif child.tag == f"{_D}include":
            names.extend(c.tag for c in child if isinstance(c.tag, str))
    if not mode:
        raise ParseError("DAV:propfind needs DAV:prop, DAV:allprop or DAV:propname", line=root.sourceline)
    return mode, tuple(names)


def _properties(path: Path) -> dict[str, object]:
    st = path.stat()
    props: dict[str, object] = {
        f"{_D}displayname": path.name,
        f"{_D}resourcetype": [Element(f"{_D}collection")] if path.is_dir() else "",
        f"{_D}getlastmodified": email.utils.formatdate(st.st_mtime, usegmt=True),
        f"{_D}getetag": f'"{st.st_mtime_ns:x}-{st.st_size:x}"',
    }
    if not path.is_dir():
        props[f"{_D}getcontentlength"] = str(st.st_size)
        props[f"{_D}getcontenttype"] = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return props


def _record(results: Results, path: Path, href: str, mode: str, names: tuple[str, ...]) -> None:
    props = _properties(path)
    if mode == "propname":
        results.propfind(href, dict.fromkeys(props, ""))
        return
    wanted = [n for n in ALLPROP if n in props] if mode == "allprop" else []
    wanted += [n for n in names if n not in wanted]
    found = {n: props[n] for n in wanted if n in props}
    missing = [n for n in wanted if n not in props] if mode == "prop" else []
    results.propfind(href, found, missing=missing)


def propfind_app(root: str | Path = FILES, *, prefix: str = "/files/") -> WSGIApplication:
    """A read-only WebDAV responder over the folder *root*, mounted at *prefix*.

    ``PROPFIND`` with ``Depth: 0`` or ``1`` (``infinity`` is refused with 403
    ``DAV:propfind-finite-depth``, RFC 4918 §9.1), named properties, ``allprop``
    (with ``include``) and ``propname``; unknown properties come back in a 404
    propstat.  ``GET`` returns a file, or a collection's Depth 1 listing (HTML in
    a browser); ``OPTIONS`` says ``DAV: 1``.  Paths leaving *root* are 404.

    Args:
        root: the folder to serve.
        prefix: the URL path it is mounted at (with a trailing slash).

    Returns:
        A WSGI application (already wrapped in :class:`~multistatus.wsgi.MultiStatusMiddleware`).

    Example:
        >>> import multistatus as ms
        >>> from werkzeug.test import Client
        >>> from multistatus.demo import propfind_app
        >>> r = Client(propfind_app()).open("/files/", method="PROPFIND", headers={"Depth": "1"})
        >>> doc = ms.from_xml(r.data)
        >>> r.status_code, doc.responses[0].href, "/files/photos/" in [x.href for x in doc]
        (207, '/files/', True)
    """
    base = Path(root).resolve()
    if not prefix.endswith("/"):
        prefix += "/"

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        path = request.path
        if path + "/" == prefix:
            path = prefix
        joined = safe_join(str(base), path[len(prefix) :]) if path.startswith(prefix) else None
        target = Path(joined) if joined is not None else None
        if target is None or not target.exists():
            return respond_problem(environ, start_response, 404, detail=f"{quote(path)} does not exist")
        method = request.method
        if method == "OPTIONS":
            start_response("200 OK", [("DAV", "1"), ("Allow", "OPTIONS, GET, PROPFIND"), ("Content-Length", "0")])
            return []
        if method == "GET" and target.is_file():
            data = target.read_bytes()
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if ctype.startswith("text/"):
                ctype += "; charset=utf-8"
            start_response("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(data)))])
            return [data]
        if method == "GET":
            mode, depth = "allprop", "1"
            names: tuple[str, ...] = ()
        elif method == "PROPFIND":
            depth = request.headers.get("Depth", "infinity").strip().lower()
            if depth not in ("0", "1"):
                return respond_problem(
                    environ,
                    start_response,
                    403 if depth == "infinity" else 400,
                    detail="Use Depth: 0 or Depth: 1.",
                    conditions=[f"{_D}propfind-finite-depth"] if depth == "infinity" else [],
                )
            mode, names = _propfind_request(request.get_data(cache=False))
        else:
            return respond_problem(environ, start_response, 405, headers=[("Allow", "OPTIONS, GET, PROPFIND")])
        results = get_results(environ)
        rel = target.relative_to(base)
        href = prefix + (quote(rel.as_posix()) if rel.parts else "")
        if target.is_dir() and not href.endswith("/"):
            href += "/"
        _record(results, target, href, mode, names)
        if depth == "1" and target.is_dir():
            for child in sorted(target.iterdir(), key=lambda p: p.name):
                child_href = href + quote(child.name) + ("/" if child.is_dir() else "")
                _record(results, child, child_href, mode, names)
        return respond(environ, start_response)

    return MultiStatusMiddleware(app, default=XML)


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
        "# HTML (or open the URL in a browser)",
        f"curl -i {base}/batch -H 'Accept: text/html'",
        "# PROPFIND, Depth 1, with an unknown property (404 propstat)",
        f"curl -i -X PROPFIND {base}/files/ -H 'Depth: 1' -d '{_PROPFIND_BODY}'",
        "# The same with Prefer: return=minimal (404 propstats dropped)",
        f"curl -i -X PROPFIND {base}/files/ -H 'Depth: 1' -H 'Prefer: return=minimal' -d '{_PROPFIND_BODY}'",
    ]


def make_app(root: str | Path = FILES) -> WSGIApplication:
    """The demo: ``/batch`` (``?policy=`` to choose one), ``/files/`` over *root*, and ``/`` with instructions.

    Args:
        root: the folder served at ``/files/``.

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
    batches = {policy: batch_app(policy) for policy in POLICIES}

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/files" or path.startswith("/files/"):
            return files(environ, start_response)
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
            return [data]
        return respond_problem(environ, start_response, 404, detail="try / for instructions")

    return app


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


def run(host: str = "127.0.0.1", port: int = 8000, *, self_test: bool = False) -> int:
    """Serve the demo on *host*:*port* until interrupted, printing curl commands to try it.

    Args:
        host: the address to listen on.
        port: the port.
        self_test: instead, start on a free 127.0.0.1 port, make a few requests
            (JSON, XML, HTML, ``Prefer: return=minimal``), print one line per
            check, and stop.

    Returns:
        The exit code: 0, or 1 when a self-test check failed.
    """
    app = make_app()
    out = sys.stdout
    if self_test:
        return _self_test(app, out)
    server = make_server(host, port, app, threaded=True)
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{server.port}"
    print(f"multistatus demo on {base}/  (Ctrl+C to stop)\n", file=out)
    print("\n".join(curl_commands(base)), file=out, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nstopped", file=out)
    finally:
        server.server_close()
    return 0
