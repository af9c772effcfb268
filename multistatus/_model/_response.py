"""``DAV:response`` (RFC 4918 §14.24) with the REST batch fields ``id``, ``headers`` and ``body``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ._common import Outcome, extensions_of, new, set_slot, status_of
from ._element import Element, carried, check_name, check_text
from ._error import Error, error_of
from ._frozen import EMPTY, FrozenMap, JSONValue, draft, exact, freeze_json, owning, same_json
from ._property import Property, PropStat
from ._status import Status

__all__ = ["Response", "check_header", "check_header_field", "check_headers", "check_texts", "form_error", "stripped"]


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
        replayed: the response is a replay: the stored answer of an item whose
            idempotency key completed before (``"replayed": true`` in JSON,
            ``<ms:replayed/>`` in XML; see :mod:`multistatus.idempotency`).

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
    replayed: bool = False

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
        replayed: bool = False,
    ) -> None:
        if replayed is not False and replayed is not True:
            raise TypeError(f"replayed is True or False, not {replayed!r}")
        if hrefs is None:
            raw: object = href
        elif href is None:
            raw = hrefs
        else:
            raise TypeError("give href or hrefs, not both")
        given = (raw,) if raw.__class__ is str else _hrefs_of(raw)
        check_texts(given, description, id, location)  # (before stripping: white space may hide a bad character)
        checked = tuple([stripped(href, "an href") for href in given])
        first = checked[0]
        pstats = propstats if propstats.__class__ is tuple else tuple(propstats)
        for ps in pstats:
            if ps.__class__ is not PropStat and not isinstance(ps, PropStat):
                raise TypeError(f"propstats must be PropStat values, not {type(ps).__name__}")
        why = form_error(status is not None, len(pstats), len(checked))
        if why is not None:
            raise ValueError(f"response {first!r} {why}")
        if status is not None:
            status = status_of(status, f"response {first!r}")
        if error is not None and error.__class__ is not Error:
            error = error_of(error, "response")
        if location is not None:
            location = stripped(location, f"response {first!r}: location")
        set_slot(self, "hrefs", checked)
        set_slot(self, "status", status)
        set_slot(self, "propstats", pstats)
        set_slot(self, "error", error)
        set_slot(self, "description", None if description is None else exact(description))
        set_slot(self, "location", location)
        set_slot(self, "id", None if id is None else exact(id))
        set_slot(self, "headers", check_headers(headers))
        set_slot(self, "body", None if body is None else freeze_json(body, "body", carried=True))
        set_slot(self, "extensions", extensions_of(extensions, "response") if extensions != () else ())
        set_slot(self, "replayed", replayed)

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
        headers: FrozenMap[str, str] = EMPTY,
        body: JSONValue = None,
        replayed: bool = False,
    ) -> Response:
        """Build without checks, from parts a reader checked with this module's own checks
        (:func:`stripped` hrefs and location, :func:`check_header`, ``freeze_json(carried=True)``)."""
        self = new(_ResponseDraft)
        self.hrefs = hrefs
        self.status = status
        self.propstats = propstats
        self.error = error
        self.description = description
        self.location = location
        self.id = id
        self.headers = headers
        self.body = body
        self.extensions = extensions
        self.replayed = replayed
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
            and self.replayed == other.replayed
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
                self.replayed,
            )
        )

    @property
    def href(self) -> str:
        """The first (usually the only) href."""
        return self.hrefs[0]

    @property
    def status_code(self) -> int:
        """The HTTP status code that stands for this response, never ``None``.

        (``code``, the earlier spelling, is kept one release; the problem
        code of a failure is :attr:`Error.problem_code <multistatus.Error.problem_code>`.)

        The status of the status form; in the propstat form, the code all
        propstats share, or 207 when they differ (the response is itself
        multi-status: look at :attr:`propstats`) or when a server sent an href
        alone.

        Example:
            >>> Response("/items/8", status=422).status_code
            422
            >>> Response("/a", propstats=[PropStat({"{DAV:}getetag": '"1"'}),
            ...                           PropStat({"{DAV:}owner": None}, 404)]).status_code
            207
        """
        if self.status is not None:
            return self.status.code
        codes = {ps.status.code for ps in self.propstats}
        return codes.pop() if len(codes) == 1 else 207

    @property
    def code(self) -> int:
        """The earlier spelling of :attr:`status_code`, kept one release."""
        return self.status_code

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
        if self.replayed:
            args.append("replayed=True")
        return f"Response({', '.join(args)})"


# RFC 9110 §5.5: field values are visible characters, spaces and tabs (obs-text allowed).
_HEADER_CTL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")  # RFC 9110 token


def _hrefs_of(raw: object) -> tuple[str, ...]:
    """The hrefs of a response given as a str or an iterable of str (their text is checked by check_texts)."""
    if raw is None:
        raise TypeError("a response needs an href")
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, (Mapping, bytes, bytearray, memoryview)) or not isinstance(raw, Iterable):
        raise TypeError(f"an href must be a str or an iterable of str, not {type(raw).__name__}")
    seq = tuple(raw)
    if not seq:
        raise ValueError("a response needs at least one href")
    for item in seq:
        if item.__class__ is not str and not isinstance(item, str):
            raise TypeError(f"href must be a str, not {type(item).__name__}")
    return seq


def form_error(has_status: bool, propstats: int, hrefs: int) -> str | None:
    """Why a response's parts make neither of the two forms of RFC 4918 §14.24, or ``None``.

    The status form has a status and no propstat; the propstat form has
    propstats and one href.  A response with neither is kept as it is (some
    servers answer a PROPFIND ``propname`` so).  The one rule for the model's
    constructor and both readers; each says where.

    Example:
        >>> form_error(True, 1, 1)
        'has both a status and propstats; RFC 4918 §14.24 allows one form'
        >>> form_error(False, 2, 3)
        'has propstats and 3 hrefs; the propstat form has one'
        >>> form_error(True, 0, 2) is None
        True
    """
    if has_status and propstats:
        return "has both a status and propstats; RFC 4918 §14.24 allows one form"
    if propstats and hrefs > 1:
        return f"has propstats and {hrefs} hrefs; the propstat form has one"
    return None


def check_texts(hrefs: tuple[str, ...], description: object, id: object, location: object) -> None:  # noqa: A002
    """Refuse an href or text member XML 1.0 cannot carry, or one that is not a str.

    All are checked in one scan; when that fails, :func:`check_text` on each
    says which and why.
    """
    try:
        text = "".join(hrefs)
        for value in (description, id, location):
            if value is not None:
                text += value  # type: ignore[operator]
        if carried(text):
            return
    except TypeError:  # (a member that is not a str: check_text names it)
        pass
    for href in hrefs:
        check_text(href, "href")
    for value, what in ((description, "responsedescription"), (id, "id"), (location, "location")):
        if value is not None:
            check_text(value, what)


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


def check_header(name: str, value: object, seen: Mapping[str, str]) -> str:
    """The lower-cased name of one per-item header field, checked (text, field, not in *seen* yet)."""
    if isinstance(value, str):
        check_text(value, f"header {name!r}")
    check_header_field(name, value)
    key = name.lower()
    if key in seen:
        raise ValueError(f"header {key!r} given twice")
    return key


def check_headers(headers: Mapping[str, str] | None) -> FrozenMap[str, str]:
    """Per-item header fields: checked, names lower-cased, each name once."""
    if not headers:
        return EMPTY
    out: dict[str, str] = {}
    for name, value in headers.items():
        key = check_header(name, value, out)  # (first: it says what is wrong with a value that is no str)
        out[key] = exact(value)
    return owning(out)


def stripped(text: str, what: str) -> str:
    """An href or a location without the white space around it; refused when nothing is left."""
    out = text.strip()
    if not out:
        raise ValueError(f"{what} cannot be empty")
    return out


#: Mutable twin of Response, for the trusted constructor (see draft).
_ResponseDraft = draft(Response)
