"""``_cwriter.c`` json_document: the whole compact JSON document (responses and summary) as
UTF-8 bytes in one call, for documents without multistatus-level members.

``to_json`` hands a plain document's responses to it first; it answers None when
Python must write (a response the C JSON writer leaves to Python, one the C counter
cannot count, a lone surrogate), and then Python writes the whole document as before.
Random documents are written both ways and must give the same bytes; the summary is
compared with the Python counter's (``Summary.of`` without ``_cvalues.c``'s tally).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import multistatus as ms
from multistatus._json import _writer as _json_writer
from multistatus._model import _document
from multistatus._xml import _writer
from tests.conftest import python_writer, scaled
from tests.strategies import (
    EXTENSION_NAMESPACES,
    documents,
    elements,
    header_names,
    header_values,
    hrefs,
    properties,
    texts,
)
from tests.strategies import responses as any_responses

SETTINGS = scaled(2)
needs_c = pytest.mark.skipif(_writer._c_props is None, reason="multistatus._xml._cwriter is not built")
set_slot = object.__setattr__
TRUNCATED = "{DAV:}number-of-matches-within-limits"


@contextmanager
def python_only() -> Iterator[None]:
    """The Python writers and the Python summary counter (no _cwriter.c, no _cvalues.c tally)."""
    tally = _document._c_tally
    _document.use_c_tally(None)
    try:
        with python_writer():
            yield
    finally:
        _document.use_c_tally(tally)


def python_json(doc: ms.MultiStatus) -> bytes:
    with python_only():
        return ms.to_json(doc)


def c_document(responses: tuple[ms.Response, ...]) -> bytes | None:
    write = _json_writer._c_json_document
    assert write is not None
    return write(responses)


# -- documents the C function writes whole ---------------------------------------------

#: Every code the model allows in a document, 3xx included (outcome "other"), and 507.
codes = st.integers(200, 599) | st.sampled_from([200, 299, 300, 399, 400, 507, 599])
c_statuses = st.builds(ms.Status, codes, st.none() | st.sampled_from(["Custom", 'q"uote\\', "Ünusual"]))
#: Problem members the C writer writes: text only (a JSON value is Python's).
c_errors = st.builds(
    ms.Error,
    st.lists(elements(("DAV:", "http://example.com/ns")) | st.just(ms.Element(TRUNCATED)), max_size=2),
    st.dictionaries(st.sampled_from(["type", "title", "detail", "code", "message", "x_y"]), texts, max_size=3),
)
escapes = st.sampled_from(['"', "\\", '\\"', "\t\n\r", "\x7f", "Grüße", "€ 😀", "\u2028", "\U0010fffd"])
c_texts = texts | st.builds(lambda a, b, c: a + b + c, texts, escapes, texts)
c_hrefs = hrefs | st.builds(lambda a, b: "/" + a + b, texts, escapes)
c_rest: dict[str, Any] = {
    "error": st.none() | c_errors,
    "description": st.none() | c_texts,
    "location": st.none() | c_hrefs,
    "id": st.none() | c_texts,
    "headers": st.dictionaries(header_names.map(str.lower), header_values, max_size=2),
    "extensions": st.lists(elements(EXTENSION_NAMESPACES), max_size=1),
}
c_propstats = st.builds(
    ms.PropStat,
    st.lists(properties, max_size=4, unique_by=lambda p: p.name),
    c_statuses,
    error=st.none() | c_errors,
    description=st.none() | c_texts,
    extensions=st.lists(elements(EXTENSION_NAMESPACES), max_size=1),
)
c_responses = st.one_of(
    st.builds(ms.Response, st.lists(c_hrefs, min_size=1, max_size=3), status=c_statuses, **c_rest),
    st.builds(ms.Response, c_hrefs, propstats=st.lists(c_propstats, min_size=1, max_size=3), **c_rest),
    st.builds(ms.Response, c_hrefs, status=st.just(507), error=c_errors),
    st.builds(ms.Response, c_hrefs),  # no status, no propstats: outcome "other"
)
c_documents = st.builds(ms.MultiStatus, st.lists(c_responses, max_size=6))


@needs_c
@SETTINGS
@given(c_documents)
def test_plain_documents_are_written_whole_in_c(doc: ms.MultiStatus) -> None:
    slow = python_json(doc)
    assert c_document(doc.responses) == slow  # (not None: written in C)
    assert ms.to_json(doc) == slow
    assert ms.from_json(slow) == doc


@needs_c
@SETTINGS
@given(documents(max_responses=5) | st.builds(ms.MultiStatus, st.lists(any_responses | c_responses, max_size=5)))
def test_any_document_is_written_the_same_both_ways(doc: ms.MultiStatus) -> None:
    """Bodies, JSON problem members, multistatus-level members: Python's (all of the document)."""
    slow = python_json(doc)
    assert ms.to_json(doc) == slow
    assert ms.to_json(doc, indent=2) == ms.to_json(doc, indent=2)
    written = c_document(doc.responses)
    assert written is None or written == (python_json(ms.MultiStatus(doc.responses)))


