"""The reader's fast paths give the same model as the plain walk.

Two optimizations of ``from_xml`` (issue 5) are checked here against a reader
with them switched off: equal property subtrees share one value, and a large
document is moved to the collector's oldest generation once built.
"""

from __future__ import annotations

import gc
import weakref

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import multistatus as ms
from multistatus._xml import _SHARE_MAX, _SHARE_NAMESPACES, PROMOTE_AT, Reader, parse_tree
from tests.strategies import documents

D = "{DAV:}"


def unshared(data: bytes) -> ms.MultiStatus:
    """The document as the reader builds it without sharing values (as the streaming parsers do)."""
    return Reader().multistatus(parse_tree(data))


def sharing(data: bytes) -> tuple[Reader, ms.MultiStatus]:
    """The reader from_xml uses, after reading *data*, and what it read."""
    reader = Reader(share=True)
    return reader, reader.multistatus(parse_tree(data))


def document(*responses: str, root: str = '<D:multistatus xmlns:D="DAV:">') -> bytes:
    close = "</" + root[1:].split(maxsplit=1)[0].rstrip(">") + ">"
    return (root + "".join(responses) + close).encode()


def response(href: str, prop: str, *, attrs: str = "", d: str = "D:") -> str:
    return (
        f"<{d}response{attrs}><{d}href>{href}</{d}href><{d}propstat><{d}prop>{prop}</{d}prop>"
        f"<{d}status>HTTP/1.1 200 OK</{d}status></{d}propstat></{d}response>"
    )


META = '<X:meta><X:tag kind="color">r&amp;d</X:tag><X:owner><X:name>Jürgen</X:name></X:owner></X:meta>'


def test_equal_subtrees_share_one_value() -> None:
    data = document(
        *(response(f"/f{i}", META, attrs=' xmlns:X="urn:x"') for i in range(3)),
    )
    doc = ms.from_xml(data)
    values = [r.propstats[0].props[0].value for r in doc]
    assert values[0] is values[1] is values[2]
    assert doc == unshared(data)
    tag = values[0][0]
    assert isinstance(tag, ms.Element)
    assert (tag.tag, tag.attributes, tag.text) == ("{urn:x}tag", {"{}kind": "color"}, "r&d")


# The same characters under different namespace bindings are different values:
# the serialization that keys the sharing carries the bindings it depends on.
REBOUND = [
    pytest.param(
        [response("/a", META, attrs=' xmlns:X="urn:a"'), response("/b", META, attrs=' xmlns:X="urn:b"')],
        '<D:multistatus xmlns:D="DAV:">',
        2,
        id="prefix-rebound-per-response",
    ),
    pytest.param(
        [
            response("/a", "<meta><v>1</v></meta>", d="", attrs=' xmlns:X="urn:x"'),
            response("/b", '<meta xmlns="urn:b"><v>1</v></meta>', d=""),
            response("/c", '<X:meta xmlns:X="DAV:"><X:v>1</X:v></X:meta>', d=""),
        ],
        '<multistatus xmlns="DAV:">',
        2,  # /c spells /a's value with a prefix
        id="default-namespace",
    ),
    pytest.param(
        [
            response("/a", '<D:p><v xmlns="">1</v></D:p>'),
            response("/b", "<D:p><v>1</v></D:p>", attrs=' xmlns="urn:v"'),
            response("/c", "<D:p><v>1</v></D:p>"),
        ],
        '<D:multistatus xmlns:D="DAV:">',
        2,  # /a undeclares the default namespace /c never had; /b's bytes are /c's
        id="unqualified-and-undeclared",
    ),
    pytest.param(
        [
            response("/a", '<D:p><D:v Y:k="1"/></D:p>', attrs=' xmlns:Y="urn:a"'),
            response("/b", '<D:p><D:v Y:k="1"/></D:p>', attrs=' xmlns:Y="urn:b"'),
            response("/c", '<D:p><D:v k="1"/></D:p>'),
        ],
        '<D:multistatus xmlns:D="DAV:">',
        3,
        id="attribute-namespaces",
    ),
    pytest.param(
        [
            response("/a", '<D:p xml:lang="de"><D:v>1</D:v></D:p>'),
            response("/b", "<D:p><D:v>1</D:v></D:p>", attrs=' xml:lang="fr"'),
            response("/c", '<D:p><D:v xml:lang="en">1</D:v></D:p>'),
            response("/d", "<D:p><D:v>1</D:v><!-- note --></D:p>"),
            response("/e", "<D:p><D:v>1</D:v></D:p>"),
        ],
        '<D:multistatus xmlns:D="DAV:">',
        4,  # a comment is not part of a value: /d is /e
        id="languages-and-comments",
    ),
]


@pytest.mark.parametrize(("responses", "root", "distinct"), REBOUND)
def test_sharing_never_mixes_up_namespaces(responses: list[str], root: str, distinct: int) -> None:
    data = document(*responses, root=root)
    doc = ms.from_xml(data)
    assert doc == unshared(data)
    props = [r.propstats[0].props[0] for r in doc]
    assert len({(p.value, p.lang) for p in props}) == distinct


