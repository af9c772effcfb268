"""The Starlette/FastAPI, Flask and Django helpers in-process, with the frameworks' own test clients."""

from __future__ import annotations

import json
from typing import Any

import pytest

import multistatus as ms
from multistatus.demo import SAMPLE_ITEMS
from tests.test_examples import load

# Starlette 1.x prefers the httpx2 package for its TestClient; httpx still works.
pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient` is deprecated")
SAMPLE = list(SAMPLE_ITEMS)
TOO_BIG = json.dumps([{"name": "x" * 100}] * 1000)


# -- Starlette and FastAPI -------------------------------------------------------------
@pytest.fixture(params=["starlette_batch", "fastapi_batch"])
def asgi_client(request: pytest.FixtureRequest) -> Any:
    pytest.importorskip("fastapi" if request.param.startswith("fastapi") else "starlette")
    from starlette.testclient import TestClient

    with TestClient(load(request.param).app) as client:
        yield client


def test_starlette_and_fastapi_examples(asgi_client: Any) -> None:
    r = asgi_client.post("/items", json=SAMPLE, headers={"Accept": "application/xml"})
    assert (r.status_code, r.headers["content-type"]) == (207, "application/xml; charset=utf-8")
    assert ms.from_response(r).summary.failed == 3
    r = asgi_client.post("/items", json=SAMPLE[:3])
    assert (r.status_code, r.headers["content-type"]) == (200, "application/json")
    r = asgi_client.post(
        "/items", content=b"[oops", headers={"Content-Type": "application/json", "Accept": "application/problem+xml"}
    )
    assert (r.status_code, r.headers["content-type"]) == (400, "application/problem+xml; charset=utf-8")
    r = asgi_client.post("/items", content=TOO_BIG, headers={"Content-Type": "application/json"})
    assert (r.status_code, r.headers["content-type"]) == (413, "application/problem+json")
    r = asgi_client.get("/items", headers={"Accept": "application/json"})  # the framework's own 405
    assert (r.status_code, r.headers["content-type"], r.json()["status"]) == (405, "application/problem+json", 405)
    r = asgi_client.get("/nowhere", headers={"Accept": "application/xml"})  # ... and 404
    assert (r.status_code, r.headers["content-type"]) == (404, "application/xml; charset=utf-8")


def test_starlette_json_errors_and_exception_handlers() -> None:
    pytest.importorskip("starlette")
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from multistatus.asgi import exception_handlers, get_results, problem_response, response

    async def items(request: Request) -> Any:
        data = await request.json()  # json.JSONDecodeError on a malformed body
        if data == "teapot":
            return problem_response(request, 418, detail="short and stout")
        get_results(request).succeeded("/items/1", status=201)
        return response(request, policy="collapse-uniform")

    async def doc(request: Request) -> Any:
        return response(request, ms.MultiStatus([ms.Response("/a", status=204)]))

    app = Starlette(
        routes=[Route("/items", items, methods=["POST"]), Route("/doc", doc)], exception_handlers=exception_handlers()
    )
    client = TestClient(app)
    r = client.post("/items", content=b"{oops", headers={"Accept": "application/json"})
    assert (r.status_code, r.headers["content-type"]) == (400, "application/problem+json")
    assert r.json()["detail"].startswith("the request body is not JSON")
    r = client.post("/items", json="teapot", headers={"Accept": "application/json"})
    assert (r.status_code, r.json()["detail"]) == (418, "short and stout")
    r = client.post("/items", json=[], headers={"Accept": "application/json"})
    assert r.status_code == 201  # no middleware: the helper's own settings
    r = client.get("/doc", headers={"Accept": "application/json", "Prefer": "return=minimal"})
    assert (r.status_code, r.headers["preference-applied"]) == (207, "return=minimal")
    with pytest.raises(TypeError, match="takes a MultiStatus"):
        response(Request({"type": "http", "headers": []}), "nope")  # type: ignore[arg-type]


def test_fastapi_validation_errors_are_problems() -> None:
    pytest.importorskip("fastapi")
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from pydantic import BaseModel

    from multistatus.asgi import install

    class Item(BaseModel):
        name: str

    app = install(FastAPI())

    async def one(item: Item) -> dict[str, str]:
        return {"name": item.name}

    one.__annotations__["item"] = Item  # (a local class: the string annotation would not resolve)
    app.post("/one")(one)

    client = TestClient(app)
    r = client.post(
        "/one", content=b"{oops", headers={"Content-Type": "application/json", "Accept": "application/json"}
    )
    assert (r.status_code, r.headers["content-type"]) == (400, "application/problem+json")
    r = client.post("/one", json={"nom": "x"}, headers={"Accept": "application/json"})
    assert (r.status_code, r.headers["content-type"]) == (422, "application/problem+json")
    assert "body.name: Field required" in r.json()["detail"]


# -- Flask ----------------------------------------------------------------------------
def test_flask_helpers() -> None:
    pytest.importorskip("flask")
    example = load("flask_batch")
    client = example.app.test_client()
    r = client.post("/items", json=SAMPLE, headers={"Accept": "application/json", "Prefer": "return=minimal"})
    assert (r.status_code, r.headers["Preference-Applied"]) == (207, "return=minimal")
    assert all(x.body is None for x in ms.from_response(r))
    r = client.post("/items", data=b"[oops", headers={"Content-Type": "application/json", "Accept": "application/xml"})
    assert (r.status_code, r.content_type) == (
        400,
        "application/xml; charset=utf-8",
    )  # the position, not werkzeug's page
    assert b"line 1, column 2" in r.data
    r = client.post("/items", json={"not": "a list"}, headers={"Accept": "application/json"})
    assert (r.status_code, r.json["detail"]) == (  # a MultiStatusError
        400,
        "the request body must be a JSON array of items or an object with an 'items' array, "
        "not an object without an array of items",
    )
    r = client.post("/items", data=TOO_BIG, headers={"Content-Type": "application/json"})
    assert (r.status_code, r.content_type) == (413, "application/problem+json")
    r = client.get("/items", headers={"Accept": "application/json"})
    assert (r.status_code, set(r.headers["Allow"].split(", "))) == (405, {"OPTIONS", "POST"})


def test_flask_redirects_and_failures_after_some_items() -> None:
    pytest.importorskip("flask")
    from flask import Flask

    from multistatus import flask as msflask

    app = Flask("t")
    msflask.init_app(app)

    @app.post("/dir/")
    def folder() -> Any:
        msflask.get_results().succeeded("/items/1", status=201)
        raise RuntimeError("storage failed")

    client = app.test_client()
    assert client.post("/dir").status_code == 308  # werkzeug routing's redirect, sent as it is
    r = client.post("/dir/", headers={"Accept": "application/json"})
    assert r.status_code == 207
    assert "failed after 1 items" in r.json["description"]
    with app.test_request_context("/", headers={"Accept": "application/json"}):
        from werkzeug.routing import RequestRedirect

        assert msflask.problem_response(RequestRedirect("/x")).status_code == 308


# -- Django ---------------------------------------------------------------------------
def test_django_helpers() -> None:
    pytest.importorskip("django")
    from django.conf import settings

    if not settings.configured:
        load("django_view")  # configures the settings the way tests/test_examples.py needs them
    from django.core.exceptions import RequestDataTooBig
    from django.test import RequestFactory

    from multistatus import django as msdjango

    factory = RequestFactory()
    doc = ms.MultiStatus([ms.Response("/items/1", status=201, body={"a": 1})])
    r = msdjango.respond(factory.post("/items", HTTP_ACCEPT="application/xml"), doc, policy="200-if-all-succeeded")
    assert (r.status_code, r["Content-Type"]) == (200, "application/xml; charset=utf-8")
    r = msdjango.respond(factory.post("/", HTTP_ACCEPT="image/png"), doc, strict=True)
    assert r.status_code == 406
    proppatch = ms.MultiStatus([ms.Response("/a", propstats=[ms.PropStat({"{DAV:}x": None})])])
    r = msdjango.respond(factory.generic("PROPPATCH", "/a", HTTP_PREFER="return=minimal"), proppatch)
    assert (r.status_code, r.has_header("Content-Type")) == (204, False)
    middleware = msdjango.ProblemMiddleware(lambda request: "passed")
    request = factory.post("/items", HTTP_ACCEPT="application/json")
    assert middleware(request) == "passed"
    assert middleware.process_exception(request, ms.LimitExceeded("big")).status_code == 413
    assert middleware.process_exception(request, RequestDataTooBig("too big")).status_code == 413
    assert middleware.process_exception(request, RuntimeError()) is None
    assert msdjango.respond_problem(request, 409, code="conflict")["Content-Type"] == "application/problem+json"
