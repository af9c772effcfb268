"""Extended MKCOL (RFC 5689) and MKCALENDAR (RFC 4791 §5.3.1) bodies, and their answers.

A body sets properties on the collection being made, a ``DAV:resourcetype``
among them; the answer lists each property's outcome in ``DAV:propstat``
elements, all or nothing, as PROPPATCH does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from .._collector import Results
from .._collector._item import Failure
from .._exceptions import UnsupportedMediaType
from .._http._reply import Reply, check_header_fields
from .._limits import DEFAULT_LIMITS, Limits
from .._model import Property
from .._names import PROP, SET, XML_LANG
from .._xml._content import ContentReader
from .._xml._parser import Source, parse_tree
from .._xml._writer import propstat_document
from ._conditions import CALDAV
from ._request import _is_empty, _property, unprocessable

__all__ = ["MkCol", "mkcol_reply", "parse_mkcalendar", "parse_mkcol"]

MKCOL = "{DAV:}mkcol"
MKCALENDAR = f"{{{CALDAV}}}mkcalendar"
RESOURCETYPE = "{DAV:}resourcetype"


@dataclass(frozen=True, slots=True)
class MkCol:
    """The properties an extended MKCOL or a MKCALENDAR sets on the new collection, in order.

    Attributes:
        method: ``"MKCOL"`` (RFC 5689 ``DAV:mkcol``) or ``"MKCALENDAR"`` (RFC 4791 ``CALDAV:mkcalendar``).
        props: the :class:`~multistatus.Property` values, kept losslessly (as PROPPATCH keeps them).

    Example:
        >>> from multistatus.webdav import parse_mkcol
        >>> body = (b'<D:mkcol xmlns:D="DAV:"><D:set><D:prop><D:resourcetype><D:collection/>'
        ...         b'<C:calendar xmlns:C="urn:ietf:params:xml:ns:caldav"/></D:resourcetype>'
        ...         b'<D:displayname>Work</D:displayname></D:prop></D:set></D:mkcol>')
        >>> request = parse_mkcol(body)
        >>> request.resourcetype, request.names
        (('{DAV:}collection', '{urn:ietf:params:xml:ns:caldav}calendar'), ('{DAV:}resourcetype', '{DAV:}displayname'))
    """

    method: Literal["MKCOL", "MKCALENDAR"]
    props: tuple[Property, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the properties set, in order without repeats."""
        return tuple(dict.fromkeys(p.name for p in self.props))

    @property
    def resourcetype(self) -> tuple[str, ...]:
        """The element names inside the ``DAV:resourcetype`` set, or ``()`` when none is set."""
        for prop in self.props:
            if prop.name == RESOURCETYPE and isinstance(prop.value, tuple):
                return tuple(e.tag for e in prop.value if not isinstance(e, str))
        return ()

    def __iter__(self) -> Iterator[Property]:
        return iter(self.props)


def _read(source: Source, limits: Limits, method: Literal["MKCOL", "MKCALENDAR"], root_tag: str) -> MkCol | None:
    empty, data = _is_empty(source, limits)
    if empty:
        return None
    root = parse_tree(data, limits)
    local = root_tag.rpartition("}")[2]
    if root.tag != root_tag:
        message = f"a {method} body must be a {local} element ({root_tag}), not {root.tag!s}"
        if method == "MKCOL":  # RFC 4918 §9.3: a body MKCOL does not understand is 415
            raise UnsupportedMediaType(message, line=root.sourceline)
        raise unprocessable(message, root)
    reader = ContentReader(limits)
    props: list[Property] = []
    root_lang = root.get(XML_LANG)
    sets = [el for el in root if el.tag == SET]
    if not sets:
        raise unprocessable(f"{local} needs a DAV:set element", root)
    if method == "MKCALENDAR" and len(sets) > 1:
        raise unprocessable("mkcalendar holds one DAV:set (RFC 4791 §9.3)", sets[1])
    for set_el in sets:
        lang = set_el.get(XML_LANG, root_lang)
        prop_els = [c for c in set_el if c.tag == PROP]
        if not prop_els:
            raise unprocessable("DAV:set needs a DAV:prop element", set_el)
        for prop_el in prop_els:
            prop_lang = prop_el.get(XML_LANG, lang)
            props.extend(_property(reader, el, prop_lang, "set") for el in prop_el if isinstance(el.tag, str))
    return MkCol(method, tuple(props))