@needs_c
def test_a_batch_document_is_written_by_the_c_function() -> None:
    results = ms.Results()
    for i in range(100):
        if i % 10 == 3:
            results.failed(f"/items/{i}", status=409, id=str(i), code="conflict", message="Taken")
        else:
            results.succeeded(f"/items/{i}", status=201, id=str(i), location=f"/items/{i}")
    doc = results.build()
    expected = python_json(doc)
    assert c_document(doc.responses) == expected
    assert ms.to_json(doc) == expected
    assert b'"byStatus":{"201":90,"409":10}' in expected


@needs_c
def test_the_summary_counts_each_outcome_and_code() -> None:
    ok = ms.PropStat({"{DAV:}getetag": '"1"'})
    missing = ms.PropStat({"{DAV:}x": None}, 404)
    moved = ms.PropStat({"{DAV:}y": None}, 302)
    responses = [
        _odd_status(102),  # 1xx (behind the model's back): succeeded, the status form counts code < 300
        ms.Response("/r", status=304),  # other
        ms.Response("/f", status=599),
        ms.Response("/p", propstats=[ok, missing]),  # partial
        ms.Response("/o", propstats=[ok, moved]),  # other (a 3xx propstat)
        ms.Response("/m", propstats=[missing, missing]),  # failed, 404 counted twice
        ms.Response("/e"),  # no status at all: other
        ms.Response("/t", status=507, error=ms.Error(["{DAV:}other", TRUNCATED])),
        ms.Response("/u", status=507, error=ms.Error(["{DAV:}other"])),
    ]
    doc = ms.MultiStatus(responses)
    written = c_document(doc.responses)
    assert written == python_json(doc)
    assert written is not None
    assert json.loads(written)["summary"] == {
        "total": 9,
        "succeeded": 1,
        "failed": 4,
        "partial": 1,
        "other": 3,
        "byStatus": {"102": 1, "200": 2, "302": 1, "304": 1, "404": 3, "507": 2, "599": 1},
        "truncated": True,
    }
    not_truncated = ms.MultiStatus(responses[:-2] + responses[-1:])
    assert c_document(not_truncated.responses) == python_json(not_truncated)


@needs_c
def test_control_characters_are_escaped_as_python_does() -> None:
    """(Set behind the model's back: XML 1.0 cannot carry them, JSON escapes them.)"""
    response = ms.Response("/a", status=200, id="i", location="/l")
    for slot in ("id", "description", "location"):
        set_slot(response, slot, "\x00\x01\b\f\x1f" + slot + "\x7f\ud7ff")
    doc = ms.MultiStatus([response])
    assert c_document(doc.responses) == python_json(doc)
    assert b"\\u0000\\u0001\\b\\f\\u001fid" in python_json(doc)


@needs_c
def test_an_empty_document_is_unchanged() -> None:
    expected = (
        b'{"responses":[],"summary":{"total":0,"succeeded":0,"failed":0,"partial":0,'
        b'"other":0,"byStatus":{},"truncated":false}}'
    )
    assert ms.to_json(ms.MultiStatus()) == expected
    assert c_document(()) == expected
    assert python_json(ms.MultiStatus()) == expected


