"""Reading what WebDAV clients send: PROPFIND and PROPPATCH bodies (RFC 4918 §9.1, §9.2, §14).

Bodies go through the library's one hardened parser (no DTD, no entities, the
:class:`~multistatus.Limits`), and property values are read by the same
content reader as ``DAV:multistatus`` documents, so a dead property comes back
exactly as the client sent it: text, nested elements in any namespace,
attributes and ``xml:lang``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .._exceptions import ParseError
from .._limits import DEFAULT_LIMITS, Limits
from .._model import Property
from .._model._frozen import EMPTY, FrozenMap
from .._model._property import content_value
from .._names import ALLPROP, INCLUDE, PROP, PROPERTYUPDATE, PROPFIND, PROPNAME, REMOVE, SET, XML_LANG
from .._xml._content import ContentReader, clark_of, name_of
from .._xml._parser import Source, element_path, fail, parse_tree, read_source

if TYPE_CHECKING:
    from lxml.etree import _Element as LxmlElement

__all__ = ["Instruction", "PropFind", "PropPatch", "parse_propfind", "parse_proppatch", "prop_request", "unprocessable"]


def unprocessable(message: str, el: LxmlElement | None = None) -> ParseError:
    """A :class:`~multistatus.ParseError` with status hint 422: well-formed XML that asks the impossible.

    RFC 4918 §11.2: 422 is for a body that is syntactically correct XML but
    semantically wrong (a ``DAV:propfind`` without ``prop``, ``allprop`` or
    ``propname``); malformed XML stays 400.
    """
    exc = fail(el, message) if el is not None else ParseError(message)
    exc.status_hint = 422
    return exc


@dataclass(frozen=True, slots=True)
class PropFind:
    """What a PROPFIND asks for (RFC 4918 §9.1, §14.20).

    Attributes:
        kind: ``"prop"`` (the named properties), ``"allprop"`` (the dead
            properties and the live ones the server lists for allprop) or
            ``"propname"`` (the names only).
        names: for ``"prop"`` the requested names, for ``"allprop"`` the
            ``DAV:include`` names, in request order without repeats (Clark names).

    Example:
        >>> from multistatus.webdav import PropFind, parse_propfind
        >>> parse_propfind(b"") == PropFind("allprop")
        True
        >>> parse_propfind(b'<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>').names
        ('{DAV:}getetag',)
    """

    kind: Literal["prop", "allprop", "propname"] = "allprop"
    names: tuple[str, ...] = ()

    @property
    def include(self) -> tuple[str, ...]:
        """The ``DAV:include`` names of an ``allprop`` request (empty otherwise).

        Example:
            >>> from multistatus.webdav import parse_propfind
            >>> body = b'<D:propfind xmlns:D="DAV:"><D:allprop/><D:include><D:lockdiscovery/></D:include></D:propfind>'
            >>> parse_propfind(body).include
            ('{DAV:}lockdiscovery',)
        """
        return self.names if self.kind == "allprop" else ()


@dataclass(frozen=True, slots=True)
class Instruction:
    """One ``DAV:set`` or ``DAV:remove`` of a PROPPATCH, for one property.

    Attributes:
        action: ``"set"`` or ``"remove"``.
        prop: the :class:`~multistatus.Property` (for ``set``, with its value,
            ``lang`` and attributes exactly as sent; for ``remove``, value ``None``).

    Example:
        >>> import multistatus as ms
        >>> from multistatus.webdav import Instruction
        >>> Instruction("remove", ms.Property("{urn:x}color")).name
        '{urn:x}color'
    """

    action: Literal["set", "remove"]
    prop: Property

    @property
    def name(self) -> str:
        """The Clark name of the property."""
        return self.prop.name


@dataclass(frozen=True, slots=True)
class PropPatch:
    """A PROPPATCH body: its instructions in document order (RFC 4918 §9.2, §14.19).

    The instructions must be applied in order, all or none (§9.2); record the
    outcome with :meth:`Results.proppatch <multistatus.Results.proppatch>`,
    giving it :attr:`names`.

    Example:
        >>> from multistatus.webdav import parse_proppatch
        >>> body = (b'<D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:z">'
        ...         b'<D:set><D:prop><Z:a xml:lang="en">x</Z:a></D:prop></D:set>'
        ...         b'<D:remove><D:prop><Z:b/></D:prop></D:remove></D:propertyupdate>')
        >>> patch = parse_proppatch(body)
        >>> [(i.action, i.name, i.prop.value, i.prop.lang) for i in patch]
        [('set', '{urn:z}a', 'x', 'en'), ('remove', '{urn:z}b', None, None)]
    """

    instructions: tuple[Instruction, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every property named, in order, without repeats."""
        return tuple(dict.fromkeys(i.name for i in self.instructions))

    def __iter__(self) -> Iterator[Instruction]:
        return iter(self.instructions)

    def __len__(self) -> int:
        return len(self.instructions)


def _root(source: Source, limits: Limits, expected: str) -> LxmlElement:
    root = parse_tree(source, limits)
    if root.tag != expected:
        local = expected.rpartition("}")[2]
        raise unprocessable(f"the body must be a DAV:{local} element, not {root.tag!s}", root)
    return root


def _is_empty(source: Source, limits: Limits) -> tuple[bool, Source]:
    data, _ = read_source(source, limits)
    return (not data or data.isspace()), (data if not isinstance(source, str) else source)


