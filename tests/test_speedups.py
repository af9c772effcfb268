"""The C property loop (``multistatus/_speedups.c``) reads what the Python loop reads.

``from_xml`` and the streaming parsers hand each ``DAV:prop`` to the C loop when
it is built; it gives the work back to the Python loop for anything unusual.
Here random property content (namespaces, ``xmlns=""``, attributes, ``xml:lang``,
CDATA, comments, processing instructions, non-ASCII) is parsed both ways and
must give equal values or the same error; the other XML test modules run whole
with each loop (``reader_loop`` in ``conftest.py``).
"""

from __future__ import annotations

import builtins
import gc
import importlib.util
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import multistatus as ms
from multistatus._xml import _accel
from multistatus._xml import _reader as _xml
from tests.conftest import python_loop, scaled

SETTINGS = scaled(2)  # examples: the profile's count times 2 (tests/conftest.py)
FAST = _xml._fast_props
needs_c = pytest.mark.skipif(FAST is None, reason="the C accelerator multistatus._xml._speedups is not built")

ROOT = '<D:multistatus xmlns:D="DAV:" xmlns:x="urn:x" xmlns="urn:default">'
# Text that survives XML 1.0: no control characters, surrogates or U+FFFE/U+FFFF.
TEXT = st.text(
    st.one_of(
        st.sampled_from("\t\n &<>\"'é€ü"),
        st.characters(min_codepoint=0x20, max_codepoint=0x2FF),
        st.characters(min_codepoint=0x10000, max_codepoint=0x1F6FF),
    ),
    max_size=8,
)
NAMES = st.sampled_from(["D:getetag", "D:displayname", "x:v", "x:Grüße", "plain", "n-1", "x:_x"])
ATTRIBUTES = st.dictionaries(st.sampled_from(["k", "x:k", "D:k", "xml:lang", "kind", "Ä"]), TEXT, max_size=3)


@st.composite
def elements(draw: st.DrawFn, depth: int) -> str:
    """One element, as XML text, holding up to *depth* more levels of mixed content."""
    name = draw(NAMES)
    attrs = "".join(f" {k}={quoteattr(v)}" for k, v in draw(ATTRIBUTES).items())
    attrs += draw(st.sampled_from(["", "", ' xmlns=""', ' xmlns="urn:other"', ' xmlns:x="urn:rebound"']))
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "text", "cdata", "comment", "pi", "element"]))
        if kind == "text":
            parts.append(escape(draw(TEXT)))
        elif kind == "cdata":
            parts.append(f"<![CDATA[{draw(TEXT).replace(']]>', '')}]]>")
        elif kind == "comment":
            parts.append(f"<!--{draw(TEXT).replace('-', '')}-->")
        elif kind == "pi":
            parts.append(f"<?pi {draw(TEXT).replace('?>', '')}?>")
        elif depth > 0:
            parts.append(draw(elements(depth - 1)))
    inner = "".join(parts)
    return f"<{name}{attrs}>{inner}</{name}>" if inner or draw(st.booleans()) else f"<{name}{attrs}/>"


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    """A multistatus with one response and one propstat of random properties."""
    props = "".join(draw(st.lists(elements(3), max_size=5)))
    lang = draw(st.sampled_from(["", ' xml:lang="en"', ' xml:lang=""']))
    status = draw(st.sampled_from(["HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found"]))
    prop_lang = draw(st.sampled_from(["", " xml:lang='de'"]))
    return (
        f"{ROOT}<D:response><D:href>/a</D:href><D:propstat{lang}>"
        f"<D:prop{prop_lang}>{props}</D:prop>"
        f"<D:status>{status}</D:status></D:propstat></D:response></D:multistatus>"
    ).encode()


def outcome(parse: Callable[[], object]) -> object:
    """The value *parse* returns, or the type and message of the library error it raises."""
    try:
        return parse()
    except ms.ParseError as exc:
        return type(exc), str(exc)


def both(parse: Callable[[], object]) -> tuple[object, object]:
    fast = outcome(parse)
    with python_loop():
        slow = outcome(parse)
    return fast, slow


