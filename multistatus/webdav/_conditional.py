"""Conditional requests, sans-I/O: RFC 9110 §13 and the WebDAV ``If`` header in one evaluation.

:func:`evaluate_conditions` takes the method, the request's header fields and
the target's :class:`~multistatus.webdav.ResourceState`, and says whether to
go ahead, or answer 412 (Precondition Failed) or 304 (Not Modified), in the
order RFC 9110 §13.2.2 gives.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

from ._etags import parse_etag_list, strong_match, weak_match
from ._if import ResourceState, parse_if

__all__ = ["Evaluation", "evaluate_conditions", "parse_http_date"]

_FIELDS = ("if", "if-match", "if-none-match", "if-unmodified-since", "if-modified-since")
#: Methods that select no representation: RFC 9110 §13.2.1 has their conditional fields ignored.
_UNCONDITIONAL = frozenset(("CONNECT", "OPTIONS", "TRACE"))
Headers = Mapping[str, str] | Iterable[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What the conditional header fields of a request decide.

    Attributes:
        status: ``None`` to go ahead, ``412`` (Precondition Failed) or ``304`` (Not Modified).
        field: the header field that decided a 412 or 304 (``"If-Match"``, ``"If"``, ...), else ``None``.
        tokens: the state tokens the ``If`` header submitted (RFC 4918 §10.4.1),
            whatever it evaluated to: the lock tokens the request holds.

    Example:
        >>> from multistatus.webdav import ResourceState, evaluate_conditions
        >>> e = evaluate_conditions("PUT", {"If-None-Match": "*"}, ResourceState(etag='"1"'))
        >>> e.status, e.field, e.proceed
        (412, 'If-None-Match', False)
    """

    status: Literal[304, 412] | None = None
    field: str | None = None
    tokens: tuple[str, ...] = ()

    @property
    def proceed(self) -> bool:
        """Whether the request may go ahead (no 412, no 304)."""
        return self.status is None


def _fields(headers: Headers) -> dict[str, str]:
    """The conditional fields of *headers*, keyed in lower case; repeated fields joined (RFC 9110 §5.3)."""
    pairs = headers.items() if hasattr(headers, "items") else headers
    found: dict[str, list[str]] = {}
    for name, value in pairs:
        key = name.lower()
        if key in _FIELDS:
            found.setdefault(key, []).append(value)
    return {key: (" " if key == "if" else ", ").join(values) for key, values in found.items()}


def parse_http_date(value: str | None) -> int | None:
    """An HTTP-date (RFC 9110 §5.6.7, all three forms) as POSIX seconds, or ``None`` when it is not one.

    Exactly one of ``Sun, 06 Nov 1994 08:49:37 GMT`` (IMF-fixdate),
    ``Sunday, 06-Nov-94 08:49:37 GMT`` (its two-digit year read as the most
    recent such year that is not more than 50 years ahead) and
    ``Sun Nov  6 08:49:37 1994`` (asctime), names in their case, a real date
    and time of day.  RFC 9110 §13.1.3 and §13.1.4 have a recipient ignore an
    ``If-Modified-Since`` or ``If-Unmodified-Since`` that is not a valid date,
    a list of dates included, so anything else is ``None``, not an error.

    Example:
        >>> from multistatus.webdav import parse_http_date
        >>> parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), parse_http_date("Sun Nov  6 08:49:37 1994")
        (784111777, 784111777)
        >>> parse_http_date("yesterday") is None, parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT")
        (True, None)
    """
    if value is None or len(value) > 40:
        return None
    match = _IMF_FIXDATE.fullmatch(value) or _RFC850_DATE.fullmatch(value) or _ASCTIME_DATE.fullmatch(value)
    if match is None:
        return None
    year = int(match["year"])
    if len(match["year"]) == 2:  # (RFC 9110 §5.6.7: not more than 50 years ahead)
        now = time.gmtime().tm_year
        year += now - now % 100
        if year > now + 50:
            year -= 100
    try:
        moment = datetime(
            year,
            _MONTHS.index(match["month"]) + 1,
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            min(int(match["second"]), 59),
            tzinfo=timezone.utc,
        )
    except ValueError:  # (February 31st, hour 25)
        return None
    return int(moment.timestamp())


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = "(?P<month>" + "|".join(_MONTHS) + ")"
_TIME = "(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-5][0-9]|60)"
_IMF_FIXDATE = re.compile(
    rf"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?P<day>[0-9]{{2}}) {_MONTH} (?P<year>[0-9]{{4}}) {_TIME} GMT"
)
_RFC850_DATE = re.compile(
    rf"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), "
    rf"(?P<day>[0-9]{{2}})-{_MONTH}-(?P<year>[0-9]{{2}}) {_TIME} GMT"
)
_ASCTIME_DATE = re.compile(
    rf"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) {_MONTH} (?P<day>[0-9]{{2}}| [0-9]) {_TIME} (?P<year>[0-9]{{4}})"
)


