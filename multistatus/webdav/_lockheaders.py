"""The header fields of WebDAV class 2 (RFC 4918 §10.5, §10.7, §9.10.3), and new lock tokens."""

from __future__ import annotations

import uuid

from .._exceptions import ParseError
from ._etags import clip
from ._headers import Depth, parse_depth
from ._if import check_coded_url

__all__ = ["MAX_TIMEOUT", "format_timeout", "new_lock_token", "parse_lock_depth", "parse_lock_token", "parse_timeout"]

#: The largest ``Second-N`` a client may ask for (RFC 4918 §10.7: 2**32 - 1).
MAX_TIMEOUT = 2**32 - 1


def parse_timeout(value: str | None, *, default: int | None = 3600, maximum: int | None = 604800) -> int | None:
    """The lock timeout to grant for a ``Timeout`` header (RFC 4918 §10.7), in seconds; ``None`` is infinite.

    The client lists what it wants, best first (``Infinite, Second-4100000000``);
    the server is free to grant something else (§6.6).  The policy here: the
    first listed value, capped at *maximum* (``Infinite`` becomes *maximum*
    when there is one); no header gives *default*.

    Args:
        value: the header value, ``None`` when absent.
        default: the timeout without a header (``None``: infinite).
        maximum: the longest timeout granted (``None``: no cap, ``Infinite`` granted).

    Returns:
        Seconds, or ``None`` for an infinite lock.

    Raises:
        ParseError: a value that is not a comma-separated list of ``Second-N``
            (N at most 2**32 - 1) and ``Infinite`` (status hint 400).

    Example:
        >>> from multistatus.webdav import parse_timeout
        >>> parse_timeout("Second-600"), parse_timeout("Infinite, Second-4100000000"), parse_timeout(None)
        (600, 604800, 3600)
        >>> parse_timeout("Infinite", maximum=None) is None
        True
    """
    if value is None:
        return default
    first: int | None = None
    seen = False
    for item in value.split(","):
        text = item.strip(" \t")
        if not text:
            continue
        if text.lower() == "infinite":
            seconds = None
        else:
            head, _, digits = text.partition("-")
            if head.lower() != "second" or not digits.isascii() or not digits.isdigit():
                raise ParseError(f"Timeout must list Second-N or Infinite, not {clip(text)!r}")
            significant = digits.lstrip("0") or "0"  # (1*DIGIT: any number of leading zeros)
            seconds = int(significant) if len(significant) <= 10 else MAX_TIMEOUT + 1
            if seconds > MAX_TIMEOUT:
                raise ParseError(f"Timeout {clip(text)!r} is over the 2**32 - 1 seconds RFC 4918 allows")
        if not seen:
            first, seen = seconds, True
    if not seen:
        raise ParseError("Timeout is empty; expected Second-N or Infinite")
    if first is None:
        return maximum
    return first if maximum is None else min(first, maximum)


def format_timeout(seconds: int | None) -> str:
    """``Second-N`` or ``Infinite``: a timeout as ``DAV:timeout`` and the ``Timeout`` header write it."""
    return "Infinite" if seconds is None else f"Second-{seconds}"


def parse_lock_token(value: str | None) -> str:
    """The ``Lock-Token`` header of an UNLOCK (RFC 4918 §10.5): the token inside ``<...>``.

    Raises:
        ParseError: absent, or not one ``<absolute-URI>`` (status hint 400).

    Example:
        >>> from multistatus.webdav import parse_lock_token
        >>> parse_lock_token(" <urn:uuid:e71d4fae-5dec-22d6-fea5-00a0c91e6be4> ")
        'urn:uuid:e71d4fae-5dec-22d6-fea5-00a0c91e6be4'
    """
    if value is None:
        raise ParseError("UNLOCK needs a Lock-Token header")
    text = value.strip(" \t")
    if len(text) < 3 or text[0] != "<" or text[-1] != ">":
        raise ParseError(f"Lock-Token must be <token>, not {clip(value)!r}")
    return check_coded_url(text[1:-1], "Lock-Token")


def parse_lock_depth(value: str | None) -> Depth:
    """The ``Depth`` of a LOCK: ``"0"`` or ``"infinity"``, and ``infinity`` when absent (RFC 4918 §9.10.3).

    Example:
        >>> from multistatus.webdav import parse_lock_depth
        >>> parse_lock_depth(None), parse_lock_depth("0")
        ('infinity', '0')
    """
    return parse_depth(value, default="infinity", allowed=("0", "infinity"))


def new_lock_token() -> str:
    """A new lock token: a random ``urn:uuid:`` URI, unique across time and servers (RFC 4918 §6.5).

    Example:
        >>> from multistatus.webdav import new_lock_token
        >>> new_lock_token().startswith("urn:uuid:"), new_lock_token() != new_lock_token()
        (True, True)
    """
    return uuid.uuid4().urn
