"""Sans-I/O HTTP answers: a document (or a problem) and request headers in, status, headers and bytes out.

:func:`reply` chains negotiation, ``Prefer``, the status policy and the
serializers; :func:`problem_reply` answers a request-level failure with
``application/problem+json``, ``application/problem+xml`` (RFC 9457) or a
``DAV:error`` document (RFC 4918 §16), chosen by negotiation, never with 207.
The WSGI adapter (:mod:`multistatus.wsgi`) and any other server glue use these.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ._element import Element
from ._frozen import thaw_json
from ._html import to_html
from ._model import Error, MultiStatus
from ._negotiation import HTML, JSON, MEDIA_TYPES, TEXT_XML, XML, default_media_type, negotiate
from ._policy import Preferences, apply_prefer, choose_status, parse_prefer
from ._status import reason_phrase
from ._xml import PROBLEM_NS
from ._xmlwrite import error_document, escape_text, to_xml

__all__ = ["Reply", "problem_reply", "reply"]

PROBLEM_JSON = "application/problem+json"
PROBLEM_XML = "application/problem+xml"
_PROBLEM_OFFERS = (PROBLEM_JSON, JSON, PROBLEM_XML, XML, TEXT_XML)
_CONTENT_TYPES = {
    XML: "application/xml; charset=utf-8",
    TEXT_XML: "text/xml; charset=utf-8",
    JSON: "application/json",
    HTML: "text/html; charset=utf-8",
}
# The HTML page is self-contained: no script, no outside resources.
_HTML_HEADERS = (("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"),)


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer ready to send: status code, header fields, body bytes.

    Attributes:
        status: the status code.
        headers: the header fields, in order, as ``(name, value)`` pairs.
        body: the body (empty for 204).

    Example:
        >>> import multistatus as ms
        >>> r = ms.reply(ms.MultiStatus([ms.Response("/a", status=200)]))
        >>> r.status_line, r.header("content-type")
        ('207 Multi-Status', 'application/xml; charset=utf-8')
    """

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def status_line(self) -> str:
        """The status code and its reason phrase, as WSGI's ``start_response`` wants it."""
        return f"{self.status} {reason_phrase(self.status) or 'Unknown'}"

    def header(self, name: str) -> str | None:
        """The value of the header field *name* (case-insensitive), or ``None``."""
        low = name.lower()
        for key, value in self.headers:
            if key.lower() == low:
                return value
        return None


def _serialize(doc: MultiStatus, media_type: str) -> bytes:
    if media_type == JSON:
        from ._json import to_json

        return to_json(doc)
    if media_type == HTML:
        return to_html(doc)
    return to_xml(doc)


