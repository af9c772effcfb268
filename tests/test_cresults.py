"""``Results.succeeded`` and ``Results.failed`` record through ``_cvalues.c`` what Python records.

The C builders take the common item shapes (one href, a cached status, text
id, location and problem members) and answer "no" for everything else, errors
included, which the Python path then builds or reports.  Here random arguments,
valid and not, are recorded both ways and must give equal responses, or the
same error.
"""

from __future__ import annotations

import gc
import sys
import threading
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import multistatus as ms
from multistatus._model import _items
from tests.conftest import python_constructors, scaled
from tests.strategies import documents

SETTINGS = scaled(2)
needs_c = pytest.mark.skipif(_items.c_status_responses is None, reason="multistatus._model._cvalues is not built")


class MyStatus(ms.Status):
    __slots__ = ()


HREFS = st.one_of(
    st.sampled_from(
        [
            "/items/1",
            " /padded",
            "/padded ",
            "\u3000/wide-space",
            "/x\x85",
            "",
            " ",
            "/\x00",
            "/\ud800",
            "/ü€😀",
            "http://h/x",
        ]
    ),
    st.text(max_size=5),
    st.sampled_from([None, 7, b"/bytes", ["/a", "/b"]]),
)
TEXTS = st.one_of(st.none(), st.sampled_from(["1", "", " x ", "a\tb", "\x00", "\ufffe", "ü", 5]), st.text(max_size=4))
CODES = [200, 201, 204, 207, 299, 302, 404, 422, 429, 500, 599, 600, 99, True, "201", "HTTP/1.1 422 Nope", 2.5]
STATUSES = st.sampled_from(
    [*CODES, ms.Status(201), ms.Status(201, "Made"), ms.Status(423), ms.Status(302), MyStatus(201), MyStatus(422)]
)


def outcome(record: Any) -> object:
    """The response recorded (with its repr and hash), or the type and message of the error raised."""
    results = ms.Results()
    try:
        response = record(results)
    except (TypeError, ValueError) as exc:
        return type(exc), str(exc)
    assert results.responses == (response,)
    return response, repr(response), hash(response), type(response), type(response.status)


def both(record: Any) -> tuple[object, object]:
    fast = outcome(record)
    with python_constructors():
        slow = outcome(record)
    return fast, slow


@needs_c
@SETTINGS
@given(HREFS, STATUSES, TEXTS, TEXTS)
def test_succeeded_records_what_python_records(href: Any, status: Any, id: Any, location: Any) -> None:  # noqa: A002
    fast, slow = both(lambda results: results.succeeded(href, status=status, id=id, location=location))
    assert fast == slow


@needs_c
@SETTINGS
@given(HREFS, STATUSES, TEXTS, st.lists(TEXTS, min_size=5, max_size=5))
def test_failed_records_what_python_records(href: Any, status: Any, id: Any, members: list[Any]) -> None:  # noqa: A002
    problem = dict(zip(("type", "title", "detail", "code", "message"), members, strict=True))
    fast, slow = both(lambda results: results.failed(href, status=status, id=id, **problem))
    assert fast == slow


@needs_c
def test_the_common_shapes_are_built_in_c() -> None:
    """Not only equal: the common shapes do take the C path (a Python error would show otherwise)."""
    succeeded, failed = _items.c_status_responses  # type: ignore[misc]
    ms.Status.of(201), ms.Status.of(422)  # (cached by Python the first time)
    made = succeeded("/items/1", 201, "1", "/items/1")
    assert made == ms.Response("/items/1", status=201, id="1", location="/items/1")
    bad = failed("/items/2", 422, None, None, None, None, "invalid", "name is required")
    assert bad == ms.Response("/items/2", status=422, error=ms.Error(code="invalid", message="name is required"))
    assert bad.error.problem == {"code": "invalid", "message": "name is required"}
    assert failed("/items/3", 500, "3", None, None, None, None, None) == ms.Response("/items/3", status=500, id="3")
    for refused in (
        succeeded(" /items/1", 201, None, None),  # Python strips it
        succeeded("/items/1", 422, None, None),  # not 2xx: Python says so
        succeeded("/items/1", 201, 7, None),
        succeeded("/items/1", MyStatus(201), None, None),
        failed("/items/1", 201, None, None, None, None, None, None),
        failed("/items/1", 422, None, None, None, None, "\x00", None),
    ):
        assert refused is None