def parse_propfind(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> PropFind:
    """Read a PROPFIND request body; an empty body means ``allprop`` (RFC 4918 §9.1).

    Args:
        source: the body (bytes, str or a binary file).
        limits: the :class:`~multistatus.Limits` (size, depth).

    Returns:
        The :class:`PropFind`.

    Raises:
        ParseError: malformed XML or a DTD (status hint 400); a well-formed body
            that is not a valid ``DAV:propfind`` (status hint 422).
        LimitExceeded: over a limit (status hint 413).

    Example:
        >>> from multistatus.webdav import parse_propfind
        >>> parse_propfind(b'<propfind xmlns="DAV:"><propname/></propfind>').kind
        'propname'
        >>> try:
        ...     parse_propfind(b"<propfind xmlns='DAV:'><prop>")
        ... except Exception as exc:
        ...     print(type(exc).__name__, exc.status_hint)
        ParseError 400
    """
    empty, data = _is_empty(source, limits)
    if empty:
        return PropFind("allprop")
    root = _root(data, limits, PROPFIND)
    request = prop_request(root)
    if request is None:
        raise unprocessable("DAV:propfind needs DAV:prop, DAV:allprop or DAV:propname", root)
    return request


def prop_request(root: LxmlElement) -> PropFind | None:
    """What a ``DAV:propfind``, or a REPORT that asks like one, asks for: its ``DAV:prop``,
    ``DAV:allprop`` (with ``DAV:include``) or ``DAV:propname`` child; ``None`` without one.

    Raises:
        ParseError: more than one of them (status hint 422).
    """
    kind: str | None = None
    names: list[str] = []
    include: list[str] = []
    for child in root:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag in (PROP, ALLPROP, PROPNAME):
            if kind is not None:
                where = str(root.tag).replace("{DAV:}", "DAV:")
                raise unprocessable(f"{where} holds more than one of DAV:prop, DAV:allprop, DAV:propname", child)
            kind = tag.rpartition("}")[2]
            if tag == PROP:
                names = _names(child)
        elif tag == INCLUDE:
            include.extend(_names(child))
        # other elements: ignored (RFC 4918 §17, extensibility)
    if kind is None:
        return None
    if kind == "allprop":
        return PropFind("allprop", tuple(dict.fromkeys(include)))
    if kind == "prop":
        return PropFind("prop", tuple(dict.fromkeys(names)))
    return PropFind("propname")


def _names(el: LxmlElement) -> list[str]:
    return [name_of(c.tag, c) for c in el if isinstance(c.tag, str)]


def parse_proppatch(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> PropPatch:
    """Read a PROPPATCH request body into its ordered set/remove instructions (RFC 4918 §9.2).

    Values are kept losslessly, as the reader keeps them in a multistatus: text,
    element and mixed content, the property element's attributes, and the
    ``xml:lang`` in scope (from the property, its ``DAV:prop``, ``DAV:set`` or
    the root).

    Args:
        source: the body (bytes, str or a binary file).
        limits: the :class:`~multistatus.Limits` (size, depth).

    Returns:
        The :class:`PropPatch`.

    Raises:
        ParseError: malformed XML, a DTD or an empty body (status hint 400); a
            well-formed body that is not a ``DAV:propertyupdate`` with at least
            one instruction (status hint 422).
        LimitExceeded: over a limit (status hint 413).

    Example:
        >>> from multistatus.webdav import parse_proppatch
        >>> body = (b'<propertyupdate xmlns="DAV:"><set><prop>'
        ...         b'<x:v xmlns:x="urn:x" kind="a"><x:b>bold</x:b> text</x:v></prop></set></propertyupdate>')
        >>> prop = parse_proppatch(body).instructions[0].prop
        >>> prop.attributes["{}kind"], prop.value
        ('a', (Element('{urn:x}b', ['bold']), ' text'))
    """
    empty, data = _is_empty(source, limits)
    if empty:
        raise ParseError("the PROPPATCH body is empty; expected a DAV:propertyupdate element")
    root = _root(data, limits, PROPERTYUPDATE)
    reader = ContentReader(limits)
    out: list[Instruction] = []
    root_lang = root.get(XML_LANG)
    for action_el in root:
        tag = action_el.tag
        if tag not in (SET, REMOVE):
            continue  # comments, and unknown elements (§17)
        action: Literal["set", "remove"] = "set" if tag == SET else "remove"
        lang = action_el.get(XML_LANG, root_lang)
        props = [c for c in action_el if c.tag == PROP]
        if not props:
            raise unprocessable(f"DAV:{action} needs a DAV:prop element", action_el)
        for prop_el in props:
            prop_lang = prop_el.get(XML_LANG, lang)
            for el in prop_el:
                if isinstance(el.tag, str):
                    out.append(Instruction(action, _property(reader, el, prop_lang, action)))
    if not out:
        raise unprocessable("DAV:propertyupdate names no property to set or remove", root)
    return PropPatch(tuple(out))


def _property(reader: ContentReader, el: LxmlElement, lang: str | None, action: str) -> Property:
    name = name_of(str(el.tag), el)
    if action == "remove":
        return Property._trusted(name, None, None, EMPTY)
    attributes: FrozenMap[str, str] = EMPTY
    if el.attrib:
        attrs = dict(el.attrib)
        own = attrs.pop(XML_LANG, None)
        if own is not None:
            lang = own
        if attrs:
            attributes = FrozenMap({clark_of(str(k), el): str(v) for k, v in attrs.items()})
    if len(el):
        value = content_value(reader.content(el, 4))
    else:
        value = el.text or ""
    try:
        return Property(name, value, lang=lang, attributes=attributes)
    except ValueError as exc:  # (a name or attribute the model refuses)
        raise ParseError(f"property {name}: {exc}", line=el.sourceline, path=element_path(el)) from exc
