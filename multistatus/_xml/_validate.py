"""Strict checks for producers: RFC 4918 rules a lenient reader forgives.

:func:`validate` lists every violation with its line and element path, so a
server author can fix the output; :func:`~multistatus.from_xml` with
``strict=True`` raises them as one :class:`~multistatus.ValidationError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from .._hrefs import escape_text, find_bidi_control
from .._limits import DEFAULT_LIMITS, Limits
from .._model import MultiStatus
from .._names import DESCRIPTION, ERROR, HREF, LOCATION, MULTISTATUS, PROP, PROPSTAT, RESPONSE, STATUS
from ._parser import Positions, Source, element_path, parse_tree
from ._writer import to_xml

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml.etree import _Element as LxmlElement

    _Add = Callable[[str, str, LxmlElement], None]

__all__ = ["Violation", "check_tree", "validate"]

_STRICT_STATUS = re.compile(r"HTTP/\d\.\d [1-5]\d\d( .*)?", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: a short ``code``, a message, and where it is.

    Codes: ``duplicate-href``, ``mixed-href-style``, ``both-forms``,
    ``no-status``, ``multiple-hrefs-with-propstat``, ``redirect-without-location``,
    ``duplicate-property``, ``text-in-prop``, ``text-in-error``,
    ``text-in-multistatus``, ``text-in-response``, ``status-line``, ``missing-href``,
    ``missing-prop``, ``element-order``, ``not-multistatus``, ``bad-href`` (not
    a URI reference, e.g. an unclosed IPv6 bracket), ``bidi-control-in-href``
    (a bidirectional control such as U+202E, which can disguise a name).

    Example:
        >>> Violation("duplicate-href", "'/a' appears in two responses", 3, "/D:multistatus/D:response[2]")
        Violation(code='duplicate-href', message="'/a' appears in two responses", line=3, path='/D:multistatus/D:response[2]')
    """

    code: str
    message: str
    line: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.code}: {self.message}"


def _href_key(href: str) -> str:
    """Compare hrefs the way servers mean them: percent-decoded, no trailing slash."""
    try:
        parts = urlsplit(href)
    except ValueError:  # "http://[::1/a": reported as bad-href; compared as written
        return href
    path = unquote(parts.path).rstrip("/") or "/"
    return path if not parts.scheme else f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}"


def _is_absolute(href: str) -> bool:
    try:
        return bool(urlsplit(href).scheme)
    except ValueError:
        return False


def _check_href(text: str, href: LxmlElement, add: _Add) -> None:
    """Violations of one href's own text: not a URI, or a bidi control in it."""
    try:
        urlsplit(text)
    except ValueError as exc:
        add("bad-href", f"{escape_text(text)} is not a URI reference: {exc}", href)
    bidi = find_bidi_control(text)
    if bidi is not None:
        add(
            "bidi-control-in-href",
            f"{escape_text(text)} holds the bidirectional control U+{ord(bidi):04X}, "
            "which can make it display as a different name",
            href,
        )


def _has_text(el: LxmlElement) -> bool:
    if el.text and el.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in el)


