"""Reading a multistatus out of an HTTP response from requests, httpx or urllib.

None of those libraries is imported: a response is read through the few
attributes they share (status, headers, body bytes).  Deciding between XML and
JSON, the charset and what a non-multistatus body means is done on plain bytes
and strings, so it works for any client (:func:`from_body`).
"""

from __future__ import annotations

import codecs
import html
import json
import re
import zlib
from collections.abc import Mapping
from typing import Literal

from .._exceptions import LimitExceeded, NotMultiStatus, ParseError
from .._http._problem import read_problem, with_status
from .._json import from_json
from .._limits import DEFAULT_LIMITS, Limits
from .._model import MultiStatus
from .._xml import build, parse_tree, read_error
from .._xml._reader import ERROR_ROOTS
from ._headers import carrying_headers, header_value

__all__ = ["NotMultiStatus", "from_body", "from_response"]

Kind = Literal["xml", "json", "html", "empty", "unknown"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_TITLE = re.compile(r"<title[^>]{0,200}>(.{0,500}?)</title>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1[^>]{0,200}>(.{0,500}?)</h1>", re.IGNORECASE | re.DOTALL)
_PARA = re.compile(r"<p(?:\s[^>]{0,200})?>(.{0,1000}?)</p>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,2000}>")
_PROBLEM_MEMBERS = ("type", "title", "status", "detail", "instance")


# -- content type and sniffing ---------------------------------------------------
def _media_type(content_type: str | None) -> tuple[str, str | None]:
    """``(type/subtype in lower case, charset or None)`` of a Content-Type value."""
    if not content_type:
        return "", None
    head, *params = content_type.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").strip() or None
    return head.strip().lower(), charset


def _declared_kind(media_type: str) -> Kind:
    if media_type in ("application/xml", "text/xml") or media_type.endswith("+xml"):
        return "xml"
    if media_type == "application/json" or media_type.endswith("+json"):
        return "json"
    return "unknown"


def _strip_bom(body: bytes) -> tuple[bytes, str | None]:
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :], encoding
    return body, None


def sniff(body: bytes) -> Kind:
    """What *body* is, judged by its first bytes: ``xml``, ``json``, ``html``, ``empty`` or ``unknown``.

    Servers label XML ``text/plain`` or ``application/octet-stream``, and JSON
    ``text/html``; the first bytes do not lie.  A byte order mark (UTF-8 or
    UTF-16) is skipped, then whitespace: ``<!doctype html`` or ``<html`` is
    HTML, any other ``<`` is XML (``<?xml``, a comment, an element), ``{`` or
    ``[`` is JSON.

    Args:
        body: the response body.

    Returns:
        The kind of body.

    Example:
        >>> sniff(b'\\xef\\xbb\\xbf  <?xml version="1.0"?><D:multistatus xmlns:D="DAV:"/>')
        'xml'
        >>> sniff(b'{"responses": []}'), sniff(b"<?xml version='1.0'?><!DOCTYPE html><html>"), sniff(b" ")
        ('json', 'html', 'empty')
    """
    data, encoding = _strip_bom(body[:1024])
    if encoding == "utf-16":
        data = data.decode("utf-16-le" if body.startswith(codecs.BOM_UTF16_LE) else "utf-16-be", "replace").encode()
    data = data.lstrip()
    if not data:
        return "empty"
    first = data[:1]
    if first == b"<":
        return "html" if _starts_html(data.lower()) else "xml"
    if first in (b"{", b"["):
        return "json"
    return "unknown"


def _starts_html(head: bytes) -> bool:
    """Whether the first markup after the prolog (declaration, PIs, comments) is HTML."""
    pos = 0
    while True:
        while pos < len(head) and head[pos : pos + 1].isspace():
            pos += 1
        for start, end in ((b"<?", b"?>"), (b"<!--", b"-->")):
            if head.startswith(start, pos):
                found = head.find(end, pos + len(start))
                if found < 0:
                    return False
                pos = found + len(end)
                break
        else:
            return head.startswith((b"<!doctype html", b"<html"), pos)


