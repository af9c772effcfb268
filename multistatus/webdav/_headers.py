"""WebDAV request header fields: ``Depth``, ``Destination``, ``Overwrite`` (RFC 4918 §10)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .._exceptions import ParseError
from .._hrefs import resolve_href, same_href

__all__ = ["INFINITY", "Depth", "Destination", "parse_depth", "parse_destination", "parse_overwrite"]

Depth = Literal["0", "1", "infinity"]
#: The ``Depth: infinity`` value.
INFINITY: Depth = "infinity"
_DEPTHS: tuple[Depth, ...] = ("0", "1", "infinity")


def parse_depth(value: str | None, *, default: Depth = "infinity", allowed: Iterable[Depth] = _DEPTHS) -> Depth:
    """The ``Depth`` header (RFC 4918 §10.2): ``"0"``, ``"1"`` or ``"infinity"``.

    An absent header means *default*: ``infinity`` for PROPFIND, COPY, MOVE,
    DELETE and LOCK (§9.1, §9.8.3, §9.9.2, §9.6.1, §9.10.3; LOCK takes only
    ``0`` and ``infinity``: :func:`parse_lock_depth`).

    Args:
        value: the header value, ``None`` when absent.
        default: what an absent header means.
        allowed: the values the method takes (``("0", "infinity")`` for COPY,
            ``("infinity",)`` for MOVE and DELETE of a collection).

    Returns:
        The depth, as one of ``"0"``, ``"1"``, ``"infinity"``.

    Raises:
        ParseError: any other value, or one the method does not take (status hint 400).

    Example:
        >>> from multistatus.webdav import parse_depth
        >>> parse_depth(None), parse_depth(" 1 "), parse_depth("Infinity")
        ('infinity', '1', 'infinity')
        >>> try:
        ...     parse_depth("2")
        ... except ValueError as exc:
        ...     print(exc)
        Depth must be 0, 1 or infinity, not '2'
    """
    if value is None:
        return default
    text = value.strip().lower()
    choices = tuple(allowed)
    for depth in _DEPTHS:
        if text == depth:
            if depth not in choices:
                raise ParseError(f"Depth {depth} is not allowed here; use {' or '.join(choices)}")
            return depth
    raise ParseError(f"Depth must be {', '.join(_DEPTHS[:-1])} or {_DEPTHS[-1]}, not {value!r}")


def parse_overwrite(value: str | None) -> bool:
    """The ``Overwrite`` header (RFC 4918 §10.6): ``T`` (also when absent) or ``F``.

    Raises:
        ParseError: any other value (status hint 400).

    Example:
        >>> from multistatus.webdav import parse_overwrite
        >>> parse_overwrite(None), parse_overwrite("F"), parse_overwrite("t")
        (True, False, True)
    """
    if value is None:
        return True
    text = value.strip().upper()
    if text in ("T", "F"):
        return text == "T"
    raise ParseError(f"Overwrite must be T or F, not {value!r}")


@dataclass(frozen=True, slots=True)
class Destination:
    """Where a COPY or MOVE goes: the ``Destination`` header resolved against the request URL.

    Attributes:
        url: the absolute URL (dot segments removed, percent-encoding kept).
        path: its path (still percent-encoded).
        same_server: whether it has the scheme and authority of the request
            (a server usually answers 502 otherwise, RFC 4918 §9.8.5).

    Example:
        >>> from multistatus.webdav import parse_destination
        >>> d = parse_destination("/dav/b%20c.txt", "http://example.com/dav/a.txt")
        >>> d.url, d.path, d.same_server
        ('http://example.com/dav/b%20c.txt', '/dav/b%20c.txt', True)
    """

    url: str
    path: str
    same_server: bool

    def same_resource(self, request_url: str) -> bool:
        """Whether the destination names the request's own resource (COPY or MOVE onto itself: 403).

        Example:
            >>> from multistatus.webdav import parse_destination
            >>> parse_destination("/dav/a/", "http://h/dav/a").same_resource("http://h/dav/a")
            True
        """
        return same_href(self.url, request_url)


def _origin(url: str) -> tuple[str, str]:
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "", ""
    authority = rest.split("/", 1)[0].lower()
    scheme = scheme.lower()
    default = {"http": ":80", "https": ":443"}.get(scheme)
    if default and authority.endswith(default):
        authority = authority[: -len(default)]
    return scheme, authority


def parse_destination(value: str | None, request_url: str) -> Destination:
    """The ``Destination`` header of a COPY or MOVE (RFC 4918 §10.3), resolved against *request_url*.

    Args:
        value: the header value (an absolute URI or an absolute path), ``None`` when absent.
        request_url: the absolute URL the request was sent to.

    Returns:
        The :class:`Destination`.

    Raises:
        ParseError: the header is absent, empty, or not a URI (status hint 400).

    Example:
        >>> from multistatus.webdav import parse_destination
        >>> parse_destination("http://other.example/x", "http://example.com/dav/a").same_server
        False
    """
    if value is None or not value.strip():
        raise ParseError("COPY and MOVE need a Destination header")
    text = value.strip()
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in text):
        raise ParseError(f"Destination {value!r} is not a URI")
    url = resolve_href(text.split("#", 1)[0], request_url)
    _, sep, rest = url.partition("://")
    if sep:
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    else:
        path = url
    path = path.split("?", 1)[0]
    return Destination(url, path, _origin(url) == _origin(request_url))
