"""Reading batch requests (ms.read_batch): shapes, limits, errors."""

from __future__ import annotations

import io
import json

import pytest

import multistatus as ms


def test_an_array_and_an_object_with_items() -> None:
    assert ms.read_batch(b'[{"name": "a"}]') == [{"name": "a"}]
    assert ms.read_batch('{"items": [1, 2], "atomic": false}') == [1, 2]
    assert ms.read_batch(b"\xef\xbb\xbf[1]", content_type="application/json; charset=utf-8") == [1]
    assert ms.read_batch(b"[1]", content_type="application/merge-patch+json") == [1]
    assert ms.read_batch(io.BytesIO(b"[3]")) == [3]
    assert ms.read_batch(bytearray(b"[]"), min_items=0) == []


def test_an_empty_batch_is_400_unless_allowed() -> None:
    with pytest.raises(ms.ParseError, match="the request holds 0 items; send at least 1") as info:
        ms.read_batch(b'{"items": []}')
    assert info.value.status_hint == 400
    with pytest.raises(ms.ParseError, match="holds 2 items; send at least 3"):
        ms.read_batch(b"[1, 2]", min_items=3)


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data; boundary=x", ";"])
def test_a_body_typed_as_anything_but_json_is_415(content_type: str) -> None:
    for body in (b"[1]", "[1]"):  # (a body handed over as text has a type too)
        with pytest.raises(ms.UnsupportedMediaType, match="must be JSON") as info:
            ms.read_batch(body, content_type=content_type)
        assert info.value.status_hint == 415
    assert isinstance(info.value, ms.ParseError)  # (an old except ParseError still catches it)
    assert ms.read_batch(b"[1]", content_type=None) == [1]  # no Content-Type: read as JSON


def test_the_default_limits_are_a_batch_not_a_bulk_load() -> None:
    assert ms.read_batch(json.dumps(list(range(10_000)))) == list(range(10_000))
    with pytest.raises(ms.LimitExceeded, match="10001 items in one request; the limit is 10000"):
        ms.read_batch(json.dumps(list(range(10_001))))
    with pytest.raises(ms.LimitExceeded, match="larger than 16777216 bytes"):
        ms.read_batch(b"[" + b" " * (16 * 1024 * 1024) + b"]")
    assert len(ms.read_batch(json.dumps(list(range(20_000))), limits=ms.Limits(max_responses=None))) == 20_000


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[oops", "the request body is not JSON: Expecting value (line 1, column 2)"),
        (b"", "the request body is empty; send a JSON array of items"),
        (b'{"rows": []}', "must be a JSON array of items or an object with an 'items' array, not an object without"),
        (b'"x"', "not a string"),
        (b"1", "not a number"),
        (b"null", "not null"),
        (b"true", "not a boolean"),
        (b"\xff[]", "the request body is not UTF-8: invalid start byte at byte 0"),
    ],
)
def test_malformed_bodies_are_400(body: bytes, message: str) -> None:
    with pytest.raises(ms.ParseError) as info:
        ms.read_batch(body)
    assert message in str(info.value)
    assert info.value.status_hint == 400
    assert not isinstance(info.value, ms.LimitExceeded)


def test_an_array_only_when_member_is_none() -> None:
    with pytest.raises(ms.ParseError, match=r"must be a JSON array of items, not an array|not an object"):
        ms.read_batch(b'{"items": []}', member=None)


def test_a_content_type_that_is_not_json_is_refused() -> None:
    with pytest.raises(ms.ParseError, match="must be JSON"):
        ms.read_batch(b"[1]", content_type="application/x-www-form-urlencoded")
    with pytest.raises(ms.ParseError, match="untyped"):
        ms.read_batch(b"[1]", content_type=";")


def test_limits_are_413() -> None:
    small = ms.Limits(max_bytes=10)
    for body in (b"[" + b"1," * 10 + b"1]", "[" + "1," * 10 + "1]", io.BytesIO(b"[" + b" " * 100 + b"]")):
        with pytest.raises(ms.LimitExceeded, match="larger than 10 bytes") as info:
            ms.read_batch(body, limits=small)
        assert info.value.status_hint == 413
    assert ms.read_batch("[1]", limits=small) == [1]
    with pytest.raises(ms.LimitExceeded, match="deeper than 3 levels"):
        ms.read_batch(b'[[[["]]]]"]]]]', limits=ms.Limits(max_depth=3))
    assert ms.read_batch(b'[["]]]]"]]', limits=ms.Limits(max_depth=2)) == [["]]]]"]]
    with pytest.raises(ms.LimitExceeded, match="nests deeper than 72"):
        ms.read_batch(b"[" * 100 + b"]" * 100, limits=ms.Limits(max_depth=None))
    with pytest.raises(ms.LimitExceeded, match="3 items in one request; the limit is 2"):
        ms.read_batch(b"[1, 2, 3]", limits=ms.Limits(max_responses=2))
    assert len(ms.read_batch(b"[1]" * 1, limits=ms.Limits(max_bytes=None, max_responses=None))) == 1


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="bytes, str or a binary file"):
        ms.read_batch(42)  # type: ignore[arg-type]

    class Texty:
        def read(self, size: int = -1) -> str:
            return "[]"

    with pytest.raises(TypeError, match="read\\(\\) returned str"):
        ms.read_batch(Texty())  # type: ignore[arg-type]