# -- what it leaves to Python ----------------------------------------------------------


def _odd_status(code: object, status: int = 201) -> ms.Response:
    response = ms.Response("/a", status=status)
    odd = ms.Status(status)
    set_slot(odd, "code", code)
    set_slot(response, "status", odd)
    return response


def _odd_propstat_status(code: object) -> ms.Response:
    ps = ms.PropStat({"{DAV:}getetag": "1"})
    odd = ms.Status(200)
    set_slot(odd, "code", code)
    set_slot(ps, "status", odd)
    return ms.Response("/a", propstats=[ps])


def _with(response: ms.Response, slot: str, value: object) -> ms.Response:
    set_slot(response, slot, value)
    return response


class SubStatus(ms.Status):
    __slots__ = ()


def _give_ups() -> dict[str, Callable[[], ms.Response]]:
    repeated = ms.PropStat([ms.Property("{DAV:}a", "1"), ms.Property("{DAV:}b", "2")])
    set_slot(repeated, "props", (repeated.props[0], repeated.props[0]))
    half_propstat = object.__new__(ms.PropStat)
    odd_condition = ms.Error([TRUNCATED])
    set_slot(odd_condition, "conditions", ("{DAV:}not-an-element",))
    unset_condition = ms.Error([TRUNCATED])
    set_slot(unset_condition, "conditions", (object.__new__(ms.Element),))
    return {
        "body": lambda: ms.Response("/a", status=200, body={"n": 1}),
        "json problem member": lambda: ms.Response("/a", status=409, error=ms.Error(code="x", retry=3)),
        "repeated property name": lambda: ms.Response("/a", propstats=[repeated]),
        "code above 599": lambda: _odd_status(600),
        "code below 100": lambda: _odd_status(99),
        "code beyond a C long": lambda: _odd_status(10**20),
        "bool code": lambda: _odd_status(True),
        "str code": lambda: _odd_status("201"),
        "propstat code above 599": lambda: _odd_propstat_status(600),
        "propstat code beyond a C long": lambda: _odd_propstat_status(-(10**20)),
        "status subclass": lambda: _with(ms.Response("/a", status=200), "status", SubStatus(200)),
        "status never set up": lambda: _with(ms.Response("/a", status=200), "status", object.__new__(ms.Status)),
        "propstat never set up": lambda: _with(ms.Response("/a"), "propstats", (half_propstat,)),
        "propstats not a tuple": lambda: _with(ms.Response("/a"), "propstats", []),
        "507 error not an Error": lambda: _with(ms.Response("/a", status=507), "error", "oops"),
        "507 condition not an Element": lambda: _with(ms.Response("/a", status=507), "error", odd_condition),
        "507 condition never set up": lambda: _with(ms.Response("/a", status=507), "error", unset_condition),
        "lone surrogate": lambda: _with(ms.Response("/a", status=200), "description", "x\ud800y"),
        "response never set up": lambda: object.__new__(ms.Response),
    }


GIVE_UPS = _give_ups()


@needs_c
@pytest.mark.parametrize("name", list(GIVE_UPS))
def test_it_gives_up_and_python_writes_the_same(name: str) -> None:
    plain = ms.Response("/b", status=201)
    odd = GIVE_UPS[name]()
    for responses in ((odd,), (plain, odd), (odd, plain, plain)):
        assert c_document(responses) is None
        doc = object.__new__(ms.MultiStatus)
        for slot, value in (("responses", responses), ("description", None), ("sync_token", None), ("extensions", ())):
            set_slot(doc, slot, value)
        try:
            slow: bytes | type[BaseException] = python_json(doc)
        except Exception as exc:  # (what Python makes of it, both ways)
            slow = type(exc)
        try:
            fast: bytes | type[BaseException] = ms.to_json(doc)
        except Exception as exc:
            fast = type(exc)
        assert fast == slow


