"""What a batch send is made of: its items, its chunks, and the steps the state machine asks a driver for.

:mod:`._batch` keeps the state and every rule; these are the values it passes
around, and the response it makes for an item the server said nothing usable
about.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .._hrefs import key_parts
from .._model import Error, Response

__all__ = ["Chunk", "Item", "Send", "Wait", "href_of", "made_response", "matched"]


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


def matched(
    items: Iterable[Item], responses: Iterable[Response], base: str | None
) -> tuple[dict[str, list[Response]], list[Response]]:
    """The responses of each item (by its key), and those for no item.

    A response belongs to the item whose key is its ``id``; one without a known
    id, to the item whose key is one of its hrefs, compared as ``same_href``
    does (relative to *base*).
    """
    found: dict[str, list[Response]] = {it.key: [] for it in items}
    by_rest: dict[str, str] = {}  # (built only when an answer has no known id)
    strangers: list[Response] = []
    for response in responses:
        owner = response.id if response.id in found else None
        if owner is None:
            if not by_rest:
                for k in found:
                    by_rest.setdefault(key_parts(k, base).rest, k)
            owner = next((by_rest[r] for h in response.hrefs if (r := key_parts(h, base).rest) in by_rest), None)
        if owner is None:
            strangers.append(response)
        else:
            found[owner].append(response)
    return found, strangers
