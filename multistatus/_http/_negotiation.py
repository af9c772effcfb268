"""Content negotiation: an ``Accept`` header -> the representation to send.

RFC 9110 §12.5.1: each offer gets the quality of the most specific media range
that matches it; ``q=0`` excludes it; the best quality wins, then the more
specific range, then the server's order (the endpoint default first).  Parsing
uses werkzeug's :class:`~werkzeug.datastructures.MIMEAccept` behind one private
function, :func:`_parse_accept`, so that no werkzeug type appears in a public
signature and the werkzeug 3.1 / 3.2 API difference stays in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .._exceptions import NotAcceptable

if TYPE_CHECKING:
    from werkzeug.datastructures import MIMEAccept

__all__ = ["MEDIA_TYPES", "default_media_type", "negotiate"]

XML = "application/xml"
TEXT_XML = "text/xml"
JSON = "application/json"
HTML = "text/html"

#: The representations a multistatus can be sent in, in the server's order of
#: preference when the client has none: XML, JSON, HTML, and ``text/xml`` last
#: (it is only chosen when a client prefers it strictly over ``application/xml``).
MEDIA_TYPES: tuple[str, ...] = (XML, JSON, HTML, TEXT_XML)

#: Methods whose clients are WebDAV clients: they get XML by default.
WEBDAV_METHODS = frozenset(
    {
        "PROPFIND",
        "PROPPATCH",
        "MKCOL",
        "COPY",
        "MOVE",
        "LOCK",
        "UNLOCK",
        "REPORT",
        "SEARCH",
        "MKCALENDAR",
        "MKWORKSPACE",
        "ACL",
        "BIND",
        "UNBIND",
        "REBIND",
    }
)


def _parse_accept(value: str) -> MIMEAccept:
    """Parse an Accept header with whichever API this werkzeug has.

    werkzeug 3.2 deprecates ``werkzeug.http.parse_accept_header`` in favour of
    ``MIMEAccept.from_header``; 3.1 only has the former.  This is the only place
    that knows.
    """
    # werkzeug is imported here, when negotiation is first used: `import multistatus`
    # stays cheap for code that only builds or parses documents (bench/bench_import.py).
    from werkzeug.datastructures import MIMEAccept

    from_header = getattr(MIMEAccept, "from_header", None)
    if from_header is not None:
        accept = from_header(value)
        assert isinstance(accept, MIMEAccept)
        return accept
    from werkzeug.http import parse_accept_header

    return parse_accept_header(value, MIMEAccept)


def _drop_utf8_charset(accept: MIMEAccept) -> MIMEAccept:
    from werkzeug.datastructures import MIMEAccept  # (already imported by _parse_accept)

    # Media ranges with parameters only match offers with the same parameters.
    # Every text representation here is UTF-8, so "application/xml; charset=utf-8"
    # (sent by some WebDAV clients) is taken to mean "application/xml".
    changed = False
    items = []
    for value, quality in accept:
        parts = [p.strip() for p in value.split(";")]
        kept = [p for p in parts[1:] if p.lower().replace('"', "").replace(" ", "") != "charset=utf-8"]
        if len(kept) != len(parts) - 1:
            changed = True
            value = ";".join([parts[0], *kept])
        items.append((value, quality))
    return MIMEAccept(items) if changed else accept


def _check_type(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    kind, slash, sub = value.partition("/")
    if not slash or not kind or not sub or "*" in value or ";" in value or value != value.strip().lower():
        raise ValueError(f"{what} {value!r} is not a lower-case type/subtype without parameters")
    return value


def negotiate(
    accept: str | None,
    *,
    offers: Sequence[str] = MEDIA_TYPES,
    default: str | None = None,
    strict: bool = False,
) -> str:
    """Choose the representation to send for an ``Accept`` header (RFC 9110 §12.5.1).

    Each offer gets the quality of the most specific media range matching it;
    ``q=0`` excludes it.  The highest quality wins, then the offer matched by the
    more specific range, then the server's order: *default* first, then *offers*
    in order, except that ``text/xml`` never wins a tie with ``application/xml``.

    Args:
        accept: the ``Accept`` header value; ``None`` or blank when absent.
        offers: the media types the endpoint can send, in its order of preference.
        default: the endpoint's default, sent when the client states no
            preference (no ``Accept``, or only ``*/*``); the first offer if ``None``.
        strict: when nothing offered is acceptable, raise :class:`NotAcceptable`
            instead of answering with *default*.

    Returns:
        One of *offers*.

    Raises:
        NotAcceptable: *strict* is true and no offer is acceptable.
        ValueError: *offers* is empty, *default* is not one of them, or a media type is malformed.

    Example:
        >>> import multistatus as ms
        >>> ms.negotiate(None)
        'application/xml'
        >>> ms.negotiate("*/*", default="application/json")
        'application/json'
        >>> ms.negotiate("application/json;q=0.5, application/xml;q=0.4")
        'application/json'
        >>> ms.negotiate("text/xml, application/xml")   # a tie: text/xml is not strictly preferred
        'application/xml'
        >>> ms.negotiate("text/xml")
        'text/xml'
        >>> ms.negotiate("image/png")                   # lenient: the default anyway
        'application/xml'
    """
    if isinstance(offers, str):
        raise TypeError("offers must be a sequence of media types, not a str")
    offers = tuple(offers)
    key = (accept, offers, default)
    try:
        best = _chosen[key]
    except KeyError:
        best = _negotiate(accept, offers, default)
        if len(_chosen) >= MEMO_SIZE:
            _chosen.clear()
        if accept is None or len(accept) <= MEMO_ACCEPT_LENGTH:
            _chosen[key] = best
    except TypeError:  # something unhashable, so not valid either: the checks say why
        best = _negotiate(accept, offers, default)
    if best is not None:
        return best
    if strict:
        raise NotAcceptable(accept or "", offers)
    return default if default is not None else offers[0]


#: How many decisions :func:`negotiate` remembers, and the longest ``Accept`` it remembers one
#: for: clients send a handful of distinct values; anything else only costs the parse again.
MEMO_SIZE = 256
MEMO_ACCEPT_LENGTH = 1024
# (accept, offers, default) -> the offer chosen, or None when nothing offered is acceptable.
# Only combinations whose offers and default passed the checks are ever stored.
_chosen: dict[tuple[object, tuple[str, ...], str | None], str | None] = {}


def _negotiate(accept: str | None, offers: tuple[str, ...], default: str | None) -> str | None:
    """:func:`negotiate` without the memo: the offer chosen, or ``None`` when none is acceptable."""
    offered = [_check_type(o, "offer") for o in offers]
    if not offered:
        raise ValueError("negotiate() needs at least one offer")
    if default is None:
        default = offered[0]
    elif _check_type(default, "default") not in offered:
        raise ValueError(f"default {default!r} is not one of the offers {offered}")
    if accept is None or not accept.strip():
        return default
    order = [default, *(o for o in offered if o != default)]
    if TEXT_XML in order and XML in order and default != TEXT_XML and order.index(TEXT_XML) < order.index(XML):
        # text/xml only when strictly preferred: put it behind application/xml.
        order.remove(TEXT_XML)
        order.insert(order.index(XML) + 1, TEXT_XML)
    parsed = _drop_utf8_charset(_parse_accept(accept))
    best: str | None = parsed.best_match(order)
    return best


def _is_type(content_type: str, suffix: str) -> bool:
    mime = content_type.split(";", 1)[0].strip().lower()
    kind, _, sub = mime.partition("/")
    return kind in ("application", "text") and (sub == suffix or sub.endswith(f"+{suffix}"))


def default_media_type(method: str | None = None, content_type: str | None = None) -> str:
    """The endpoint default for a request, used when the client states no preference.

    XML for WebDAV methods (``PROPFIND``, ``PROPPATCH``, ``MKCOL``, ``COPY``,
    ``MOVE``, ``LOCK``, ``REPORT`` ...) and for XML request bodies; JSON for JSON
    request bodies (a JSON batch endpoint); XML otherwise, because a client that
    sends neither is most likely a WebDAV client (``DELETE`` of a collection).

    Args:
        method: the request method.
        content_type: the request's ``Content-Type`` header.

    Returns:
        ``"application/xml"`` or ``"application/json"``.

    Example:
        >>> import multistatus as ms
        >>> ms.default_media_type("POST", "application/json; charset=utf-8")
        'application/json'
        >>> ms.default_media_type("PROPFIND", "application/json")
        'application/xml'
        >>> ms.default_media_type("DELETE")
        'application/xml'
    """
    if method is not None and method.upper() in WEBDAV_METHODS:
        return XML
    if content_type and _is_type(content_type, "json"):
        return JSON
    return XML
