"""Checks and helpers the value classes share (no XML library, no I/O)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from .._names import (
    DESCRIPTION,
    ERROR,
    HREF,
    JOB,
    LOCATION,
    PROP,
    PROPSTAT,
    RESPONSE,
    REST_BODY,
    REST_HEADERS,
    REST_ID,
    REST_REPLAYED,
    STATUS,
    SYNC_TOKEN,
)
from ._element import Element, check_text
from ._frozen import EMPTY
from ._status import Status

__all__ = ["Outcome"]

Outcome = Literal["succeeded", "failed", "partial", "other"]
set_slot = object.__setattr__
new = object.__new__


def opt_text(value: object, what: str) -> str | None:
    return None if value is None else check_text(value, what)


def status_of(value: int | str | Status, what: str = "") -> Status:
    """The status a multistatus may hold: 200-599 (the one rule for the model and both readers).

    *what* starts the message (``response '/a'``); a reader, which says where itself, gives none.
    """
    status = value if value.__class__ is Status else Status.of(value)
    if status.code < 200:
        why = f"1xx status {status.code} cannot appear in a multistatus document"
        raise ValueError(f"{what}: {why}" if what else why)
    return status


#: Elements the readers give a meaning to, by level: an extension with one of these
#: names would be read back as that part, not as an extension.
RESERVED = {
    "multistatus": frozenset({RESPONSE, DESCRIPTION, SYNC_TOKEN, JOB}),
    "response": frozenset(
        {HREF, STATUS, PROPSTAT, ERROR, DESCRIPTION, LOCATION, REST_ID, REST_HEADERS, REST_BODY, REST_REPLAYED}
    ),
    "propstat": frozenset({PROP, STATUS, ERROR, DESCRIPTION}),
}


def extensions_of(items: Iterable[Element], what: str) -> tuple[Element, ...]:
    """Extension elements of a *what* (``multistatus``, ``response``, ``propstat``), checked.

    An extension may not carry the name of a part the readers know at that
    level (``DAV:href`` beside a response's href would be read back as a
    second href): what the model holds, both codecs give back the same.
    """
    out = tuple(items)
    reserved = RESERVED[what]
    for item in out:
        if not isinstance(item, Element):
            raise TypeError(f"{what} extensions must be Element values, not {type(item).__name__}")
        if item.tag in reserved:
            raise ValueError(f"{item.tag} is a part of a {what}, not an extension")
    return out


def value_repr(obj: object, positional: tuple[str, ...], optional: tuple[str, ...]) -> str:
    args = [repr(getattr(obj, name)) for name in positional]
    for name in optional:
        value = getattr(obj, name)
        if value is not None and value != () and value != EMPTY:
            args.append(f"{name}={value!r}")
    return f"{type(obj).__name__}({', '.join(args)})"
