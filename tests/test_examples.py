"""The programs in examples/ run and answer as their docstrings say."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from werkzeug.middleware.lint import LintMiddleware
from werkzeug.test import Client

import multistatus as ms

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_flask_bulk_seed_scenario() -> None:
    pytest.importorskip("flask")
    example = load("flask_bulk")
    example.STORE.clear()
    client = example.app.test_client()
    r = client.post("/items", json=example.SEED_ITEMS)
    doc = ms.from_json(r.data)
    assert (r.status_code, r.content_type) == (207, "application/json")
    assert doc.summary.succeeded == 7
    assert dict(doc.summary.by_status) == {201: 7, 403: 1, 422: 1, 429: 1}
    limited = next(x for x in doc if x.status and x.status.code == 429)
    assert limited.headers["retry-after"] == "30"
    assert len(example.STORE) == 7

    xml = client.post("/items", json=example.SEED_ITEMS, headers={"Accept": "application/xml"})
    assert ms.from_xml(xml.data).summary.by_status == doc.summary.by_status

    bad = client.post("/items", data=b"[", headers={"Content-Type": "application/json"})
    assert (bad.status_code, bad.content_type) == (400, "application/problem+json")


def test_django_view_through_wsgi() -> None:
    pytest.importorskip("django")
    example = load("django_view")
    client = Client(LintMiddleware(example.application))
    r = client.post("/items/delete", json={"ids": ["1", "2", "locked", "nope"]})
    doc = ms.from_json(r.data)
    assert r.status_code == 207
    assert [(x.href, x.status.code if x.status else 0) for x in doc] == [
        ("/items/1", 204),
        ("/items/2", 204),
        ("/items/locked", 423),
        ("/items/nope", 404),
    ]
    assert doc.responses[2].error.condition_names == ("{DAV:}lock-token-submitted",)  # type: ignore[union-attr]
    # collapse-uniform: every item unknown -> a plain 404 that still lists them
    r = client.post("/items/delete", json={"ids": ["x", "y"]}, headers={"Accept": "application/xml"})
    assert r.status_code == 404
    assert len(ms.from_xml(r.data).responses) == 2
    r = client.post(
        "/items/delete", data=b"{}", headers={"Content-Type": "application/json", "Accept": "application/json"}
    )
    assert (r.status_code, r.headers["Content-Type"]) == (400, "application/problem+json")
    assert client.get("/items/delete").status_code == 405


def test_propfind_server_over_a_directory(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("b", encoding="utf-8")
    (tmp_path / "a.txt").write_text("hello", encoding="utf-8")
    example = load("propfind_server")
    client = Client(LintMiddleware(example.make_app(tmp_path)))

    r = client.open("/dav/", method="PROPFIND", headers={"Depth": "1"})
    doc = ms.from_xml(r.data)
    assert r.status_code == 207
    assert [x.href for x in doc] == ["/dav/", "/dav/a.txt", "/dav/sub/"]  # Depth 1 does not descend

    body = b'<propfind xmlns="DAV:"><prop><getcontentlength/><quota-used-bytes/></prop></propfind>'
    r = client.open("/dav/a.txt", method="PROPFIND", headers={"Depth": "0"}, data=body)
    (response,) = ms.from_xml(r.data).responses
    assert response.prop("{DAV:}getcontentlength").value == "5"  # type: ignore[union-attr]
    assert response.find("{DAV:}quota-used-bytes")[1].status.code == 404  # type: ignore[index]


def test_propfind_server_main_parses_arguments(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    example = load("propfind_server")
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(example, "run_simple", lambda host, port, app: calls.append((host, port)))
    monkeypatch.setattr(sys, "argv", ["propfind_server.py", str(tmp_path), "--port", "8123"])
    example.main()
    assert calls == [("127.0.0.1", 8123)]


def test_django_view_served_on_127_0_0_1() -> None:
    """The bulk delete of docs/howto-django.rst, run as its own server and called over HTTP."""
    pytest.importorskip("django")
    httpx = pytest.importorskip("httpx")
    from tests.test_integrations import RUNNER, free_port, start, stop

    port = free_port()
    process = start([sys.executable, str(RUNNER), "60", "examples/django_view.py", "--port", str(port)], port)
    try:
        url = f"http://127.0.0.1:{port}/items/delete"
        r = httpx.post(url, json={"ids": ["1", "locked", "nope"]}, headers={"Accept": "application/xml"}, timeout=10)
        assert (r.status_code, r.headers["content-type"]) == (207, "application/xml; charset=utf-8")
        assert [(x.href, x.code) for x in ms.from_response(r)] == [
            ("/items/1", 204),
            ("/items/locked", 423),
            ("/items/nope", 404),
        ]
        r = httpx.post(url, content=b"{}", headers={"Content-Type": "application/json"}, timeout=10)
        assert (r.status_code, r.headers["content-type"]) == (400, "application/problem+json")
    finally:
        stop(process)
