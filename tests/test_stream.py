"""Streaming: iter_xml / XMLFeeder agree with from_xml; stream_xml / stream_json agree with to_xml / to_json."""

from __future__ import annotations

import html
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import multistatus as ms
from tests.conftest import Case, multistatus_cases, scaled
from tests.strategies import documents, responses
from tests.test_xml import HOSTILE, LENIENT, ONE, body

DEFAULT = ms.Limits()
SETTINGS = scaled(1)  # examples: the profile's count (tests/conftest.py)
#: For the properties whose every example is a whole document over the whole model, written and
#: read back several ways (25 examples in the default profile): generating it is most of the cost.
DEAR = scaled(0.625)


def parse_all(source: object, limits: ms.Limits = DEFAULT) -> ms.MultiStatus:
    """iter_xml to exhaustion, as a document."""
    stream = ms.iter_xml(source, limits=limits)  # type: ignore[arg-type]
    got = list(stream)
    return ms.MultiStatus(
        got,
        description=stream.description,
        sync_token=stream.sync_token,
        extensions=stream.extensions,
        job=stream.job,
    )


def feed_in(data: bytes, cuts: list[int], limits: ms.Limits = DEFAULT) -> ms.MultiStatus:
    """XMLFeeder over *data* cut at the given offsets."""
    feeder = ms.XMLFeeder(limits=limits)
    got: list[ms.Response] = []
    start = 0
    for cut in [*sorted(cuts), len(data)]:
        got += feeder.feed(data[start:cut])
        start = cut
    got += feeder.close()
    return ms.MultiStatus(
        got,
        description=feeder.description,
        sync_token=feeder.sync_token,
        extensions=feeder.extensions,
        job=feeder.job,
    )


def declared(data: bytes) -> list[str]:
    """The namespace URIs declared on the root start tag, in order."""
    head = data.decode("utf-8").split(">", 2)[1]
    return [html.unescape(uri) for uri in re.findall(r'xmlns:[\w.-]+="([^"]*)"', head)]


# -- streaming parse: the same as from_xml -----------------------------------------
@pytest.mark.parametrize("case", multistatus_cases())
def test_corpus_streams_to_the_from_xml_document(case: Case) -> None:
    data = case.body()
    doc = ms.from_xml(data)
    assert parse_all(data) == doc
    assert parse_all(io.BytesIO(data)) == doc
    assert parse_all(data.decode("utf-8")) == doc
    assert parse_all(iter([data[i : i + 7] for i in range(0, len(data), 7)])) == doc


@pytest.mark.parametrize("case", multistatus_cases())
def test_corpus_fed_one_byte_at_a_time(case: Case) -> None:
    data = case.body()
    assert feed_in(data, list(range(1, len(data)))) == ms.from_xml(data)


@pytest.mark.parametrize("data", LENIENT)
def test_real_server_variants_stream_like_from_xml(data: bytes) -> None:
    assert parse_all(data) == ms.from_xml(data)
    assert feed_in(data, list(range(1, len(data)))) == ms.from_xml(data)


@SETTINGS
@given(documents(), st.data())
def test_any_document_streams_back_with_any_chunk_boundaries(doc: ms.MultiStatus, data: st.DataObject) -> None:
    raw = ms.to_xml(doc, pretty=data.draw(st.booleans()))
    cuts = data.draw(st.lists(st.integers(0, len(raw)), max_size=20))
    assert feed_in(raw, cuts) == doc


def test_responses_come_out_as_soon_as_they_are_closed() -> None:
    stream = ms.iter_xml(chunk for chunk in [body(ONE)[:-20], b"", body(ONE)[-20:]])
    first = next(stream)
    assert first.href == "/a"
    assert list(stream) == []


def test_iterating_an_ended_stream_stays_ended() -> None:
    stream = ms.iter_xml(body(ONE))
    assert len(list(stream)) == 1
    assert list(stream) == []


