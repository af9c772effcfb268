"""The middleware's remembered decisions answer every request as if made afresh.

Negotiation results and the options of WebDAV requests are remembered between
requests (bounded); these tests send mixed sequences of requests through the
public API and check each answer on its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pytest
from werkzeug.test import Client

import multistatus as ms
from multistatus.wsgi import MultiStatusMiddleware, get_results, respond

DOC = ms.MultiStatus([ms.Response("/a", status=201, body={"id": 1}), ms.Response("/b", status=201)])


def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    return respond(environ, start_response, DOC)


def collected(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    results = get_results(environ)
    results.succeeded("/items/1", status=201, body={"n": 1})
    results.failed("/items/2", status=422, code="invalid")
    return respond(environ, start_response)


class Uniform:
    """A status policy object that cannot be hashed (it defines == only)."""

    def __init__(self, status: int) -> None:
        self.status = status

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Uniform) and other.status == self.status

    __hash__ = None  # type: ignore[assignment]

    def __call__(self, doc: ms.MultiStatus) -> int:
        return self.status


def test_mixed_requests_each_get_their_own_answer() -> None:
    c = Client(MultiStatusMiddleware(collected))
    for _ in range(3):
        r = c.post("/items", json=[], headers={"Accept": "application/json"})
        assert r.headers["Content-Type"] == "application/json"
        assert "Preference-Applied" not in r.headers
        assert json.loads(r.data)["responses"][0]["body"] == {"n": 1}
        r = c.post("/items", json=[], headers={"Accept": "application/json", "Prefer": "return=minimal"})
        assert r.headers["Preference-Applied"] == "return=minimal"
        assert "body" not in json.loads(r.data)["responses"][0]
        r = c.post("/items", json=[], headers={"Accept": "application/json", "Brief": "t"})
        assert "Preference-Applied" not in r.headers
        assert "body" not in json.loads(r.data)["responses"][0]
        r = c.post("/items", json=[], headers={"Accept": "application/xml"})
        assert r.headers["Content-Type"] == "application/xml; charset=utf-8"
        r = c.post("/items", json=[])  # no Accept: the JSON body decides
        assert r.headers["Content-Type"] == "application/json"
        r = c.post("/items", data=b"<x/>", content_type="application/xml")
        assert r.headers["Content-Type"] == "application/xml; charset=utf-8"
        r = c.open("/items", method="PROPFIND")
        assert r.headers["Content-Type"] == "text/xml; charset=utf-8"


def test_the_same_accept_under_different_settings() -> None:
    strict = Client(MultiStatusMiddleware(app, strict=True, offers=["application/json"]))
    lenient = Client(MultiStatusMiddleware(app, offers=["application/json", "application/xml"]))
    xml_first = Client(MultiStatusMiddleware(app, default="application/xml"))
    for _ in range(3):
        r = strict.get("/", headers={"Accept": "text/html"})
        assert r.status_code == 406
        assert b"application/json" in r.data  # what is available
        assert (
            lenient.get("/", headers={"Accept": "text/html"}).headers["Content-Type"]
            == "application/xml; charset=utf-8"
        )
        assert xml_first.get("/", headers={"Accept": "*/*"}).headers["Content-Type"] == "application/xml; charset=utf-8"
        assert strict.get("/", headers={"Accept": "*/*"}).headers["Content-Type"] == "application/json"


def test_many_distinct_accept_headers() -> None:
    c = Client(MultiStatusMiddleware(app))
    for i in range(600):
        accept = f"text/x-{i};q=0.9, application/json;q=0.{1 + i % 8}"
        assert c.get("/", headers={"Accept": accept}).headers["Content-Type"] == "application/json"
    assert c.get("/", headers={"Accept": "text/html"}).headers["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize("method", ["COPY", "MOVE"])
def test_webdav_requests_under_many_settings(method: str) -> None:
    # More distinct settings than are remembered, each asked twice: every answer follows its own.
    for status in [200, 207] * 2 + list(range(400, 480)):
        c = Client(MultiStatusMiddleware(app, policy=ms.Policy(f"always-{status}", lambda doc, s=status: s)))
        for _ in range(2):
            r = c.open("/", method=method)
            assert r.status_code == status
            assert r.headers["Content-Type"] == "text/xml; charset=utf-8"


def test_webdav_request_with_a_policy_that_cannot_be_hashed() -> None:
    for status in (200, 422, 200):
        c = Client(MultiStatusMiddleware(app, policy=Uniform(status), webdav_default="application/xml"))
        r = c.open("/", method="COPY")
        assert r.status_code == status
        assert r.headers["Content-Type"] == "application/xml; charset=utf-8"
        r = c.open("/", method="COPY", headers={"Accept": "application/json"})
        assert r.headers["Content-Type"] == "application/json"
