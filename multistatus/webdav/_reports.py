"""REPORT bodies (RFC 3253 §3.6) as values: sync-collection, the CalDAV and CardDAV multigets and queries.

Each reader takes the body, parses it with the library's one hardened parser
and gives a frozen value; :func:`parse_report` chooses the reader by the root
element, and hands a root the application reads itself (a REPORT of its own)
to its function as an :class:`~multistatus.Element`, read by the same parser
with the same limits.  A report nobody reads is :class:`~multistatus.ConditionFailed`
with ``DAV:supported-report`` (403).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .._exceptions import ConditionFailed
from .._limits import DEFAULT_LIMITS, Limits, depth_limit
from .._model import Element, Error, MultiStatus, Response, Status
from .._names import HREF, PROP
from .._xml._content import ContentReader, text_of
from .._xml._parser import Source, element_path, parse_tree
from ._conditions import CALDAV, CARDDAV, NUMBER_OF_MATCHES_WITHIN_LIMITS, SUPPORTED_REPORT
from ._filters import CompFilter, PropFilter, read_comp_filter, read_prop_filter
from ._request import PropFind, _is_empty, prop_request, unprocessable

if TYPE_CHECKING:
    from lxml.etree import _Element as LxmlElement

__all__ = [
    "AddressbookQuery",
    "CalendarQuery",
    "Multiget",
    "SyncCollection",
    "parse_addressbook_query",
    "parse_calendar_query",
    "parse_multiget",
    "parse_report",
    "parse_sync_collection",
    "sync_collection_response",
]

_D = "{DAV:}"
_C = f"{{{CALDAV}}}"
_CR = f"{{{CARDDAV}}}"
SYNC_COLLECTION = _D + "sync-collection"
CALENDAR_MULTIGET = _C + "calendar-multiget"
CALENDAR_QUERY = _C + "calendar-query"
ADDRESSBOOK_MULTIGET = _CR + "addressbook-multiget"
ADDRESSBOOK_QUERY = _CR + "addressbook-query"
_NOTHING = PropFind("prop", ())


@dataclass(frozen=True, slots=True)
class SyncCollection:
    """A ``DAV:sync-collection`` REPORT (RFC 6578 §3.2, §6.1).

    Attributes:
        token: the ``DAV:sync-token`` the client holds, ``None`` for an initial
            sync (an empty element); answer one the server does not know with
            403 and :data:`VALID_SYNC_TOKEN`.
        level: ``"1"`` (the members) or ``"infinite"`` (every descendant).
        limit: the ``DAV:limit``/``DAV:nresults`` the client asks for, or ``None``.
        prop: the properties to report for each changed member (a :class:`PropFind`).

    Example:
        >>> from multistatus.webdav import parse_sync_collection
        >>> body = (b'<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level>'
        ...         b'<D:prop><D:getetag/></D:prop></D:sync-collection>')
        >>> parse_sync_collection(body)
        SyncCollection(token=None, level='1', limit=None, prop=PropFind(kind='prop', names=('{DAV:}getetag',)))
    """

    token: str | None
    level: Literal["1", "infinite"] = "1"
    limit: int | None = None
    prop: PropFind = _NOTHING


@dataclass(frozen=True, slots=True)
class Multiget:
    """A ``CALDAV:calendar-multiget`` (RFC 4791 §7.9) or ``CARDDAV:addressbook-multiget`` (RFC 6352 §8.7).

    Attributes:
        report: the root's Clark name (which of the two).
        hrefs: the resources asked for, in order, as sent.
        prop: the properties to report for each.
        data: the ``CALDAV:calendar-data`` or ``CARDDAV:address-data`` element
            inside ``DAV:prop``, with its children (``comp``, ``expand``,
            ``prop`` ...) and attributes as sent, or ``None``.

    Example:
        >>> from multistatus.webdav import parse_multiget
        >>> body = (b'<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        ...         b'<D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>/cal/a.ics</D:href></C:calendar-multiget>')
        >>> m = parse_multiget(body)
        >>> m.hrefs, m.prop.names[1], m.data.tag
        (('/cal/a.ics',), '{urn:ietf:params:xml:ns:caldav}calendar-data', '{urn:ietf:params:xml:ns:caldav}calendar-data')
    """

    report: str
    hrefs: tuple[str, ...]
    prop: PropFind = _NOTHING
    data: Element | None = None


@dataclass(frozen=True, slots=True)
class CalendarQuery:
    """A ``CALDAV:calendar-query`` REPORT (RFC 4791 §7.8, §9.5).

    Attributes:
        filter: the ``CALDAV:filter``'s one :class:`CompFilter` (``VCALENDAR``).
        prop: the properties to report for each match.
        data: the ``CALDAV:calendar-data`` element asked for, or ``None``.
        timezone: the ``CALDAV:timezone`` text (an iCalendar ``VTIMEZONE``), or ``None``.

    Example:
        >>> from multistatus.webdav import parse_calendar_query
        >>> body = (b'<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>'
        ...         b'<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"/></C:comp-filter></C:filter>'
        ...         b'</C:calendar-query>')
        >>> [c.name for c in parse_calendar_query(body).filter.comp_filters]
        ['VTODO']
    """

    filter: CompFilter
    prop: PropFind = _NOTHING
    data: Element | None = None
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class AddressbookQuery:
    """A ``CARDDAV:addressbook-query`` REPORT (RFC 6352 §8.6, §10.3).

    Attributes:
        filters: the ``CARDDAV:filter``'s :class:`PropFilter` values (none: every card matches).
        test: how they combine: ``"anyof"`` (the default) or ``"allof"``.
        limit: the ``CARDDAV:limit``/``CARDDAV:nresults``, or ``None``; answer
            more matches with 507 and :data:`NUMBER_OF_MATCHES_WITHIN_LIMITS`.
        prop: the properties to report for each match.
        data: the ``CARDDAV:address-data`` element asked for, or ``None``.

    Example:
        >>> from multistatus.webdav import parse_addressbook_query
        >>> body = (b'<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">'
        ...         b'<D:prop><D:getetag/></D:prop><C:filter test="allof"><C:prop-filter name="FN"/></C:filter>'
        ...         b'<C:limit><C:nresults>10</C:nresults></C:limit></C:addressbook-query>')
        >>> q = parse_addressbook_query(body)
        >>> q.test, [f.name for f in q.filters], q.limit
        ('allof', ['FN'], 10)
    """

    filters: tuple[PropFilter, ...] = ()
    test: Literal["anyof", "allof"] = "anyof"
    limit: int | None = None
    prop: PropFind = _NOTHING
    data: Element | None = None


def _root(source: Source, limits: Limits, expected: tuple[str, ...], what: str) -> LxmlElement:
    empty, data = _is_empty(source, limits)
    if empty:
        raise unprocessable(f"the REPORT body is empty; expected {what}")
    root = parse_tree(data, limits)
    if root.tag not in expected:
        raise unprocessable(f"the body must be {what}, not {root.tag!s}", root)
    return root


def _prop_and_data(root: LxmlElement, limits: Limits, data_tag: str) -> tuple[PropFind, Element | None]:
    prop = prop_request(root) or _NOTHING
    for child in root:
        if child.tag == PROP:
            for el in child:
                if el.tag == data_tag:
                    return prop, ContentReader(limits).element(el, 3)
    return prop, None


def _positive(el: LxmlElement, what: str) -> int:
    text = text_of(el).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9 or int(text) < 1:
        raise unprocessable(f"{what} must be a positive integer, not {text[:40]!r}", el)
    return int(text)


def _limit(root: LxmlElement, ns: str) -> int | None:
    for child in root:
        if child.tag == f"{{{ns}}}limit":
            for el in child:
                if el.tag == f"{{{ns}}}nresults":
                    return _positive(el, "nresults")
            raise unprocessable("limit needs an nresults element", child)
    return None


def parse_sync_collection(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> SyncCollection:
    """Read a ``DAV:sync-collection`` REPORT body (RFC 6578 §3.2).

    An empty ``DAV:sync-token`` is an initial sync (``token`` ``None``).  A
    missing ``DAV:sync-level`` is read as ``1`` (clients written before RFC
    6578 leave it out); a missing ``DAV:prop`` asks for no property.

    Raises:
        ParseError: malformed XML or a DTD (400); not a ``DAV:sync-collection``
            with a ``DAV:sync-token``, or a bad level or limit (422).
        LimitExceeded: over a limit (413).

    Example:
        >>> from multistatus.webdav import parse_sync_collection
        >>> body = (b'<D:sync-collection xmlns:D="DAV:"><D:sync-token>http://example.com/ns/sync/1234</D:sync-token>'
        ...         b'<D:sync-level>infinite</D:sync-level><D:limit><D:nresults>100</D:nresults></D:limit>'
        ...         b'<D:prop><D:getetag/></D:prop></D:sync-collection>')
        >>> r = parse_sync_collection(body)
        >>> r.token, r.level, r.limit
        ('http://example.com/ns/sync/1234', 'infinite', 100)
    """
    root = _root(source, limits, (SYNC_COLLECTION,), "a DAV:sync-collection element")
    return _sync_collection(root)


def _sync_collection(root: LxmlElement) -> SyncCollection:
    token: str | None = None
    seen_token = False
    level: Literal["1", "infinite"] = "1"
    for child in root:
        if child.tag == _D + "sync-token":
            token = text_of(child).strip() or None
            seen_token = True
        elif child.tag == _D + "sync-level":
            text = text_of(child).strip().lower()
            if text not in ("1", "infinite", "infinity"):
                raise unprocessable(f"DAV:sync-level must be 1 or infinite, not {text[:40]!r}", child)
            level = "1" if text == "1" else "infinite"
    if not seen_token:
        raise unprocessable("DAV:sync-collection needs a DAV:sync-token (empty for an initial sync)", root)
    return SyncCollection(token, level, _limit(root, "DAV:"), prop_request(root) or _NOTHING)


def parse_multiget(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Multiget:
    """Read a ``CALDAV:calendar-multiget`` or ``CARDDAV:addressbook-multiget`` body.

    Raises:
        ParseError: malformed XML or a DTD (400); another root, or no ``DAV:href`` (422).
        LimitExceeded: over a limit (413).

    Example:
        >>> from multistatus.webdav import parse_multiget
        >>> body = (b'<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">'
        ...         b'<D:prop><C:address-data><C:prop name="FN"/></C:address-data></D:prop>'
        ...         b'<D:href>/ab/1.vcf</D:href><D:href>/ab/2.vcf</D:href></C:addressbook-multiget>')
        >>> m = parse_multiget(body)
        >>> m.hrefs, m.data.elements[0].attributes["{}name"]
        (('/ab/1.vcf', '/ab/2.vcf'), 'FN')
    """
    root = _root(
        source, limits, (CALENDAR_MULTIGET, ADDRESSBOOK_MULTIGET), "a calendar-multiget or addressbook-multiget"
    )
    return _multiget(root, limits)


def _multiget(root: LxmlElement, limits: Limits) -> Multiget:
    report = str(root.tag)
    data_tag = _C + "calendar-data" if report == CALENDAR_MULTIGET else _CR + "address-data"
    hrefs = tuple(text_of(c).strip() for c in root if c.tag == HREF)
    if not hrefs or not all(hrefs):
        raise unprocessable(f"{report.rpartition('}')[2]} needs DAV:href elements naming resources", root)
    prop, data = _prop_and_data(root, limits, data_tag)
    return Multiget(report, hrefs, prop, data)


def parse_calendar_query(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> CalendarQuery:
    """Read a ``CALDAV:calendar-query`` body (RFC 4791 §7.8).

    Raises:
        ParseError: malformed XML or a DTD (400); not a ``calendar-query`` with
            a ``CALDAV:filter`` holding one ``comp-filter``, or a filter without
            a ``name`` (422).
        ConditionFailed: a ``time-range`` that is not UTC date-times (403, ``CALDAV:valid-filter``).
        LimitExceeded: over a limit, the filter's nesting included (413).

    Example:
        >>> from multistatus.webdav import parse_calendar_query
        >>> body = (b'<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:filter><C:comp-filter name="VCALENDAR">'
        ...         b'<C:comp-filter name="VEVENT"><C:prop-filter name="UID"><C:text-match collation="i;octet">abc</C:text-match>'
        ...         b'</C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>')
        >>> parse_calendar_query(body).filter.comp_filters[0].prop_filters[0].text_matches
        (TextMatch(text='abc', collation='i;octet', negate=False, match_type='contains'),)
    """
    root = _root(source, limits, (CALENDAR_QUERY,), "a CALDAV:calendar-query element")
    return _calendar_query(root, limits)


def _calendar_query(root: LxmlElement, limits: Limits) -> CalendarQuery:
    filters = [c for c in root if c.tag == _C + "filter"]
    if len(filters) != 1:
        raise unprocessable("CALDAV:calendar-query needs one CALDAV:filter", root)
    comps = [c for c in filters[0] if c.tag == _C + "comp-filter"]
    if len(comps) != 1:
        raise unprocessable("CALDAV:filter holds one CALDAV:comp-filter (VCALENDAR)", filters[0])
    comp = read_comp_filter(comps[0], depth_limit(limits))
    timezone = next((text_of(c) for c in root if c.tag == _C + "timezone"), None)
    prop, data = _prop_and_data(root, limits, _C + "calendar-data")
    return CalendarQuery(comp, prop, data, timezone)


def parse_addressbook_query(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> AddressbookQuery:
    """Read a ``CARDDAV:addressbook-query`` body (RFC 6352 §8.6).

    Raises:
        ParseError: malformed XML or a DTD (400); not an ``addressbook-query``
            with a ``CARDDAV:filter``, a bad ``test``, or a bad ``nresults`` (422).
        ConditionFailed: an unknown ``match-type`` (403, ``CARDDAV:supported-filter``).
        LimitExceeded: over a limit (413).

    Example:
        >>> from multistatus.webdav import parse_addressbook_query
        >>> body = (b'<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><C:filter>'
        ...         b'<C:prop-filter name="NICKNAME"><C:text-match match-type="equals">me</C:text-match></C:prop-filter>'
        ...         b'</C:filter></C:addressbook-query>')
        >>> parse_addressbook_query(body).filters[0].text_matches[0]
        TextMatch(text='me', collation='i;unicode-casemap', negate=False, match_type='equals')
    """
    root = _root(source, limits, (ADDRESSBOOK_QUERY,), "a CARDDAV:addressbook-query element")
    return _addressbook_query(root, limits)


def _addressbook_query(root: LxmlElement, limits: Limits) -> AddressbookQuery:
    filters = [c for c in root if c.tag == _CR + "filter"]
    if len(filters) != 1:
        raise unprocessable("CARDDAV:addressbook-query needs one CARDDAV:filter", root)
    test = filters[0].get("test", "anyof")
    if test not in ("anyof", "allof"):
        raise unprocessable(f"CARDDAV:filter test must be anyof or allof, not {test[:40]!r}", filters[0])
    props = tuple(read_prop_filter(c, CARDDAV) for c in filters[0] if c.tag == _CR + "prop-filter")
    prop, data = _prop_and_data(root, limits, _CR + "address-data")
    return AddressbookQuery(props, test, _limit(root, CARDDAV), prop, data)  # type: ignore[arg-type]


#: The REPORT readers of this module by root element.
_READERS: dict[str, Callable[[LxmlElement, Limits], object]] = {
    SYNC_COLLECTION: lambda root, limits: _sync_collection(root),
    CALENDAR_MULTIGET: _multiget,
    ADDRESSBOOK_MULTIGET: _multiget,
    CALENDAR_QUERY: _calendar_query,
    ADDRESSBOOK_QUERY: _addressbook_query,
}


def parse_report(
    source: Source,
    *,
    limits: Limits = DEFAULT_LIMITS,
    extensions: Mapping[str, Callable[[Element], object]] | None = None,
) -> object:
    """Read any REPORT body: the reader is chosen by the root element.

    ``DAV:sync-collection``, ``CALDAV:calendar-multiget``,
    ``CALDAV:calendar-query``, ``CARDDAV:addressbook-multiget`` and
    ``CARDDAV:addressbook-query`` give their values; a root named in
    *extensions* is read into an :class:`~multistatus.Element` (as
    :func:`parse_body` reads it) and given to its function, whose result is
    returned.  An extension may also take over one of the built-in names.

    Args:
        source: the body (bytes, str or a binary file).
        limits: the :class:`~multistatus.Limits`.
        extensions: Clark name of a root element to the function that reads it.

    Returns:
        A :class:`SyncCollection`, :class:`Multiget`, :class:`CalendarQuery`,
        :class:`AddressbookQuery`, or what an extension returned.

    Raises:
        ConditionFailed: a root no reader takes (403, ``DAV:supported-report``).
        ParseError: an empty body, malformed XML or a DTD (400); a body its reader refuses (422).
        LimitExceeded: over a limit (413).

    Example:
        >>> from multistatus.webdav import parse_report
        >>> body = b'<X:top-ten xmlns:X="urn:example"><X:by>size</X:by></X:top-ten>'
        >>> parse_report(body, extensions={"{urn:example}top-ten": lambda el: el.find("{urn:example}by").text})
        'size'
        >>> type(parse_report(b'<D:sync-collection xmlns:D="DAV:"><D:sync-token/></D:sync-collection>')).__name__
        'SyncCollection'
    """
    empty, data = _is_empty(source, limits)
    if empty:
        raise unprocessable("the REPORT body is empty; expected a report element")
    root = parse_tree(data, limits)
    tag = str(root.tag)
    if extensions and tag in extensions:
        return extensions[tag](ContentReader(limits).element(root, 1))
    reader = _READERS.get(tag)
    if reader is None:
        raise ConditionFailed(
            f"the REPORT {tag} is not supported here", SUPPORTED_REPORT, line=root.sourceline, path=element_path(root)
        )
    return reader(root, limits)


def sync_collection_response(
    token: str,
    changed: Iterable[Response] = (),
    removed: Iterable[str] = (),
    *,
    truncated: str | None = None,
) -> MultiStatus:
    """The 207 answer to a ``DAV:sync-collection`` (RFC 6578 §3.5, §3.6): changes, removals, the new token.

    Args:
        token: the new ``DAV:sync-token`` (a URI), for the client's next request.
        changed: a :class:`~multistatus.Response` per member changed or added
            since the client's token (its properties, as :func:`propfind_response` makes them).
        removed: the hrefs of members removed since then (each a ``404`` response).
        truncated: the Request-URI when the changes did not all fit the
            client's ``limit`` or the server's: it gets a ``507`` response with
            :data:`NUMBER_OF_MATCHES_WITHIN_LIMITS` (§3.6), and *token* must be
            the one that resumes after the last change listed.

    Returns:
        The :class:`~multistatus.MultiStatus` (serialize it with ``reply``/``respond``).

    Example:
        >>> import multistatus as ms
        >>> from multistatus.webdav import sync_collection_response
        >>> doc = sync_collection_response("http://example.com/ns/sync/1238",
        ...     [ms.Response("/home/test.doc", propstats=[ms.PropStat({"{DAV:}getetag": '"00001-abcd1"'}, 200)])],
        ...     ["/home/removed.doc"])
        >>> [(r.href, r.code) for r in doc], doc.sync_token
        ([('/home/test.doc', 200), ('/home/removed.doc', 404)], 'http://example.com/ns/sync/1238')
    """
    responses = list(changed)
    responses.extend(Response(href, status=404) for href in removed)
    if truncated is not None:
        error = Error([NUMBER_OF_MATCHES_WITHIN_LIMITS])
        responses.append(Response(truncated, status=Status(507), error=error))
    return MultiStatus(responses, sync_token=token)
