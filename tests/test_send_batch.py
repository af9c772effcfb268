"""send_batch and send_batch_async against real servers on 127.0.0.1, with every client they drive.

The demo's batch endpoint (werkzeug) answers per item; a scripted server
(http.server) answers whole requests badly on purpose: it drops the connection,
refuses with 429 and ``Retry-After``, or answers 200 with no multistatus.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

import multistatus as ms
from multistatus import demo
from tests.conftest import QuietHandler

requests = pytest.importorskip("requests")
httpx = pytest.importorskip("httpx")
aiohttp = pytest.importorskip("aiohttp")


@pytest.fixture(scope="module")
def batch_url() -> Iterator[str]:
    srv = make_server("127.0.0.1", 0, demo.make_app(), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.port}/batch"
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


ITEMS = [{"id": str(n), "name": f"item {n}"} for n in range(20)] + [
    {"id": "bad", "name": ""},
    {"id": "locked", "name": "x", "protected": True},
]
SMALL = ms.BatchPolicy(chunk_size=7)  # the demo saves at most 7 items per request


class FakeTime:
    """A clock that moves only when slept on: waits are recorded, never spent."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def check(outcome: ms.BatchOutcome[Any]) -> None:
    assert outcome.summary.succeeded == 20
    assert [(d.item, d.response.code) for d in outcome.dead_letters] == [(ITEMS[20], 422), (ITEMS[21], 403)]
    assert [r.id for r in outcome.document.responses] == [item["id"] for item in ITEMS]
    assert outcome.requests == 4
    assert not outcome.ok


def test_with_urllib(batch_url: str) -> None:
    seen: list[ms.Progress] = []
    outcome = ms.send_batch(iter(ITEMS), batch_url, policy=SMALL, progress=seen.append)
    check(outcome)
    assert [p.in_flight for p in seen] == [7, 0, 7, 0, 7, 0, 1, 0]
    assert [p.done for p in seen[1::2]] == [7, 14, 21, 22]
    assert seen[-1].failed == 2
    with pytest.raises(ms.FailedItems, match="2 of 22 items did not succeed"):
        ms.send_batch(ITEMS, batch_url, policy=SMALL, raise_on_error=True)


def test_with_requests_and_httpx(batch_url: str) -> None:
    with requests.Session() as session:
        check(ms.send_batch(ITEMS, batch_url, session, policy=SMALL, headers={"X-Trace": "1"}))
    with httpx.Client() as client:
        check(ms.send_batch(ITEMS, batch_url, client, policy=SMALL))


def test_with_requests_the_next_chunk_goes_while_an_answer_is_parsed(batch_url: str) -> None:
    """A 2xx answer is parsed on a worker thread while the next chunk is on the wire; the
    bookkeeping, the callbacks and every call of the session stay on the caller's thread."""
    seen: list[ms.Progress] = []
    threads: set[threading.Thread] = set()

    def progress(p: ms.Progress) -> None:
        seen.append(p)
        threads.add(threading.current_thread())

    with requests.Session() as session:
        check(ms.send_batch(ITEMS, batch_url, session, policy=SMALL, progress=progress))
    # (each chunk leaves before the answer to the one before is counted: two are in flight)
    assert [p.in_flight for p in seen] == [7, 14, 7, 14, 7, 8, 1, 0]
    assert [p.done for p in seen] == [0, 0, 7, 7, 14, 14, 21, 22]
    assert threads == {threading.current_thread()}
    assert not [t for t in threading.enumerate() if t.name.startswith("multistatus-send")]


def test_a_chunk_sent_ahead_says_its_length() -> None:
    """The body that tells when it is sent is a file to requests: its length goes in Content-Length, never chunked."""
    framing: list[tuple[str | None, str | None]] = []
    app = demo.make_app()

    def recording(environ: dict[str, Any], start_response: Any) -> Any:
        framing.append((environ.get("CONTENT_LENGTH"), environ.get("HTTP_TRANSFER_ENCODING")))
        return app(environ, start_response)

    srv = make_server("127.0.0.1", 0, recording, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        with requests.Session() as session:
            check(ms.send_batch(ITEMS, f"http://127.0.0.1:{srv.port}/batch", session, policy=SMALL))
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)
    assert len(framing) == 4
    assert all(length is not None and int(length) > 2 and coding is None for length, coding in framing)


