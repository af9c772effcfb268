"""The Python property loop's memos and the namespace check read from the bytes.

Equal property values of one document are one value (``_xml/_props.py``): text
by its characters, element content by its serialization, empty values under a
non-2xx status by their name.  None of that may change a value, an error or a
limit.  The namespace declarations are checked from the bytes when they show
that only the root declares any (``_parser.root_only``).

Most tests go through ``from_xml`` and ``iter_xml``.  Two reach inside, because
what they check cannot be seen from outside: a memo hit for a value read at
another depth (every property of a multistatus is at the same depth), and
``root_only``'s answer itself (when it says "don't know", the reader walks the
tree and the public result is the same).
"""

from __future__ import annotations

import pytest
from lxml import etree

import multistatus as ms
from multistatus._xml._parser import root_only
from multistatus._xml._reader import Reader

ROOT = '<D:multistatus xmlns:D="DAV:" xmlns:X="urn:x">'
OK, MISSING = "HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found"


def response(href: str, *propstats: tuple[str, str], attrs: str = "") -> str:
    inner = "".join(f"<D:propstat><D:prop>{p}</D:prop><D:status>{s}</D:status></D:propstat>" for p, s in propstats)
    return f"<D:response{attrs}><D:href>{href}</D:href>{inner}</D:response>"


def document(*responses: str, root: str = ROOT, head: str = '<?xml version="1.0" encoding="utf-8"?>\n') -> str:
    return head + root + "".join(responses) + "</D:multistatus>"


def outcome(parse: object) -> object:
    assert callable(parse)
    try:
        return parse()
    except ms.ParseError as exc:
        return type(exc), str(exc)


#: Values that repeat, in every form a property takes.
VALUES = [
    "<D:a/>",
    "<D:a>text</D:a>",
    '<D:a xml:lang="de">text</D:a>',
    '<D:a k="v"/>',
    "<D:a><!-- only a comment --></D:a>",
    "<D:a><X:c>1</X:c></D:a>",
    '<D:a k="v"><X:c X:k="2">1</X:c>tail</D:a>',
    '<D:a xml:lang="fr"><X:c>1</X:c></D:a>',
    '<D:a><X:c xmlns:X="urn:other">1</X:c></D:a>',
    "<D:a>ab<!--x-->cd<?pi?></D:a>",
    "<D:a><X:c><X:d><X:e>deep</X:e></X:d></X:c></D:a>",
]


def repeated() -> bytes:
    responses = []
    for i in range(3):
        for j, value in enumerate(VALUES):
            for attrs in ("", ' xml:lang="en"', ' xmlns:X="urn:y"'):
                responses.append(response(f"/{i}/{j}", (value, OK), (value + "<X:b/>", MISSING), attrs=attrs))
    return document(*responses).encode()


def test_repeated_values_read_the_same_in_memory_and_streamed() -> None:
    data = repeated()
    doc = outcome(lambda: ms.from_xml(data))
    streamed = list(ms.iter_xml(data))
    assert isinstance(doc, ms.MultiStatus)
    assert list(doc.responses) == streamed
    assert repr(doc.responses) == repr(tuple(streamed))  # (repr also shows each lang and attribute map)


def test_more_property_names_than_the_memo_keeps_read_the_same() -> None:
    # 100 names with element content, each repeated: past the memo's bound of names, each is read in full.
    props = "".join(f"<X:p{n}><X:c>{n % 3}</X:c></X:p{n}>" for n in range(100))
    data = document(*(response(f"/{i}", (props, OK)) for i in range(3))).encode()
    doc = ms.from_xml(data)
    assert list(doc.responses) == list(ms.iter_xml(data))
    for r in doc.responses:
        assert [(p.name, p.value) for p in r.propstats[0].props] == [
            (f"{{urn:x}}p{n}", (ms.Element("{urn:x}c", str(n % 3)),)) for n in range(100)
        ]


def test_an_empty_value_is_empty_under_2xx_and_none_otherwise_when_it_repeats() -> None:
    data = document(
        response("/a", ("<D:a/><X:b/>", OK)),
        response("/b", ("<D:a/><X:b/>", MISSING)),
        response("/c", ("<D:a/>", OK), ("<X:b/>", "HTTP/1.1 403 Forbidden")),
        response("/d", ('<D:a xml:lang="de"/><X:b k="1"/>', MISSING)),
        response("/e", ("<D:a/><X:b/>", OK)),
    ).encode()
    values = [[(p.name, p.value, p.lang) for ps in r.propstats for p in ps.props] for r in ms.from_xml(data)]
    assert values == [
        [("{DAV:}a", "", None), ("{urn:x}b", "", None)],
        [("{DAV:}a", None, None), ("{urn:x}b", None, None)],
        [("{DAV:}a", "", None), ("{urn:x}b", None, None)],
        [("{DAV:}a", None, "de"), ("{urn:x}b", None, None)],
        [("{DAV:}a", "", None), ("{urn:x}b", "", None)],
    ]
    assert ms.from_xml(data).responses[3].propstats[0].props[1].attributes == {"{}k": "1"}


def test_equal_element_content_is_one_value_and_other_bindings_or_langs_are_not() -> None:
    value = "<D:a><X:c>1</X:c></D:a>"
    data = document(
        response("/a", (value, OK)),
        response("/b", (value, OK)),
        response("/c", (value, OK), attrs=' xmlns:X="urn:y"'),
        response("/d", (value, OK), attrs=' xml:lang="de"'),
    ).encode()
    a, b, c, d = (r.propstats[0].props[0] for r in ms.from_xml(data))
    assert a is b
    assert a.value == (ms.Element("{urn:x}c", "1"),)
    assert c.value == (ms.Element("{urn:y}c", "1"),)
    assert (d.value, d.lang) == (a.value, "de")
    assert a.lang is None