def check_tree(root: LxmlElement) -> list[Violation]:
    """Violations in a parsed multistatus tree (see :func:`validate`)."""
    out: list[Violation] = []
    positions = Positions()  # (many paths in one tree: each parent's children counted once)

    def add(code: str, message: str, el: LxmlElement) -> None:
        out.append(Violation(code, message, el.sourceline, element_path(el, positions)))

    if root.tag != MULTISTATUS:
        add("not-multistatus", f"root element is {root.tag!s}, not DAV:multistatus", root)
        return out
    if _has_text(root):
        add("text-in-multistatus", "text directly inside multistatus", root)
    seen: dict[str, str] = {}
    styles: dict[bool, str] = {}
    for response in root.iterchildren(RESPONSE):
        if _has_text(response):
            add("text-in-response", "text directly inside response", response)
        hrefs = list(response.iterchildren(HREF))
        statuses = list(response.iterchildren(STATUS))
        propstats = list(response.iterchildren(PROPSTAT))
        if not hrefs:
            add("missing-href", "response without href", response)
        for href in hrefs:
            text = "".join(href.itertext()).strip()
            _check_href(text, href, add)
            key = _href_key(text)
            if key in seen:
                add("duplicate-href", f"{text!r} already appears as {seen[key]!r} in an earlier response", href)
            else:
                seen[key] = text
            styles.setdefault(_is_absolute(text), text)
        if statuses and propstats:
            add("both-forms", "response has both a status and propstats (RFC 4918 §14.24)", response)
        elif not statuses and not propstats:
            add("no-status", "response has neither a status nor a propstat", response)
        if propstats and len(hrefs) > 1:
            add("multiple-hrefs-with-propstat", f"response with propstats has {len(hrefs)} hrefs", response)
        for status in statuses:
            _check_status(status, add)
            code = _code(status)
            if code is not None and 300 <= code < 400 and response.find(LOCATION) is None:
                add("redirect-without-location", f"status {code} without a DAV:location (RFC 4918 §14.9)", status)
        _check_order(response, add)
        names: dict[str, int] = {}
        for propstat in propstats:
            props = list(propstat.iterchildren(PROP))
            if not props:
                add("missing-prop", "propstat without prop", propstat)
            pstatus = list(propstat.iterchildren(STATUS))
            if not pstatus:
                add("no-status", "propstat without status", propstat)
            for status in pstatus:
                _check_status(status, add)
            for prop in props:
                if _has_text(prop):
                    add("text-in-prop", "text directly inside prop", prop)
                for item in prop:
                    if not isinstance(item.tag, str):
                        continue
                    if item.tag in names:
                        add("duplicate-property", f"property {item.tag} listed twice in one response", item)
                    names[item.tag] = 1
            for error in propstat.iterchildren(ERROR):
                if _has_text(error):
                    add("text-in-error", "text directly inside error", error)
        for error in response.iterchildren(ERROR):
            if _has_text(error):
                add("text-in-error", "text directly inside error", error)
    if len(styles) > 1:
        add(
            "mixed-href-style",
            f"absolute URIs ({styles[True]!r}) and paths ({styles[False]!r}) mixed (RFC 4918 §8.3)",
            root,
        )
    return out


def _code(status: LxmlElement) -> int | None:
    match = re.search(r"\b(\d{3})\b", "".join(status.itertext()))
    return int(match.group(1)) if match else None


def _check_status(status: LxmlElement, add: _Add) -> None:
    text = "".join(status.itertext()).strip()
    if not _STRICT_STATUS.fullmatch(text):
        add("status-line", f"{text!r} is not an HTTP status line like 'HTTP/1.1 200 OK'", status)


_ORDER = {HREF: 0, STATUS: 1, PROPSTAT: 1, ERROR: 2, DESCRIPTION: 3, LOCATION: 4}


def _check_order(response: LxmlElement, add: _Add) -> None:
    last = -1
    for child in response:
        rank = _ORDER.get(child.tag) if isinstance(child.tag, str) else None
        if rank is None:
            continue
        if rank < last:
            add("element-order", f"{child.tag!s} comes after elements that RFC 4918 §14.24 puts after it", child)
            return
        last = rank


def validate(source: Source | MultiStatus, *, limits: Limits = DEFAULT_LIMITS) -> list[Violation]:
    """List the RFC 4918 violations in a multistatus document.

    Checks: duplicate hrefs, mixed href styles (absolute URI vs path), a
    response with both forms or neither, several hrefs with propstats, a 3xx
    without ``DAV:location``, a property listed twice in one response, text
    directly inside ``prop``/``error``/``response``/``multistatus``, status lines
    that are not ``HTTP/x.y NNN reason``, and response children out of order.

    Args:
        source: XML (bytes, str, binary file) or a :class:`~multistatus.MultiStatus`
            (checked through its serialization; lines are then left out).
        limits: parsing limits.

    Returns:
        The violations, in document order; empty when the document is clean.

    Raises:
        ParseError: the input is not well-formed XML.

    Example:
        >>> import multistatus as ms
        >>> body = b'''<D:multistatus xmlns:D="DAV:"><D:response>
        ... <D:href>/a</D:href><D:status>HTTP/1.1 301 Moved Permanently</D:status>
        ... </D:response></D:multistatus>'''
        >>> [str(v) for v in ms.validate(body)]
        ['line 2: redirect-without-location: status 301 without a DAV:location (RFC 4918 §14.9)']
    """
    if isinstance(source, MultiStatus):
        return [Violation(v.code, v.message, None, v.path) for v in check_tree(parse_tree(to_xml(source), limits))]
    return check_tree(parse_tree(source, limits))
