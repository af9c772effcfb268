"""One nesting limit for every value: refused when built, and everything within it works.

``MAX_NESTING`` (64) bounds XML content and JSON values; readers never accept a
document deeper than ``MAX_DOCUMENT_DEPTH`` (72), whatever ``Limits.max_depth``
says.  Within the limits every operation works, in a thread as in the main one.
"""

from __future__ import annotations

import copy
import io
import pickle
import threading
from collections.abc import Callable
from typing import Any

import pytest

import multistatus as ms

# The documented limits (docs/xml.rst, "Limits"), written out: the tests check that they hold.
MAX_NESTING = 64
MAX_DOCUMENT_DEPTH = 72

X = "{urn:x}v"


def chain(levels: int) -> ms.Element:
    element = ms.Element(X, ["leaf"])
    for _ in range(levels - 1):
        element = ms.Element(X, [element])
    return element


def nested(levels: int) -> Any:
    value: Any = "leaf"
    for _ in range(levels):
        value = [value]
    return value


DEEPEST = chain(MAX_NESTING)
DOCUMENTS = {
    "property": ms.MultiStatus([ms.Response("/a", propstats=[ms.PropStat({"{urn:x}p": [DEEPEST]})])]),
    "condition": ms.MultiStatus(
        [ms.Response("/a", propstats=[ms.PropStat({"{urn:x}p": None}, 403, error=ms.Error([DEEPEST]))])]
    ),
    "extensions": ms.MultiStatus([ms.Response("/a", status=200, extensions=[DEEPEST])], extensions=[DEEPEST]),
    "body": ms.MultiStatus([ms.Response("/a", status=200, body=nested(MAX_NESTING))]),
    "problem": ms.MultiStatus([ms.Response("/a", status=409, error=ms.Error(errors=nested(MAX_NESTING - 1)))]),
}
OPERATIONS: dict[str, Callable[[ms.MultiStatus], object]] = {
    "==": lambda doc: doc == copy.copy(doc),
    "repr": repr,
    "hash": hash,
    "pickle": lambda doc: pickle.loads(pickle.dumps(doc)) == doc,
    "deepcopy": lambda doc: copy.deepcopy(doc) == doc,
    "to_html": ms.to_html,
    "xml round trip": lambda doc: ms.from_xml(ms.to_xml(doc)) == doc,
    "pretty xml round trip": lambda doc: ms.from_xml(ms.to_xml(doc, pretty=True)) == doc,
    "json round trip": lambda doc: ms.from_json(ms.to_json(doc)) == doc,
    "iter_xml": lambda doc: list(ms.iter_xml(io.BytesIO(ms.to_xml(doc)))) == list(doc.responses),
    "stream_json": lambda doc: ms.from_json(b"".join(ms.stream_json(doc.responses))).responses == doc.responses,
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("where", list(DOCUMENTS))
def test_every_operation_works_at_the_limit_in_a_thread(where: str, operation: str) -> None:
    results: list[object] = []
    worker = threading.Thread(target=lambda: results.append(OPERATIONS[operation](DOCUMENTS[where])))
    worker.start()
    worker.join(60)
    assert results, f"{operation} of a value nested {MAX_NESTING} levels failed in a thread"
    assert results[0] is not False


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: chain(MAX_NESTING + 1), id="element"),
        pytest.param(lambda: ms.Property("{urn:x}p", [chain(MAX_NESTING + 1)]), id="property"),
        pytest.param(lambda: ms.Response("/a", status=200, body=nested(MAX_NESTING + 1)), id="body"),
        pytest.param(lambda: ms.Error(errors=nested(MAX_NESTING)), id="problem-member"),
    ],
)
def test_deeper_values_are_refused_when_built(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match=f"nested deeper than {MAX_NESTING} levels"):
        make()


def test_a_body_that_holds_itself_is_refused_not_a_recursion_error() -> None:
    body: list[object] = []
    body.append(body)
    with pytest.raises(ValueError, match="nested deeper"):
        ms.Response("/a", status=200, body=body)
    looped: dict[str, object] = {}
    looped["self"] = looped
    with pytest.raises(ValueError, match="nested deeper"):
        ms.Error(problem={"detail": looped})


def test_building_a_deep_value_costs_linear_time_not_recursion() -> None:
    """The height check is iterative: a chain built bottom-up to the limit is checked without recursion."""
    wide = ms.Element(X, [ms.Element(X, [str(i)]) for i in range(10_000)])
    assert len(ms.Element(X, [wide]).children[0].children) == 10_000


@pytest.mark.parametrize("max_depth", [pytest.param(None, id="no-limit"), pytest.param(10_000, id="huge-limit")])
def test_readers_never_go_past_the_hard_cap(max_depth: int | None) -> None:
    limits = ms.Limits(max_depth=max_depth)
    levels = MAX_DOCUMENT_DEPTH + 10
    xml = (
        b'<D:multistatus xmlns:D="DAV:"><D:response><D:href>/a</D:href><D:propstat><D:prop><x:p xmlns:x="urn:x">'
        + b"<x:v>" * levels
        + b"</x:v>" * levels
        + b"</x:p></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"
    )
    with pytest.raises(ms.LimitExceeded, match=f"deeper than {MAX_DOCUMENT_DEPTH} levels"):
        ms.from_xml(xml, limits=limits)
    with pytest.raises(ms.LimitExceeded):
        list(ms.iter_xml(io.BytesIO(xml), limits=limits))
    content = '"leaf"'
    for _ in range(levels):
        content = f'["{X}", {content}]'
    json_doc = (
        '{"responses": [{"href": "/a", "propstats": [{"status": 200, "props": {"{urn:x}p": [' + content + "]}}]}]}"
    )
    with pytest.raises(ms.LimitExceeded):
        ms.from_json(json_doc, limits=limits)
    body = '{"responses": [{"href": "/a", "status": 200, "body": ' + "[" * levels + "]" * levels + "}]}"
    with pytest.raises(ms.ParseError, match="nested deeper"):
        ms.from_json(body, limits=limits)


def test_the_default_limits_read_back_everything_the_model_holds() -> None:
    assert ms.Limits().max_depth == MAX_DOCUMENT_DEPTH
    for doc in DOCUMENTS.values():
        assert ms.from_xml(ms.to_xml(doc)) == doc
