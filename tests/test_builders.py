"""Results: collecting per-item results for REST batches, PROPFIND and PROPPATCH."""

from __future__ import annotations

import json
import logging
import threading

import jsonschema
import pytest

import multistatus as ms

LOCK_TOKEN = "{DAV:}lock-token-submitted"


def _seed_batch() -> ms.Results:
    """The seeds' scenario: 10 items, 7 saved, one invalid, one forbidden, one rate-limited."""
    results = ms.Results()
    for i in range(1, 8):
        results.succeeded(f"/items/{i}", status=201, id=str(i), location=f"/items/{i}", body={"id": i})
    results.failed("/items/8", status=422, id="8", code="invalid", message="'price' must be a number")
    results.failed("/items/9", status=403, id="9", code="forbidden", message="Not your item")
    results.failed("/items/10", status=429, id="10", code="rate_limited", message="Retry later.", retry_after=30)
    return results


def test_ten_item_batch() -> None:
    doc = _seed_batch().build()
    summary = doc.summary
    assert (summary.total, summary.succeeded, summary.failed) == (10, 7, 3)
    assert dict(summary.by_status) == {201: 7, 403: 1, 422: 1, 429: 1}
    last = doc.responses[-1]
    assert last.id == "10"
    assert last.headers == {"retry-after": "30"}
    assert last.error is not None
    assert dict(last.error.problem) == {"code": "rate_limited", "message": "Retry later."}
    first = json.loads(ms.to_json(doc))["responses"][0]
    assert first == {"id": "1", "href": "/items/1", "status": 201, "location": "/items/1", "body": {"id": 1}}
    jsonschema.validate(json.loads(ms.to_json(doc)), ms.json_schema())
    assert ms.from_xml(ms.to_xml(doc)) == doc


def test_len_iteration_and_responses() -> None:
    results = _seed_batch()
    assert len(results) == 10
    assert [r.href for r in results] == [f"/items/{i}" for i in range(1, 11)]
    assert results.responses == results.build().responses
    assert repr(results) == "<Results: 10 responses>"


def test_failed_builds_a_problem_and_conditions() -> None:
    r = ms.Results().failed(
        "/dav/locked/",
        status=423,
        type="https://example.com/probs/locked",
        title="Locked",
        detail="The collection is locked.",
        conditions=[ms.Element(LOCK_TOKEN, [ms.Element("{DAV:}href", "/dav/locked/")]), "{urn:x}other"],
    )
    assert r.error is not None
    assert r.error.condition_names == (LOCK_TOKEN, "{urn:x}other")
    assert r.error.type == "https://example.com/probs/locked"
    assert r.error.message == "The collection is locked."


def test_failed_without_details_has_no_error() -> None:
    assert ms.Results().failed("/a", status=404).error is None


@pytest.mark.parametrize(
    ("retry_after", "header"),
    [
        pytest.param(0, "0", id="zero"),
        pytest.param(120, "120", id="seconds"),
        pytest.param(" 30 ", "30", id="seconds-str"),
        pytest.param("Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", id="http-date"),
    ],
)
def test_retry_after(retry_after: int | str, header: str) -> None:
    r = ms.Results().failed("/a", status=503, retry_after=retry_after)
    assert r.headers["retry-after"] == header
    assert ms.retry_after(r) is not None


