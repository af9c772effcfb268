"""What the library promises about hostile or odd input, through the public API.

A value the model accepts round-trips through both codecs; what comes from
outside ends in a value or the library's own error; nothing from a document
reaches a terminal or a page unescaped.
"""

from __future__ import annotations

import codecs
import gzip
import random
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

import multistatus as ms
from multistatus.cli import main

XMLNS = "http://www.w3.org/2000/xmlns/"


def _doc_with(element: ms.Element) -> ms.MultiStatus:
    return ms.MultiStatus([ms.Response("/a", propstats=[ms.PropStat([ms.Property("{urn:p}v", [element])])])])


def _round_trips(doc: ms.MultiStatus) -> None:
    assert ms.from_xml(ms.to_xml(doc)) == doc
    assert ms.from_json(ms.to_json(doc)) == doc


# -- A. namespace injection through an attribute ----------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        pytest.param("{}xmlns", id="clark-no-namespace"),
        pytest.param("xmlns", id="bare"),
        pytest.param(f"{{{XMLNS}}}foo", id="xmlns-namespace"),
        pytest.param(f"{{{XMLNS}}}xmlns", id="xmlns-namespace-xmlns"),
        pytest.param("xmlns:foo", id="prefixed-declaration"),
        pytest.param("{}xmlns:foo", id="clark-prefixed-declaration"),
    ],
)
def test_an_attribute_cannot_declare_a_namespace(name: str) -> None:
    with pytest.raises(ValueError, match=r"xmlns|not an XML local name"):
        ms.Element("{urn:x}e", attributes={name: "DAV:"})
    with pytest.raises(ValueError, match=r"xmlns|not an XML local name"):
        ms.Property("{urn:x}p", "v", attributes={name: "DAV:"})
    with pytest.raises(ValueError, match=r"xmlns|not an XML local name"):
        ms.Element("{urn:x}e", attributes=ms.FrozenMap({name: "DAV:"}))


def test_a_prefixed_attribute_named_xmlns_is_an_ordinary_attribute() -> None:
    element = ms.Element("{urn:x}e", attributes={"{urn:y}xmlns": "DAV:"})
    _round_trips(_doc_with(element))
    assert ms.Element("xmlns") == ms.Element("{}xmlns")  # an element may be called xmlns


@pytest.mark.parametrize(
    ("attributes", "where"),
    [
        pytest.param('"attributes": {"{}xmlns": "DAV:"}', "property", id="property-clark"),
        pytest.param('"attributes": {"xmlns": "DAV:"}', "property", id="property-bare"),
        pytest.param('"attributes": {"{http://www.w3.org/2000/xmlns/}D": "urn:evil"}', "property", id="property-ns"),
        pytest.param('{"xmlns": "DAV:"}', "element", id="element-bare"),
        pytest.param('{"{}xmlns": "DAV:"}', "element", id="element-clark"),
    ],
)
def test_from_json_refuses_a_namespace_declaration_as_attribute(attributes: str, where: str) -> None:
    if where == "property":
        prop = '{"value": "x", ' + attributes + "}"
    else:
        prop = '[["{urn:x}e", ' + attributes + ', "x"]]'
    body = '{"responses": [{"href": "/a", "propstats": [{"status": 200, "props": {"{urn:p}v": ' + prop + "}}]}]}"
    with pytest.raises(ms.ParseError, match=r"xmlns|namespace"):
        ms.from_json(body)


def test_attributes_named_twice_are_refused() -> None:
    with pytest.raises(ValueError, match="given twice"):
        ms.Element("{urn:x}e", attributes={"a": "1", "{}a": "2"})


def test_canonical_frozen_attributes_are_kept_as_they_are() -> None:
    attributes = ms.FrozenMap({"{}a": "1"})
    assert ms.Element("{urn:x}e", attributes=attributes).attributes is attributes
    assert ms.Element("{urn:x}e", attributes=ms.FrozenMap({"a": "1"})).attributes == {"{}a": "1"}


# -- B. XML 1.0 names, as libxml2 reads them ---------------------------------------------
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _lxml_accepts_name(name: str) -> bool:
    try:
        etree.fromstring(f'<{name} xmlns="urn:x"/>'.encode("utf-8", "surrogatepass"), _PARSER)
    except etree.XMLSyntaxError:
        return False
    return True


