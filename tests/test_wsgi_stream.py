"""multistatus.wsgi.respond_stream through werkzeug's test Client and LintMiddleware."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from werkzeug.exceptions import Unauthorized
from werkzeug.middleware.lint import LintMiddleware
from werkzeug.test import Client

import multistatus as ms
from multistatus.wsgi import MultiStatusMiddleware, respond, respond_stream

RESPONSES = [
    ms.Response(
        f"/dav/f%C3%A9{i}.txt",
        propstats=[
            ms.PropStat({"{DAV:}getetag": f'"{i}"', "{urn:x}color": "red"}),
            ms.PropStat({"{DAV:}owner": None}, 404),
        ],
    )
    for i in range(3)
]
FULL = ms.MultiStatus(RESPONSES, description="listing", sync_token="http://example.com/sync/7")
PARSE = {"application/xml": ms.from_xml, "application/json": ms.from_json}


class Source:
    """The application's responses: a generator that may fail, whose close() is recorded."""

    def __init__(self, fail_at: int | None = None, exc: Exception | None = None) -> None:
        self.fail_at = fail_at
        self.exc = exc or RuntimeError("database gone")
        self.closed = False

    def __iter__(self) -> Iterator[ms.Response]:
        for i, r in enumerate(RESPONSES):
            if i == self.fail_at:
                raise self.exc
            yield r

    def close(self) -> None:
        self.closed = True


def make_app(source: Iterable[ms.Response], buffered: bool = False) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if buffered:
            return respond(environ, start_response, FULL)
        return respond_stream(environ, start_response, source, description=FULL.description, sync_token=FULL.sync_token)

    return app


def client(app: Any, **options: Any) -> Client:
    return Client(LintMiddleware(MultiStatusMiddleware(app, stream=True, **options)))


@pytest.mark.parametrize("accept", [pytest.param(a, id=a.split("/")[1]) for a in PARSE])
@pytest.mark.parametrize("prefer", [pytest.param(None, id="full"), pytest.param("return=minimal", id="minimal")])
def test_streamed_body_reads_back_as_the_buffered_document(accept: str, prefer: str | None) -> None:
    headers = {"Accept": accept, **({"Prefer": prefer} if prefer else {})}
    streamed = client(make_app(Source())).open("/dav/", method="PROPFIND", headers=headers)
    buffered = client(make_app((), buffered=True)).open("/dav/", method="PROPFIND", headers=headers)
    assert streamed.status_code == buffered.status_code == 207
    assert "Content-Length" not in streamed.headers
    assert "Content-Length" in buffered.headers
    drop = {"Content-Length"}
    assert [h for h in streamed.headers if h[0] not in drop] == [h for h in buffered.headers if h[0] not in drop]
    assert PARSE[accept](streamed.data) == PARSE[accept](buffered.data)
    streamed.close()


def test_without_middleware_the_helper_streams() -> None:
    source = Source()
    r = Client(LintMiddleware(make_app(source))).open("/dav/", method="PROPFIND")
    assert r.status_code == 207
    assert "Content-Length" not in r.headers
    assert ms.from_xml(r.data) == FULL
    r.close()
    assert source.closed


def test_without_middleware_an_early_error_propagates() -> None:
    with pytest.raises(Unauthorized):
        Client(make_app(Source(fail_at=0, exc=Unauthorized()))).get("/")


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        pytest.param(Unauthorized(), 401, id="unauthorized"),
        pytest.param(ms.ParseError("bad body"), 400, id="parse-error"),
        pytest.param(RuntimeError("secret"), 500, id="crash"),
    ],
)
def test_error_before_first_item_is_a_plain_problem(exc: Exception, status: int) -> None:
    source = Source(fail_at=0, exc=exc)
    r = client(make_app(source)).get("/", headers={"Accept": "application/json"})
    assert r.status_code == status
    assert r.headers["Content-Type"] == "application/problem+json"
    assert b"secret" not in r.data
    assert source.closed


@pytest.mark.parametrize("accept", [pytest.param(a, id=a.split("/")[1]) for a in PARSE])
def test_error_half_way_closes_the_document_with_a_note(accept: str) -> None:
    source = Source(fail_at=2)
    r = client(make_app(source)).open("/dav/", method="PROPFIND", headers={"Accept": accept})
    assert r.status_code == 207
    doc = PARSE[accept](r.data)
    assert doc.responses == tuple(RESPONSES[:2])
    assert doc.description == "The listing failed after 2 items; the rest were not sent."
    assert doc.sync_token is None
    r.close()
    assert source.closed


def test_an_item_that_is_not_a_response_ends_the_stream_with_the_note() -> None:
    r = client(make_app([RESPONSES[0], "oops"])).get("/", headers={"Accept": "application/json"})  # type: ignore[list-item]
    assert ms.from_json(r.data).description == "The listing failed after 1 items; the rest were not sent."


def test_always_200_policy_and_empty_listing() -> None:
    r = client(make_app(iter(())), policy="always-200").get("/", headers={"Accept": "application/json"})
    assert r.status_code == 200
    assert ms.from_json(r.data) == ms.MultiStatus(description=FULL.description, sync_token=FULL.sync_token)


def test_no_collapse_even_when_uniform() -> None:
    one = [ms.Response("/a", status=201)]
    r = client(make_app(one), policy="collapse-uniform").post("/", json=[{}])
    assert r.status_code == 207
    assert "Content-Length" not in r.headers


def test_head_sends_no_body_and_closes() -> None:
    source = Source()
    r = client(make_app(source)).head("/")
    assert r.status_code == 207
    assert r.data == b""
    assert source.closed


def test_client_closing_early_closes_the_source() -> None:
    source = Source()
    r = client(make_app(source)).get("/", buffered=False)
    first = next(iter(r.response))
    assert first.startswith(b"<?xml")
    r.close()
    assert source.closed


@pytest.mark.parametrize(
    ("options", "accept"),
    [
        pytest.param({"stream": False}, "application/json", id="stream-off"),
        pytest.param({}, "text/html", id="html"),
    ],
)
def test_collected_paths_send_the_buffered_answer(options: dict[str, Any], accept: str) -> None:
    app = make_app(Source())
    c = Client(LintMiddleware(MultiStatusMiddleware(app, **{"stream": True, **options})))
    r = c.open("/dav/", method="PROPFIND", headers={"Accept": accept})
    b = client(make_app((), buffered=True)).open("/dav/", method="PROPFIND", headers={"Accept": accept})
    assert r.status_code == 207
    assert r.headers["Content-Length"] == b.headers["Content-Length"]
    assert r.data == b.data


def test_collected_path_failing_half_way_notes_it() -> None:
    c = Client(LintMiddleware(MultiStatusMiddleware(make_app(Source(fail_at=1)), policy="collapse-uniform")))
    r = c.get("/", headers={"Accept": "application/json"})
    assert r.status_code == 207
    assert ms.from_json(r.data).description == "The listing failed after 1 items; the rest were not sent."


def test_not_acceptable_is_406() -> None:
    source = Source()
    r = client(make_app(source), strict=True).get("/", headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert source.closed


def test_invalid_sync_token_fails_before_anything_is_sent() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        return respond_stream(environ, start_response, RESPONSES, sync_token="not a uri \x00")

    assert client(app).get("/").status_code == 500
