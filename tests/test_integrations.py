"""The framework examples (WSGI, Flask, Django, Starlette, FastAPI) and the ASGI demo, served on 127.0.0.1.

Each example serves the 10-item batch (7 saved; 422 invalid; 403 forbidden; 429
with Retry-After) and is queried over HTTP: JSON, XML, HTML, ``Prefer:
return=minimal``, the 200-if-all-succeeded policy, a malformed body and an
oversized one (problem documents in the negotiated type).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

import multistatus as ms
from multistatus.demo import SAMPLE_ITEMS
from tests.servers import RUNNER, free_port, start, stop  # noqa: F401 - also used by other test modules

httpx = pytest.importorskip("httpx")

SAMPLE = json.dumps(list(SAMPLE_ITEMS)).encode()
GOOD = json.dumps([{"id": str(i), "name": f"item {i}"} for i in range(1, 4)]).encode()
POST = {"Content-Type": "application/json"}

EXAMPLES = {
    "wsgi": ("werkzeug", ["examples/wsgi_batch.py", "--port", "{port}"], "/items"),
    "flask": ("flask", ["examples/flask_batch.py", "--port", "{port}"], "/items"),
    "django": ("django", ["examples/django_batch.py", "--port", "{port}"], "/items"),
    "starlette": ("uvicorn", ["examples/starlette_batch.py", "--port", "{port}"], "/items"),
    "fastapi": ("fastapi", ["examples/fastapi_batch.py", "--port", "{port}"], "/items"),
}


@pytest.fixture(scope="module", params=list(EXAMPLES))
def served(request: pytest.FixtureRequest, example_servers: Callable[[list[str]], str]) -> str:
    needs, args, path = EXAMPLES[request.param]
    pytest.importorskip(needs)
    return example_servers(args) + path


def post(url: str, body: bytes = SAMPLE, **headers: str) -> httpx.Response:
    return httpx.post(url, content=body, headers={**POST, **headers}, timeout=10)


def test_json(served: str) -> None:
    r = post(served, Accept="application/json")
    doc = ms.from_response(r)
    assert (r.status_code, r.headers["content-type"]) == (207, "application/json")
    assert dict(doc.summary.by_status) == {201: 7, 403: 1, 422: 1, 429: 1}
    failed = {x.href: (x.status.code, x.error.problem["code"]) for x in doc.failed()}  # type: ignore[union-attr]
    assert failed == {"/items/4": (422, "invalid"), "/items/7": (403, "forbidden"), "/items/10": (429, "rate_limited")}
    by_id = {x.id: x for x in doc}
    assert by_id["10"].headers["retry-after"] == "30"
    assert by_id["1"].body == {"id": "1", "name": "apple"}


def test_xml(served: str) -> None:
    r = post(served, Accept="application/xml")
    assert (r.status_code, r.headers["content-type"]) == (207, "application/xml; charset=utf-8")
    assert [x.status.code for x in ms.from_xml(r.content).failed()] == [422, 403, 429]  # type: ignore[union-attr]


def test_html(served: str) -> None:
    r = post(served, Accept="text/html")
    assert (r.status_code, r.headers["content-type"]) == (207, "text/html; charset=utf-8")
    assert b"<table>" in r.content
    assert b"rate_limited" in r.content


def test_prefer_minimal_drops_the_representations(served: str) -> None:
    r = post(served, Accept="application/json", Prefer="return=minimal")
    doc = ms.from_response(r)
    assert r.headers["preference-applied"] == "return=minimal"
    assert len(doc.responses) == 10
    assert all(x.body is None for x in doc)
    by_id = {x.id: x for x in doc}
    assert by_id["1"].location == "/items/1"
    assert by_id["10"].headers["retry-after"] == "30"


def test_200_if_all_succeeded(served: str) -> None:
    r = post(served, GOOD, Accept="application/json")
    assert r.status_code == 200
    assert ms.from_response(r).summary.all_succeeded


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [("application/json", "application/problem+json"), ("application/xml", "application/xml; charset=utf-8")],
)
def test_a_malformed_body_is_a_400_problem(served: str, accept: str, content_type: str) -> None:
    r = post(served, b"[oops", Accept=accept)
    assert (r.status_code, r.headers["content-type"]) == (400, content_type)
    with pytest.raises(ms.NotMultiStatus) as info:
        ms.from_response(r)
    assert info.value.error is not None
    assert info.value.error.problem["status"] == 400


def test_an_oversized_body_is_a_413_problem(served: str) -> None:
    big = json.dumps([{"name": "x" * 100}] * 1000).encode()
    r = post(served, big, Accept="application/json")
    assert (r.status_code, r.headers["content-type"]) == (413, "application/problem+json")
    assert r.json()["status"] == 413
