"""Acting on results: grouping, raise_for_failures, retry_after, retry_plan."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

import multistatus as ms
from tests.conftest import all_cases

NOW = datetime(2026, 11, 22, 12, 0, 0, tzinfo=timezone.utc)

# The seeds' scenario: a bulk create of 10 items; 7 saved, one invalid, one forbidden, one rate-limited.
BATCH = [{"id": str(i), "name": f"item {i}"} for i in range(1, 11)]
SEEDS = ms.MultiStatus(
    [ms.Response(f"/items/{i}", status=201, id=str(i), location=f"/items/{i}") for i in range(1, 8)]
    + [
        ms.Response("/items/8", status=422, id="8", error=ms.Error(code="invalid", message="name is empty")),
        ms.Response("/items/9", status=403, id="9", error=ms.Error(code="forbidden", message="read-only folder")),
        ms.Response(
            "/items/10",
            status=429,
            id="10",
            headers={"retry-after": "30"},
            error=ms.Error(code="rate_limited", message="Retry later."),
        ),
    ]
)


def test_group_by_status_lists_partial_responses_under_each_code() -> None:
    doc = ms.MultiStatus(
        [
            ms.Response("/a", propstats=[ms.PropStat({"{DAV:}getetag": "1"}), ms.PropStat({"{DAV:}x": None}, 404)]),
            ms.Response("/b", status=404),
            ms.Response("/c", propstats=[ms.PropStat({"{DAV:}y": None}, 404), ms.PropStat({"{DAV:}z": None}, 404)]),
        ]
    )
    groups = doc.group_by_status()
    assert list(groups) == [200, 404]
    assert [r.href for r in groups[404]] == ["/a", "/b", "/c"]


def test_group_by_error_uses_codes_types_conditions_and_propstat_errors() -> None:
    protected = ms.Error(["{DAV:}cannot-modify-protected-property"])
    doc = ms.MultiStatus(
        [
            ms.Response("/ok", status=200),
            ms.Response("/typed", status=400, error=ms.Error(type="https://example.com/probs/bad")),
            ms.Response(
                "/pp",
                propstats=[
                    ms.PropStat({"{DAV:}getetag": None}, 403, error=protected),
                    ms.PropStat({"{x:}a": None}, 424),
                ],
            ),
            ms.Response("/empty-error", status=500, error=ms.Error()),
        ]
    )
    groups = doc.group_by_error()
    assert {k: [r.href for r in v] for k, v in groups.items()} == {
        "https://example.com/probs/bad": ["/typed"],
        "{DAV:}cannot-modify-protected-property": ["/pp"],
        None: ["/empty-error"],
    }


def test_seeds_batch_groups() -> None:
    assert {k: [r.id for r in v] for k, v in SEEDS.group_by_error().items()} == {
        "invalid": ["8"],
        "forbidden": ["9"],
        "rate_limited": ["10"],
    }
    assert {k: len(v) for k, v in SEEDS.group_by_status().items()} == {201: 7, 403: 1, 422: 1, 429: 1}


def test_raise_for_failures_lists_every_failed_item() -> None:
    with pytest.raises(ms.FailedItems) as info:
        SEEDS.raise_for_failures()
    exc = info.value
    assert [r.id for r in exc.failures] == ["8", "9", "10"]
    assert exc.document is SEEDS
    assert str(exc) == (
        "3 of 10 items failed: item 8 (/items/8) 422 invalid: name is empty; "
        "item 9 (/items/9) 403 forbidden: read-only folder; item 10 (/items/10) 429 rate_limited: Retry later."
    )
    again = pickle.loads(pickle.dumps(exc))
    assert str(again) == str(exc)
    assert isinstance(exc, ms.MultiStatusError)


def test_raise_for_failures_partial_and_long_lists() -> None:
    partial = ms.MultiStatus(
        [ms.Response("/a", propstats=[ms.PropStat({"{DAV:}x": "1"}), ms.PropStat({"{DAV:}y": None}, 404)])]
    )
    partial.raise_for_failures()  # a PROPFIND's missing properties are not failures by default
    with pytest.raises(ms.FailedItems, match=r"^1 of 1 item failed: /a 404$"):
        partial.raise_for_failures(partial=True)
    many = ms.MultiStatus([ms.Response(f"/x/{i}", status=500) for i in range(60)])
    with pytest.raises(ms.FailedItems, match=r"; and 10 more$") as info:
        many.raise_for_failures()
    assert len(info.value.failures) == 60


def test_raise_for_failures_with_conditions_and_descriptions() -> None:
    doc = ms.MultiStatus([ms.Response("/dav/caf%C3%A9/", status=423, error=ms.Error(["{DAV:}lock-token-submitted"]))])
    with pytest.raises(ms.FailedItems, match=r"/dav/café/ 423 \{DAV:\}lock-token-submitted$"):
        doc.raise_for_failures()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("30", 30.0, id="seconds"),
        pytest.param(" 0 ", 0.0, id="zero"),
        pytest.param("Sun, 22 Nov 2026 12:01:00 GMT", 60.0, id="http-date"),
        pytest.param("Sun, 22 Nov 2026 11:00:00 GMT", 0.0, id="date-in-the-past"),
        pytest.param("Sunday, 22-Nov-26 12:00:10 GMT", 10.0, id="rfc850-date"),
        pytest.param("Sun Nov 22 12:00:05 2026", 5.0, id="asctime-date"),
        pytest.param("-5", None, id="negative"),
        pytest.param("soon", None, id="junk"),
        pytest.param("1.5", None, id="fraction"),
        pytest.param("Sun, 22 Nov 2026 12:01:00 GMT" + " x" * 30, None, id="longer-than-any-date"),
    ],
)
def test_retry_after_both_forms(value: str, expected: float | None) -> None:
    response = ms.Response("/a", status=503, headers={"retry-after": value})
    assert ms.retry_after(response, now=NOW) == expected


def test_retry_after_absent_and_default_clock() -> None:
    assert ms.retry_after(ms.Response("/a", status=503)) is None
    future = ms.Response("/a", status=503, headers={"retry-after": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert ms.retry_after(future) > 0  # type: ignore[operator]


def test_retry_plan_on_the_seeds_batch_retries_only_the_rate_limited_item() -> None:
    plan = ms.retry_plan(SEEDS, BATCH)
    assert plan
    assert plan.items == (BATCH[9],)
    assert plan.delay == 30.0
    assert [r.id for r in plan.responses] == ["10"]
    assert plan.missing == ()


def test_retry_plan_nothing_to_retry() -> None:
    doc = ms.MultiStatus([ms.Response("/a", status=201, id="1")])
    plan = ms.retry_plan(doc, [{"id": 1}])
    assert not plan
    assert plan.delay == 0.0


def test_retry_plan_matches_hrefs_as_servers_mean_them() -> None:
    doc = ms.MultiStatus(
        [
            ms.Response("http://h/dav/caf%c3%a9.txt", status=503),
            ms.Response("/dav/sub/", status=507),
            ms.Response("/dav/ok.txt", status=204),
            ms.Response(["/dav/l1", "/dav/l2"], status=423),
        ]
    )
    items = ["/dav/café.txt", "/dav/sub", "/dav/ok.txt", "/dav/l2", "/dav/gone.txt"]
    plan = ms.retry_plan(doc, items)
    assert plan.items == ("/dav/café.txt", "/dav/sub")
    assert plan.missing == ("/dav/gone.txt",)


def test_retry_plan_with_relative_hrefs_and_a_base() -> None:
    doc = ms.MultiStatus([ms.Response("a.txt", status=503)])
    assert ms.retry_plan(doc, ["http://h/dav/a.txt"], base="http://h/dav/").items == ("http://h/dav/a.txt",)


@dataclass
class Item:
    href: str
    size: int


def test_retry_plan_keys_objects_and_custom_keys() -> None:
    doc = ms.MultiStatus([ms.Response("/f/1", status=502), ms.Response("/f/2", status=201)])
    items = [Item("/f/1", 1), Item("/f/2", 2)]
    assert ms.retry_plan(doc, items).items == (items[0],)
    pairs = [("/f/1", b"one"), ("/f/2", b"two")]
    assert ms.retry_plan(doc, pairs, key=lambda pair: pair[0]).items == (pairs[0],)
    with pytest.raises(TypeError, match="key="):
        ms.retry_plan(doc, [3.5])
    with pytest.raises(TypeError, match="key="):
        ms.retry_plan(doc, [{"name": "no id"}])


@pytest.mark.parametrize(
    ("statuses", "retried"),
    [
        pytest.param([429], True, id="429"),
        pytest.param([503], True, id="503"),
        pytest.param([507], True, id="507"),
        pytest.param([500], True, id="500"),
        pytest.param([408], True, id="408"),
        pytest.param([501], False, id="501-not-implemented"),
        pytest.param([505], False, id="505"),
        pytest.param([403], False, id="403"),
        pytest.param([422], False, id="422"),
        pytest.param([424], False, id="424-alone"),
        pytest.param([503, 424], True, id="503-with-424"),
        pytest.param([403, 424], False, id="403-with-424"),
        pytest.param([200, 503], True, id="partial-503"),
        pytest.param([200, 404], False, id="partial-404"),
        pytest.param([503, 403], False, id="one-permanent-error"),
    ],
)
def test_default_retryable_statuses(statuses: list[int], retried: bool) -> None:
    response = ms.Response("/a", propstats=[ms.PropStat({f"{{x:}}p{i}": None}, s) for i, s in enumerate(statuses)])
    assert bool(ms.retry_plan(ms.MultiStatus([response]), ["/a"])) is retried


def test_retryable_is_configurable() -> None:
    doc = ms.MultiStatus([ms.Response("/a", status=409), ms.Response("/b", status=424), ms.Response("/c", status=503)])
    assert ms.retry_plan(doc, ["/a", "/b", "/c"], retryable={409}).items == ("/a",)
    assert ms.retry_plan(doc, ["/a", "/b", "/c"], retryable=ms.DEFAULT_RETRYABLE | {424}).items == ("/b", "/c")
    assert ms.retry_plan(doc, ["/a", "/b", "/c"], retryable=lambda r: r.href == "/b").items == ("/b",)


def test_retry_plan_takes_the_longest_retry_after() -> None:
    doc = ms.MultiStatus(
        [
            ms.Response("/a", status=429, headers={"retry-after": "5"}),
            ms.Response("/b", status=503, headers={"retry-after": "Sun, 22 Nov 2026 12:02:00 GMT"}),
            ms.Response("/c", status=503),
        ]
    )
    assert ms.retry_plan(doc, ["/a", "/b", "/c"], now=NOW).delay == 120.0


def test_retry_plan_on_the_apache_locked_delete() -> None:
    """Apache's 424 answer lists the locked member (423): not retryable without the lock token."""
    case = next(c for c in all_cases() if c.server == "apache2" and c.name == "22-delete-collection-locked-member")
    doc = ms.from_xml(case.body())
    plan = ms.retry_plan(doc, [r.href for r in doc])
    assert not plan
    assert plan.missing == ()


def test_an_unhashable_missing_name_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match="str"):
        ms.Results().propfind("/a", missing=[["not", "a", "name"]])  # type: ignore[list-item]


def test_recording_and_reading_have_distinct_words_and_the_earlier_spellings_stay() -> None:
    results = ms.Results()
    results.record_success("/items/1", status=201, id="1")
    results.failed("/items/2", status=429, id="2", code="rate_limited")  # the earlier spelling
    with results.item("/items/3", id="3") as handle:
        handle.record_failure(status=422, code="invalid")
    with results.item("/items/4", id="4") as handle:
        handle.succeeded(status=201)  # the earlier spelling
    doc = results.build()
    assert [r.id for r in doc.failed()] == ["2", "3"]  # reading
    refused = doc.failed()[0]
    assert (refused.status_code, refused.code) == (429, 429)
    assert refused.error is not None
    assert (refused.error.problem_code, refused.error.code) == ("rate_limited", "rate_limited")
    assert ms.Results.succeeded is ms.Results.record_success
    assert ms.Results.failed is ms.Results.record_failure
