"""Reading an answer that requests or httpx opened as a stream: at most the body limit far, then parsed.

requests and httpx read a whole body before handing back a response, and
inflate a gzip body whole: a small answer can inflate to gigabytes.  The
drivers open every answer as a stream instead (``stream=True``), and this reads
it: a gzip body as it came (the bytes on the wire, bounded) and inflated by
:func:`~multistatus._client._body._decompress`, which stops at the limit; any
other coding as the client decodes it, one chunk at a time, stopped at the limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .._client._async import RAW_CODINGS
from .._client._body import _decompress, _status_of, from_body
from .._client._headers import carrying_headers, header_value
from .._exceptions import LimitExceeded
from .._limits import Limits
from .._model import MultiStatus

__all__ = ["capped", "read_body", "read_streamed"]

_CHUNK = 16 * 1024


def capped(chunks: Iterable[bytes], max_bytes: int | None) -> bytes:
    """The bytes of *chunks*, refused as soon as they are more than *max_bytes*."""
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if max_bytes is not None and len(body) > max_bytes:
            raise LimitExceeded(f"body is larger than the {max_bytes}-byte limit")
    return bytes(body)


def read_streamed(response: Any, limits: Limits) -> MultiStatus:
    """The multistatus of a requests or httpx *response* opened as a stream; the response is closed."""
    return read_body(response, limits)()


def read_body(response: Any, limits: Limits) -> Callable[[], MultiStatus]:
    """Read the body of a requests or httpx *response* opened as a stream (then closed); parse it when called.

    The reading is I/O, done now; the parsing is CPU, done by the function
    returned (on another thread if the caller likes: it touches no response).
    """
    coding = (header_value(response, "Content-Encoding") or "").strip().lower()
    raw = coding in RAW_CODINGS
    try:
        if callable(getattr(response, "iter_raw", None)):  # httpx
            chunks = response.iter_raw(_CHUNK) if raw else response.iter_bytes(_CHUNK)
        else:  # requests: urllib3's response
            chunks = response.raw.stream(_CHUNK, decode_content=not raw)
        body = capped(chunks, limits.max_bytes)
    finally:
        response.close()
    content_type, status = header_value(response, "Content-Type"), _status_of(response)

    def parse() -> MultiStatus:
        with carrying_headers(response):  # a NotMultiStatus says what the response's headers were
            return from_body(
                _decompress(body, coding, limits) if raw else body, content_type, status=status, limits=limits
            )

    return parse
