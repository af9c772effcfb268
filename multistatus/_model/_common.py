"""Checks and helpers the value classes share (no XML library, no I/O)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from ._element import Element, check_text
from ._frozen import EMPTY, FrozenMap, JSONValue
from ._status import Status

__all__ = ["Outcome"]

Outcome = Literal["succeeded", "failed", "partial", "other"]
set_slot = object.__setattr__
new = object.__new__


def opt_text(value: object, what: str) -> str | None:
    return None if value is None else check_text(value, what)


def status_of(value: int | str | Status, what: str) -> Status:
    status = Status.of(value)
    if status.code < 200:
        raise ValueError(f"{what}: 1xx status {status.code} cannot appear in a multistatus document")
    return status


def extensions_of(items: Iterable[Element], what: str) -> tuple[Element, ...]:
    out = tuple(items)
    for item in out:
        if not isinstance(item, Element):
            raise TypeError(f"{what} extensions must be Element values, not {type(item).__name__}")
    return out


def value_repr(obj: object, positional: tuple[str, ...], optional: tuple[str, ...]) -> str:
    args = [repr(getattr(obj, name)) for name in positional]
    for name in optional:
        value = getattr(obj, name)
        if value is not None and value != () and value != EMPTY:
            args.append(f"{name}={value!r}")
    return f"{type(obj).__name__}({', '.join(args)})"


def check_json_text(value: JSONValue, where: str) -> None:
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
            check_json_text(key, f"{where} member name")
            check_json_text(item, f"{where}.{key}")
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            check_json_text(item, f"{where}[{index}]")