def parse_mkcol(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> MkCol | None:
    """Read an extended MKCOL body (RFC 5689 §3); an empty body is a plain MKCOL and gives ``None``.

    Args:
        source: the body (bytes, str or a binary file).
        limits: the :class:`~multistatus.Limits`.

    Returns:
        The :class:`MkCol`, or ``None``.

    Raises:
        UnsupportedMediaType: a body that is not a ``DAV:mkcol`` (RFC 4918 §9.3, status hint 415).
        ParseError: malformed XML or a DTD (400); a ``DAV:mkcol`` without ``DAV:set``/``DAV:prop`` (422).
        LimitExceeded: over a limit (413).

    Example:
        >>> from multistatus.webdav import parse_mkcol
        >>> parse_mkcol(b"") is None
        True
    """
    return _read(source, limits, "MKCOL", MKCOL)


def parse_mkcalendar(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> MkCol | None:
    """Read a MKCALENDAR body (RFC 4791 §5.3.1, §9.3); an empty body gives ``None``.

    Raises:
        ParseError: malformed XML or a DTD (400); not a ``CALDAV:mkcalendar`` with
            one ``DAV:set`` (422).
        LimitExceeded: over a limit (413).

    Example:
        >>> from multistatus.webdav import parse_mkcalendar
        >>> body = (b'<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>'
        ...         b'<C:calendar-description xml:lang="en">Events</C:calendar-description></D:prop></D:set></C:mkcalendar>')
        >>> [(p.name, p.value, p.lang) for p in parse_mkcalendar(body)]
        [('{urn:ietf:params:xml:ns:caldav}calendar-description', 'Events', 'en')]
    """
    return _read(source, limits, "MKCALENDAR", MKCALENDAR)


def mkcol_reply(
    request: MkCol,
    failures: Mapping[str, Failure] | None = None,
    *,
    headers: Iterable[tuple[str, str]] = (),
) -> Reply:
    """The answer to an extended MKCOL or a MKCALENDAR: ``DAV:mkcol-response`` or ``CALDAV:mkcalendar-response``.

    All or nothing, as PROPPATCH (RFC 5689 §3, RFC 4791 §5.3.1): with no
    failure the collection was made with every property (201, one 200
    propstat); otherwise nothing was made, the failed properties carry their
    status (a ``403`` with :data:`VALID_RESOURCETYPE` for a resource type the
    server cannot make) and the others ``424 Failed Dependency``, and the
    answer's status is the first failure's (``424`` when every failure is ``424``).

    Args:
        request: the parsed :class:`MkCol`.
        failures: the properties that could not be set: a status, or ``(status, Error)``.
        headers: more header fields.

    Returns:
        The :class:`~multistatus.Reply` (``text/xml``).

    Raises:
        ValueError: a failure names a property the request did not set.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.webdav import VALID_RESOURCETYPE, mkcol_reply, parse_mkcol
        >>> body = (b'<D:mkcol xmlns:D="DAV:" xmlns:E="http://example.com/ns/"><D:set><D:prop>'
        ...         b'<D:resourcetype><D:collection/><E:special-resource/></D:resourcetype>'
        ...         b'<D:displayname>Special Resource</D:displayname></D:prop></D:set></D:mkcol>')
        >>> r = mkcol_reply(parse_mkcol(body), {"{DAV:}resourcetype": (403, ms.Error([VALID_RESOURCETYPE]))})
        >>> r.status, b"<D:valid-resourcetype/>" in r.body, b"424 Failed Dependency" in r.body
        (403, True, True)
    """
    response = Results().proppatch("/", request.names, failures)  # (the href is not written)
    root = MKCALENDAR + "-response" if request.method == "MKCALENDAR" else MKCOL + "-response"
    status = 201
    if failures:
        status = next((ps.status.code for ps in response.propstats if ps.status.code != 424), 424)
    fields = (("Content-Type", "text/xml; charset=utf-8"), *check_header_fields(headers))
    return Reply(status, fields, propstat_document(root, response.propstats))