def test_multistatus_level_parts_after_the_responses() -> None:
    data = body(
        ONE + "<D:responsedescription> all done </D:responsedescription>"
        '<D:sync-token> data:,9 </D:sync-token><x:e xmlns:x="urn:x">1</x:e><!-- c --><?pi x?>'
    )
    stream = ms.iter_xml(data)
    assert stream.description is None
    assert [r.href for r in stream] == ["/a"]
    assert (stream.description, stream.sync_token) == (" all done ", "data:,9")
    assert stream.extensions == (ms.Element("{urn:x}e", "1"),)


def test_xml_lang_on_the_root_reaches_the_properties() -> None:
    data = body(
        "<D:response><D:href>/a</D:href><D:propstat><D:prop><D:displayname>Datei</D:displayname></D:prop>"
        "<D:status>200</D:status></D:propstat></D:response>",
        root='<D:multistatus xmlns:D="DAV:" xml:lang="de">',
    )
    (response,) = ms.iter_xml(data)
    assert response.propstats[0].props[0].lang == "de"
    assert (response,) == ms.from_xml(data).responses


# -- truncated and malformed bodies ----------------------------------------------------
@SETTINGS
@given(st.lists(responses, min_size=1, max_size=3), st.data())
def test_truncated_document_yields_the_complete_responses_then_fails(
    items: list[ms.Response], data: st.DataObject
) -> None:
    raw = ms.to_xml(ms.MultiStatus(items))
    cut = data.draw(st.integers(0, len(raw) - 1))
    complete = raw[:cut].count(b"</D:response>")
    stream = ms.iter_xml(iter([raw[:cut]]))
    got = []
    with pytest.raises(ms.ParseError):
        got.extend(stream)
    assert got == items[:complete]


#: Documents cut at every offset below: both response forms, a 404 propstat, nested
#: values, text that a cut shortens into another valid value ("200 O"), the multistatus-level parts.
CUT_DOCUMENTS = [
    ms.MultiStatus(
        [
            ms.Response("/a", status=200),
            ms.Response("/b", status=404, description="gone"),
            ms.Response("/c", status=207, error=ms.Error(code="x")),
        ]
    ),
    ms.MultiStatus(
        [
            ms.Response(
                "/dav/f.txt", propstats=[ms.PropStat({"{DAV:}getetag": '"1"', "{urn:x}v": ms.Element("{urn:x}w", "t")})]
            ),
            ms.Response(
                "/dav/g.txt",
                propstats=[
                    ms.PropStat([ms.Property("{DAV:}displayname", "G")], 200),
                    ms.PropStat([ms.Property("{urn:x}color")], 404),
                ],
            ),
        ],
        description="listing",
        sync_token="data:,7",
    ),
]


def _read_cut(raw: bytes, chunks: list[int]) -> tuple[list[ms.Response], ms.XMLFeeder, BaseException | None]:
    """Feed *raw* in pieces at *chunks* offsets, close; what came out before any error."""
    feeder = ms.XMLFeeder()
    got: list[ms.Response] = []
    start = 0
    try:
        for cut in [*chunks, len(raw)]:
            got += feeder.feed(raw[start:cut])
            start = cut
        got += feeder.close()
        got += feeder.close()  # the error held back, if any
    except ms.ParseError as exc:
        return got, feeder, exc
    return got, feeder, None  # pragma: no cover - a cut document never parses whole


