"""multistatus.testing: assertions over real responses, and their failure messages."""

from __future__ import annotations

import json

import pytest
from werkzeug.test import Client

import multistatus as ms
from multistatus.demo import SAMPLE_ITEMS, batch_app
from multistatus.testing import assert_items, assert_problem, items_table

CLIENT = Client(batch_app("200-if-all-succeeded"))
SAVED = [f"/items/{i}" for i in (1, 2, 3, 5, 6, 8, 9)]
FAILED = {"/items/4": (422, "invalid"), "/items/7": (403, "forbidden"), "/items/10": 429}


def sample(**headers: str) -> object:
    return CLIENT.post("/batch", json=list(SAMPLE_ITEMS), headers=headers)


def test_assert_items_passes_and_returns_the_document() -> None:
    doc = assert_items(
        sample(),
        status=207,
        succeeded=SAVED,
        failed=FAILED,
        summary={"succeeded": 7, "by_status": {201: 7, 403: 1, 422: 1, 429: 1}},
    )
    assert len(doc.responses) == 10
    assert_items(sample(Accept="application/xml"), succeeded=SAVED, failed=FAILED)
    assert_items(doc, failed={"/items/4": (422, None), "/items/7": 403, "/items/10": 429})


def test_failure_messages_show_the_table() -> None:
    with pytest.raises(AssertionError) as info:
        assert_items(
            sample(),
            status=200,
            succeeded=[*SAVED[1:], "/items/4", "/items/99"],
            failed={"/items/7": (403, "nope"), "/items/2": 500, "/items/98": 409},
            summary={"failed": 2},
        )
    message = str(info.value)
    for line in (
        "the HTTP status is 207, expected 200",
        "/items/4 did not succeed",
        "/items/99 did not succeed (not in the answer)",
        "/items/1 succeeded, not expected",
        "/items/7 failed with 403 forbidden, expected 403 nope",
        "/items/2 did not fail",
        "/items/98 did not fail (not in the answer)",
        "/items/10 failed, not expected",
        "summary.failed is 3, expected 2",
        "/items/10  429     rate_limited  Too many items in one request.",
    ):
        assert line in message, line
    with pytest.raises(AssertionError, match="failed with 422, expected 409"):
        assert_items(ms.MultiStatus([ms.Response("/a", status=422)]), failed={"/a": 409})


def test_items_table_of_propstat_responses() -> None:
    doc = ms.MultiStatus([ms.Response("/dav/", propstats=[ms.PropStat({"{DAV:}displayname": "x"})])])
    assert items_table(doc).splitlines()[1] == "/dav/  propstat"


def test_assert_problem() -> None:
    bad = CLIENT.post("/batch", data=b"[oops", headers={"Accept": "application/problem+json"})
    error = assert_problem(bad, 400, content_type="application/problem+json")
    assert error.problem["detail"].startswith("the request body is not JSON")
    with pytest.raises(AssertionError) as info:
        assert_problem(bad, 413, code="too_big", content_type="application/xml")
    assert str(info.value).splitlines() == [
        "the HTTP status is 400, expected 413",
        "the Content-Type is application/problem+json, expected application/xml",
        "the code is None, expected 'too_big'",
    ]
    with pytest.raises(AssertionError, match="got a multistatus:\nhref"):
        assert_problem(sample(), 400)
    html = CLIENT.get("/batch", headers={"Accept": "text/html"})
    html.data = b"<html><h1>Oops</h1></html>"
    with pytest.raises(AssertionError, match="not a problem document"):
        assert_problem(html, 207)
    with pytest.raises(AssertionError, match=r"expected a multistatus, got: .*problem"):
        assert_items(bad)


def test_over_other_clients_bodies() -> None:
    body = json.dumps({"responses": [{"href": "/a", "status": 201}]}).encode()

    class Captured:
        status_code = 207
        headers = {"Content-Type": "application/json"}  # noqa: RUF012
        content = body

    assert_items(Captured(), status=207, succeeded=["/a"], failed={})


def test_nothing_asked_checks_only_that_it_is_a_multistatus() -> None:
    assert len(assert_items(sample()).responses) == 10
