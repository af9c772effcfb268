"""Immutable containers used by the value objects: a frozen mapping and frozen JSON."""

from __future__ import annotations

import math
import re
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any, TypeVar, Union

from .._limits import MAX_NESTING

__all__ = ["FrozenMap", "JSONValue", "draft", "exact", "freeze_json", "owning", "thaw_json", "uncarried_json_text"]

_SURROGATE = re.compile("[\ud800-\udfff]")

K = TypeVar("K")
V = TypeVar("V")

#: A JSON value as the model stores it: objects are :class:`FrozenMap`, arrays tuples.
JSONValue = Union[None, bool, int, float, str, tuple[Any, ...], "FrozenMap[str, Any]"]


def draft(cls: type) -> Any:
    """A mutable twin of the slotted, frozen class *cls*, for trusted constructors.

    Its instances have the same slots, set with plain (fast) attribute stores;
    assigning ``__class__ = cls`` then turns a finished draft into a *cls* value,
    which CPython allows between classes of the same layout.  About twice as fast
    as filling a new instance through ``object.__setattr__``, which matters for
    parsers building a value per XML element.  Checked here, once, so that a
    layout difference fails at import rather than in a parser.

    Example:
        >>> from dataclasses import dataclass
        >>> @dataclass(frozen=True, slots=True)
        ... class Point:
        ...     x: int
        ...     y: int
        >>> p = object.__new__(draft(Point))
        >>> p.x, p.y = 1, 2
        >>> p.__class__ = Point
        >>> p
        Point(x=1, y=2)
    """
    twin = type(f"{cls.__name__}Draft", (), {"__slots__": vars(cls)["__slots__"], "__module__": cls.__module__})
    probe: Any = object.__new__(twin)
    probe.__class__ = cls  # TypeError if the layouts differ
    return twin