@pytest.mark.parametrize("doc", CUT_DOCUMENTS, ids=["status-form", "propstats-and-parts"])
def test_every_cut_point_yields_only_responses_read_whole(doc: ms.MultiStatus) -> None:
    """Whatever the parser's recovery closes at the end, a response comes out only when its end tag was read."""
    raw = ms.to_xml(doc)
    for cut in range(len(raw)):
        truncated = raw[:cut]
        complete = truncated.count(b"</D:response>")
        for chunks in ([], list(range(1, cut, 7)), list(range(1, cut))[:: max(1, cut // 5)]):
            got, feeder, error = _read_cut(truncated, chunks)
            assert error is not None, cut
            assert got == list(doc.responses[:complete]), (cut, chunks)
            if b"</D:sync-token>" not in truncated:
                assert feeder.sync_token is None, cut
            if b"</D:responsedescription>" not in truncated.rsplit(b"</D:response>", 1)[-1]:
                assert feeder.description is None, cut


@SETTINGS
@given(st.lists(responses, min_size=1, max_size=3), st.data())
def test_random_chunks_of_a_cut_document_yield_only_whole_responses(
    items: list[ms.Response], data: st.DataObject
) -> None:
    raw = ms.to_xml(ms.MultiStatus(items))
    cut = data.draw(st.integers(0, len(raw) - 1))
    chunks = sorted(data.draw(st.sets(st.integers(1, max(1, cut - 1)), max_size=12)))
    got, _, error = _read_cut(raw[:cut], [c for c in chunks if c < cut])
    assert error is not None
    assert got == items[: raw[:cut].count(b"</D:response>")]


def test_responses_before_a_broken_end_come_out_first() -> None:
    data = body(ONE * 2)
    stream = ms.iter_xml([data[:-16] + b"<broken>"])
    got = []
    with pytest.raises(ms.ParseError, match="incomplete"):
        got.extend(stream)
    assert [r.href for r in got] == ["/a", "/a"]


def test_malformed_chunk_hands_out_what_was_complete_first() -> None:
    feeder = ms.XMLFeeder()
    got = feeder.feed(body(ONE * 2)[:-16] + b"<broken></D:multistatus>")
    assert [r.href for r in got] == ["/a", "/a"]
    with pytest.raises(ms.ParseError, match="malformed XML") as info:
        feeder.feed(b"more")
    assert info.value.line == 2
    with pytest.raises(ms.ParseError, match="closed"):
        feeder.close()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"  \n ", "empty", id="blank"),
        pytest.param(b"<!DOCTYPE html><html><body>Oops</body></html>", "HTML page", id="html-doctype"),
        pytest.param(b"<html><body>Oops", "HTML page", id="html-unclosed"),
        pytest.param(b"<html><body>Oops</body></html>", "HTML page", id="html"),
        pytest.param(b"<html lang><body>Oops</body></html>", "HTML page", id="html-malformed"),
        pytest.param(
            b"<!--" + b"x" * 5000 + b'--><!DOCTYPE m><D:multistatus xmlns:D="DAV:"/>', "DTD", id="late-doctype"
        ),
        pytest.param(b'<D:prop xmlns:D="DAV:"/>', r"expected a \{DAV:\}multistatus root element", id="wrong-root"),
        pytest.param(b'<D:multistatus xmlns:D="DAV:">', "incomplete", id="unclosed-root"),
        pytest.param(body(ONE) + b"<x/>", "malformed XML", id="content-after-the-root"),
        pytest.param(body("<D:response><D:status>200</D:status></D:response>"), "no href", id="no-href"),
    ],
)
def test_bad_bodies_raise_parse_errors(data: bytes, message: str) -> None:
    with pytest.raises(ms.ParseError, match=message):
        list(ms.iter_xml(data))
    with pytest.raises(ms.ParseError, match=message):
        feed_in(data, list(range(1, len(data))))


UNDECLARED_PREFIX = [
    pytest.param("<D:p><b:v><D:x/></b:v></D:p>", id="element-in-a-value"),
    pytest.param('<D:p><D:v b:k="1"/></D:p>', id="attribute-in-a-value"),
    pytest.param('<D:p b:k="1">x</D:p>', id="attribute-of-a-property"),
    pytest.param("<b:p/>", id="property"),
]