def reply(
    doc: MultiStatus,
    *,
    accept: str | None = None,
    prefer: str | None = None,
    brief: str | None = None,
    method: str | None = None,
    content_type: str | None = None,
    policy: str = "always-207",
    default: str | None = None,
    offers: Sequence[str] = MEDIA_TYPES,
    strict: bool = False,
    honor_prefer: bool = True,
) -> Reply:
    """Answer a request with *doc*: negotiate, apply ``Prefer``, pick the status, serialize.

    Headers sent: ``Content-Type`` (``charset=utf-8`` for XML and HTML),
    ``Content-Length``, ``Vary: Accept`` (plus ``Prefer, Brief`` when
    preferences are honoured), ``Preference-Applied`` when a ``Prefer: return=``
    preference was applied, and ``X-Content-Type-Options: nosniff``.

    Args:
        doc: the document.
        accept: the request's ``Accept`` header.
        prefer: the request's ``Prefer`` header.
        brief: the request's ``Brief`` header (legacy alias of ``return=minimal``).
        method: the request method.
        content_type: the request's ``Content-Type`` (picks the default representation).
        policy: the status policy (see :func:`choose_status`).
        default: the representation when the client states no preference;
            ``None`` picks it per request with :func:`default_media_type`.
        offers: the representations this endpoint sends (see :data:`MEDIA_TYPES`).
        strict: raise :class:`NotAcceptable` when nothing offered is acceptable.
        honor_prefer: read ``Prefer`` and ``Brief`` at all.

    Returns:
        The :class:`Reply`.

    Raises:
        NotAcceptable: *strict* is true and the client accepts none of *offers*.
        ValueError: an unknown policy or a bad offer.

    Example:
        >>> import multistatus as ms
        >>> doc = ms.MultiStatus([ms.Response("/items/1", status=201)])
        >>> r = ms.reply(doc, accept="application/json", policy="collapse-uniform")
        >>> r.status, r.header("content-type"), r.header("vary")
        (201, 'application/json', 'Accept, Prefer, Brief')
    """
    media_type, prefs = negotiate_reply(
        accept=accept,
        prefer=prefer,
        brief=brief,
        method=method,
        content_type=content_type,
        default=default,
        offers=offers,
        strict=strict,
        honor_prefer=honor_prefer,
    )
    doc = apply_prefer(doc, prefs, method=method)
    status = choose_status(doc, policy, method=method, prefs=prefs)
    if status == 204:
        body = b""
        headers = reply_headers(None, prefs, honor_prefer=honor_prefer)
    else:
        body = _serialize(doc, media_type)
        headers = reply_headers(media_type, prefs, honor_prefer=honor_prefer, length=len(body))
    return Reply(status, headers, body)


def negotiate_reply(
    *,
    accept: str | None,
    prefer: str | None,
    brief: str | None,
    method: str | None,
    content_type: str | None,
    default: str | None,
    offers: Sequence[str],
    strict: bool,
    honor_prefer: bool,
) -> tuple[str, Preferences]:
    """The representation and the client's preferences, as :func:`reply` decides them.

    Shared with the streaming WSGI answer, which decides its head before the body exists.
    """
    auto = default_media_type(method, content_type) if default is None else default
    if auto not in offers:
        auto = offers[0]
    media_type = negotiate(accept, offers=offers, default=auto, strict=strict)
    prefs = parse_prefer(prefer, brief) if honor_prefer else Preferences()
    return media_type, prefs


def reply_headers(
    media_type: str | None, prefs: Preferences, *, honor_prefer: bool, length: int | None = None
) -> tuple[tuple[str, str], ...]:
    """The header fields of :func:`reply`: no ``Content-Type`` when *media_type* is ``None``
    (204), no ``Content-Length`` when *length* is ``None`` (a streamed body)."""
    headers: list[tuple[str, str]] = []
    if media_type is not None:
        headers.append(("Content-Type", _CONTENT_TYPES.get(media_type, media_type)))
        if length is not None:
            headers.append(("Content-Length", str(length)))
        if media_type == HTML:
            headers.extend(_HTML_HEADERS)
    headers.append(("Vary", "Accept, Prefer, Brief" if honor_prefer else "Accept"))
    if prefs.return_ is not None:
        headers.append(("Preference-Applied", f"return={prefs.return_}"))
    headers.append(("X-Content-Type-Options", "nosniff"))
    return tuple(headers)


def _xml_member(name: str, value: object, out: list[str]) -> None:
    # RFC 9457 Appendix B: arrays as <i> items, objects as nested members.
    if isinstance(value, Mapping):
        out.append(f"<{name}>")
        for key, item in value.items():
            _xml_member(key, item, out)
        out.append(f"</{name}>")
    elif isinstance(value, (list, tuple)):
        out.append(f"<{name}>")
        for item in value:
            _xml_member("i", item, out)
        out.append(f"</{name}>")
    elif isinstance(value, str):
        out.append(f"<{name}>{escape_text(value)}</{name}>")
    else:
        out.append(f"<{name}>{escape_text(json.dumps(value))}</{name}>")


def _problem_xml(members: Mapping[str, object]) -> bytes:
    out = [f'<?xml version="1.0" encoding="utf-8"?>\n<problem xmlns="{PROBLEM_NS}">']
    for key, value in members.items():
        _xml_member(key, value, out)
    out.append("</problem>")
    return "".join(out).encode("utf-8")


