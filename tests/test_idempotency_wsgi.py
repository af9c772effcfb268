"""``MultiStatusMiddleware(app, idempotency=...)`` and ``Results.claimed``: request keys and item keys over WSGI.

Driven through ``werkzeug.test.Client`` with ``LintMiddleware``; the store is a real
:class:`MemoryStore` (the other stores: tests/test_idempotency_stores.py; real servers:
tests/test_idempotency_servers.py).
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from werkzeug.middleware.lint import LintMiddleware
from werkzeug.test import Client

import multistatus as ms
from multistatus.idempotency import Idempotency, MemoryStore
from multistatus.wsgi import (
    MultiStatusMiddleware,
    MultiStatusResponse,
    get_results,
    respond,
    respond_problem,
    respond_stream,
)

KEY = {"Idempotency-Key": '"8e03978e-40d5-43e8-bc93-6894a57f9324"'}


class Counting:
    """A WSGI application that counts its runs and answers as *how* says."""

    def __init__(self, how: str = "doc") -> None:
        self.runs = 0
        self.how = how
        self.gate: threading.Event | None = None
        self.entered = threading.Event()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.runs += 1
        body = environ["wsgi.input"].read()
        self.entered.set()
        if self.gate is not None:
            self.gate.wait(10)
        how = self.how
        if how == "doc":
            get_results(environ).record_success(f"/items/{self.runs}", status=201, body={"got": len(body)})
            return respond(environ, start_response, headers=[("ETag", f'"{self.runs}"'), ("Set-Cookie", "s=1")])
        if how == "problem":
            return respond_problem(environ, start_response, 409, detail=f"conflict {self.runs}")
        if how == "busy":  # (come back later: not the request's result)
            return respond_problem(environ, start_response, 503, headers=[("Retry-After", "1")])
        if how == "empty":
            start_response("202 Accepted", [("X-Run", str(self.runs)), ("Content-Length", "0")])
            return []
        if how == "text":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [f"run {self.runs}".encode()]
        if how == "raise":
            raise RuntimeError("boom")
        if how == "stream":
            responses = (ms.Response(f"/items/{i}", status=200) for i in range(3))
            return respond_stream(environ, start_response, responses)
        if how == "generator":
            return self._generate(start_response)
        if how == "json":  # (the application's own JSON, not a multistatus)
            start_response("200 OK", [("Content-Type", "application/json")])
            return iter([b'{"own": true}'])
        if how == "json-like-ours":  # (its own JSON that starts as a multistatus does, and is not one)
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"responses":[{"id":1}],"next":"/p/2"}']
        if how in ("problem-list", "problem-text"):  # (a problem+json body that is no problem document)
            start_response("502 Bad Gateway", [("Content-Type", "application/problem+json")])
            return [b'["oops"]' if how == "problem-list" else b"oops"]
        if how == "write":  # (PEP 3333's write(): the body goes before the iterable, here empty)
            write = start_response("207 Multi-Status", [("Content-Type", "application/json")])
            write(ms.to_json(ms.MultiStatus([ms.Response(f"/items/{self.runs}", status=201)])))
            return []
        if how == "response":  # (a werkzeug response rendered by the library)
            get_results(environ).record_success(f"/items/{self.runs}", status=201, body={"got": len(body)})
            return MultiStatusResponse(None, environ)(environ, start_response)
        if how == "silent":
            return []  # (a broken application: no start_response)
        raise KeyboardInterrupt

    def _generate(self, start_response: Any) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"a"
        yield b"b"


def client(app: Counting, *, lint: bool = True, **settings: Any) -> Client:
    idem = Idempotency(settings.pop("store", None) or MemoryStore(), **settings)
    wrapped = MultiStatusMiddleware(app, idempotency=idem, stream=True, default="application/json")
    return Client(LintMiddleware(wrapped) if lint else wrapped)


def test_a_keyed_request_runs_once_and_its_replay_is_rendered_for_the_new_request() -> None:
    app = Counting()
    c = client(app)
    first = c.post("/batch", data=b"[1]", headers=KEY)
    again = c.post("/batch", data=b"[1]", headers={**KEY, "Accept": "application/xml"})
    minimal = c.post("/batch", data=b"[1]", headers={**KEY, "Prefer": "return=minimal"})
    assert app.runs == 1
    assert minimal.headers["Preference-Applied"] == "return=minimal"
    assert ms.from_json(minimal.data).responses[0].body is None
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert ms.from_xml(again.data) == ms.from_json(first.data)
    assert again.headers["ETag"] == first.headers["ETag"] == '"1"'
    assert "Set-Cookie" in first.headers
    assert "Set-Cookie" not in again.headers
    assert again.headers["Idempotency-Retention"] == "86400"


def test_a_first_answer_shaped_by_prefer_is_kept_whole_for_a_retry_without_it() -> None:
    app = Counting()
    c = client(app)
    first = c.post("/batch", data=b"[1]", headers={**KEY, "Prefer": "return=minimal"})
    assert ms.from_json(first.data).responses[0].body is None  # (minimal: the body left out)
    again = c.post("/batch", data=b"[1]", headers=KEY)
    assert ms.from_json(again.data).responses[0].body == {"got": 3}  # (the document as the application made it)
    xml_first = client(Counting()).post("/batch", data=b"[1]", headers={**KEY, "Accept": "application/xml"})
    assert xml_first.status_code == 207


def test_a_response_object_shaped_by_prefer_is_kept_whole_too() -> None:
    """MultiStatusResponse renders the document it was given: that document is kept, not the
    minimal rendering sent, so a retry without Prefer gets the bodies back."""
    app = Counting("response")
    c = client(app)
    first = c.post("/batch", data=b"[1]", headers={**KEY, "Prefer": "return=minimal"})
    assert ms.from_json(first.data).responses[0].body is None
    again = c.post("/batch", data=b"[1]", headers=KEY)
    assert (again.headers["Idempotent-Replayed"], app.runs) == ("true", 1)
    assert ms.from_json(again.data).responses[0].body == {"got": 3}


def test_requests_without_a_key_or_of_other_methods_always_run() -> None:
    app = Counting()
    c = client(app)
    c.post("/batch", data=b"[1]")
    c.post("/batch", data=b"[1]")
    c.get("/batch", headers=KEY)
    c.get("/batch", headers=KEY)
    assert app.runs == 4
    assert "Idempotency-Retention" not in c.get("/batch", headers=KEY).headers


@pytest.mark.parametrize(
    ("headers", "status", "title"),
    [
        pytest.param({}, 400, "Idempotency-Key is missing", id="missing"),
        pytest.param({"Idempotency-Key": '"two words"'}, 400, "Idempotency-Key is invalid", id="invalid"),
    ],
)
def test_refusals_are_negotiated_problems(headers: dict[str, str], status: int, title: str) -> None:
    app = Counting()
    c = client(app, required=True)
    r = c.post("/batch", data=b"[]", headers=headers)
    assert (r.status_code, r.headers["Content-Type"], r.json["title"]) == (status, "application/problem+json", title)
    x = c.post("/batch", data=b"[]", headers={**headers, "Accept": "application/problem+xml"})
    assert x.headers["Content-Type"].startswith("application/problem+xml")
    assert f"<P:title>{title}</P:title>".encode() in x.data
    assert app.runs == 0


def test_a_reused_key_with_another_body_is_422_and_a_running_one_409() -> None:
    app = Counting()
    app.gate = threading.Event()
    c = client(app, lint=False)
    first: list[Any] = []
    worker = threading.Thread(target=lambda: first.append(c.post("/batch", data=b"[1]", headers=KEY)))
    worker.start()
    assert app.entered.wait(10)
    running = c.post("/batch", data=b"[1]", headers=KEY)
    assert running.status_code == 409
    assert running.headers["Retry-After"].isdigit()
    assert running.json["title"] == "A request is outstanding for this Idempotency-Key"
    app.gate.set()
    worker.join(10)
    assert first[0].status_code == 207
    assert client_post(c, b"[2]").status_code == 422
    assert app.runs == 1


def client_post(c: Client, body: bytes) -> Any:
    return c.post("/batch", data=body, headers=KEY)


def test_a_body_over_max_body_is_413_and_not_run() -> None:
    app = Counting()
    r = client(app, max_body=4).post("/batch", data=b"[1,2,3]", headers=KEY)
    assert (r.status_code, r.headers["Content-Type"]) == (413, "application/problem+json")
    assert app.runs == 0


def test_a_body_cut_short_is_400_and_leaves_the_key_unclaimed() -> None:
    """A client that went away mid-body: the part is not fingerprinted (its retry whole would be a
    422 for the key's whole retention), nothing runs, and the whole body's retry runs once."""
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    app = Counting()
    c = client(app)
    environ = EnvironBuilder(path="/batch", method="POST", data=b'[{"id": 1}]', headers=KEY).get_environ()
    environ["wsgi.input"] = io.BytesIO(b'[{"id"')  # (6 of its 11 bytes came)
    body, status, headers = run_wsgi_app(c.application, environ)
    assert (status, headers["Content-Type"]) == ("400 Bad Request", "application/problem+json")
    assert b"ended after 6 of its 11 bytes" in b"".join(body)
    assert app.runs == 0
    r = client_post(c, b'[{"id": 1}]')
    assert (r.status_code, app.runs) == (207, 1)
    assert client_post(c, b'[{"id": 1}]').headers["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize(
    ("how", "status"),
    [
        pytest.param("problem", 409, id="problem+json"),
        pytest.param("empty", 202, id="no-body"),
        pytest.param("raise", 500, id="a-crash-answered-500-as-Stripe-keeps-it"),
        pytest.param("stream", 207, id="streamed-document"),
        pytest.param("write", 207, id="written-with-write()"),
    ],
)
def test_answers_that_are_kept(how: str, status: int) -> None:
    app = Counting(how)
    c = client(app)
    buffered = how != "write"  # (werkzeug's test client drops what write() sent when it buffers)
    first = c.post("/batch", data=b"[]", headers=KEY, buffered=buffered)  # (sent whole before the retry)
    again = c.post("/batch", data=b"[]", headers=KEY, buffered=buffered)
    assert first.status_code == again.status_code == status
    assert again.headers["Idempotent-Replayed"] == "true"
    assert app.runs == 1
    if how == "problem":
        assert again.json == first.json
    if how == "empty":
        assert again.headers["X-Run"] == "1"
    if how in ("stream", "write"):
        assert ms.from_json(again.data) == ms.from_json(first.data)


@pytest.mark.parametrize(
    "how", ["text", "generator", "json", "json-like-ours", "problem-list", "problem-text", "busy", "silent"]
)
def test_answers_that_cannot_be_kept_release_the_key(how: str) -> None:
    app = Counting(how)
    c = client(app, lint=how != "silent")
    for _ in range(2):
        if how == "silent":
            with contextlib.suppress(Exception):  # (werkzeug's test client refuses an answer never started)
                c.post("/batch", data=b"[]", headers=KEY)
        else:
            c.post("/batch", data=b"[]", headers=KEY, buffered=True)
    assert app.runs == 2


def test_a_stream_not_sent_whole_releases_the_key() -> None:
    app = Counting("generator")
    idem = Idempotency(MemoryStore())
    wrapped = MultiStatusMiddleware(app, idempotency=idem)
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/b", "HTTP_IDEMPOTENCY_KEY": "k", "wsgi.input": None}
    body = wrapped(environ, lambda status, headers, exc_info=None: None)
    next(iter(body))
    body.close()  # type: ignore[attr-defined]
    assert not idem.store.read("r0::k")


def test_an_exception_that_is_not_answered_releases_the_key() -> None:
    app = Counting("interrupt")
    c = client(app, lint=False)
    for _ in range(2):
        with pytest.raises(KeyboardInterrupt):
            c.post("/batch", data=b"[]", headers=KEY)
    assert app.runs == 2


def test_the_scope_keeps_tenants_apart_and_included_headers_count() -> None:
    app = Counting()
    c = client(app, scope=lambda environ: environ.get("HTTP_X_ACCOUNT", ""), include=("Accept-Language",))
    c.post("/batch", data=b"[1]", headers={**KEY, "X-Account": "a"})
    other = c.post("/batch", data=b"[1]", headers={**KEY, "X-Account": "b"})
    assert "Idempotent-Replayed" not in other.headers
    assert app.runs == 2
    assert c.post("/batch", data=b"[1]", headers={**KEY, "X-Account": "a", "Accept-Language": "fr"}).status_code == 422


def test_a_chunked_body_is_read_to_its_end() -> None:
    app = Counting()
    idem = Idempotency(MemoryStore(), max_body=8)
    wrapped = MultiStatusMiddleware(app, idempotency=idem)
    import io

    def call(data: bytes) -> tuple[list[Any], bytes]:
        started: list[Any] = []
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/b",
            "QUERY_STRING": "x=1",
            "HTTP_IDEMPOTENCY_KEY": "k",
            "CONTENT_LENGTH": "nonsense",
            "wsgi.input": io.BytesIO(data),
            "wsgi.input_terminated": True,
        }
        chunks = wrapped(environ, lambda status, headers, exc_info=None: started.append(status))
        return started, b"".join(chunks)

    assert call(b"[1]")[0] == ["207 Multi-Status"]
    assert call(b"[1]")[0] == ["207 Multi-Status"]
    assert call(b"[1,2,3,4,5]")[0][0].startswith("413 ")
    assert app.runs == 1


def test_the_middleware_takes_only_idempotency_settings() -> None:
    with pytest.raises(TypeError, match="idempotency is an Idempotency"):
        MultiStatusMiddleware(Counting(), idempotency=MemoryStore())  # type: ignore[arg-type]
    from multistatus.asgi import MultiStatusMiddleware as AsgiMiddleware  # the ASGI one refuses a store alike

    with pytest.raises(TypeError, match="idempotency is an Idempotency, not MemoryStore"):
        AsgiMiddleware(Counting(), idempotency=MemoryStore())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="scope is a function"):
        Idempotency(MemoryStore(), scope="tenant")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_body"):
        Idempotency(MemoryStore(), max_body=-1)


# -- per-item keys in the collector ----------------------------------------------------


def _run(results: ms.Results, items: list[Any], ran: list[int], stop: int | None = None) -> ms.MultiStatus:
    todo = results.claimed(items, href=lambda item, i: f"/items/{i}", id=lambda item, i: str(i))
    with contextlib.closing(todo):
        for i, _item in todo:
            if i == stop:
                break
            ran.append(i)
            results.record_success(f"/items/{i}", status=201, id=str(i))
    return results.build()


def test_claimed_runs_each_keyed_item_once() -> None:
    idem = Idempotency(MemoryStore())
    items: list[Any] = [{"idempotency_key": "a"}, {"n": 1}, "not an object", {"idempotency_key": "a"}]
    ran: list[int] = []
    doc = _run(ms.Results(idempotency=idem), items, ran)
    assert ran == [0, 1, 2]
    assert [r.status_code for r in doc] == [201, 201, 201, 409]  # (the same key twice in one batch: in flight)
    assert doc.responses[3].id == "3"
    ran.clear()
    doc = _run(ms.Results(idempotency=idem), items[:3], ran)
    assert ran == [1, 2]
    assert [r.replayed for r in doc] == [True, False, False]


def test_claimed_releases_the_items_a_loop_left_early_did_not_run() -> None:
    idem = Idempotency(MemoryStore())
    items = [{"idempotency_key": k} for k in "abc"]
    ran: list[int] = []
    _run(ms.Results(idempotency=idem), items, ran, stop=1)
    assert ran == [0]
    ran.clear()
    doc = _run(ms.Results(idempotency=idem), items, ran)
    assert ran == [1, 2]
    assert [r.replayed for r in doc] == [True, False, False]


def test_claimed_without_settings_yields_every_item() -> None:
    ran: list[int] = []
    _run(ms.Results(), [{"idempotency_key": "a"}] * 2, ran)
    assert ran == [0, 1]


def test_the_middleware_gives_the_collector_its_settings_and_scope() -> None:
    idem = Idempotency(MemoryStore(), scope=lambda environ: "tenant-1")
    seen: list[Any] = []

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        results = get_results(environ)
        seen.append((results.idempotency, results.scope))
        return respond(environ, start_response)

    c = Client(MultiStatusMiddleware(app, idempotency=idem))
    c.get("/")
    c.post("/", data=b"[]", headers=KEY)
    assert seen == [(idem, "tenant-1"), (idem, "tenant-1")]


def test_an_item_key_reused_at_another_endpoint_is_refused() -> None:
    """The batch's method and path are part of each item key's fingerprint, as they are of a
    request key's: the same item key and payload sent to /refunds after /orders is a 422 there,
    never /orders' answer replayed (the refund would silently not run)."""
    import json

    ran: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        results = get_results(environ)
        items = json.loads(environ["wsgi.input"].read())
        for _, item in results.claimed(items, href=lambda item, i: f"{environ['PATH_INFO']}/{i}"):
            ran.append(environ["PATH_INFO"])
            results.record_success(f"{environ['PATH_INFO']}/{item['n']}", status=201)
        return respond(environ, start_response)

    wrapped = MultiStatusMiddleware(app, idempotency=Idempotency(MemoryStore()), default="application/json")
    c = Client(wrapped)
    item = b'[{"idempotency_key": "k-1", "n": 0}]'
    first = ms.from_json(c.post("/orders", data=item).data).responses[0]
    again = ms.from_json(c.post("/orders", data=item).data).responses[0]
    elsewhere = ms.from_json(c.post("/refunds", data=item).data).responses[0]
    assert (first.status_code, again.replayed) == (201, True)
    assert (elsewhere.status_code, elsewhere.error.problem["title"]) == (422, "Idempotency-Key is already used")
    assert ran == ["/orders"]


def test_replayed_is_a_bool_in_the_model_and_in_json() -> None:
    with pytest.raises(TypeError, match="replayed is True or False"):
        ms.Response("/a", status=200, replayed=1)  # type: ignore[arg-type]
    with pytest.raises(ms.ParseError, match="replayed must be true or false") as info:
        ms.from_json(b'{"responses": [{"href": "/a", "status": 200, "replayed": "yes"}]}')
    assert info.value.path == "/responses/0/replayed"
    assert ms.from_json(b'{"responses": [{"href": "/a", "status": 200, "replayed": false}]}').responses[0] == (
        ms.Response("/a", status=200)
    )
