"""``DAV:prop`` contents and ``DAV:propstat`` (RFC 4918 §4, §14.18, §14.22)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._common import extensions_of, new, opt_text, set_slot, status_of, value_repr
from ._element import Content, Element, check_attributes, check_name, check_text, normalize_content
from ._error import Error, error_of
from ._frozen import EMPTY, FrozenMap, draft
from ._status import Status

__all__ = ["PropStat", "Property", "PropertyValue", "content_value", "named_propstat"]

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
        set_slot(self, "name", name)
        set_slot(self, "value", _property_value(value, name))
        set_slot(self, "lang", None if lang is None else check_text(lang, f"xml:lang of {name}"))
        if attributes is None:
            set_slot(self, "attributes", EMPTY)
            return
        attrs = check_attributes(attributes, name)
        if "{http://www.w3.org/XML/1998/namespace}lang" in attrs:
            raise ValueError(f"{name}: give xml:lang as lang=, not as an attribute")
        set_slot(self, "attributes", attrs)

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
        self = new(PropertyDraft)
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
        try:
            return check_text(value)
        except ValueError:
            return check_text(value, f"value of {name}")  # (raises again, saying which property)
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


def _mapped_props(props: Mapping[str, Any], success: bool) -> tuple[Property, ...]:
    """Properties from a mapping of name to value, canonical and checked once each.

    The checks of ``Property(name, value)`` (:func:`check_name`,
    :func:`_property_value`), each property built once, its empty value canonical.
    """
    out = []
    trusted = Property._trusted
    for key, value in props.items():
        name = check_name(key, "property name")
        value = _property_value(value, name)
        if not value:  # (None or "": the empty value PropStat stores for the status)
            value = "" if success else None
        out.append(trusted(name, value, None, EMPTY))
    return tuple(out)


def _props(props: Iterable[Property] | Mapping[str, Any], success: bool) -> tuple[Property, ...]:
    if isinstance(props, Mapping):
        return _mapped_props(props, success)
    items = list(props)
    out = []
    for prop in items:
        if not isinstance(prop, Property):
            raise TypeError(f"a propstat holds Property values, not {type(prop).__name__}")
        # Canonical empty value: XML cannot tell "" from None (see Property).
        if success and prop.value is None:
            prop = Property._trusted(prop.name, "", prop.lang, prop.attributes)
        elif not success and prop.value == "":
            prop = Property._trusted(prop.name, None, prop.lang, prop.attributes)
        out.append(prop)
    return tuple(out)


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
        status = status_of(status, "propstat")
        set_slot(self, "props", _props(props, status.is_success))
        set_slot(self, "status", status)
        set_slot(self, "error", None if error is None else error_of(error, "propstat"))
        set_slot(self, "description", opt_text(description, "propstat responsedescription"))
        set_slot(self, "extensions", extensions_of(extensions, "propstat") if extensions != () else ())

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
        self = new(PropStatDraft)
        self.props = props
        self.status = status
        self.error = error
        self.description = description
        self.extensions = extensions
        self.__class__ = PropStat
        propstat: PropStat = self
        return propstat

    def __repr__(self) -> str:
        return value_repr(self, ("props", "status"), ("error", "description", "extensions"))


#: Mutable twins of the value classes, for the trusted constructors (see draft).
PropertyDraft = draft(Property)
PropStatDraft = draft(PropStat)


_NO_PROPS = PropStat((), 404)


def named_propstat(names: Iterable[str], status: int) -> PropStat:
    """A propstat of the properties *names*, without values (missing, forbidden).

    One mapping, checked in one pass, when no name repeats; an empty one when
    there are no names.

    Example:
        >>> named_propstat(["{DAV:}getetag"], 404).props
        (Property('{DAV:}getetag'),)
    """
    if not names:
        return _NO_PROPS
    listed = names if isinstance(names, (list, tuple)) else list(names)
    try:
        named = dict.fromkeys(listed)
    except TypeError:  # an unhashable name: Property says what is wrong with it
        named = {}
    return PropStat(named if len(named) == len(listed) else [Property(n) for n in listed], status)
