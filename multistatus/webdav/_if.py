"""The WebDAV ``If`` header (RFC 4918 §10.4): lists of state tokens and entity tags, and their value.

``If: (<urn:uuid:...> ["etag"]) (Not <DAV:no-lock>)`` reads into an
:class:`IfHeader` of :class:`IfList` values of :class:`IfCondition` values;
:meth:`IfHeader.evaluate` says whether it holds for a resource's
:class:`ResourceState` (its lock tokens and entity tag), and
:attr:`IfHeader.tokens` are the state tokens it submits (§10.4.1: submitted
whatever the lists evaluate to).  One pass over the value, linear in its length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .._exceptions import ParseError
from ._etags import clip, read_etag, weak_match

__all__ = ["IfCondition", "IfHeader", "IfList", "ResourceState", "check_coded_url", "parse_if"]

#: ``scheme ":"`` at the start of an absolute URI (RFC 3986 §3.1).
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
#: Characters no URI may hold (RFC 3986: visible ASCII only, less these): a state token goes
#: back into a header (``Lock-Token``), where a control, a non-ASCII character or a space breaks it.
_NOT_URI = re.compile(r'[^\x21-\x7e]|[<>"{}|\\^`]')
#: Characters a Resource-Tag may not hold: only looked up, never sent back, so kept lenient
#: (some clients send paths with raw non-ASCII characters).
_NOT_REF = re.compile(r'[\x00-\x20\x7f<>"{}|\\^`]')
_LWS = " \t\r\n"


def _is_uri(text: str) -> bool:
    return _SCHEME.match(text) is not None and _NOT_URI.search(text) is None


def check_coded_url(text: str, what: str) -> str:
    """*text* when it is an absolute URI, as a ``Coded-URL`` holds (RFC 4918 §10.1), else a ParseError.

    Only visible ASCII passes: what passes here may be written into a header field.
    """
    if not _is_uri(text):
        raise ParseError(f"{what}: {clip(text)!r} is not an absolute URI")
    return text


@dataclass(frozen=True, slots=True, init=False)
class ResourceState:
    """What the conditional headers are evaluated against: one resource as the server sees it now.

    Attributes:
        exists: whether the URL is mapped to a resource (RFC 4918 §10.4.4
            treats an unmapped one as a resource with no state).
        etag: its current entity tag, quotes included (``'"abc"'``), or ``None``.
        last_modified: its modification time (an aware :class:`~datetime.datetime`
            or POSIX seconds), or ``None``; kept as whole POSIX seconds, as HTTP dates are.
        lock_tokens: the tokens of every lock that covers it (its own and a
            depth-infinity lock of an ancestor collection), and any other state
            token it has now, such as a collection's ``DAV:sync-token`` (RFC 6578 §5).

    Example:
        >>> from multistatus.webdav import ResourceState
        >>> ResourceState(etag='"1"', last_modified=1_700_000_000.5, lock_tokens=["urn:uuid:1"])
        ResourceState(exists=True, etag='"1"', last_modified=1700000000, lock_tokens=frozenset({'urn:uuid:1'}))
    """

    exists: bool
    etag: str | None
    last_modified: int | None
    lock_tokens: frozenset[str]

    def __init__(
        self,
        exists: bool = True,
        etag: str | None = None,
        last_modified: datetime | float | None = None,
        lock_tokens: Iterable[str] = (),
    ) -> None:
        if etag is not None and read_etag(etag, 0, "ResourceState.etag") != len(etag):
            raise ParseError(f"ResourceState.etag: {etag!r} is not one entity tag")
        if isinstance(last_modified, datetime):
            if last_modified.tzinfo is None:
                raise ValueError("ResourceState.last_modified: give an aware datetime (with a time zone)")
            last_modified = last_modified.timestamp()
        object.__setattr__(self, "exists", bool(exists))
        object.__setattr__(self, "etag", etag)
        object.__setattr__(self, "last_modified", None if last_modified is None else int(last_modified // 1))
        object.__setattr__(self, "lock_tokens", frozenset(lock_tokens))


#: The state of an unmapped URL (RFC 4918 §10.4.4): no entity tag, no lock.
UNMAPPED = ResourceState(exists=False)


@dataclass(frozen=True, slots=True)
class IfCondition:
    """One condition of an ``If`` list: a state token or an entity tag, perhaps negated (``Not``).

    Attributes:
        kind: ``"token"`` (a state token, such as a lock token) or ``"etag"``.
        value: the token URI (without ``<>``), or the entity tag as sent (quotes included).
        negated: whether ``Not`` precedes it.

    Example:
        >>> from multistatus.webdav import IfCondition, ResourceState
        >>> IfCondition("etag", '"1"').holds(ResourceState(etag='"1"'))
        True
        >>> IfCondition("token", "DAV:no-lock", negated=True).holds(ResourceState())
        True
    """

    kind: Literal["token", "etag"]
    value: str
    negated: bool = False

    def holds(self, state: ResourceState) -> bool:
        """Whether the condition is true of *state* (§10.4.4: a state token matches a lock
        covering the resource; an entity tag is compared weakly, as Apache mod_dav does).

        §10.4.4 lets a server compare entity tags either way; the weak comparison is the
        one under which §10.4.9's example (``[W/"A weak ETag"]``) can hold at all.
        ``If-Match`` compares strongly (RFC 9110 §13.1.1)."""
        if self.kind == "token":
            found = self.value in state.lock_tokens
        else:
            found = weak_match(self.value, state.etag)
        return found != self.negated


@dataclass(frozen=True, slots=True)
class IfList:
    """One parenthesized list: true when every condition holds (a conjunction, §10.4.3).

    Attributes:
        resource: the ``Resource-Tag`` (an absolute URI or an absolute path, as sent)
            for a tagged list, ``None`` for a list about the Request-URI.
        conditions: the conditions, in order.

    Example:
        >>> from multistatus.webdav import parse_if
        >>> parse_if('</dav/a> (["1"])').lists[0].resource
        '/dav/a'
    """

    resource: str | None
    conditions: tuple[IfCondition, ...]


@dataclass(frozen=True, slots=True)
class IfHeader:
    """A parsed ``If`` header (RFC 4918 §10.4.2): its lists, in order.

    Attributes:
        lists: the :class:`IfList` values; the header holds when any one of them does.

    Example:
        >>> from multistatus.webdav import ResourceState, parse_if
        >>> header = parse_if('(<urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2> ["I am an ETag"]) (["I am another ETag"])')
        >>> header.evaluate(ResourceState(etag='"I am another ETag"'))
        True
        >>> header.tokens
        ('urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2',)
    """

    lists: tuple[IfList, ...]

    @property
    def tagged(self) -> bool:
        """Whether the lists name their resources (``Tagged-list``) rather than the Request-URI."""
        return self.lists[0].resource is not None

    @property
    def tokens(self) -> tuple[str, ...]:
        """Every state token in the header, in order without repeats: the lock tokens the request
        submits (§10.4.1), whether or not their conditions hold or are negated."""
        seen = (c.value for lst in self.lists for c in lst.conditions if c.kind == "token")
        return tuple(dict.fromkeys(seen))

    def evaluate(self, state: ResourceState, lookup: Callable[[str], ResourceState | None] | None = None) -> bool:
        """Whether the header holds: any list whose conditions all hold (§10.4.3).

        Untagged lists are about the Request-URI, whose state is *state*.  A
        tagged list is about its resource: *lookup* gets the tag as sent (an
        absolute URI or a path: :func:`~multistatus.webdav.parse_destination`
        resolves it) and gives that resource's state, or ``None`` when the URL is
        unmapped (its conditions then see no lock and no entity tag, §10.4.4).
        Without *lookup*, every tagged resource is unmapped.

        Args:
            state: the Request-URI's state.
            lookup: the state of a tagged resource, or ``None`` for an unmapped URL.

        Returns:
            ``True`` when the request may proceed, ``False`` for 412 (Precondition Failed).

        Example:
            >>> from multistatus.webdav import ResourceState, parse_if
            >>> states = {"/specs/": ResourceState(lock_tokens=["urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2"])}
            >>> header = parse_if("<http://www.example.com/specs/> (<urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2>)")
            >>> header.evaluate(ResourceState(), lambda tag: states.get(tag.removeprefix("http://www.example.com")))
            True
        """
        cache: dict[str, ResourceState] = {}
        for lst in self.lists:
            target = state
            if lst.resource is not None:
                found = cache.get(lst.resource)
                if found is None:
                    found = (lookup(lst.resource) if lookup is not None else None) or UNMAPPED
                    cache[lst.resource] = found
                target = found
            if all(c.holds(target) for c in lst.conditions):
                return True
        return False


def parse_if(value: str) -> IfHeader:
    """Read an ``If`` header (RFC 4918 §10.4.2) into an :class:`IfHeader`.

    ``Not`` is read in any case; white space may separate every part but the
    inside of ``<...>`` and ``[...]``, and a comma may follow a list (repeated
    ``If`` fields, which WSGI servers join with ``,``).  A header mixing tagged and untagged
    lists, a tag without a list, an empty list, a state token that is not an
    absolute URI or a bad entity tag is refused.

    Args:
        value: the header value.

    Returns:
        The :class:`IfHeader`.

    Raises:
        ParseError: a malformed header, saying what and at which character (status hint 400).

    Example:
        >>> from multistatus.webdav import parse_if
        >>> h = parse_if('(Not <urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2> <urn:uuid:58f202ac-22cf-11d1-b12d-002035b29092>)')
        >>> [(c.kind, c.negated) for c in h.lists[0].conditions]
        [('token', True), ('token', False)]
        >>> try:
        ...     parse_if("(<urn:x> ")
        ... except ValueError as exc:
        ...     print(exc)
        If header: a list is not closed with ')' at character 10 of '(<urn:x> '
    """
    text = value
    end = len(text)
    at = 0
    lists: list[IfList] = []
    tagged: bool | None = None
    resource: str | None = None
    pending = False  # a Resource-Tag still waiting for its first list
    while True:
        while at < end and text[at] in _LWS:
            at += 1
        if at == end:
            break
        char = text[at]
        if char == "<":
            if tagged is False:
                raise _error("a resource tag after untagged lists (the two forms do not mix)", text, at)
            if pending:
                raise _error("a resource tag needs a list after it", text, at)
            stop = text.find(">", at + 1)
            if stop < 0:
                raise _error("'<' is not closed with '>'", text, at)
            resource = text[at + 1 : stop]
            if not resource or _NOT_REF.search(resource):
                raise _error(f"the resource tag {clip(resource)!r} is not a URI", text, at)
            tagged, pending, at = True, True, stop + 1
        elif char == "(":
            if tagged is None:
                tagged = False
            conditions, at = _conditions(text, at + 1)
            lists.append(IfList(resource, conditions))
            pending = False
        elif char == "," and lists and not pending:  # (two If fields a WSGI server joined with ",")
            at += 1
        else:
            raise _error(f"expected '(' or '<', found {char!r}", text, at)
    if pending:
        raise _error("a resource tag needs a list after it", text, end)
    if not lists:
        raise ParseError("If header is empty; expected lists such as (<lock-token>)")
    return IfHeader(tuple(lists))


def _conditions(text: str, at: int) -> tuple[tuple[IfCondition, ...], int]:
    """The conditions of the list whose ``(`` ends before *at*, and the index after its ``)``."""
    end = len(text)
    out: list[IfCondition] = []
    while True:
        while at < end and text[at] in _LWS:
            at += 1
        if at == end:
            raise _error("a list is not closed with ')'", text, at)
        char = text[at]
        if char == ")":
            if not out:
                raise _error("a list holds no condition", text, at)
            return tuple(out), at + 1
        negated = False
        if text[at : at + 3].lower() == "not":
            negated, at = True, at + 3
            while at < end and text[at] in _LWS:
                at += 1
            if at == end:
                raise _error("a list is not closed with ')'", text, at)
            char = text[at]
            if char not in "<[":
                raise _error(f"expected a state token or an entity tag after 'Not', found {char!r}", text, at)
        if char == "<":
            stop = text.find(">", at + 1)
            if stop < 0:
                raise _error("'<' is not closed with '>'", text, at)
            token = text[at + 1 : stop]
            if not _is_uri(token):
                raise _error(f"the state token {clip(token)!r} is not an absolute URI", text, at)
            out.append(IfCondition("token", token, negated))
            at = stop + 1
        elif char == "[":
            stop = read_etag(text, at + 1, "If header")
            if stop >= end or text[stop] != "]":
                raise _error("an entity tag is not closed with ']'", text, stop)
            out.append(IfCondition("etag", text[at + 1 : stop], negated))
            at = stop + 1
        else:
            raise _error(f"expected a state token <...>, an entity tag [...], 'Not' or ')', found {char!r}", text, at)


def _error(message: str, text: str, at: int) -> ParseError:
    return ParseError(f"If header: {message} at character {at + 1} of {clip(text)!r}")
