"""The C writer names what it meets as ``Writer._qname`` would (``_cwriter.c`` learn()).

A Clark name the writer has not met yet gets its qualified name in C when its
namespace has a prefix already, or, while ``to_xml`` collects the root's
declarations, when it is a well-known namespace whose usual prefix is free (the
declaration is appended in the order the names are met, so the root declares
the namespaces in the same order as the Python writer).  A namespace that needs
a new ``ns<N>`` prefix, or a declaration on the element while streaming, is left
to Python.  Every document here is written both ways and must give the same bytes.
"""

from __future__ import annotations

import pytest

import multistatus as ms
from multistatus._names import NAMESPACE, PROBLEM_NS
from multistatus._xml import _writer
from tests.conftest import python_writer
from tests.test_cwriter import both, needs_c

CALDAV = "urn:ietf:params:xml:ns:caldav"


def item(i: int) -> ms.Response:
    if i % 3 == 1:
        return ms.Response(f"/items/{i}", status=422, error=ms.Error(code="invalid", message="name <required>"))
    return ms.Response(f"/items/{i}", status=201, id=str(i), location=f"/items/{i}", headers={"ETag": f'"{i}"'})


DOCUMENTS = {
    "a batch, the library's namespace first": ms.MultiStatus([item(i) for i in range(9)]),
    "a batch, the problem namespace first": ms.MultiStatus([item(i) for i in range(1, 10)]),
    "properties of well-known and other namespaces": ms.MultiStatus(
        [
            ms.Response(
                "/cal/",
                propstats=[
                    ms.PropStat({"{DAV:}displayname": "Cal", f"{{{CALDAV}}}calendar-description": "d"}, 200),
                    ms.PropStat(
                        {"{urn:example:own}colour": None, "{http://apple.com/ns/ical/}calendar-color": None}, 404
                    ),
                ],
            ),
            ms.Response(
                "/cal/e.ics",
                propstats=[
                    ms.PropStat(
                        [
                            ms.Property(
                                f"{{{CALDAV}}}calendar-data",
                                [ms.Element("{urn:example:own}x", ["1"], {"{urn:example:two}a": "v"})],
                            )
                        ],
                        200,
                    )
                ],
                error=ms.Error(["{http://sabredav.org/ns}exception"], code="x"),
            ),
        ]
    ),
}


@needs_c
@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_same_bytes_and_declarations_as_python(name: str) -> None:
    doc = DOCUMENTS[name]
    fast, slow = both(lambda: ms.to_xml(doc))
    assert fast == slow
    assert ms.from_xml(fast) == doc
    streamed, streamed_slow = both(lambda: b"".join(ms.stream_xml(doc)))
    assert streamed == streamed_slow
    assert ms.from_xml(streamed) == doc


@needs_c
def test_a_batch_is_written_by_c_alone_declarations_in_order_of_use() -> None:
    write = _writer._c_responses
    assert write is not None
    ms.to_xml(DOCUMENTS["a batch, the library's namespace first"])  # (the status texts are cached now)
    for key, order in (
        ("a batch, the library's namespace first", ["ms", "P"]),
        ("a batch, the problem namespace first", ["P", "ms"]),
    ):
        doc = DOCUMENTS[key]
        writer = _writer.Writer(collect=True)
        decls: list[str] = []
        data, stop = write(doc.responses, 0, writer._qnames, _writer._STATUS_ELEMENTS, writer._prefixes, decls)
        assert stop == len(doc.responses)  # nothing left to Python
        assert isinstance(data, bytes)
        uris = {"ms": NAMESPACE, "P": PROBLEM_NS}
        assert decls == [f' xmlns:{p}="{uris[p]}"' for p in order]
        assert writer._qnames[f"{{{PROBLEM_NS}}}code"] == "P:code"
        assert writer._qnames[f"{{{NAMESPACE}}}id"] == "ms:id"


@needs_c
def test_what_c_leaves_to_python() -> None:
    props = _writer._c_props
    assert props is not None
    prop = (ms.Property(f"{{{PROBLEM_NS}}}p", "v"),)
    qnames: dict[str, str] = {}
    # a well-known namespace whose usual prefix another namespace holds: Python numbers a new one
    taken = {"": "", "urn:other": "P"}
    decls: list[str] = []
    assert props(prop, qnames, taken, decls) is None
    assert (qnames, decls, taken) == ({}, [], {"": "", "urn:other": "P"})
    # streaming (no list for declarations): only a namespace with a prefix already
    start = {"": "", "DAV:": "D"}
    assert props(prop, qnames, start, None) is None
    assert props((ms.Property("{DAV:}getetag", '"1"'),), qnames, start, None) == '<D:getetag>"1"</D:getetag>'
    assert qnames == {"{DAV:}getetag": "D:getetag"}
    # no prefixes given: only the names it was handed
    assert props((ms.Property("{DAV:}owner", "o"),), qnames) is None
    # a namespace no one knows: Python gives it ns0
    assert props((ms.Property("{urn:nobody}p", "v"),), qnames, dict(start), []) is None
    with pytest.raises(TypeError, match="a dict and a list or None"):
        props(prop, qnames, start, ())  # type: ignore[arg-type]


