"""The application's header fields merged into an answer the library made."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ._reply import Reply

__all__ = ["merge_headers"]

#: The header fields the library sets on a rendered answer; the application's are dropped
#: (``Vary`` is merged instead).
OWNED_HEADERS = frozenset({"content-type", "content-length", "preference-applied"})


def merge_headers(answer: Reply, extra: Iterable[tuple[str, str]]) -> Reply:
    """*answer* with the application's header fields *extra* added.

    ``Content-Type``, ``Content-Length`` and ``Preference-Applied`` stay the
    library's (the application's are dropped); ``Vary`` values are merged into
    one field; any other field the application set replaces the library's of
    the same name, and the rest are appended in the application's order.

    Example:
        >>> import multistatus as ms
        >>> from multistatus.wsgi import merge_headers
        >>> r = merge_headers(ms.reply(ms.MultiStatus()), [("ETag", '"7"'), ("Vary", "Cookie"),
        ...                                                ("Content-Type", "text/plain")])
        >>> r.header("etag"), r.header("vary"), r.header("content-type")
        ('"7"', 'Accept, Prefer, Brief, Cookie', 'application/xml; charset=utf-8')
    """
    fields = [(str(k), str(v)) for k, v in extra if str(k).lower() not in OWNED_HEADERS]
    if not fields:
        return answer
    vary = [v for k, v in fields if k.lower() == "vary"]
    fields = [(k, v) for k, v in fields if k.lower() != "vary"]
    replaced = {k.lower() for k, _ in fields}
    out: list[tuple[str, str]] = []
    for key, value in answer.headers:
        low = key.lower()
        if low in replaced:
            continue
        if low == "vary" and vary:
            value = _merge_vary([value, *vary])
            vary = []
        out.append((key, value))
    if vary:
        out.append(("Vary", _merge_vary(vary)))
    out.extend(fields)
    return replace(answer, headers=tuple(out))


def _merge_vary(values: Iterable[str]) -> str:
    seen: dict[str, str] = {}
    for value in values:
        for token in value.split(","):
            token = token.strip()
            if token and token.lower() not in seen:
                seen[token.lower()] = token
    return ", ".join(seen.values())