@pytest.mark.parametrize("prop", UNDECLARED_PREFIX)
@pytest.mark.parametrize("limits", [ms.Limits(), ms.Limits(max_depth=6)], ids=["default-limits", "max_depth-6"])
def test_an_undeclared_prefix_is_refused_not_made_a_name(prop: str, limits: ms.Limits) -> None:
    # libxml2's push parser reports an undeclared prefix only after the element's
    # events: the reader must not turn "b:v" into a name, nor hand the response out.
    data = body(
        "<D:response><D:href>/a</D:href><D:propstat><D:prop>"
        + prop
        + "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    )
    with pytest.raises(ms.ParseError, match=r"(?i)prefix '?b'?"):
        ms.from_xml(data, limits=limits)
    handed: list[ms.Response] = []
    with pytest.raises(ms.ParseError, match=r"(?i)prefix '?b'?"):
        feed_bytewise(ms.XMLFeeder(limits=limits), data, handed)
    assert handed == []


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        pytest.param("<b:ext/>", "prefix 'b' is not declared", id="undeclared-prefix"),
        pytest.param("<D:response><D:status>200</D:status></D:response>", "no href", id="no-href"),
        pytest.param(
            "<D:response><D:href>/x</D:href><D:status>HTTP/1.1 100 Continue</D:status></D:response>",
            "1xx",
            id="1xx-status",
        ),
    ],
)
def test_complete_responses_come_out_before_a_bad_one_in_the_same_chunk(bad: str, message: str) -> None:
    # Whatever the chunking: in one chunk as when fed a byte at a time.
    data = body(ONE.replace("/a", "/g0") + ONE.replace("/a", "/g1") + bad)
    stream = ms.iter_xml(data)
    assert [next(stream).href, next(stream).href] == ["/g0", "/g1"]
    with pytest.raises(ms.ParseError, match=message):
        next(stream)
    handed: list[ms.Response] = []
    with pytest.raises(ms.ParseError, match=message):
        feed_bytewise(ms.XMLFeeder(), data, handed)
    assert [r.href for r in handed] == ["/g0", "/g1"]


PROPSTAT = "<D:propstat><D:prop>{}</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"


@pytest.mark.parametrize(
    ("data", "message", "path"),
    [
        pytest.param(
            body(
                ONE
                + '<D:response xmlns:y="a b" xmlns:x="urn:ok"><D:href>/b</D:href>'
                + PROPSTAT.format('<x:p x:a="1" b="2"/><y:p/>')
                + "</D:response>"
            ),
            "bad Clark name '{a b}p': the namespace 'a b' is not a URI reference (RFC 3986); "
            "percent-encode spaces and non-ASCII characters",
            "/D:multistatus/D:response[2]/D:propstat/D:prop/y:p",
            id="in-a-response-declared-before-a-good-one",
        ),
        pytest.param(
            body(ONE + "<z:ext/>", root='<D:multistatus xmlns:D="DAV:" xmlns:z="urn:{z}">'),
            "bad Clark name '{urn:{z}}ext': brace inside the namespace",
            "/D:multistatus/z:ext",
            id="in-an-extension",
        ),
    ],
)
def test_a_name_in_a_bad_namespace_is_refused_after_the_responses_before_it(
    data: bytes, message: str, path: str
) -> None:
    # libxml2 reports a bad namespace URI only at the end; the streaming reader
    # refuses the first element with a name in it, as from_xml refuses the body.
    with pytest.raises(ms.ParseError, match="is not a valid URI"):
        ms.from_xml(data)
    stream = ms.iter_xml(data)
    assert next(stream).href == "/a"
    with pytest.raises(ms.ParseError) as caught:
        next(stream)
    assert str(caught.value) == f"{message} (at {path}; line 2)"
    assert (caught.value.line, caught.value.path) == (2, path)
    handed: list[ms.Response] = []
    with pytest.raises(ms.ParseError, match=re.escape(message)):
        feed_bytewise(ms.XMLFeeder(), data, handed)
    assert [r.href for r in handed] == ["/a"]


def test_a_bad_namespace_nothing_uses_fails_at_the_end() -> None:
    data = body(
        ONE
        + '<D:response xmlns:q="}"><D:href>/b</D:href>'
        + PROPSTAT.format("<D:p/>")
        + "</D:response>"
        + ONE.replace("/a", "/c")
    )
    stream = ms.iter_xml(data)
    assert [next(stream).href for _ in range(3)] == ["/a", "/b", "/c"]
    with pytest.raises(ms.ParseError, match=r"^the document is incomplete: xmlns:q: '\}' is not a valid URI"):
        next(stream)


