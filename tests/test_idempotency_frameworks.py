"""The one ``idempotency=`` option over ASGI, Starlette/FastAPI (``install``), Flask (``init_app``) and Django.

Each framework serves the same batch view (per-item keys through ``Results.claimed``);
each test checks the same contract: a keyed request runs once, its retry gets the first
answer rendered for the retry's ``Accept`` (``Idempotent-Replayed: true``,
``Idempotency-Retention``), a reused key with another body is 422, and items with their
own keys run once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Any

import pytest

import multistatus as ms
from multistatus.idempotency import Idempotency, MemoryStore
from tests.test_examples import load

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient` is deprecated")

Post = Callable[[bytes, dict[str, str]], tuple[int, dict[str, str], bytes]]


class Saves:
    """The view's work: one count per item saved."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.requests = 0

    def run(self, results: ms.Results, items: list[Any]) -> None:
        self.requests += 1
        todo = results.claimed(items, href=lambda item, i: f"/items/{item['id']}")
        with contextlib.closing(todo):
            for _, item in todo:
                self.counts[item["id"]] = self.counts.get(item["id"], 0) + 1
                results.record_success(f"/items/{item['id']}", status=201, id=item["id"])


def check_contract(post: Post, saves: Saves) -> None:
    body = json.dumps([{"id": "a"}, {"id": "b", "idempotency_key": "kb"}]).encode()
    key = {"Idempotency-Key": '"req-1"', "Content-Type": "application/json"}
    s1, h1, b1 = post(body, {**key, "Accept": "application/json"})
    s2, h2, b2 = post(body, {**key, "Accept": "application/xml"})
    assert s1 == s2 == 207
    assert "idempotent-replayed" not in h1
    assert h2["idempotent-replayed"] == "true"
    assert h1["idempotency-retention"] == h2["idempotency-retention"] == "86400"
    assert h2["content-type"] == "application/xml; charset=utf-8"
    assert ms.from_xml(b2) == ms.from_json(b1)
    assert saves.requests == 1
    s3, h3, b3 = post(b"[]", key)
    assert s3 == 422
    assert h3["content-type"] == "application/problem+json"
    assert json.loads(b3)["title"] == "Idempotency-Key is already used"
    # Without a request key: the keyed item runs once, the other every time.
    s4, _, b4 = post(body, {"Content-Type": "application/json", "Accept": "application/json"})
    assert s4 == 207
    assert [r.replayed for r in ms.from_json(b4)] == [False, True]
    assert saves.counts == {"a": 2, "b": 1}


def test_asgi_middleware() -> None:
    from multistatus.asgi import MultiStatusMiddleware, read_body, respond

    saves = Saves()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        items = json.loads(await read_body(scope, receive))
        saves.run(ms.asgi.get_results(scope), items)
        await respond(scope, send)

    wrapped = MultiStatusMiddleware(app, idempotency=Idempotency(MemoryStore()))

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        sent: list[Any] = []
        messages = [{"type": "http.request", "body": body[:3], "more_body": True},
                    {"type": "http.request", "body": body[3:], "more_body": False}]  # fmt: skip

        async def receive() -> Any:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: Any) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/batch", "query_string": b"",
                 "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}  # fmt: skip
        asyncio.run(wrapped(scope, receive, send))
        fields = {k.decode(): v.decode() for k, v in sent[0]["headers"]}
        return sent[0]["status"], fields, b"".join(m.get("body", b"") for m in sent[1:])

    check_contract(post, saves)


def test_starlette_install() -> None:
    pytest.importorskip("starlette")
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from multistatus.asgi import get_results, install, respond

    saves = Saves()

    async def batch(request: Request) -> Any:
        saves.run(get_results(request), json.loads(await request.body()))
        return respond(request)

    app = install(Starlette(routes=[Route("/batch", batch, methods=["POST"])]), idempotency=Idempotency(MemoryStore()))
    client = TestClient(app)

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        r = client.post("/batch", content=body, headers=headers)
        return r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.content

    check_contract(post, saves)