def _model_accepts_name(name: str) -> bool:
    try:
        ms.Element(f"{{urn:x}}{name}")
    except ValueError:
        return False
    return True


_BOUNDARIES = [
    0x2D, 0x2E, 0x30, 0x39, 0x3A, 0x41, 0x5A, 0x5F, 0x61, 0x7A, 0xB7, 0xC0, 0xD6, 0xD7, 0xD8, 0xF6, 0xF7, 0xF8,
    0x2FF, 0x300, 0x36F, 0x370, 0x37D, 0x37E, 0x37F, 0x1FFF, 0x2000, 0x200B, 0x200C, 0x200D, 0x200E, 0x203E,
    0x203F, 0x2040, 0x2041, 0x206F, 0x2070, 0x218F, 0x2190, 0x2BFF, 0x2C00, 0x2FEF, 0x2FF0, 0x3000, 0x3001,
    0xD7FF, 0xE000, 0xF8FF, 0xF900, 0xFDCF, 0xFDD0, 0xFDEF, 0xFDF0, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0xEFFFF,
    0xF0000, 0x10FFFF,
]  # fmt: skip
_NAMED = [0xAA, 0xB2, 0xBD, 0x2460]  # ª ² ½ ①


def _code_points() -> Iterator[int]:
    yield from _BOUNDARIES
    yield from _NAMED
    rng = random.Random(4918)
    candidates = [c for c in range(0x21, 0x110000) if not 0xD800 <= c <= 0xDFFF]
    yield from rng.sample(candidates, 3000)


@pytest.mark.parametrize("position", ["start", "inside"])
def test_names_follow_xml_1_0_as_libxml2_reads_them(position: str) -> None:
    mismatches = []
    for code in _code_points():
        name = chr(code) if position == "start" else "a" + chr(code)
        accepted = _model_accepts_name(name)
        if accepted != _lxml_accepts_name(name):
            mismatches.append(f"U+{code:04X}")
        elif accepted and code in _BOUNDARIES + _NAMED:
            _round_trips(_doc_with(ms.Element(f"{{urn:x}}{name}", attributes={name: "v"})))
    assert mismatches == []


@pytest.mark.parametrize(
    ("name", "accepted"),
    [
        pytest.param("\u00aa", False, id="feminine-ordinal"),
        pytest.param("\u00b2", False, id="superscript-two"),
        pytest.param("\u00bd", False, id="one-half"),
        pytest.param("\u2460", False, id="circled-one"),
        pytest.param("a\u00b7", True, id="middle-dot-inside"),
        pytest.param("\u00b7", False, id="middle-dot-start"),
        pytest.param("a:b", False, id="colon"),
        pytest.param("-a", False, id="hyphen-start"),
    ],
)
def test_name_characters(name: str, accepted: bool) -> None:
    assert _model_accepts_name(name) is accepted


# -- C. namespace URIs and lengths the reader refuses --------------------------------
def _lxml_accepts_namespace(uri: str) -> bool:
    quoted = uri.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    try:
        etree.fromstring(f'<x xmlns="{quoted}"/>'.encode(), _PARSER)
    except etree.XMLSyntaxError:
        return False
    return True


@pytest.mark.parametrize(
    "uri",
    [
        pytest.param("a b", id="space"),
        pytest.param("urn:\u00e9t\u00e9", id="non-ascii"),
        pytest.param("urn:x\ty", id="tab"),
        pytest.param("http://x/%zz", id="bad-escape"),
        pytest.param("a|b", id="pipe"),
        pytest.param("a^b", id="caret"),
        pytest.param("a`b", id="backquote"),
        pytest.param("a\\b", id="backslash"),
        pytest.param("a<b", id="less-than"),
        pytest.param('a"b', id="quote"),
        pytest.param("//h:", id="empty-port"),
        pytest.param("//h:2147483648", id="port-overflow"),
        pytest.param("x ", id="trailing-space"),
    ],
)
def test_a_namespace_the_reader_refuses_is_refused(uri: str) -> None:
    assert not _lxml_accepts_namespace(uri)
    with pytest.raises(ValueError, match="not a URI reference"):
        ms.Element(f"{{{uri}}}x")


