"""Answering WebDAV requests: PROPFIND propstats, RFC 4918 §16 conditions, collection failures.

Everything here returns model values or a :class:`~multistatus.Reply`: the
caller sends them (:func:`multistatus.wsgi.respond`, or any framework).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Protocol, runtime_checkable

from .._collector import Results
from .._http._negotiation import TEXT_XML
from .._http._reply import Reply, problem_reply
from .._model import Element, Error, MultiStatus, Property, Response, Status
from .._names import HREF
from ._request import PropFind

__all__ = [
    "Properties",
    "PropertyProvider",
    "collection_failures",
    "condition",
    "error_reply",
    "propfind_response",
]

#: A live property value: the value itself, or a callable computing it when asked for.
LiveValue = object | Callable[[], object]


def condition(name: str, hrefs: Iterable[str] = ()) -> Element:
    """A ``DAV:error`` condition element, holding ``DAV:href`` children when *hrefs* are given.

    ``lock-token-submitted`` and ``no-conflicting-lock`` name the locked
    resources this way (RFC 4918 §16).

    Example:
        >>> from multistatus.webdav import LOCK_TOKEN_SUBMITTED, condition
        >>> condition(LOCK_TOKEN_SUBMITTED, ["/dav/locked/"])
        Element('{DAV:}lock-token-submitted', [Element('{DAV:}href', ['/dav/locked/'])])
    """
    return Element(name, [Element(HREF, href) for href in hrefs])


def error_reply(
    status: int,
    *conditions: Element | str,
    detail: str | None = None,
    accept: str | None = None,
    method: str | None = None,
    content_type: str | None = None,
    default: str | None = TEXT_XML,
    headers: Iterable[tuple[str, str]] = (),
) -> Reply:
    """The ``DAV:error`` answer of a failed precondition or postcondition (RFC 4918 §16).

    A thin layer over :func:`~multistatus.problem_reply` with a WebDAV default:
    with no ``Accept`` preference the body is a ``DAV:error`` document as
    ``text/xml`` (what WebDAV clients read); a client asking for JSON gets
    ``application/problem+json`` with the same conditions.

    Args:
        status: a 4xx or 5xx status (403 for ``propfind-finite-depth``, 423 for
            ``lock-token-submitted``, 409 for ``preserved-live-properties`` ...).
        *conditions: condition elements (see :func:`condition`) or Clark names.
        detail: a human explanation.
        accept: the request's ``Accept`` header.
        method: the request method.
        content_type: the request's ``Content-Type``.
        default: the representation with no preference (``text/xml``;
            ``application/xml`` also gives ``DAV:error``).
        headers: more header fields.

    Returns:
        The :class:`~multistatus.Reply` to send.

    Example:
        >>> from multistatus.webdav import PROPFIND_FINITE_DEPTH, error_reply
        >>> r = error_reply(403, PROPFIND_FINITE_DEPTH, method="PROPFIND")
        >>> r.status, r.header("Content-Type"), b"<D:propfind-finite-depth/>" in r.body
        (403, 'text/xml; charset=utf-8', True)
    """
    return problem_reply(
        status,
        detail=detail,
        accept=accept,
        method=method,
        content_type=content_type,
        default=default,
        conditions=conditions,
        headers=headers,
    )


@runtime_checkable
class PropertyProvider(Protocol):
    """The properties of one resource, as :func:`propfind_response` asks for them.

    ``live()`` maps each live property name to its value, or to a callable
    computing it (called only when the property is asked for); ``dead()`` gives
    the stored dead properties, as :class:`~multistatus.Property` values kept
    losslessly.  :class:`Properties` is a ready-made provider.

    Example:
        >>> from multistatus.webdav import Properties, PropertyProvider
        >>> isinstance(Properties(), PropertyProvider)
        True
    """

    def live(self) -> Mapping[str, LiveValue]:
        """Live property names to values (or callables computing them)."""
        ...

    def dead(self) -> Iterable[Property]:
        """The dead properties."""
        ...


class Properties:
    """A :class:`PropertyProvider` built from values.

    Args:
        live: live property names to values or callables computing them.
        dead: the dead properties.
        hidden: live names left out of ``allprop`` (expensive ones; RFC 4918
            §9.1 lets a server omit them unless named in ``DAV:include``).
        forbidden: names the client may not read: 403 when asked for by name,
            never listed otherwise.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.webdav import Properties
        >>> p = Properties({"{DAV:}getetag": lambda: '"1"'}, [ms.Property("{urn:x}a", "v")])
        >>> sorted(p.live()), [d.name for d in p.dead()]
        (['{DAV:}getetag'], ['{urn:x}a'])
    """

    def __init__(
        self,
        live: Mapping[str, LiveValue] | None = None,
        dead: Iterable[Property] = (),
        *,
        hidden: Iterable[str] = (),
        forbidden: Iterable[str] = (),
    ) -> None:
        self._live = dict(live or {})
        self._dead = tuple(dead)
        self.hidden = frozenset(hidden)
        self.forbidden = frozenset(forbidden)

    def live(self) -> Mapping[str, LiveValue]:
        """The live properties."""
        return self._live

    def dead(self) -> Iterable[Property]:
        """The dead properties."""
        return self._dead


def _value(value: LiveValue) -> object:
    return value() if callable(value) else value


def propfind_response(
    href: str, request: PropFind, provider: PropertyProvider, *, results: Results | None = None
) -> Response:
    """The ``DAV:response`` of one resource to a PROPFIND (RFC 4918 §9.1).

    ``prop``: the found properties in a 200 propstat, unknown ones in a 404
    propstat, forbidden ones in a 403 propstat.  ``allprop``: every dead
    property and every live one except ``hidden`` and ``forbidden`` (plus the
    ``DAV:include`` names, 404 if unknown).  ``propname``: every name, no
    values.  Live values given as callables are computed only when asked for.
    A provider's ``hidden`` and ``forbidden`` attributes are used when it has them.

    Args:
        href: the resource's href.
        request: the parsed :class:`PropFind`.
        provider: the resource's properties (a :class:`PropertyProvider`).
        results: a :class:`~multistatus.Results` to record the response in.

    Returns:
        The :class:`~multistatus.Response`.

    Example:
        >>> from multistatus.webdav import Properties, parse_propfind, propfind_response
        >>> body = b'<propfind xmlns="DAV:"><prop><getetag/><owner/></prop></propfind>'
        >>> r = propfind_response("/dav/a.txt", parse_propfind(body), Properties({"{DAV:}getetag": '"1"'}))
        >>> [(ps.status.code, ps.names) for ps in r.propstats]
        [(200, ('{DAV:}getetag',)), (404, ('{DAV:}owner',))]
    """
    live = provider.live()
    dead = {p.name: p for p in provider.dead()}
    hidden: frozenset[str] = frozenset(getattr(provider, "hidden", ()))
    forbidden: frozenset[str] = frozenset(getattr(provider, "forbidden", ()))
    found: list[Property] = []
    missing: list[str] = []
    refused: list[str] = []
    if request.kind == "propname":
        names = [n for n in (*live, *dead) if n not in forbidden]
        found = [Property(n) for n in dict.fromkeys(names)]
    else:
        if request.kind == "allprop":
            wanted = [n for n in live if n not in hidden and n not in forbidden]
            wanted += [n for n in dead if n not in forbidden]
            wanted += list(request.include)
        else:
            wanted = list(request.names)
        for name in dict.fromkeys(wanted):
            if name in forbidden:
                refused.append(name)
            elif name in dead:
                found.append(dead[name])
            elif name in live:
                value = _value(live[name])
                found.append(value if isinstance(value, Property) else Property(name, value))  # type: ignore[arg-type]
            else:
                missing.append(name)
    collector = results if results is not None else Results()
    return collector.propfind(href, found, missing=missing, forbidden=refused)


#: A member's outcome: a status, or a status with the ``DAV:error`` to report.
Outcome = int | Status | tuple[int | Status, Error]


def collection_failures(outcomes: Mapping[str, Outcome] | Iterable[tuple[str, Outcome]]) -> MultiStatus | None:
    """The 207 of a DELETE, COPY or MOVE of a collection: only the members that failed.

    RFC 4918 §9.6.1, §9.8.8, §9.9.4: when some members of a collection cannot
    be deleted, copied or moved, the answer is a 207 listing the failures;
    successes are not listed, nor ``424 Failed Dependency`` (the ancestors
    that could not go because a member stayed).  With no failure there is no
    207: answer 204 (or 201) instead.

    Args:
        outcomes: href to status (or ``(status, Error)``), for every member
            handled (successes may be included; they are left out).

    Returns:
        The :class:`~multistatus.MultiStatus` of the failures, or ``None``.

    Example:
        >>> from multistatus.webdav import LOCK_TOKEN_SUBMITTED, collection_failures
        >>> import multistatus as ms
        >>> doc = collection_failures({"/dav/c/a": 204, "/dav/c/b": (423, ms.Error([LOCK_TOKEN_SUBMITTED])),
        ...                            "/dav/c/": 424})
        >>> [(r.href, r.status.code) for r in doc]
        [('/dav/c/b', 423)]
        >>> collection_failures({"/dav/c/a": 204}) is None
        True
    """
    items = outcomes.items() if isinstance(outcomes, Mapping) else outcomes
    responses: list[Response] = []
    for href, outcome in items:
        if isinstance(outcome, tuple):
            status, error = Status.of(outcome[0]), outcome[1]
        else:
            status, error = Status.of(outcome), None
        if status.is_success or status.code == 424:
            continue
        responses.append(Response(href, status=status, error=error))
    return MultiStatus(responses) if responses else None
