"""from_response / from_body: every capture with its recorded headers, lying Content-Types, charsets, errors."""

from __future__ import annotations

import gzip
import io
import json
import pickle
import zlib
from typing import Any

import pytest

import multistatus as ms
from tests.conftest import SERVERS, Case, all_cases, expected_facts, facts_of

MULTISTATUS_XML = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<D:multistatus xmlns:D="DAV:"><D:response><D:href>/dav/a.txt</D:href>'
    b"<D:status>HTTP/1.1 423 Locked</D:status></D:response></D:multistatus>"
)
MULTISTATUS_JSON = b'{"responses": [{"href": "/items/1", "status": 201}, {"href": "/items/2", "status": 409}]}'


def _server_cases() -> list[Any]:
    return [c.param() for c in all_cases() if c.server in SERVERS and c.body_path is not None]


@pytest.mark.parametrize("case", _server_cases())
def test_every_capture_with_its_recorded_headers(case: Case) -> None:
    """Multistatus bodies yield the manifest's facts; the others a NotMultiStatus saying what they are."""
    entry = case.entry
    if case.is_multistatus:
        doc = ms.from_body(case.body(), entry["content_type"], status=entry["status"])
        assert facts_of(doc) == expected_facts(case.facts)  # type: ignore[arg-type]
        return
    with pytest.raises(ms.NotMultiStatus) as info:
        ms.from_body(case.body(), entry["content_type"], status=entry["status"])
    exc = info.value
    assert exc.status == entry["status"]
    assert exc.content_type == entry["content_type"]
    assert f"HTTP {entry['status']}" in str(exc)
    if case.facts is None:  # HTML error page
        assert exc.error is None
        assert "HTML page" in str(exc)
        assert exc.detail
    elif case.facts["root"] == "{DAV:}error":
        assert exc.error is not None
        assert exc.error.condition_names
        assert all(name in str(exc) for name in exc.error.condition_names)
    else:
        assert exc.error is None
        assert case.facts["root"] in str(exc)


@pytest.mark.parametrize(
    ("case_id", "detail"),
    [
        pytest.param(
            "apache2/05-propfind-dinf-allprop",
            'Forbidden: PROPFIND requests with a Depth of "infinity" are not allowed for /dav/.',
            id="apache-403",
        ),
        pytest.param(
            "apache2/25-copy-collection-unreadable-member",
            "Internal Server Error: The server encountered an internal error or misconfiguration and was unable "
            "to complete your request.",
            id="apache-500",
        ),
        pytest.param(
            "wsgidav/26-delete-collection-readonly-member", "403 Forbidden: Permission denied", id="wsgidav-403"
        ),
    ],
)
def test_html_error_pages_say_what_the_server_said(case_id: str, detail: str) -> None:
    case = next(c for c in all_cases() if f"{c.server}/{c.name}" == case_id)
    with pytest.raises(ms.NotMultiStatus) as info:
        ms.from_body(case.body(), case.entry["content_type"], status=case.entry["status"])
    assert info.value.detail == detail