def problem_reply(
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    type: str | None = None,  # noqa: A002 - the RFC 9457 member is called "type"
    accept: str | None = None,
    method: str | None = None,
    content_type: str | None = None,
    default: str | None = None,
    conditions: Iterable[Element | str] = (),
    headers: Iterable[tuple[str, str]] = (),
    **members: object,
) -> Reply:
    """Answer a request-level failure (bad body, limits, auth ...) with a problem document.

    The representation is negotiated among ``application/problem+json`` (also
    for ``application/json``), ``application/problem+xml`` (RFC 9457), and a
    ``DAV:error`` document (RFC 4918 §16, for ``application/xml`` and
    ``text/xml``).  With no preference: ``DAV:error`` when the endpoint default
    is XML (WebDAV clients), ``application/problem+json`` otherwise.  Never 406.

    Args:
        status: a 4xx or 5xx status code.
        title: a short summary; the reason phrase when ``None``.
        detail: an explanation of this occurrence, safe to show to the client.
        type: an URI identifying the problem type (RFC 9457 §3.1.1).
        accept: the request's ``Accept`` header.
        method: the request method.
        content_type: the request's ``Content-Type``.
        default: the endpoint default multistatus representation (see :func:`reply`).
        conditions: ``DAV:error`` condition elements or their Clark names.
        headers: more header fields, e.g. ``("Retry-After", "30")`` or ``WWW-Authenticate``.
        **members: RFC 9457 extension members, e.g. ``code="rate_limited"``.

    Returns:
        The :class:`Reply`.

    Raises:
        ValueError: *status* is not a 4xx or 5xx code.

    Example:
        >>> import multistatus as ms
        >>> r = ms.problem_reply(400, detail="items[3] is not an object", accept="application/json")
        >>> r.status, r.header("content-type"), r.body
        (400, 'application/problem+json', b'{"title":"Bad Request","status":400,"detail":"items[3] is not an object"}')
        >>> ms.problem_reply(423, method="DELETE", conditions=["{DAV:}lock-token-submitted"]).body
        b'<?xml version="1.0" encoding="utf-8"?>\\n<D:error xmlns:D="DAV:" xmlns:P="urn:ietf:rfc:7807"><D:lock-token-submitted/><P:title>Locked</P:title></D:error>'
    """
    if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
        raise ValueError(f"a problem needs a 4xx or 5xx status, not {status!r}")
    problem: dict[str, object] = {}
    if type is not None:
        problem["type"] = type
    problem["title"] = title if title is not None else reason_phrase(status) or "Error"
    problem["status"] = status
    if detail is not None:
        problem["detail"] = detail
    problem.update(members)
    conds = tuple(conditions)
    auto = default_media_type(method, content_type) if default is None else default
    first = XML if auto in (XML, TEXT_XML) else PROBLEM_JSON
    offers = (first, *(o for o in _PROBLEM_OFFERS if o != first))
    chosen = negotiate(accept, offers=offers)
    if chosen in (XML, TEXT_XML):
        dav_members = {k: v for k, v in problem.items() if k != "status"}
        body = error_document(Error(conds, dav_members))
        ctype = _CONTENT_TYPES[chosen]
    elif chosen == PROBLEM_XML:
        body = _problem_xml(thaw_json(Error(problem=problem).problem))
        ctype = f"{PROBLEM_XML}; charset=utf-8"
    else:
        data = thaw_json(Error(problem=problem).problem)
        if conds:
            data["conditions"] = [c if isinstance(c, str) else c.tag for c in conds]
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        ctype = PROBLEM_JSON
    out = [
        ("Content-Type", ctype),
        ("Content-Length", str(len(body))),
        ("Vary", "Accept"),
        ("X-Content-Type-Options", "nosniff"),
        *headers,
    ]
    return Reply(status, tuple(out), body)