def test_flask_init_app() -> None:
    pytest.importorskip("flask")
    from flask import Flask, request

    from multistatus import flask as msflask

    saves = Saves()
    app = Flask("idempotency")

    @app.post("/batch")
    def batch() -> Any:
        saves.run(msflask.get_results(), request.get_json())
        return msflask.respond()

    msflask.init_app(app, idempotency=Idempotency(MemoryStore()))
    client = app.test_client()

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        r = client.post("/batch", data=body, headers=headers, buffered=True)  # (sent whole, then closed)
        return r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.data

    check_contract(post, saves)


def test_django_problem_middleware() -> None:
    pytest.importorskip("django")
    from django.conf import settings

    if not settings.configured:
        load("django_view")  # configures the settings the way tests/test_examples.py needs them
    from django.test import RequestFactory

    from multistatus import django as msdjango

    saves = Saves()

    def view(request: Any) -> Any:
        saves.run(msdjango.get_results(request), json.loads(request.body))
        return msdjango.respond(request)

    class Keys(msdjango.ProblemMiddleware):
        idempotency = Idempotency(MemoryStore(), scope=lambda request: request.headers.get("X-Account", ""))

    middleware = Keys(view)
    factory = RequestFactory()

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        ctype = headers.pop("Content-Type", "application/json")
        r = middleware(factory.post("/batch", data=body, content_type=ctype, headers=headers))
        return r.status_code, {k.lower(): v for k, v in r.items()}, r.content

    check_contract(post, saves)
    other = post(b"[]", {"Idempotency-Key": '"req-1"', "X-Account": "b"})
    assert other[0] == 207  # (another account's key space: not the first account's 422)


# -- the edges of each adapter ---------------------------------------------------------


def _asgi_call(app: Any, messages: list[Any], headers: dict[str, str], **settings: Any) -> tuple[int, bytes]:
    from multistatus.asgi import MultiStatusMiddleware

    wrapped = MultiStatusMiddleware(app, idempotency=Idempotency(settings.pop("store"), **settings))
    sent: list[Any] = []

    async def receive() -> Any:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/b", "query_string": b"x=1",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}  # fmt: skip
    asyncio.run(wrapped(scope, receive, send))
    if not sent:
        return 0, b""  # (nothing was answered)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_asgi_edges() -> None:
    from multistatus.asgi import respond

    store = MemoryStore()
    runs: list[int] = []

    async def own_text(scope: Any, receive: Any, send: Any) -> None:
        runs.append(1)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"hi", "more_body": False})

    async def document(scope: Any, receive: Any, send: Any) -> None:
        runs.append(2)
        assert (await receive())["body"] == b"[1]"  # (the body read to fingerprint, given back)
        assert (await receive())["type"] == "http.disconnect"  # (then what the server says)
        await respond(scope, send, ms.MultiStatus([ms.Response("/a", status=200)]))

    async def interrupted(scope: Any, receive: Any, send: Any) -> None:
        runs.append(3)
        raise KeyboardInterrupt

    key = {"Idempotency-Key": "k"}
    big = [{"type": "http.request", "body": b"[1,2,3,4,5]", "more_body": False}]
    assert _asgi_call(own_text, big, key, store=store, max_body=4)[0] == 413
    for _ in range(2):  # (text cannot be rendered again: not kept, the key released)
        assert _asgi_call(own_text, [{"type": "http.request", "body": b"[]"}], key, store=store)[0] == 200
    gone = [{"type": "http.request", "body": b"[", "more_body": True}]  # (then the client went away)
    assert _asgi_call(document, gone, {"Idempotency-Key": "d"}, store=store) == (0, b"")  # (not run, not claimed)
    whole = [{"type": "http.request", "body": b"[1]", "more_body": False}]
    assert _asgi_call(document, whole, {"Idempotency-Key": "d"}, store=store)[0] == 207  # (the retry runs)
    empty = {"type": "http.request", "body": b"", "more_body": False}
    assert _asgi_call(document, [empty], {"Idempotency-Key": "d"}, store=store)[0] == 422  # (another body)
    for _ in range(2):
        with pytest.raises(KeyboardInterrupt):
            _asgi_call(interrupted, [empty], {"Idempotency-Key": "i"}, store=store)
    assert _asgi_call(own_text, [], {}, store=store, required=True)[0] == 400
    assert runs == [1, 1, 2, 3, 3]


