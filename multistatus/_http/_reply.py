"""Sans-I/O HTTP answers: a document (or a problem) and request headers in, status, headers and bytes out.

:func:`reply` chains negotiation, ``Prefer``, the status policy and the
serializers; :func:`problem_reply` answers a request-level failure with
``application/problem+json``, ``application/problem+xml`` (RFC 9457) or a
``DAV:error`` document (RFC 4918 §16), chosen by negotiation, never with 207.
The WSGI adapter (:mod:`multistatus.wsgi`) and any other server glue use these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .._json import to_json
from .._memo import Memo
from .._model import Element, MultiStatus
from .._model._document import document_of
from .._model._frozen import draft
from .._model._response import check_header_field
from .._model._status import reason_phrase
from .._xml import to_xml
from ._html import to_html
from ._negotiation import HTML, JSON, TEXT_XML, XML, default_media_type, negotiate
from ._options import ServeOptions, options_from
from ._policy import StatusRule, choose_status, status_by, status_rule
from ._prefer import NO_PREFERENCES, Preferences, apply_prefer, parse_prefer
from ._problem import PROBLEM_JSON, PROBLEM_XML, make_problem, write_problem

__all__ = ["Reply", "negotiate_reply", "problem_reply", "reply", "reply_headers"]

#: (HTML last: a browser asks for it first, and a client asking for anything gets the default)
_PROBLEM_OFFERS = (PROBLEM_JSON, JSON, PROBLEM_XML, XML, TEXT_XML, HTML)
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
        status = self.status
        if type(status) is not int:
            return f"{status} {reason_phrase(status) or 'Unknown'}"
        line = _STATUS_LINES.get(status)
        if line is None:
            line = f"{status} {reason_phrase(status) or 'Unknown'}"
            if len(_STATUS_LINES) < 1000:
                _STATUS_LINES[status] = line
        return line

    def header(self, name: str) -> str | None:
        """The value of the header field *name* (case-insensitive), or ``None``."""
        low = name.lower()
        for key, value in self.headers:
            if key.lower() == low:
                return value
        return None


# status code -> status line (bounded: a thousand codes at most, far more than are ever used).
_STATUS_LINES: dict[int, str] = {}
# A mutable twin of Reply: the answers made here are built without the frozen __setattr__.
_ReplyDraft = draft(Reply)


def _new_reply(status: int, headers: tuple[tuple[str, str], ...], body: bytes) -> Reply:
    answer = object.__new__(_ReplyDraft)
    answer.status = status
    answer.headers = headers
    answer.body = body
    answer.__class__ = Reply
    return answer  # type: ignore[no-any-return]


def _serialize(doc: MultiStatus, media_type: str) -> bytes:
    if media_type == JSON:
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
    options: ServeOptions | None = None,
    **settings: Any,
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
        options: the endpoint's :class:`ServeOptions` (the defaults when ``None``).
        **settings: single settings of :class:`ServeOptions` (``policy=``,
            ``default=``, ``offers=``, ``strict=``, ``honor_prefer=``), applied over *options*.

    Returns:
        The :class:`Reply`.

    Raises:
        NotAcceptable: *strict* is true and the client accepts none of *offers*.
        ValueError: an unknown policy or a bad offer.
        TypeError: a setting :class:`ServeOptions` does not have.

    Example:
        >>> import multistatus as ms
        >>> doc = ms.MultiStatus([ms.Response("/items/1", status=201)])
        >>> r = ms.reply(doc, accept="application/json", policy="collapse-uniform")
        >>> r.status, r.header("content-type"), r.header("vary")
        (201, 'application/json', 'Accept, Prefer, Brief')
    """
    doc = document_of(doc, "reply()")
    opts = options_from(options, settings)
    # Options made for this call only are not worth remembering a plan for.
    plan = _make_plan(opts, accept, prefer, brief, method, content_type) if settings else None
    return reply_for(doc, opts, accept, prefer, brief, method, content_type, plan)


def reply_for(
    doc: MultiStatus,
    options: ServeOptions,
    accept: str | None,
    prefer: str | None,
    brief: str | None,
    method: str | None,
    content_type: str | None,
    plan: tuple[Any, ...] | None = None,
) -> Reply:
    """:func:`reply` with the options settled and the request headers passed in order (the WSGI glue's
    path); *plan*: :func:`_make_plan`'s for them, when the caller has it."""
    if plan is None:
        plan = _plan(options, accept, prefer, brief, method, content_type)
    _, media_type, prefs, minimal, rule, content_type_field, tail = plan
    if rule is None:  # what the plan could not decide: the general path, errors included
        doc = apply_prefer(doc, prefs, method=method)
        status = choose_status(doc, options.policy, method=method, prefs=prefs)
    else:
        if minimal:
            doc = apply_prefer(doc, prefs, method=method)
        status = status_by(rule, doc)
    if status == 204:
        return _new_reply(204, reply_headers(None, prefs, honor_prefer=options.honor_prefer), b"")
    body = _serialize(doc, media_type)
    return _new_reply(status, (content_type_field, ("Content-Length", str(len(body))), *tail), body)