def test_many_namespaces_stream_like_from_xml() -> None:
    # More distinct namespace URIs than the reader remembers, each declared twice.
    inner = "".join(
        f'<D:response xmlns:n="urn:x-many-{i}"><D:href>/{i}</D:href>'
        + PROPSTAT.format(f'<n:p xmlns:m="urn:x-many-{i}" m:a="{i}">{i}</n:p>')
        + "</D:response>"
        for i in range(1200)
    )
    data = body(inner)
    assert parse_all(data) == ms.from_xml(data)


def feed_bytewise(feeder: ms.XMLFeeder, data: bytes, handed: list[ms.Response]) -> None:
    """Feed *data* one byte at a time, collecting what the feeder hands out in *handed*."""
    for i in range(len(data)):
        handed += feeder.feed(data[i : i + 1])
    handed += feeder.close()


@pytest.mark.parametrize(("data", "message"), HOSTILE)
def test_hostile_bodies_are_refused_like_from_xml(data: bytes, message: str | None) -> None:
    with pytest.raises(ms.ParseError, match=message or "empty href"):
        list(ms.iter_xml(data))


def test_doctype_is_refused_before_the_parser_sees_it() -> None:
    feeder = ms.XMLFeeder()
    assert feeder.feed(b'<?xml version="1.0"?><!DOCTY') == []
    with pytest.raises(ms.ParseError, match="DTD"):
        feeder.feed(b'PE m [<!ENTITY a "x">')
    with pytest.raises(ms.ParseError, match="closed"):
        feeder.feed(b"]>")


def test_utf16_doctype_is_refused() -> None:
    data = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE m><D:multistatus xmlns:D="DAV:"/>'.encode("utf-16")
    with pytest.raises(ms.ParseError, match="DTD"):
        list(ms.iter_xml(data))


def test_wrong_root_is_refused_as_soon_as_it_starts() -> None:
    feeder = ms.XMLFeeder()
    with pytest.raises(ms.ParseError, match="found \\{DAV:\\}propfind"):
        feeder.feed(b'<D:propfind xmlns:D="DAV:"><D:prop>')


# -- limits ---------------------------------------------------------------------------
def test_max_bytes_counts_the_whole_stream() -> None:
    data = body(ONE * 100)
    limits = ms.Limits(max_bytes=1000)
    got = []
    with pytest.raises(ms.LimitExceeded, match="1000-byte limit"):
        got.extend(ms.iter_xml(iter([data[i : i + 100] for i in range(0, len(data), 100)]), limits=limits))
    assert 0 < len(got) < 100
    assert len(parse_all(data, ms.Limits(max_bytes=None)).responses) == 100


@pytest.mark.parametrize(
    ("limits", "inner", "match"),
    [
        pytest.param(ms.Limits(max_responses=2), ONE * 3, "more than 2 responses", id="responses"),
        pytest.param(
            ms.Limits(max_hrefs=2),
            "<D:response>" + "<D:href>/a</D:href>" * 3 + "<D:status>200</D:status></D:response>",
            "more than 2 hrefs",
            id="hrefs",
        ),
        pytest.param(
            ms.Limits(max_properties=1),
            "<D:response><D:href>/a</D:href><D:propstat><D:prop><D:a/><D:b/></D:prop>"
            "<D:status>200</D:status></D:propstat></D:response>",
            "more than 1 properties",
            id="properties",
        ),
        pytest.param(
            ms.Limits(max_depth=5),
            "<D:response><D:href>/a</D:href><D:propstat><D:prop><D:a><D:b><D:c><D:d/></D:c></D:b></D:a></D:prop>"
            "<D:status>200</D:status></D:propstat></D:response>",
            "deeper than 5 levels",
            id="depth",
        ),
        pytest.param(ms.Limits(max_depth=1), '<x:e xmlns:x="urn:x"/>', "deeper than 1 levels", id="depth-top-level"),
    ],
)
def test_count_and_depth_limits_like_from_xml(limits: ms.Limits, inner: str, match: str) -> None:
    data = body(inner)
    with pytest.raises(ms.LimitExceeded, match=match) as info:
        list(ms.iter_xml(data, limits=limits))
    assert info.value.path is not None
    with pytest.raises(ms.LimitExceeded, match=match):
        ms.from_xml(data, limits=limits)
    assert parse_all(data) == ms.from_xml(data)


