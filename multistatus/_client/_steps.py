"""What a batch send is made of: its items, its chunks, and the steps the state machine asks a driver for.

:mod:`._batch` keeps the state and every rule; these are the values it passes
around, and the response it makes for an item the server said nothing usable
about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .._model import Error, Response

__all__ = ["Chunk", "Item", "Send", "Wait", "href_of", "made_response"]


@dataclass(slots=True, eq=False)
class Item:
    index: int
    item: Any
    key: str
    sent: Any  # what goes on the wire: the item, with its key member when the policy adds one
    data: bytes | None = None  # its JSON alone, once needed (the fresh items of a chunk are encoded together)
    attempts: int = 0
    last: Response | None = None


@dataclass(slots=True, eq=False)
class Chunk:
    items: list[Item]
    key: str
    failures: int = 0  # whole-chunk failures in a row
    body: bytes | None = None  # the request body, when made in one piece with the chunk


@dataclass(frozen=True, slots=True)
class Send:
    """Send *body* with *headers* (a POST of a JSON array) and report the answer."""

    body: bytes
    headers: Mapping[str, str]
    count: int
    chunk: Chunk


@dataclass(frozen=True, slots=True)
class Wait:
    """Sleep *seconds*, then ask again."""

    seconds: float


def href_of(key: str) -> str:
    return quote(key, safe="/:@!$&'()*+,;=-._~?#%") or "-"


def made_response(
    item: Item, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """A response the client makes for an item the server said nothing usable about."""
    retry = {"retry-after": headers["retry-after"]} if headers and "retry-after" in headers else None
    try:
        return Response(
            href_of(item.key), status=status, id=item.key, error=Error(code=code, message=message), headers=retry
        )
    except ValueError:  # a key or a message no document can carry
        return Response(href_of(item.key), status=status, error=Error(code=code))