def _html_text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def _html_detail(body: bytes, charset: str | None) -> str | None:
    """A one-line summary of an HTML error page: its heading and first paragraph."""
    try:
        text = body[:8192].decode(_codec(charset) or "utf-8", "replace")
    except UnicodeError:  # a (registered) codec that fails even with "replace"
        text = body[:8192].decode("utf-8", "replace")
    found = {}
    for name, pattern in (("title", _TITLE), ("h1", _H1), ("p", _PARA)):
        match = pattern.search(text)
        found[name] = _html_text(match.group(1)) if match else ""
    heading = found["h1"] or found["title"]
    para = found["p"]
    if heading and para and not para.startswith(heading):
        detail = f"{heading}: {para}"
    else:
        detail = para or heading or _html_text(text)
    return (detail[:297] + "...") if len(detail) > 300 else (detail or None)


# Python codecs that are not charsets of text on the wire: "undefined" fails on
# every input, idna and punycode encode host names, the escape codecs read
# Python literals.  A charset parameter naming one is treated as unknown.
_NOT_CHARSETS = frozenset({"undefined", "idna", "punycode", "unicode_escape", "raw_unicode_escape"})


def _codec(charset: str | None) -> str | None:
    """The Python codec of a charset parameter, or ``None`` when it names no usable text encoding."""
    if not charset:
        return None
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return None
    # codecs.lookup also knows bytes-to-bytes codecs (base64, zlib, hex,
    # rot13); a hostile charset parameter naming one is treated as unknown.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


def _decode(body: bytes, codec: str, charset: str) -> str:
    """*body* decoded with *codec* (from the header's *charset*), or ParseError."""
    try:
        return body.decode(codec)
    except UnicodeError as exc:  # UnicodeDecodeError, or a codec's own UnicodeError
        where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        raise ParseError(f"the body is not valid {charset} (from Content-Type): {reason}{where}") from exc


# -- bodies ------------------------------------------------------------------------
def _describe(status: int | None, content_type: str | None) -> str:
    what = f"the HTTP {status} response" if status is not None else "the body"
    return f"{what} ({content_type})" if content_type else f"{what} (no Content-Type)"


def _xml_source(body: bytes, charset: str | None) -> bytes | str:
    """Bytes for the XML parser, or text when the header's charset must win (RFC 7303 §3.2)."""
    if _strip_bom(body)[1] is not None:
        return body  # a byte order mark beats the header
    codec = _codec(charset)
    if codec is None:
        return body  # no usable charset: the XML declaration (or UTF-8) decides
    if codec == "utf-8":
        declared = _XML_DECL_ENCODING.match(body[:256])
        if declared is None or _codec(declared.group(1).decode("ascii")) == "utf-8":
            return body
    return _decode(body, codec, charset or codec)


def _from_json(
    body: bytes, charset: str | None, status: int | None, content_type: str | None, limits: Limits
) -> MultiStatus:
    codec = _codec(charset)
    data: bytes | str = body
    if codec not in (None, "utf-8"):
        data = _decode(body, codec, charset or codec)
    elif body.startswith(codecs.BOM_UTF8):
        data = body[len(codecs.BOM_UTF8) :]
    try:
        return from_json(data, limits=limits)  # (decoded once: a multistatus is what a server should send)
    except ParseError:
        problem = _problem(data, status, content_type, limits)
        if problem is None:
            raise
    raise problem


def _problem(data: bytes | str, status: int | None, content_type: str | None, limits: Limits) -> NotMultiStatus | None:
    """What to raise for a JSON body that is no multistatus but an RFC 9457 problem (``None``: it is not one)."""
    try:
        decoded = json.loads(data)
    except (ValueError, RecursionError):
        return None  # (from_json said where it is broken)
    if not isinstance(decoded, dict) or "responses" in decoded:
        return None
    media_type, _ = _media_type(content_type)
    if media_type != "application/problem+json" and not any(k in decoded for k in _PROBLEM_MEMBERS):
        return None
    error = read_problem(decoded, status=status, limits=limits)
    detail = error.message
    return NotMultiStatus(
        f"{_describe(status, content_type)} is an RFC 9457 problem, not a multistatus"
        + (f": {detail}" if detail else ""),
        status=status,
        content_type=content_type,
        error=error,
        detail=detail,
    )


