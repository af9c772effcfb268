"""WebDAV class 2, sans-I/O: LOCK bodies and header fields, lock values, and their XML (RFC 4918 §6, §9.10, §14).

The server keeps its locks however it likes; this module reads a LOCK body
(:func:`parse_lockinfo`; the header fields are in ``_lockheaders``), decides
the lock rules that do not depend on storage (:meth:`ActiveLock.covers`,
:func:`locks_overlapping`, :func:`lock_conflict`, :func:`locks_without_token`),
and writes the ``DAV:activelock``,
``DAV:lockdiscovery`` and ``DAV:supportedlock`` properties and the LOCK answer.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .._hrefs import key_parts
from .._http._reply import Reply, check_header_fields
from .._limits import DEFAULT_LIMITS, Limits
from .._model import Element, Property
from .._names import HREF, PROP, XML_LANG
from .._xml._content import ContentReader
from .._xml._parser import Source, parse_tree
from .._xml._writer import element_document
from ._headers import Depth
from ._if import check_coded_url
from ._lockheaders import format_timeout
from ._request import _is_empty, unprocessable

if TYPE_CHECKING:
    from lxml.etree import _Element as LxmlElement

__all__ = [
    "ActiveLock",
    "LockInfo",
    "LockScope",
    "lock_conflict",
    "lock_reply",
    "lockdiscovery",
    "locks_overlapping",
    "locks_without_token",
    "parse_lockinfo",
    "supportedlock",
]

LockScope = Literal["exclusive", "shared"]
_D = "{DAV:}"
LOCKINFO = _D + "lockinfo"
LOCKSCOPE = _D + "lockscope"
LOCKTYPE = _D + "locktype"
OWNER = _D + "owner"
WRITE = _D + "write"
LOCKDISCOVERY = _D + "lockdiscovery"
SUPPORTEDLOCK = _D + "supportedlock"
_SCOPES: dict[str, LockScope] = {_D + "exclusive": "exclusive", _D + "shared": "shared"}


@dataclass(frozen=True, slots=True)
class LockInfo:
    """What a LOCK body asks for (RFC 4918 §14.11 ``DAV:lockinfo``).

    Attributes:
        scope: ``"exclusive"`` or ``"shared"``.
        owner: the ``DAV:owner`` element exactly as sent (text, elements,
            attributes, the ``xml:lang`` in scope), or ``None``; give it back in
            the :class:`ActiveLock`.
        type: ``"write"``, the only lock type RFC 4918 defines.

    Example:
        >>> from multistatus.webdav import parse_lockinfo
        >>> body = (b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:shared/></D:lockscope>'
        ...         b'<D:locktype><D:write/></D:locktype><D:owner><D:href>mailto:a@example.com</D:href></D:owner></D:lockinfo>')
        >>> info = parse_lockinfo(body)
        >>> info.scope, info.owner.find("{DAV:}href").text
        ('shared', 'mailto:a@example.com')
    """

    scope: LockScope
    owner: Element | None = None
    type: Literal["write"] = "write"


def parse_lockinfo(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> LockInfo | None:
    """Read a LOCK request body; an empty body is a refresh (RFC 4918 §9.10.2) and gives ``None``.

    Args:
        source: the body (bytes, str or a binary file).
        limits: the :class:`~multistatus.Limits`.

    Returns:
        The :class:`LockInfo`, or ``None`` for an empty body.

    Raises:
        ParseError: malformed XML or a DTD (status hint 400); a well-formed body
            that is not a ``DAV:lockinfo`` with one scope (``exclusive`` or
            ``shared``) and the ``write`` type (status hint 422).
        LimitExceeded: over a limit, the owner's nesting included (status hint 413).

    Example:
        >>> from multistatus.webdav import parse_lockinfo
        >>> parse_lockinfo(b"") is None
        True
        >>> body = b'<lockinfo xmlns="DAV:"><lockscope><exclusive/></lockscope><locktype><write/></locktype></lockinfo>'
        >>> parse_lockinfo(body)
        LockInfo(scope='exclusive', owner=None, type='write')
    """
    root = _root_or_none(source, limits)
    if root is None:
        return None
    if root.tag != LOCKINFO:
        raise unprocessable(f"the LOCK body must be a DAV:lockinfo element, not {root.tag!s}", root)
    scope: LockScope | None = None
    locktype = False
    owner: Element | None = None
    for child in root:
        tag = child.tag
        if tag == LOCKSCOPE:
            if scope is not None:
                raise unprocessable("DAV:lockinfo holds more than one DAV:lockscope", child)
            scope = _scope(child)
        elif tag == LOCKTYPE:
            if locktype:
                raise unprocessable("DAV:lockinfo holds more than one DAV:locktype", child)
            kinds = [str(c.tag) for c in child if isinstance(c.tag, str)]
            if kinds != [WRITE]:
                raise unprocessable(f"DAV:locktype must hold DAV:write, not {', '.join(kinds) or 'nothing'}", child)
            locktype = True
        elif tag == OWNER:
            owner = _owner(child, root.get(XML_LANG), limits)
        # other elements: ignored (RFC 4918 §17)
    if scope is None:
        raise unprocessable("DAV:lockinfo needs a DAV:lockscope", root)
    if not locktype:
        raise unprocessable("DAV:lockinfo needs a DAV:locktype", root)
    return LockInfo(scope, owner)


def _root_or_none(source: Source, limits: Limits) -> LxmlElement | None:
    empty, data = _is_empty(source, limits)
    return None if empty else parse_tree(data, limits)


def _scope(el: LxmlElement) -> LockScope:
    kinds = [str(c.tag) for c in el if isinstance(c.tag, str)]
    if len(kinds) != 1 or kinds[0] not in _SCOPES:
        raise unprocessable(
            f"DAV:lockscope must hold DAV:exclusive or DAV:shared, not {', '.join(kinds) or 'nothing'}", el
        )
    return _SCOPES[kinds[0]]


def _owner(el: LxmlElement, lang: str | None, limits: Limits) -> Element:
    owner = ContentReader(limits).element(el, 2)
    if lang is not None and XML_LANG not in owner.attributes:  # (the language in scope goes with it)
        owner = Element(owner.tag, owner.children, {**owner.attributes, XML_LANG: lang})
    return owner


@dataclass(frozen=True, slots=True)
class ActiveLock:
    """A lock as the server holds it, for ``DAV:activelock`` (RFC 4918 §14.1).

    Attributes:
        token: the lock token (an absolute URI, such as :func:`new_lock_token` makes).
        root: the href of the locked resource (``DAV:lockroot``).
        scope: ``"exclusive"`` or ``"shared"``.
        depth: ``"0"`` or ``"infinity"``.
        timeout: seconds left, or ``None`` for an infinite lock.
        owner: the ``DAV:owner`` element the LOCK body gave, or ``None``.

    Raises:
        ValueError: a token that is not an absolute URI, or a scope, depth or timeout out of range.

    Example:
        >>> from multistatus.webdav import ActiveLock
        >>> lock = ActiveLock("urn:uuid:1", "/dav/a.txt", timeout=600)
        >>> lock.element().find("{DAV:}timeout").text
        'Second-600'
    """

    token: str
    root: str
    scope: LockScope = "exclusive"
    depth: Literal["0", "infinity"] = "infinity"
    timeout: int | None = None
    owner: Element | None = None

    def __post_init__(self) -> None:
        check_coded_url(self.token, "ActiveLock.token")
        if self.scope not in ("exclusive", "shared"):
            raise ValueError(f"ActiveLock.scope must be 'exclusive' or 'shared', not {self.scope!r}")
        if self.depth not in ("0", "infinity"):
            raise ValueError(f"ActiveLock.depth must be '0' or 'infinity', not {self.depth!r}")
        if self.timeout is not None and (type(self.timeout) is not int or self.timeout < 0):
            raise ValueError(f"ActiveLock.timeout must be seconds (an int >= 0) or None, not {self.timeout!r}")
        if self.owner is not None and self.owner.tag != OWNER:
            raise ValueError(f"ActiveLock.owner must be a DAV:owner element, not {self.owner.tag}")

    def covers(self, href: str) -> bool:
        """Whether the lock covers *href*: its root, or (depth infinity) anything below it (RFC 4918 §6.1).

        Hrefs are compared as :func:`~multistatus.same_href` compares them
        (percent-escapes, a trailing slash, a path against an absolute URI).

        Example:
            >>> from multistatus.webdav import ActiveLock
            >>> lock = ActiveLock("urn:uuid:1", "/dav/c/")
            >>> lock.covers("/dav/c"), lock.covers("http://h/dav/c/a%20b.txt"), lock.covers("/dav/cd")
            (True, True, False)
        """
        root, other = key_parts(self.root, None), key_parts(href, None)
        if root.origin is not None and other.origin is not None and root.origin != other.origin:
            return False
        if root.rest == other.rest:
            return True
        prefix = root.rest if root.rest.endswith("/") else root.rest + "/"
        return self.depth == "infinity" and other.rest.startswith(prefix)

    def element(self) -> Element:
        """The ``DAV:activelock`` element, children in the order of RFC 4918 §14.1."""
        children = [
            Element(LOCKSCOPE, [Element(_D + self.scope)]),
            Element(LOCKTYPE, [Element(WRITE)]),
            Element(_D + "depth", self.depth),
        ]
        if self.owner is not None:
            children.append(self.owner)
        children.append(Element(_D + "timeout", format_timeout(self.timeout)))
        children.append(Element(_D + "locktoken", [Element(HREF, self.token)]))
        children.append(Element(_D + "lockroot", [Element(HREF, self.root)]))
        return Element(_D + "activelock", children)


def lockdiscovery(locks: Iterable[ActiveLock]) -> Property:
    """The ``DAV:lockdiscovery`` property (RFC 4918 §15.8): one ``DAV:activelock`` per lock.

    Give it as a live property (``Properties({LOCKDISCOVERY: lambda: lockdiscovery(...)})``);
    with no lock it is empty, as §15.8 wants.

    Example:
        >>> from multistatus.webdav import ActiveLock, lockdiscovery
        >>> prop = lockdiscovery([ActiveLock("urn:uuid:1", "/dav/a.txt")])
        >>> prop.name, [e.tag for e in prop.value]
        ('{DAV:}lockdiscovery', ['{DAV:}activelock'])
    """
    return Property(LOCKDISCOVERY, [lock.element() for lock in locks])


def supportedlock(scopes: Iterable[LockScope] = ("exclusive", "shared")) -> Property:
    """The ``DAV:supportedlock`` property (RFC 4918 §15.10): a write lock entry per scope.

    Example:
        >>> from multistatus.webdav import supportedlock
        >>> [e.find("{DAV:}lockscope").elements[0].tag for e in supportedlock().value]
        ['{DAV:}exclusive', '{DAV:}shared']
    """
    entries = []
    for scope in scopes:
        if scope not in ("exclusive", "shared"):
            raise ValueError(f"a lock scope is 'exclusive' or 'shared', not {scope!r}")
        entries.append(
            Element(_D + "lockentry", [Element(LOCKSCOPE, [Element(_D + scope)]), Element(LOCKTYPE, [Element(WRITE)])])
        )
    return Property(SUPPORTEDLOCK, entries)


def lock_reply(
    lock: ActiveLock, *, created: bool = False, refreshed: bool = False, headers: Iterable[tuple[str, str]] = ()
) -> Reply:
    """The answer to a successful LOCK (RFC 4918 §9.10.1): a ``DAV:prop`` document, not a multistatus.

    Its ``DAV:lockdiscovery`` holds the lock; a new lock also gets the
    ``Lock-Token`` header (a refresh does not, §9.10.2).

    Args:
        lock: the lock granted or refreshed.
        created: the LOCK made an empty resource at an unmapped URL (201, §9.10.4).
        refreshed: the LOCK refreshed an existing lock (no ``Lock-Token`` header).
        headers: more header fields.

    Returns:
        The :class:`~multistatus.Reply`: 200 (or 201), ``text/xml`` as Apache mod_dav sends it.

    Example:
        >>> from multistatus.webdav import ActiveLock, lock_reply
        >>> r = lock_reply(ActiveLock("urn:uuid:e71d4fae-5dec-22d6-fea5-00a0c91e6be4", "/dav/a.txt", timeout=600))
        >>> r.status, r.header("Lock-Token")
        (200, '<urn:uuid:e71d4fae-5dec-22d6-fea5-00a0c91e6be4>')
        >>> b"<D:prop" in r.body and b"<D:locktoken><D:href>urn:uuid:" in r.body
        True
    """
    body = element_document(Element(PROP, [Element(LOCKDISCOVERY, [lock.element()])]))
    fields = [("Content-Type", "text/xml; charset=utf-8")]  # (what error_reply gives WebDAV clients)
    if not refreshed:
        fields.append(("Lock-Token", f"<{lock.token}>"))
    fields.extend(check_header_fields(headers))
    return Reply(201 if created else 200, tuple(fields), body)


def locks_overlapping(locks: Iterable[ActiveLock], href: str, depth: Depth = "0") -> tuple[ActiveLock, ...]:
    """The locks a new lock on *href* with *depth* would overlap: those covering *href*, and
    with depth infinity those rooted below it (RFC 4918 §6.1, §9.10.3).

    Give the result to :func:`lock_conflict`; for a request that changes
    *href* (and, for a collection's DELETE or MOVE, everything below it: depth
    infinity), to :func:`locks_without_token`.

    Example:
        >>> from multistatus.webdav import ActiveLock, locks_overlapping
        >>> held = [ActiveLock("urn:a:1", "/dav/", depth="0"), ActiveLock("urn:a:2", "/dav/c/x.txt")]
        >>> [l.token for l in locks_overlapping(held, "/dav/c/", "infinity")]
        ['urn:a:2']
        >>> [l.token for l in locks_overlapping(held, "/dav/")]
        ['urn:a:1']
    """
    below = ActiveLock("urn:x", href, depth="infinity") if depth == "infinity" else None
    return tuple(lock for lock in locks if lock.covers(href) or (below is not None and below.covers(lock.root)))


def lock_conflict(scope: LockScope, locks: Iterable[ActiveLock]) -> ActiveLock | None:
    """The lock that keeps a new lock of *scope* from being granted, or ``None`` (RFC 4918 §6.2).

    *locks* are those that would overlap the new one (:func:`locks_overlapping`):
    the locks on the resource and on its ancestors with depth infinity, and,
    for a depth-infinity LOCK of a collection, those on its members.  An exclusive lock conflicts with any
    lock; a shared lock only with an exclusive one.  Answer a conflict with 423
    and :data:`NO_CONFLICTING_LOCK` naming ``conflict.root``.

    Example:
        >>> from multistatus.webdav import ActiveLock, lock_conflict
        >>> held = [ActiveLock("urn:uuid:1", "/dav/", scope="shared")]
        >>> lock_conflict("shared", held) is None, lock_conflict("exclusive", held).root
        (True, '/dav/')
    """
    for lock in locks:
        if scope == "exclusive" or lock.scope == "exclusive":
            return lock
    return None


def locks_without_token(locks: Iterable[ActiveLock], submitted: Collection[str]) -> tuple[ActiveLock, ...]:
    """The locks that keep a request from changing a resource: none when one of their tokens is submitted.

    RFC 4918 §7: a locked resource changes only for a request that submits the
    token of a lock on it (in the ``If`` header, :attr:`Evaluation.tokens
    <multistatus.webdav.Evaluation.tokens>`); one token of a shared lock is
    enough.  *locks* are those covering the resource.  Answer a non-empty
    result with 423 and :data:`LOCK_TOKEN_SUBMITTED` listing the ``root`` of each.
    Called once per group of locks, give *submitted* as a ``frozenset`` made once.

    Example:
        >>> from multistatus.webdav import ActiveLock, locks_without_token
        >>> held = [ActiveLock("urn:uuid:1", "/dav/")]
        >>> [l.root for l in locks_without_token(held, ())], locks_without_token(held, ["urn:uuid:1"])
        (['/dav/'], ())
    """
    held = tuple(locks)
    tokens = submitted if isinstance(submitted, (set, frozenset)) else frozenset(submitted)
    if any(lock.token in tokens for lock in held):  # (a set: locks x tokens would be quadratic)
        return ()
    return held