@needs_c
@SETTINGS
@given(documents())
def test_random_property_content_reads_the_same_with_both_loops(data: bytes) -> None:
    fast, slow = both(lambda: ms.from_xml(data))
    assert fast == slow
    assert repr(fast) == repr(slow)  # (== of values; repr also shows each lang and attribute map)
    streamed, _ = both(lambda: list(ms.iter_xml(data)))
    if isinstance(fast, ms.MultiStatus):
        assert streamed == list(fast.responses)


#: What only the streaming parsers let through (libxml2 reports it at the end).
STREAM_ONLY = [
    '<D:a xmlns:p="urn:p" xmlns:q="urn:p" p:x="1" q:x="2"><e p:y="1" q:y="2"/></D:a>',  # one attribute twice
    '<D:a xml:lang="de" xmlns:l="http://www.w3.org/XML/1998/namespace" l:lang="fr">t</D:a>',
    "<b:v>undeclared</b:v>",
    '<D:a><x:e b:k="undeclared"/></D:a>',
]


@needs_c
@pytest.mark.parametrize("prop", STREAM_ONLY)
def test_what_only_a_stream_lets_through_reads_the_same(prop: str) -> None:
    data = (
        f"{ROOT}<D:response><D:href>/a</D:href><D:propstat><D:prop>{prop}</D:prop>"
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"
    ).encode()

    def fed() -> object:
        feeder = ms.XMLFeeder()
        return [repr(r) for r in feeder.feed(data)]  # (close() raises for some of these)

    fast, slow = both(fed)
    assert fast == slow
    fast, slow = both(lambda: ms.from_xml(data))  # (the tree parser refuses them all)
    assert fast == slow
    assert isinstance(fast, tuple)


@needs_c
@pytest.mark.parametrize(
    "limits",
    [ms.Limits(max_depth=4), ms.Limits(max_depth=5), ms.Limits(max_depth=6), ms.Limits(max_depth=None)],
)
def test_the_depth_limit_is_the_same_and_reported_by_the_python_loop(limits: ms.Limits) -> None:
    deep = "<x:a>" * 3 + "t" + "</x:a>" * 3
    data = (
        f"{ROOT}<D:response><D:href>/a</D:href><D:propstat><D:prop>{deep}</D:prop>"
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>".encode()
    )
    fast, slow = both(lambda: ms.from_xml(data, limits=limits))
    assert fast == slow
    if limits.max_depth is not None and limits.max_depth < 6:
        assert isinstance(fast, tuple)
        assert fast[0] is ms.LimitExceeded
        assert "nested deeper" in fast[1]
    else:
        assert isinstance(fast, ms.MultiStatus)


def prop_element(xml: str) -> etree._Element:
    return etree.fromstring(f'<D:prop xmlns:D="DAV:" xmlns:x="urn:x">{xml}</D:prop>'.encode())


@needs_c
def test_giving_up_leaves_the_lists_as_they_were() -> None:
    assert FAST is not None
    el = prop_element("<D:getetag>e</D:getetag><x:v><x:a><x:b>deep</x:b></x:a></x:v>")
    out: list[object] = ["kept"]
    names = ["kept"]
    # content of x:v is at depth 4, x:a's at 5: over a limit of 4
    assert FAST(el, 3, 4, None, out, names) is False
    assert out == ["kept"]
    assert names == ["kept"]
    assert FAST(el, 3, -1, "en", out, names) is True
    assert names == ["kept", "{DAV:}getetag", "{urn:x}v"]
    assert out[1] == ms.Property("{DAV:}getetag", "e", lang="en")


@needs_c
def test_the_c_loop_checks_its_arguments() -> None:
    assert FAST is not None
    with pytest.raises(TypeError, match="lxml element"):
        FAST(object(), 0, -1, None, [], [])
    with pytest.raises(TypeError, match="two lists"):
        FAST(prop_element(""), 0, -1, 1, [], [])
    with pytest.raises(TypeError, match="6 arguments"):
        FAST(prop_element(""))


