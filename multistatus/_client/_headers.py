"""Header fields of the response objects of any HTTP client (requests, httpx, urllib, aiohttp), read alike."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from .._exceptions import NotMultiStatus

__all__ = ["carrying_headers", "header_value", "headers_of"]


@contextmanager
def carrying_headers(response: object) -> Iterator[None]:
    """A :class:`NotMultiStatus` raised inside gets the header fields of *response*."""
    try:
        yield
    except NotMultiStatus as exc:
        exc.headers = headers_of(response)
        raise


def headers_of(response: object) -> dict[str, str]:
    """The header fields of a response object (requests, httpx, urllib, aiohttp), names in lower case."""
    headers = getattr(response, "headers", None)
    items = getattr(headers, "items", None)
    if not callable(items):
        return {}
    out: dict[str, str] = {}
    for name, value in items():
        if isinstance(name, bytes):
            name = name.decode("latin-1")
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(name, str) and isinstance(value, str):
            out.setdefault(name.lower(), value)
    return out


def header_value(response: object, name: str) -> str | None:
    """A header field of any response object, whatever the case of *name*: its ``headers``
    (case-insensitive mappings, plain dicts in any case) or, lacking those, ``getheader()``
    (``http.client``).  The one rule for reading a field of a client's response."""
    name = name.lower()
    headers = getattr(response, "headers", None)
    value: object = None
    if headers is not None and hasattr(headers, "get"):
        value = headers.get(name)
        if value is None:
            value = headers.get(name.title())
        if value is None and isinstance(headers, Mapping):
            value = next((v for k, v in headers.items() if isinstance(k, str) and k.lower() == name), None)
    elif callable(getattr(response, "getheader", None)):
        value = response.getheader(name)  # type: ignore[attr-defined]
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if isinstance(value, str) else None