@needs_c
def test_the_values_built_in_c_are_left_to_reference_counting() -> None:
    """What the C builders make holds only untracked parts, so the collector need not see it."""
    succeeded, failed = _items.c_status_responses  # type: ignore[misc]
    bad = failed("/items/2", 422, "2", None, None, "detail", "invalid", None)
    assert bad is not None
    assert not gc.is_tracked(bad.error)
    assert not gc.is_tracked(bad.error.problem)
    assert not gc.is_tracked(bad.hrefs)
    created, invalid = ms.Status.of(201), ms.Status.of(422)
    before = sys.getrefcount(created), sys.getrefcount(invalid)
    for i in range(1000):  # (a reference leaked per call would show a thousand times)
        assert succeeded(f"/items/{i}", 201, str(i), "/l") is not None
        assert failed(f"/items/{i}", invalid, None, "t", None, None, "c", "m") is not None
    assert (sys.getrefcount(created), sys.getrefcount(invalid)) == before


@needs_c
def test_the_c_builders_check_their_arguments() -> None:
    module = pytest.importorskip("multistatus._model._cvalues")
    with pytest.raises(TypeError, match="4 arguments"):
        module.succeeded("/a")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="8 arguments"):
        module.failed("/a", 422)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="4 arguments"):
        module.setup_responses()  # type: ignore[call-arg]


def test_a_module_that_refuses_the_response_classes_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from multistatus._model import _accel

    module = pytest.importorskip("multistatus._model._cvalues")

    def refuse(*args: object) -> None:
        raise TypeError("Response.hrefs is not a slot")

    monkeypatch.delenv("MULTISTATUS_PURE_PYTHON", raising=False)
    monkeypatch.setattr(module, "setup_responses", refuse)
    assert _accel.load() is None


def test_threads_recording_at_once_lose_nothing() -> None:
    """Recording is one atomic append: eight threads, 2,000 items each, all kept in each thread's order."""
    results = ms.Results()
    start = threading.Barrier(8, timeout=10)

    def work(worker: int) -> None:
        start.wait()
        for i in range(2000):
            if i % 3:
                results.succeeded(f"/w{worker}/{i}", status=201)
            else:
                results.failed(f"/w{worker}/{i}", status=422, code="invalid")

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 16_000
    for worker in range(8):
        mine = [r.href for r in results.responses if r.href.startswith(f"/w{worker}/")]
        assert mine == [f"/w{worker}/{i}" for i in range(2000)]


# -- the summary: counted in C for status-form responses ----------------------------


@SETTINGS
@given(documents())
def test_the_summary_is_counted_the_same_both_ways(doc: ms.MultiStatus) -> None:
    fast = doc.summary
    with python_constructors():
        slow = doc.summary
    assert fast == slow
    assert list(fast.by_status) == sorted(fast.by_status)  # ascending codes, as Python sorts them


@SETTINGS
@given(documents())
def test_the_summary_text_is_what_json_writes(doc: ms.MultiStatus) -> None:
    from multistatus._json._writer import COMPACT, summary_dict, summary_text

    assert summary_text(doc.summary) == COMPACT(summary_dict(doc.summary))


