"""What the library remembers between calls is bounded in bytes, whatever the input.

Names, namespaces, status lines and request header values are remembered from
one document or request to the next.  A hostile peer controls them: documents
with long names or long reason phrases must not leave their text behind.
"""

from __future__ import annotations

import gc
import json
import tracemalloc
from collections.abc import Callable

import pytest

import multistatus as ms

#: Characters in each hostile name or reason phrase: far over the longest key a memo keeps (256
#: characters; a reply plan's 1,024), so a memo that kept them would hold 1.2 MB for 300 of them.
LONG = 4_000


def _retained(work: Callable[[int], object], *rounds: int) -> list[int]:
    """Bytes still allocated after ``rounds[0]`` calls of *work* (``work(0)`` on), then after
    ``rounds[1]`` calls in all, and so on: one traced run, its results dropped."""
    tracemalloc.start()  # (only what is allocated from here on is counted)
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = []
        done = 0
        for total in rounds:
            for i in range(done, total):
                work(i)
            done = total
            gc.collect()
            kept.append(tracemalloc.get_traced_memory()[0] - before)
        return kept
    finally:
        tracemalloc.stop()


def _json_with_long_name(i: int) -> object:
    name = "{urn:x}" + "n" * LONG + str(i)
    body = json.dumps({"responses": [{"href": "/a", "propstats": [{"status": 200, "props": {name: "v"}}]}]})
    return ms.from_json(body)


def _json_with_long_reason(i: int) -> object:
    reason = "r" * LONG + str(i)
    return ms.from_json(json.dumps({"responses": [{"href": "/a", "status": 503, "reason": reason}]}))


def _xml_with_long_reason(i: int) -> object:
    reason = "r" * LONG + str(i)
    body = f'<D:multistatus xmlns:D="DAV:"><D:response><D:href>/a</D:href><D:status>HTTP/1.1 200 {reason}</D:status></D:response></D:multistatus>'
    return ms.from_xml(body.encode())


def _xml_with_long_namespace(i: int) -> object:
    ns = "urn:" + "s" * LONG + str(i)
    body = f'<D:multistatus xmlns:D="DAV:" xmlns:X="{ns}"><D:response><D:href>/a</D:href><D:propstat><D:prop><X:p>v</X:p></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>'
    return list(ms.iter_xml(body.encode()))


def _built_with_long_problem_member(i: int) -> object:
    error = ms.Error(problem={"m" * LONG + str(i): "v"})
    return ms.to_json(ms.MultiStatus([ms.Response("/a", status=422, error=error)]))


@pytest.mark.parametrize(
    "work",
    [
        _json_with_long_name,
        _json_with_long_reason,
        _xml_with_long_reason,
        _xml_with_long_namespace,
        _built_with_long_problem_member,
    ],
    ids=["from_json-names", "from_json-reasons", "from_xml-reasons", "iter_xml-namespaces", "built-problems"],
)
def test_long_hostile_text_is_not_kept_between_calls(work: Callable[[int], object]) -> None:
    # 300 documents bring 1.2 MB of distinct hostile text; what stays is far less than one tenth of it.
    (kept,) = _retained(work, 300)
    assert kept < 300 * LONG // 10


def test_many_short_distinct_names_are_bounded_too() -> None:
    def work(i: int) -> object:
        names = {f"{{urn:x{i}}}p{j}": "v" for j in range(20)}
        return ms.to_json(ms.MultiStatus([ms.Response("/a", propstats=[ms.PropStat(names)])]))

    # After 6,000 distinct names (more than any memo keeps), then after 24,000 in all (4x as many).
    small, large = _retained(work, 300, 1_200)
    assert large < 2 * small + 1_000_000
