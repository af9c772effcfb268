"""hrefs as servers mean them: resolving, comparing and displaying (sans-I/O).

A ``DAV:href`` is a URI reference (RFC 4918 §8.3): an absolute URI or an
absolute path, percent-encoded, sometimes relative.  Real servers disagree on
the details -- Apache writes ``%c3%a9`` in lower case, WsgiDAV encodes ``&`` as
``%26`` where Apache leaves it bare, some servers answer with absolute URIs and
others with paths, and a collection may or may not carry its trailing slash --
so hrefs must be compared by what they mean, not by their characters.

Nothing here touches the network; these are pure string functions.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import NamedTuple
from urllib.parse import quote, unquote_to_bytes

__all__ = ["display_href", "escape_text", "find_bidi_control", "href_key", "key_parts", "resolve_href", "same_href"]

# RFC 3986 Appendix B.
_URI_RE = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.DOTALL)
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_ESCAPES_RE = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_ESCAPE_RE = re.compile(r"%([0-9A-Fa-f]{2})")
_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}
# Characters a path segment may hold unescaped (RFC 3986 §3.3: pchar minus %).
_SEGMENT_SAFE = "!$&'()*+,;=:@-._~"
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


class _Parts(NamedTuple):
    scheme: str | None
    authority: str | None
    path: str
    query: str | None
    fragment: str | None


def _split(uri: str) -> _Parts:
    match = _URI_RE.match(uri.strip())
    assert match is not None  # the pattern matches every string
    scheme, authority, path, query, fragment = match.groups()
    if scheme is not None and not _SCHEME_RE.fullmatch(scheme):
        # "C:/x" style or junk before a colon: not a scheme, read it as a path.
        return _Parts(None, None, uri.strip().split("#", 1)[0].split("?", 1)[0], query, fragment)
    return _Parts(scheme, authority, path, query, fragment)


def _unsplit(parts: _Parts) -> str:
    out = ""
    if parts.scheme is not None:
        out += parts.scheme + ":"
    if parts.authority is not None:
        out += "//" + parts.authority
    out += parts.path
    if parts.query is not None:
        out += "?" + parts.query
    if parts.fragment is not None:
        out += "#" + parts.fragment
    return out


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4, written over segments."""
    if "." not in path:
        return path
    absolute = path.startswith("/")
    segments = path.split("/")
    if absolute:
        segments = segments[1:]
    out: list[str] = []
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == ".":
            if last:
                out.append("")
        elif seg == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(seg)
    result = "/".join(out)
    return "/" + result if absolute else result


def _resolve(ref: _Parts, base: _Parts) -> _Parts:
    """RFC 3986 §5.2.2 (strict: a reference with a scheme is never relative)."""
    if ref.scheme is not None:
        return ref._replace(path=_remove_dot_segments(ref.path))
    if ref.authority is not None:
        return ref._replace(scheme=base.scheme, path=_remove_dot_segments(ref.path))
    if not ref.path:
        query = ref.query if ref.query is not None else base.query
        return _Parts(base.scheme, base.authority, base.path, query, ref.fragment)
    if ref.path.startswith("/"):
        path = ref.path
    elif base.authority is not None and not base.path:
        path = "/" + ref.path
    else:
        path = base.path[: base.path.rfind("/") + 1] + ref.path
    return _Parts(base.scheme, base.authority, _remove_dot_segments(path), ref.query, ref.fragment)


def resolve_href(href: str, base: str) -> str:
    """Resolve *href* against *base* (the request URL) as RFC 3986 §5.2 says.

    Absolute URIs come back unchanged apart from dot segments; paths and
    relative references take the scheme and authority (and, for relative
    paths, the directory) of *base*.  The percent-encoding is left alone.

    Args:
        href: an href as the server wrote it.
        base: the URL the request was sent to.

    Returns:
        The absolute URI (or absolute path, when *base* is a path too).

    Example:
        >>> import multistatus as ms
        >>> ms.resolve_href("/dav/a.txt", "http://example.com/dav/")
        'http://example.com/dav/a.txt'
        >>> ms.resolve_href("b%20c.txt", "https://example.com/dav/a.txt")
        'https://example.com/dav/b%20c.txt'
        >>> ms.resolve_href("../x/", "http://example.com/dav/sub/")
        'http://example.com/dav/x/'
    """
    return _unsplit(_resolve(_split(href), _split(base)))


