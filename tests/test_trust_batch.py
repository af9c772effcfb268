"""What ``read_batch`` promises about hostile request bodies, through the public API (issue 29).

Every check of a body costs time linear in its size.
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
    """The best of three timings of *call*, each repeated until it lasts long enough to measure."""
    best = math.inf
    for _ in range(3):
        count, start = 0, time.perf_counter()
        while True:
            call()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= 0.02:
                break
        best = min(best, elapsed / count)
    return best


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
    ],
)
def test_every_check_of_a_body_is_linear_in_its_size(shape: Callable[[int], str]) -> None:
    """Four times the body costs about four times the time, never sixteen (a ratio measured in one run)."""
    small, large = _read(shape(4096)), _read(shape(4 * 4096))
    small()  # (warm up)
    ratio = _per_call(large) / _per_call(small)
    assert ratio < 8, f"4x the body took {ratio:.1f}x the time"


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
    assert ms.read_batch(body, limits=ms.Limits(max_depth=depth)) == items
    if depth > 1:
        with pytest.raises(ms.LimitExceeded, match=f"deeper than {depth - 1} levels"):
            ms.read_batch(body, limits=ms.Limits(max_depth=depth - 1))
