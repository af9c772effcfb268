"""multistatus.wsgi through werkzeug's test Client, LintMiddleware and wsgiref.validate."""

from __future__ import annotations

import json
import textwrap
import threading
import wsgiref.validate
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from werkzeug.exceptions import Unauthorized
from werkzeug.middleware.lint import LintMiddleware
from werkzeug.test import Client, EnvironBuilder
from werkzeug.wrappers import Request

import multistatus as ms
from multistatus.wsgi import (
    MultiStatusMiddleware,
    MultiStatusResponse,
    get_results,
    respond,
    respond_problem,
    respond_stream,
)

App = Callable[[dict[str, Any], Any], Iterable[bytes]]
ITEMS = [{"id": str(i), "name": f"item {i}"} for i in range(1, 4)] + [{"id": "4"}]


def batch(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """Three items saved, the one without a name is invalid."""
    items = json.loads(Request(environ).get_data() or b"[]")
    results = get_results(environ)
    for item in items:
        with results.item(f"/items/{item['id']}", id=item["id"]) as handle:
            if item.get("boom"):
                raise RuntimeError("secret database password in this message")
            if "name" in item:
                handle.succeeded(status=201)
            else:
                handle.failed(status=422, code="invalid", message="name is required")
    return respond(environ, start_response)


def client(app: App, **options: Any) -> Client:
    return Client(LintMiddleware(MultiStatusMiddleware(app, **options)))


def post(c: Client, items: Any = ITEMS, **headers: str) -> Any:
    return c.post("/items", json=items, headers=headers)


# -- negotiation through the middleware --------------------------------------------------
@pytest.mark.parametrize(
    ("accept", "strict", "content_type", "status"),
    [
        pytest.param(None, False, "application/json", 207, id="none-json-body-default"),
        pytest.param("*/*", False, "application/json", 207, id="star"),
        pytest.param("application/xml", False, "application/xml; charset=utf-8", 207, id="xml"),
        pytest.param("text/xml", False, "text/xml; charset=utf-8", 207, id="text-xml"),
        pytest.param("text/xml, application/xml", False, "application/xml; charset=utf-8", 207, id="text-xml-tie"),
        pytest.param("application/xml;q=0.4, application/json;q=0.5", False, "application/json", 207, id="q"),
        pytest.param("application/*;q=0.9, text/html", False, "text/html; charset=utf-8", 207, id="wildcard-vs-html"),
        pytest.param("application/json;q=0, */*", False, "application/xml; charset=utf-8", 207, id="q0"),
        pytest.param("image/png", False, "application/json", 207, id="unknown-lenient"),
        pytest.param("image/png", True, "application/problem+json", 406, id="unknown-strict"),
        pytest.param("image/png, application/xml;q=0.1", True, "application/xml; charset=utf-8", 207, id="strict-ok"),
    ],
)
def test_accept_table(accept: str | None, strict: bool, content_type: str, status: int) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    r = post(client(batch, strict=strict), **headers)
    assert r.status_code == status
    assert r.headers["Content-Type"] == content_type
    assert r.headers["Content-Length"] == str(len(r.data))
    assert "Accept" in r.headers["Vary"]
    if status == 406:
        problem = json.loads(r.data)
        assert problem["status"] == 406
        assert problem["available"] == list(ms.MEDIA_TYPES)
        return
    if content_type.startswith("application/json"):
        doc = ms.from_json(r.data)
    elif "xml" in content_type:
        doc = ms.from_xml(r.data)
    else:
        assert b"<table>" in r.data
        return
    assert [(x.href, x.status.code if x.status else None) for x in doc] == [
        ("/items/1", 201),
        ("/items/2", 201),
        ("/items/3", 201),
        ("/items/4", 422),
    ]


def test_webdav_method_defaults_to_xml_and_configured_default_wins() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        return respond(environ, start_response, ms.MultiStatus([ms.Response("/a", status=200)]))

    r = client(app).open("/", method="DELETE")
    assert r.headers["Content-Type"] == "application/xml; charset=utf-8"
    r = client(app, default="application/json").open("/", method="DELETE")
    assert r.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("policy", "items", "status"),
    [
        pytest.param("always-207", ITEMS[:3], 207, id="always-207"),
        pytest.param("200-if-all-succeeded", ITEMS[:3], 200, id="200-all"),
        pytest.param("200-if-all-succeeded", ITEMS, 207, id="200-partial"),
        pytest.param("collapse-uniform", ITEMS[:3], 201, id="collapse-201"),
        pytest.param("collapse-uniform", ITEMS[3:], 422, id="collapse-single-422"),
        pytest.param("collapse-uniform", ITEMS, 207, id="collapse-mixed"),
        pytest.param("always-200", ITEMS, 200, id="always-200"),
    ],
)
def test_policies(policy: str, items: list[dict[str, str]], status: int) -> None:
    r = post(client(batch, policy=policy), items)
    assert r.status_code == status
    assert len(ms.from_json(r.data).responses) == len(items)  # the body lists the items whatever the status