def _from_xml(
    body: bytes, charset: str | None, status: int | None, content_type: str | None, limits: Limits
) -> MultiStatus:
    if body[:1].isspace() and body.lstrip().startswith(b"<?xml"):
        # A stray newline before the declaration (PHP servers emit one after a
        # closing ?> tag) makes the XML ill-formed; what follows is still meant.
        body = body.lstrip()
    source = _xml_source(body, charset)
    root = parse_tree(source, limits)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == "{DAV:}multistatus":
        return build(root, limits)
    where = _describe(status, content_type)
    if tag in ERROR_ROOTS:
        error = with_status(read_error(root, limits=limits), status)
        names = ", ".join(error.condition_names) or "no condition"
        kind = "a DAV:error document" if tag == "{DAV:}error" else "an RFC 9457 problem"
        raise NotMultiStatus(
            f"{where} is {kind} ({names}), not a multistatus",
            status=status,
            content_type=content_type,
            error=error,
            detail=error.message,
        )
    found = tag if tag.startswith("{") else "{}" + tag
    raise NotMultiStatus(f"{where} is a {found} document, not a multistatus", status=status, content_type=content_type)


def from_body(
    body: bytes,
    content_type: str | None = None,
    *,
    status: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> MultiStatus:
    """Parse a multistatus from a response body and its ``Content-Type``, XML or JSON.

    This is :func:`from_response` for clients whose response objects it does not
    know (aiohttp after ``await response.read()``, a raw socket, a capture).
    The first bytes decide between XML and JSON (see :func:`sniff`), since
    servers mislabel both; the header's ``charset`` is honoured (RFC 7303: it
    beats the XML declaration, a byte order mark beats both).

    Args:
        body: the decoded body (no chunk framing, no Content-Encoding).
        content_type: the ``Content-Type`` header value, if any.
        status: the HTTP status, only used in error messages and on
            :class:`NotMultiStatus`.  Any status is accepted when the body is a
            multistatus (Apache answers ``424`` with one).
        limits: parsing limits.

    Returns:
        The parsed :class:`~multistatus.MultiStatus`.

    Raises:
        NotMultiStatus: the body is an HTML page, a ``DAV:error`` document, a
            problem, another XML document, or empty.
        ParseError: the body claims to be a multistatus but is malformed.
        LimitExceeded: a limit was hit.

    Example:
        >>> import multistatus as ms
        >>> body = b'''<D:multistatus xmlns:D="DAV:"><D:response>
        ...   <D:href>/dav/a.txt</D:href><D:status>HTTP/1.1 423 Locked</D:status>
        ... </D:response></D:multistatus>'''
        >>> doc = ms.from_body(body, "text/plain", status=207)
        >>> [(r.href, r.status.code) for r in doc.failed()]
        [('/dav/a.txt', 423)]
    """
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise TypeError(f"body must be bytes, not {type(body).__name__}")
    body = bytes(body)
    if limits.max_bytes is not None and len(body) > limits.max_bytes:
        raise LimitExceeded(f"body is larger than the {limits.max_bytes}-byte limit")
    media_type, charset = _media_type(content_type)
    kind = sniff(body)
    if kind == "unknown" and _declared_kind(media_type) in ("xml", "json"):
        kind = _declared_kind(media_type)  # let the parser say what is wrong with it
    if kind == "xml":
        return _from_xml(body, charset, status, content_type, limits)
    if kind == "json":
        return _from_json(body, charset, status, content_type, limits)
    where = _describe(status, content_type)
    if kind == "html":
        detail = _html_detail(body, charset)
        raise NotMultiStatus(
            f"{where} is an HTML page, not a multistatus" + (f": {detail}" if detail else ""),
            status=status,
            content_type=content_type,
            detail=detail,
        )
    if kind == "empty":
        raise NotMultiStatus(f"{where} is empty, not a multistatus", status=status, content_type=content_type)
    text = body[:80].decode("utf-8", "replace")
    raise NotMultiStatus(
        f"{where} is neither XML nor JSON (it starts with {text!r})",
        status=status,
        content_type=content_type,
        detail=text,
    )


# -- response objects ----------------------------------------------------------
def _status_of(response: object) -> int | None:
    for name in ("status_code", "status", "code"):
        value = getattr(response, name, None)
        if type(value) is int:
            return value
    return None


def _body_of(response: object, limits: Limits) -> bytes:
    for name in ("content", "data"):
        value = getattr(response, name, None)
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value)
    read = getattr(response, "read", None)
    if callable(read):
        want = -1 if limits.max_bytes is None else limits.max_bytes + 1
        data = read(want)
        if isinstance(data, (bytes, bytearray, memoryview)):
            return bytes(data)
        close = getattr(data, "close", None)
        if callable(close):  # a coroutine: aiohttp and other async clients
            close()
        raise TypeError(
            f"{type(response).__name__}.read() did not return bytes; "
            "for an async client, await the body and call multistatus.from_body(body, content_type)"
        )
    if isinstance(response, Mapping):
        raise TypeError(
            f"from_response() takes an HTTP response, not a {type(response).__name__}; "
            "for the JSON form already decoded, use multistatus.from_dict(data)"
        )
    raise TypeError(
        f"cannot find the body of a {type(response).__name__}: expected a .content attribute "
        "(requests, httpx) or a .read() method (urllib); use multistatus.from_body(body, content_type)"
    )