@needs_c
def test_the_c_counter_leaves_to_python_what_it_does_not_count() -> None:
    module = pytest.importorskip("multistatus._model._cvalues")
    items = (ms.Response("/a", status=201), ms.Response("/b", status=422), ms.Response("/c", status=302))
    assert module.tally(items) == (3, 1, 1, 1, {201: 1, 302: 1, 422: 1})
    assert module.tally(()) == (0, 0, 0, 0, {})
    assert module.tally(list(items)) is None  # not a tuple
    assert module.tally((*items, ms.Response("/d", propstats=[ms.PropStat()]))) is None
    limited = ms.Response("/e", status=507, error=ms.Error(["{DAV:}number-of-matches-within-limits"]))
    assert module.tally((*items, limited)) is None
    assert ms.MultiStatus([*items, limited]).summary.truncated  # (Python looked at the condition)
    assert module.tally((*items, ms.Response("/f", status=507))) == (4, 1, 2, 1, {201: 1, 302: 1, 422: 1, 507: 1})
    odd = ms.Status(404)
    object.__setattr__(odd, "code", 10**30)  # a value altered behind the model's back: Python's to count
    assert module.tally((ms.Response("/g", status=odd),)) is None


def test_results_keep_description_and_sync_token_as_a_document_does() -> None:
    results = ms.Results(description="Batch done.", sync_token="  http://example.com/sync/3  ")
    results.succeeded("/a")
    doc = results.build()
    assert doc == ms.MultiStatus(doc.responses, description="Batch done.", sync_token="  http://example.com/sync/3  ")
    assert doc.sync_token == "http://example.com/sync/3"
    assert ms.Results(sync_token="   ").build().sync_token is None
    with pytest.raises(ValueError, match="sync-token"):
        ms.Results(sync_token="\x00")


# -- the Python builders (without C): the same as the general path -------------------


@SETTINGS
@given(HREFS, STATUSES, TEXTS, TEXTS)
def test_the_python_builder_of_succeeded_builds_what_the_general_path_builds(
    href: Any,
    status: Any,
    id: Any,  # noqa: A002
    location: Any,
) -> None:
    from multistatus._collector import _item
    from multistatus._model._items import plain_succeeded

    quick = plain_succeeded(href, status, id, location)
    if quick is None:
        return  # (the general path's: nothing claimed)
    general = _item.succeeded(href, status, id=id, location=location, headers=None, body=None)
    assert (quick, repr(quick), hash(quick), type(quick)) == (general, repr(general), hash(general), type(general))


@SETTINGS
@given(HREFS, STATUSES, TEXTS, st.lists(TEXTS, min_size=5, max_size=5))
def test_the_python_builder_of_failed_builds_what_the_general_path_builds(
    href: Any,
    status: Any,
    id: Any,  # noqa: A002
    members: list[Any],
) -> None:
    from multistatus._collector import _item
    from multistatus._model._items import plain_failed

    quick = plain_failed(href, status, id, *members)
    if quick is None:
        return
    problem = dict(zip(("type", "title", "detail", "code", "message"), members, strict=True))
    general = _item.failed(href, status, id=id, **problem)
    assert (quick, repr(quick), hash(quick), type(quick)) == (general, repr(general), hash(general), type(general))
    assert quick.error == general.error


def test_the_python_builders_take_the_common_shapes() -> None:
    from multistatus._model._items import plain_failed, plain_succeeded

    created, invalid = ms.Status.of(201), ms.Status.of(422)
    assert plain_succeeded("/items/1", created, "1", "/items/1") is not None
    assert plain_succeeded("/items/1", 201, None, None) is not None  # (an int Python has cached)
    made = plain_failed("/items/2", invalid, "2", None, None, None, "invalid", "name is required")
    assert made is not None
    assert made.error is not None
    assert made.error.problem == {"code": "invalid", "message": "name is required"}
    assert plain_failed("/items/3", 500, None, None, None, None, None, None) == ms.Response("/items/3", status=500)
    for refused in (
        plain_succeeded("/items/1", 422, None, None),
        plain_succeeded("/items/1 ", created, None, None),
        plain_succeeded("/items/1", created, 7, None),
        plain_succeeded("/items/1", created, None, ""),
        plain_succeeded("/\x00", created, None, None),
        plain_failed("/items/1", created, None, None, None, None, None, None),
        plain_failed("/items/1", invalid, 7, None, None, None, None, None),
        plain_failed("/items/1", invalid, None, None, None, None, 5, None),
        plain_failed("/items/1", invalid, None, None, None, None, "\x00", None),
    ):
        assert refused is None