@needs_c
def test_shared_names_and_fresh_values() -> None:
    doc = ms.from_xml(
        f"{ROOT}<D:response><D:href>/a</D:href><D:propstat><D:prop><x:n>1</x:n></D:prop>"
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
        "<D:response><D:href>/b</D:href><D:propstat><D:prop><x:n>2</x:n></D:prop>"
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"
    )
    first, second = (r.propstats[0].props[0] for r in doc)
    assert first.name is second.name  # one str per repeated name, as the Python loop does
    assert (first.value, second.value) == ("1", "2")
    with pytest.raises(AttributeError):
        first.value = "changed"  # type: ignore[misc]  # still a frozen value


@needs_c
def test_no_references_leak() -> None:
    """Run both the building and the giving-up paths many times: traced memory stays flat."""
    doc = (
        f"{ROOT}<D:response><D:href>/a</D:href><D:propstat><D:prop xml:lang='de'>"
        "<x:v k='1' xml:lang='fr'><x:a>one<!--c-->two<![CDATA[3]]></x:a>tail<x:b x:k='&amp;'/></x:v>"
        "<D:getetag>e</D:getetag><D:empty/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status>"
        "</D:propstat></D:response></D:multistatus>"
    ).encode()
    shallow = ms.Limits(max_depth=4)

    def run(times: int) -> None:
        for _ in range(times):
            ms.from_xml(doc)
            with pytest.raises(ms.LimitExceeded):
                ms.from_xml(doc, limits=shallow)

    run(200)  # caches (status lines, names) filled
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        run(2000)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 20_000, f"{grown} bytes kept after 2,000 rounds"


def test_a_built_accelerator_is_used() -> None:
    """A built module that is not used failed its probe (``_accel.load_speedups``): a layout it misreads."""
    built = importlib.util.find_spec("multistatus._xml._speedups") is not None
    if not built or os.environ.get("MULTISTATUS_PURE_PYTHON"):
        pytest.skip("the C accelerator is not built or switched off")
    assert FAST is not None


def test_the_accelerator_is_used_where_ci_requires_it() -> None:
    """``.ci/run`` builds the C module and sets MULTISTATUS_REQUIRE_SPEEDUPS."""
    if not os.environ.get("MULTISTATUS_REQUIRE_SPEEDUPS"):
        pytest.skip("MULTISTATUS_REQUIRE_SPEEDUPS is not set")
    assert FAST is not None


def test_the_switch_to_pure_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MULTISTATUS_PURE_PYTHON", "1")
    assert _accel.load_speedups(_xml.Reader, {}) is None
    code = "import multistatus as ms, multistatus._xml._reader as x; print(x._fast_props, ms.from_xml(DOC).responses[0].propstats[0].props[0].value)"
    doc = (
        f"{ROOT}<D:response><D:href>/a</D:href><D:propstat><D:prop><x:v>ok</x:v></D:prop>"
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"
    )
    env = {**os.environ, "MULTISTATUS_PURE_PYTHON": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code.replace("DOC", repr(doc))], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["None", "ok"]


def test_a_module_that_refuses_the_classes_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    speedups = pytest.importorskip("multistatus._xml._speedups")

    def refuse(*args: object) -> None:
        raise TypeError("Property.name is not a slot")

    monkeypatch.delenv("MULTISTATUS_PURE_PYTHON", raising=False)
    monkeypatch.setattr(speedups, "setup", refuse)
    assert _accel.load_speedups(_xml.Reader, {}) is None


def test_without_the_module_the_python_loop_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MULTISTATUS_PURE_PYTHON", raising=False)
    monkeypatch.setitem(sys.modules, "multistatus._xml._speedups", None)  # import raises ImportError
    assert _accel.load_speedups(_xml.Reader, {}) is None