@pytest.mark.parametrize(
    "uri",
    [
        pytest.param("DAV:", id="dav"),
        pytest.param("urn:ietf:params:xml:ns:caldav", id="urn"),
        pytest.param("http://example.com/ns/?q=1&r=2#frag[1]", id="query-fragment-brackets"),
        pytest.param("//[::1]:2147483647/p", id="ipv6-max-port"),
        pytest.param("urn:%C3%A9t%C3%A9", id="percent-encoded"),
        pytest.param("#x", id="fragment-only"),
        pytest.param("a%20b", id="escaped-space"),
        pytest.param("!$&'()*+,;=", id="sub-delims"),
    ],
)
def test_a_namespace_the_reader_reads_round_trips(uri: str) -> None:
    assert _lxml_accepts_namespace(uri)
    _round_trips(_doc_with(ms.Element(f"{{{uri}}}x", attributes={f"{{{uri}}}a": "1"})))


def test_namespaces_agree_with_libxml2_on_random_strings() -> None:
    alphabet = [*"aZ09-._~%2F!$&'()*+,;=:@/?#[]{}| \\^`<>\u00e9", "%4", "%zz", "//", "::1", ":9", ":2147483648"]
    rng = random.Random(7)
    mismatches = []
    for _ in range(3000):
        uri = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        try:
            ms.Element(f"{{{uri}}}x")
            accepted = True
        except ValueError:
            accepted = False
        if accepted != _lxml_accepts_namespace(uri):
            mismatches.append(uri)
    assert mismatches == []


def test_names_longer_than_the_reader_reads_are_refused() -> None:
    longest = "a" * 50_000
    assert _lxml_accepts_name(longest)
    assert not _lxml_accepts_name(longest + "a")
    _round_trips(_doc_with(ms.Element(f"{{urn:x}}{longest}")))
    with pytest.raises(ValueError, match="longer than 50000 UTF-8 bytes"):
        ms.Element(f"{{urn:x}}{longest}a")
    with pytest.raises(ValueError, match="longer than 50000 UTF-8 bytes"):
        ms.Element("{urn:x}" + "\u00e9" * 25_001)  # bytes, not characters
    with pytest.raises(ValueError, match="namespace is longer than 1000000"):
        ms.Element("{urn:" + "a" * 1_000_000 + "}x")


# -- D. stray exceptions from outside bytes ------------------------------------------------
_XML = (
    b'<D:multistatus xmlns:D="DAV:"><D:response><D:href>/a</D:href>'
    b"<D:status>HTTP/1.1 200 OK</D:status></D:response></D:multistatus>"
)
_JSON = b'{"responses": [{"href": "/a", "status": 200}]}'
_HTML = b"<html><title>Oops</title><p>broken</p></html>"


@pytest.mark.parametrize(
    "charset",
    [
        pytest.param("undefined", id="undefined"),
        pytest.param("punycode", id="punycode"),
        pytest.param("idna", id="idna"),
        pytest.param("unicode_escape", id="unicode-escape"),
        pytest.param("utf\x008", id="nul"),
        pytest.param("\x00", id="only-nul"),
        pytest.param("base64", id="bytes-to-bytes"),
        pytest.param("rot13", id="str-to-str"),
    ],
)
@pytest.mark.parametrize("body", [pytest.param(_XML, id="xml"), pytest.param(_JSON, id="json")])
def test_an_unusable_charset_is_ignored(charset: str, body: bytes) -> None:
    doc = ms.from_body(body, f"application/xml; charset={charset}")
    assert doc.responses[0].href == "/a"
    with pytest.raises(ms.NotMultiStatus, match="Oops"):
        ms.from_body(_HTML, f"text/html; charset={charset}")


def _failing_codec(name: str) -> codecs.CodecInfo | None:
    if name != "always_fails_test":
        return None

    def decode(data: object, errors: str = "strict") -> tuple[str, int]:
        raise UnicodeError("this codec fails on every input")

    return codecs.CodecInfo(name="always_fails_test", encode=codecs.utf_8_encode, decode=decode)


@pytest.fixture
def failing_codec() -> Iterator[None]:
    codecs.register(_failing_codec)
    yield
    codecs.unregister(_failing_codec)


@pytest.mark.usefixtures("failing_codec")
@pytest.mark.parametrize("body", [pytest.param(_XML, id="xml"), pytest.param(_JSON, id="json")])
def test_a_codec_failing_with_its_own_unicode_error_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(ms.ParseError, match="not valid always_fails_test"):
        ms.from_body(body, "application/xml; charset=always_fails_test")