def test_whatever_reads_the_body_before_it_is_sent_sees_bytes(batch_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """An auth that signs the body, or a mock of requests' adapter, gets bytes: no chunk goes ahead then."""
    import hashlib

    class Signing(requests.auth.AuthBase):  # (as AWS SigV4 and HMAC auths do)
        def __call__(self, r: Any) -> Any:
            r.headers["X-Body-SHA256"] = hashlib.sha256(r.body).hexdigest()
            return r

    seen: list[ms.Progress] = []
    with requests.Session() as session:
        session.auth = Signing()
        check(ms.send_batch(ITEMS, batch_url, session, policy=SMALL, progress=seen.append))
    assert max(p.in_flight for p in seen) == 7  # (one chunk at a time)

    bodies: list[type] = []
    real_send = requests.adapters.HTTPAdapter.send

    def recorded(self: Any, request: Any, **kwargs: Any) -> Any:  # (what responses patches in)
        bodies.append(type(request.body))
        return real_send(self, request, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", recorded)
    with requests.Session() as session:
        check(ms.send_batch(ITEMS, batch_url, session, policy=SMALL))
    assert bodies == [bytes] * 4
    monkeypatch.undo()
    seen.clear()
    with requests.Session() as session:
        session.auth = ("user", "secret")  # (requests' own auths never read the body)
        check(ms.send_batch(ITEMS, batch_url, session, policy=SMALL, progress=seen.append))
    assert max(p.in_flight for p in seen) == 14


def test_a_hook_or_a_wrapped_method_sees_bytes(batch_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A response hook, requests' adapter wrapped with functools.wraps, or a send set on the session:
    each may read the body, so each gets bytes, one chunk at a time (a file read to its end would
    be an empty body to a hook that sends the request again)."""
    import functools

    bodies: list[type] = []

    def hook(r: Any, **kwargs: Any) -> Any:  # (logs the body, as hooks do)
        bodies.append(type(r.request.body))
        assert r.request.body[:1] == b"["  # (the chunk: a JSON array)
        return r

    seen: list[ms.Progress] = []
    with requests.Session() as session:
        session.hooks["response"].append(hook)
        check(ms.send_batch(ITEMS, batch_url, session, policy=SMALL, progress=seen.append))
    assert bodies == [bytes] * 4
    assert max(p.in_flight for p in seen) == 7

    real_send = requests.adapters.HTTPAdapter.send

    @functools.wraps(real_send)  # (as tracing tools wrap it: same name and module)
    def traced(self: Any, request: Any, **kwargs: Any) -> Any:
        bodies.append(type(request.body))
        return real_send(self, request, **kwargs)

    bodies.clear()
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", traced)
    with requests.Session() as session:
        check(ms.send_batch(ITEMS, batch_url, session, policy=SMALL))
    assert bodies == [bytes] * 4
    monkeypatch.undo()

    bodies.clear()
    with requests.Session() as session:
        session_send = session.send

        def signing_send(request: Any, **kwargs: Any) -> Any:
            bodies.append(type(request.body))
            return session_send(request, **kwargs)

        session.send = signing_send  # type: ignore[method-assign]
        check(ms.send_batch(ITEMS, batch_url, session, policy=SMALL))
    assert bodies == [bytes] * 4


def test_a_recorder_of_urllib3_connections_sees_bytes(batch_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A recorder that swaps urllib3's connections for its own (vcrpy does) keeps each body as it
    gets it, so it gets bytes (a cassette of file objects could not be read back or matched)."""
    import urllib3

    bodies: list[type] = []

    class Recording(urllib3.connection.HTTPConnection):
        def request(self, method: str, url: str, body: Any = None, headers: Any = None, **kwargs: Any) -> None:
            bodies.append(type(body))
            super().request(method, url, body=body, headers=headers, **kwargs)

    monkeypatch.setattr(urllib3.connectionpool.HTTPConnectionPool, "ConnectionCls", Recording)
    seen: list[ms.Progress] = []
    with requests.Session() as session:
        check(ms.send_batch(ITEMS, batch_url, session, policy=SMALL, progress=seen.append))
    assert bodies == [bytes] * 4
    assert max(p.in_flight for p in seen) == 7


def test_an_interrupt_as_the_parse_is_queued_ends_the_call(batch_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C right after the parse is queued on the worker (before the caller notes it): the call
    ends with the interrupt, and the worker's parse does not wait for a chunk that never goes."""
    import concurrent.futures

    real_submit = concurrent.futures.ThreadPoolExecutor.submit

    def interrupted(self: Any, *args: Any, **kwargs: Any) -> Any:
        real_submit(self, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(concurrent.futures.ThreadPoolExecutor, "submit", interrupted)
    errors: list[BaseException] = []

    def run() -> None:
        with requests.Session() as session:
            try:
                ms.send_batch(ITEMS, batch_url, session, policy=SMALL)
            except KeyboardInterrupt as exc:
                errors.append(exc)

    caller = threading.Thread(target=run, daemon=True)
    caller.start()
    caller.join(30)
    assert not caller.is_alive(), "send_batch hung on the parse it queued"
    assert [type(e) for e in errors] == [KeyboardInterrupt]
    assert not [t for t in threading.enumerate() if t.name.startswith("multistatus-send")]


def test_a_callback_that_raises_while_an_answer_is_parsed_ends_the_call(batch_url: str) -> None:
    """The worker's parse waits for the next chunk to be sent; when it never is, the call still ends."""
    calls: list[ms.Progress] = []
    errors: list[BaseException] = []

    def progress(p: ms.Progress) -> None:
        calls.append(p)
        if len(calls) == 2:  # (the second chunk is ahead, not sent yet; the first answer waits to be parsed)
            raise RuntimeError("stop here")

    def run() -> None:
        with requests.Session() as session:
            try:
                ms.send_batch(ITEMS, batch_url, session, policy=SMALL, progress=progress)
            except RuntimeError as exc:
                errors.append(exc)

    caller = threading.Thread(target=run, daemon=True)
    caller.start()
    caller.join(30)
    assert not caller.is_alive(), "send_batch hung on the parse it started"
    assert [str(e) for e in errors] == ["stop here"]
    assert calls[1].in_flight == 14
    assert not [t for t in threading.enumerate() if t.name.startswith("multistatus-send")]


def test_with_httpx_async_and_aiohttp(batch_url: str) -> None:
    async def main() -> tuple[ms.BatchOutcome[Any], ms.BatchOutcome[Any]]:
        async with httpx.AsyncClient() as client:
            first = await ms.send_batch_async(ITEMS, batch_url, client, policy=SMALL)
        async with aiohttp.ClientSession() as session:
            second = await ms.send_batch_async(ITEMS, batch_url, session, policy=SMALL)
        return first, second

    for outcome in asyncio.run(main()):
        check(outcome)


def test_clients_it_does_not_drive_are_refused(batch_url: str) -> None:
    with pytest.raises(TypeError, match="send_batch_async"):
        ms.send_batch(ITEMS, batch_url, object())
    with requests.Session() as session, pytest.raises(TypeError, match="AsyncClient"):
        asyncio.run(ms.send_batch_async(ITEMS, batch_url, session))


def test_a_server_that_is_not_there_ends_in_dead_letters() -> None:
    t = FakeTime()
    outcome = ms.send_batch(
        [{"id": "a"}], "http://127.0.0.1:9/batch", policy=ms.BatchPolicy(max_attempts=2), sleep=t.sleep, clock=t.clock
    )
    assert [(d.attempts, d.response.code, d.response.error.code) for d in outcome.dead_letters] == [  # type: ignore[union-attr]
        (2, 502, "no_answer")
    ]
    assert len(t.waits) == 1


# -- a server that misbehaves on cue ------------------------------------------------------
class Script(http.server.BaseHTTPRequestHandler):
    """Plays the next answer of ``server.script`` to each POST: "drop", "429", "200", or "207" (all 201)."""

    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server: Any = self.server
        server.log.append((self.headers.get("Idempotency-Key"), [item["id"] for item in body]))
        play = server.script.pop(0) if server.script else "207"
        if play == "drop":
            self.close_connection = True
            return
        if play == "207":
            data = {"responses": [{"href": f"/items/{i['id']}", "id": i["id"], "status": 201} for i in body]}
            status, ctype, extra = 207, "application/json", {}
        elif play == "429":
            data = {"title": "Too Many Requests", "status": 429}
            status, ctype, extra = 429, "application/problem+json", {"Retry-After": "3"}
        else:
            data, status, ctype, extra = None, 200, "application/json", {}
        raw = json.dumps(data).encode() if data is not None else b""
        self.send_response(status)
        for name, value in {"Content-Type": ctype, "Content-Length": str(len(raw)), **extra}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def scripted() -> Iterator[Any]:
    server: Any = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Script)
    server.daemon_threads = True
    server.script, server.log = [], []
    server.url = f"http://127.0.0.1:{server.server_address[1]}/batch"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.mark.parametrize("client", ["urllib", "requests", "httpx"])
def test_whole_request_failures_are_retried_with_their_keys(scripted: Any, client: str) -> None:
    scripted.script = ["drop", "429", "207"]
    t = FakeTime()
    session = {"urllib": None, "requests": requests.Session, "httpx": httpx.Client}[client]
    if session is None:
        outcome = ms.send_batch([{"id": "a"}, {"id": "b"}], scripted.url, sleep=t.sleep, clock=t.clock)
    else:
        with session() as opened:
            outcome = ms.send_batch([{"id": "a"}, {"id": "b"}], scripted.url, opened, sleep=t.sleep, clock=t.clock)
    assert outcome.ok
    keys = [key for key, _ in scripted.log]
    assert keys[0] == keys[1] != keys[2]  # the same key after no answer, a new one after an answer
    assert t.waits[1] == 3.0  # the 429's Retry-After
    assert outcome.retries == 4


def test_async_whole_request_failures(scripted: Any) -> None:
    async def main(make: Any) -> ms.BatchOutcome[Any]:
        async with make() as client:
            return await ms.send_batch_async([{"id": "a"}], scripted.url, client, sleep=asyncio.sleep, random=lambda: 0)

    for make in (httpx.AsyncClient, aiohttp.ClientSession):
        scripted.script = ["drop", "207"]
        assert asyncio.run(main(make)).ok


def test_a_2xx_without_a_multistatus_is_taken_for_each_item_and_reported(scripted: Any) -> None:
    scripted.script = ["200"]
    outcome = ms.send_batch([{"id": "a"}], scripted.url)
    assert outcome.ok
    assert [a.kind for a in outcome.anomalies] == ["not-multistatus"]


def test_not_multistatus_carries_the_headers_and_retry_after_reads_them(scripted: Any) -> None:
    for _ in range(3):
        scripted.script.append("429")
    with requests.Session() as session:
        response = session.post(scripted.url, data=b"[]")
    with pytest.raises(ms.NotMultiStatus) as caught:
        ms.from_response(response)
    assert caught.value.status == 429
    assert caught.value.headers["retry-after"] == "3"
    assert ms.retry_after(caught.value) == 3.0
    assert ms.retry_after(response) == 3.0
    with httpx.Client() as client:
        assert ms.retry_after(client.post(scripted.url, content=b"[]")) == 3.0

    async def read() -> ms.NotMultiStatus:
        async with aiohttp.ClientSession() as session, session.post(scripted.url, data=b"[]") as answer:
            try:
                await ms.from_async_response(answer)
            except ms.NotMultiStatus as exc:
                return exc
        raise AssertionError("no NotMultiStatus")

    assert asyncio.run(read()).headers["retry-after"] == "3"


def test_async_progress_and_a_server_that_is_not_there() -> None:
    t = FakeTime()

    async def sleep(seconds: float) -> None:
        t.sleep(seconds)

    async def main(make: Any) -> tuple[ms.BatchOutcome[Any], list[ms.Progress]]:
        seen: list[ms.Progress] = []
        async with make() as client:
            outcome = await ms.send_batch_async(
                [{"id": "a"}], "http://127.0.0.1:9/batch", client, policy=ms.BatchPolicy(max_attempts=2),
                progress=seen.append, sleep=sleep, clock=t.clock,
            )  # fmt: skip
        return outcome, seen

    for make in (httpx.AsyncClient, aiohttp.ClientSession):
        outcome, seen = asyncio.run(main(make))
        assert [(d.attempts, d.response.code) for d in outcome.dead_letters] == [(2, 502)]
        assert [p.in_flight for p in seen] == [1, 0, 1, 0]
        with pytest.raises(ms.FailedItems):
            outcome.raise_for_failures()

    async def failing() -> None:
        async with httpx.AsyncClient() as client:
            policy = ms.BatchPolicy(max_attempts=1)
            await ms.send_batch_async(
                [{"id": "a"}], "http://127.0.0.1:9/batch", client, policy=policy, raise_on_error=True
            )

    with pytest.raises(ms.FailedItems, match="1 of 1 item did not succeed"):
        asyncio.run(failing())
