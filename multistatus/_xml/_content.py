"""Reading XML content losslessly: elements, mixed content, attributes, names (RFC 4918 §4.3).

:class:`ContentReader` holds the limits and turns any lxml element into an
:class:`~multistatus.Element`; :class:`~._reader.Reader` builds the multistatus
envelope on top of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .._exceptions import LimitExceeded
from .._limits import DEFAULT_LIMITS, Limits, depth_limit, value_depth
from .._memo import Memo
from .._model import Element
from .._model._element import Content
from .._model._frozen import EMPTY, FrozenMap
from ._parser import Source, fail, parse_tree

if TYPE_CHECKING:
    from lxml.etree import _Element as LxmlElement

__all__ = ["NAMES", "ContentReader", "attributes_of", "clark_of", "name_of", "new", "read_element", "text_of"]


def text_of(el: LxmlElement) -> str:
    """The text of *el* and of its descendant elements, in order (comments and processing
    instructions left out, their tails kept): what lxml's ``itertext()`` gives, in linear time
    (``itertext`` is quadratic in the comments and instructions that split a text)."""
    if not len(el):  # (a leaf: the usual case)
        return el.text or ""
    return "".join(_texts(el))


def _texts(el: LxmlElement) -> Iterator[str]:
    text = el.text
    if text:
        yield text
    for child in el:
        if child.tag.__class__ is str:  # (an element; a comment or an instruction adds only its tail)
            yield from _texts(child)
        tail = child.tail
        if tail:
            yield tail


class ContentReader:
    """Element and mixed content of lxml elements as model values, within the depth limit."""

    __slots__ = ("limits", "max_depth", "memo")

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self.max_depth: int = depth_limit(limits)
        # Equal plain properties of one document become one value (see _props; bounded there).
        self.memo: dict[str, dict[str, object]] = {}

    # -- generic XML content -------------------------------------------------
    def element(self, el: LxmlElement, depth: int) -> Element:
        depth = value_depth(depth, self.max_depth)
        if depth > self.max_depth:
            raise fail(el, f"elements nested deeper than {self.max_depth} levels", LimitExceeded)
        attributes = attributes_of(el) if el.attrib else EMPTY
        if len(el):
            children: Content = self.content(el, depth + 1)
        else:
            text = el.text
            children = (text,) if text else ()
        tag = str(el.tag)
        name = NAMES.get(tag)
        return Element._trusted(name if name is not None else name_of(tag, el), children, attributes)

    def content(self, el: LxmlElement, depth: int) -> Content:
        """Mixed content of *el*: its text, child elements and their tails (comments dropped)."""
        max_depth = self.max_depth
        depth = value_depth(depth, max_depth)
        if depth > max_depth:
            raise fail(el, f"elements nested deeper than {max_depth} levels", LimitExceeded)
        out: list[str | Element] = []
        run: list[str] = []  # text since the last element: joined once (comments split it)
        text = el.text
        if text:
            run.append(text)
        for child in el:
            tag = child.tag
            if tag.__class__ is str:
                if run:
                    out.append("".join(run))
                    run.clear()
                out.append(self.element(child, depth))
            tail = child.tail
            if tail:
                run.append(tail)
        if run:
            out.append("".join(run))
        return tuple(out)


def attributes_of(el: LxmlElement) -> FrozenMap[str, str]:
    """The attributes of *el* keyed by Clark name (``{}name`` for unqualified ones).

    Many attributes are read through XPath: lxml's ``items()`` looks each value up
    by its name, quadratic in the number of attributes of one element.
    """
    pairs = el.items() if len(el.attrib) <= _FEW_ATTRIBUTES else [(str(r.attrname), str(r)) for r in el.xpath("@*")]
    frozen: FrozenMap[str, str] = new(FrozenMap)
    frozen._data = {clark_of(k, el): v for k, v in pairs}
    frozen._hash = None
    return frozen


#: Up to this many attributes, ``items()`` (faster for few); above, ``xpath("@*")`` (linear).
_FEW_ATTRIBUTES = 32


#: lxml tag -> canonical Clark name, for the names that repeat.
NAMES: Memo[object, str] = Memo(4096)
new = object.__new__


def name_of(tag: str, el: LxmlElement) -> str:
    name = clark_of(tag, el)
    return NAMES.put(tag, name)  # (not kept when long: a namespace can be megabytes long)


def clark_of(name: str, el: LxmlElement) -> str:
    """The Clark name of an element or attribute name of *el* lxml gives.

    Only the streaming parsers can see a prefixed name without a namespace
    (``b:v``): libxml2 reports the undeclared prefix after the element's events.
    """
    if name[0] == "{":
        return name
    if ":" in name:
        prefix, _, local = name.partition(":")
        if not prefix or not local or ":" in local:
            raise fail(el, f"malformed name {name!r}")
        raise fail(el, f"namespace prefix {prefix!r} is not declared")
    return "{}" + name


def read_element(source: Source, limits: Limits = DEFAULT_LIMITS) -> Element:
    """Any XML document as an :class:`~multistatus.Element`: the hardened parser, then the content reader.

    One rule for every body: the parser's refusals (DTD, entities, malformed
    XML, ``limits.max_bytes``) and the reader's nesting limit, as for a property value.
    """
    root = parse_tree(source, limits)
    return ContentReader(limits).element(root, 1)
