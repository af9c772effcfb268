"""from_response with real clients (requests, httpx, urllib) against real HTTP servers on 127.0.0.1.

A replay server sends every corpus capture back byte for byte: the original status
line, headers and body (chunked framing included), so each client decodes it
exactly as it decoded the real Apache, WsgiDAV or Radicale answer.
"""

from __future__ import annotations

import http.server
import socketserver
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import multistatus as ms
from tests.conftest import SERVERS, Case, all_cases, expected_facts, facts_of

requests = pytest.importorskip("requests")
httpx = pytest.importorskip("httpx")

CASES = {f"{c.server}/{c.name}": c for c in all_cases() if c.server in SERVERS and c.http_path is not None}
TIMEOUT = 10


class ReplayHandler(http.server.BaseHTTPRequestHandler):
    """Answers ``<method> /<server>/<case>`` with the raw bytes of that capture, then closes."""

    protocol_version = "HTTP/1.1"

    def replay(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        case = CASES.get(self.path.lstrip("/"))
        if case is None or case.http_path is None:
            self.send_error(404)
            return
        self.wfile.write(case.http_path.read_bytes())
        self.wfile.flush()
        self.close_connection = True

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):  # any method: PROPFIND, REPORT, LOCK, ...
            return self.replay
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        pass


def _serve(server: http.server.ThreadingHTTPServer) -> Iterator[str]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def replay_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ReplayHandler)
    server.daemon_threads = True
    server.timeout = TIMEOUT
    yield from _serve(server)


def with_requests(url: str, method: str) -> Any:
    return requests.request(method, url, timeout=TIMEOUT)


def with_httpx(url: str, method: str) -> Any:
    return httpx.request(method, url, timeout=TIMEOUT)


def with_urllib(url: str, method: str) -> Any:
    request = urllib.request.Request(url, method=method)
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as error:  # 4xx/5xx: the error is the response
        return error


CLIENTS = [
    pytest.param(with_requests, id="requests"),
    pytest.param(with_httpx, id="httpx"),
    pytest.param(with_urllib, id="urllib"),
]


def _params() -> list[Any]:
    return [c.param() for c in CASES.values()]


@pytest.mark.parametrize("fetch", CLIENTS)
@pytest.mark.parametrize("case", _params())
def test_every_capture_through_a_real_client(replay_url: str, fetch: Callable[[str, str], Any], case: Case) -> None:
    entry = case.entry
    response = fetch(f"{replay_url}/{case.server}/{case.name}", entry["request"]["method"])
    try:
        if case.is_multistatus:
            doc = ms.from_response(response)
            assert facts_of(doc) == expected_facts(case.facts)  # type: ignore[arg-type]
            return
        with pytest.raises(ms.NotMultiStatus) as info:
            ms.from_response(response)
    finally:
        close = getattr(response, "close", None)
        if close is not None:
            close()
    exc = info.value
    assert exc.status == entry["status"]
    assert exc.content_type == entry["content_type"]
    if case.facts is None:
        assert "HTML page" in str(exc)
    elif case.facts["root"] == "{DAV:}error":
        assert exc.error is not None
        assert exc.error.condition_names
    else:
        assert "{DAV:}prop document" in str(exc)


def test_the_non_multistatus_captures_are_the_expected_ones() -> None:
    others = sorted(k for k, c in CASES.items() if not c.is_multistatus)
    assert others == [
        "apache2/05-propfind-dinf-allprop",
        "apache2/20-lock-member",
        "apache2/25-copy-collection-unreadable-member",
        "radicale/c17-report-sync-collection-invalid-token",
        "wsgidav/20-lock-member",
        "wsgidav/23-move-collection-locked-member",
        "wsgidav/24-copy-onto-locked-destination",
        "wsgidav/26-delete-collection-readonly-member",
    ]


# -- a REST batch endpoint that answers JSON, gzip for urllib, with a lying Content-Type ----
class BatchHandler(http.server.BaseHTTPRequestHandler):
    """The seeds' batch: 10 items, 7 created, one invalid, one forbidden, one rate-limited."""

    protocol_version = "HTTP/1.1"
    attempts: dict[str, int]

    def do_POST(self) -> None:
        import gzip
        import json

        items = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        responses = []
        for item in items:
            ident = item["id"]
            self.attempts[ident] = self.attempts.get(ident, 0) + 1
            if not item["name"]:
                responses.append(ms.Response(f"/items/{ident}", status=422, id=ident, error=ms.Error(code="invalid")))
            elif item["name"] == "secret":
                responses.append(ms.Response(f"/items/{ident}", status=403, id=ident))
            elif item["name"] == "busy" and self.attempts[ident] == 1:
                responses.append(ms.Response(f"/items/{ident}", status=429, id=ident, headers={"retry-after": "0"}))
            else:
                responses.append(ms.Response(f"/items/{ident}", status=201, id=ident))
        body = ms.to_json(ms.MultiStatus(responses))
        self.send_response(207)
        self.send_header("Content-Type", "text/plain")  # lies: the body is JSON
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def batch_url() -> Iterator[str]:
    handler = type("Handler", (BatchHandler,), {"attempts": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    yield from _serve(server)


BATCH = [{"id": str(i), "name": f"item {i}"} for i in range(1, 11)]
BATCH[7]["name"] = ""
BATCH[8]["name"] = "secret"
BATCH[9]["name"] = "busy"


def _post(url: str, items: list[dict[str, str]], client: str) -> Any:
    import json

    data = json.dumps(items).encode()
    if client == "requests":
        return requests.post(url, data=data, timeout=TIMEOUT)
    if client == "httpx":
        return httpx.post(url, content=data, timeout=TIMEOUT)
    request = urllib.request.Request(url, data=data, headers={"Accept-Encoding": "gzip"}, method="POST")
    return urllib.request.urlopen(request, timeout=TIMEOUT)


@pytest.mark.parametrize("client", ["requests", "httpx", "urllib"])
def test_retry_only_the_failed_items_of_the_seeds_batch(batch_url: str, client: str) -> None:
    doc = ms.from_response(_post(batch_url + "/batch", BATCH, client))
    assert doc.summary.succeeded == 7
    assert {k: [r.id for r in v] for k, v in doc.group_by_status().items() if k >= 400} == {
        403: ["9"],
        422: ["8"],
        429: ["10"],
    }
    plan = ms.retry_plan(doc, BATCH)
    assert plan.items == (BATCH[9],)
    assert plan.delay == 0.0
    again = ms.from_response(_post(batch_url + "/batch", list(plan.items), client))
    assert again.summary.all_succeeded
    assert not ms.retry_plan(again, plan.items)


def test_against_the_demo_app() -> None:
    """The serving side's demo, on a free port, read back with requests and httpx."""
    demo = pytest.importorskip("multistatus.demo")
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    class Threaded(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True

    server = make_server("127.0.0.1", 0, demo.make_app(), server_class=Threaded, handler_class=Quiet)
    for url in _serve(server):  # type: ignore[arg-type]
        listing = requests.request("PROPFIND", url + "/files/", headers={"Depth": "1"}, timeout=TIMEOUT)
        doc = ms.from_response(listing)
        own, members = ms.split_self(doc, url + "/files/")
        assert own is not None
        assert members
        as_json = httpx.request("PROPFIND", url + "/files/", headers={"Depth": "1", "Accept": "application/json"})
        assert ms.from_response(as_json) == doc