def test_failed_keeps_the_item_headers_beside_retry_after() -> None:
    alone = ms.Results().failed("/a", status=503, headers={"X-Trace": "7"})
    assert dict(alone.headers) == {"x-trace": "7"}
    assert ms.retry_after(alone) is None
    both = ms.Results().failed("/a", status=503, headers={"X-Trace": "7"}, retry_after=5)
    assert dict(both.headers) == {"x-trace": "7", "retry-after": "5"}
    assert ms.retry_after(both) == 5.0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        pytest.param({"retry_after": -1}, ValueError, "negative", id="negative"),
        pytest.param({"retry_after": "soon"}, ValueError, "neither", id="not-a-date"),
        pytest.param({"retry_after": 1.5}, TypeError, "int seconds", id="float"),
        pytest.param({"retry_after": True}, TypeError, "int seconds", id="bool"),
        pytest.param({"retry_after": 5, "headers": {"Retry-After": "5"}}, ValueError, "not both", id="twice"),
        pytest.param({"status": 200}, ValueError, "4xx or 5xx", id="success-status"),
    ],
)
def test_failed_refuses(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    kwargs.setdefault("status", 429)
    with pytest.raises(error, match=match):
        ms.Results().failed("/a", **kwargs)  # type: ignore[arg-type]


def test_succeeded_refuses_an_error_status() -> None:
    results = ms.Results()
    with pytest.raises(ValueError, match="2xx"):
        results.succeeded("/a", status=404)
    assert len(results) == 0


def test_add_takes_responses_only() -> None:
    with pytest.raises(TypeError, match="Response"):
        ms.Results().add("/a")  # type: ignore[arg-type]


def test_build_keeps_description_and_token() -> None:
    doc = ms.Results(description="done", sync_token="http://example.com/sync/3").build()
    assert (doc.description, doc.sync_token, doc.responses) == ("done", "http://example.com/sync/3", ())
    with pytest.raises(ValueError, match="cannot carry"):
        ms.Results(description="\0")


# -- PROPFIND --------------------------------------------------------------------
def test_propfind_groups_by_status() -> None:
    r = ms.Results().propfind(
        "/dav/a.txt",
        {"{DAV:}getetag": '"1"', "{DAV:}resourcetype": [ms.Element("{DAV:}collection")]},
        missing=["{urn:x}color"],
        forbidden=["{DAV:}acl"],
    )
    assert [(ps.status.code, ps.names) for ps in r.propstats] == [
        (200, ("{DAV:}getetag", "{DAV:}resourcetype")),
        (404, ("{urn:x}color",)),
        (403, ("{DAV:}acl",)),
    ]
    assert r.outcome == "partial"


def test_propfind_takes_property_values_and_skips_empty_groups() -> None:
    r = ms.Results().propfind("/a", [ms.Property("{DAV:}displayname", "Datei", lang="de")])
    assert len(r.propstats) == 1
    prop = r.prop("{DAV:}displayname")
    assert prop is not None
    assert prop.lang == "de"
    only_missing = ms.Results().propfind("/a", missing=["{DAV:}x"])
    assert [ps.status.code for ps in only_missing.propstats] == [404]


def test_propfind_with_nothing_has_one_empty_200_propstat() -> None:
    r = ms.Results().propfind("/a")
    assert [(ps.status.code, ps.props) for ps in r.propstats] == [(200, ())]


# -- PROPPATCH -------------------------------------------------------------------
def test_proppatch_all_succeeded() -> None:
    r = ms.Results().proppatch("/a", ["{urn:x}a", "{urn:x}b", "{urn:x}a"])
    assert [(ps.status.code, ps.names) for ps in r.propstats] == [(200, ("{urn:x}a", "{urn:x}b"))]


def test_proppatch_one_failure_makes_the_rest_424() -> None:
    """RFC 4918 §9.2.1: the method is atomic, so every other property failed too."""
    conflict = ms.Error(["{DAV:}cannot-modify-protected-property"])
    r = ms.Results().proppatch(
        "/a",
        ["{DAV:}getetag", "{urn:x}a", "{DAV:}getlastmodified", "{urn:x}b"],
        {"{DAV:}getetag": (403, conflict), "{DAV:}getlastmodified": (ms.Status(403), conflict), "{urn:x}b": 409},
    )
    assert [(ps.status.code, ps.names, ps.error) for ps in r.propstats] == [
        (403, ("{DAV:}getetag", "{DAV:}getlastmodified"), conflict),
        (409, ("{urn:x}b",), None),
        (424, ("{urn:x}a",), None),
    ]
    assert r.outcome == "failed"


def test_proppatch_where_everything_failed_has_no_424() -> None:
    r = ms.Results().proppatch("/a", ["{urn:x}a"], {"{urn:x}a": 507})
    assert [ps.status.code for ps in r.propstats] == [507]


@pytest.mark.parametrize(
    ("failures", "error", "match"),
    [
        pytest.param({"{urn:x}zzz": 403}, ValueError, "not among", id="unknown-name"),
        pytest.param({"{urn:x}a": 200}, ValueError, "2xx", id="success-status"),
        pytest.param({"{urn:x}a": (403, "nope")}, TypeError, "Error", id="bad-tuple"),
    ],
)
def test_proppatch_refuses(failures: dict[str, ms.Status], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        ms.Results().proppatch("/a", ["{urn:x}a"], failures)  # type: ignore[arg-type]


# -- item() ------------------------------------------------------------------------
def test_item_records_its_result_at_the_end() -> None:
    results = ms.Results()
    with results.item("/items/1", id="1") as item:
        r = item.succeeded(status=201, location="/items/1", headers={"ETag": '"1"'})
        assert len(results) == 0
    assert results.responses == (r,)
    assert (r.id, r.headers["etag"]) == ("1", '"1"')
    with results.item("/items/2", id="2") as item:
        item.failed(status=409, code="conflict", retry_after=5)
    assert results.responses[1].error.code == "conflict"  # type: ignore[union-attr]
    assert results.responses[1].id == "2"


def test_item_exception_becomes_a_500_without_details(caplog: pytest.LogCaptureFixture) -> None:
    results = ms.Results()
    with caplog.at_level(logging.ERROR, logger="multistatus"), results.item("/items/9", id="9") as item:
        item.succeeded()
        raise RuntimeError("secret connection string")
    (r,) = results.responses
    assert (r.status, r.id) == (ms.Status(500), "9")
    assert r.error is not None
    assert dict(r.error.problem) == {"code": "internal_error", "message": "Internal Server Error"}
    assert "secret" not in ms.to_json(results.build()).decode()
    assert "secret" not in ms.to_xml(results.build()).decode()
    (record,) = caplog.records
    assert record.name == "multistatus"
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert "/items/9" in record.getMessage()


def test_item_without_result_is_a_500(caplog: pytest.LogCaptureFixture) -> None:
    results = ms.Results()
    with caplog.at_level(logging.ERROR, logger="multistatus"), results.item("/items/3"):
        pass
    (r,) = results.responses
    assert r.status == ms.Status(500)
    assert r.error is not None
    assert r.error.code == "no_result"
    assert [rec.levelno for rec in caplog.records] == [logging.ERROR]


def test_item_records_exactly_one_result() -> None:
    results = ms.Results()
    with results.item("/a") as item:
        item.succeeded()
        with pytest.raises(RuntimeError, match="already recorded"):
            item.failed(status=500)
    assert len(results) == 1
    with results.item("/b") as item, pytest.raises(TypeError, match="item"):
        item.failed(status=500, id="x")


def test_item_lets_base_exceptions_through() -> None:
    results = ms.Results()
    with pytest.raises(KeyboardInterrupt), results.item("/a"):
        raise KeyboardInterrupt
    assert len(results) == 0


def test_threads_share_one_collector() -> None:
    results = ms.Results()
    start = threading.Barrier(8, timeout=10)

    def work(worker: int) -> None:
        start.wait()
        for i in range(50):
            with results.item(f"/w{worker}/{i}", id=f"{worker}-{i}") as item:
                if i % 7 == 0:
                    raise ValueError("boom")
                item.succeeded(status=201)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    logging.getLogger("multistatus").disabled = True
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        logging.getLogger("multistatus").disabled = False
    assert not any(t.is_alive() for t in threads)
    doc = results.build()
    assert len(doc.responses) == 400
    assert len({r.id for r in doc}) == 400
    assert doc.summary.by_status == {201: 336, 500: 64}


def test_item_refuses_an_unusable_id_before_the_block_runs() -> None:
    results = ms.Results()
    ran = []
    with pytest.raises(ValueError, match=r"XML 1\.0 cannot carry"), results.item("/items/1", id="a\x00"):
        ran.append(True)
    assert ran == []
    assert len(results) == 0


def test_a_builder_that_does_not_build_a_multistatus_is_refused() -> None:
    class Draft:  # a __multistatus__ that hands back the JSON form instead of a MultiStatus
        def __multistatus__(self) -> object:
            return {"responses": []}

    for write in (ms.to_xml, ms.to_json):
        with pytest.raises(TypeError, match=r"takes a MultiStatus .* not Draft"):
            write(Draft())  # type: ignore[arg-type]
