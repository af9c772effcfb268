"""multistatus.asgi: the pure-ASGI middleware, Starlette/FastAPI helpers, and the ASGI demo under uvicorn."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import pytest

import multistatus as ms
from multistatus.asgi import (
    MultiStatusMiddleware,
    get_results,
    read_body,
    respond,
    respond_problem,
    respond_stream,
)
from multistatus.demo import SAMPLE_ITEMS, make_app, make_asgi_app
from tests.test_integrations import free_port, start, stop

Message = dict[str, Any]


def call(
    app: Any, method: str = "POST", body: bytes = b"", path: str = "/", **headers: str
) -> tuple[int, dict[str, str], bytes, list[Message]]:
    """Run one request through *app*; the status, headers, body and the messages sent."""
    raw = [(k.replace("_", "-").lower().encode(), v.encode()) for k, v in headers.items()]
    path, _, query = path.partition("?")
    scope = {"type": "http", "method": method, "path": path, "query_string": query.encode(), "headers": raw}
    incoming = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    head = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], head, b"".join(m.get("body", b"") for m in sent[1:]), sent


async def collected(scope: Any, receive: Any, send: Any) -> None:
    results = get_results(scope)
    for item in ms.read_batch(await read_body(scope, receive, max_bytes=1000)):
        if item.get("boom"):
            raise RuntimeError("storage failed")
        if item.get("ok"):
            results.succeeded(f"/items/{item['id']}", status=201, body=item)
        else:
            results.failed(f"/items/{item['id']}", status=422, code="invalid")
    await respond(scope, send)


APP = MultiStatusMiddleware(collected, policy="200-if-all-succeeded", default="application/json")


def test_collected_results_negotiated() -> None:
    body = b'[{"id": 1, "ok": true}, {"id": 2}]'
    status, head, data, _ = call(APP, body=body)
    assert (status, head["content-type"]) == (207, "application/json")
    assert ms.from_json(data).summary.failed == 1
    status, head, data, _ = call(APP, body=body, accept="application/xml")
    assert (status, head["content-type"]) == (207, "application/xml; charset=utf-8")
    status, _, data, _ = call(APP, body=b'[{"id": 1, "ok": true}]', accept="application/json")
    assert status == 200
    status, head, data, _ = call(APP, body=body, accept="application/json", prefer="return=minimal")
    assert head["preference-applied"] == "return=minimal"
    assert all(r.body is None for r in ms.from_json(data))


def test_head_has_the_headers_and_no_body() -> None:
    status, head, data, _ = call(APP, method="HEAD", accept="application/json")
    assert status == 400
    assert data == b""
    assert int(head["content-length"]) > 0


@pytest.mark.parametrize(
    ("body", "status", "accept", "ctype"),
    [
        (b"[oops", 400, "application/json", "application/problem+json"),
        (b"[oops", 400, "application/xml", "application/xml; charset=utf-8"),
        (b"[" + b" " * 2000 + b"]", 413, "application/problem+xml", "application/problem+xml; charset=utf-8"),
    ],
)
def test_request_level_failures_are_problems(body: bytes, status: int, accept: str, ctype: str) -> None:
    got, head, data, _ = call(APP, body=body, accept=accept)
    assert (got, head["content-type"]) == (status, ctype)
    assert b"Traceback" not in data


def test_a_failure_after_some_items_lists_them(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, "multistatus.asgi"):
        status, _, data, _ = call(
            APP, body=b'[{"id": 1, "ok": true}, {"id": 2, "boom": true}]', accept="application/json"
        )
    doc = ms.from_json(data)
    assert status == 207
    assert len(doc.responses) == 1
    assert doc.description == "The request failed after 1 items; the other items were not processed."
    status, _head, data, _ = call(APP, body=b'[{"id": 1, "boom": true}]', accept="application/json")
    assert (status, json.loads(data)["code"]) == (500, "internal_error")
    assert "unhandled exception in POST /" in caplog.text


def test_framework_errors() -> None:
    class HTTPException(Exception):
        status_code = 401
        detail = "Sign in."
        headers: ClassVar = {"WWW-Authenticate": "Bearer", "Content-Type": "text/plain"}

    HTTPException.__module__ = "starlette.exceptions"

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["path"] == "/json":
            json.loads("[oops")
        raise HTTPException

    wrapped = MultiStatusMiddleware(app)
    status, head, data, _ = call(wrapped, path="/auth", accept="application/json")
    assert (status, head["www-authenticate"], json.loads(data)["detail"]) == (401, "Bearer", "Sign in.")
    status, head, data, _ = call(wrapped, path="/json", accept="application/json")
    assert status == 400
    assert json.loads(data)["detail"].startswith("the request body is not JSON")

    from werkzeug.exceptions import MethodNotAllowed

    async def werkzeug_app(scope: Any, receive: Any, send: Any) -> None:
        raise MethodNotAllowed(["GET"])

    status, head, _, _ = call(MultiStatusMiddleware(werkzeug_app), accept="application/json")
    assert (status, head["allow"]) == (405, "GET")


def test_own_responses_and_other_scopes_pass_through() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            scope["seen"] = True
            return
        if scope["path"] == "/problem":
            await respond_problem(scope, send, 409, detail="no")
            return
        if scope["path"] == "/late":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            raise RuntimeError("after the start")
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    wrapped = MultiStatusMiddleware(app)
    assert call(wrapped)[0] == 204
    assert call(wrapped, path="/problem", accept="application/json")[0] == 409
    with pytest.raises(RuntimeError, match="after the start"):
        call(wrapped, path="/late")
    scope: dict[str, Any] = {"type": "lifespan"}
    asyncio.run(wrapped(scope, None, None))  # type: ignore[arg-type]
    assert scope["seen"]


def test_send_after_respond_is_refused() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await respond(scope, send, ms.MultiStatus())
        await send({"type": "http.response.start", "status": 200, "headers": []})

    status, _, data, _ = call(MultiStatusMiddleware(app), accept="application/json")
    assert (status, json.loads(data)["code"]) == (500, "internal_error")


def test_without_the_middleware() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        get_results(scope).succeeded("/a", status=201)
        await respond(scope, send)

    status, head, _data, _ = call(app, accept="application/json")
    assert (status, head["content-type"]) == (207, "application/json")
    with pytest.raises(TypeError, match="ASGI scope"):
        get_results(42)


def test_strict_negotiation_is_a_406_problem() -> None:
    status, head, _data, _ = call(
        MultiStatusMiddleware(collected, strict=True), body=b'[{"id": 1, "ok": true}]', accept="image/png"
    )
    assert (status, head["content-type"]) == (406, "application/xml; charset=utf-8")  # as WSGI: POST, no type


def test_read_body_limits() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await read_body(scope, receive, max_bytes=10)

    assert call(MultiStatusMiddleware(app), body=b"x" * 11, accept="application/json")[0] == 413
    assert call(MultiStatusMiddleware(app), content_length="99", accept="application/json")[0] == 413


# -- streaming ---------------------------------------------------------------------------
async def agen(count: int, fail_at: int | None = None) -> AsyncIterator[ms.Response]:
    for i in range(count):
        if i == fail_at:
            raise RuntimeError("cursor lost")
        yield ms.Response(f"/items/{i}", status=200, body={"i": i})


def streaming(source: Any, **settings: Any) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await respond_stream(scope, send, source() if callable(source) else source, description="all", sync_token="t1")

    return MultiStatusMiddleware(app, **settings) if settings else app


@pytest.mark.parametrize("accept", ["application/json", "application/xml"])
def test_streaming_sends_as_the_items_come(accept: str) -> None:
    status, head, data, sent = call(streaming(lambda: agen(3), stream=True), accept=accept)
    doc = ms.from_body(data, head["content-type"])
    assert status == 207
    assert "content-length" not in head
    assert len(sent) == 5  # start, head, 3 responses... the last one with the tail
    assert (len(doc.responses), doc.description, doc.sync_token) == (3, "all", "t1")


@pytest.mark.parametrize("accept", ["application/json", "application/xml"])
def test_a_stream_failing_half_way_is_closed_well_formed(accept: str) -> None:
    status, head, data, _ = call(streaming(lambda: agen(5, fail_at=2), stream=True), accept=accept)
    doc = ms.from_body(data, head["content-type"])
    assert status == 207
    assert len(doc.responses) == 2
    assert (doc.description, doc.sync_token) == ("The listing failed after 2 items; the rest were not sent.", None)


def test_streaming_without_the_middleware_minimal_and_sync_sources() -> None:
    items = [ms.Response(f"/items/{i}", status=201, body={"i": i}) for i in range(2)]
    status, _head, data, _ = call(streaming(items), accept="application/json", prefer="return=minimal")
    assert [r.body for r in ms.from_json(data)] == [None, None]

    def gen() -> Iterator[Any]:
        yield ms.Response("/a", status=200)
        yield "not a response"

    status, _, data, _ = call(streaming(gen), accept="application/json")
    assert len(ms.from_json(data).responses) == 1
    status, _, data, _ = call(streaming(["nope"]), accept="application/json")
    assert ms.from_json(data).responses == ()
    status, _, data, _ = call(streaming([], stream=True), accept="application/json")
    assert (status, ms.from_json(data).responses) == (207, ())


def test_streaming_collected_html_head_and_406() -> None:
    status, head, data, _ = call(streaming(lambda: agen(3, fail_at=1), stream=True), accept="text/html")
    assert (status, head["content-type"]) == (207, "text/html; charset=utf-8")
    assert b"failed after 1" in data
    status, head, data, _ = call(streaming(lambda: agen(2), stream=True), method="HEAD", accept="application/json")
    assert (status, data) == (207, b"")
    status, head, _, _ = call(streaming(lambda: agen(2), stream=True, strict=True), accept="image/png")
    assert status == 406


def test_a_stream_failing_before_the_first_item_is_a_problem() -> None:
    async def first_fails() -> AsyncIterator[ms.Response]:
        raise ms.ParseError("bad query")
        yield  # pragma: no cover

    status, _head, data, _ = call(streaming(first_fails, stream=True), accept="application/json")
    assert (status, json.loads(data)["detail"]) == (400, "bad query")


def test_the_client_going_away_mid_stream() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await respond_stream(scope, send, agen(3))

    async def send(message: Message) -> None:
        if message.get("more_body"):
            raise OSError("gone")

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [(b"accept", b"application/json")]}
    with pytest.raises(OSError, match="gone"):
        asyncio.run(MultiStatusMiddleware(app, stream=True)(scope, None, send))  # type: ignore[arg-type]


# -- the demo: WSGI and ASGI answer alike -------------------------------------------------
DEMO_REQUESTS = [
    ("POST", "/batch", json.dumps(list(SAMPLE_ITEMS)).encode(), {"Accept": "application/json"}),
    ("POST", "/batch", json.dumps(list(SAMPLE_ITEMS)).encode(), {"Accept": "application/xml"}),
    ("GET", "/batch", b"", {"Accept": "text/html"}),
    ("GET", "/batch?policy=200-if-all-succeeded", b"", {"Prefer": "return=minimal"}),
    ("POST", "/batch?policy=collapse-uniform", b'[{"name": "a"}]', {}),
    ("POST", "/batch", b'[{"name": "a"}, {"name": "b", "explode": true}]', {"Accept": "application/json"}),
    ("POST", "/batch", b"[oops", {"Accept": "application/json"}),
    ("POST", "/batch", b"[oops", {"Accept": "application/xml"}),
    ("POST", "/batch", b"[" + b" " * 70000 + b"]", {"Accept": "application/json"}),
    ("DELETE", "/batch", b"", {}),
    ("GET", "/batch?policy=nope", b"", {}),
    ("GET", "/nowhere", b"", {}),
]


def test_the_asgi_demo_under_uvicorn_answers_like_the_wsgi_demo(caplog: pytest.LogCaptureFixture) -> None:
    pytest.importorskip("uvicorn")
    httpx = pytest.importorskip("httpx")
    from werkzeug.test import Client

    wsgi = Client(make_app())
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "multistatus.demo:make_asgi_app",
        "--port",
        str(port),
        "--log-level",
        "critical",
    ]
    process = start(["timeout", "120", *command], port)
    try:
        for method, path, body, headers in DEMO_REQUESTS:
            a = httpx.request(method, f"http://127.0.0.1:{port}{path}", content=body, headers=headers, timeout=10)
            with caplog.at_level(logging.CRITICAL):
                w = wsgi.open(path, method=method, data=body, headers=headers)
            where = f"{method} {path} {headers}"
            assert a.status_code == w.status_code, where
            assert a.headers["content-type"] == w.headers["Content-Type"], where
            if a.status_code < 400 or path == "/nowhere" or "policy=nope" in path:
                assert a.content == w.data, where
            else:
                assert a.headers["content-type"].startswith(("application/problem+json", "application/xml")), where
        index = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert index.text.startswith("multistatus demo")
        assert f"127.0.0.1:{port}/batch" in index.text
    finally:
        stop(process)


def test_the_asgi_demo_lifespan() -> None:
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[Message] = []

    async def receive() -> Message:
        return next(messages)

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(make_asgi_app()({"type": "lifespan"}, receive, send))
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_the_asgi_demo_in_process_answers_like_the_wsgi_demo(caplog: pytest.LogCaptureFixture) -> None:
    from werkzeug.test import Client

    wsgi, asgi = Client(make_app()), make_asgi_app()
    for method, path, body, headers in DEMO_REQUESTS:
        with caplog.at_level(logging.CRITICAL):
            status, head, data, _ = call(
                asgi, method, body, path, **{k.replace("-", "_"): v for k, v in headers.items()}
            )
            w = wsgi.open(path, method=method, data=body, headers=headers)
        assert (status, head["content-type"]) == (w.status_code, w.headers["Content-Type"]), (method, path, headers)
    status, _, data, _ = call(asgi, "GET", path="/", host="example.org")
    assert status == 200
    assert b"http://example.org/batch" in data


def test_read_body_stops_at_a_disconnect() -> None:
    async def receive() -> Message:
        return {"type": "http.disconnect"}

    assert asyncio.run(read_body({"headers": []}, receive)) == b""
