"""Process-wide memos of values derived from outside input, bounded in entries and in bytes.

Names, namespaces, status lines and request header values repeat from one
document or request to the next, so the library remembers what it derived from
them (a checked name, a parsed status).  The keys come from outside: a hostile
peer can send 20 kB property names or reason phrases, and one memo per rule,
each with its own bound, let such keys stay for the life of the process.  Every
such memo is a :class:`Memo`: it keeps no key longer than ``max_length``
characters (summed over the parts of a tuple key), at most ``max_entries`` of
them, and starts afresh when full, so nothing a peer sent stays for good and what
is kept is bounded by ``max_entries * max_length`` characters (and the values
derived from them, of about the same size).
"""

from __future__ import annotations

from collections.abc import Hashable, ItemsView, Iterator, ValuesView
from typing import Generic, TypeVar

__all__ = ["Memo"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _length(key: object) -> int:
    """The characters (or bytes) *key* holds; parts of a tuple added up, anything else counted as one."""
    if isinstance(key, (str, bytes)):
        return len(key)
    if isinstance(key, tuple):
        return sum(_length(part) for part in key)
    return 1


class Memo(Generic[K, V]):
    """A dict-like memo with a bound on the number of entries and on the length of each key.

    :attr:`get` is the underlying dict's own ``get`` (a hot loop looks keys up
    without a method call of ours); :meth:`put` remembers a value when its key
    is short enough, clearing the memo first when it is full.

    Example:
        >>> memo: Memo[str, int] = Memo(2, max_length=3)
        >>> memo.put("abc", 1), memo.put("abcd", 2), memo.get("abcd")
        (1, 2, None)
        >>> _ = memo.put("x", 3); _ = memo.put("y", 4); len(memo), memo.get("abc")
        (1, None)
    """

    __slots__ = ("_data", "get", "max_entries", "max_length")

    def __init__(self, max_entries: int, *, max_length: int = 256) -> None:
        self._data: dict[K, V] = {}
        self.get = self._data.get
        self.max_entries = max_entries
        self.max_length = max_length

    def put(self, key: K, value: V) -> V:
        """Remember *value* for *key* (unless the key is too long) and return *value*."""
        if _length(key) <= self.max_length:
            data = self._data
            if len(data) >= self.max_entries:
                data.clear()  # (in place: ``get`` stays the same bound method)
            data[key] = value
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def items(self) -> ItemsView[K, V]:
        """The remembered keys and values (a view)."""
        return self._data.items()

    def values(self) -> ValuesView[V]:
        """The remembered values (a view)."""
        return self._data.values()