def test_very_deep_nesting_stops_in_the_parser() -> None:
    data = b'<D:multistatus xmlns:D="DAV:">' + b"<x>" * 100_000 + b"</x>" * 100_000 + b"</D:multistatus>"
    with pytest.raises(ms.ParseError):
        list(ms.iter_xml(data))


# -- wrong input types and I/O errors ----------------------------------------------------
class Broken(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        raise OSError("connection reset")


def test_wrong_sources_and_read_errors() -> None:
    with pytest.raises(TypeError, match="binary file or byte chunks"):
        ms.iter_xml(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="binary mode"):
        list(ms.iter_xml(io.StringIO("<x/>")))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="byte chunks, not str"):
        list(ms.iter_xml(["<x/>"]))  # type: ignore[list-item]
    with pytest.raises(TypeError, match="feed\\(\\) takes bytes"):
        ms.XMLFeeder().feed("<x/>")  # type: ignore[arg-type]
    with pytest.raises(ms.ParseError, match="could not read the body: connection reset"):
        list(ms.iter_xml(Broken()))


def test_feeder_refuses_use_after_close() -> None:
    feeder = ms.XMLFeeder()
    assert feeder.feed(body(ONE)) == [ms.Response("/a", status=200)]
    assert feeder.close() == []
    assert feeder.count == 1
    with pytest.raises(ms.ParseError, match="closed"):
        feeder.close()
    with pytest.raises(ms.ParseError, match="closed"):
        feeder.feed(b"<x/>")


# -- streaming build: the same bytes as to_xml ------------------------------------------
@DEAR
@given(documents(), st.booleans())
def test_stream_xml_is_to_xml_when_the_namespaces_are_given(doc: ms.MultiStatus, pretty: bool) -> None:
    want = ms.to_xml(doc, pretty=pretty)
    parts = {"description": doc.description, "sync_token": doc.sync_token, "extensions": doc.extensions, "job": doc.job}
    got = b"".join(ms.stream_xml(iter(doc), namespaces=declared(want)[1:], pretty=pretty, chunk_size=1, **parts))
    assert got == want
    out = io.BytesIO()
    assert ms.write_xml(doc.responses, out, namespaces=declared(want)[1:], pretty=pretty, **parts) == len(want)
    assert out.getvalue() == want


@DEAR
@given(documents(), st.sampled_from([None, (), ("urn:x-y",)]))
def test_stream_xml_without_the_namespaces_reads_back_the_same(
    doc: ms.MultiStatus, namespaces: tuple[str, ...] | None
) -> None:
    parts = {"description": doc.description, "sync_token": doc.sync_token, "extensions": doc.extensions, "job": doc.job}
    data = b"".join(ms.stream_xml(doc.responses, namespaces=namespaces, **parts))
    assert ms.from_xml(data) == doc
    assert parse_all(data) == doc
    root = ET.fromstring(data)  # the stdlib agrees on the envelope
    assert [[h.text for h in r.findall("{DAV:}href")] for r in root.findall("{DAV:}response")] == [
        list(r.hrefs) for r in doc
    ]


def test_stream_xml_declares_unknown_namespaces_where_they_are_used() -> None:
    items = [ms.Response(f"/{i}", propstats=[ms.PropStat({"{urn:z}p": str(i)})]) for i in range(2)]
    data = b"".join(ms.stream_xml(items, namespaces=()))
    assert data.count(b'xmlns:x0="urn:z"') == 2
    assert ms.from_xml(data).responses == tuple(items)
    default = b"".join(ms.stream_xml(items))
    assert b'xmlns:C="urn:ietf:params:xml:ns:caldav"' in default.split(b">", 2)[1]


