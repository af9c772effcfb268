"""Reading a multistatus out of an async HTTP response: httpx's ``AsyncClient`` and aiohttp.

Neither library is imported: the response is read through the attributes
they have (``aiter_bytes``/``aread`` for httpx, ``content.iter_chunked``/``read``
for aiohttp), at most ``limits.max_bytes`` + 1 bytes of a body not read
yet, then handed to the same code as :func:`~multistatus.from_response`
(decompression, sniffing, charset, limits).
"""

from __future__ import annotations

from typing import Any

from .._exceptions import LimitExceeded
from .._limits import DEFAULT_LIMITS, Limits
from .._model import MultiStatus
from ._body import _body_of, _decompress, _status_of, from_body
from ._headers import carrying_headers, header_value

__all__ = ["from_async_response"]

_CHUNK = 64 * 1024
#: The content codings read as they came (the bytes on the wire, bounded) and inflated by ``_decompress``,
#: which stops at the limit; the others are left to the client to decode, one chunk at a time.
RAW_CODINGS = frozenset(("", "identity", "gzip", "x-gzip"))


async def _bounded(chunks: Any, limits: Limits) -> bytes:
    max_bytes = limits.max_bytes
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if max_bytes is not None and len(body) > max_bytes:
            raise LimitExceeded(f"body is larger than the {max_bytes}-byte limit")
    return bytes(body)


async def _read(response: Any, limits: Limits) -> bytes:
    if callable(getattr(response, "aiter_bytes", None)):  # httpx
        if getattr(response, "is_stream_consumed", True) or getattr(response, "is_closed", True):
            return _body_of(response, limits)  # read already (.content): a non-streamed request
        coding = (header_value(response, "Content-Encoding") or "").strip().lower()
        chunks = response.aiter_raw(_CHUNK) if coding in RAW_CODINGS else response.aiter_bytes(_CHUNK)
        try:
            return await _bounded(chunks, limits)
        finally:
            await response.aclose()
    cached = getattr(response, "_body", None)  # aiohttp, after ``await response.read()``
    if isinstance(cached, (bytes, bytearray)):
        return bytes(cached)
    content = getattr(response, "content", None)
    if callable(getattr(content, "iter_chunked", None)):  # aiohttp's StreamReader
        return await _bounded(content.iter_chunked(_CHUNK), limits)  # type: ignore[union-attr]
    read = getattr(response, "aread", None) or getattr(response, "read", None)
    if callable(read):
        data = await read()
        if isinstance(data, (bytes, bytearray, memoryview)):
            return bytes(data)
        raise TypeError(f"{type(response).__name__}.read() did not return bytes")
    return _body_of(response, limits)  # (raises TypeError when there is no body to find)


async def from_async_response(response: object, *, limits: Limits = DEFAULT_LIMITS) -> MultiStatus:
    """Parse the multistatus carried by an async HTTP response: httpx ``AsyncClient`` or aiohttp.

    The async twin of :func:`from_response`, with the same sniffing, charset,
    decompression and limits.  A streamed httpx response
    (``client.stream(...)``, ``send(..., stream=True)``) and an aiohttp
    response not read yet are read here, at most ``limits.max_bytes`` + 1
    bytes, then closed (httpx); a response already read (``await
    response.aread()``, ``await response.read()``, a non-streamed request)
    is taken as it is.  Any object with an async ``read()`` or ``aread()``
    and ``status``/``status_code`` and ``headers`` works.

    Args:
        response: the response object.
        limits: parsing limits.

    Returns:
        The parsed :class:`~multistatus.MultiStatus`.

    Raises:
        NotMultiStatus: the body is an HTML error page, a ``DAV:error``
            document, a problem (RFC 9457), another XML document, or empty.
        ParseError: the body is a malformed multistatus.
        LimitExceeded: a limit was hit.
        TypeError: *response* has no readable body.

    Example:
        >>> import asyncio
        >>> import multistatus as ms
        >>> class Captured:  # what aiohttp's ClientResponse offers
        ...     status = 207
        ...     headers = {"Content-Type": "application/json"}
        ...     async def read(self):
        ...         return b'{"responses": [{"href": "/items/1", "status": 201}]}'
        >>> asyncio.run(ms.from_async_response(Captured())).summary.all_succeeded
        True
    """
    status = _status_of(response)
    content_type = header_value(response, "Content-Type")
    body = await _read(response, limits)
    body = _decompress(body, header_value(response, "Content-Encoding"), limits)
    with carrying_headers(response):  # a NotMultiStatus says what the response's headers were
        return from_body(body, content_type, status=status, limits=limits)
