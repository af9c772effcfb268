"""``DAV:response`` (RFC 4918 §14.24) with the REST batch fields ``id``, ``headers`` and ``body``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ._common import Outcome, check_json_text, extensions_of, new, opt_text, set_slot, status_of
from ._element import Element, check_name, check_text
from ._error import Error, error_of
from ._frozen import EMPTY, FrozenMap, JSONValue, draft, freeze_json, same_json
from ._property import Property, PropStat
from ._status import Status

__all__ = ["Response", "check_header_field", "check_headers"]


@dataclass(frozen=True, slots=True, init=False, repr=False)
class Response:
    """One ``DAV:response`` (RFC 4918 §14.24), plus REST batch fields.

    A response has either the status form (one or more hrefs and one status) or
    the propstat form (exactly one href and one or more propstats), never both.
    A response with an href alone is accepted because real servers send it
    (WsgiDAV 4.4 answers PROPFIND ``propname`` that way, corpus
    ``wsgidav/03-propfind-d1-propname``); :func:`~multistatus.validate` reports it.

    Args:
        href: the href, or a sequence of hrefs for the status form.
        status: the status (status form).
        propstats: the propstats (propstat form).
        error: ``DAV:error`` with conditions and/or a problem.
        description: ``DAV:responsedescription``.
        location: ``DAV:location`` href (for 3xx, RFC 4918 §14.9).
        id: client correlation id of a REST batch item.
        headers: per-item header fields (names lower-cased), e.g. ``retry-after``.
        body: a JSON value returned for the item.
        extensions: unknown elements kept from the input (RFC 4918 §17).

    Example:
        >>> Response("/items/3", status=429, headers={"Retry-After": "30"}).headers
        {'retry-after': '30'}
        >>> r = Response("/dav/a.txt", propstats=[PropStat({"{DAV:}getetag": '"1"'})])
        >>> r.href, r.outcome
        ('/dav/a.txt', 'succeeded')
        >>> Response(["/a", "/b"], status=423).hrefs
        ('/a', '/b')
    """

    hrefs: tuple[str, ...]
    status: Status | None
    propstats: tuple[PropStat, ...]
    error: Error | None
    description: str | None
    location: str | None
    id: str | None
    headers: FrozenMap[str, str]
    body: JSONValue = field(hash=False)
    extensions: tuple[Element, ...] = ()

    def __init__(
        self,
        href: str | Iterable[str] | None = None,
        *,
        hrefs: Iterable[str] | None = None,
        status: int | str | Status | None = None,
        propstats: Iterable[PropStat] = (),
        error: Error | None = None,
        description: str | None = None,
        location: str | None = None,
        id: str | None = None,  # noqa: A002 - the JSON member is called "id"
        headers: Mapping[str, str] | None = None,
        body: object = None,
        extensions: Iterable[Element] = (),
    ) -> None:
        if href is not None and hrefs is not None:
            raise TypeError("give href or hrefs, not both")
        raw = hrefs if hrefs is not None else href
        if raw is None:
            raise TypeError("a response needs an href")
        if isinstance(raw, (Mapping, bytes, bytearray, memoryview)) or not isinstance(raw, (str, Iterable)):
            raise TypeError(f"an href must be a str or an iterable of str, not {type(raw).__name__}")
        seq = (raw,) if isinstance(raw, str) else tuple(raw)
        if not seq:
            raise ValueError("a response needs at least one href")
        checked = []
        for item in seq:
            item = check_text(item, "href").strip()
            if not item:
                raise ValueError("an href cannot be empty")
            checked.append(item)
        pstats = tuple(propstats)
        for ps in pstats:
            if not isinstance(ps, PropStat):
                raise TypeError(f"propstats must be PropStat values, not {type(ps).__name__}")
        first = checked[0]
        if status is not None and pstats:
            raise ValueError(f"response {first!r} has both a status and propstats; RFC 4918 §14.24 allows one form")
        if pstats and len(checked) > 1:
            raise ValueError(f"response {first!r} has propstats and {len(checked)} hrefs; the propstat form has one")
        set_slot(self, "hrefs", tuple(checked))
        set_slot(self, "status", None if status is None else status_of(status, f"response {first!r}"))
        set_slot(self, "propstats", pstats)
        set_slot(self, "error", error_of(error, "response"))
        set_slot(self, "description", opt_text(description, "responsedescription"))
        loc = opt_text(location, "location")
        if loc is not None:
            loc = loc.strip()
            if not loc:
                raise ValueError(f"response {first!r}: location cannot be empty")
        set_slot(self, "location", loc)
        set_slot(self, "id", opt_text(id, "id"))
        set_slot(self, "headers", check_headers(headers))
        frozen_body = freeze_json(body, "body")
        check_json_text(frozen_body, "body")
        set_slot(self, "body", frozen_body)
        set_slot(self, "extensions", extensions_of(extensions, "response"))

    @classmethod
    def _trusted(
        cls,
        hrefs: tuple[str, ...],
        status: Status | None,
        propstats: tuple[PropStat, ...],
        error: Error | None,
        description: str | None,
        location: str | None,
        id: str | None,  # noqa: A002
        extensions: tuple[Element, ...],
    ) -> Response:
        """Build without checks (no headers, no body): for parsers that checked the parts."""
        self = new(_ResponseDraft)
        self.hrefs = hrefs
        self.status = status
        self.propstats = propstats
        self.error = error
        self.description = description
        self.location = location
        self.id = id
        self.headers = EMPTY
        self.body = None
        self.extensions = extensions
        self.__class__ = Response
        response: Response = self
        return response

    def __eq__(self, other: object) -> bool:
        # Not the generated __eq__: True == 1 == 1.0 in Python, but a body of
        # true, 1 and 1.0 are three different JSON values (see same_json).
        if other.__class__ is not Response:
            return NotImplemented
        assert isinstance(other, Response)
        return (
            self.hrefs == other.hrefs
            and self.status == other.status
            and self.propstats == other.propstats
            and self.error == other.error
            and self.description == other.description
            and self.location == other.location
            and self.id == other.id
            and self.headers == other.headers
            and self.extensions == other.extensions
            and same_json(self.body, other.body)
        )

    def __hash__(self) -> int:  # body left out: equal bodies of different kinds may hash alike
        return hash(
            (
                self.hrefs,
                self.status,
                self.propstats,
                self.error,
                self.description,
                self.location,
                self.id,
                self.headers,
                self.extensions,
            )
        )

    @property
    def href(self) -> str:
        """The first (usually the only) href."""
        return self.hrefs[0]

    @property
    def code(self) -> int:
        """The one status code that stands for this response, never ``None``.

        The status of the status form; in the propstat form, the code all
        propstats share, or 207 when they differ (the response is itself
        multi-status: look at :attr:`propstats`) or when a server sent an href
        alone.

        Example:
            >>> Response("/items/8", status=422).code
            422
            >>> Response("/a", propstats=[PropStat({"{DAV:}getetag": '"1"'}),
            ...                           PropStat({"{DAV:}owner": None}, 404)]).code
            207
        """
        if self.status is not None:
            return self.status.code
        codes = {ps.status.code for ps in self.propstats}
        return codes.pop() if len(codes) == 1 else 207

    @property
    def statuses(self) -> tuple[Status, ...]:
        """The status of the status form, or the status of each propstat."""
        if self.status is not None:
            return (self.status,)
        return tuple(ps.status for ps in self.propstats)

    @property
    def outcome(self) -> Outcome:
        """``succeeded`` (all 2xx), ``failed`` (all 4xx/5xx), ``partial`` (both) or ``other``.

        Example:
            >>> Response("/x", status=424).outcome
            'failed'
        """
        ok = bad = other = False
        for status in self.statuses:
            if status.is_success:
                ok = True
            elif status.is_error:
                bad = True
            else:
                other = True
        if other or not (ok or bad):
            return "other"
        if ok and bad:
            return "partial"
        return "succeeded" if ok else "failed"

    def find(self, name: str) -> tuple[Property, PropStat] | None:
        """The property called *name* and the propstat it came in, or ``None``.

        Example:
            >>> r = Response("/a", propstats=[PropStat({"{DAV:}getetag": '"1"'}),
            ...                               PropStat({"{DAV:}owner": None}, 404)])
            >>> prop, ps = r.find("{DAV:}owner")
            >>> ps.status.code
            404
        """
        name = check_name(name, "property name")
        for ps in self.propstats:
            for prop in ps.props:
                if prop.name == name:
                    return prop, ps
        return None

    def prop(self, name: str) -> Property | None:
        """The property called *name* if it came with a 2xx status, else ``None``.

        Example:
            >>> r = Response("/a", propstats=[PropStat({"{DAV:}getetag": '"1"'})])
            >>> r.prop("{DAV:}getetag").value
            '"1"'
        """
        found = self.find(name)
        if found is None or not found[1].status.is_success:
            return None
        return found[0]

    def __repr__(self) -> str:
        first = "hrefs" if len(self.hrefs) > 1 else "href"
        args = [repr(list(self.hrefs) if first == "hrefs" else self.hrefs[0])]
        for name in ("status", "propstats", "error", "description", "location", "id", "headers", "body", "extensions"):
            value = getattr(self, name)
            if value is not None and value != () and value != EMPTY:
                args.append(f"{name}={list(value) if name == 'propstats' else value!r}")
        return f"Response({', '.join(args)})"


# RFC 9110 §5.5: field values are visible characters, spaces and tabs (obs-text allowed).
_HEADER_CTL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")  # RFC 9110 token


def check_header_field(name: object, value: object) -> None:
    """Refuse a header field that could not be sent as it is: a name that is not
    an RFC 9110 token, a value that is not a str or holds a control character
    (a line break or NUL would let the value start another header field)."""
    if not isinstance(name, str) or not name or not all(c in _TCHAR for c in name):
        raise ValueError(f"bad header field name {name!r}")
    if not isinstance(value, str):
        raise TypeError(f"header {name!r} must have a str value, not {type(value).__name__}")
    bad = _HEADER_CTL.search(value)
    if bad is not None:
        raise ValueError(f"header {name!r} has the control character {bad.group()!r} in its value")


def check_headers(headers: Mapping[str, str] | None) -> FrozenMap[str, str]:
    """Per-item header fields: checked, names lower-cased, each name once."""
    if not headers:
        return EMPTY
    out: dict[str, str] = {}
    for name, value in headers.items():
        if isinstance(value, str):
            check_text(value, f"header {name!r}")
        check_header_field(name, value)
        key = name.lower()
        if key in out:
            raise ValueError(f"header {key!r} given twice")
        out[key] = value
    return FrozenMap(out)


#: Mutable twin of Response, for the trusted constructor (see draft).
_ResponseDraft = draft(Response)