def test_apache_424_with_a_multistatus_body_is_read_normally() -> None:
    case = next(c for c in all_cases() if c.name == "22-delete-collection-locked-member" and c.server == "apache2")
    assert case.entry["status"] == 424
    doc = ms.from_body(case.body(), case.entry["content_type"], status=424)
    assert [r.status.code for r in doc.failed() if r.status is not None] == [423]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(MULTISTATUS_XML, "text/plain", id="xml-as-text-plain"),
        pytest.param(MULTISTATUS_XML, "application/octet-stream", id="xml-as-octet-stream"),
        pytest.param(MULTISTATUS_XML, None, id="xml-without-content-type"),
        pytest.param(MULTISTATUS_XML, "application/json", id="xml-labelled-json"),
        pytest.param(b"\n\n  " + MULTISTATUS_XML, "text/html", id="xml-as-html-leading-space"),
        pytest.param(b"\xef\xbb\xbf" + MULTISTATUS_XML, "text/plain", id="utf8-bom"),
        pytest.param(MULTISTATUS_XML.decode().encode("utf-16"), "application/octet-stream", id="utf16-bom"),
        pytest.param(MULTISTATUS_XML.split(b"\n", 1)[1], "text/xml", id="no-declaration"),
        pytest.param(b"<!-- hi -->" + MULTISTATUS_XML.split(b"\n", 1)[1], None, id="leading-comment"),
    ],
)
def test_xml_is_sniffed_when_the_content_type_lies(body: bytes, content_type: str | None) -> None:
    doc = ms.from_body(body, content_type)
    assert [(r.href, r.status.code if r.status else None) for r in doc] == [("/dav/a.txt", 423)]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(MULTISTATUS_JSON, "application/json", id="json"),
        pytest.param(MULTISTATUS_JSON, "text/html; charset=utf-8", id="json-as-html"),
        pytest.param(MULTISTATUS_JSON, "application/vnd.example+json", id="vendor-json"),
        pytest.param(b"\xef\xbb\xbf" + MULTISTATUS_JSON, "application/json", id="json-utf8-bom"),
        pytest.param(MULTISTATUS_JSON.decode().encode("utf-16-le"), "application/json; charset=utf-16le", id="utf16"),
        pytest.param(b"  \r\n" + MULTISTATUS_JSON, None, id="json-without-content-type"),
    ],
)
def test_json_bodies(body: bytes, content_type: str | None) -> None:
    doc = ms.from_body(body, content_type, status=207)
    assert [(r.href, r.status.code if r.status else None) for r in doc] == [("/items/1", 201), ("/items/2", 409)]


DISPLAY = "<D:displayname>Caf\xe9</D:displayname>"


def _latin1_doc(declaration: str = "") -> bytes:
    return (
        f'{declaration}<D:multistatus xmlns:D="DAV:"><D:response><D:href>/a</D:href><D:propstat>'
        f"<D:prop>{DISPLAY}</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"
    ).encode("latin-1")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(_latin1_doc(), "text/xml; charset=ISO-8859-1", id="header-charset"),
        pytest.param(_latin1_doc(), 'text/xml; charset="iso-8859-1"', id="quoted-charset"),
        pytest.param(_latin1_doc("<?xml version='1.0' encoding='ISO-8859-1'?>"), "text/xml", id="declaration"),
        pytest.param(
            _latin1_doc("<?xml version='1.0' encoding='utf-8'?>"), "text/xml; charset=latin-1", id="header-beats-decl"
        ),
        pytest.param(
            _latin1_doc("<?xml version='1.0' encoding='ISO-8859-1'?>"),
            "text/xml; charset=x-unknown",
            id="unknown-charset-ignored",
        ),
    ],
)
def test_charset_from_header_or_declaration(body: bytes, content_type: str) -> None:
    doc = ms.from_body(body, content_type)
    prop = doc.responses[0].prop("{DAV:}displayname")
    assert prop is not None
    assert prop.value == "Café"


def test_utf8_header_with_a_latin1_declaration_follows_the_header() -> None:
    body = b"<?xml version='1.0' encoding='ISO-8859-1'?>" + _latin1_doc().decode("latin-1").encode("utf-8")
    doc = ms.from_body(body, "application/xml; charset=utf-8")
    assert doc.responses[0].prop("{DAV:}displayname").value == "Café"  # type: ignore[union-attr]


def test_a_byte_order_mark_beats_the_header() -> None:
    body = MULTISTATUS_XML.decode().replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    assert ms.from_body(body, "text/xml; charset=iso-8859-1").responses[0].href == "/dav/a.txt"


@pytest.mark.parametrize(
    ("body", "charset"),
    [
        pytest.param(MULTISTATUS_XML, "base64", id="xml-base64"),
        pytest.param(MULTISTATUS_XML, "rot13", id="xml-rot13"),
        pytest.param(MULTISTATUS_XML, "hex", id="xml-hex"),
        pytest.param(MULTISTATUS_JSON, "zlib", id="json-zlib"),
        pytest.param(MULTISTATUS_JSON, "base64", id="json-base64"),
    ],
)
def test_a_charset_naming_a_bytes_codec_is_ignored(body: bytes, charset: str) -> None:
    # codecs.lookup() knows these, but they are not text encodings: bytes.decode() raises LookupError.
    assert ms.from_body(body, f"application/xml; charset={charset}") == ms.from_body(body)


