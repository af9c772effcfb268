"""CalDAV and CardDAV query filters as values (RFC 4791 §9.7, RFC 6352 §10.5).

``CALDAV:filter`` is one tree of :class:`CompFilter` (``VCALENDAR`` at its
root); ``CARDDAV:filter`` is a list of :class:`PropFilter` joined by ``anyof``
or ``allof``.  Both share :class:`PropFilter`, :class:`ParamFilter`,
:class:`TextMatch` and (CalDAV) :class:`TimeRange`.  The readers walk the
parsed tree once; nesting is bounded by the document's depth limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Literal

from .._exceptions import ConditionFailed, LimitExceeded
from .._xml._content import text_of
from .._xml._parser import element_path
from ._conditions import CALDAV, CARDDAV, CARDDAV_SUPPORTED_FILTER, VALID_FILTER
from ._request import unprocessable

if TYPE_CHECKING:
    from lxml.etree import _Element as LxmlElement

__all__ = ["CompFilter", "ParamFilter", "PropFilter", "TextMatch", "TimeRange", "read_comp_filter", "read_prop_filter"]

MatchType = Literal["equals", "contains", "starts-with", "ends-with"]
_MATCH_TYPES: tuple[MatchType, ...] = ("equals", "contains", "starts-with", "ends-with")


@dataclass(frozen=True, slots=True)
class TimeRange:
    """``CALDAV:time-range`` (RFC 4791 §9.9): UTC bounds, either one open.

    Attributes:
        start: the start (aware, UTC), or ``None`` for the beginning of time.
        end: the end (aware, UTC), or ``None`` for the end of time.

    Example:
        >>> from multistatus.webdav import parse_calendar_query
        >>> body = (b'<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:filter><C:comp-filter name="VCALENDAR">'
        ...         b'<C:comp-filter name="VEVENT"><C:time-range start="20060104T000000Z"/></C:comp-filter>'
        ...         b'</C:comp-filter></C:filter></C:calendar-query>')
        >>> parse_calendar_query(body).filter.comp_filters[0].time_range
        TimeRange(start=datetime.datetime(2006, 1, 4, 0, 0, tzinfo=datetime.timezone.utc), end=None)
    """

    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True, slots=True)
class TextMatch:
    """``text-match`` (RFC 4791 §9.7.5, RFC 6352 §10.5.4): a substring test on a value.

    Attributes:
        text: the text to look for.
        collation: ``i;ascii-casemap`` (CalDAV's default), ``i;unicode-casemap``
            (CardDAV's default) or ``i;octet``; answer another with 403 and
            :data:`CALDAV_SUPPORTED_COLLATION` / :data:`CARDDAV_SUPPORTED_COLLATION`.
        negate: ``negate-condition="yes"``: the match is inverted.
        match_type: ``equals``, ``contains``, ``starts-with`` or ``ends-with``
            (CardDAV; CalDAV's is always ``contains``).

    Example:
        >>> from multistatus.webdav import TextMatch
        >>> TextMatch("daboo", "i;unicode-casemap", match_type="equals").match_type
        'equals'
    """

    text: str
    collation: str = "i;ascii-casemap"
    negate: bool = False
    match_type: MatchType = "contains"


@dataclass(frozen=True, slots=True)
class ParamFilter:
    """``param-filter`` (RFC 4791 §9.7.3, RFC 6352 §10.5.2): a test on a property parameter.

    Attributes:
        name: the parameter name (``PARTSTAT``, ``TYPE``).
        is_not_defined: the parameter must be absent.
        text_match: the test on its value, or ``None`` (it must only be present).

    Example:
        >>> from multistatus.webdav import ParamFilter
        >>> ParamFilter("TYPE").is_not_defined
        False
    """

    name: str
    is_not_defined: bool = False
    text_match: TextMatch | None = None


@dataclass(frozen=True, slots=True)
class PropFilter:
    """``prop-filter`` (RFC 4791 §9.7.2, RFC 6352 §10.5.1): a test on a property of a component or vCard.

    Attributes:
        name: the property name (``UID``, ``ATTENDEE``, ``FN``, ``EMAIL``).
        is_not_defined: the property must be absent.
        time_range: a time range its value must overlap (CalDAV), or ``None``.
        text_matches: the text tests (CalDAV: at most one; CardDAV: any number).
        param_filters: the parameter tests.
        test: how the tests combine (CardDAV's ``test``: ``anyof`` or
            ``allof``; CalDAV's are always ``allof``).

    Example:
        >>> from multistatus.webdav import PropFilter, TextMatch
        >>> PropFilter("UID", text_matches=(TextMatch("abc", "i;octet"),)).text_matches[0].collation
        'i;octet'
    """

    name: str
    is_not_defined: bool = False
    time_range: TimeRange | None = None
    text_matches: tuple[TextMatch, ...] = ()
    param_filters: tuple[ParamFilter, ...] = ()
    test: Literal["anyof", "allof"] = "allof"


@dataclass(frozen=True, slots=True)
class CompFilter:
    """``CALDAV:comp-filter`` (RFC 4791 §9.7.1): a test on a calendar component and what it holds.

    Attributes:
        name: the component name (``VCALENDAR``, ``VEVENT``, ``VTODO``, ``VALARM``).
        is_not_defined: the component must be absent.
        time_range: a time range the component must overlap, or ``None``.
        prop_filters: tests on its properties (all must hold).
        comp_filters: tests on its sub-components (all must hold).

    Example:
        >>> from multistatus.webdav import CompFilter
        >>> CompFilter("VCALENDAR", comp_filters=(CompFilter("VTODO"),)).comp_filters[0].name
        'VTODO'
    """

    name: str
    is_not_defined: bool = False
    time_range: TimeRange | None = None
    prop_filters: tuple[PropFilter, ...] = ()
    comp_filters: tuple[CompFilter, ...] = ()


def _local(el: LxmlElement) -> str:
    return str(el.tag).rpartition("}")[2]


def _children(el: LxmlElement, ns: str) -> list[LxmlElement]:
    """The child elements of *el* in namespace *ns* (others are extensions, ignored: RFC 4918 §17)."""
    prefix = f"{{{ns}}}"
    return [c for c in el if isinstance(c.tag, str) and c.tag.startswith(prefix)]


def _name(el: LxmlElement) -> str:
    name = el.get("name")
    if not name:
        raise unprocessable(f"{_local(el)} needs a name attribute", el)
    return name


def _utc(value: str | None, el: LxmlElement, what: str) -> datetime | None:
    if value is None:
        return None
    try:
        if len(value) != 16 or value[8] != "T" or value[15] != "Z":
            raise ValueError(value)
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        raise ConditionFailed(
            f"time-range {what} must be a UTC date-time such as 20060104T000000Z, not {value[:40]!r}",
            VALID_FILTER,
            line=el.sourceline,
            path=element_path(el),
        ) from None


def _time_range(el: LxmlElement) -> TimeRange:
    start = _utc(el.get("start"), el, "start")
    end = _utc(el.get("end"), el, "end")
    if start is None and end is None:
        raise ConditionFailed(
            "time-range needs a start or an end (RFC 4791 §9.9)",
            VALID_FILTER,
            line=el.sourceline,
            path=element_path(el),
        )
    if start is not None and end is not None and end <= start:
        raise ConditionFailed(
            "time-range ends before it starts", VALID_FILTER, line=el.sourceline, path=element_path(el)
        )
    return TimeRange(start, end)


def _text_match(el: LxmlElement, ns: str) -> TextMatch:
    negate = el.get("negate-condition", "no")
    if negate not in ("yes", "no"):
        raise unprocessable(f"negate-condition must be yes or no, not {negate[:40]!r}", el)
    default = "i;unicode-casemap" if ns == CARDDAV else "i;ascii-casemap"
    match_type: str = "contains"
    if ns == CARDDAV:
        match_type = el.get("match-type", "contains")
        if match_type not in _MATCH_TYPES:
            raise ConditionFailed(
                f"match-type must be one of {', '.join(_MATCH_TYPES)}, not {match_type[:40]!r}",
                CARDDAV_SUPPORTED_FILTER,
                line=el.sourceline,
                path=element_path(el),
            )
    return TextMatch(text_of(el), el.get("collation", default), negate == "yes", match_type)  # type: ignore[arg-type]


def _param_filter(el: LxmlElement, ns: str) -> ParamFilter:
    name = _name(el)
    is_not_defined, text_match = False, None
    for child in _children(el, ns):
        local = _local(child)
        if local == "is-not-defined":
            is_not_defined = True
        elif local == "text-match":
            text_match = _text_match(child, ns)
    return ParamFilter(name, is_not_defined, text_match)


def read_prop_filter(el: LxmlElement, ns: str) -> PropFilter:
    """A ``prop-filter`` element of namespace *ns* (CalDAV's or CardDAV's) as a :class:`PropFilter`."""
    name = _name(el)
    test = el.get("test", "anyof") if ns == CARDDAV else "allof"
    if test not in ("anyof", "allof"):
        raise unprocessable(f"prop-filter test must be anyof or allof, not {test[:40]!r}", el)
    is_not_defined, time_range = False, None
    texts: list[TextMatch] = []
    params: list[ParamFilter] = []
    for child in _children(el, ns):
        local = _local(child)
        if local == "is-not-defined":
            is_not_defined = True
        elif local == "time-range" and ns == CALDAV:
            time_range = _time_range(child)
        elif local == "text-match":
            texts.append(_text_match(child, ns))
        elif local == "param-filter":
            params.append(_param_filter(child, ns))
    if ns == CALDAV and len(texts) > 1:
        raise unprocessable("a CALDAV:prop-filter holds at most one text-match (RFC 4791 §9.7.2)", el)
    return PropFilter(name, is_not_defined, time_range, tuple(texts), tuple(params), test)  # type: ignore[arg-type]


def read_comp_filter(el: LxmlElement, max_depth: int, depth: int = 1) -> CompFilter:
    """A ``CALDAV:comp-filter`` element as a :class:`CompFilter`, its nesting bounded by *max_depth*."""
    if depth > max_depth:
        raise LimitExceeded(f"comp-filter elements nested deeper than {max_depth} levels", line=el.sourceline)
    name = _name(el)
    is_not_defined, time_range = False, None
    props: list[PropFilter] = []
    comps: list[CompFilter] = []
    for child in _children(el, CALDAV):
        local = _local(child)
        if local == "is-not-defined":
            is_not_defined = True
        elif local == "time-range":
            time_range = _time_range(child)
        elif local == "prop-filter":
            props.append(read_prop_filter(child, CALDAV))
        elif local == "comp-filter":
            comps.append(read_comp_filter(child, max_depth, depth + 1))
    return CompFilter(name, is_not_defined, time_range, tuple(props), tuple(comps))
