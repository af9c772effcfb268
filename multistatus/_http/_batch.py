"""Reading the items of a batch request: a JSON array, or an object with an ``items`` array.

Sans-I/O: bytes (or a binary file to read a bounded amount from) in, a list
of decoded JSON items out.  Every failure is a :class:`~multistatus.ParseError`
(``status_hint`` 400), an :class:`~multistatus.UnsupportedMediaType` (415) or a
:class:`~multistatus.LimitExceeded` (413), which
the edges (:mod:`multistatus.wsgi`, :mod:`multistatus.asgi`, the Flask and
Django helpers) answer with a problem document in the negotiated
representation.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from .._exceptions import LimitExceeded, ParseError, UnsupportedMediaType
from .._json._values import decode
from .._limits import Limits, depth_limit
from ._items import validate_items

if TYPE_CHECKING:
    from .._collector import Results

__all__ = ["BATCH_LIMITS", "read_batch"]

#: What :func:`read_batch` takes by default: 16 MiB and 10,000 items (a batch, not a
#: bulk load; raise them with ``limits=``).
BATCH_LIMITS = Limits(max_bytes=16 * 1024 * 1024, max_responses=10_000)

#: A JSON string once its escapes are gone (see :func:`_check_depth`), or one bracket.
#: An unclosed string matches to the end: no match is ever given up and tried again.
_TOKENS = re.compile(r'"[^"]*"?|[\[\]{}]')
_JSON_TYPES = ("application/json", "text/json")


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _read_bounded(body: bytes | bytearray | memoryview | str | _Readable, max_bytes: int | None) -> bytes | str:
    if isinstance(body, str):
        # (its size in UTF-8: at least one byte a character, at most four; a lone surrogate counts three)
        if max_bytes is not None and (
            len(body) > max_bytes
            or (len(body) * 4 > max_bytes and len(body.encode("utf-8", "surrogatepass")) > max_bytes)
        ):
            raise LimitExceeded(f"the request body is larger than {max_bytes} bytes")
        return body
    if isinstance(body, (bytes, bytearray, memoryview)):
        data = bytes(body)
    elif callable(getattr(body, "read", None)):
        data = body.read(-1 if max_bytes is None else max_bytes + 1)
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError(f"read() returned {type(data).__name__}, not bytes")
        data = bytes(data)
    else:
        raise TypeError(f"the body must be bytes, str or a binary file, not {type(body).__name__}")
    if max_bytes is not None and len(data) > max_bytes:
        raise LimitExceeded(f"the request body is larger than {max_bytes} bytes")
    return data


def _text(data: bytes | str, content_type: str | None) -> str:
    if content_type:  # (whatever the body was handed over as: its type says what it is)
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type not in _JSON_TYPES and not media_type.endswith("+json"):
            raise UnsupportedMediaType(
                f"the request body must be JSON (application/json), not {media_type or 'untyped'}"
            )
    if isinstance(data, str):
        return data
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")  # RFC 8259 §8.1: JSON between systems is UTF-8
    except UnicodeDecodeError as exc:
        raise ParseError(f"the request body is not UTF-8: {exc.reason} at byte {exc.start}") from exc


def _check_depth(text: str, max_depth: int) -> None:
    """Refuse *text* when its brackets nest deeper than *max_depth*.

    Linear in time and constant in memory beyond two copies of *text*: the
    escapes are taken out first, left to right as a string reads them (each
    ``\\\\``, then each ``\\"``), so a string is then a quote, anything but a quote, and
    a quote, which :data:`_TOKENS` matches with a one-character repeat (no
    backtracking, no state kept per character).  Outside a string a backslash
    is no JSON: the decoder stops there, whatever is counted after it.
    """
    depth = 0
    for match in _TOKENS.finditer(text.replace("\\\\", "").replace('\\"', "")):
        token = match.group()
        if token == "[" or token == "{":
            depth += 1
            if depth > max_depth:
                raise LimitExceeded(f"the request body nests deeper than {max_depth} levels")
        elif token == "]" or token == "}":
            depth -= 1


def read_batch(
    body: bytes | bytearray | memoryview | str | _Readable,
    *,
    content_type: str | None = None,
    limits: Limits = BATCH_LIMITS,
    member: str | None = "items",
    min_items: int = 1,
    item: type[Any] | Callable[[Any], Any] | None = None,
    results: Results | None = None,
    href: str = "{id}",
) -> list[Any]:
    """The items of a batch request body: a JSON array, or an object with an ``items`` array.

    The size is checked before anything is decoded (a binary file is read
    for at most ``limits.max_bytes`` + 1 bytes), the nesting depth before
    the JSON is parsed, the number of items after; every check takes time
    linear in the size of the body.

    Args:
        body: the request body: bytes, text, or a binary file (``wsgi.input``,
            werkzeug's ``request.stream``) to read it from.
        content_type: the request's ``Content-Type``; when given it must be a
            JSON type (``application/json``, ``text/json``, ``*+json``); a
            body without one is read as JSON.
        limits: ``max_bytes`` bounds the body, ``max_depth`` the nesting
            (never above the readers' cap), ``max_responses`` the number of
            items; by default :data:`BATCH_LIMITS` (16 MiB, 10,000 items).
        member: the member of an object body holding the items; ``None``
            accepts a JSON array only.
        min_items: the fewest items a batch may hold (1: an empty batch is
            refused; 0 accepts it, and the answer is a 207 with no responses).
        item: validate each item on its own: a pydantic model or a callable
            (see :func:`validate_items`); a refused item is recorded in
            *results* as its own 422 and left out of what is returned, so one
            bad item never costs the batch.
        results: the request's collector, for the items *item* refuses.
        href: the href of a refused item (``{id}``: its ``id`` or position).

    Returns:
        The decoded items, in order (any JSON values: the application judges them).

    Raises:
        UnsupportedMediaType: a ``Content-Type`` that is not JSON (``status_hint`` 415).
        ParseError: not JSON, not UTF-8, not an array of items, fewer than
            *min_items* items, or JSON that :func:`~multistatus.from_json`
            refuses too: ``NaN``, ``Infinity``, a number too large for a float
            (``1e999``), an object naming a member twice; ``path`` is then its
            JSON pointer (``status_hint`` 400).
        LimitExceeded: the body is too large, too deep, or has too many
            items (``status_hint`` 413).
        TypeError: *body* is neither bytes, text nor a binary file.

    Example:
        >>> import multistatus as ms
        >>> ms.read_batch(b'[{"name": "a"}, {"name": "b"}]')
        [{'name': 'a'}, {'name': 'b'}]
        >>> ms.read_batch(b'{"items": [1, 2]}', content_type="application/json")
        [1, 2]
        >>> try:
        ...     ms.read_batch(b"[oops")
        ... except ms.ParseError as exc:
        ...     print(exc.status_hint, exc)
        400 the request body is not JSON: Expecting value (line 1, column 2)
        >>> try:
        ...     ms.read_batch(b"[1, 2, 3]", limits=ms.Limits(max_responses=2))
        ... except ms.LimitExceeded as exc:
        ...     print(exc.status_hint, exc)
        413 3 items in one request; the limit is 2
    """
    raw = _read_bounded(body, limits.max_bytes)
    text = _text(raw, content_type)
    if not text.strip():
        raise ParseError("the request body is empty; send a JSON array of items")
    _check_depth(text, depth_limit(limits))
    data = decode(text, limits, "the request body is not JSON", utf8=not isinstance(raw, str))
    items = data.get(member) if member is not None and isinstance(data, dict) else data
    if not isinstance(items, list):
        shape = "a JSON array of items" + (f" or an object with an {member!r} array" if member else "")
        raise ParseError(f"the request body must be {shape}, not {_kind(data)}")
    if limits.max_responses is not None and len(items) > limits.max_responses:
        raise LimitExceeded(f"{len(items)} items in one request; the limit is {limits.max_responses}")
    if len(items) < min_items:
        raise ParseError(f"the request holds {len(items)} items; send at least {min_items}")
    if item is None:
        return items
    if results is None:
        raise TypeError("read_batch(item=...) needs results=, the collector that records the items it refuses")
    return validate_items(items, item, results, href)


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object without an array of items"
    return {str: "a string", bool: "a boolean", type(None): "null", list: "an array"}.get(type(value), "a number")
