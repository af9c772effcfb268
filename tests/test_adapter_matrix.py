"""The same request gets the same answer from every adapter.

The batch example of each framework (plain WSGI under werkzeug's server,
Flask, Django under werkzeug's server, Starlette and FastAPI under uvicorn; the files of
examples/ the docs include) is started on 127.0.0.1 and sent the same
requests: a valid batch, the same body as ``text/plain`` and with no
``Content-Type``, malformed JSON, an empty list, too many items, too many
bytes, and one item a pydantic model refuses, each with ``Accept`` JSON, XML,
``*/*`` and a browser's.  Every adapter answers with the same status, the
same problem members and the Content-Type the client asked for (the table in
docs/http.rst).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

import multistatus as ms

httpx = pytest.importorskip("httpx")
pytest.importorskip("pydantic")

ADAPTERS = {
    "wsgi": ("werkzeug", "examples/wsgi_batch.py"),
    "flask": ("flask", "examples/flask_batch.py"),
    "django": ("django", "examples/django_batch.py"),
    "starlette": ("uvicorn", "examples/starlette_batch.py"),
    "fastapi": ("fastapi", "examples/fastapi_batch.py"),
}
JSON = "application/json"
VALID = json.dumps([{"id": "1", "name": "apple"}, {"id": "2", "name": "banana"}]).encode()
ONE_INVALID = json.dumps([{"id": "1", "name": "apple"}, {"id": "2", "name": 5}]).encode()
TOO_MANY = ("[" + "0," * 10_000 + "0]").encode()  # 10,001 items: over the default 10,000
TOO_BIG = json.dumps([{"id": "1", "name": "x" * 70_000}]).encode()  # over the examples' 64 KiB

#: name -> (body, Content-Type or None, status, problem detail or None for a multistatus)
REQUESTS: dict[str, tuple[bytes, str | None, int, str | None]] = {
    "valid": (VALID, JSON, 200, None),
    "no-content-type": (VALID, None, 200, None),
    "text-plain": (VALID, "text/plain", 415, "the request body must be JSON (application/json), not text/plain"),
    "malformed": (b"[oops", JSON, 400, "the request body is not JSON: Expecting value (line 1, column 2)"),
    "empty-list": (b"[]", JSON, 400, "the request holds 0 items; send at least 1"),
    "too-many-items": (TOO_MANY, JSON, 413, "10001 items in one request; the limit is 10000"),
    "too-many-bytes": (TOO_BIG, JSON, 413, "the request body is larger than 65536 bytes"),
    "one-invalid": (ONE_INVALID, JSON, 207, None),
}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
#: Accept -> (Content-Type of a multistatus, Content-Type of a problem)
ACCEPTS = {
    "json": (JSON, (JSON, "application/problem+json")),
    "xml": ("application/xml", ("application/xml; charset=utf-8", "application/xml; charset=utf-8")),
    "any": ("*/*", (JSON, "application/problem+json")),
    "html": (BROWSER, ("text/html; charset=utf-8", "text/html; charset=utf-8")),
}


@pytest.fixture(scope="module")
def servers(example_servers: Callable[[list[str]], str]) -> dict[str, str]:
    urls = {}
    for name, (needs, path) in ADAPTERS.items():
        pytest.importorskip(needs)
        urls[name] = example_servers([path, "--port", "{port}"]) + "/items"
    return urls


def problem_of(r: Any) -> dict[str, Any]:
    """The problem members of a JSON or XML problem answer."""
    if r.headers["content-type"].startswith("application/problem+json"):
        members: dict[str, Any] = r.json()
        return members
    with pytest.raises(ms.NotMultiStatus) as info:
        ms.from_response(r)
    assert info.value.error is not None
    return dict(info.value.error.problem)


def answer(url: str, request: str, accept: str) -> Any:
    body, content_type, _, _ = REQUESTS[request]
    headers = {"Accept": ACCEPTS[accept][0]}
    if content_type is not None:
        headers["Content-Type"] = content_type
    return httpx.post(url, content=body, headers=headers, timeout=30)


@pytest.mark.parametrize("accept", list(ACCEPTS))
@pytest.mark.parametrize("request_name", list(REQUESTS))
def test_every_adapter_gives_the_same_answer(servers: dict[str, str], request_name: str, accept: str) -> None:
    _, _, status, detail = REQUESTS[request_name]
    multistatus_type, problem_type = ACCEPTS[accept][1]
    seen = {}
    for adapter, url in servers.items():
        r = answer(url, request_name, accept)
        where = f"{adapter} {request_name} Accept {accept}"
        assert r.status_code == status, f"{where}: {r.status_code} {r.text[:300]}"
        expected_type = multistatus_type if detail is None else problem_type
        assert r.headers["content-type"] == expected_type, where
        if accept == "html":
            if detail is not None:  # a page for people, every value escaped
                assert f"<h1>{status} ".encode() in r.content, where
                assert detail.replace("'", "&#x27;").encode() in r.content, where
            continue
        if detail is not None:
            members = problem_of(r)
            assert members.get("detail") == detail, where
            seen[adapter] = members
        else:
            doc = ms.from_response(r)
            seen[adapter] = {x.id: (x.status.code if x.status else None, x.error) for x in doc}
    assert all(value == next(iter(seen.values())) for value in seen.values()), seen


def test_one_invalid_item_is_its_own_422_with_the_error_location(servers: dict[str, str]) -> None:
    for adapter, url in servers.items():
        doc = ms.from_response(answer(url, "one-invalid", "json"))
        codes = {x.id: x.status.code for x in doc if x.status}
        assert codes == {"1": 201, "2": 422}, adapter
        refused = next(x for x in doc if x.id == "2")
        assert refused.href == "/items/2", adapter
        assert refused.error is not None
        assert [e["pointer"] for e in refused.error.problem["errors"]] == ["/name"], adapter