def test_a_memo_hit_deeper_than_the_first_read_still_checks_the_depth() -> None:
    prop = etree.fromstring(b'<D:prop xmlns:D="DAV:"><D:a><D:b><D:c>t</D:c></D:b></D:a></D:prop>')
    limits = ms.Limits(max_depth=6)
    reader = Reader(limits)
    shallow: list[ms.Property] = []
    reader.read_props(prop, 4, None, shallow)  # (the deepest level checked is 6: within)
    reader.read_props(prop, 2, None, shallow)  # (read deeper before: a memo hit)
    assert shallow[0] is shallow[1]
    with pytest.raises(ms.LimitExceeded) as deep:
        reader.read_props(prop, 5, None, [])
    with pytest.raises(ms.LimitExceeded) as fresh:
        Reader(limits).read_props(prop, 5, None, [])
    assert str(deep.value) == str(fresh.value)
    assert "nested deeper than 6 levels" in str(deep.value)


@pytest.mark.parametrize("max_depth", [5, 6, 7])
def test_the_depth_limit_applies_to_repeated_content(max_depth: int) -> None:
    value = "<D:a><X:c><X:d>1</X:d></X:c></D:a>"
    data = document(response("/a", (value, OK)), response("/b", (value, OK))).encode()
    limits = ms.Limits(max_depth=max_depth)
    got = outcome(lambda: ms.from_xml(data, limits=limits))
    assert isinstance(got, tuple) is (max_depth < 6)
    if isinstance(got, tuple):  # both responses hit the limit, the repeated one as well
        assert "nested deeper than" in str(got)
    else:
        assert got.responses[0].propstats == got.responses[1].propstats


def test_the_property_limit_counts_repeated_values() -> None:
    data = document(response("/a", ("<D:a>1</D:a><D:a>1</D:a><D:a>1</D:a>", OK))).encode()
    with pytest.raises(ms.LimitExceeded, match="more than 2 properties"):
        ms.from_xml(data, limits=ms.Limits(max_properties=2))


# -- the namespace declarations, from the bytes ----------------------------------------
LONG = "http://example.com/" + "a" * 1_000_000  # (libxml2 takes it; the model refuses it)
TOO_LONG = "xmlns:Q: the namespace is longer than 1000000 UTF-8 bytes"
PLAIN = response("/a", ("<D:a>1</D:a>", OK))


def encoded(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode()
    return text.replace('encoding="utf-8"', f'encoding="{encoding}"').encode(encoding, "xmlcharrefreplace")


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "iso-8859-1", "ascii"]
PLACES = [
    pytest.param(document(PLAIN, root=f'<D:multistatus xmlns:D="DAV:" xmlns:Q="{LONG}">'), id="root"),
    pytest.param(document(PLAIN, response("/b", ("<D:a/>", OK), attrs=f' xmlns:Q="{LONG}"')), id="nested"),
    pytest.param(
        document(PLAIN, response("/b", ("<D:a>xmlns</D:a>", OK), attrs=f' xmlns:Q="{LONG}"')), id="nested-and-in-text"
    ),
    pytest.param(
        document(PLAIN, root=f'<D:multistatus xmlns:Q="{LONG}" xmlns:D="DAV:" xmlns:Z="{LONG}b">'), id="root-two"
    ),
]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("text", PLACES)
def test_a_namespace_the_model_refuses_is_refused_wherever_declared(text: str, encoding: str) -> None:
    data = encoded(text, encoding)
    for strict in (False, True):
        with pytest.raises(ms.ParseError) as raised:
            ms.from_xml(data, strict=strict)
        assert str(raised.value) == TOO_LONG


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_document_reads_the_same_in_every_encoding(encoding: str) -> None:
    text = document(PLAIN, response("/b", ("<X:v>é</X:v>", OK), attrs=' xmlns:X="urn:b"'))
    assert ms.from_xml(encoded(text, encoding)) == ms.from_xml(text)


CASES = [
    pytest.param(document(PLAIN).encode(), [("D", "DAV:"), ("X", "urn:x")], id="utf-8"),
    pytest.param(document(PLAIN, head="").encode(), [("D", "DAV:"), ("X", "urn:x")], id="no-declaration"),
    pytest.param(b"\xef\xbb\xbf" + document(PLAIN).encode(), [("D", "DAV:"), ("X", "urn:x")], id="utf-8-bom"),
    pytest.param(encoded(document(PLAIN), "iso-8859-1"), [("D", "DAV:"), ("X", "urn:x")], id="latin-1"),
    pytest.param(encoded(document(PLAIN), "utf-16"), None, id="utf-16"),
    pytest.param(encoded(document(PLAIN), "shift_jis"), None, id="shift-jis"),
    pytest.param(document(PLAIN, response("/b", ("<D:a/>", OK), attrs=' xmlns:Q="urn:q"')).encode(), None, id="nested"),
    pytest.param(document(response("/b", ("<D:a>xmlns</D:a>", OK))).encode(), None, id="in-text"),
]


@pytest.mark.parametrize(("data", "expected"), CASES)
def test_the_bytes_tell_when_only_the_root_declares(data: bytes, expected: list[tuple[str, str]] | None) -> None:
    root = etree.fromstring(data)
    assert root_only(root, data, False) == expected
    if expected is not None:
        assert list(etree.iterwalk(root, events=("start-ns",))) == [("start-ns", d) for d in expected]
