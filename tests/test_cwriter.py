"""The C writer (``multistatus/_xml/_cwriter.c``) writes what the Python writer writes.

``Writer.response`` hands each response, ``Writer.propstat`` each propstat's
properties, to the C module when it is built; it writes them when every name
in them has its qualified name (or gets one as ``Writer._qname`` gives it:
tests/test_cwriter_names.py) and every status its text, and answers None
otherwise (a namespace that needs a new ``ns<N>`` prefix; a body is JSON the
Python writer dumps).  Random documents are written both ways here and must
give the same bytes, whole and streamed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given

import multistatus as ms
from multistatus._json import _writer as _json_writer
from multistatus._xml import _writer
from tests.conftest import python_writer, scaled
from tests.strategies import documents, xml_documents

SETTINGS = scaled(2)
needs_c = pytest.mark.skipif(_writer._c_props is None, reason="multistatus._xml._cwriter is not built")


def both(write: Callable[[], bytes]) -> tuple[bytes, bytes]:
    fast = write()
    with python_writer():
        slow = write()
    return fast, slow


@needs_c
@SETTINGS
@given(documents())
def test_documents_are_written_the_same_both_ways(doc: ms.MultiStatus) -> None:
    fast, slow = both(lambda: ms.to_xml(doc))
    assert fast == slow
    assert ms.from_xml(fast) == doc


@needs_c
@SETTINGS
@given(documents())
def test_the_json_form_is_written_the_same_both_ways(doc: ms.MultiStatus) -> None:
    fast, slow = both(lambda: ms.to_json(doc))
    assert fast == slow
    assert ms.from_json(fast) == doc


@needs_c
def test_json_escaping_is_the_stdlibs() -> None:
    import json

    text = 'a"b\\c\nd\re\tf€😀'  # (no other control character: the model refuses them)
    fast = _json_writer._c_json_props
    assert fast is not None
    attrs = {"k": text, "{urn:x}q": "v"}
    props = ms.PropStat(
        [
            ms.Property("{urn:x}a", [ms.Element("{urn:x}e", [text], attrs), "tail"], lang="de", attributes=attrs),
            ms.Property("{DAV:}b"),
            ms.Property("{urn:x}c", ""),
        ],
        200,
    ).props
    inner = fast(props)
    assert inner is not None
    assert json.loads("{" + inner + "}") == {
        "{urn:x}a": {
            "value": [["{urn:x}e", {"k": text, "{urn:x}q": "v"}, text], "tail"],
            "lang": "de",
            "attributes": {"k": text, "{urn:x}q": "v"},
        },
        "{DAV:}b": "",
        "{urn:x}c": "",
    }
    assert fast((props[0], props[0])) is None  # a repeated name: the Python writer's list form
    assert _json_writer._esc(text)[1:-1] in inner  # the stdlib's escapes
    with pytest.raises(TypeError, match="a tuple"):
        fast([props[0]])  # type: ignore[arg-type]


@needs_c
@SETTINGS
@given(xml_documents())
def test_any_xml_content_is_written_the_same_both_ways(doc: ms.MultiStatus) -> None:
    """Every character class, attribute, xml:lang and nesting the model can hold."""
    fast, slow = both(lambda: ms.to_xml(doc))
    assert fast == slow
    streamed, streamed_slow = both(lambda: b"".join(ms.stream_xml(doc)))
    assert streamed == streamed_slow


@needs_c
def test_escaping_is_the_writers() -> None:
    value = ms.Element("{urn:x}v", ['a&b<c>d\re"f\ng\th'], {"k": 'a&b<c>d\re"f\ng\th'})
    prop = ms.Property("{urn:x}p", [value, "tail\r"], lang='d"e', attributes={"{urn:x}q": "\t\n"})
    doc = ms.MultiStatus([ms.Response("/a", propstats=[ms.PropStat([prop, ms.Property("{DAV:}getetag", "😀€é")])])])
    ms.to_xml(doc)  # the first time every name is new: Python writes it (and declares the namespaces)
    writer = _writer.Writer(("urn:x",))
    for name in ("{urn:x}v", "{urn:x}p", "{}k", "{urn:x}q", "{DAV:}getetag"):
        writer._qname(name, [])
    fast = _writer._c_props
    assert fast is not None
    text = fast(doc.responses[0].propstats[0].props, writer._qnames)
    assert text == (
        '<ns0:p ns0:q="&#9;&#10;" xml:lang="d&quot;e"><ns0:v k="a&amp;b&lt;c&gt;d&#13;e&quot;f&#10;g&#9;h">'
        'a&amp;b&lt;c&gt;d&#13;e"f\ng\th</ns0:v>tail&#13;</ns0:p><D:getetag>😀€é</D:getetag>'
    )
    fast_doc, slow_doc = both(lambda: ms.to_xml(doc))
    assert fast_doc == slow_doc
    fast_json, slow_json = both(lambda: ms.to_json(doc))
    assert fast_json == slow_json
    assert ms.from_xml(fast_doc) == doc


@needs_c
def test_a_name_without_a_qualified_name_goes_to_python() -> None:
    fast = _writer._c_props
    assert fast is not None
    props = (ms.Property("{urn:new}p", "v"),)
    assert fast(props, {}) is None
    assert fast(props, {"{urn:new}p": "n:p"}) == "<n:p>v</n:p>"
    with pytest.raises(TypeError, match="a tuple and a dict"):
        fast([props[0]], {})  # type: ignore[arg-type]


@needs_c
def test_responses_in_every_form_are_written_the_same_both_ways() -> None:
    """Status and propstat forms, errors, REST parts, extensions: the first of each goes to Python, then C."""
    ext = ms.Element("{urn:x}ext", ["a&b"], {"k": '"v"'})
    error = ms.Error(["{DAV:}lock-token-submitted"], code="locked", message="<held>", retry=3)
    responses = [
        ms.Response("/a&b", status=423, error=ms.Error(code="c", message="m\r")),
        ms.Response("/b", status=201, id="7", location="/b/7", headers={"ETag": '"1"', "X-A": "a<b"}),
        ms.Response(["/c", "/d"], status=ms.Status(409, "Mine")),
        ms.Response("/e", status=424, error=error, description="why & how", extensions=[ext]),
        ms.Response("/f", status=200, body={"ok": True}, id="f"),
        ms.Response(
            "/g",
            propstats=[
                ms.PropStat({"{DAV:}a": "1"}, 200, description="d", extensions=[ext]),
                ms.PropStat({"{DAV:}b": None}, 403, error=ms.Error(["{DAV:}cannot-modify-protected-property"])),
            ],
        ),
    ]
    doc = ms.MultiStatus(responses * 3, description="all", sync_token="http://s/1")
    fast, slow = both(lambda: ms.to_xml(doc))
    assert fast == slow
    assert ms.from_xml(fast) == doc
    streamed, streamed_slow = both(lambda: b"".join(ms.stream_xml(doc, namespaces=("urn:x",))))
    assert streamed == streamed_slow
    fast_json, slow_json = both(lambda: ms.to_json(doc))
    assert fast_json == slow_json
    assert [_json_writer._c_json_response(r) is None for r in responses] == [  # type: ignore[misc]
        False,
        False,
        False,
        True,  # a problem member that is a JSON value (retry=3)
        True,  # a body
        False,
    ]
    respond = _writer._c_response
    assert respond is not None
    writer = _writer.Writer(collect=True)
    with python_writer():
        expected = [writer.response(r) for r in responses]  # (the names and statuses are known now)
    written = [respond(r, writer._qnames, _writer._STATUS_ELEMENTS) for r in responses]
    # (its own reason phrase; a JSON problem member; a body: the Python writer)
    assert written == [expected[0], expected[1], None, None, None, expected[5]]
    with pytest.raises(TypeError, match="two dicts"):
        respond(responses[0], {}, [], None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a dict and a list or None"):
        respond(responses[0], {}, {}, {}, ())  # type: ignore[arg-type]


def test_the_switch_to_pure_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MULTISTATUS_PURE_PYTHON", "1")
    assert _writer._load_c_writer() is None


def test_a_module_that_refuses_the_classes_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    module = pytest.importorskip("multistatus._xml._cwriter")

    def refuse(*args: object) -> None:
        raise TypeError("Property.name is not a slot")

    monkeypatch.delenv("MULTISTATUS_PURE_PYTHON", raising=False)
    monkeypatch.setattr(module, "setup", refuse)
    assert _writer._load_c_writer() is None


def test_without_the_module_python_writes_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.delenv("MULTISTATUS_PURE_PYTHON", raising=False)
    monkeypatch.setitem(sys.modules, "multistatus._xml._cwriter", None)  # import raises ImportError
    assert _writer._load_c_writer() is None


@needs_c
def test_long_documents_come_in_pieces_and_read_back() -> None:
    """The C writer returns about 64 Ki characters at a time and stops at what Python must write."""
    tricky = ms.Response("/ü😀", status=424, error=ms.Error(code="x", retry=3))  # given up late: after the href
    responses = [ms.Response(f"/items/{i}", status=201, id=str(i), location=f"/items/{i}") for i in range(2000)]
    responses[1000:1000] = [tricky, tricky]
    doc = ms.MultiStatus(responses)
    fast, slow = both(lambda: ms.to_xml(doc))
    assert fast == slow
    assert ms.from_xml(fast) == doc
    write = _writer._c_responses
    assert write is not None
    writer = _writer.Writer(collect=True)
    with python_writer():
        expected = [writer.response(r) for r in doc.responses]
    data, stop = write(doc.responses, 0, writer._qnames, _writer._STATUS_ELEMENTS)
    assert 0 < stop < 1000
    assert data == "".join(expected[:stop]).encode()  # (UTF-8, in its compact form)
    data, stop = write(doc.responses, 1000, writer._qnames, _writer._STATUS_ELEMENTS)
    assert (data, stop) == (b"", 1000)  # the first thing it meets is Python's
    data, stop = write(doc.responses, 1002, writer._qnames, _writer._STATUS_ELEMENTS)
    assert data == "".join(expected[1002:stop]).encode()
    with pytest.raises(TypeError, match="a tuple, an index"):
        write(list(doc.responses), 0, {}, {}, None)  # type: ignore[arg-type]
    fast_json, slow_json = both(lambda: ms.to_json(doc))
    assert fast_json == slow_json
    json_write = _json_writer._c_json_responses
    assert json_write is not None
    text, stop = json_write(doc.responses, 0)
    assert 0 < stop < 1000
    assert text == ",".join(_json_writer.response_text(r) for r in doc.responses[:stop])
    assert json_write(doc.responses, 1000) == ("", 1000)  # (a JSON problem member: Python's)
    with pytest.raises(TypeError, match="a tuple and an index"):
        json_write(list(doc.responses), 0)  # type: ignore[arg-type]


def test_the_json_writer_uses_c_only_where_the_xml_writer_set_it_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MULTISTATUS_PURE_PYTHON", "1")
    assert _json_writer._load_c_json() is None
    monkeypatch.delenv("MULTISTATUS_PURE_PYTHON")
    monkeypatch.setattr(_writer, "_c_props", None)  # (the XML writer found no usable C module)
    assert _json_writer._load_c_json() is None


def test_the_c_writer_is_used_where_ci_requires_it() -> None:
    """``.ci/run`` builds the C modules and sets MULTISTATUS_REQUIRE_SPEEDUPS."""
    import os

    if not os.environ.get("MULTISTATUS_REQUIRE_SPEEDUPS"):
        pytest.skip("MULTISTATUS_REQUIRE_SPEEDUPS is not set")
    assert _writer._c_props is not None
    assert _writer._c_responses is not None
    assert _json_writer._c_json_response is not None