def _decompress(body: bytes, encoding: str | None, limits: Limits) -> bytes:
    """Undo gzip/deflate when the client did not (urllib never does); bounded."""
    encoding = (encoding or "").strip().lower()
    if encoding in ("gzip", "x-gzip") and body.startswith(b"\x1f\x8b"):
        wbits = 16 + zlib.MAX_WBITS
    elif encoding == "deflate" and body[:1] == b"\x78":
        wbits = zlib.MAX_WBITS
    else:
        return body  # already decoded by requests/httpx, or not compressed
    max_bytes = limits.max_bytes
    out = bytearray()
    data = body
    while True:  # one pass per gzip member (RFC 1952 §2.2: a file is a series of members)
        inflater = zlib.decompressobj(wbits)
        try:
            out += inflater.decompress(data, max_bytes + 1 - len(out) if max_bytes is not None else 0)
        except zlib.error as exc:  # bad data, or a CRC or size that does not match
            raise ParseError(f"the {encoding} body could not be decompressed: {exc}") from exc
        if max_bytes is not None and len(out) > max_bytes:
            raise LimitExceeded(f"body is larger than the {max_bytes}-byte limit once decompressed")
        if not inflater.eof:
            trailer = " (no CRC and size trailer)" if wbits != zlib.MAX_WBITS else ""
            raise ParseError(f"the {encoding} body is cut short: the compressed stream does not end{trailer}")
        data = inflater.unused_data
        if wbits != zlib.MAX_WBITS and data.startswith(b"\x1f\x8b"):
            continue  # the next gzip member
        if data.strip(b"\0"):  # gzip itself allows zero padding after the last member
            raise ParseError(f"the {encoding} body has {len(data)} bytes of junk after the compressed stream")
        return bytes(out)


def from_response(response: object, *, limits: Limits = DEFAULT_LIMITS) -> MultiStatus:
    """Parse the multistatus carried by an HTTP response from requests, httpx or urllib.

    Duck-typed, so none of those libraries is needed: the status comes from
    ``status_code`` (requests, httpx, werkzeug, Django) or ``status``/``code``
    (urllib's ``http.client.HTTPResponse`` and ``urllib.error.HTTPError``), the
    headers from ``headers``, the body from ``content`` (requests, httpx,
    Django), ``data`` (werkzeug) or ``read()`` (urllib; read at most
    ``limits.max_bytes`` + 1 bytes).  A gzip or deflate body that the client
    left compressed is inflated (bounded by the same limit).  Then
    :func:`from_body` decides between XML and JSON.

    Any status is accepted when the body is a multistatus: Apache answers a
    ``DELETE`` of a collection with a locked member with ``424`` and a
    multistatus body (corpus ``apache2/22-delete-collection-locked-member``).

    Args:
        response: the response object.
        limits: parsing limits.

    Returns:
        The parsed :class:`~multistatus.MultiStatus`.

    Raises:
        NotMultiStatus: the body is an HTML error page, a ``DAV:error`` document,
            a problem (RFC 9457), another XML document, or empty; ``status``,
            ``content_type``, ``headers`` and the parsed ``error`` are on the exception.
        ParseError: the body is a malformed multistatus.
        LimitExceeded: a limit was hit.
        TypeError: *response* has no readable body.

    Example:
        >>> import multistatus as ms
        >>> class Captured:  # the three attributes requests and httpx share
        ...     status_code = 207
        ...     headers = {"Content-Type": "application/json"}
        ...     content = b'{"responses": [{"href": "/items/1", "status": 201}]}'
        >>> ms.from_response(Captured()).summary.all_succeeded
        True
    """
    status = _status_of(response)
    content_type = header_value(response, "Content-Type")
    body = _body_of(response, limits)
    body = _decompress(body, header_value(response, "Content-Encoding"), limits)
    with carrying_headers(response):  # a NotMultiStatus says what the response's headers were
        return from_body(body, content_type, status=status, limits=limits)
