"""Reading JSON values: strict decoding, type checks with JSON pointers, XML content in JsonML form."""

from __future__ import annotations

import math
from collections.abc import Mapping
from marshal import dumps as marshal
from typing import Any

from .._exceptions import LimitExceeded, ParseError
from .._limits import Limits, depth_limit
from .._model import Element, Error, Property, Status
from .._model._element import Content, cached_name, check_attribute_name, check_name, check_text, normalize_content
from .._model._frozen import EMPTY, FrozenMap, draft
from .._model._property import PropertyDraft, content_value
from .._names import XML_LANG

__all__ = ["Constant", "ValueReader", "clean", "escape_pointer", "kind_of", "pairs"]

_WRAPPED_MEMBERS = frozenset({"value", "lang", "attributes"})
#: How many values of one property name the quick reader remembers (see ``quick_props``).
MEMO_SIZE = 1024


# -- reading -----------------------------------------------------------------------
class _Duplicate(dict):  # type: ignore[type-arg]
    """What the object hook returns for an object that repeats a member name."""

    name: str = ""


class Constant:
    """What ``NaN``, ``Infinity`` and ``-Infinity`` parse to: never a valid value."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    seen: set[str] = set()
    for key, _ in pairs:  # pragma: no branch - a duplicate is known to exist
        if key in seen:
            dup = _Duplicate(out)
            dup.name = key
            return dup
        seen.add(key)
    raise AssertionError("unreachable")  # pragma: no cover


def escape_pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def kind_of(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Constant):
        return value.text
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "an array"
    return type(value).__name__


class ValueReader:
    """Checks of decoded JSON values and XML content in the JsonML form, with JSON pointers for every error."""

    __slots__ = ("limits", "max_depth", "memo", "texts")

    def __init__(self, limits: Limits, texts: list[str] | None) -> None:
        self.limits = limits
        self.max_depth: int = depth_limit(limits)
        #: Where the quick readers put the strings whose characters they did not
        #: check, for the caller to check at once (:func:`clean`); ``None`` when no
        #: string of the input can hold a character XML cannot carry.
        self.texts = texts
        #: The properties read so far, by name and value (see :meth:`quick_props`).
        self.memo: dict[str, dict[Any, Property]] = {}

    # -- generic checks ----------------------------------------------------------
    @staticmethod
    def obj(value: object, ptr: str, what: str, allowed: frozenset[str] | None = None) -> Mapping[str, Any]:
        if isinstance(value, _Duplicate):
            raise ParseError(
                f"member {value.name!r} appears twice in {what}", path=f"{ptr}/{escape_pointer(value.name)}"
            )
        if not isinstance(value, Mapping):
            raise ParseError(f"{what} must be an object, not {kind_of(value)}", path=ptr)
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    raise ParseError(f"unknown member {key!r} in {what}", path=f"{ptr}/{escape_pointer(str(key))}")
        return value

    @staticmethod
    def arr(value: object, ptr: str, what: str) -> list[Any] | tuple[Any, ...]:
        if not isinstance(value, (list, tuple)):
            raise ParseError(f"{what} must be an array, not {kind_of(value)}", path=ptr)
        return value

    @staticmethod
    def text(value: object, ptr: str, what: str) -> str:
        if not isinstance(value, str):
            raise ParseError(f"{what} must be a string, not {kind_of(value)}", path=ptr)
        try:
            return check_text(value, what)
        except ValueError as exc:
            raise ParseError(str(exc), path=ptr) from exc

    @staticmethod
    def name(value: object, ptr: str, what: str) -> str:
        if not isinstance(value, str):
            raise ParseError(f"{what} must be a string in Clark notation, not {kind_of(value)}", path=ptr)
        try:
            return check_name(value, what)
        except ValueError as exc:
            raise ParseError(str(exc), path=ptr) from exc

    def opt_text(self, obj: Mapping[str, Any], key: str, ptr: str, what: str) -> str | None:
        value = obj.get(key)
        return None if value is None else self.text(value, f"{ptr}/{key}", what)

    @staticmethod
    def status(obj: Mapping[str, Any], ptr: str) -> Status:
        code = obj["status"]
        if type(code) is not int:
            raise ParseError(f"status must be an integer, not {kind_of(code)}", path=f"{ptr}/status")
        if not 200 <= code <= 599:
            raise ParseError(f"status {code} is outside 200-599", path=f"{ptr}/status")
        reason = obj.get("reason")
        if reason is None:
            return Status.of(code)
        if not isinstance(reason, str):
            raise ParseError(f"reason must be a string, not {kind_of(reason)}", path=f"{ptr}/reason")
        try:
            return Status(code, reason)
        except ValueError as exc:
            raise ParseError(str(exc), path=f"{ptr}/reason") from exc

    def value(self, value: object, ptr: str, depth: int) -> Any:
        """A JSON value (body, problem member): refuses NaN, duplicates and deep nesting."""
        if value is None or isinstance(value, (str, bool, int)):
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ParseError(f"{value!r} is not a JSON number", path=ptr)
            return value
        if isinstance(value, Constant):
            raise ParseError(f"a JSON number must be finite (RFC 8259 §6), not {value.text}", path=ptr)
        if depth > self.max_depth:
            raise LimitExceeded(f"JSON values nested deeper than {self.max_depth} levels", path=ptr)
        if isinstance(value, (list, tuple)):
            return [self.value(item, f"{ptr}/{i}", depth + 1) for i, item in enumerate(value)]
        obj = self.obj(value, ptr, "a JSON value")
        out = {}
        for key, item in obj.items():
            if not isinstance(key, str):
                raise ParseError(f"object member names must be strings, not {kind_of(key)}", path=ptr)
            out[key] = self.value(item, f"{ptr}/{escape_pointer(key)}", depth + 1)
        return out

    # -- DAV:error with problem members ----------------------------------------------
    def error(self, value: object, ptr: str, depth: int) -> Error:
        obj = self.obj(value, ptr, "an error")
        conditions: list[Element] = []
        problem: dict[str, Any] = {}
        for key, item in obj.items():
            if not isinstance(key, str):
                raise ParseError(f"member names must be strings, not {kind_of(key)}", path=ptr)
            where = f"{ptr}/{escape_pointer(key)}"
            if key == "conditions":
                conditions = self.elements(item, where, depth + 1, "conditions")
            else:
                problem[key] = member = self.value(item, where, 1)
                try:
                    Error(problem={key: member})
                except ValueError as exc:
                    raise ParseError(str(exc), path=where) from exc
        return Error(conditions, problem)

    # -- XML content -------------------------------------------------------------
    def attributes(self, value: object, ptr: str) -> dict[str, str]:
        obj = self.obj(value, ptr, "attributes")
        out: dict[str, str] = {}
        for key, item in obj.items():
            where = f"{ptr}/{escape_pointer(str(key))}"
            if not isinstance(key, str):
                raise ParseError(f"attribute name must be a string in Clark notation, not {kind_of(key)}", path=where)
            try:
                name = check_attribute_name(key)
            except ValueError as exc:
                raise ParseError(str(exc), path=where) from exc
            if name in out:
                raise ParseError(f"attribute {name} given twice", path=where)
            out[name] = self.text(item, where, f"attribute {name}")
        return out

    def content(self, items: list[Any] | tuple[Any, ...], start: int, ptr: str, depth: int) -> list[str | Element]:
        out: list[str | Element] = []
        for i in range(start, len(items)):
            item = items[i]
            if isinstance(item, str):
                out.append(self.text(item, f"{ptr}/{i}", "text"))
            elif isinstance(item, (list, tuple)):
                out.append(self.element(item, f"{ptr}/{i}", depth))
            else:
                raise ParseError(f"content must be strings and element arrays, not {kind_of(item)}", path=f"{ptr}/{i}")
        return out

    def element(self, value: object, ptr: str, depth: int) -> Element:
        items = self.arr(value, ptr, "an element")
        if depth > self.max_depth:
            raise LimitExceeded(f"elements nested deeper than {self.max_depth} levels", path=ptr)
        if not items:
            raise ParseError("an element array needs a name as its first item", path=ptr)
        tag = self.name(items[0], f"{ptr}/0", "element name")
        start = 1
        attributes: dict[str, str] | None = None
        if len(items) > 1 and not isinstance(items[1], (str, list, tuple)):
            attributes = self.attributes(items[1], f"{ptr}/1")
            start = 2
        children = self.content(items, start, ptr, depth + 1)
        return Element._trusted(tag, normalize_content(children, tag), FrozenMap(attributes) if attributes else EMPTY)

    def elements(self, value: object, ptr: str, depth: int, what: str) -> list[Element]:
        items = self.arr(value, ptr, what)
        return [self.element(item, f"{ptr}/{i}", depth) for i, item in enumerate(items)]

    # -- the quick path --------------------------------------------------------
    # The common shapes, read without pointers, ``isinstance`` chains or second
    # checks.  Each quick reader returns ``None`` for anything it does not take (a
    # tuple, text it would have to merge, anything wrong): the caller then reads
    # that part again with the readers above, which take exactly the same values
    # and say what is wrong and where.  Names go through the model's name cache;
    # strings to ``self.texts``.

    def quick_props(self, raw: dict[Any, Any], success: bool) -> tuple[Property, ...] | None:
        """The properties of a ``props`` object, canonical for the status, or ``None``.

        A property equal to one read before is that same immutable value: a
        listing repeats most of them (``resourcetype``, ``getcontenttype``,
        ``supportedlock``...), and a shared one is neither checked nor built again,
        nor one more object for the garbage collector.  Content is known by its
        ``marshal`` form, which only the exact JSON types have and which tells any
        two values apart.  The first :data:`MEMO_SIZE` values of each name are kept
        (values that never repeat, such as ``getetag``, cost no more memory then).
        (A value is kept before the strings of its response are checked; if one is
        wrong, the careful reader reads that response again and raises, and no later
        response meets the value.)
        """
        out: list[Property] = []
        append = out.append
        texts = self.texts
        memo = self.memo
        empty = "" if success else None
        new, draft, cls = _new, PropertyDraft, Property
        for key, value in raw.items():
            name = cached_name(key) or _new_name(key)
            if name is None:
                return None
            known = memo.get(name)
            if known is None:
                known = memo[name] = {}
            kind = value.__class__
            if kind is str:
                if not value:
                    value = empty
                elif texts is not None:
                    texts.append(value)
                prop = known.get(value)
            elif value is None:
                value = empty
                prop = known.get(value)
            elif kind is list:
                try:
                    seen = (success, marshal(value, 2))
                except ValueError:  # another type than the decoder makes
                    return None
                prop = known.get(seen)
                if prop is None:
                    value = self.quick_value(value, success)
                    if value is False:
                        return None
                    prop = Property._trusted(name, value, None, EMPTY)
                    if len(known) < MEMO_SIZE:
                        known[seen] = prop
                append(prop)
                continue
            elif kind is dict:
                prop = self.quick_wrapped(name, value, success)
                if prop is None:
                    return None
                append(prop)
                continue
            else:
                return None
            if prop is None:  # (Property._trusted, inlined: most properties of a listing are new)
                prop = new(draft)
                prop.name = name
                prop.value = value
                prop.lang = None
                prop.attributes = EMPTY
                prop.__class__ = cls
                if len(known) < MEMO_SIZE:
                    known[value] = prop
            append(prop)
        return tuple(out)

    def quick_value(self, value: Any, success: bool) -> Any:
        """The canonical property value of *value* (a string, null or a content array), or ``False``."""
        kind = value.__class__
        if kind is list:
            content = self.quick_content(value, 5)
            if content is None:
                return False
            value = content_value(content)
        elif kind is str:
            texts = self.texts
            if value and texts is not None:
                texts.append(value)
        elif value is not None:
            return False
        return (None if value == "" else value) if not success else ("" if value is None else value)

    def quick_wrapped(self, name: str, obj: dict[Any, Any], success: bool) -> Property | None:
        """The property *name* of a wrapped value (``{"value": ..., "lang": ..., "attributes": ...}``), or ``None``."""
        if not obj.keys() <= _WRAPPED_MEMBERS or "value" not in obj:
            return None
        lang = obj.get("lang")
        if lang is not None:
            if lang.__class__ is not str:
                return None
            if self.texts is not None:
                self.texts.append(lang)
        raw = obj.get("attributes", EMPTY)
        attributes = raw if raw is EMPTY else self.quick_attributes(raw) if raw.__class__ is dict else None
        if attributes is None or XML_LANG in attributes:
            return None
        value = self.quick_value(obj["value"], success)
        return None if value is False else Property._trusted(name, value, lang, attributes)

    def quick_element(self, items: list[Any], depth: int) -> Element | None:
        """:meth:`element` of a list, or ``None``."""
        size = len(items)
        if not size or depth > self.max_depth:
            return None
        tag = items[0]
        if tag.__class__ is not str:  # (and a list cannot be looked up)
            return None
        name = cached_name(tag) or _new_name(tag)
        if name is None:
            return None
        attributes: FrozenMap[str, str] | None = EMPTY
        children: Content | None = ()
        if size > 1:
            start = 1
            first = items[1]
            if first.__class__ is dict:
                attributes = self.quick_attributes(first)
                if attributes is None:
                    return None
                start = 2
                first = items[2] if size > 2 else None
            if size == start + 1 and first.__class__ is str and first:  # the one child is text
                if self.texts is not None:
                    self.texts.append(first)
                children = (first,)
            elif size > start:
                children = self.quick_content(items[start:], depth + 1)
                if children is None:
                    return None
        element = _new(_ElementDraft)
        element.tag = name
        element.children = children
        element.attributes = attributes
        element.__class__ = Element
        result: Element = element
        return result

    def quick_content(self, items: list[Any], depth: int) -> Content | None:
        """:meth:`content` of *items*, normalized, or ``None`` (also for empty or adjacent strings)."""
        out: list[str | Element] = []
        append = out.append
        texts = self.texts
        after_text = False
        for item in items:
            kind = item.__class__
            if kind is list:
                element = self.quick_element(item, depth)
                if element is None:
                    return None
                append(element)
                after_text = False
            elif kind is str and item and not after_text:
                if texts is not None:
                    texts.append(item)
                append(item)
                after_text = True
            else:
                return None
        return tuple(out)

    def quick_attributes(self, obj: dict[Any, Any]) -> FrozenMap[str, str] | None:
        """:meth:`attributes` of a dict, or ``None``."""
        if not obj:
            return EMPTY
        out: dict[str, str] = {}
        texts = self.texts
        for key, value in obj.items():
            name = cached_name(key) or _new_name(key)
            if name is None or name == "{}xmlns" or value.__class__ is not str:
                return None
            if texts is not None:
                texts.append(value)
            out[name] = value
        return FrozenMap(out) if len(out) == len(obj) else None  # (else two spellings of one name)


def _new_name(key: object) -> str | None:
    """The canonical form of a name the model's cache does not know yet, or ``None`` for a bad name."""
    if key.__class__ is not str:
        return None
    try:
        return check_name(key)
    except ValueError:
        return None


def clean(texts: list[str]) -> bool:
    """Whether XML can carry every character of *texts*."""
    try:
        check_text("".join(texts))
    except ValueError:
        return False
    return True


_new = object.__new__
_ElementDraft = draft(Element)