def test_a_body_that_is_not_in_the_header_charset() -> None:
    with pytest.raises(ms.ParseError, match="not valid utf-16"):
        ms.from_body(b"<a/>\xff", "text/xml; charset=utf-16")
    with pytest.raises(ms.ParseError, match="not valid ascii"):
        ms.from_body(b'{"responses": "\xff"}', "application/json; charset=ascii")


@pytest.mark.parametrize(
    ("body", "content_type", "code", "message"),
    [
        pytest.param(
            b'{"type": "https://example.com/probs/quota", "title": "Quota exceeded", "status": 507, '
            b'"detail": "You have 0 bytes left.", "code": "quota"}',
            "application/problem+json",
            "quota",
            "You have 0 bytes left.",
            id="problem-json",
        ),
        pytest.param(
            b'{"title": "Not allowed", "status": "403"}', "application/json", None, "Not allowed", id="problem-as-json"
        ),
        pytest.param(
            b'{"type": "about:blank", "invalid-params": [{"name": "x"}], "$schema": "odd"}',
            "application/problem+json",
            None,
            None,
            id="problem-odd-members",
        ),
    ],
)
def test_problem_json_becomes_not_multistatus(
    body: bytes, content_type: str, code: str | None, message: str | None
) -> None:
    with pytest.raises(ms.NotMultiStatus, match="RFC 9457 problem") as info:
        ms.from_body(body, content_type, status=403)
    error = info.value.error
    assert error is not None
    assert error.code == code
    assert error.message == message
    assert "status" not in error.problem or type(error.problem["status"]) is int
    assert "$schema" not in error.problem


@pytest.mark.parametrize(
    ("body", "content_type", "match"),
    [
        pytest.param(b"", None, "is empty", id="empty"),
        pytest.param(b" \r\n", "text/xml", "is empty", id="blank"),
        pytest.param(b"Service Unavailable", "text/plain", "neither XML nor JSON", id="plain-text"),
        pytest.param(b"\x00\x01\x02garbage", None, "neither XML nor JSON", id="binary"),
        pytest.param(b"<D:prop xmlns:D='DAV:'/>", "text/xml", r"\{DAV:\}prop document", id="dav-prop"),
        pytest.param(b"<html><body>Oops</body></html>", None, "HTML page, not a multistatus: Oops", id="html-sniffed"),
        pytest.param(b"<?xml version='1.0'?>\n<!DOCTYPE html>\n<html/>", "text/xml", "HTML page", id="xhtml"),
        pytest.param(b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "text/xml", "Atom}feed document", id="atom"),
        pytest.param(b"<root/>", "text/xml", r"\{\}root document", id="no-namespace"),
    ],
)
def test_other_bodies_become_not_multistatus(body: bytes, content_type: str | None, match: str) -> None:
    with pytest.raises(ms.NotMultiStatus, match=match):
        ms.from_body(body, content_type, status=200)


@pytest.mark.parametrize(
    ("body", "content_type", "match"),
    [
        pytest.param(b"<D:multistatus xmlns:D='DAV:'><D:response>", "text/xml", "line 1", id="truncated-xml"),
        pytest.param(b"{not json", "application/json", "JSON", id="bad-json"),
        pytest.param(b'{"responses": 3}', "application/json", "/responses", id="wrong-json"),
        pytest.param(b"garbage", "application/xml", "malformed XML", id="garbage-labelled-xml"),
        pytest.param(b"garbage", "application/json", "JSON", id="garbage-labelled-json"),
        pytest.param(b"<?xml version='1.0'", "text/xml; q=1", "line 1", id="unterminated-declaration"),
        pytest.param(b"<!-- no end <html>", None, "line 1", id="unterminated-comment"),
        pytest.param(b'{"items": []}', "application/json", "/items", id="json-without-responses"),
    ],
)
def test_broken_bodies_are_parse_errors(body: bytes, content_type: str, match: str) -> None:
    with pytest.raises(ms.ParseError, match=match) as info:
        ms.from_body(body, content_type)
    assert not isinstance(info.value, ms.NotMultiStatus)


