"""The demo: a real server on 127.0.0.1 queried with urllib, the PROPFIND responder, the batch endpoint.

One test reaches inside, to ``multistatus.demo._server._self_test``: ``demo.run(self_test=True)``
always checks the demo's own (working) application, so how a failed check is
reported is checked by handing the self-test a broken one.
"""

from __future__ import annotations

import io
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.middleware.lint import LintMiddleware
from werkzeug.serving import make_server
from werkzeug.test import Client

import multistatus as ms
from multistatus import demo
from multistatus.demo import _server
from tests.conftest import QuietHandler

D = "{DAV:}"
PROPFIND_NAMED = (
    b'<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:" xmlns:x="http://example.com/ns">'
    b"<D:prop><D:getetag/><D:getcontentlength/><x:color/></D:prop></D:propfind>"
)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The demo app on a free port of 127.0.0.1, stopped at the end."""
    srv = make_server("127.0.0.1", 0, demo.make_app(), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.port}"
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def fetch(url: str, *, method: str = "GET", data: bytes | None = None, **headers: str) -> tuple[int, Any, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.headers, err.read()


def test_real_server_batch_json_and_xml(server: str) -> None:
    body = json.dumps(list(demo.SAMPLE_ITEMS)).encode()
    status, headers, data = fetch(f"{server}/batch", method="POST", data=body, **{"Content-Type": "application/json"})
    doc = ms.from_json(data)
    assert (status, headers["Content-Type"]) == (207, "application/json")
    assert doc.summary.succeeded == 7
    failed = {r.href: (r.status.code if r.status else 0, r.error.code if r.error else None) for r in doc.failed()}
    assert failed == {"/items/4": (422, "invalid"), "/items/7": (403, "forbidden"), "/items/10": (429, "rate_limited")}
    assert doc.responses[9].headers["retry-after"] == "30"

    status, headers, data = fetch(
        f"{server}/batch", method="POST", data=body, **{"Content-Type": "application/json", "Accept": "application/xml"}
    )
    assert (status, headers["Content-Type"]) == (207, "application/xml; charset=utf-8")
    assert ms.from_xml(data) == doc


def test_real_server_propfind_with_non_ascii_names(server: str) -> None:
    status, _, data = fetch(f"{server}/files/", method="PROPFIND", data=PROPFIND_NAMED, Depth="1")
    doc = ms.from_xml(data)
    assert status == 207
    hrefs = [r.href for r in doc]
    assert hrefs[0] == "/files/"
    assert "/files/Gr%C3%BC%C3%9Fe.txt" in hrefs
    assert "/files/photos/" in hrefs
    status, _, data = fetch(f"{server}/files/Gr%C3%BC%C3%9Fe.txt")
    assert (status, data.decode("utf-8")) == (200, "Grüße aus dem Demo-Ordner.\n")


def test_self_test_passes_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.run(self_test=True) == 0
    out = capsys.readouterr().out
    assert out.count("ok ") == 5
    assert "FAIL" not in out


def test_self_test_reports_failures() -> None:
    app = demo.make_app()

    def saves_nothing(environ: dict[str, Any], start_response: Any) -> Any:
        if environ["PATH_INFO"] == "/batch":  # (the batch check expects seven saves)
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"broken"]
        return app(environ, start_response)

    out = io.StringIO()
    assert _server._self_test(saves_nothing, out) == 1
    assert "FAIL  POST /batch (JSON)" in out.getvalue()


def test_run_serves_until_interrupted(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupt(self: Any, poll_interval: float = 0.5) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("werkzeug.serving.BaseWSGIServer.serve_forever", interrupt)
    assert demo.run("127.0.0.1", 0) == 0
    out = capsys.readouterr().out
    assert "multistatus demo on http://127.0.0.1:" in out
    assert "curl -i -X PROPFIND" in out
    assert "Prefer: return=minimal" in out
    assert "text/html" in out
    assert "stopped" in out


def test_run_names_the_webdav_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt(self: Any, poll_interval: float = 0.5) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("werkzeug.serving.BaseWSGIServer.serve_forever", interrupt)
    (tmp_path / "dav").mkdir()
    assert demo.run("127.0.0.1", 0, dav=tmp_path / "dav", data=tmp_path / "data") == 0
    out = capsys.readouterr().out
    assert f"WebDAV (class 1, 2) over {(tmp_path / 'dav').resolve()} at http://127.0.0.1:" in out
    assert f"saved items in {(tmp_path / 'data').resolve()}" in out


def test_self_test_reports_a_wrong_answer_with_what_was_wrong() -> None:
    app = demo.make_app()

    def saves_nothing(environ: dict[str, Any], start_response: Any) -> Any:
        if environ["PATH_INFO"] == "/batch" and environ["REQUEST_METHOD"] == "POST":  # 207, but nothing saved
            body = ms.to_json(ms.MultiStatus([ms.Response("/batch/items/1", status=500)]))
            start_response("207 Multi-Status", [("Content-Type", "application/json")])
            return [body]
        return app(environ, start_response)

    out = io.StringIO()
    assert _server._self_test(saves_nothing, out) == 1
    assert "FAIL  POST /batch (JSON): _CheckFailed(" in out.getvalue()
    assert "succeeded=0" in out.getvalue()


# -- the PROPFIND responder --------------------------------------------------------
@pytest.fixture
def files() -> Client:
    return Client(LintMiddleware(demo.make_app()))


def props(doc: ms.MultiStatus, href: str) -> dict[int, tuple[str, ...]]:
    response = next(r for r in doc if r.href == href)
    return {ps.status.code: ps.names for ps in response.propstats}


def test_depth_0_named_props_with_404_for_unknown(files: Client) -> None:
    r = files.open("/files/README.txt", method="PROPFIND", headers={"Depth": "0"}, data=PROPFIND_NAMED)
    doc = ms.from_xml(r.data)
    assert [x.href for x in doc] == ["/files/README.txt"]
    assert props(doc, "/files/README.txt") == {
        200: (f"{D}getetag", f"{D}getcontentlength"),
        404: ("{http://example.com/ns}color",),
    }
    size = (demo.FILES / "README.txt").stat().st_size
    assert doc.responses[0].prop(f"{D}getcontentlength").value == str(size)  # type: ignore[union-attr]


def test_depth_1_allprop_on_a_collection(files: Client) -> None:
    r = files.open("/files/photos", method="PROPFIND", headers={"Depth": "1"})
    doc = ms.from_xml(r.data)
    assert [x.href for x in doc] == ["/files/photos/", "/files/photos/index.txt"]
    folder = doc.responses[0]
    assert folder.prop(f"{D}resourcetype").children[0].tag == f"{D}collection"  # type: ignore[union-attr]
    assert folder.prop(f"{D}getcontentlength") is None
    assert f"{D}getcontentlength" in props(doc, "/files/photos/index.txt")[200]
    assert ms.validate(doc) == []


def test_allprop_include_and_propname(files: Client) -> None:
    body = b'<propfind xmlns="DAV:"><allprop/><include><quota-used-bytes/></include></propfind>'
    doc = ms.from_xml(files.open("/files/notes.md", method="PROPFIND", headers={"Depth": "0"}, data=body).data)
    assert f"{D}quota-used-bytes" not in str(props(doc, "/files/notes.md"))  # unknown includes are left out
    body = b'<propfind xmlns="DAV:"><propname/></propfind>'
    doc = ms.from_xml(files.open("/files/", method="PROPFIND", headers={"Depth": "0"}, data=body).data)
    assert all(p.value == "" for p in doc.responses[0].propstats[0].props)
    assert f"{D}getetag" in props(doc, "/files/")[200]


def test_comments_and_unknown_elements_in_propfind_are_ignored(files: Client) -> None:
    body = b'<propfind xmlns="DAV:"><!-- hi --><x:extra xmlns:x="urn:x"/><prop><getetag/></prop></propfind>'
    doc = ms.from_xml(files.open("/files/notes.md", method="PROPFIND", headers={"Depth": "0"}, data=body).data)
    assert props(doc, "/files/notes.md") == {200: (f"{D}getetag",)}


def test_minimal_drops_404_propstats(files: Client) -> None:
    r = files.open(
        "/files/",
        method="PROPFIND",
        headers={"Depth": "1", "Prefer": "return=minimal"},
        data=b'<propfind xmlns="DAV:"><prop><x xmlns="urn:x"/></prop></propfind>',
    )
    doc = ms.from_xml(r.data)
    assert r.headers["Preference-Applied"] == "return=minimal"
    assert {ps.status.code for x in doc for ps in x.propstats} == {200}


@pytest.mark.parametrize(
    ("path", "method", "headers", "body", "status", "needle"),
    [
        pytest.param("/files/", "PROPFIND", {}, b"", 403, b"propfind-finite-depth", id="depth-infinity"),
        pytest.param("/files/", "PROPFIND", {"Depth": "2"}, b"", 400, b"Depth", id="bad-depth"),
        pytest.param("/files/nope", "PROPFIND", {"Depth": "0"}, b"", 404, b"does not exist", id="missing"),
        pytest.param("/files/../../setup.cfg", "PROPFIND", {"Depth": "0"}, b"", 404, b"", id="traversal"),
        pytest.param("/files/%2e%2e/demo.py", "GET", {}, b"", 404, b"", id="encoded-traversal"),
        pytest.param("/files/", "PROPFIND", {"Depth": "0"}, b"<propfind", 400, b"", id="bad-xml"),
        pytest.param("/files/", "PROPFIND", {"Depth": "0"}, b"<x/>", 400, b"DAV:propfind", id="wrong-root"),
        pytest.param(
            "/files/", "PROPFIND", {"Depth": "0"}, b'<propfind xmlns="DAV:"/>', 400, b"needs", id="empty-propfind"
        ),
        pytest.param(
            "/files/", "PROPFIND", {"Depth": "0"}, b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', 400, b"", id="dtd"
        ),
        pytest.param("/files/", "DELETE", {}, b"", 405, b"", id="read-only"),
        pytest.param("/elsewhere", "GET", {}, b"", 404, b"instructions", id="unknown-path"),
    ],
)
def test_request_level_failures(
    files: Client, path: str, method: str, headers: dict[str, str], body: bytes, status: int, needle: bytes
) -> None:
    r = files.open(path, method=method, headers=headers, data=body)
    assert r.status_code == status
    assert needle in r.data
    assert b"Traceback" not in r.data


def test_options_get_and_index(files: Client) -> None:
    r = files.options("/files/")
    assert (r.status_code, r.headers["DAV"]) == (200, "1")
    r = files.get("/files/", headers={"Accept": "text/html"})
    assert (r.status_code, r.mimetype) == (207, "text/html")
    assert b"index.txt" not in r.data
    assert b"photos" in r.data
    r = files.get("/")
    assert r.status_code == 200
    assert b"curl -i -X POST http://localhost/batch" in r.data


def test_propfind_app_on_another_folder(tmp_path: Path) -> None:
    (tmp_path / "a.bin").write_bytes(b"\0\1")
    c = Client(demo.propfind_app(tmp_path, prefix="/dav"))
    doc = ms.from_xml(c.open("/dav", method="PROPFIND", headers={"Depth": "1"}).data)
    assert [x.href for x in doc] == ["/dav/", "/dav/a.bin"]
    assert doc.responses[1].prop(f"{D}getcontenttype").value == "application/octet-stream"  # type: ignore[union-attr]
    assert c.get("/dav/a.bin").data == b"\0\1"


# -- the batch endpoint ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        pytest.param(b"not json", 400, b"not JSON", id="not-json"),
        pytest.param(b"[" * 5000 + b"]" * 5000, 400, b"not JSON", id="deep-nesting"),
        pytest.param(b'{"a": 1}', 400, b"JSON array", id="not-array"),
        pytest.param(b"[" + b"1," * 10000 + b"1]", 413, b"limit", id="too-many-items"),
        pytest.param(
            b" " * (64 * 1024 + 1), 413, b"larger", id="too-large"
        ),  # (over 64 KiB: docs/integrations-wsgi.rst)
    ],
)
def test_batch_request_failures(files: Client, body: bytes, status: int, needle: bytes) -> None:
    r = files.post("/batch", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status
    assert r.headers["Content-Type"] == "application/problem+json"
    assert needle in r.data


def test_batch_items_that_fail_in_odd_ways(files: Client) -> None:
    items = [{"name": "a"}, "not an object", {"id": True, "name": "b"}, {"id": 7, "name": "c", "explode": True}]
    r = files.post("/batch?policy=200-if-all-succeeded", json=items)
    doc = ms.from_json(r.data)
    assert r.status_code == 207
    assert [(x.href, x.status.code if x.status else 0) for x in doc] == [
        ("/items/1", 201),
        ("/items/2", 422),
        ("/items/3", 201),
        ("/items/7", 500),
    ]
    assert files.put("/batch").status_code == 405
    assert files.post("/batch?policy=collapse-uniform", json=[{"name": "x"}]).status_code == 201
    assert files.get("/batch?policy=nope").status_code == 400


def test_a_missing_path_with_a_nul_byte_is_a_well_formed_404() -> None:
    r = Client(demo.propfind_app()).open("/files/a%00b", method="PROPFIND", headers={"Depth": "0"})
    assert r.status_code == 404
    with pytest.raises(ms.NotMultiStatus) as caught:
        ms.from_body(r.data, r.headers["Content-Type"], status=r.status_code)  # parses: well-formed XML
    assert caught.value.status == 404
    assert caught.value.error is not None
    assert "a%00b" in str(caught.value.error.message)


def test_an_item_id_xml_cannot_carry_is_that_items_422(files: Client) -> None:
    r = files.post("/batch", json=[{"name": "a"}, {"id": "a\x00b", "name": "b"}])
    assert r.status_code == 207
    doc = ms.from_json(r.data)
    assert [(x.id, x.status.code if x.status else 0) for x in doc] == [("1", 201), ("2", 422)]
    assert doc.responses[1].error is not None
    assert doc.responses[1].error.code == "invalid_id"