def evaluate_conditions(
    method: str,
    headers: Headers,
    state: ResourceState,
    *,
    lookup: Callable[[str], ResourceState | None] | None = None,
) -> Evaluation:
    """Evaluate ``If``, ``If-Match``, ``If-Unmodified-Since``, ``If-None-Match`` and ``If-Modified-Since``.

    The order is RFC 9110 §13.2.2's, with WebDAV's ``If`` header (RFC 4918
    §10.4) first, since it fails with 412 whatever the method:

    1. ``If``: 412 unless one of its lists holds (state tokens against
       ``state.lock_tokens``, entity tags compared weakly; *lookup* gives the
       state of tagged resources, see :meth:`IfHeader.evaluate`).
    2. ``If-Match``: 412 unless ``*`` and the resource exists, or one tag
       matches the current one by strong comparison (a weak current tag never does).
    3. otherwise ``If-Unmodified-Since``: 412 when modified after that date.
    4. ``If-None-Match``: when ``*`` and the resource exists, or one tag matches
       by weak comparison: 304 for GET and HEAD, 412 for any other method.
    5. otherwise, for GET and HEAD, ``If-Modified-Since``: 304 when not modified since.

    Dates that are not HTTP-dates are ignored (RFC 9110 §13.1.3, §13.1.4), as
    are the date fields of a resource without a modification time.  RFC 9110
    §13.2.1: CONNECT, OPTIONS and TRACE ignore the HTTP fields.  Evaluate after
    the checks that answer without conditions (authorization, 404 for a GET of
    nothing): §13.2.1 has the conditions decide only an answer that would
    otherwise succeed.

    Args:
        method: the request method.
        headers: the request's header fields: a mapping (any case) or ``(name, value)`` pairs.
        state: the target resource's :class:`ResourceState` (``exists=False`` for an unmapped URL).
        lookup: for ``If`` headers with tagged lists, the state of a resource by
            tag (``None`` when unmapped).

    Returns:
        The :class:`Evaluation`: ``status`` ``None``, 412 or 304, and the submitted tokens.

    Raises:
        ParseError: a malformed ``If``, ``If-Match`` or ``If-None-Match`` (status hint 400).

    Example:
        >>> from multistatus.webdav import ResourceState, evaluate_conditions
        >>> state = ResourceState(etag='"v2"', last_modified=784111777)
        >>> evaluate_conditions("DELETE", {"If-Match": '"v1"'}, state).status
        412
        >>> evaluate_conditions("GET", {"If-None-Match": 'W/"v2"'}, state).status
        304
        >>> evaluate_conditions("PUT", {"if-match": '"v1", "v2"'}, state).proceed
        True
    """
    fields = _fields(headers)
    if not fields:
        return _PROCEED
    tokens: tuple[str, ...] = ()
    value = fields.get("if")
    if value is not None:
        header = parse_if(value)
        tokens = header.tokens
        if not header.evaluate(state, lookup):
            return Evaluation(412, "If", tokens)
    verb = method.upper()
    if verb in _UNCONDITIONAL:
        return Evaluation(None, None, tokens)
    value = fields.get("if-match")
    if value is not None:
        tags = parse_etag_list(value, "If-Match")
        if not (state.exists if tags is None else any(strong_match(t, state.etag) for t in tags)):
            return Evaluation(412, "If-Match", tokens)
    elif _modified_since(fields.get("if-unmodified-since"), state) is True:
        return Evaluation(412, "If-Unmodified-Since", tokens)
    safe = verb in ("GET", "HEAD")
    value = fields.get("if-none-match")
    if value is not None:
        tags = parse_etag_list(value, "If-None-Match")
        if state.exists if tags is None else any(weak_match(t, state.etag) for t in tags):
            return Evaluation(304 if safe else 412, "If-None-Match", tokens)
    elif safe and state.exists and _modified_since(fields.get("if-modified-since"), state) is False:
        return Evaluation(304, "If-Modified-Since", tokens)
    return Evaluation(None, None, tokens)


def _modified_since(value: str | None, state: ResourceState) -> bool | None:
    """Whether *state* changed after the date *value*; ``None`` when either is unknown."""
    since = parse_http_date(value)
    if since is None or state.last_modified is None:
        return None
    return state.last_modified > since


_PROCEED = Evaluation()
