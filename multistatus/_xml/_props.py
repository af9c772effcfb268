"""The Python property loop: the values inside one ``DAV:prop``, and the memos that share them.

Most listings repeat their values: the same content type, the same empty
``resourcetype``, the same element content (a ``supportedlock``, an owner) in
every response.  Equal values of one document become one value (they are
immutable): plain text by its characters (as the C loop does, sharing the
reader's ``memo`` with it), element content by its serialization.  That
serialization spells every namespace in scope (lxml writes the declarations
a subtree inherits), so equal bytes are equal names, attributes, text and
order: equal values.  Comments and processing instructions are spelled too
(they only make two equal values miss each other).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from .._limits import DEFAULT_LIMITS, Limits
from .._model import Property
from .._model._frozen import EMPTY, FrozenMap
from .._model._property import content_value
from .._names import XML_LANG
from ._content import NAMES, ContentReader, clark_of, name_of

if TYPE_CHECKING:
    from lxml.etree import _Element as LxmlElement

__all__ = ["PropReader"]

#: Names with a memo of their own, values per name, and the longest text kept (the
#: C loop's MEMO_NAMES, MEMO_VALUES and MEMO_TEXT); the longest serialization kept.
MEMO_NAMES = 64
MEMO_VALUES = 64
MEMO_TEXT = 256
MEMO_SHAPE = 1024
#: (depth, value) of a property with element content, by the xml:lang in scope and its serialization.
Shapes = dict[bytes, tuple[int, Property]]
_tostring = etree.tostring


class PropReader(ContentReader):
    """:class:`ContentReader` with the Python property loop and its memos (see the module)."""

    __slots__ = ("absent", "shapes")

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        super().__init__(limits)
        # Clark name -> lang and serialization -> (depth, property): element content seen before
        # (None: the name's values are not worth serializing).
        self.shapes: dict[str, Shapes | None] = {}
        # Clark name -> the property without value, no lang and no attributes (under a non-2xx status).
        self.absent: dict[str, Property] = {}

    def read_props(self, el: LxmlElement, depth: int, lang: str | None, out: list[Property]) -> None:
        """Append the properties inside *el* (a ``DAV:prop`` at *depth*) to *out*."""
        names = NAMES
        trusted = Property._trusted
        append = out.append
        memo = self.memo
        for child in el:
            tag = child.tag
            name = names.get(tag)
            if name is None:
                if tag.__class__ is not str:
                    continue  # a comment or processing instruction
                name = name_of(tag, child)
            if len(child):
                append(self.shaped(child, name, depth, lang))
                continue
            items = child.items()
            if items:
                append(self.general(child, name, depth, lang, items))
                continue
            value = child.text or ""
            values = None
            if lang is None and len(value) <= MEMO_TEXT:
                # A plain text value: equal ones of one document are one value (as in C).
                values = memo.get(name)
                if values is None and len(memo) < MEMO_NAMES:
                    values = memo[name] = {}
                if values is not None:
                    known = values.get(value)
                    if known is not None:
                        append(known)  # type: ignore[arg-type]  # (the memo holds properties)
                        continue
            prop = trusted(name, value, lang, EMPTY)
            if values is not None and len(values) < MEMO_VALUES:
                values[value] = prop
            append(prop)

    def shaped(self, child: LxmlElement, name: str, depth: int, lang: str | None) -> Property:
        """The property *child* (element content), from the memo when an equal one was read."""
        shapes = self.shapes
        known = shapes.get(name)
        if known is None:
            if name in shapes or len(shapes) >= MEMO_NAMES:  # (None: values not worth serializing)
                return self.general(child, name, depth, lang, child.items())
            known = shapes[name] = {}
        key = _tostring(child, with_tail=False)
        if lang is not None:  # (the xml:lang in scope is not in the serialization; it has no NUL)
            key = lang.encode("utf-8", "surrogatepass") + b"\0" + key
        entry = known.get(key)
        if entry is not None and depth <= entry[0]:  # (read as deep or deeper: the depth checks passed)
            return entry[1]
        prop = self.general(child, name, depth, lang, child.items())
        if len(key) > MEMO_SHAPE or len(known) >= MEMO_VALUES:
            shapes[name] = None  # (large values, or ones that rarely repeat: no more serializing)
        elif prop.value != "":  # ("" becomes None under a non-2xx status)
            known[key] = (depth, prop)
        return prop

    def general(
        self, child: LxmlElement, name: str, depth: int, lang: str | None, items: list[tuple[str, str]]
    ) -> Property:
        """The property *child* with any attributes and content, read in full."""
        attributes: FrozenMap[str, str] = EMPTY
        if items:
            attrs = dict(items)
            own_lang = attrs.pop(XML_LANG, None)
            if own_lang is not None:
                lang = own_lang
            if attrs:
                attributes = FrozenMap({clark_of(k, child): v for k, v in attrs.items()})
        value = content_value(self.content(child, depth + 1)) if len(child) else child.text or ""
        return Property._trusted(name, value, lang, attributes)

    def without_value(self, prop: Property) -> Property:
        """*prop* with the value ``None`` (an empty value under a non-2xx status; see Property)."""
        if prop.lang is None and prop.attributes is EMPTY:
            known = self.absent.get(prop.name)
            if known is None:
                known = Property._trusted(prop.name, None, None, EMPTY)
                if len(self.absent) < MEMO_NAMES * MEMO_VALUES:
                    self.absent[prop.name] = known
            return known
        return Property._trusted(prop.name, None, prop.lang, prop.attributes)