#: Bidirectional controls (Unicode Bidi_Control): they reorder the text around
#: them, so "evil\u202etxt.exe" shows as "evilexe.txt".
_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_BIDI_RE = re.compile(f"[{_BIDI_CONTROLS}]")
# What a terminal or a page must never get raw from a document: C0 and C1
# controls (escape sequences, carriage returns, NUL), DEL, the line and
# paragraph separators, and the bidirectional controls.
_UNSAFE_RE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI_CONTROLS}]")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_text(text: str) -> str:
    """*text* with every control character shown as a visible escape, for people.

    The one escaping used wherever the library shows text from a document to a
    person (the command line, the HTML view): C0 and C1 controls, DEL, U+2028,
    U+2029 and the bidirectional controls (U+061C, U+200E, U+200F,
    U+202A-U+202E, U+2066-U+2069) become ``\\xNN`` or ``\\uNNNN``, so nothing
    can move the cursor, colour the terminal or reorder what is shown.

    Example:
        >>> escape_text("/dav/evil\\u202etxt.exe\\x1b[2J")
        '/dav/evil\\\\u202etxt.exe\\\\x1b[2J'
    """
    return _UNSAFE_RE.sub(_escape_char, text)


def text_width(text: str) -> int:
    """Terminal cells *text* takes once escaped: wide East Asian characters two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip_text(text: str, width: int) -> str:
    """*text* cut to *width* terminal cells, ending with "…" when cut (0: never cut).

    Example:
        >>> clip_text("/dav/projects/plan.ods", 10), clip_text("日本語の名前", 7)
        ('/dav/proj…', '日本語…')
    """
    if width <= 0 or text_width(text) <= width:
        return text
    kept = sum(1 for used in itertools.accumulate(text_width(c) for c in text) if used <= width - 1)
    return text[:kept] + "…"


def find_bidi_control(text: str) -> str | None:
    """The first bidirectional control character in *text*, or ``None``."""
    match = _BIDI_RE.search(text)
    return None if match is None else match.group()


def _display_run(match: re.Match[str]) -> str:
    run = match.group(0)
    text = unquote_to_bytes(run).decode("utf-8", "surrogateescape")
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that is not part of valid UTF-8
            out.append(f"%{code - 0xDC00:02X}")
        elif char == "/" or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(quote(char, safe=""))
        else:
            out.append(char)
    return "".join(out)


def display_href(href: str) -> str:
    """The href with its percent-encoding decoded, for showing to people.

    Escapes are decoded as UTF-8.  These stay escaped, so what is shown is not
    misleading: bytes that are not valid UTF-8, ``%2F`` (a slash inside a name
    is not a path separator), and control and format characters (which could
    hide or reorder text on a terminal, such as U+202E RIGHT-TO-LEFT OVERRIDE).
    Such characters written raw in the href are shown escaped by
    :func:`escape_text` (``\\u202e``).  The result is for display only; do not
    send it back to a server.

    Args:
        href: an href as the server wrote it.

    Returns:
        The readable form.

    Example:
        >>> import multistatus as ms
        >>> ms.display_href("/dav/%c3%a9t%C3%A9%20plan.txt")
        '/dav/été plan.txt'
        >>> ms.display_href("/dav/a%2Fb%ff%e2%80%ae")
        '/dav/a%2Fb%FF%E2%80%AE'
    """
    return escape_text(_ESCAPES_RE.sub(_display_run, href.strip()))


def _normalize_escapes(text: str) -> str:
    """Upper-case hex, decode unreserved characters, encode what must be (RFC 3986 §6.2.2)."""

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    text = _ESCAPE_RE.sub(fix, text)
    # Raw spaces, non-ASCII and other characters servers forget to encode.
    return quote(text, safe="%/?#[]@!$&'()*+,;=:~-._")


def _canonical_path(path: str) -> str:
    # Servers decode the whole path before looking a resource up, so "&" and
    # "%26" name the same file (WsgiDAV encodes it, Apache does not: corpus
    # */08-propfind-d0-nonascii-file).  Only "%2F" keeps its meaning.
    segments = [quote(unquote_to_bytes(seg), safe=_SEGMENT_SAFE) for seg in path.split("/")]
    path = _remove_dot_segments("/".join(segments))
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path


class _Key(NamedTuple):
    origin: str | None
    rest: str


def key_parts(href: str, base: str | None) -> _Key:
    parts = _split(href)
    if base is not None:
        parts = _resolve(parts, _split(base))
    origin = None
    if parts.authority is not None:
        scheme = (parts.scheme or "").lower()
        userinfo, at, hostport = parts.authority.rpartition("@")
        hostport = hostport.lower()  # the host is case-insensitive; userinfo is not (RFC 3986 §6.2.2.1)
        host, colon, port = hostport.rpartition(":") if not hostport.endswith("]") else (hostport, "", "")
        if colon and (not port or port == _DEFAULT_PORTS.get(scheme)):
            hostport = host
        origin = f"{scheme}:" if scheme else ""
        origin += f"//{userinfo}{at}{hostport}"
    path = _canonical_path(parts.path)
    if origin is not None and not path:
        path = "/"
    rest = path if parts.query is None else f"{path}?{_normalize_escapes(parts.query)}"
    return _Key(origin, rest)


def href_key(href: str, base: str | None = None) -> str:
    """A normalized form of *href* for comparing and indexing hrefs.

    Two hrefs with the same key name the same resource the way servers mean
    it: percent-escapes decoded where they do not change the meaning and
    re-encoded with upper-case hex, dot segments removed, the trailing slash of
    collections dropped, scheme and host in lower case, a default port dropped,
    the fragment dropped.  Case in the path is kept (servers differ there).

    With *base* (the request URL) the href is resolved first, so paths and
    absolute URIs of the same server get the same key; without it a path and
    an absolute URI get different keys -- use :func:`same_href` for that case.

    Args:
        href: an href as the server wrote it.
        base: the URL the request was sent to, if known.

    Returns:
        The key, an absolute URI or a path.

    Example:
        >>> import multistatus as ms
        >>> ms.href_key("/dav/caf%c3%a9%7e/")
        '/dav/caf%C3%A9~'
        >>> ms.href_key("/dav/a.txt", base="HTTP://Example.com:80/dav/")
        'http://example.com/dav/a.txt'
    """
    key = key_parts(href, base)
    return key.rest if key.origin is None else key.origin + key.rest


def same_href(a: str, b: str, *, base: str | None = None) -> bool:
    """Whether two hrefs name the same resource, the way servers mean them.

    Compares :func:`href_key` forms.  When no *base* is given and one href is an
    absolute URI while the other is a path, only the paths are compared: both
    came from the same server in practice (RFC 4918 §8.3 lets a server use
    either form).

    Args:
        a: an href.
        b: another href.
        base: the request URL, to resolve relative hrefs against.

    Returns:
        True when they name the same resource.

    Example:
        >>> import multistatus as ms
        >>> ms.same_href("/dav/%c3%a9/", "http://example.com/dav/%C3%A9")
        True
        >>> ms.same_href("/dav/A.txt", "/dav/a.txt")
        False
        >>> ms.same_href("a.txt", "/dav/a.txt", base="http://example.com/dav/")
        True
    """
    ka, kb = key_parts(a, base), key_parts(b, base)
    if ka.origin is not None and kb.origin is not None and ka.origin != kb.origin:
        return False
    return ka.rest == kb.rest
