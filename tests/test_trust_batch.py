"""What ``read_batch`` promises about hostile request bodies, through the public API (issue 29).

Every check of a body costs time linear in its size, and every item it returns
is JSON the library's own writers can write back: no ``NaN``, no infinity, no
object that names a member twice.  What is refused is a 400 ``ParseError``
that says what and where (a JSON pointer).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import multistatus as ms

# -- 1. linear time -----------------------------------------------------------------------
#: No limit on size or count, so that only the time of the checks is measured.
_OPEN = ms.Limits(max_bytes=None, max_responses=None)


def _per_call(call: Callable[[], object]) -> float:
    """The time of one *call*, from repeating it until that lasts long enough to measure."""
    count, start = 0, time.perf_counter()
    while True:
        call()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= 0.02:
            return elapsed / count


def _ratio(small: Callable[[], object], large: Callable[[], object]) -> float:
    """How much longer *large* takes than *small*: the best of five timings each, taken in turns
    (so that another process slowing the machine down slows both)."""
    small()  # (warm up)
    best_small = best_large = math.inf
    for _ in range(5):
        best_small = min(best_small, _per_call(small))
        best_large = min(best_large, _per_call(large))
    return best_large / best_small


def _read(body: str) -> Callable[[], object]:
    def call() -> object:
        try:
            return ms.read_batch(body.encode("utf-8"), limits=_OPEN)
        except ms.ParseError as exc:  # (LimitExceeded too): refusing costs linear time as well
            return exc

    return call


@pytest.mark.parametrize(
    "shape",
    [
        pytest.param(lambda n: '["' + '\\"' * n, id="unclosed-string-of-escaped-quotes"),
        pytest.param(lambda n: '["' + '\\"' * n + '"]', id="string-of-escaped-quotes"),
        pytest.param(lambda n: '"' * (2 * n), id="quotes"),
        pytest.param(lambda n: "[" * (2 * n), id="deep-nesting"),
        pytest.param(lambda n: "[" + "[]," * n + "[]]", id="many-brackets"),
        pytest.param(lambda n: '["' + "a" * (2 * n) + '"]', id="long-string"),
        pytest.param(lambda n: '["' + "\\\\" * n + '"]', id="many-backslashes"),
        pytest.param(lambda n: '["' + "\\" * (2 * n + 1), id="odd-backslashes-unclosed"),
        pytest.param(lambda n: "[" + '"\\"",' * n + "1]", id="many-strings-with-escapes"),
        pytest.param(lambda n: "[" + '{"a": NaN},' * n + "1]", id="many-constants"),
    ],
)
def test_every_check_of_a_body_is_linear_in_its_size(shape: Callable[[int], str]) -> None:
    """Four times the body costs about four times the time, never sixteen (a ratio measured in one run)."""
    small, large = _read(shape(4096)), _read(shape(4 * 4096))
    # A quadratic check reads 16x every time; a busy machine (the other test worker, say) can
    # push one reading of a linear one past 8x, never three in a row.
    ratios = []
    for _ in range(3):
        ratios.append(_ratio(small, large))
        if ratios[-1] < 8:
            break
    assert min(ratios) < 8, f"4x the body took {min(ratios):.1f}x the time (readings {ratios})"


# -- 2. numbers RFC 8259 has not, and members named twice ------------------------------------
#: Text a batch can carry: U+FFFE, U+FFFF and lone surrogates are refused at their own
#: pointer, which would come first when they sit before the offence under test.
_texts = st.characters(blacklist_characters="\ufffe\uffff", blacklist_categories=("Cs",))
_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(_texts, max_size=6)
)
_values = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(_texts, max_size=4), inner, max_size=3),
    max_leaves=8,
)
_SENTINEL = "\x00here\x00"


@st.composite
def _bodies(draw: st.DrawFn) -> tuple[str, str]:
    """A batch body with :data:`_SENTINEL` somewhere inside one item, and the JSON pointer to it."""
    steps = draw(st.lists(st.integers(0, 2) | st.text(_texts, max_size=4), max_size=5))
    value: Any = _SENTINEL
    for step in reversed(steps):
        if isinstance(step, int):
            value = [
                *draw(st.lists(_values, min_size=step, max_size=step)),
                value,
                *draw(st.lists(_values, max_size=1)),
            ]
        else:
            others = draw(st.dictionaries(st.text(_texts, max_size=4), _values, max_size=2))
            others.pop(step, None)
            value = {**others, step: value}
    index = draw(st.integers(0, 2))
    items = [*draw(st.lists(_values, min_size=index, max_size=index)), value, *draw(st.lists(_values, max_size=2))]
    pointer = "".join(f"/{step}" if isinstance(step, int) else "/" + _escape(step) for step in steps)
    if draw(st.booleans()):
        return json.dumps({"items": items}), f"/items/{index}{pointer}"
    return json.dumps(items), f"/{index}{pointer}"


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _refused(body: str) -> ms.ParseError:
    with pytest.raises(ms.ParseError) as info:
        ms.read_batch(body.encode("utf-8"), content_type="application/json")
    assert info.value.status_hint == 400
    assert not isinstance(info.value, ms.LimitExceeded)
    return info.value


@given(_bodies(), st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1E400", "12345e678"]))
def test_a_number_json_has_not_is_refused_with_where(body: tuple[str, str], number: str) -> None:
    text, pointer = body
    error = _refused(text.replace(json.dumps(_SENTINEL), number))
    assert error.path == pointer
    assert ("inf" if number[-1].isdigit() else number) in error.message


@given(_bodies(), st.text(max_size=4))
def test_a_member_named_twice_is_refused_with_its_name(body: tuple[str, str], name: str) -> None:
    text, pointer = body
    twice = "{" + f"{json.dumps(name)}: 1, " + '"other": null, ' + f"{json.dumps(name)}: 2" + "}"
    error = _refused(text.replace(json.dumps(_SENTINEL), twice))
    assert error.path == f"{pointer}/{_escape(name)}"
    assert f"member {name!r} appears twice" in error.message


@given(_bodies())
def test_what_read_batch_accepts_the_writers_write(body: tuple[str, str]) -> None:
    """An item read is an item a response can carry: recording it never answers 500."""
    text, _ = body
    for item in ms.read_batch(text.replace(json.dumps(_SENTINEL), "1.5e300")):
        json.dumps(item, allow_nan=False)
        ms.to_json(ms.MultiStatus([ms.Response("/a", status=200, body=item)]))


@pytest.mark.parametrize(
    ("body", "pointer", "words"),
    [
        pytest.param(b"[NaN]", "/0", "not NaN", id="nan"),
        pytest.param(b'{"items": [{"price": Infinity}]}', "/items/0/price", "not Infinity", id="infinity"),
        pytest.param(b"[1, -Infinity]", "/1", "not -Infinity", id="minus-infinity"),
        pytest.param(b'[{"n": [1e999]}]', "/0/n/0", "inf", id="overflow"),
        pytest.param(b'{"items": [], "items": [1]}', "/items", "member 'items' appears twice", id="items-twice"),
        pytest.param(b'[{"a/b": 1, "a/b": 1}]', "/0/a~1b", "member 'a/b' appears twice", id="twice-escaped"),
        pytest.param(b'[{"a": ["\\uFFFF"]}]', "/0/a/0", "which XML 1.0 cannot carry", id="uffff-escaped"),
        pytest.param('[{"k\ufffe": 1}]'.encode(), "/0/k\ufffe", "member name holds", id="ufffe-in-a-name"),
        pytest.param(b'[{"a": "x\\ud800"}]', "/0/a", "lone surrogate", id="lone-surrogate-escaped"),
        pytest.param(b'[{"\\udc00": 1}]', "/0/\udc00", "lone surrogate", id="lone-surrogate-in-a-name"),
        pytest.param('[{"a": "\ud800"}]', "/0/a", "lone surrogate", id="lone-surrogate-raw-in-a-str"),
    ],
)
def test_the_message_says_what_and_where(body: bytes | str, pointer: str, words: str) -> None:
    with pytest.raises(ms.ParseError) as info:
        ms.read_batch(body)
    assert info.value.path == pointer
    assert words in str(info.value)
    assert f"at {pointer}" in str(info.value)


def test_an_escaped_surrogate_pair_is_one_character() -> None:
    """Only a lone surrogate is refused: a pair, escaped as JSON writes astral characters, is read."""
    assert ms.read_batch(b'[{"a": "\\ud83d\\ude00", "\\ud83d\\ude01": 1}]') == [{"a": "\U0001f600", "\U0001f601": 1}]


def test_the_same_rule_as_from_json() -> None:
    """One rule for duplicates and numbers: from_json refuses what read_batch refuses, with the same words."""
    for bad in ('{"v": NaN}', '{"v": 1e999}', '{"v": 1, "v": 2}'):
        with pytest.raises(ms.ParseError) as batch:
            ms.read_batch(f"[{bad}]")
        with pytest.raises(ms.ParseError) as document:
            ms.from_json('{"responses": [{"href": "/a", "status": 200, "body": ' + bad + "}]}")
        assert batch.value.message == document.value.message
        assert document.value.path == "/responses/0/body" + (batch.value.path or "")[2:]


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


_tricky_texts = st.text(st.sampled_from('[]{}"\\ a/\n\u00e9'), max_size=6)
_nested = st.recursive(
    st.integers() | _tricky_texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_tricky_texts, inner, max_size=3),
    max_leaves=12,
)


@given(st.lists(_nested, max_size=3), st.booleans())
def test_the_depth_counted_is_the_depth_of_the_value(items: list[Any], ascii_only: bool) -> None:
    """Brackets, quotes and backslashes inside strings never change the depth counted."""
    body = json.dumps(items, ensure_ascii=ascii_only)
    depth = _depth(items)
    assert ms.read_batch(body, limits=ms.Limits(max_depth=depth), min_items=0) == items
    if depth > 1:
        with pytest.raises(ms.LimitExceeded, match=f"deeper than {depth - 1} levels"):
            ms.read_batch(body, limits=ms.Limits(max_depth=depth - 1))
