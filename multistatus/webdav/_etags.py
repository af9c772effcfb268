"""Entity tags (RFC 9110 §8.8.3): reading them, comparing them, and making strong ones.

An entity tag is kept as the text it is sent as: ``"xyzzy"`` (strong) or
``W/"xyzzy"`` (weak), quotes included.  The ``If-Match``, ``If-None-Match``
and ``If`` readers all read tags here, so one grammar decides what a tag is.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable

from .._exceptions import ParseError

__all__ = ["parse_etag_list", "read_etag", "stat_etag", "strong_etag", "strong_match", "weak_match"]

# opaque-tag = DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text (header text
# decoded as Latin-1 by WSGI: obs-text is any character from U+0080).  Spaces too:
# RFC 2616's opaque-tag was a quoted-string, and RFC 4918's If examples use them.
_ETAG = re.compile('(W/)?"[\x20\x21\x23-\x7e\x80-\U0010ffff]*"')
_OWS = " \t"


def clip(text: str, size: int = 60) -> str:
    """*text* shortened for an error message (repr'd by the caller)."""
    return text if len(text) <= size else text[: size - 3] + "..."


def read_etag(text: str, at: int, what: str) -> int:
    """The end of the entity tag that starts at *at* in *text*.

    Raises:
        ParseError: no entity tag starts there (status hint 400).
    """
    match = _ETAG.match(text, at)
    if match is None:
        raise ParseError(f'{what}: expected an entity tag ("..." or W/"...") at character {at + 1} of {clip(text)!r}')
    return match.end()


def parse_etag_list(value: str, what: str) -> tuple[str, ...] | None:
    """``If-Match`` / ``If-None-Match`` (RFC 9110 §13.1.1, §13.1.2): ``None`` for ``*``, else the tags.

    Empty list elements are allowed (the ``#rule``); an empty value is an error.

    Raises:
        ParseError: not ``*`` nor a comma-separated list of entity tags (status hint 400).
    """
    text = value.strip(_OWS)
    if text == "*":
        return None
    tags: list[str] = []
    at, end = 0, len(text)
    while at < end:
        char = text[at]
        if char in _OWS or char == ",":
            at += 1
            continue
        stop = read_etag(text, at, what)
        tags.append(text[at:stop])
        at = stop
        while at < end and text[at] in _OWS:
            at += 1
        if at < end and text[at] != ",":
            raise ParseError(f"{what}: expected ',' after an entity tag at character {at + 1} of {clip(text)!r}")
    if not tags:
        raise ParseError(f"{what} is empty; expected * or entity tags")
    return tuple(tags)


def strong_match(a: str | None, b: str | None) -> bool:
    """RFC 9110 §8.8.3.2 strong comparison: both strong and the same opaque tag.

    Example:
        >>> from multistatus.webdav import strong_match
        >>> strong_match('"1"', '"1"'), strong_match('W/"1"', '"1"')
        (True, False)
    """
    return a is not None and b is not None and a == b and not a.startswith("W/")


def weak_match(a: str | None, b: str | None) -> bool:
    """RFC 9110 §8.8.3.2 weak comparison: the same opaque tag, weak or not.

    Example:
        >>> from multistatus.webdav import weak_match
        >>> weak_match('W/"1"', '"1"'), weak_match('"1"', '"2"')
        (True, False)
    """
    return a is not None and b is not None and a.removeprefix("W/") == b.removeprefix("W/")


def strong_etag(content: bytes | Iterable[bytes]) -> str:
    """A strong entity tag made from a representation's bytes: it changes exactly when they do.

    The tag is the first 128 bits of the BLAKE2b digest of the content, in hex,
    quoted.  Give the bytes at once or in pieces (a file read in chunks); the
    tag is the same.  Hashing costs a read of the content: a server that cannot
    afford it uses :func:`stat_etag`.

    Args:
        content: the bytes, or an iterable of byte pieces.

    Returns:
        The entity tag, quotes included, for the ``ETag`` header and ``DAV:getetag``.

    Example:
        >>> from multistatus.webdav import strong_etag
        >>> strong_etag(b"hello") == strong_etag([b"he", b"llo"])
        True
        >>> strong_etag(b"hello")
        '"46fb7408d4f285228f4af516ea25851b"'
    """
    digest = hashlib.blake2b(digest_size=16)
    if isinstance(content, (bytes, bytearray, memoryview)):
        digest.update(content)
    else:
        for piece in content:
            digest.update(piece)
    return f'"{digest.hexdigest()}"'


def stat_etag(st: os.stat_result) -> str:
    """A strong entity tag made from a file's inode, modification time (in nanoseconds) and size.

    What Apache's ``FileETag INode MTime Size`` does, without reading the file:
    a new file, a rename over it, a write that changes its size or its
    modification time all give another tag.  Two writes of the same size within
    one tick of the file system's clock (a few milliseconds on Linux) can keep
    the tag: when that matters, use :func:`strong_etag` over the content.

    Args:
        st: the file's :func:`os.stat` result.

    Returns:
        The entity tag, quotes included.

    Example:
        >>> import os
        >>> from multistatus.webdav import stat_etag
        >>> st = os.stat_result((0o100644, 42, 0, 1, 0, 0, 5, 0, 0, 0, 0.0, 0.0, 0.0, 0, 1_700_000_000_000_000_000))
        >>> stat_etag(st)
        '"2a-17979cfe362a0000-5"'
    """
    return f'"{st.st_ino:x}-{st.st_mtime_ns:x}-{st.st_size:x}"'