def test_unknown_policy_is_refused_up_front() -> None:
    with pytest.raises(ValueError, match="unknown status policy"):
        MultiStatusMiddleware(batch, policy="often-207")


# -- Prefer and Brief ------------------------------------------------------------------
def propfind(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    results = get_results(environ)
    results.propfind("/dav/a", {"{DAV:}getetag": '"1"'}, missing=["{urn:x}color"])
    results.propfind("/dav/b", missing=["{urn:x}color"])
    return respond(environ, start_response)


@pytest.mark.parametrize(
    ("headers", "minimal", "applied"),
    [
        pytest.param({}, False, None, id="none"),
        pytest.param({"Prefer": "return=minimal"}, True, "return=minimal", id="prefer-minimal"),
        pytest.param({"Brief": "t"}, True, None, id="brief"),
        pytest.param({"Prefer": "return=representation"}, False, "return=representation", id="representation"),
    ],
)
def test_prefer_and_brief(headers: dict[str, str], minimal: bool, applied: str | None) -> None:
    r = client(propfind).open("/dav/", method="PROPFIND", headers={"Depth": "1", **headers})
    assert r.status_code == 207
    assert r.headers["Vary"] == "Accept, Prefer, Brief"
    assert r.headers.get("Preference-Applied") == applied
    codes = [[ps.status.code for ps in x.propstats] for x in ms.from_xml(r.data)]
    assert codes == ([[200], [200]] if minimal else [[200, 404], [404]])


def test_prefer_can_be_ignored() -> None:
    r = client(propfind, honor_prefer=False).open("/", method="PROPFIND", headers={"Prefer": "return=minimal"})
    assert r.headers["Vary"] == "Accept"
    assert "Preference-Applied" not in r.headers
    assert [len(x.propstats) for x in ms.from_xml(r.data)] == [2, 1]


def test_minimal_successful_proppatch_is_204_without_body() -> None:
    def proppatch(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        get_results(environ).proppatch("/dav/a", ["{DAV:}displayname"])
        return respond(environ, start_response)

    c = client(proppatch)
    r = c.open("/dav/a", method="PROPPATCH", headers={"Prefer": "return=minimal"})
    assert (r.status_code, r.data, r.headers.get("Content-Type")) == (204, b"", None)
    assert r.headers["Preference-Applied"] == "return=minimal"
    assert c.open("/dav/a", method="PROPPATCH").status_code == 207


# -- failures --------------------------------------------------------------------------
def test_an_item_that_raises_is_its_own_500_without_traceback() -> None:
    r = post(client(batch), [*ITEMS[:2], {"id": "9", "name": "x", "boom": True}])
    doc = ms.from_json(r.data)
    assert r.status_code == 207
    bad = doc.responses[2]
    assert (bad.status.code if bad.status else None, bad.error.code if bad.error else None) == (500, "internal_error")
    assert b"secret" not in r.data
    assert b"Traceback" not in r.data


def raising(exc: Exception) -> App:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        raise exc

    return app


@pytest.mark.parametrize(
    ("exc", "accept", "status", "content_type"),
    [
        pytest.param(RuntimeError("secret"), None, 500, "application/xml; charset=utf-8", id="500-xml-default"),
        pytest.param(RuntimeError("secret"), "application/json", 500, "application/problem+json", id="500-json"),
        pytest.param(
            ms.ParseError("bad body"),
            "application/problem+xml",
            400,
            "application/problem+xml; charset=utf-8",
            id="parse-error",
        ),
        pytest.param(
            ms.LimitExceeded("too big"), "application/problem+json", 413, "application/problem+json", id="limit"
        ),
        pytest.param(
            Unauthorized(www_authenticate=None),
            "application/json",
            401,
            "application/problem+json",
            id="http-exception",
        ),
    ],
)
def test_request_level_failures_are_plain_problems(
    exc: Exception, accept: str | None, status: int, content_type: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    r = client(raising(exc)).post("/items", data=b"x", headers=headers)
    assert r.status_code == status
    assert r.headers["Content-Type"] == content_type
    assert b"secret" not in r.data
    assert b"Traceback" not in r.data
    if "json" in content_type:
        assert json.loads(r.data)["status"] == status
    elif content_type.startswith("application/xml"):
        assert b"<D:error" in r.data


def test_auth_challenge_header_is_kept() -> None:
    from werkzeug.datastructures import WWWAuthenticate

    exc = Unauthorized(www_authenticate=WWWAuthenticate("basic", {"realm": "items"}))
    r = client(raising(exc)).get("/", headers={"Accept": "application/json"})
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].replace('"', "") == "Basic realm=items"


def test_a_redirect_raised_by_werkzeug_routing_is_sent_as_is() -> None:
    from werkzeug.routing import RequestRedirect

    r = client(raising(RequestRedirect("http://localhost/items/"))).get("/items")
    assert r.status_code == 308
    assert r.headers["Location"] == "http://localhost/items/"


def test_exception_after_items_reports_what_was_done() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        get_results(environ).succeeded("/items/1", status=201)
        raise RuntimeError("secret")

    r = client(app, policy="collapse-uniform").post("/items", json=[], headers={"Accept": "application/json"})
    doc = ms.from_json(r.data)
    assert r.status_code == 207  # not 201: the batch did not complete
    assert [x.href for x in doc] == ["/items/1"]
    assert "not processed" in str(doc.description)
    assert client(app, policy="always-200").post("/items", json=[]).status_code == 200


def test_exception_after_start_response_passes_exc_info() -> None:
    """PEP 3333: a second start_response call (the problem) carries exc_info."""

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        raise RuntimeError("late")

    calls: list[tuple[str, Any]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        calls.append((status, exc_info))
        return lambda data: None

    environ = EnvironBuilder("/", headers={"Accept": "application/json"}).get_environ()
    body = b"".join(MultiStatusMiddleware(app)(environ, start_response))
    assert [status for status, _ in calls] == ["200 OK", "500 Internal Server Error"]
    assert calls[0][1] is None
    assert isinstance(calls[1][1][1], RuntimeError)
    assert json.loads(body)["code"] == "internal_error"


class Tracked:
    """A body iterable that records whether close() was called."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.chunks)

    def close(self) -> None:
        self.closed = True


def test_own_responses_pass_through_untouched_and_are_closed() -> None:
    body = Tracked([b"hello"])

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        get_results(environ).succeeded("/ignored")  # collected but never handed over
        start_response("418 I'm a teapot", [("Content-Type", "text/plain"), ("X-Own", "1")])
        return body

    r = client(app).get("/", headers={"Accept": "application/json"})
    assert (r.status_code, r.data, r.headers["X-Own"], r.headers["Content-Type"]) == (418, b"hello", "1", "text/plain")
    assert "Vary" not in r.headers
    r.close()
    assert body.closed


def test_inner_iterable_closed_when_middleware_renders() -> None:
    body = Tracked([])

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        get_results(environ).succeeded("/a")
        respond(environ, start_response)
        return body

    r = client(app).get("/")
    assert r.status_code == 207
    assert body.closed


def test_write_after_respond_is_refused() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        environ["multistatus.render"] = True
        write = start_response("200 OK", [])
        write(b"x")
        return []

    r = Client(MultiStatusMiddleware(app)).get("/")
    assert r.status_code == 500


def test_nested_middlewares_render_once() -> None:
    app = MultiStatusMiddleware(MultiStatusMiddleware(batch, policy="collapse-uniform"), policy="always-207")
    r = Client(LintMiddleware(app)).post("/items", json=ITEMS[:3])
    assert r.status_code == 201  # the inner middleware rendered; the outer passed it through
    assert len(ms.from_json(r.data).responses) == 3


def test_problem_response_from_the_app() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        return respond_problem(environ, start_response, 429, detail="slow down", headers=[("Retry-After", "30")])

    r = client(app, default="application/json").post("/items", json=[])
    assert (r.status_code, r.headers["Retry-After"], r.headers["Content-Type"]) == (
        429,
        "30",
        "application/problem+json",
    )
    assert json.loads(r.data) == {"title": "Too Many Requests", "status": 429, "detail": "slow down"}


def test_problem_reply_refuses_success_statuses() -> None:
    for status in (207, 200, 99, True):
        with pytest.raises(ValueError, match="4xx or 5xx"):
            ms.problem_reply(status)


def test_problem_xml_members() -> None:
    r = ms.problem_reply(
        409, accept="application/problem+xml", type="https://example.com/conflict", code="c", ids=[1, 2]
    )
    root = ET.fromstring(r.body)
    assert root.tag == "{urn:ietf:rfc:7807}problem"
    members = {child.tag.split("}")[1]: child.text for child in root}
    assert members == {
        "type": "https://example.com/conflict",
        "title": "Conflict",
        "status": "409",
        "code": "c",
        "ids": "[1,2]",
    }
    assert ms.Reply(599, (), b"").status_line == "599 Unknown"
    assert r.header("X-Missing") is None


# -- without the middleware --------------------------------------------------------------
def test_respond_without_middleware_uses_defaults() -> None:
    r = Client(LintMiddleware(batch)).post("/items", json=ITEMS, headers={"Accept": "application/xml"})
    assert r.status_code == 207
    assert len(ms.from_xml(r.data).responses) == 4


def test_get_results_is_per_request_and_takes_options() -> None:
    environ: dict[str, Any] = {}
    results = get_results(environ, description="d")
    assert get_results(environ) is results
    assert results.build().description == "d"
    assert get_results({}) is not results


def test_multistatus_response_in_flask() -> None:
    flask = pytest.importorskip("flask")
    app = flask.Flask(__name__)

    @app.post("/items")
    def items() -> Any:
        results = get_results(flask.request.environ)
        results.succeeded("/items/1", status=201)
        return MultiStatusResponse(None, flask.request, policy="collapse-uniform")

    @app.get("/doc")
    def doc() -> Any:
        return MultiStatusResponse(ms.MultiStatus([ms.Response("/x", status=404)]), flask.request.environ)

    with app.test_client() as c:
        r = c.post("/items", headers={"Accept": "application/xml"})
        assert (r.status_code, r.content_type) == (201, "application/xml; charset=utf-8")
        assert r.headers["Vary"] == "Accept, Prefer, Brief"
        assert ms.from_xml(r.data).responses[0].href == "/items/1"
        assert c.get("/doc", headers={"Accept": "application/json"}).json["responses"][0]["status"] == 404

    # Under the middleware, unset settings come from it.
    app.wsgi_app = MultiStatusMiddleware(app.wsgi_app, policy="always-200")  # type: ignore[method-assign]
    with app.test_client() as c:
        assert c.get("/doc").status_code == 200


def test_multistatus_response_204_has_no_content_type() -> None:
    environ = EnvironBuilder(method="PROPPATCH", headers={"Prefer": "return=minimal"}).get_environ()
    doc = ms.MultiStatus([ms.Response("/a", propstats=[ms.PropStat({"{DAV:}displayname": ""})])])
    r = MultiStatusResponse(doc, environ)
    assert (r.status_code, r.data, "Content-Type" in r.headers) == (204, b"", False)
    with pytest.raises(TypeError):
        MultiStatusResponse("<xml/>", environ)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown status policy"):
        MultiStatusResponse(doc, environ, policy="x")


# -- wsgiref.validate and threads --------------------------------------------------------
def test_passes_wsgiref_validate() -> None:
    app = wsgiref.validate.validator(MultiStatusMiddleware(batch))
    for headers in ({"Accept": "application/xml"}, {"Accept": "image/png"}, {"Prefer": "return=minimal"}):
        r = Client(app).post("/items", json=ITEMS, headers=headers)
        assert r.status_code == 207
        r.close()
    r = Client(wsgiref.validate.validator(MultiStatusMiddleware(raising(RuntimeError("x"))))).get("/")
    assert r.status_code == 500
    r.close()


def test_concurrent_requests_each_get_exactly_their_own_items() -> None:
    barrier = threading.Barrier(8, timeout=10)

    def slow_batch(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        items = json.loads(Request(environ).get_data())
        results = get_results(environ)
        results.succeeded(f"/items/{items[0]}")
        barrier.wait()  # every request has started recording before any finishes
        for item in items[1:]:
            results.succeeded(f"/items/{item}")
        return respond(environ, start_response)

    app = LintMiddleware(MultiStatusMiddleware(slow_batch))
    seen: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            r = Client(app).post("/items", json=[f"{n}-{i}" for i in range(5)], headers={"Accept": "application/json"})
            seen[n] = [x.href for x in ms.from_json(r.data)]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert not errors
    assert seen == {n: [f"/items/{n}-{i}" for i in range(5)] for n in range(8)}


def test_reply_falls_back_to_the_first_offer_when_the_default_is_not_offered() -> None:
    doc = ms.MultiStatus([ms.Response("/a", status=200)])
    answer = ms.reply(doc, method="PROPFIND", offers=["application/json"])
    assert answer.header("Content-Type") == "application/json"
    assert ms.from_json(answer.body) == doc


def test_the_module_usage_block_records_each_item_once() -> None:
    """The code block in multistatus.wsgi's docstring runs as written and records one result per item."""
    import multistatus.wsgi as wsgi_module

    lines = (wsgi_module.__doc__ or "").splitlines()
    start = lines.index(".. code-block:: python") + 1
    block = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        block.append(line)

    saved: list[str] = []
    namespace: dict[str, Any] = {
        "read_items": lambda environ: json.loads(Request(environ).get_data()),
        "save": lambda item: saved.append(item["id"]),
    }
    exec(textwrap.dedent("\n".join(block)), namespace)  # our own documentation
    r = Client(LintMiddleware(namespace["app"])).post(
        "/items", json=[{"id": "1"}, {"id": "2"}], headers={"Accept": "application/json"}
    )
    doc_back = ms.from_json(r.data)
    assert saved == ["1", "2"]
    assert [(x.id, x.status.code if x.status else None) for x in doc_back] == [("1", 201), ("2", 201)]
    assert r.status_code == 200  # the block's policy: 200-if-all-succeeded


def test_head_gets_the_status_and_headers_without_a_body() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        get_results(environ).failed("/items/1", status=409, code="conflict")
        return respond(environ, start_response)

    c = client(app)
    get = c.get("/items")
    head = c.head("/items")
    assert (head.status_code, head.headers["Content-Type"]) == (get.status_code, get.headers["Content-Type"])
    assert head.headers["Content-Length"] == str(len(get.data))
    assert head.data == b""
    failing = client(raising(RuntimeError("boom"))).head("/items")
    assert failing.status_code == 500
    assert failing.data == b""


# -- the application's header fields, and text/xml for WebDAV methods ------------------------------
def _with_headers(stream: bool = False, via: str = "respond") -> App:
    own = [
        ("ETag", '"v7"'),
        ("Server", "app/1"),
        ("Set-Cookie", "s=1"),
        ("Cache-Control", "no-store"),
        ("Vary", "Cookie"),
        ("Content-Type", "text/plain"),
        ("Content-Length", "1"),
        ("Preference-Applied", "x"),
    ]
    doc = ms.MultiStatus([ms.Response("/a", status=200), ms.Response("/b", status=404)])

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if via == "start_response":  # a wrapper adding fields to the start_response call respond makes

            def adding(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
                return start_response(status, [*headers, *own], exc_info)

            return respond(environ, adding, doc)
        if stream:
            return respond_stream(environ, start_response, iter(doc.responses), headers=own)
        return respond(environ, start_response, doc, headers=own)

    return app


@pytest.mark.parametrize(
    ("wrap", "stream", "via"),
    [
        (False, False, "respond"),
        (True, False, "respond"),
        (True, False, "start_response"),
        (False, True, "respond"),
        (True, True, "respond"),
    ],
)
@pytest.mark.parametrize("accept", ["application/xml", "application/json", "text/html"])
def test_the_applications_header_fields_reach_the_client(wrap: bool, stream: bool, via: str, accept: str) -> None:
    app = _with_headers(stream, via)
    if wrap:
        app = MultiStatusMiddleware(app, stream=True)
    r = Client(app).open("/", method="PROPFIND", headers={"Accept": accept, "Prefer": "return=minimal"})
    assert r.status_code == 207
    assert r.headers["ETag"] == '"v7"'
    assert r.headers["Server"] == "app/1"
    assert r.headers["Set-Cookie"] == "s=1"
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Content-Type"].startswith(accept)
    assert r.headers.getlist("Content-Type") == [r.headers["Content-Type"]]
    assert "Cookie" in r.headers["Vary"]
    assert "Accept" in r.headers["Vary"]
    assert len(r.headers.getlist("Vary")) == 1
    assert r.headers.get("Preference-Applied") in (None, "return=minimal")
    if "Content-Length" in r.headers:
        assert int(r.headers["Content-Length"]) == len(r.data)


def test_respond_checks_the_applications_header_fields() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        return respond(environ, start_response, ms.MultiStatus(), headers=[("X-Evil", "a\r\nSet-Cookie: b")])

    with pytest.raises(ValueError, match="X-Evil"):
        Client(app).get("/")


@pytest.mark.parametrize("method", ["PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "REPORT"])
def test_webdav_methods_get_text_xml_by_default(method: str) -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        return respond(environ, start_response, ms.MultiStatus([ms.Response("/a", status=200)]))

    assert (
        Client(MultiStatusMiddleware(app)).open("/", method=method).headers["Content-Type"] == "text/xml; charset=utf-8"
    )
    assert Client(app).open("/", method=method).headers["Content-Type"] == "text/xml; charset=utf-8"
    kept = MultiStatusMiddleware(app, webdav_default="application/xml")
    assert Client(kept).open("/", method=method).headers["Content-Type"] == "application/xml; charset=utf-8"
    # The client's own choice still wins, and an explicit default is kept.
    r = Client(MultiStatusMiddleware(app)).open("/", method=method, headers={"Accept": "application/xml"})
    assert r.headers["Content-Type"] == "application/xml; charset=utf-8"
    r = Client(MultiStatusMiddleware(app, default="application/json")).open("/", method=method)
    assert r.headers["Content-Type"] == "application/json"
    # Offers without text/xml: application/xml.
    r = Client(MultiStatusMiddleware(app, offers=["application/xml", "application/json"])).open("/", method=method)
    assert r.headers["Content-Type"] == "application/xml; charset=utf-8"


def test_other_methods_keep_their_defaults_and_problems_follow_webdav() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] == "LOCK":
            return respond_problem(environ, start_response, 423, conditions=["{DAV:}lock-token-submitted"])
        return respond(environ, start_response, ms.MultiStatus([ms.Response("/a", status=200)]))

    client = Client(MultiStatusMiddleware(app))
    assert client.post("/", json=[]).headers["Content-Type"] == "application/json"
    assert client.delete("/").headers["Content-Type"] == "application/xml; charset=utf-8"
    assert client.open("/", method="LOCK").headers["Content-Type"] == "text/xml; charset=utf-8"
    with pytest.raises(ValueError, match="webdav_default"):
        MultiStatusMiddleware(app, webdav_default="application/json")
