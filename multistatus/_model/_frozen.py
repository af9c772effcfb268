"""Immutable containers used by the value objects: a frozen mapping and frozen JSON."""

from __future__ import annotations

import math
import re
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any, TypeVar, Union

from .._limits import MAX_NESTING

__all__ = ["FrozenMap", "JSONValue", "draft", "freeze_json", "thaw_json"]

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


def freeze_json(value: object, where: str = "value", depth: int = 0) -> JSONValue:
    """Deep-copy a JSON value into immutable containers, checking its types.

    Raises:
        TypeError: for a value JSON cannot carry (set, bytes, object, non-str key).
        ValueError: for NaN or infinity, or arrays and objects nested deeper
            than :data:`~multistatus._limits.MAX_NESTING` levels (a value that
            holds itself is one).

    Example:
        >>> freeze_json({"ids": [1, 2]})
        {'ids': (1, 2)}
    """
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise ValueError(f"{where}: lone surrogate in a string (not Unicode text)")
        return value
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where}: {value!r} is not a JSON number")
        return value
    if depth >= MAX_NESTING and isinstance(value, (Mapping, list, tuple)):
        top = where if len(where) <= 40 else where[:37] + "..."
        raise ValueError(f"{top}: JSON arrays and objects nested deeper than {MAX_NESTING} levels")
    if isinstance(value, Mapping):
        out: dict[str, JSONValue] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: JSON object keys must be str, not {type(key).__name__}")
            if _SURROGATE.search(key):
                raise ValueError(f"{where}: lone surrogate in an object key (not Unicode text)")
            out[key] = freeze_json(item, f"{where}.{key}", depth + 1)
        return FrozenMap(out)
    if isinstance(value, (list, tuple)):
        return tuple(freeze_json(item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value))
    raise TypeError(f"{where}: {type(value).__name__} is not a JSON value")


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