@needs_c
def test_not_a_response_in_the_tuple_and_not_a_tuple() -> None:
    assert c_document(("/a",)) is None  # type: ignore[arg-type]
    assert c_document((ms.Response("/a", status=200), None)) is None  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes a tuple"):
        c_document([ms.Response("/a", status=200)])  # type: ignore[arg-type]


@needs_c
@pytest.mark.parametrize(
    "extra",
    [{"description": "d"}, {"sync_token": "http://example.com/sync/1"}, {"extensions": [ms.Element("{urn:x}e")]}],
)
def test_multistatus_level_members_are_written_by_python(extra: dict[str, Any]) -> None:
    doc = ms.MultiStatus([ms.Response("/a", status=201)], **extra)
    calls: list[object] = []
    write = _json_writer._c_json_document
    assert write is not None

    def spy(responses: tuple[ms.Response, ...]) -> bytes | None:
        calls.append(responses)
        return write(responses)

    _json_writer._c_json_document = spy
    try:
        assert ms.to_json(doc) == python_json(doc)
        assert ms.to_json(ms.MultiStatus(doc.responses)) == python_json(ms.MultiStatus(doc.responses))
    finally:
        _json_writer._c_json_document = write
    assert calls == [doc.responses]  # (only the plain document reached C)


@needs_c
def test_responses_that_are_not_a_tuple_go_to_python() -> None:
    doc = ms.MultiStatus([ms.Response("/a", status=201)])
    set_slot(doc, "responses", list(doc.responses))
    with pytest.raises(TypeError):  # (as before: the C responses writer takes a tuple)
        ms.to_json(doc)


def test_use_c_json_none_switches_the_document_writer_off_too() -> None:
    with python_writer():
        assert _json_writer._c_json_document is None
        assert ms.to_json(ms.MultiStatus([ms.Response("/a", status=201)])).startswith(b'{"responses":[{"href"')
    if _writer._c_props is not None:
        assert _json_writer._c_json_document is not None


FINALIZER_REPLACES_SLOTS = """
    import gc
    import multistatus as ms
    from multistatus._xml import _cwriter

    set_slot = object.__setattr__
    props = {"{DAV:}a": "1", "{DAV:}b": "2", "{DAV:}c": "3"}
    keep = []

    class Replacer:
        __slots__ = ("me",)

        def __del__(self):
            # drops the only references to the headers and to the propstat's properties,
            # then takes their memory back (the dict free list) for other values
            set_slot(victim, "headers", ms.FrozenMap({"x-new": "n"}))
            set_slot(victim.propstats[0], "props", ms.PropStat({"{DAV:}z": "9"}).props)
            keep.extend({f"evil-{i}": "x"} for i in range(20))
            keep.extend((ms.Property("{DAV:}evil", "x"),) * 3 for i in range(20))

    out = []
    for write in (_cwriter.json_response, lambda r: ms.to_json(ms.MultiStatus([r])).decode()) * 3:
        victim = ms.Response("/a", propstats=[ms.PropStat(dict(props))], headers={"x-old": "v"})
        r = Replacer()
        r.me = r
        del r
        gc.set_threshold(1)  # (the set json_props allocates starts a collection: the finalizer runs)
        text = write(victim)
        gc.set_threshold(700)
        out.append(text)
    print(chr(10).join(out))
"""


@needs_c
def test_the_json_writer_holds_what_a_finalizer_may_replace() -> None:
    """_cwriter.c put_json_response read the headers before writing the propstats, whose
    properties put_json_props borrowed: the set it allocates may start a collection, and a
    finalizer that replaces those slots freed them under it (headers read from another
    dict).  Now the propstats and properties are held and the headers read afterwards."""
    from tests.test_c_edges import run_child

    child = run_child(FINALIZER_REPLACES_SLOTS)
    assert child.returncode == 0, child.stderr[-2000:]
    lines = child.stdout.splitlines()
    assert len(lines) == 6
    assert "evil" not in child.stdout
    for line in lines:
        response = json.loads(line)
        response = response["responses"][0] if "responses" in response else response
        assert response["headers"] in ({"x-new": "n"}, {"x-old": "v"})
