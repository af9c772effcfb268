"""Mistakes are caught where they are made: the collector refuses what a multistatus cannot say.

RFC 4918 §13 lists each resource once in a multistatus, and an href names a
resource, never a fragment of one.  A batch handler that records an item twice
(a retry loop, two threads on one item) or an href with ``#`` is told at the
second record, with the item named, not at ``build()`` or by a client.
"""

from __future__ import annotations

import json
import re
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

import multistatus as ms
from tests.conftest import scaled

SETTINGS = scaled(1)


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        pytest.param(
            lambda r: r.succeeded("/items/1", status=201),
            lambda r: r.failed("/items/1", status=409),
            "href '/items/1' was recorded already",
            id="same-href",
        ),
        pytest.param(
            lambda r: r.succeeded("/items/1", id="7"),
            lambda r: r.failed("/items/2", status=422, id="7"),
            "id '7' was recorded already",
            id="same-id",
        ),
        pytest.param(
            lambda r: r.add(ms.Response(["/a", "/b"], status=423)),
            lambda r: r.propfind("/b", {"{DAV:}getetag": '"1"'}),
            "href '/b' was recorded already",
            id="second-href-of-a-status-form",
        ),
        pytest.param(
            lambda r: r.propfind("/dav/a.txt"),
            lambda r: r.proppatch("/dav/a.txt", ["{urn:x}p"]),
            "href '/dav/a.txt' was recorded already",
            id="propfind-then-proppatch",
        ),
    ],
)
def test_the_second_record_of_an_item_is_refused_naming_it(first: object, second: object, message: str) -> None:
    results = ms.Results()
    first(results)  # type: ignore[operator]
    with pytest.raises(ValueError, match=message):
        second(results)  # type: ignore[operator]
    assert len(results) == 1  # the refused one is not recorded


def test_the_same_response_added_twice_is_refused() -> None:
    results = ms.Results()
    response = ms.Response("/a", status=200)
    results.add(response)
    with pytest.raises(ValueError, match="href '/a' was recorded already"):
        results.add(response)


@pytest.mark.parametrize("href", ["/items/1#x", "#", "http://example.com/a#frag"])
def test_an_href_with_a_fragment_is_refused(href: str) -> None:
    results = ms.Results()
    with pytest.raises(ValueError, match="has a fragment"):
        results.succeeded(href)
    assert len(results) == 0


def test_a_refused_record_leaves_the_others_free() -> None:
    results = ms.Results()
    results.succeeded("/a", id="1")
    with pytest.raises(ValueError, match="id '1'"):
        results.succeeded("/b", id="1")  # the href /b was not kept by the refused record
    results.succeeded("/b", id="2")
    assert [r.href for r in results.build()] == ["/a", "/b"]


@SETTINGS
@given(st.lists(st.sampled_from(["/a", "/b", "/c", "/d"]), min_size=1, max_size=12))
def test_every_href_is_recorded_at_most_once(hrefs: list[str]) -> None:
    results = ms.Results()
    refused = 0
    for href in hrefs:
        try:
            results.succeeded(href)
        except ValueError:
            refused += 1
    doc = results.build()
    assert [r.href for r in doc] == list(dict.fromkeys(hrefs))
    assert refused == len(hrefs) - len(set(hrefs))


def test_threads_recording_one_item_get_one_success_between_them() -> None:
    for _ in range(50):
        results = ms.Results()
        start = threading.Barrier(8)
        outcomes: list[bool] = []

        def record(
            results: ms.Results = results, start: threading.Barrier = start, outcomes: list[bool] = outcomes
        ) -> None:
            start.wait()
            try:
                results.succeeded("/items/1")
            except ValueError:
                outcomes.append(False)
            else:
                outcomes.append(True)

        threads = [threading.Thread(target=record) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert outcomes.count(True) == 1
        assert len(results) == 1


# -- a Results is accepted wherever a MultiStatus is; other values are named --------------------
def _collected() -> ms.Results:
    results = ms.Results()
    results.succeeded("/items/1", status=201)
    results.failed("/items/2", status=422, code="invalid")
    return results


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(ms.to_json, id="to_json"),
        pytest.param(ms.to_xml, id="to_xml"),
        pytest.param(ms.to_dict, id="to_dict"),
        pytest.param(ms.to_html, id="to_html"),
        pytest.param(lambda d: ms.reply(d, accept="application/json").body, id="reply"),
    ],
)
def test_a_results_is_built_where_a_document_is_taken(call: object) -> None:
    results = _collected()
    assert call(results) == call(results.build())  # type: ignore[operator]