@needs_c
def test_the_no_namespace_name_and_the_xml_namespace() -> None:
    value = ms.Element("{}plain", ["t"], {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
    doc = ms.MultiStatus([ms.Response("/a", propstats=[ms.PropStat([ms.Property("{}own", [value])], 200)])])
    fast, slow = both(lambda: ms.to_xml(doc))
    assert fast == slow
    assert b'<own><plain xml:space="preserve">t</plain></own>' in fast
    assert ms.from_xml(fast) == doc


def test_the_start_state_is_the_one_the_loop_builds() -> None:
    """Writer() copies a prepared state; Writer([]) builds it the long way: the same."""
    quick, built = _writer.Writer(), _writer.Writer([])
    assert (quick._prefixes, quick._decls) == (built._prefixes, built._decls)
    quick._prefixes["urn:x"] = "x"  # (a copy: the next writer starts clean)
    assert "urn:x" not in _writer.Writer()._prefixes


@needs_c
def test_a_lone_surrogate_forced_past_the_model_fails_both_ways() -> None:
    doc = ms.MultiStatus([ms.Response("/a", status=200)])
    object.__setattr__(doc.responses[0], "hrefs", ("/\ud800",))
    with pytest.raises(UnicodeEncodeError):
        ms.to_xml(doc)
    with python_writer(), pytest.raises(UnicodeEncodeError):
        ms.to_xml(doc)


@needs_c
def test_names_met_before_are_named_alike_under_every_writers_prefixes() -> None:
    """C remembers how it named a name of a well-known namespace (under its usual prefix) for the
    next writers; each still declares the namespace itself, or names it its own way."""
    props = _writer._c_props
    assert props is not None
    name = f"{{{PROBLEM_NS}}}remembered"
    prop = (ms.Property(name, "v"),)
    first: dict[str, str] = {}
    decls: list[str] = []
    assert props(prop, first, {"": ""}, decls) == "<P:remembered>v</P:remembered>"
    assert decls == [f' xmlns:P="{PROBLEM_NS}"']
    for _ in range(2):  # (the second time from what C remembers)
        decls = []
        again: dict[str, str] = {}
        assert props(prop, again, {"": ""}, decls) == "<P:remembered>v</P:remembered>"
        assert (again, decls) == ({name: "P:remembered"}, [f' xmlns:P="{PROBLEM_NS}"'])
        # declared on this writer's root already: no second declaration
        declared = {"": "", PROBLEM_NS: "P"}
        decls = []
        assert props(prop, {}, declared, decls) == "<P:remembered>v</P:remembered>"
        assert decls == []
        # this writer gives the namespace another prefix: its own
        own: dict[str, str] = {}
        assert props(prop, own, {"": "", PROBLEM_NS: "zz"}, []) == "<zz:remembered>v</zz:remembered>"
        assert own == {name: "zz:remembered"}
        # streaming, not declared yet: Python declares it on the element
        assert props(prop, {}, {"": ""}, None) is None
        # its usual prefix held by another namespace: Python numbers a new one
        assert props(prop, {}, {"": "", "urn:other": "P"}, []) is None


@needs_c
def test_the_whole_document_from_c_when_it_writes_every_response() -> None:
    """to_xml asks C for the whole document (head, declarations, responses, end) when the
    document has no multistatus-level parts; else, or when a response needs Python, the pieces."""
    write = _writer._c_responses
    assert write is not None
    doc = DOCUMENTS["a batch, the problem namespace first"]
    with python_writer():
        expected = ms.to_xml(doc)
    assert ms.to_xml(doc) == expected
    writer = _writer.Writer(collect=True)
    head = f'<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus{writer._decls}'
    end = "</D:multistatus>"
    assert (
        write(doc.responses, 0, writer._qnames, _writer._STATUS_ELEMENTS, writer._prefixes, [], (head, end)) == expected
    )
    with_body = ms.MultiStatus([*doc.responses, ms.Response("/b", status=200, body={"ok": True})])
    writer = _writer.Writer(collect=True)
    got = write(with_body.responses, 0, writer._qnames, _writer._STATUS_ELEMENTS, writer._prefixes, [], (head, end))
    assert isinstance(got, tuple)  # (the body is Python's: pieces)
    assert got[1] == len(doc.responses)
    for other in (with_body, ms.MultiStatus(doc.responses, description="all <done>", sync_token="t")):
        fast, slow = both(lambda other=other: ms.to_xml(other))
        assert fast == slow
    fast, slow = both(lambda: ms.to_xml(ms.MultiStatus([])))
    assert fast == slow == b'<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:"></D:multistatus>'
    with pytest.raises(TypeError, match=r"\(head, end\) with a list"):
        write(doc.responses, 0, {}, _writer._STATUS_ELEMENTS, {}, None, (head, end))
    with pytest.raises(TypeError, match="ASCII str"):
        write(doc.responses, 0, {}, _writer._STATUS_ELEMENTS, dict(_writer._START_PREFIXES), [], (head, b"end"))