@pytest.mark.parametrize(
    ("lxml_version", "libxml2_version"),
    [
        pytest.param((7, 0, 0, 0), (2, 14, 6), id="newer-lxml"),
        pytest.param((4, 9, 4, 0), (2, 10, 3), id="older-lxml"),
        pytest.param((6, 1, 3, 0), (2, 16, 0), id="newer-libxml2"),
        pytest.param((5, 0, 0, 0), (2, 9, 14), id="older-libxml2"),
    ],
)
def test_an_lxml_or_libxml2_outside_the_allow_list_gets_the_python_loop(
    monkeypatch: pytest.MonkeyPatch, lxml_version: tuple[int, ...], libxml2_version: tuple[int, ...]
) -> None:
    """Refused before the module is imported: no struct of an unknown layout is ever read."""
    from lxml import etree

    monkeypatch.delenv("MULTISTATUS_PURE_PYTHON", raising=False)
    monkeypatch.setattr(etree, "LXML_VERSION", lxml_version)
    monkeypatch.setattr(etree, "LIBXML_VERSION", libxml2_version)
    monkeypatch.setitem(sys.modules, "multistatus._xml._speedups", None)  # an import would raise ImportError
    imported: list[str] = []
    real_import = builtins.__import__

    def watch(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.endswith("_speedups"):
            imported.append(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr("builtins.__import__", watch)
    assert _accel.load_speedups(_xml.Reader, {}) is None
    assert imported == []


@pytest.mark.parametrize(
    ("lxml_version", "libxml2_version", "expected"),
    [
        pytest.param((5, 0, 0, 0), (2, 10, 3), True, id="oldest"),
        pytest.param((6, 1, 3, 0), (2, 14, 6), True, id="newest"),
        pytest.param((6, 2, 0, 0), (2, 14, 6), False, id="next-lxml"),
        pytest.param((5, 0, 0, 0), (2, 15, 9), True, id="libxml2-2.15"),
    ],
)
def test_the_allow_list(lxml_version: tuple[int, ...], libxml2_version: tuple[int, ...], expected: bool) -> None:
    assert _accel.versions_supported(lxml_version, libxml2_version) is expected


def test_this_lxml_is_on_the_allow_list_where_ci_requires_the_accelerator() -> None:
    from lxml import etree

    if not os.environ.get("MULTISTATUS_REQUIRE_SPEEDUPS"):
        pytest.skip("MULTISTATUS_REQUIRE_SPEEDUPS is not set")
    assert _accel.versions_supported(etree.LXML_VERSION, etree.LIBXML_VERSION)


# -- the C response walk --------------------------------------------------------

#: Parts of a response: the plain ones the C walk builds, and each thing it leaves to Python.
RESPONSE_PARTS = st.sampled_from(
    [
        "<D:href>/a</D:href>",
        "<D:href>/b%20c</D:href>",
        "<D:href> /padded </D:href>",
        "<D:href></D:href>",
        "<D:href>/x<x:i/></D:href>",
        "<D:href>/x<!--c-->y</D:href>",
        "<D:href><![CDATA[/cdata]]></D:href>",
        "<D:status>HTTP/1.1 200 OK</D:status>",
        "<D:status>HTTP/1.1 423 Locked</D:status>",
        "<D:status>HTTP/1.1 299 Rare Thing</D:status>",
        "<D:status>HTTP/1.1 100 Continue</D:status>",
        "<D:status>bogus</D:status>",
        "<D:status></D:status>",
        "<D:propstat><D:prop><D:getetag>e</D:getetag><D:empty/></D:prop>"
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat>",
        "<D:propstat><D:prop><x:gone/><x:blank></x:blank></D:prop>"
        "<D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>",
        "<D:propstat><D:prop><x:a>1</x:a></D:prop><D:prop><x:b>2</x:b></D:prop>"
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat>",
        "<D:propstat xml:lang='de'><D:prop><x:a>1</x:a></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>",
        "<D:propstat><D:prop xml:lang='fr'><x:a>1</x:a></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>",
        "<D:propstat><D:prop><x:a>1</x:a></D:prop></D:propstat>",
        "<D:propstat><D:prop/><D:status>HTTP/1.1 200 OK</D:status><D:status>HTTP/1.1 200 OK</D:status></D:propstat>",
        "<D:propstat><D:prop><x:a/></D:prop><D:status>HTTP/1.1 403 Forbidden</D:status>"
        "<D:error><D:cannot-modify-protected-property/></D:error></D:propstat>",
        "<D:propstat><D:prop><x:a/></D:prop><D:status>HTTP/1.1 200 OK</D:status>"
        "<D:responsedescription>why</D:responsedescription></D:propstat>",
        "<D:propstat><D:prop><x:a/></D:prop><x:ext/><D:status>HTTP/1.1 200 OK</D:status></D:propstat>",
        "<D:propstat><!--c--><D:prop><?pi x?><x:a>&amp;</x:a></D:prop> <D:status>HTTP/1.1 200 OK</D:status></D:propstat>",
        "<D:error><D:lock-token-submitted/></D:error>",
        "<D:responsedescription>text</D:responsedescription>",
        "<D:location><D:href>/moved</D:href></D:location>",
        "<x:extension k='v'>kept</x:extension>",
        "<!-- a comment -->",
        "<?pi between?>",
        "\n  ",
    ]
)
RESPONSE_LIMITS = st.sampled_from(
    [
        ms.Limits(),
        ms.Limits(max_hrefs=1),
        ms.Limits(max_propstats=1),
        ms.Limits(max_properties=1),
        ms.Limits(max_properties=2, max_hrefs=2),
        ms.Limits(max_depth=4),
    ]
)


@st.composite
def response_documents(draw: st.DrawFn) -> bytes:
    responses = []
    for _ in range(draw(st.integers(1, 3))):
        attrs = draw(st.sampled_from(["", "", " xml:lang='en'", " x:k='v'"]))
        parts = "".join(draw(st.lists(RESPONSE_PARTS, max_size=5)))
        responses.append(f"<D:response{attrs}>{parts}</D:response>")
    lang = draw(st.sampled_from(["", " xml:lang='de'"]))
    return f'<D:multistatus xmlns:D="DAV:" xmlns:x="urn:x"{lang}>{"".join(responses)}</D:multistatus>'.encode()


@needs_c
@SETTINGS
@given(response_documents(), RESPONSE_LIMITS)
def test_random_responses_read_the_same_with_both_walks(data: bytes, limits: ms.Limits) -> None:
    """The C response walk builds the plain forms and leaves everything else, errors included, to Python."""
    fast, slow = both(lambda: ms.from_xml(data, limits=limits))
    assert fast == slow
    assert repr(fast) == repr(slow)
    streamed, streamed_slow = both(lambda: [repr(r) for r in ms.iter_xml(data, limits=limits)])
    assert streamed == streamed_slow


@needs_c
def test_the_c_walk_builds_the_plain_forms() -> None:
    """A PROPFIND answer and a status-form response come out of the C walk itself."""
    assert _xml._fast_response is not None
    data = (
        b'<D:multistatus xmlns:D="DAV:"><D:response><D:href>/a</D:href><D:propstat><D:prop>'
        b"<D:getetag>e</D:getetag></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
        b"<D:propstat><D:prop><D:x></D:x></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat></D:response>"
        b"<D:response><D:href>/b</D:href><D:href>/c</D:href><D:status>HTTP/1.1 423 Locked</D:status></D:response>"
        b"</D:multistatus>"
    )
    ms.from_xml(data)  # the status lines are cached now
    root = etree.fromstring(data)
    reader = _xml.Reader()
    first, second = (_xml._fast_response(el, 2, None, reader.c_limits) for el in root)
    assert first == ms.Response(
        "/a", propstats=[ms.PropStat({"{DAV:}getetag": "e"}), ms.PropStat({"{DAV:}x": None}, 404)]
    )
    assert first.propstats[1].props[0].value is None  # empty under a non-2xx status: no value
    assert second == ms.Response(hrefs=["/b", "/c"], status=423)
    with pytest.raises(TypeError, match="tuple of 4 limits"):
        _xml._fast_response(root[0], 2, None, (1, 2))
    with pytest.raises(TypeError, match="lxml element"):
        _xml._fast_response(object(), 2, None, reader.c_limits)


@needs_c
def test_values_read_are_left_to_reference_counting() -> None:
    """The values hold no cycles; the C walk untracks them, so no collection has to scan them."""
    doc = ms.from_xml(
        b'<D:multistatus xmlns:D="DAV:" xmlns:x="urn:x"><D:response><D:href>/a</D:href><D:propstat><D:prop>'
        b"<D:getetag>e</D:getetag><x:v k='1'><x:a>t</x:a></x:v></D:prop>"
        b"<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"
    )
    response = doc.responses[0]
    propstat = response.propstats[0]
    etag, v = propstat.props
    for value in (response, response.hrefs, propstat, propstat.props, etag, v, v.value, v.value[0]):
        assert not gc.is_tracked(value), value


def first_declarations(root: etree._Element) -> list[tuple[str, str]]:
    """What iterwalk's start-ns events give, each namespace name once (its first declaration)."""
    from multistatus._xml import _parser

    firsts: dict[str, tuple[str, str]] = {}
    for prefix, uri in _parser.walk_declarations(root):
        if uri:
            firsts.setdefault(uri, (prefix, uri))
    return list(firsts.values())


@needs_c
@SETTINGS
@given(documents())
def test_the_declarations_walk_lists_what_iterwalk_lists(data: bytes) -> None:
    """Each namespace name once, with the prefix of its first declaration, in document order."""
    from multistatus._xml import _parser

    root = etree.fromstring(data)
    assert _parser.declarations(root) == first_declarations(root)
    assert _parser.declarations(root[0]) == first_declarations(root[0])  # a subtree: what is declared inside


@needs_c
@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("where", ["root", "response", "href", "prop", "deep", "left", "extension", "wrong-root"])
def test_a_bad_namespace_is_refused_by_both_walks(where: str, strict: bool) -> None:
    """Declarations are checked in the C walk when it meets every element, else by a walk of their own."""
    bad = ' xmlns:b="htt$p://example.com/ext"'
    at = {w: bad if w == where else "" for w in ("root", "response", "href", "prop", "deep", "left", "extension")}
    root = "D:nomultistatus" if where == "wrong-root" else "D:multistatus"
    data = (
        f'<{root} xmlns:D="DAV:"{at["root"]}>'
        f"<D:response{at['response']}><D:href{at['href']}>/a</D:href><D:propstat><D:prop{at['prop']}>"
        f"<D:a><D:b{at['deep']}>x</D:b></D:a></D:prop>"
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
        f"<D:response xml:lang='de'><D:href{at['left']}></D:href><D:status>HTTP/1.1 200 OK</D:status></D:response>"
        f"<D:ext{at['extension']}/>"
        f"</{root}>"
    ).encode()
    if where == "wrong-root":
        data = data.replace(b"<D:nomultistatus ", b"<D:nomultistatus" + bad.encode() + b" ")
    fast, slow = both(lambda: ms.from_xml(data, strict=strict))
    assert fast == slow
    assert isinstance(fast, tuple)
    assert fast[0] is ms.ParseError
    assert "xmlns:b" in fast[1]  # (before the empty href of the second response, or the wrong root)


@needs_c
@pytest.mark.parametrize("max_responses", [None, 1, 5, 30, 45])
def test_the_walk_over_a_documents_children_reads_what_python_reads(max_responses: int | None) -> None:
    """Plain responses, ones left to Python (more than the walk keeps), comments and the other children."""
    plain = "<D:response><D:href>/p{0}</D:href><D:status>HTTP/1.1 200 OK</D:status></D:response>"
    left = "<D:response xml:lang='de'><D:href>/l{0}</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response>"
    parts = []
    for i in range(40):
        parts.append((left if i % 2 or 10 < i < 35 else plain).format(i))
        if i == 3:
            parts.append("<!-- c --><?pi x?><x:ext>kept</x:ext>")
        if i == 20:
            parts.append("<D:responsedescription>middle</D:responsedescription>")
    parts.append("<D:sync-token>http://example.com/sync/1</D:sync-token><x:tail/>")
    data = f'<D:multistatus xmlns:D="DAV:" xmlns:x="urn:x">{"".join(parts)}</D:multistatus>'.encode()
    limits = ms.Limits(max_responses=max_responses)
    fast, slow = both(lambda: ms.from_xml(data, limits=limits))
    assert fast == slow
    assert repr(fast) == repr(slow)
    if max_responses is None or max_responses >= 40:
        assert isinstance(fast, ms.MultiStatus)
        assert [r.href for r in fast][:3] == ["/p0", "/l1", "/p2"]
        assert fast.sync_token == "http://example.com/sync/1"
    else:
        assert isinstance(fast, tuple)
        assert fast[0] is ms.LimitExceeded


@needs_c
def test_equal_plain_properties_of_a_document_are_one_value() -> None:
    """Shared by the C loop within one document (bounded); values with a lang, attributes or no text are not."""
    rows = []
    for i in range(150):
        rows.append(
            f"<D:response><D:href>/r{i}</D:href><D:propstat><D:prop>"
            f"<D:getcontenttype>text/plain</D:getcontenttype><x:n>{i}</x:n><D:resourcetype/>"
            f"<x:l xml:lang='de'>ja</x:l><x:a k='1'>v</x:a></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
            f"<D:propstat><D:prop><x:gone></x:gone></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>"
            "</D:response>"
        )
    data = f'<D:multistatus xmlns:D="DAV:" xmlns:x="urn:x">{"".join(rows)}</D:multistatus>'.encode()
    fast, slow = both(lambda: ms.from_xml(data))
    assert fast == slow
    assert isinstance(fast, ms.MultiStatus)
    first, second = fast.responses[0].propstats[0].props, fast.responses[1].propstats[0].props
    assert [a is b for a, b in zip(first, second, strict=True)] == [True, False, False, False, False]
    assert fast.responses[149].propstats[0].props[1].value == "149"  # (past the bound: built, not shared)
    assert [r.propstats[1].props[0].value for r in fast.responses[:2]] == [None, None]
    other = ms.from_xml(data)
    assert other.responses[0].propstats[0].props[0] is not first[0]  # one document's values only


@needs_c
def test_a_document_read_by_a_finalizer_during_a_walk_leaves_the_walk_as_it_was() -> None:
    """A collection during the C walk may run a finalizer that reads another document (its own walk)."""
    rows = "".join(
        f'<D:response><D:href>/a{i}</D:href><D:propstat><D:prop><x:p xmlns:x="urn:x{i}">v</x:p></D:prop>'
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
        for i in range(200)
    )
    outer = f'<D:multistatus xmlns:D="DAV:">{rows}</D:multistatus>'.encode()
    inner = b'<D:multistatus xmlns:D="DAV:" xmlns:b="urn:b"><D:response><D:href>/i</D:href><D:status>HTTP/1.1 200 OK</D:status></D:response></D:multistatus>'
    ms.from_xml(outer)  # (the status lines are cached now)
    state = {"armed": True}
    inner_hrefs: list[str] = []  # (an assert inside __del__ could not fail the test: its errors are ignored)

    class Reader:
        def __del__(self) -> None:
            if state["armed"]:
                state["armed"] = False
                inner_hrefs.append(ms.from_xml(inner).responses[0].href)
                state["armed"] = True
                plant()

    def plant() -> None:
        garbage = Reader()
        garbage.cycle = garbage  # type: ignore[attr-defined]  # only a collection frees it

    thresholds = gc.get_threshold()
    gc.collect()
    gc.set_threshold(50)
    try:
        plant()
        doc = ms.from_xml(outer)
    finally:
        state["armed"] = False
        gc.set_threshold(*thresholds)
        gc.collect()
    assert inner_hrefs
    assert set(inner_hrefs) == {"/i"}
    assert [r.href for r in doc][:2] == ["/a0", "/a1"]
    assert len(doc.responses) == 200


@needs_c
def test_a_limit_beyond_a_c_long_is_no_limit_for_the_walk() -> None:
    data = f"{ROOT}<D:response><D:href>/a</D:href><D:status>HTTP/1.1 200 OK</D:status></D:response></D:multistatus>"
    huge = 2**64
    for limits in (ms.Limits(max_responses=huge), ms.Limits(max_hrefs=huge), ms.Limits(max_depth=huge)):
        fast, slow = both(lambda limits=limits: ms.from_xml(data.encode(), limits=limits))  # type: ignore[misc]
        assert fast == slow
        assert isinstance(fast, ms.MultiStatus)