class FrozenMap(Mapping[K, V]):
    """A read-only, hashable mapping that keeps insertion order.

    It compares equal to any mapping with the same items (order does not matter).

    Example:
        >>> m = FrozenMap({"retry-after": "30"})
        >>> m["retry-after"], m == {"retry-after": "30"}
        ('30', True)
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        self._data: dict[K, V] = dict(data) if data else {}
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    # The dict's own views and get (read-only: a view cannot change the dict), not
    # the generic Mapping ones, which step through __iter__ and __getitem__ in Python.
    def get(self, key: K, default: Any = None) -> Any:
        """The value of *key*, or *default*."""
        return self._data.get(key, default)

    def keys(self) -> KeysView[K]:
        """A view of the keys."""
        return self._data.keys()

    def values(self) -> ValuesView[V]:
        """A view of the values."""
        return self._data.values()

    def items(self) -> ItemsView[K, V]:
        """A view of the (key, value) pairs."""
        return self._data.items()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __repr__(self) -> str:
        return repr(self._data)

    def to_dict(self) -> dict[K, V]:
        """A plain (shallow) ``dict`` copy."""
        return dict(self._data)


EMPTY: FrozenMap[Any, Any] = FrozenMap()


def owning(data: dict[K, V]) -> FrozenMap[K, V]:
    """A :class:`FrozenMap` that takes *data* over instead of copying it (the caller made it and drops it)."""
    made: FrozenMap[K, V] = object.__new__(FrozenMap)
    made._data = data
    made._hash = None
    return made


#: What a string of a JSON value cannot hold: a lone surrogate (not Unicode text), and
#: with ``carried``, U+FFFE or U+FFFF too (see :func:`uncarried_json_text`).
_NOT_UNICODE = _SURROGATE
_NOT_CARRIED = re.compile("[\ud800-\udfff\ufffe\uffff]")


def uncarried_json_text(value: str) -> str | None:
    """Why a string inside a JSON value cannot be carried, or ``None`` when it can.

    A lone surrogate is not Unicode text: no encoder writes it.  ``body`` and
    non-string problem members are written into XML as JSON text, where control
    characters become ``\\uXXXX`` escapes but U+FFFE and U+FFFF (not XML
    characters either) would stay raw.  The one rule for both the model
    (:func:`freeze_json` with ``carried``) and the JSON decoder (``_json._values.decode``).

    Example:
        >>> uncarried_json_text("ok\\u0001") is None
        True
        >>> print(uncarried_json_text("x\\ufffe"))
        holds '\\ufffe' at offset 1, which XML 1.0 cannot carry
        >>> print(uncarried_json_text("ab\\ud800"))
        holds a lone surrogate '\\ud800' at offset 2 (not Unicode text)
    """
    found = _NOT_CARRIED.search(value)
    if found is None:
        return None
    char, at = found.group(), found.start()
    if char in "\ufffe\uffff":
        return f"holds {char!r} at offset {at}, which XML 1.0 cannot carry"
    return f"holds a lone surrogate {char!r} at offset {at} (not Unicode text)"


def _refuse_text(text: str, where: str, key: bool) -> None:
    """Raise the error that a string *text* of a JSON value earns (it holds a character the rules refuse)."""
    if _SURROGATE.search(text):
        raise ValueError(f"{where}: lone surrogate in {'an object key' if key else 'a string'} (not Unicode text)")
    raise ValueError(f"{where}{' member name' if key else ''} {uncarried_json_text(text)}")


def freeze_json(
    value: object, where: str = "value", depth: int = 0, *, carried: bool = False, limit: int = MAX_NESTING
) -> JSONValue:
    """Deep-copy a JSON value into immutable containers, checking its types, in one walk.

    Args:
        value: the value (dicts, lists or tuples, str, int, float, bool, None).
        where: what the value is, for the messages (``body``, ``problem``).
        depth: how deep *value* sits in the value it belongs to.
        carried: also refuse strings and member names that the XML form of a
            JSON value cannot carry (:func:`uncarried_json_text`): a ``body``.
        limit: arrays and objects at *limit* levels or deeper are refused (at
            most :data:`~multistatus._limits.MAX_NESTING`; a reader passes less).

    Raises:
        TypeError: for a value JSON cannot carry (set, bytes, object, non-str key).
        ValueError: for NaN or infinity, a lone surrogate, with *carried* U+FFFE
            or U+FFFF, or arrays and objects nested deeper than *limit* levels
            (a value that holds itself is one).

    Example:
        >>> freeze_json({"ids": [1, 2]})
        {'ids': (1, 2)}
    """
    return _freeze(value, where, depth, _NOT_CARRIED if carried else _NOT_UNICODE, limit)


#: The most digits of an integer: Python's default bound for int/str conversion, so that every
#: process writes what the model holds (``sys.set_int_max_str_digits`` is the process's own).
_DIGITS = 4300
_LARGEST = 10**_DIGITS


def exact(text: str) -> str:
    """*text* as a ``str`` itself: a subclass (a ``str`` enum member) may format itself as
    something else (``Kind.CREATED``), and the XML writer formats what JSON writes by value."""
    return text if text.__class__ is str else str.__str__(text)


def _freeze(value: object, where: str, depth: int, bad: re.Pattern[str], limit: int) -> JSONValue:
    """:func:`freeze_json`, *bad* the characters no string may hold."""
    if isinstance(value, str):
        if bad.search(value):
            _refuse_text(value, where, False)
        return exact(value)
    if value is None or isinstance(value, int):  # (bool is an int)
        if value.__class__ is int and (value >= _LARGEST or value <= -_LARGEST):
            raise ValueError(f"{where}: an integer of more than {_DIGITS} digits (Python will not write it as text)")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where}: {value!r} is not a JSON number")
        return value
    if isinstance(value, (dict, Mapping)):  # (dict first: no ABC check for what json.loads made)
        if depth >= limit:
            _too_deep(where, limit)
        out: dict[str, JSONValue] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: JSON object keys must be str, not {type(key).__name__}")
            if bad.search(key):
                _refuse_text(key, where, True)
            key = exact(key)
            if item.__class__ is str and not bad.search(item):  # (a string member: the rule above, no call)
                out[key] = item
            else:
                out[key] = _freeze(item, f"{where}.{key}", depth + 1, bad, limit)
        return owning(out)
    if isinstance(value, (list, tuple)):
        if depth >= limit:
            _too_deep(where, limit)
        return tuple([_freeze(item, f"{where}[{i}]", depth + 1, bad, limit) for i, item in enumerate(value)])
    raise TypeError(f"{where}: {type(value).__name__} is not a JSON value")


def _too_deep(where: str, limit: int) -> None:
    top = where if len(where) <= 40 else where[:37] + "..."
    raise ValueError(f"{top}: JSON arrays and objects nested deeper than {limit} levels")


def thaw_json(value: JSONValue) -> Any:
    """Turn a frozen JSON value back into plain dicts and lists.

    Example:
        >>> thaw_json(freeze_json({"ids": [1, 2]}))
        {'ids': [1, 2]}
    """
    if isinstance(value, FrozenMap):
        return {key: thaw_json(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [thaw_json(item) for item in value]
    return value


def _json_kind(value: JSONValue) -> int:
    if isinstance(value, bool):  # before int: bool is an int subclass
        return 1
    if isinstance(value, int):
        return 2
    return 3 if isinstance(value, float) else 0


def same_json(a: JSONValue, b: JSONValue) -> bool:
    """Whether two frozen JSON values are the same JSON value.

    Stricter than ``==``: ``true``, ``1`` and ``1.0`` differ (Python has them
    equal), and so do ``0.0`` and ``-0.0``; object members compare in any order.

    Example:
        >>> same_json(True, 1), same_json(1, 1.0), same_json((1, "a"), (1, "a"))
        (False, False, True)
    """
    kind = _json_kind(a)
    if kind != _json_kind(b):
        return False
    if kind == 3:
        assert isinstance(a, float)
        assert isinstance(b, float)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(map(same_json, a, b))
    if isinstance(a, FrozenMap):
        return (
            isinstance(b, FrozenMap)
            and a.keys() == b.keys()
            and all(same_json(item, b[key]) for key, item in a.items())
        )
    return a == b
