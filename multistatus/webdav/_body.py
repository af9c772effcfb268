"""Any WebDAV request body as a value, through the library's one hardened parser, and back.

:func:`parse_body` is the door for extension elements: a server that takes a
REPORT, a LOCK owner or a MKCOL body of its own reads it with the same refusals
and limits as every reader of the library, and gets an immutable
:class:`~multistatus.Element` tree.  :func:`write_body` writes one back.
"""

from __future__ import annotations

from collections.abc import Iterable

from .._exceptions import ParseError
from .._limits import DEFAULT_LIMITS, Limits
from .._model import Element
from .._xml._content import read_element
from .._xml._parser import Source, read_source
from .._xml._writer import element_document
from ._request import unprocessable

__all__ = ["parse_body", "write_body"]


def _roots(root: str | Iterable[str] | None) -> tuple[str, ...]:
    if root is None:
        return ()
    return (root,) if isinstance(root, str) else tuple(root)


def parse_body(source: Source, root: str | Iterable[str] | None = None, *, limits: Limits = DEFAULT_LIMITS) -> Element:
    """Read a request body into an :class:`~multistatus.Element`, checking its root element.

    The parser is the one every reader of the library uses: no DTD, no
    entities, no network, ``limits.max_bytes``, and the nesting limit of a
    property value (64 levels, fewer if
    ``limits.max_depth`` says so).  Text, attributes (``xml:lang`` included)
    and mixed content are kept; comments and processing instructions are not.

    Args:
        source: the body (bytes, str or a binary file).
        root: the Clark name the root element must have, or several (any one
            of them); ``None`` takes any root.
        limits: the :class:`~multistatus.Limits`.

    Returns:
        The root element, with everything inside it.

    Raises:
        ParseError: an empty body, malformed XML or a DTD (status hint 400); a
            root element other than *root* (status hint 422).
        LimitExceeded: over a limit (status hint 413).

    Example:
        >>> from multistatus.webdav import parse_body
        >>> body = b'<X:top-ten xmlns:X="urn:example" limit="10"><X:by>size</X:by></X:top-ten>'
        >>> report = parse_body(body, "{urn:example}top-ten")
        >>> report.attributes["{}limit"], report.find("{urn:example}by").text
        ('10', 'size')
        >>> try:
        ...     parse_body(b"<other/>", "{urn:example}top-ten")
        ... except ValueError as exc:
        ...     print(exc.status_hint, exc)
        422 the body must be a {urn:example}top-ten element, not {}other
    """
    wanted = _roots(root)
    data, _ = read_source(source, limits)
    if not data or data.isspace():
        expected = " or ".join(wanted) if wanted else "an XML document"
        raise ParseError(f"the body is empty; expected {expected}")
    el = read_element(source if isinstance(source, str) else data, limits)
    if wanted and el.tag not in wanted:
        raise unprocessable(f"the body must be a {' or '.join(wanted)} element, not {el.tag}")
    return el


def write_body(element: Element) -> bytes:
    """*element* as a UTF-8 XML document, through the library's writer: :func:`parse_body` reads it back equal.

    Args:
        element: the root element.

    Returns:
        The document, with an XML declaration; ``DAV:`` is bound to ``D``.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.webdav import parse_body, write_body
        >>> el = ms.Element("{DAV:}prop", [ms.Element("{urn:x}color", "red")])
        >>> write_body(el)
        b'<?xml version="1.0" encoding="utf-8"?>\\n<D:prop xmlns:D="DAV:" xmlns:ns0="urn:x"><ns0:color>red</ns0:color></D:prop>'
        >>> parse_body(write_body(el)) == el
        True
    """
    if not isinstance(element, Element):
        raise TypeError(f"write_body() takes an Element, not {type(element).__name__}")
    return element_document(element)
