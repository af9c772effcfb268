"""Fetching a URL for the ``multistatus`` command: :mod:`urllib.request` with the rules curl,
requests and httpx keep.

* One deadline for the whole exchange: connecting (TLS included), sending, and every
  read of the status line, the headers and the body, over every redirect.  A server
  that trickles a byte at a time is cut off at the deadline, not held forever.
* Redirects: http and https only (urllib alone follows ``ftp://``), at most
  :data:`MAX_REDIRECTS`, and credentials stay with the origin they were given for:
  ``Authorization``, ``Proxy-Authorization``, ``Cookie`` and any other header named
  like a credential (:data:`CREDENTIALS`), and ``Host``, are dropped when a redirect
  leaves the origin (scheme, host, port).

Usage::

    status, headers, body = fetch("http://localhost/dav/", method="PROPFIND",
                                  headers={"Depth": "1"}, data=None, timeout=30, max_bytes=None)
"""

from __future__ import annotations

import functools
import http.client
import io
import re
import socket
import time
import urllib.error
import urllib.request
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from ._exceptions import FetchFailed

__all__ = ["CREDENTIALS", "MAX_REDIRECTS", "fetch"]

#: The most redirects followed for one fetch (urllib's own bound, and below curl's 50).
MAX_REDIRECTS = 10
#: The names of request headers that carry a credential (``Authorization``, ``Proxy-Authorization``,
#: ``Cookie``, ``X-Api-Key``, ``Private-Token``...): dropped when a redirect leaves the origin.
CREDENTIALS = re.compile(r".*(auth|cookie|token|key|secret|passw|session|csrf|xsrf|signature|credential).*", re.I)
_SCHEMES = ("http", "https")
_PORTS = {"http": 80, "https": 443}


class _Deadline:
    """The monotonic time by which the whole exchange ends."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        """The seconds left; :class:`TimeoutError` when there are none."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        return left

    def passed(self) -> bool:
        return time.monotonic() >= self.end


class _Reader(io.RawIOBase):
    """The reads of a socket, each waiting at most until the deadline."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # (keeps the socket open once urllib closes it)
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        self._sock.settimeout(self._deadline.left())
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _Timed:
    """What :class:`http.client.HTTPResponse` takes of a socket: a file whose reads keep the deadline."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str, *args: object) -> IO[bytes]:
        return io.BufferedReader(_Reader(self._sock, self._deadline))


class _Response(http.client.HTTPResponse):
    def __init__(self, sock: socket.socket, *args: Any, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(_Timed(sock, deadline), *args, **kwargs)  # type: ignore[arg-type]


class _Connection(http.client.HTTPConnection):
    """Connects within the time left, sends within the time left, reads through :class:`_Timed`."""

    def __init__(self, host: str, *, deadline: _Deadline, **kwargs: Any) -> None:
        kwargs["timeout"] = deadline.left()  # connect and the TLS handshake: within what is left
        super().__init__(host, **kwargs)
        self.deadline = deadline
        self.response_class = functools.partial(_Response, deadline=deadline)  # type: ignore[assignment]

    def send(self, data: Any) -> None:
        if self.sock is None:
            self.connect()  # (as http.client would, first)
        self.sock.settimeout(self.deadline.left())
        super().send(data)


class _TLSConnection(_Connection, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def do_open(self, http_class: Any, req: urllib.request.Request, **kwargs: Any) -> http.client.HTTPResponse:
        return super().do_open(functools.partial(_Connection, deadline=self.deadline), req, **kwargs)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def do_open(self, http_class: Any, req: urllib.request.Request, **kwargs: Any) -> http.client.HTTPResponse:
        return super().do_open(functools.partial(_TLSConnection, deadline=self.deadline), req, **kwargs)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a port that is no port: no origin the request came from
        return scheme, "", -1
    return scheme, (parts.hostname or "").lower(), port if port is not None else _PORTS.get(scheme)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirects, to http(s) only, at most :data:`MAX_REDIRECTS`, credentials kept to their origin."""

    max_repeats = max_redirections = MAX_REDIRECTS + 1  # (urllib's bounds: never met before the one below)

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def http_error_302(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: http.client.HTTPMessage
    ) -> Any:
        location = headers.get("Location") or headers.get("URI")
        if location is None:
            return None  # (the 3xx is the answer)
        target = urljoin(req.full_url, location.strip())
        scheme = urlsplit(target).scheme.lower()
        if scheme not in _SCHEMES:
            fp.close()
            raise FetchFailed(
                f"the server redirects ({code}) to {target[:80]!r}; only http:// and https:// are followed"
            )
        self.count += 1
        if self.count > MAX_REDIRECTS:
            fp.close()
            raise FetchFailed(f"more than {MAX_REDIRECTS} redirects (the last to {target[:80]!r})")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and _origin(newurl) != _origin(req.full_url):
            for name in [name for name in new.headers if CREDENTIALS.fullmatch(name) or name.lower() == "host"]:
                new.remove_header(name)
        return new


def fetch(
    url: str, *, method: str, headers: dict[str, str], data: bytes | None, timeout: float, max_bytes: int | None
) -> tuple[int, dict[str, str], bytes]:
    """Send the request and read at most *max_bytes* + 1 bytes of the answer, all within *timeout* seconds.

    *url* is an http or https URL: any other (``file:``, ``ftp:``, ``data:``, which
    urllib would open) is refused, as a redirect to one is.  A 4xx or 5xx answer is
    an answer (Apache sends 424 with a multistatus).

    Returns:
        The status, the headers (names title-cased) and the body.

    Raises:
        FetchFailed: no answer, or none within *timeout*, or a redirect not followed.
    """
    if urlsplit(url).scheme.lower() not in _SCHEMES:  # (a URL a server gave: a 202's Location)
        raise FetchFailed(f"{method} {url[:80]!r}: only http:// and https:// URLs are fetched")
    deadline = _Deadline(timeout)
    opener = urllib.request.build_opener(_HTTPHandler(deadline), _HTTPSHandler(deadline), _Redirects())
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        try:
            answer = opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as err:
            answer = err
        with answer:
            body = answer.read(-1 if max_bytes is None else max_bytes + 1)
            status = answer.status
            got = {k.title(): v for k, v in answer.headers.items()}
    except FetchFailed as exc:
        raise FetchFailed(f"{method} {url}: {exc}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        if deadline.passed():
            raise FetchFailed(f"{method} {url}: no complete answer within the --timeout of {timeout:g}s") from None
        reason = getattr(exc, "reason", None) or exc
        raise FetchFailed(f"{method} {url}: no answer: {reason}") from None
    return status or 0, got, body