def negotiate_reply(
    options: ServeOptions,
    *,
    accept: str | None,
    prefer: str | None,
    brief: str | None,
    method: str | None,
    content_type: str | None,
) -> tuple[str, Preferences]:
    """The representation and the client's preferences, as :func:`reply` decides them.

    Shared with the streaming WSGI answer, which decides its head before the body exists.
    """
    plan = _plan(options, accept, prefer, brief, method, content_type)
    return plan[1], plan[2]


#: How many request plans :func:`reply` remembers, and the longest header value it remembers one for.
PLAN_MEMO_SIZE = 256
PLAN_MEMO_LENGTH = 1024
# (id(options), accept, prefer, brief, method, content_type) -> the plan (see _make_plan), whose first
# item is the options themselves: an entry is used only for those very options (so they need not be
# hashable, and their id is not reused while the entry holds them).  Only ServeOptions, which are
# immutable, with str (or absent) header values, and only plans that were made without an error.
_PLANS: Memo[tuple[object, ...], tuple[Any, ...]] = Memo(PLAN_MEMO_SIZE, max_length=PLAN_MEMO_LENGTH)


def _plan(options: ServeOptions, *request: str | None) -> tuple[Any, ...]:
    """:func:`_make_plan`'s for *options* and the *request* header values (accept, prefer, brief,
    method, content_type), remembered."""
    key = (id(options), *request)
    try:
        plan = _PLANS.get(key)
    except TypeError:  # an unhashable header value: decided afresh (and refused) as ever
        return _make_plan(options, *request)
    if plan is not None and plan[0] is options:
        return plan
    plan = _make_plan(options, *request)
    if type(options) is ServeOptions and all(v is None or type(v) is str for v in key[1:]):
        _PLANS.put(key, plan)
    return plan


def _make_plan(
    options: ServeOptions,
    accept: str | None,
    prefer: str | None,
    brief: str | None,
    method: str | None,
    content_type: str | None,
) -> tuple[Any, ...]:
    """What a request with these headers gets: (options, media type, preferences, whether
    ``return=minimal`` changes the document, the status rule, the header fields before and after
    ``Content-Length``).  The rule is a status code, 0 for "204 when all succeeded, else 207"
    (a minimal PROPPATCH), the policy to call, or ``None``: ask :func:`choose_status`."""
    offers = options.offers
    auto = default_media_type(method, content_type) if options.default is None else options.default
    media_type = negotiate(accept, offers=offers, default=auto if auto in offers else offers[0], strict=options.strict)
    prefs = parse_prefer(prefer, brief) if options.honor_prefer else NO_PREFERENCES
    # (apply_prefer changes a document only under return=minimal, and never a PROPPATCH's)
    minimal = prefs.minimal and not (type(method) is str and method.upper() == "PROPPATCH")
    try:
        rule: StatusRule | None = status_rule(options.policy, method, prefs)
    except Exception:  # choose_status raises it again, in its place
        rule = None
    headers = reply_headers(media_type, prefs, honor_prefer=options.honor_prefer, length=0)
    return options, media_type, prefs, minimal, rule, headers[0], headers[2:]


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


def check_header_fields(headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """*headers* as a tuple, each field checked so that it cannot inject another (see check_header_field)."""
    out = tuple(headers)
    for field in out:
        if not isinstance(field, tuple) or len(field) != 2:
            raise TypeError(f"header fields are (name, value) pairs, not {field!r}")
        check_header_field(*field)
    return out


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
    ``text/xml``), and an HTML page for browsers (``text/html``).  With no preference: ``DAV:error`` when the endpoint default
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
    error = make_problem(status, title=title, detail=detail, type=type, conditions=conditions, members=members)
    extra = check_header_fields(headers)
    auto = default_media_type(method, content_type) if default is None else default
    first = auto if auto in (XML, TEXT_XML) else PROBLEM_JSON  # (text/xml: a WebDAV endpoint's own default)
    offers = (first, *(o for o in _PROBLEM_OFFERS if o != first))
    body, ctype = write_problem(error, negotiate(accept, offers=offers))
    out = [
        ("Content-Type", ctype),
        ("Content-Length", str(len(body))),
        *(_HTML_HEADERS if ctype.startswith(HTML) else ()),
        ("Vary", "Accept"),
        ("X-Content-Type-Options", "nosniff"),
        *extra,
    ]
    return Reply(status, tuple(out), body)