def test_the_wsgi_answer_takes_a_results() -> None:
    from werkzeug.test import Client

    from multistatus.wsgi import respond

    def app(environ: dict[str, object], start_response: object) -> object:
        return respond(environ, start_response, _collected())  # type: ignore[arg-type]

    r = Client(app).post("/", headers={"Accept": "application/json"})
    assert r.status_code == 207
    assert ms.from_json(r.data) == _collected().build()


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        pytest.param({"responses": []}, r"ms.from_dict\(\)", id="dict"),
        pytest.param(b"<D:multistatus/>", r"ms.from_xml\(\), ms.from_json\(\) or ms.from_body\(\)", id="bytes"),
        pytest.param([ms.Response("/a", status=200)], r"ms.MultiStatus\(\[...\]\)", id="list-of-responses"),
        pytest.param(42, "not int$", id="int"),
    ],
)
def test_a_wrong_value_is_named_with_what_to_call(value: object, hint: str) -> None:
    with pytest.raises(TypeError, match=r"to_json\(\) takes a MultiStatus \(or a Results, which it builds\)") as info:
        ms.to_json(value)  # type: ignore[arg-type]
    assert re.search(hint, str(info.value))
    with pytest.raises(TypeError, match=r"reply\(\) takes a MultiStatus"):
        ms.reply(value)  # type: ignore[arg-type]


def test_from_response_of_decoded_json_points_to_from_dict() -> None:
    with pytest.raises(TypeError, match=r"for the JSON form already decoded, use multistatus.from_dict\(data\)"):
        ms.from_response({"responses": []})


@pytest.mark.parametrize("items", [{"id": "2"}, "/items/2", b"/items/2"], ids=["dict", "str", "bytes"])
def test_retry_plan_of_one_item_instead_of_a_list_is_refused(items: object) -> None:
    doc = ms.MultiStatus([ms.Response("/items/2", status=429, id="2")])
    with pytest.raises(TypeError, match=r"retry_plan\(\) takes the items of the request \(a list\)"):
        ms.retry_plan(doc, items)  # type: ignore[arg-type]
    assert ms.retry_plan(doc, [{"id": "2"}]).items == ({"id": "2"},)


@pytest.mark.parametrize(
    "body",
    [
        b'<D:multistatus xmlns:D="DAV:">\n<D:response>\n<D:href>/a',
        b'<D:multistatus xmlns:D="DAV:">\n<D:response></D:href>',
        b'<D:multistatus xmlns:D="DAV:">\n<b>\n</D:multistatus>',
    ],
    ids=["premature-end", "mismatch", "mismatch-plain"],
)
def test_a_parse_error_says_its_position_once(body: bytes) -> None:
    for read in (ms.from_xml, lambda b: list(ms.iter_xml(b))):
        with pytest.raises(ms.ParseError) as info:
            read(body)
        message = str(info.value)
        assert message.count("column") == 1, message
        assert re.search(r"\(line \d+, column \d+\)$", message), message


