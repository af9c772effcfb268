"""Reading the input of the ``multistatus`` command: a file, standard input, a ``curl -i`` capture, a URL."""

from __future__ import annotations

import argparse
import os
import re
from dataclasses import dataclass, field
from typing import IO

from .._client import from_response, sniff
from .._exceptions import NotMultiStatus, ParseError
from .._limits import DEFAULT_LIMITS
from .._model import MultiStatus

__all__ = ["LIMITS", "read_input", "with_headers"]

LIMITS = DEFAULT_LIMITS  # fetched bodies are read and parsed within the same limits
_ACCEPT = "application/xml, text/xml;q=0.9, application/json;q=0.9, */*;q=0.1"
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class _Unreadable(Exception):
    """The input cannot be turned into a multistatus; the message is shown as is (exit 2)."""


@dataclass(frozen=True)
class _Input:
    """A body and what came with it; duck-typed as a response for :func:`from_response`."""

    name: str
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)
    status_code: int | None = None

    def document(self) -> MultiStatus:
        try:
            return from_response(self, limits=LIMITS)
        except ParseError as exc:
            raise _Unreadable(self._explain(exc)) from None

    def _explain(self, exc: ParseError) -> str:
        """The error once, with its position once."""
        text, line, column = exc.message, exc.line, exc.column
        if isinstance(exc, NotMultiStatus) and sniff(self.content) == "unknown":
            excerpt = repr(self.content[:24]) + ("..." if len(self.content) > 24 else "")
            text = re.sub(r"\(it starts with .*\)$", lambda _: f"(it starts with {excerpt})", text, flags=re.DOTALL)
        if isinstance(exc, NotMultiStatus) and exc.detail and exc.detail not in text:
            text += f": {exc.detail}"
        if self.status_code is None and "Content-Type" not in self.headers:
            text = text.replace("the body (no Content-Type)", self.name, 1)
        where = [f"line {line}" + (f", column {column}" if column is not None else "")] if line is not None else []
        where += [f"at {exc.path}"] if exc.path else []
        return f"{text} ({'; '.join(where)})" if where else text


def _read_http_message(data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and decoded body of an HTTP/1.x response as ``curl -i`` prints it."""
    while True:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            head, sep, rest = data.partition(b"\n\n")
        if not sep:
            raise _Unreadable("the HTTP response has no blank line between its headers and its body")
        lines = head.decode("latin-1").splitlines()
        parts = lines[0].split(None, 2)
        # ASCII digits only: str.isdigit() also takes "²" and "２", which int() refuses or misreads.
        if len(parts) < 2 or not (len(parts[1]) == 3 and parts[1].isascii() and parts[1].isdigit()):
            raise _Unreadable(f"not an HTTP status line (HTTP/1.1 and a 3-digit status): {lines[0][:80]!r}")
        status = int(parts[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if colon:
                headers[name.strip().title()] = value.strip()
        if 100 <= status < 200 and rest.startswith(b"HTTP/"):
            data = rest  # curl -i shows "100 Continue" before the real response
            continue
        if "chunked" in headers.pop("Transfer-Encoding", "").lower():
            rest = _dechunk(rest)
        return status, headers, rest


def _dechunk(data: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            raise _Unreadable("the chunked body is cut short (no chunk size line)")
        size_text = data[pos:end].split(b";", 1)[0].strip()
        # Only hex digits: int() also takes "-6", "+6" and "6_0"; a negative size would loop forever.
        size = int(size_text, 16) if re.fullmatch(rb"[0-9A-Fa-f]+", size_text) else -1
        if size < 0:
            raise _Unreadable(f"bad chunk size {size_text[:20]!r} in the chunked body")
        if size == 0:
            return bytes(out)
        start = end + 2
        if start + size > len(data):
            raise _Unreadable("the chunked body is cut short")
        out += data[start : start + size]
        pos = start + size + 2


def _read_file(path: str, stdin: IO[bytes]) -> bytes:
    if path == "-":
        return stdin.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        hint = "; to fetch a URL give it with http:// or https://" if isinstance(exc, FileNotFoundError) else ""
        raise _Unreadable(f"cannot read {path}: {exc.strerror or exc}{hint}") from None


def read_input(args: argparse.Namespace, stdin: IO[bytes]) -> _Input:
    path: str | None = args.file
    if path is None:
        from importlib import resources  # (each command imports what only it needs: the CLI starts faster)

        ref = resources.files("multistatus").joinpath("data/example.xml")
        return _Input("bundled example", ref.read_bytes(), {"Content-Type": "application/xml"})
    if path != "-" and not os.path.exists(path) and _URL.match(path):
        return _fetch(path, args, stdin)
    name = "<stdin>" if path == "-" else path
    data = _read_file(path, stdin)
    if data.lstrip()[:5] == b"HTTP/":
        status, headers, body = _read_http_message(data.lstrip())
        return _Input(name, body, headers, status)
    return _Input(name, data)


def _fetch(url: str, args: argparse.Namespace, stdin: IO[bytes]) -> _Input:
    """Send the request (:func:`multistatus._fetch.fetch`: one deadline, redirects kept safe)."""
    from .._fetch import fetch  # (http.client, email and ssl only for a URL)

    if not url.lower().startswith(("http://", "https://")):
        raise _Unreadable(f"only http:// and https:// URLs are fetched, not {url[:80]!r}")
    body = None
    if args.data is not None:
        body = _read_file(args.data[1:], stdin) if args.data.startswith("@") else args.data.encode("utf-8")
    headers = {"Accept": _ACCEPT, "Accept-Encoding": "identity", "User-Agent": "multistatus-cli"}
    if body is not None:
        headers["Content-Type"] = "application/json" if sniff(body) == "json" else "application/xml; charset=utf-8"
    if args.depth is not None:
        headers["Depth"] = args.depth
    headers = with_headers(headers, args.header)
    method = (args.method or ("PROPFIND" if args.depth is not None else "POST" if body is not None else "GET")).upper()
    limit = LIMITS.max_bytes
    status, got, data = fetch(url, method=method, headers=headers, data=body, timeout=args.timeout, max_bytes=limit)
    return _Input(f"{method} {url} ({status})", data, got, status)


def with_headers(headers: dict[str, str], given: list[str]) -> dict[str, str]:
    """*headers* with each ``-H 'Name: value'`` of *given* added, replacing a default of the same name."""
    for header in given:
        name, colon, value = header.partition(":")
        if not colon or not name.strip() or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name.strip()):
            raise _Unreadable(f"-H wants 'Name: value', not {header[:80]!r}")
        if any((ord(c) < 32 and c != "\t") or c == "\x7f" for c in value):
            raise _Unreadable(f"-H {name.strip()}: a header value cannot hold control characters")
        headers = {k: v for k, v in headers.items() if k.lower() != name.strip().lower()}
        headers[name.strip()] = value.strip()
    return headers