@pytest.mark.usefixtures("failing_codec")
def test_an_html_page_in_a_failing_codec_is_still_described() -> None:
    with pytest.raises(ms.NotMultiStatus, match="Oops"):
        ms.from_body(_HTML, "text/html; charset=always_fails_test")


def _xml_with_hrefs(*hrefs: str) -> bytes:
    items = "".join(f"<D:response><D:href>{h}</D:href><D:status>HTTP/1.1 200 OK</D:status></D:response>" for h in hrefs)
    return f'<D:multistatus xmlns:D="DAV:">{items}</D:multistatus>'.encode()


@pytest.mark.parametrize(
    "hrefs",
    [
        pytest.param(("http://[::1/a",), id="unclosed-ipv6"),
        pytest.param(("http://[::1/a", "/b"), id="unclosed-ipv6-and-path"),
        pytest.param(("http://[::1/a", "http://[::1/a"), id="twice"),
        pytest.param(("http://[zz]/a",), id="bad-ipv6"),
    ],
)
def test_validate_reports_an_href_that_is_not_a_uri(hrefs: tuple[str, ...]) -> None:
    body = _xml_with_hrefs(*hrefs)
    codes = [v.code for v in ms.validate(body)]
    assert "bad-href" in codes
    with pytest.raises(ms.ParseError, match="bad-href"):
        ms.from_xml(body, strict=True)


@pytest.mark.parametrize(
    ("capture", "message"),
    [
        pytest.param("HTTP/1.1 \uff12\uff10\uff17 Multi-Status".encode(), "not an HTTP status line", id="fullwidth"),
        pytest.param(b"HTTP/1.1 \xb207 Multi-Status", "not an HTTP status line", id="latin1-superscript"),
        pytest.param("HTTP/1.1 \u00b207 Multi".encode(), "not an HTTP status line", id="utf8-superscript"),
        pytest.param(b"HTTP/1.1 2070 Multi-Status", "not an HTTP status line", id="four-digits"),
    ],
)
def test_a_capture_with_a_strange_status_line_is_a_clear_error(
    capture: bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "capture.txt"
    path.write_bytes(capture + b"\r\nContent-Type: application/xml\r\n\r\n" + _XML)
    assert main(["inspect", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "content_type",
    [
        pytest.param(b"application/xml; charset=undefined", id="undefined"),
        pytest.param(b"application/xml; charset=idna", id="idna"),
        pytest.param(b"application/xml; charset=utf\x008", id="nul"),
        pytest.param(b"application/xml; charset=hex", id="bytes-to-bytes"),
    ],
)
def test_the_cli_never_prints_a_traceback_for_a_charset(content_type: bytes, tmp_path: Path) -> None:
    path = tmp_path / "capture.txt"
    path.write_bytes(b"HTTP/1.1 207 Multi-Status\r\nContent-Type: " + content_type + b"\r\n\r\n" + _XML)
    result = subprocess.run(
        [sys.executable, "-m", "multistatus", "inspect", "--color=never", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr


# -- E. gzip integrity ------------------------------------------------------------------
class _Captured:
    status_code = 207

    def __init__(self, body: bytes, encoding: str = "gzip") -> None:
        self.content = body
        self.headers = {"Content-Type": "application/xml", "Content-Encoding": encoding}


_GZ = gzip.compress(_XML)


@pytest.mark.parametrize(
    ("body", "encoding", "message"),
    [
        pytest.param(_GZ[:-8], "gzip", "cut short.*no CRC and size trailer", id="gzip-no-trailer"),
        pytest.param(_GZ[:-4], "gzip", "cut short", id="gzip-half-trailer"),
        pytest.param(_GZ + b"junk", "gzip", "4 bytes of junk", id="gzip-junk-after"),
        pytest.param(_GZ + b"\x1f\x8bjunk", "gzip", "could not be decompressed", id="gzip-bad-second-member"),
        pytest.param(_GZ[:-8] + b"\0" * 8, "gzip", "incorrect data check", id="gzip-bad-crc"),
        pytest.param(zlib.compress(_XML)[:-4], "deflate", "cut short", id="deflate-cut"),
        pytest.param(zlib.compress(_XML) + b"\x1f\x8b", "deflate", "junk", id="deflate-junk-after"),
    ],
)
def test_a_broken_compressed_body_is_a_parse_error(body: bytes, encoding: str, message: str) -> None:
    with pytest.raises(ms.ParseError, match=message):
        ms.from_response(_Captured(body, encoding))


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(gzip.compress(_XML[:40]) + gzip.compress(_XML[40:]), id="two-members"),
        pytest.param(b"".join(gzip.compress(bytes([b])) for b in _XML), id="one-member-a-byte"),
        pytest.param(_GZ + b"\0\0\0\0", id="zero-padding"),
    ],
)
def test_a_multi_member_gzip_body_is_read_whole(body: bytes) -> None:
    assert ms.from_response(_Captured(body)).responses[0].href == "/a"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(gzip.compress(b" " * 5000 + _XML), id="one-member"),
        pytest.param(gzip.compress(b" " * 900) + gzip.compress(b" " * 900) + gzip.compress(_XML), id="over-members"),
    ],
)
def test_decompression_stays_within_max_bytes(body: bytes) -> None:
    with pytest.raises(ms.LimitExceeded, match="once decompressed"):
        ms.from_response(_Captured(body), limits=ms.Limits(max_bytes=1000))