def test_limits_apply() -> None:
    with pytest.raises(ms.LimitExceeded):
        ms.from_body(MULTISTATUS_XML, "text/xml", limits=ms.Limits(max_bytes=50))
    with pytest.raises(ms.LimitExceeded):
        ms.from_body(b"<D:multistatus xmlns:D='DAV:'>" + b"<D:x>" * 80 + b"</D:x>" * 80 + b"</D:multistatus>")


def test_from_body_wants_bytes() -> None:
    with pytest.raises(TypeError, match="bytes"):
        ms.from_body(MULTISTATUS_XML.decode(), "text/xml")  # type: ignore[arg-type]


def test_not_multistatus_pickles_and_is_a_parse_error() -> None:
    error = ms.Error(["{DAV:}lock-token-submitted"])
    exc = ms.NotMultiStatus("locked", status=423, content_type="text/xml", error=error, detail="d")
    again = pickle.loads(pickle.dumps(exc))
    assert (again.status, again.content_type, again.error, again.detail, str(again)) == (
        423,
        "text/xml",
        error,
        "d",
        "locked",
    )
    assert isinstance(exc, ms.ParseError)
    assert isinstance(exc, ValueError)


# -- from_response: duck typing over the clients' response objects ---------------------------
class RequestsLike:
    """requests.Response / httpx.Response: status_code, case-insensitive headers, content."""

    def __init__(self, status: int, headers: dict[str, str], content: bytes) -> None:
        self.status_code = status
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.content = content

    class _Headers(dict):  # type: ignore[type-arg]
        pass


class CaseInsensitive(dict):  # type: ignore[type-arg]
    def get(self, key: str, default: Any = None) -> Any:
        for k, v in self.items():
            if k.lower() == key.lower():
                return v
        return default