def test_django_edges() -> None:
    pytest.importorskip("django")
    from django.conf import settings

    if not settings.configured:
        load("django_view")
    from django.http import HttpResponse, StreamingHttpResponse
    from django.test import RequestFactory

    from multistatus import django as msdjango

    answers: dict[str, Callable[[], Any]] = {
        "text": lambda: HttpResponse(b"hi", content_type="text/plain"),
        "stream": lambda: StreamingHttpResponse(iter([b"a"])),
        "bad-problem": lambda: HttpResponse(b'["oops"]', status=502, content_type="application/problem+json"),
    }
    runs: list[str] = []

    def view(request: Any) -> Any:
        how = request.headers["X-How"]
        runs.append(how)
        if how == "raise":
            raise KeyboardInterrupt
        if how == "doc":
            msdjango.get_results(request).record_success("/items/1", status=201, body={"n": 1})
            return msdjango.respond(request)
        return answers[how]()

    class Keys(msdjango.ProblemMiddleware):
        idempotency = Idempotency(MemoryStore(), required=True, max_body=4)

    middleware = Keys(view)
    factory = RequestFactory()

    def post(how: str, body: bytes = b"[]", **headers: str) -> Any:
        return middleware(
            factory.post("/b", data=body, content_type="application/json", headers={"X-How": how, **headers})
        )

    assert post("text", b"[1,2,3,4]", **{"Idempotency-Key": "k"}).status_code == 413
    cut = factory.post(
        "/b", data=b"[1", content_type="application/json", headers={"X-How": "text", "Idempotency-Key": "c"}
    )
    cut.META["CONTENT_LENGTH"] = "3"  # (the client went away after 2 of its 3 bytes)
    refused = middleware(cut)
    assert refused.status_code == 400
    assert b"ended after 2 of its 3 bytes" in refused.content
    assert post("text", b"[1]", **{"Idempotency-Key": "c"}).status_code == 200  # (not claimed: the whole one runs)
    for bad_length in ("abc", "-1", "1e3", "9" * 5000):  # (Django's request.body raised ValueError: a 500)
        malformed = factory.post(
            "/b", data=b"[]", content_type="application/json", headers={"X-How": "text", "Idempotency-Key": "b"}
        )
        malformed.META["CONTENT_LENGTH"] = bad_length
        refused = middleware(malformed)
        assert refused.status_code == 400
        assert b"not a number of bytes" in refused.content
    assert post("text").status_code == 400  # (required, and none given)
    for how in ("text", "text", "stream", "stream"):
        assert post(how, **{"Idempotency-Key": how}).status_code == 200
    for _ in range(2):
        with pytest.raises(KeyboardInterrupt):
            post("raise", **{"Idempotency-Key": "r"})
    for _ in range(2):  # (a problem+json body that is no problem document: not kept, run again)
        assert post("bad-problem", **{"Idempotency-Key": "p"}).status_code == 502
    # (the document respond() rendered is kept, not the minimal rendering sent)
    minimal = post("doc", **{"Idempotency-Key": "m", "Prefer": "return=minimal", "Accept": "application/json"})
    assert ms.from_json(minimal.content).responses[0].body is None
    again = post("doc", **{"Idempotency-Key": "m", "Accept": "application/json"})
    assert again["Idempotent-Replayed"] == "true"
    assert ms.from_json(again.content).responses[0].body == {"n": 1}
    assert runs == ["text", "text", "text", "stream", "stream", "raise", "raise", "bad-problem", "bad-problem", "doc"]