# -- F. spoofing in human output -------------------------------------------------------
_SPOOFS = [
    pytest.param("\u202e", "\\u202e", id="rlo"),
    pytest.param("\u202a", "\\u202a", id="lre"),
    pytest.param("\u2066", "\\u2066", id="lri"),
    pytest.param("\u2069", "\\u2069", id="pdi"),
    pytest.param("\u200e", "\\u200e", id="lrm"),
    pytest.param("\u200f", "\\u200f", id="rlm"),
    pytest.param("\u061c", "\\u061c", id="alm"),
    pytest.param("\t", "\\x09", id="tab"),
    pytest.param("\x7f", "\\x7f", id="del"),
    pytest.param("\x85", "\\x85", id="c1-nel"),
    pytest.param("\x9b", "\\x9b", id="c1-csi"),
    pytest.param("\r", "\\x0d", id="carriage-return"),
    pytest.param("\u2028", "\\u2028", id="line-separator"),
]


def _spoof_doc(char: str) -> ms.MultiStatus:
    return ms.MultiStatus(
        [
            ms.Response(
                f"/dav/evil{char}txt.exe",
                status=423,
                id=f"id{char}",
                description=f"locked{char}here",
                error=ms.Error(["{DAV:}lock-token-submitted"], message=f"msg{char}x"),
            )
        ],
        description=f"doc{char}description",
        sync_token=f"to{char}ken",
    )


@pytest.mark.parametrize(("char", "shown"), _SPOOFS)
def test_the_cli_shows_controls_escaped(
    char: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "doc.json"
    path.write_bytes(ms.to_json(_spoof_doc(char)))
    assert main(["inspect", "--color=never", str(path)]) == 1
    out = capsys.readouterr().out
    assert char not in out
    for text in (f"evil{shown}txt.exe", f"id{shown}", f"msg{shown}x", f"doc{shown}description", f"to{shown}ken"):
        assert text in out


@pytest.mark.parametrize(("char", "shown"), _SPOOFS)
def test_the_html_view_shows_controls_escaped(char: str, shown: str) -> None:
    page = ms.to_html(_spoof_doc(char)).decode()
    assert char not in page
    for text in (f"evil{shown}txt.exe", f"id{shown}", f"msg{shown}x", f"doc{shown}description", f"to{shown}ken"):
        assert text in page


@pytest.mark.parametrize(
    ("href", "shown"),
    [
        pytest.param("/a%E2%80%AEb", "/a%E2%80%AEb", id="encoded-rlo-kept-encoded"),
        pytest.param("/a\u202eb", "/a\\u202eb", id="raw-rlo-escaped"),
        pytest.param("/a%E2%80%A8b", "/a%E2%80%A8b", id="encoded-line-separator-kept"),
        pytest.param("/a%1Bb\x1b", "/a%1Bb\\x1b", id="escape-both-ways"),
    ],
)
def test_display_href_never_yields_a_control(href: str, shown: str) -> None:
    assert ms.display_href(href) == shown


def test_an_error_message_quoting_the_input_is_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"<html><title>Oops \xe2\x80\xae\x1b[31m</title></html>")
    assert main(["inspect", str(path)]) == 2
    err = capsys.readouterr().err
    assert "\u202e" not in err
    assert "\x1b" not in err
    assert "\\u202e" in err