def test_stream_xml_is_lazy_and_chunks_its_output() -> None:
    def items() -> Iterator[ms.Response]:
        for i in range(3000):
            yield ms.Response(f"/items/{i}", status=201)
        raise AssertionError("not reached: the consumer stops first")

    chunks = ms.stream_xml(items(), chunk_size=4096)
    first = next(chunks)
    assert 4096 <= len(first) < 4096 + 200
    assert first.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus')


def test_stream_xml_checks_its_arguments_before_the_first_byte() -> None:
    with pytest.raises(ValueError, match=r"XML 1\.0 cannot carry"):
        ms.stream_xml([], description="\0")
    with pytest.raises(ValueError, match="chunk_size"):
        ms.stream_xml([], chunk_size=0)
    with pytest.raises(TypeError, match="not a str"):
        ms.stream_xml([], namespaces="urn:x")
    with pytest.raises(TypeError, match="Response values, not dict"):
        list(ms.stream_xml([{"href": "/a"}]))  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        pytest.param("urn:a b", "not a URI reference", id="space"),
        pytest.param('"><x', "not a URI reference", id="markup"),
        pytest.param("http://www.w3.org/2000/xmlns/", "xmlns namespace is reserved", id="xmlns"),
        pytest.param("urn:\ud800", "", id="lone-surrogate"),
    ],
)
def test_the_namespaces_to_declare_are_ones_a_name_may_carry(uri: str, message: str) -> None:
    """They are declared on the root as given: one a reader would refuse is refused before the first byte."""
    for write in (
        lambda: ms.stream_xml([], namespaces=[uri]),
        lambda: ms.write_xml([], io.BytesIO(), namespaces=[uri]),
    ):
        with pytest.raises(ValueError, match=f"namespace {re.escape(repr(uri))} cannot be declared.*{message}"):
            write()


class Recorder:
    """A binary file that keeps each write() call."""

    def __init__(self) -> None:
        self.calls: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.calls.append(data)
        return len(data)


def test_write_xml_writes_stream_xml_chunks() -> None:
    items = [
        ms.Response(f"/dav/j\u00fcrgen/{i}", propstats=[ms.PropStat({"{DAV:}displayname": f"Gr\u00f6\u00dfe & {i}"})])
        for i in range(2000)
    ]
    out = Recorder()
    size = ms.write_xml(iter(items), out, sync_token="data:,1")
    assert size == sum(len(call) for call in out.calls)
    assert out.calls == list(ms.stream_xml(items, sync_token="data:,1"))  # the same bytes, the same calls
    assert len(out.calls) > 2
    assert ms.from_xml(b"".join(out.calls)).responses == tuple(items)


def test_write_xml_checks_its_arguments_before_the_first_byte() -> None:
    out = Recorder()
    with pytest.raises(ValueError, match=r"XML 1\.0 cannot carry"):
        ms.write_xml([], out, description="\0")
    with pytest.raises(TypeError, match="not a str"):
        ms.write_xml([], out, namespaces="urn:x")
    assert out.calls == []
    items: list[object] = [ms.Response(f"/{i}", status=200) for i in range(3000)]
    with pytest.raises(TypeError, match="Response values, not dict"):
        ms.write_xml([*items, {"href": "/a"}], out)  # type: ignore[list-item]
    want = list(ms.stream_xml(items))  # type: ignore[arg-type]
    assert out.calls == want[:-1]  # the full chunks before the bad item were written