# -- one invalid item is its own 422, never the whole batch's -------------------------------
def test_a_pydantic_model_refuses_items_one_by_one() -> None:
    pydantic = pytest.importorskip("pydantic")

    class UserIn(pydantic.BaseModel):  # type: ignore[misc, name-defined]
        id: str
        name: str
        age: int

    results = ms.Results()
    body = b'[{"id": "1", "name": "a", "age": 3}, {"id": "2", "name": "b", "age": "x"}, {"id": "3"}]'
    users = ms.read_batch(body, item=UserIn, results=results, href="/users/{id}")
    assert [u.id for u in users] == ["1"]
    refused = {r.href: r for r in results.build()}
    assert set(refused) == {"/users/2", "/users/3"}
    assert refused["/users/2"].status.code == 422
    assert refused["/users/2"].id == "2"
    assert [e["pointer"] for e in refused["/users/2"].error.problem["errors"]] == ["/age"]
    assert sorted(e["pointer"] for e in refused["/users/3"].error.problem["errors"]) == ["/age", "/name"]
    # Both representations carry the locations.
    doc = results.build()
    assert ms.from_json(ms.to_json(doc)) == doc == ms.from_xml(ms.to_xml(doc))


def test_a_callable_validates_and_an_item_without_id_is_named_by_position() -> None:
    def positive(raw: object) -> int:
        if not isinstance(raw, int) or raw <= 0:
            raise ValueError("a positive integer")
        return raw

    results = ms.Results()
    assert ms.read_batch(b'[1, -2, "x", 4]', item=positive, results=results, href="/n/{id}") == [1, 4]
    assert [(r.href, ms.to_dict(ms.MultiStatus([r]))["responses"][0]["error"]["errors"]) for r in results] == [
        ("/n/2", [{"pointer": "", "detail": "a positive integer"}]),
        ("/n/3", [{"pointer": "", "detail": "a positive integer"}]),
    ]


def test_hostile_ids_and_many_errors_stay_carried() -> None:
    pydantic = pytest.importorskip("pydantic")
    fields = {f"f{i}": (int, ...) for i in range(100)}
    wide = pydantic.create_model("Wide", **fields)
    results = ms.Results()
    items = [{"id": "a/b c"}, {"id": "\x00"}, {"id": True}]
    assert ms.read_batch(json.dumps(items), item=wide, results=results, href="/w/{id}") == []
    hrefs = [r.href for r in results]
    assert hrefs == ["/w/a%2Fb%20c", "/w/2", "/w/3"]  # quoted; a NUL or a boolean id: the position
    assert all(len(r.error.problem["errors"]) == 20 for r in results)  # bounded per item
    ms.to_xml(results.build())  # carried by both codecs


def test_item_needs_a_collector() -> None:
    with pytest.raises(TypeError, match="needs results="):
        ms.read_batch(b"[1]", item=int)
    with pytest.raises(TypeError, match="pydantic model or a callable"):
        ms.read_batch(b"[1]", item=42, results=ms.Results())  # type: ignore[arg-type]


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient` is deprecated")
def test_fastapi_keeps_the_batch_when_one_item_is_invalid() -> None:
    pytest.importorskip("fastapi")
    pydantic = pytest.importorskip("pydantic")
    from fastapi import FastAPI, Request
    from fastapi.testclient import TestClient

    from multistatus.asgi import get_results, install, response

    class ItemIn(pydantic.BaseModel):  # type: ignore[misc, name-defined]
        id: str
        name: str

    app = FastAPI()
    install(app)

    async def items(request: Request) -> object:
        results = get_results(request)
        for one in ms.read_batch(await request.body(), item=ItemIn, results=results, href="/items/{id}"):
            results.succeeded(f"/items/{one.id}", status=201, id=one.id)
        return response(request)

    items.__annotations__ = {"request": Request}  # (this module's annotations are strings; Request is local)
    app.post("/items")(items)

    r = TestClient(app).post(
        "/items", json=[{"id": "1", "name": "a"}, {"id": "2"}], headers={"Accept": "application/json"}
    )
    assert r.status_code == 207
    doc = ms.from_response(r)
    assert [(x.href, x.status.code) for x in doc] == [("/items/2", 422), ("/items/1", 201)]