@pytest.mark.parametrize(
    ("href", "codes"),
    [
        pytest.param("/dav/evil\u202etxt.exe", ["bidi-control-in-href"], id="rlo"),
        pytest.param("/dav/\u2067x", ["bidi-control-in-href"], id="rli"),
        pytest.param("/dav/\u200fx", ["bidi-control-in-href"], id="rlm"),
        pytest.param("/dav/evil%E2%80%AEtxt.exe", [], id="encoded-is-fine"),
    ],
)
def test_validate_reports_a_bidi_control_in_an_href(href: str, codes: list[str]) -> None:
    assert [v.code for v in ms.validate(_xml_with_hrefs(href))] == codes
    doc = ms.MultiStatus([ms.Response(href, status=200)])
    assert [v.code for v in ms.validate(doc)] == codes


def test_cli_validate_escapes_what_it_quotes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "doc.xml"
    path.write_bytes(_xml_with_hrefs("/a\u202eb"))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "bidi-control-in-href" in out
    assert "\u202e" not in out


# -- G. model oddities -------------------------------------------------------------------
@pytest.mark.parametrize(
    "href",
    [
        pytest.param({"a": 1}, id="mapping"),
        pytest.param(b"/a", id="bytes"),
        pytest.param(bytearray(b"/a"), id="bytearray"),
        pytest.param(7, id="int"),
    ],
)
def test_an_href_is_a_str_or_an_iterable_of_str(href: object) -> None:
    with pytest.raises(TypeError, match="href"):
        ms.Response(href, status=200)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(True, 1, id="true-one"),
        pytest.param(1, 1.0, id="int-float"),
        pytest.param(False, 0.0, id="false-zero-float"),
        pytest.param(0.0, -0.0, id="signed-zero"),
        pytest.param([True], [1], id="inside-array"),
        pytest.param({"a": 1}, {"a": 1.0}, id="inside-object"),
        pytest.param({"a": 1}, {"b": 1}, id="other-member"),
        pytest.param([1], [1, 1], id="other-length"),
        pytest.param([1], {"0": 1}, id="array-object"),
        pytest.param({"0": 1}, [1], id="object-array"),
    ],
)
def test_bodies_of_different_json_values_differ(a: object, b: object) -> None:
    ra, rb = ms.Response("/a", status=200, body=a), ms.Response("/a", status=200, body=b)
    assert ra != rb
    for response in (ra, rb):
        doc = ms.MultiStatus([response])
        _round_trips(doc)
        assert ms.from_json(ms.to_json(doc)).responses[0] != (rb if response is ra else ra)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(True, 1, id="true-one"),
        pytest.param(1, 1.0, id="int-float"),
        pytest.param(0.0, -0.0, id="signed-zero"),
        pytest.param([True], [1], id="inside-array"),
        pytest.param({"a": 1}, {"a": 1.0}, id="inside-object"),
    ],
)
def test_problem_members_of_different_json_values_differ(a: object, b: object) -> None:
    ea, eb = ms.Error(code="x", n=a), ms.Error(code="x", n=b)
    assert ea != eb
    assert ea == ms.Error(code="x", n=a)
    assert hash(ea) == hash(ms.Error(code="x", n=a))
    assert ea != "not an error"
    for error in (ea, eb):
        doc = ms.MultiStatus([ms.Response("/a", status=409, error=error)])
        _round_trips(doc)
        assert ms.from_json(ms.to_json(doc)).responses[0].error != (eb if error is ea else ea)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(True, id="true"),
        pytest.param(1, id="one"),
        pytest.param(1.0, id="one-float"),
        pytest.param({"b": [1, 2.5, None, "x"], "a": {}}, id="nested"),
    ],
)
def test_equal_bodies_compare_and_hash_equal(body: object) -> None:
    ra, rb = ms.Response("/a", status=200, body=body), ms.Response("/a", status=200, body=body)
    assert ra == rb
    assert hash(ra) == hash(rb)
    assert ra != ms.Response("/b", status=200, body=body)
    assert ra != "not a response"