# -- streaming JSON: the same bytes as to_json -----------------------------------------
@DEAR
@given(documents(), st.sampled_from([None, 0, 2]))
def test_stream_json_is_to_json(doc: ms.MultiStatus, indent: int | None) -> None:
    try:
        want = ms.to_json(doc, indent=indent)
    except ValueError:  # duplicate property names: JSON cannot carry them
        with pytest.raises(ValueError, match=r"twice|reserved"):
            b"".join(ms.stream_json(doc.responses, extensions=doc.extensions, job=doc.job, indent=indent))
        return
    parts = {"description": doc.description, "sync_token": doc.sync_token, "extensions": doc.extensions, "job": doc.job}
    got = ms.stream_json(iter(doc), indent=indent, chunk_size=1, **parts)
    assert b"".join(got) == want
    assert ms.from_json(b"".join(ms.stream_json(doc, indent=indent, **parts))) == doc
    out = io.BytesIO()
    ms.write_json(doc, out, indent=indent, **parts)
    assert json.loads(out.getvalue()) == json.loads(want)


@pytest.mark.parametrize("indent", [None, 2])
def test_stream_json_of_nothing(indent: int | None) -> None:
    assert b"".join(ms.stream_json([], indent=indent)) == ms.to_json(ms.MultiStatus(), indent=indent)


def test_stream_json_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="chunk_size"):
        ms.stream_json([], chunk_size=0)
    with pytest.raises(ValueError, match="indent"):
        ms.stream_json([], indent=-1)
    with pytest.raises(TypeError, match="Response values, not str"):
        list(ms.stream_json(["/a"]))  # type: ignore[list-item]


# -- the reader's fast paths, through both parsers ---------------------------------------
def _one(inner: str) -> bytes:
    return body(
        f'<D:response xml:lang="fr"><D:href>/a</D:href><D:propstat xml:lang="de"><D:prop xmlns:x="urn:x">{inner}'
        "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    )


@pytest.mark.parametrize(
    ("inner", "want"),
    [
        pytest.param("<x:p>v</x:p>", ms.Property("{urn:x}p", "v", lang="de"), id="lang-inherited"),
        pytest.param("<!-- c --><x:p/>", ms.Property("{urn:x}p", "", lang="de"), id="comment-in-prop"),
        pytest.param("<x:p><!-- c --></x:p>", ms.Property("{urn:x}p", "", lang="de"), id="only-a-comment"),
        pytest.param("<x:p>a<!-- c -->b</x:p>", ms.Property("{urn:x}p", "ab", lang="de"), id="text-around-comment"),
        pytest.param(
            "<x:p><x:a/>x<!-- c -->y</x:p>",
            ms.Property("{urn:x}p", [ms.Element("{urn:x}a"), "xy"], lang="de"),
            id="tails-merge",
        ),
        pytest.param(
            '<x:p><x:a k="1" x:q="2">t</x:a></x:p>',
            ms.Property("{urn:x}p", [ms.Element("{urn:x}a", "t", {"k": "1", "{urn:x}q": "2"})], lang="de"),
            id="attributes",
        ),
    ],
)
def test_property_content_reads_the_same_through_both_parsers(inner: str, want: ms.Property) -> None:
    data = _one(inner)
    doc = ms.from_xml(data)
    assert doc.responses[0].propstats[0].props == (want,)
    assert parse_all(data) == doc


def test_comments_inside_an_error_are_skipped() -> None:
    data = body(
        "<D:response><D:href>/a</D:href><D:status>HTTP/1.1 423 Locked</D:status>"
        "<D:error><!-- c --><D:lock-token-submitted/></D:error></D:response>"
    )
    assert ms.from_xml(data).responses[0].error == ms.Error(["{DAV:}lock-token-submitted"])
    assert parse_all(data) == ms.from_xml(data)


def test_parsers_leave_the_garbage_collector_as_they_found_it() -> None:
    import gc

    assert gc.isenabled()
    ms.from_xml(body(ONE))
    list(ms.iter_xml(body(ONE)))
    assert gc.isenabled()
    gc.disable()
    try:
        ms.from_xml(body(ONE))
        list(ms.iter_xml(body(ONE)))
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ms.ParseError):
        ms.from_xml(body("<D:response/>"))
    assert gc.isenabled()
