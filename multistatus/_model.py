"""The multistatus model: immutable value objects for RFC 4918 §13-14 and RFC 6578.

::

    multistatus = response*, responsedescription?, sync-token?     (+ extensions)
    response    = href, ((href*, status) | propstat+), error?, responsedescription?, location?
    propstat    = prop, status, error?, responsedescription?

Every class validates in its constructor, so an invalid value never exists.
No XML library, no framework and no I/O is used here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ._element import (
    DAV,
    Content,
    Element,
    check_attributes,
    check_name,
    check_text,
    normalize_content,
)
from ._frozen import EMPTY, FrozenMap, JSONValue, draft, freeze_json
from ._status import Status

__all__ = [
    "NAMESPACE",
    "Error",
    "MultiStatus",
    "Outcome",
    "PropStat",
    "Property",
    "Response",
    "Summary",
]

#: The namespace of the library's own XML elements (REST batch fields ``id``,
#: ``headers``, ``body`` and problem members inside ``DAV:error``).  Never ``DAV:``.
NAMESPACE = "https://multistatus.readthedocs.io/ns/1"

Outcome = Literal["succeeded", "failed", "partial", "other"]
_set = object.__setattr__
_new = object.__new__


def _opt_text(value: object, what: str) -> str | None:
    return None if value is None else check_text(value, what)


def _status_of(value: int | str | Status, what: str) -> Status:
    status = Status.of(value)
    if status.code < 200:
        raise ValueError(f"{what}: 1xx status {status.code} cannot appear in a multistatus document")
    return status


def _extensions(items: Iterable[Element], what: str) -> tuple[Element, ...]:
    out = tuple(items)
    for item in out:
        if not isinstance(item, Element):
            raise TypeError(f"{what} extensions must be Element values, not {type(item).__name__}")
    return out


def _repr(obj: object, positional: tuple[str, ...], optional: tuple[str, ...]) -> str:
    args = [repr(getattr(obj, name)) for name in positional]
    for name in optional:
        value = getattr(obj, name)
        if value is not None and value != () and value != EMPTY:
            args.append(f"{name}={value!r}")
    return f"{type(obj).__name__}({', '.join(args)})"


PropertyValue = None | str | Content


@dataclass(frozen=True, slots=True, init=False, repr=False)
class Property:
    """One property inside ``DAV:prop`` (RFC 4918 §4, §14.18).

    ``value`` is ``None`` (name only: propname results, 404/403 propstats), a
    ``str`` (text-only content; ``""`` is an empty value), or a tuple of ``str``
    and :class:`Element` for element or mixed content, kept losslessly.
    ``lang`` is the ``xml:lang`` in scope (§4.3); ``attributes`` are the other
    attributes of the property element.

    Note:
        XML cannot tell an empty value from a name without value, so
        :class:`PropStat` stores an empty value as ``""`` under a 2xx status and as
        ``None`` under any other status.

    Example:
        >>> Property("{DAV:}getetag", '"abc"')
        Property('{DAV:}getetag', '"abc"')
        >>> Property("{DAV:}displayname", "Datei", lang="de").lang
        'de'
        >>> Property("{DAV:}resourcetype", [Element("{DAV:}collection")]).children
        (Element('{DAV:}collection'),)
    """

    name: str
    value: PropertyValue
    lang: str | None
    attributes: FrozenMap[str, str]

    def __init__(
        self,
        name: str,
        value: str | Element | Iterable[str | Element] | None = None,
        *,
        lang: str | None = None,
        attributes: Mapping[str, str] | None = None,
    ) -> None:
        name = check_name(name, "property name")
        _set(self, "name", name)
        _set(self, "value", _property_value(value, name))
        _set(self, "lang", _opt_text(lang, f"xml:lang of {name}"))
        attrs = check_attributes(attributes, name)
        if "{http://www.w3.org/XML/1998/namespace}lang" in attrs:
            raise ValueError(f"{name}: give xml:lang as lang=, not as an attribute")
        _set(self, "attributes", attrs)

    @property
    def text(self) -> str | None:
        """Text of the value: the str itself, all text of element content, or ``None``.

        Example:
            >>> Property("{DAV:}owner", [Element("{DAV:}href", "/u/jane")]).text
            '/u/jane'
        """
        value = self.value
        if value is None or isinstance(value, str):
            return value
        return "".join(c if isinstance(c, str) else c.text for c in value)

    @property
    def children(self) -> tuple[Element, ...]:
        """The child elements of the value (empty for text values)."""
        value = self.value
        if isinstance(value, tuple):
            return tuple(c for c in value if isinstance(c, Element))
        return ()

    def __repr__(self) -> str:
        value = self.value
        args = [repr(self.name)]
        if value is not None:
            args.append(repr(list(value) if isinstance(value, tuple) else value))
        if self.lang is not None:
            args.append(f"lang={self.lang!r}")
        if self.attributes:
            args.append(f"attributes={self.attributes!r}")
        return f"Property({', '.join(args)})"

    @classmethod
    def _trusted(cls, name: str, value: PropertyValue, lang: str | None, attributes: FrozenMap[str, str]) -> Property:
        self = _new(_PropertyDraft)
        self.name = name
        self.value = value
        self.lang = lang
        self.attributes = attributes
        self.__class__ = Property
        prop: Property = self
        return prop


def _property_value(value: object, name: str) -> PropertyValue:
    if value is None:
        return None
    if isinstance(value, str):
        return check_text(value, f"value of {name}")
    if isinstance(value, Element):
        return (value,)
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"value of {name} must be None, a str or XML content, not {type(value).__name__}")
    return content_value(normalize_content(value, f"value of {name}"))


def content_value(content: Content) -> str | Content:
    """The canonical property value of element *content*: ``""`` when empty, a
    ``str`` when it is text only, else the content itself."""
    if not content:
        return ""
    if len(content) == 1 and content[0].__class__ is str:
        return content[0]
    return content


def _props(props: Iterable[Property] | Mapping[str, Any], success: bool) -> tuple[Property, ...]:
    if isinstance(props, Mapping):
        items = [Property(name, value) for name, value in props.items()]
    else:
        items = list(props)
    out = []
    seen: set[str] = set()
    for prop in items:
        if not isinstance(prop, Property):
            raise TypeError(f"a propstat holds Property values, not {type(prop).__name__}")
        if prop.name in seen:
            raise ValueError(f"property {prop.name} is listed twice in one propstat")
        seen.add(prop.name)
        # Canonical empty value: XML cannot tell "" from None (see Property).
        if success and prop.value is None:
            prop = Property._trusted(prop.name, "", prop.lang, prop.attributes)
        elif not success and prop.value == "":
            prop = Property._trusted(prop.name, None, prop.lang, prop.attributes)
        out.append(prop)
    return tuple(out)


@dataclass(frozen=True, slots=True, init=False, repr=False)
class Error:
    """The ``DAV:error`` element (RFC 4918 §14.5, §16) with an optional problem.

    ``conditions`` are the precondition/postcondition elements (for example
    ``{DAV:}lock-token-submitted`` holding the locked hrefs).  ``problem`` holds
    RFC 9457 members (``type``, ``title``, ``detail``, ``instance``, and extension
    members such as ``code`` and ``message``) for REST batch endpoints; in XML they
    are elements of :data:`PROBLEM_NS` (RFC 9457's ``urn:ietf:rfc:7807``) inside
    ``DAV:error``.

    Args:
        conditions: condition elements, or bare Clark names for empty ones.
        problem: RFC 9457 members; values are JSON values.
        **members: more problem members, e.g. ``code="rate_limited"``.

    Example:
        >>> e = Error(["{DAV:}no-conflicting-lock"])
        >>> e.condition_names
        ('{DAV:}no-conflicting-lock',)
        >>> Error(code="rate_limited", message="Retry later.").code
        'rate_limited'
    """

    conditions: tuple[Element, ...]
    problem: FrozenMap[str, JSONValue]

    def __init__(
        self,
        conditions: Iterable[Element | str] = (),
        problem: Mapping[str, object] | None = None,
        **members: object,
    ) -> None:
        conds: list[Element] = []
        for cond in conditions:
            if isinstance(cond, str):
                cond = Element(cond)
            elif not isinstance(cond, Element):
                raise TypeError(f"an error condition must be an Element or a name, not {type(cond).__name__}")
            conds.append(cond)
        merged: dict[str, object] = dict(problem or {})
        merged.update(members)
        frozen = freeze_json(merged, "problem")
        assert isinstance(frozen, FrozenMap)
        for key, member in frozen.items():
            if isinstance(member, str):  # written as XML text
                check_text(member, f"problem member {key!r}")
            else:  # written as JSON text
                _check_json_text(member, f"problem member {key!r}")
        for key in frozen:
            if not key or key[0].isdigit() or not key.replace("-", "_").replace(".", "_").isidentifier():
                raise ValueError(f"problem member name {key!r} is not usable as an XML element name")
            if key == "conditions":
                raise ValueError("'conditions' is not a problem member name: pass condition elements as conditions=")
        if "status" in frozen and type(frozen["status"]) is not int:
            raise ValueError("problem member 'status' must be an int")
        _set(self, "conditions", tuple(conds))
        _set(self, "problem", frozen if frozen else EMPTY)

    @property
    def condition_names(self) -> tuple[str, ...]:
        """The Clark names of the conditions, in order."""
        return tuple(c.tag for c in self.conditions)

    def _member(self, key: str) -> str | None:
        value = self.problem.get(key)
        return value if isinstance(value, str) else None

    @property
    def code(self) -> str | None:
        """The ``code`` problem member, or ``None``."""
        return self._member("code")

    @property
    def message(self) -> str | None:
        """The ``message`` problem member (falls back to ``detail``, then ``title``)."""
        return self._member("message") or self._member("detail") or self._member("title")

    @property
    def type(self) -> str | None:
        """The RFC 9457 ``type`` member, or ``None``."""
        return self._member("type")

    def __bool__(self) -> bool:
        return bool(self.conditions or self.problem)

    def __repr__(self) -> str:
        args = []
        if self.conditions:
            args.append(repr(list(self.conditions)))
        if self.problem:
            args.append(f"problem={self.problem!r}")
        return f"Error({', '.join(args)})"


def _error(value: Error | None, what: str) -> Error | None:
    if value is not None and not isinstance(value, Error):
        raise TypeError(f"{what} error must be an Error, not {type(value).__name__}")
    return value


@dataclass(frozen=True, slots=True, init=False, repr=False)
class PropStat:
    """One ``DAV:propstat``: properties sharing one status (RFC 4918 §14.22).

    Args:
        props: :class:`Property` values, or a mapping of name to value.
        status: the status of all these properties (int, status line or :class:`Status`).
        error: a ``DAV:error`` for this propstat.
        description: the ``DAV:responsedescription`` text.
        extensions: unknown elements kept from the input (RFC 4918 §17).

    Example:
        >>> ps = PropStat({"{DAV:}getetag": '"abc"'}, 200)
        >>> ps.status, ps.props[0].value
        (Status(200), '"abc"')
        >>> PropStat([Property("{DAV:}displayname")], 404).names
        ('{DAV:}displayname',)
    """

    props: tuple[Property, ...]
    status: Status
    error: Error | None
    description: str | None
    extensions: tuple[Element, ...]

    def __init__(
        self,
        props: Iterable[Property] | Mapping[str, Any] = (),
        status: int | str | Status = 200,
        *,
        error: Error | None = None,
        description: str | None = None,
        extensions: Iterable[Element] = (),
    ) -> None:
        status = _status_of(status, "propstat")
        _set(self, "props", _props(props, status.is_success))
        _set(self, "status", status)
        _set(self, "error", _error(error, "propstat"))
        _set(self, "description", _opt_text(description, "propstat responsedescription"))
        _set(self, "extensions", _extensions(extensions, "propstat"))

    @property
    def names(self) -> tuple[str, ...]:
        """The Clark names of the properties, in order."""
        return tuple(p.name for p in self.props)

    @classmethod
    def _trusted(
        cls,
        props: tuple[Property, ...],
        status: Status,
        error: Error | None,
        description: str | None,
        extensions: tuple[Element, ...],
    ) -> PropStat:
        """Build without checks: for parsers that made sure the parts are valid and canonical."""
        self = _new(_PropStatDraft)
        self.props = props
        self.status = status
        self.error = error
        self.description = description
        self.extensions = extensions
        self.__class__ = PropStat
        propstat: PropStat = self
        return propstat

    def __repr__(self) -> str:
        return _repr(self, ("props", "status"), ("error", "description", "extensions"))


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
        _set(self, "hrefs", tuple(checked))
        _set(self, "status", None if status is None else _status_of(status, f"response {first!r}"))
        _set(self, "propstats", pstats)
        _set(self, "error", _error(error, "response"))
        _set(self, "description", _opt_text(description, "responsedescription"))
        loc = _opt_text(location, "location")
        if loc is not None:
            loc = loc.strip()
            if not loc:
                raise ValueError(f"response {first!r}: location cannot be empty")
        _set(self, "location", loc)
        _set(self, "id", _opt_text(id, "id"))
        _set(self, "headers", _headers(headers))
        frozen_body = freeze_json(body, "body")
        _check_json_text(frozen_body, "body")
        _set(self, "body", frozen_body)
        _set(self, "extensions", _extensions(extensions, "response"))

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
        self = _new(_ResponseDraft)
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

    @property
    def href(self) -> str:
        """The first (usually the only) href."""
        return self.hrefs[0]

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
        status = self.status
        if status is not None:  # the status form: one status, no tuple to build
            code = status.code
            return "succeeded" if code < 300 else "failed" if code >= 400 else "other"
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


_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")  # RFC 9110 token


def _check_json_text(value: JSONValue, where: str) -> None:
    """Refuse strings of a JSON value that its XML form cannot carry.

    ``body`` and non-string problem members are written into XML as JSON text,
    where control characters become ``\\uXXXX`` escapes but U+FFFE and U+FFFF
    (not XML characters either) would stay raw.
    """
    if isinstance(value, str):
        bad = value.find("\ufffe") if "\ufffe" in value else value.find("\uffff")
        if bad >= 0:
            raise ValueError(f"{where} holds {value[bad]!r} at offset {bad}, which XML 1.0 cannot carry")
    elif isinstance(value, FrozenMap):
        for key, item in value.items():
            _check_json_text(key, f"{where} member name")
            _check_json_text(item, f"{where}.{key}")
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            _check_json_text(item, f"{where}[{index}]")


def _headers(headers: Mapping[str, str] | None) -> FrozenMap[str, str]:
    if not headers:
        return EMPTY
    out: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not name or not all(c in _TCHAR for c in name):
            raise ValueError(f"bad header field name {name!r}")
        if not isinstance(value, str):
            raise TypeError(f"header {name!r} must have a str value, not {type(value).__name__}")
        if any(c in value for c in "\r\n\0"):
            raise ValueError(f"header {name!r} has a line break or NUL in its value")
        check_text(value, f"header {name!r}")
        key = name.lower()
        if key in out:
            raise ValueError(f"header {key!r} given twice")
        out[key] = value
    return FrozenMap(out)


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts derived from the responses; never stored, always recomputed.

    ``by_status`` counts every status occurrence: the status of a status-form
    response, and each propstat's status.  ``truncated`` is true when a response
    reports ``507`` with ``DAV:number-of-matches-within-limits`` (RFC 5323 §5.2,
    RFC 6578 §3.6) -- the server left results out.

    Example:
        >>> doc = MultiStatus([Response("/a", status=200), Response("/b", status=404)])
        >>> s = doc.summary
        >>> s.total, s.succeeded, s.failed, dict(s.by_status)
        (2, 1, 1, {200: 1, 404: 1})
    """

    total: int = 0
    succeeded: int = 0
    failed: int = 0
    partial: int = 0
    other: int = 0
    by_status: FrozenMap[int, int] = EMPTY
    truncated: bool = False

    @classmethod
    def of(cls, responses: Iterable[Response]) -> Summary:
        """Compute the summary of *responses* (any iterable, consumed once)."""
        tally = Tally()
        add = tally.add
        for response in responses:
            add(response)
        return tally.summary(cls)

    @property
    def all_succeeded(self) -> bool:
        """True when every response succeeded (and there is at least one)."""
        return self.total > 0 and self.succeeded == self.total


class Tally:
    """Counts a :class:`Summary` one response at a time (for streaming writers)."""

    __slots__ = ("by_status", "counts", "total", "truncated")

    def __init__(self) -> None:
        self.counts: dict[Outcome, int] = {"succeeded": 0, "failed": 0, "partial": 0, "other": 0}
        self.by_status: dict[int, int] = {}
        self.total = 0
        self.truncated = False

    def add(self, response: Response) -> None:
        """Count one more response."""
        self.total += 1
        self.counts[response.outcome] += 1
        by_status = self.by_status
        for status in response.statuses:
            by_status[status.code] = by_status.get(status.code, 0) + 1
        if response.status is not None and response.status.code == 507 and response.error is not None:
            self.truncated = (
                self.truncated or f"{{{DAV}}}number-of-matches-within-limits" in response.error.condition_names
            )

    def summary(self, cls: type[Summary] = Summary) -> Summary:
        """The :class:`Summary` of the responses counted so far."""
        by_status = FrozenMap(dict(sorted(self.by_status.items())))
        return cls(self.total, by_status=by_status, truncated=self.truncated, **self.counts)


@dataclass(frozen=True, slots=True, init=False, repr=False)
class MultiStatus:
    """A ``DAV:multistatus`` document (RFC 4918 §13, §14.16; RFC 6578 §6.4).

    Args:
        responses: the :class:`Response` values, in order.
        description: the multistatus-level ``DAV:responsedescription``.
        sync_token: the RFC 6578 ``DAV:sync-token``.
        extensions: unknown top-level elements kept from the input (RFC 4918 §17).

    Example:
        >>> doc = MultiStatus([Response("/a", status=201), Response("/b", status=409)])
        >>> [r.href for r in doc.failed()]
        ['/b']
        >>> doc.summary.failed
        1
    """

    responses: tuple[Response, ...]
    description: str | None
    sync_token: str | None
    extensions: tuple[Element, ...]

    def __init__(
        self,
        responses: Iterable[Response] = (),
        *,
        description: str | None = None,
        sync_token: str | None = None,
        extensions: Iterable[Element] = (),
    ) -> None:
        resps = tuple(responses)
        for r in resps:
            if not isinstance(r, Response):
                raise TypeError(f"responses must be Response values, not {type(r).__name__}")
        _set(self, "responses", resps)
        _set(self, "description", _opt_text(description, "responsedescription"))
        token = _opt_text(sync_token, "sync-token")
        _set(self, "sync_token", token.strip() or None if token is not None else None)
        _set(self, "extensions", _extensions(extensions, "multistatus"))

    def __iter__(self) -> Iterator[Response]:
        return iter(self.responses)

    @property
    def summary(self) -> Summary:
        """The :class:`Summary`, computed from the responses."""
        return Summary.of(self.responses)

    def _having(self, outcome: Outcome) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if r.outcome == outcome)

    def succeeded(self) -> tuple[Response, ...]:
        """The responses whose statuses are all 2xx."""
        return self._having("succeeded")

    def failed(self) -> tuple[Response, ...]:
        """The responses whose statuses are all 4xx/5xx."""
        return self._having("failed")

    def partial(self) -> tuple[Response, ...]:
        """The responses with both 2xx and 4xx/5xx propstats."""
        return self._having("partial")

    def group_by_status(self) -> dict[int, tuple[Response, ...]]:
        """The responses keyed by status code, in ascending code order.

        A response with several propstats is listed under each of its codes.

        Example:
            >>> doc = MultiStatus([Response("/a", status=201), Response("/b", status=409),
            ...                    Response("/c", status=201)])
            >>> {code: [r.href for r in rs] for code, rs in doc.group_by_status().items()}
            {201: ['/a', '/c'], 409: ['/b']}
        """
        from ._results import group_by_status

        return group_by_status(self.responses)

    def group_by_error(self) -> dict[str | None, tuple[Response, ...]]:
        """The failed and partial responses keyed by what went wrong.

        The key is the problem ``code`` (REST batches), else the problem
        ``type``, else the Clark name of each ``DAV:error`` condition (of the
        response and of its failing propstats); ``None`` collects failures that
        carry no error detail.  Keys come in order of first appearance.

        Example:
            >>> locked = Error(["{DAV:}lock-token-submitted"])
            >>> doc = MultiStatus([Response("/a", status=423, error=locked),
            ...                    Response("/b", status=429, error=Error(code="rate_limited")),
            ...                    Response("/c", status=404)])
            >>> {key: [r.href for r in rs] for key, rs in doc.group_by_error().items()}
            {'{DAV:}lock-token-submitted': ['/a'], 'rate_limited': ['/b'], None: ['/c']}
        """
        from ._results import group_by_error

        return group_by_error(self.responses)

    def raise_for_failures(self, *, partial: bool = False) -> None:
        """Raise :class:`~multistatus.FailedItems` listing every failed response, if any.

        Args:
            partial: also count responses that partly failed (a PROPFIND's 404
                propstats make most responses partial, hence off by default).

        Raises:
            FailedItems: at least one response failed.

        Example:
            >>> MultiStatus([Response("/a", status=204)]).raise_for_failures()
        """
        from ._results import raise_for_failures

        raise_for_failures(self, partial=partial)

    def __repr__(self) -> str:
        args = [repr(list(self.responses))]
        for name in ("description", "sync_token", "extensions"):
            value = getattr(self, name)
            if value is not None and value != ():
                args.append(f"{name}={value!r}")
        return f"MultiStatus({', '.join(args)})"


#: Mutable twins of the value classes, for the trusted constructors (see draft).
_PropertyDraft = draft(Property)
_PropStatDraft = draft(PropStat)
_ResponseDraft = draft(Response)
