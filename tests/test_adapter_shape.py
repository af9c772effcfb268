"""The one shape of the adapters, in process: respond, problem, read_batch, get_results, and the earlier forms.

tests/test_adapter_matrix.py sends the same requests to the example servers;
this file checks what it cannot see from outside: the return types, the
headers argument, the earlier spellings kept one release, a route returning a
document, a bare ASGI scope, and the arguments refused.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from werkzeug.test import Client, EnvironBuilder

import multistatus as ms
from multistatus import wsgi
from tests.test_examples import load

# Starlette 1.x prefers the httpx2 package for its TestClient; httpx still works.
pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient` is deprecated")
DOC = ms.MultiStatus([ms.Response("/items/1", status=201, id="1"), ms.Response("/items/2", status=409, id="2")])


def test_problem_page_for_browsers_escapes_every_value() -> None:
    r = ms.problem_reply(409, detail="<b>7</b> & 'x'", accept="text/html", code="conflict", errors=[{"a": 1}])
    assert (r.header("content-type"), r.header("content-security-policy")) == (
        "text/html; charset=utf-8",
        "default-src 'none'; style-src 'unsafe-inline'",
    )
    assert b"<h1>409 Conflict</h1>" in r.body
    assert b"&lt;b&gt;7&lt;/b&gt; &amp; &#x27;x&#x27;" in r.body
    assert b"<b>" not in r.body
    assert b"[{&quot;a&quot;: 1}]" in r.body
    locked = ms.problem_reply(423, accept="text/html", conditions=["{DAV:}lock-token-submitted"])
    assert b"<td>{DAV:}lock-token-submitted</td>" in locked.body
    assert ms.problem_reply(400, accept="*/*", content_type="application/json").header("content-type") == (
        "application/problem+json"
    )


# -- WSGI --------------------------------------------------------------------------------
def test_wsgi_respond_is_a_wsgi_app_with_headers_as_a_mapping_or_pairs() -> None:
    def app(environ: Any, start_response: Any) -> Any:
        get_pairs = environ.get("QUERY_STRING") == "pairs"
        headers: Any = [("ETag", '"7"'), ("Vary", "Cookie")] if get_pairs else {"ETag": '"7"'}
        return wsgi.respond(environ, DOC, headers=headers)(environ, start_response)

    client = Client(wsgi.MultiStatusMiddleware(app, ms.ServeOptions(policy="always-200")))
    r = client.post("/", headers={"Accept": "application/xml"})
    assert (r.status_code, r.headers["ETag"], r.mimetype) == (200, '"7"', "application/xml")
    head = client.head("/", headers={"Accept": "application/json"})
    assert (head.status_code, head.data, int(head.headers["Content-Length"]) > 0) == (200, b"", True)
    r = client.post("/?pairs", headers={"Accept": "application/json"})
    assert (r.headers["Vary"], ms.from_json(r.data) == DOC) == ("Accept, Prefer, Brief, Cookie", True)
    # the options of the call win over the middleware's
    answer = wsgi.respond(EnvironBuilder().get_environ(), DOC, options=ms.ServeOptions(policy="always-207"))
    assert (answer.status_code, answer.multistatus) == (207, DOC)


def test_wsgi_respond_merges_the_application_headers_and_answers_204() -> None:
    minimal = EnvironBuilder(method="PROPPATCH", headers={"Prefer": "return=minimal"}).get_environ()
    ok = ms.MultiStatus([ms.Response("/a", propstats=[ms.PropStat({"{DAV:}displayname": None})])])
    answer = wsgi.respond(minimal, ok, headers={"X-Content-Type-Options": "sniff-not", "Vary": "Cookie"})
    assert (answer.status_code, "Content-Type" in answer.headers) == (204, False)
    assert answer.headers["X-Content-Type-Options"] == "sniff-not"  # the application's field replaces the library's
    assert answer.headers.getlist("Vary") == ["Accept, Prefer, Brief, Cookie"]
    bare = ms.Reply(200, (("Content-Type", "application/json"),), b"{}")
    assert wsgi.merge_headers(bare, [("Vary", "Cookie")]).headers[-1] == ("Vary", "Cookie")


def test_wsgi_refusals() -> None:
    environ = EnvironBuilder().get_environ()
    with pytest.raises(TypeError, match="WSGI environ or a werkzeug Request"):
        wsgi.respond("not a request", DOC)
    with pytest.raises(TypeError, match="keywords"):
        wsgi.respond(environ, DOC, ms.ServeOptions())  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="headers are name/value pairs"):
        wsgi.respond(environ, DOC, headers="ETag: 7")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="options must be a ServeOptions"):
        wsgi.respond(environ, DOC, options={"policy": "always-200"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="max_items must be an int"):
        wsgi.read_batch(environ, max_items=-1)


def test_wsgi_read_batch_from_the_environ_and_from_a_request() -> None:
    from werkzeug.wrappers import Request

    body = json.dumps([{"id": "1"}, {"id": "2"}]).encode()
    environ = EnvironBuilder(method="POST", data=body).get_environ()  # no Content-Type: read as JSON
    assert wsgi.read_batch(environ) == [{"id": "1"}, {"id": "2"}]
    request = Request(EnvironBuilder(method="POST", data=body, content_type="application/json").get_environ())
    assert request.get_data() == body  # read once already: read_batch takes the cached body
    assert wsgi.read_batch(request, max_items=2) == [{"id": "1"}, {"id": "2"}]
    big = EnvironBuilder(method="POST", data=body, content_type="application/json").get_environ()
    with pytest.raises(ms.LimitExceeded, match="larger than 10 bytes"):
        wsgi.read_batch(big, max_bytes=10)  # by its Content-Length, nothing read
    assert big["wsgi.input"].read() == body


def test_wsgi_problem_under_the_middleware_defaults_to_json_for_a_batch() -> None:
    def app(environ: Any, start_response: Any) -> Any:
        if environ["PATH_INFO"] == "/batch":
            wsgi.read_batch(environ)
        return wsgi.problem(environ, 409, title="Busy", headers={"Retry-After": "3"}, code="busy")(
            environ, start_response
        )

    client = Client(wsgi.MultiStatusMiddleware(app))
    r = client.post("/batch", data=b"[1]", headers={"Accept": "*/*", "Content-Type": "text/json"})
    assert (r.status_code, r.mimetype, r.json["title"], r.headers["Retry-After"]) == (
        409,
        "application/problem+json",
        "Busy",
        "3",
    )
    r = client.open("/x", method="PROPFIND", headers={"Accept": "*/*"})
    assert (r.status_code, r.mimetype) == (409, "text/xml")  # a WebDAV client: DAV:error


def test_wsgi_earlier_respond_form_still_answers() -> None:
    def app(environ: Any, start_response: Any) -> Any:
        return wsgi.respond(environ, start_response, DOC, headers={"ETag": '"1"'})

    r = Client(app).get("/", headers={"Accept": "application/json"})
    assert (r.status_code, r.headers["ETag"], ms.from_json(r.data) == DOC) == (207, '"1"', True)


# -- Flask -------------------------------------------------------------------------------
def test_flask_shape_and_earlier_forms() -> None:
    pytest.importorskip("flask")
    from flask import Flask, request

    from multistatus import flask as msflask

    app = Flask("shape")
    msflask.init_app(app, ms.ServeOptions(default="application/json"))

    @app.post("/new")
    def new() -> Any:
        msflask.get_results(request).succeeded("/items/1", status=201)
        return msflask.respond(request, headers=[("ETag", '"2"')])

    @app.post("/old")
    def old() -> Any:
        msflask.get_results().succeeded("/items/1", status=201)
        return msflask.respond(None, ms.ServeOptions(policy="collapse-uniform"))  # respond(doc, options)

    @app.post("/older")
    def older() -> Any:
        return msflask.respond(DOC, policy="always-200")

    @app.post("/json")
    def get_json() -> Any:
        return msflask.respond(request, ms.MultiStatus([ms.Response("/x", status=200)] * len(request.get_json())))

    @app.post("/plain")
    def plain() -> Any:
        from werkzeug.exceptions import BadRequest

        raise BadRequest("Say please.")

    @app.post("/refuse")
    def refuse() -> Any:
        return msflask.problem_response(ms.ParseError("bad"), code="bad")

    client = app.test_client()
    r = client.post("/new")
    assert (r.status_code, r.mimetype, r.headers["ETag"]) == (207, "application/json", '"2"')
    assert client.post("/old").status_code == 201
    assert client.post("/older").status_code == 200
    r = client.post("/json", data=b"[1,", headers={"Content-Type": "application/json", "Accept": "*/*"})
    assert (r.status_code, r.mimetype) == (400, "application/problem+json")
    assert (
        r.json["detail"] == "the request body is not JSON: Expecting value (line 1, column 4)"
    )  # the position, not werkzeug's generic page
    assert client.post("/plain").json["detail"] == "Say please."
    r = client.post("/refuse")
    assert (r.status_code, r.json["detail"], r.json["code"]) == (400, "bad", "bad")


# -- Django ------------------------------------------------------------------------------
def _django() -> Any:
    pytest.importorskip("django")
    from django.conf import settings

    if not settings.configured:
        load("django_view")  # configures the settings the way tests/test_examples.py needs them
    from django.test import RequestFactory

    return RequestFactory()


def test_django_shape() -> None:
    factory = _django()
    from multistatus import django as msdjango

    class Served(msdjango.ProblemMiddleware):
        options = ms.ServeOptions(policy="200-if-all-succeeded")

    def view(request: Any) -> Any:
        for item in msdjango.read_batch(request, min_items=0):
            msdjango.get_results(request).succeeded(f"/items/{item}", status=201)
        return msdjango.respond(request, headers={"ETag": '"3"'})

    request = factory.post("/items", b"[1, 2]", content_type="application/json", HTTP_ACCEPT="application/xml")
    r = Served(view)(request)
    assert (r.status_code, r["Content-Type"], r["ETag"]) == (200, "application/xml; charset=utf-8", '"3"')
    request = factory.post("/items", b"[1]", content_type="application/json")
    assert request.body == b"[1]"  # read already: read_batch takes it
    assert msdjango.read_batch(request) == [1]
    with pytest.raises(TypeError, match="keywords"):
        msdjango.respond(request, DOC, None, None)
    r = msdjango.respond(request, DOC, ms.ServeOptions(policy="always-200"))  # the earlier form
    assert r.status_code == 200
    r = msdjango.problem(factory.get("/", HTTP_ACCEPT="text/html"), 404, detail="No such item.")
    assert (r.status_code, r["Content-Type"]) == (404, "text/html; charset=utf-8")
    middleware = msdjango.ProblemMiddleware(view)
    text = factory.post("/items", b"[1]", content_type="text/plain", HTTP_ACCEPT="*/*")
    with pytest.raises(ms.UnsupportedMediaType) as info:
        view(text)
    r = middleware.process_exception(text, info.value)
    assert (r.status_code, r["Content-Type"]) == (415, "application/problem+json")  # JSON for a batch, not XML
    assert middleware.process_exception(text, ValueError("a bug")) is None
    assert msdjango.respond_problem(text, ms.ParseError("not a batch")).status_code == 400  # the earlier spelling


# -- Starlette, FastAPI, bare ASGI ---------------------------------------------------------
def test_asgi_bare_scope_answers_and_reads() -> None:
    pytest.importorskip("starlette")
    from multistatus import asgi

    scope: dict[str, Any] = {"type": "http", "method": "HEAD", "headers": [(b"accept", b"application/json")]}
    answer = asgi.respond(scope, DOC, headers={"ETag": '"4"'})
    assert isinstance(answer, asgi.ASGIResponse)
    assert (repr(answer), dict(answer.headers)["ETag"]) == ("<ASGIResponse 207>", '"4"')
    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    asyncio.run(answer(scope, None, send))  # type: ignore[arg-type]
    assert (sent[0]["status"], sent[1]["body"]) == (207, b"")  # HEAD: no body
    assert asgi.problem(scope, 409).status_code == 409
    with pytest.raises(TypeError, match="keywords"):
        asgi.respond(scope, DOC, ms.ServeOptions())  # type: ignore[call-overload]

    async def receive() -> Any:
        return {"type": "http.request", "body": b"[1, 2]"}

    post: dict[str, Any] = {"type": "http", "method": "POST", "headers": []}
    assert asyncio.run(asgi.read_batch(post, receive=receive)) == [1, 2]
    with pytest.raises(TypeError, match="needs receive="):
        asyncio.run(asgi.read_batch(post))
    from starlette.requests import Request

    request = Request(post, receive)
    assert asyncio.run(request.body()) == b"[1, 2]"
    assert asyncio.run(asgi.read_batch(request)) == [1, 2]  # the body read already


def test_starlette_and_fastapi_routes_may_return_a_document() -> None:
    pytest.importorskip("fastapi")
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from starlette.applications import Starlette
    from starlette.background import BackgroundTask
    from starlette.requests import Request
    from starlette.routing import Route

    from multistatus import asgi

    done: list[str] = []

    async def starlette_view(request: Request) -> Any:
        return DOC

    from starlette.endpoints import HTTPEndpoint

    class Endpoint(HTTPEndpoint):
        async def post(self, request: Request) -> Any:
            return asgi.respond(request, DOC)

    routes = [Route("/items", starlette_view, methods=["POST"]), Route("/class", Endpoint)]
    starlette_app = asgi.install(Starlette(routes=routes))
    assert TestClient(starlette_app).post("/class").status_code == 207  # a class endpoint: left as it is
    r = TestClient(starlette_app).post("/items", headers={"Accept": "application/json"})
    assert (r.status_code, r.headers["content-type"], ms.from_json(r.content) == DOC) == (207, "application/json", True)

    app = asgi.install(FastAPI(), ms.ServeOptions(policy="always-200"))

    @app.post("/sync", response_model=None)
    def sync_view() -> Any:
        results = ms.Results()
        results.succeeded("/items/1", status=201)
        return results

    @app.post("/async", response_model=None)
    async def async_view() -> Any:
        answer = asgi.respond.__name__  # any value that is not a document passes through
        return {"not": answer}

    @app.post("/background", response_model=None)
    async def with_task() -> Any:
        out = asgi._routes.Answer(DOC)  # type: ignore[attr-defined]
        out.background = BackgroundTask(done.append, "ran")
        return out

    client = TestClient(app)
    r = client.post("/sync", headers={"Accept": "application/xml"})
    assert (r.status_code, r.headers["content-type"]) == (200, "application/xml; charset=utf-8")
    assert client.post("/async").json() == {"not": "respond"}
    assert client.post("/background").status_code == 200
    assert done == ["ran"]
    from multistatus.asgi import _routes

    _routes.adopt(app)  # a second time wraps nothing twice
    wrapped = app.router.routes[-1].endpoint  # type: ignore[attr-defined]
    assert _routes.answering(wrapped) is wrapped
    assert _routes.answering(len) is len  # not a function: left as it is


def test_an_answer_made_by_respond_is_kept_for_idempotency_replays_in_any_representation() -> None:
    pytest.importorskip("starlette")
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from multistatus import asgi
    from multistatus.idempotency import Idempotency, MemoryStore

    runs: list[int] = []

    def wsgi_app(environ: Any, start_response: Any) -> Any:
        runs.append(1)
        wsgi.get_results(environ).record_success("/items/1", status=201, id="1")
        return wsgi.respond(environ)(environ, start_response)

    async def asgi_view(request: Request) -> Any:
        runs.append(1)
        asgi.get_results(request).record_success("/items/1", status=201, id="1")
        return asgi.respond(request)

    async def returned(request: Request) -> Any:
        runs.append(1)
        return ms.MultiStatus([ms.Response("/items/1", status=201, id="1")])

    idempotency = Idempotency(MemoryStore())
    client = Client(wsgi.MultiStatusMiddleware(wsgi_app, idempotency=idempotency))
    routes = [Route("/view", asgi_view, methods=["POST"]), Route("/returned", returned, methods=["POST"])]
    starlette = TestClient(asgi.install(Starlette(routes=routes), idempotency=Idempotency(MemoryStore())))

    def wsgi_post(path: str, key: str, accept: str) -> tuple[int, str, bytes, str | None]:
        r = client.post(path, data=b"[1]", headers={"Idempotency-Key": key, "Accept": accept})
        return r.status_code, r.headers["Content-Type"], r.data, r.headers.get("Idempotent-Replayed")

    def asgi_post(path: str, key: str, accept: str) -> tuple[int, str, bytes, str | None]:
        r = starlette.post(path, content=b"[1]", headers={"Idempotency-Key": key, "Accept": accept})
        return r.status_code, r.headers["content-type"], r.content, r.headers.get("idempotent-replayed")

    for post, path, key in ((wsgi_post, "/", '"w"'), (asgi_post, "/view", '"a"'), (asgi_post, "/returned", '"r"')):
        runs.clear()
        first = post(path, key, "text/html")  # an HTML page cannot be read back: the document is kept
        again = post(path, key, "application/json")
        assert (first[0], first[1], first[3]) == (207, "text/html; charset=utf-8", None), path
        assert (again[0], again[1], again[3]) == (207, "application/json", "true"), path
        assert [r.id for r in ms.from_json(again[2])] == ["1"], path
        assert runs == [1], path  # the view ran once


def test_item_errors_of_a_callable_whose_exception_has_its_own_errors() -> None:
    class Broken(ValueError):
        def errors(self) -> list[Any]:
            raise RuntimeError("not pydantic's")

    class Odd(ValueError):
        def errors(self) -> list[Any]:
            return ["not a dict"]

    def check(raw: Any) -> Any:
        raise (Broken("broken item") if raw == 1 else Odd("odd item"))

    results = ms.Results()
    assert ms.read_batch(b"[1, 2]", item=check, results=results) == []
    details = [list(r.error.problem["errors"]) for r in results.build() if r.error is not None]
    assert details == [[{"pointer": "", "detail": "broken item"}], [{"pointer": "", "detail": "odd item"}]]


def test_vary_of_the_application_merged_without_empty_tokens() -> None:
    answer = ms.reply(DOC)
    assert wsgi.merge_headers(answer, [("Vary", "Cookie, , Accept")]).header("vary") == "Accept, Prefer, Brief, Cookie"