def test_sharing_stops_when_values_do_not_repeat() -> None:
    unique = [response(f"/f{i}", f'<X:meta xmlns:X="urn:x"><X:n>{i}</X:n></X:meta>') for i in range(300)]
    data = document(*unique)
    reader, doc = sharing(data)
    assert reader.shared is None  # given up after a window of lookups found nothing
    assert doc == unshared(data)
    assert [r.propstats[0].props[0].text for r in doc] == [str(i) for i in range(300)]


def test_many_distinct_values_in_the_first_response_do_not_stop_sharing() -> None:
    values = "".join(f'<X:m{i} xmlns:X="urn:x"><X:n/></X:m{i}>' for i in range(100))
    data = document(*(response(f"/f{i}", values) for i in range(50)))
    reader, doc = sharing(data)
    assert reader.shared is not None
    first, last = doc.responses[0].propstats[0].props, doc.responses[-1].propstats[0].props
    assert all(a.value is b.value for a, b in zip(first, last, strict=True))
    assert doc == unshared(data)


def test_sharing_stops_where_many_namespaces_are_in_scope() -> None:
    # Serializing a subtree copies every namespace in scope, at a cost growing
    # with their square: a body declaring thousands must not make that quadratic.
    declarations = " ".join(f'xmlns:p{i}="urn:{i}"' for i in range(_SHARE_NAMESPACES + 1))
    data = document(
        *(response(f"/f{i}", "<D:p><D:x/></D:p>") for i in range(3)),
        root=f'<D:multistatus xmlns:D="DAV:" {declarations}>',
    )
    reader, doc = sharing(data)
    assert reader.shared is None
    assert doc == unshared(data)
    assert doc.responses[2].propstats[0].props[0].value == (ms.Element("{DAV:}x"),)


def test_namespaces_declared_per_response_keep_sharing_on() -> None:
    # Apache mod_dav declares namespaces on each response: few are in scope at once.
    data = document(
        *(
            response(f"/f{i}", "<lp1:p><lp1:x/></lp1:p>", attrs=' xmlns:lp1="DAV:" xmlns:g0="urn:g"')
            for i in range(200)
        ),
    )
    reader, doc = sharing(data)
    assert reader.shared is not None
    assert doc.responses[0].propstats[0].props[0].value is doc.responses[199].propstats[0].props[0].value


def test_large_subtrees_are_not_kept() -> None:
    big = '<X:meta xmlns:X="urn:x">' + "<X:n>0123456789</X:n>" * 100 + "</X:meta>"
    data = document(*(response(f"/f{i}", big) for i in range(3)))
    reader, doc = sharing(data)
    assert reader.shared == {}
    first, second = (r.propstats[0].props[0].value for r in doc.responses[:2])
    assert first == second
    assert first is not second
    assert len(first) == 100


def test_at_most_share_max_values_are_kept() -> None:
    n = _SHARE_MAX + 50
    values = [f'<X:meta xmlns:X="urn:x"><X:n>{i}</X:n></X:meta>' for i in range(n)]
    data = document(*(response(f"/f{i}-{j}", values[i]) for i in range(n) for j in range(3)))
    reader, doc = sharing(data)
    assert reader.shared is not None
    assert len(reader.shared) == _SHARE_MAX
    assert doc == unshared(data)


@settings(max_examples=60, deadline=None)
@given(documents(), st.integers(min_value=2, max_value=3))
def test_repeated_documents_parse_the_same_with_and_without_sharing(doc: ms.MultiStatus, times: int) -> None:
    # Repeating every response makes every nested value occur several times.
    repeated = ms.MultiStatus(list(doc.responses) * times, description=doc.description)
    data = ms.to_xml(repeated)
    assert ms.from_xml(data) == unshared(data) == repeated


# -- the collector ------------------------------------------------------------------
def many(n: int, *, broken: bool = False) -> bytes:
    responses = [response(f"/f{i}", f"<D:getetag>{i}</D:getetag>") for i in range(n)]
    if broken:
        responses.append("<D:response><D:status>HTTP/1.1 200 OK</D:status></D:response>")
    return document(*responses)


@pytest.fixture
def collector_on() -> object:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_a_large_document_is_built_into_the_oldest_generation() -> None:
    before = gc.get_freeze_count()
    doc = ms.from_xml(many(PROMOTE_AT))
    assert gc.isenabled()
    assert gc.get_freeze_count() == before == 0
    assert any(o is doc for o in gc.get_objects(generation=2))


@pytest.mark.usefixtures("collector_on")
def test_objects_the_application_froze_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        doc = ms.from_xml(many(PROMOTE_AT))
        assert gc.get_freeze_count() == frozen
        assert len(doc.responses) == PROMOTE_AT
        assert gc.isenabled()
    finally:
        gc.unfreeze()


@pytest.mark.usefixtures("collector_on")
def test_a_failed_build_switches_the_collector_back_on() -> None:
    with pytest.raises(ms.ParseError, match="no href"):
        ms.from_xml(many(PROMOTE_AT, broken=True))
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("collector_on")
def test_the_applications_young_garbage_is_collected_not_promoted() -> None:
    class Node:
        other: object = None

    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b  # a cycle: only the collector frees it
    ms.from_xml(many(PROMOTE_AT))
    assert gone() is None


def test_a_disabled_collector_stays_disabled() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        assert len(ms.from_xml(many(PROMOTE_AT)).responses) == PROMOTE_AT
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()