class UrllibLike:
    """http.client.HTTPResponse: .status, .headers (HTTPMessage), .read(amt)."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = CaseInsensitive(headers)
        self._body = io.BytesIO(body)
        self.asked: list[int] = []

    def read(self, amt: int = -1) -> bytes:
        self.asked.append(amt)
        return self._body.read(amt)


class GetheaderOnly:
    """An old-style response: .code and .getheader() only."""

    def __init__(self, code: int, content_type: str, body: bytes) -> None:
        self.code = code
        self._content_type = content_type
        self._body = body

    def getheader(self, name: str) -> str | None:
        return self._content_type if name.lower() == "content-type" else None

    def read(self, amt: int = -1) -> bytes:
        return self._body


class WerkzeugLike:
    def __init__(self, body: bytes) -> None:
        self.status_code = 207
        self.headers = CaseInsensitive({"Content-Type": b"application/xml"})
        self.data = body


def test_from_response_reads_requests_and_httpx_shaped_objects() -> None:
    response = RequestsLike(207, {"Content-Type": "text/xml"}, MULTISTATUS_XML)
    response.headers = CaseInsensitive(response.headers)  # type: ignore[assignment]
    assert ms.from_response(response).responses[0].href == "/dav/a.txt"


def test_from_response_reads_urllib_shaped_objects_within_the_limit() -> None:
    response = UrllibLike(207, {"content-type": "application/json"}, MULTISTATUS_JSON)
    assert len(ms.from_response(response, limits=ms.Limits(max_bytes=1000)).responses) == 2
    assert response.asked == [1001]
    unbounded = UrllibLike(207, {"content-type": "application/json"}, MULTISTATUS_JSON)
    ms.from_response(unbounded, limits=ms.Limits(max_bytes=None))
    assert unbounded.asked == [-1]
    too_big = UrllibLike(207, {"content-type": "application/json"}, MULTISTATUS_JSON)
    with pytest.raises(ms.LimitExceeded):
        ms.from_response(too_big, limits=ms.Limits(max_bytes=20))
    assert too_big.asked == [21]


def test_from_response_with_getheader_and_code() -> None:
    with pytest.raises(ms.NotMultiStatus) as info:
        ms.from_response(GetheaderOnly(404, "text/html", b"<html><title>Not Found</title></html>"))
    assert (info.value.status, info.value.content_type, info.value.detail) == (404, "text/html", "Not Found")


def test_from_response_with_werkzeug_data_and_bytes_headers() -> None:
    assert ms.from_response(WerkzeugLike(MULTISTATUS_XML)).responses[0].status == ms.Status(423)


def test_from_response_without_a_body_or_with_an_async_one() -> None:
    class Nothing:
        status_code = 207
        headers: dict[str, str] = {}  # noqa: RUF012

    with pytest.raises(TypeError, match="cannot find the body"):
        ms.from_response(Nothing())

    class AsyncLike:
        status = 207
        headers: dict[str, str] = {}  # noqa: RUF012

        async def read(self, amt: int = -1) -> bytes:
            return b""

    with pytest.raises(TypeError, match="from_body"):
        ms.from_response(AsyncLike())


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        pytest.param("gzip", gzip.compress, id="gzip"),
        pytest.param("x-gzip", gzip.compress, id="x-gzip"),
        pytest.param("deflate", zlib.compress, id="deflate"),
    ],
)
def test_compressed_bodies_left_by_urllib_are_inflated(encoding: str, compress: Any) -> None:
    response = UrllibLike(207, {"Content-Type": "text/xml", "Content-Encoding": encoding}, compress(MULTISTATUS_XML))
    assert ms.from_response(response).responses[0].href == "/dav/a.txt"


def test_already_decoded_bodies_with_a_content_encoding_header() -> None:
    """requests and httpx decode gzip but keep the header."""
    response = UrllibLike(207, {"Content-Type": "text/xml", "Content-Encoding": "gzip"}, MULTISTATUS_XML)
    assert ms.from_response(response).responses[0].href == "/dav/a.txt"


def test_compression_bombs_and_corrupt_streams() -> None:
    bomb = gzip.compress(b" " * 2_000_000 + MULTISTATUS_XML)
    response = UrllibLike(207, {"Content-Type": "text/xml", "Content-Encoding": "gzip"}, bomb)
    with pytest.raises(ms.LimitExceeded, match="decompressed"):
        ms.from_response(response, limits=ms.Limits(max_bytes=100_000))
    corrupt = UrllibLike(207, {"Content-Encoding": "gzip"}, b"\x1f\x8b" + b"\x00" * 20)
    with pytest.raises(ms.ParseError, match="could not be decompressed"):
        ms.from_response(corrupt)
    unbounded = UrllibLike(207, {"Content-Encoding": "gzip"}, gzip.compress(MULTISTATUS_JSON))
    assert len(ms.from_response(unbounded, limits=ms.Limits(max_bytes=None)).responses) == 2


def test_json_of_the_documented_shape_round_trips_through_from_body() -> None:
    doc = ms.MultiStatus([ms.Response("/items/3", status=429, id="3", headers={"retry-after": "30"})])
    assert ms.from_body(ms.to_json(doc), "application/json") == doc
    assert ms.from_body(ms.to_xml(doc), "application/xml") == doc
    assert json.loads(ms.to_json(doc))["responses"][0]["id"] == "3"


def test_from_response_with_odd_objects() -> None:
    class Minimal:  # no status, headers that are not a mapping: sniffing still works
        headers = (("Content-Type", "text/plain"),)
        content = MULTISTATUS_XML

    assert ms.from_response(Minimal()).responses[0].href == "/dav/a.txt"

    class NoStatus:
        headers: dict[str, str] = {}  # noqa: RUF012
        content = b"<html>down</html>"

    with pytest.raises(ms.NotMultiStatus) as info:
        ms.from_response(NoStatus())
    assert (info.value.status, info.value.content_type) == (None, None)
    assert str(info.value).startswith("the body (no Content-Type) is an HTML page")

    class TextRead:
        status = 207

        def read(self, amt: int = -1) -> str:
            return "<x/>"

    with pytest.raises(TypeError, match="did not return bytes"):
        ms.from_response(TextRead())
