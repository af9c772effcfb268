"""Following a job: poll its monitor, honouring ``Retry-After``, until it ends (``wait_for_job``).

A batch endpoint that runs a batch as a job answers ``202 Accepted`` with the
``Location`` of a monitor (see :mod:`multistatus.jobs`).  :func:`wait_for_job`
polls the monitor until the job ends and returns its final document: the
document the synchronous request would have given.  The monitor's URL is all
it needs, so a client that restarted resumes waiting from the URL alone.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from .._client._async import from_async_response
from .._client._body import from_body
from .._client._retry import parse_retry_after
from .._exceptions import FetchFailed, JobTimeout
from .._fetch import CREDENTIALS, MAX_REDIRECTS, _origin, fetch
from .._limits import DEFAULT_LIMITS
from .._model import JobStatus, MultiStatus
from ._read import read_streamed

__all__ = ["follow_job", "follow_job_async", "monitor_url", "wait_for_job"]

#: Seconds between two polls when the monitor sends no ``Retry-After``, and the longest wait honoured.
DEFAULT_INTERVAL = 1.0
MAX_INTERVAL = 60.0


def monitor_url(request_url: str, location: str) -> str:
    """The monitor's absolute URL from a 202's ``Location`` (relative to the request's URL)."""
    return urljoin(request_url, location)


def _headers_for(url: str, origin_url: str | None, headers: Mapping[str, str] | None) -> dict[str, str]:
    """The request headers for a poll: the caller's, but no credential to another origin than *origin_url*'s."""
    out = {"Accept": "application/json"}
    for name, value in (headers or {}).items():
        if CREDENTIALS.fullmatch(name) and origin_url is not None and _origin(url) != _origin(origin_url):
            continue
        if name.lower() != "accept":
            out[name] = value
    return out


_REDIRECTS = frozenset((301, 302, 303, 307, 308))


def _moved(url: str, status: int, got: Mapping[str, str], hops: int) -> str | None:
    """Where a poll's answer redirects to (``None``: it is the answer), followed as :func:`fetch` follows one."""
    location = got.get("Location") if status in _REDIRECTS else None
    if not location:
        return None
    target = urljoin(url, location.strip())
    if urlsplit(target).scheme.lower() not in ("http", "https"):
        raise FetchFailed(f"GET {url}: the monitor redirects ({status}) to {target[:80]!r}; only http(s) is followed")
    if hops >= MAX_REDIRECTS:
        raise FetchFailed(f"GET {url}: more than {MAX_REDIRECTS} redirects (the last to {target[:80]!r})")
    return target


def _get(
    client: object, url: str, headers: Mapping[str, str] | None, origin: str, timeout: float
) -> tuple[int, dict[str, str], MultiStatus]:
    """One poll; redirects followed here, each hop's headers by :func:`_headers_for` (the clients' own
    following keeps every header but ``Authorization`` and ``Cookie`` across origins)."""
    if client is None:  # (fetch follows redirects and drops credentials by the same rule)
        status, got, body = fetch(
            url, method="GET", headers=_headers_for(url, origin, headers), data=None, timeout=timeout,
            max_bytes=DEFAULT_LIMITS.max_bytes,
        )  # fmt: skip
        return status, got, from_body(body, got.get("Content-Type"), status=status)
    for hops in itertools.count():
        polled = _headers_for(url, origin, headers)
        response: Any  # (opened as a stream: read_streamed reads it no further than the limit)
        if type(client).__module__.partition(".")[0] == "httpx":
            request = client.build_request("GET", url, headers=polled, timeout=timeout)  # type: ignore[attr-defined]
            response = client.send(request, stream=True, follow_redirects=False)  # type: ignore[attr-defined]
        else:
            response = client.get(url, headers=polled, timeout=timeout, stream=True, allow_redirects=False)  # type: ignore[attr-defined]
        got = {str(k).title(): str(v) for k, v in response.headers.items()}
        target = _moved(url, int(response.status_code), got, hops)
        if target is None:
            return int(response.status_code), got, read_streamed(response, DEFAULT_LIMITS)
        response.close()
        url = target
    raise AssertionError("unreachable")  # pragma: no cover


def _after_poll(
    url: str,
    doc: MultiStatus,
    got: Mapping[str, str],
    progress: Callable[[JobStatus], object] | None,
    deadline: float | None,
    timeout: float | None,
    clock: Callable[[], float],
) -> float | None:
    """What a poll's answer says: ``None`` when the job ended (or it was no monitor), else the seconds to wait."""
    job = doc.job
    if job is None:  # (not a monitor: the answer itself)
        return None
    if progress is not None:
        progress(job)
    if job.terminal:
        return None
    wait = parse_retry_after(got.get("Retry-After"))
    wait = DEFAULT_INTERVAL if wait is None else min(max(wait, 0.0), MAX_INTERVAL)
    if deadline is not None and timeout is not None and clock() + wait > deadline:
        raise JobTimeout(f"the job at {url} did not end within {timeout:g} s (it is {job.state})", doc)
    return wait


def follow_job(
    url: str,
    client: object = None,
    *,
    headers: Mapping[str, str] | None = None,
    origin: str | None = None,
    progress: Callable[[JobStatus], object] | None = None,
    timeout: float | None = None,
    request_timeout: float = 30.0,
    sleep: Callable[[float], object] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[int, dict[str, str], MultiStatus]:
    """:func:`wait_for_job`, returning the final answer's status and headers with its document."""
    deadline = None if timeout is None else clock() + timeout
    origin = origin or url  # (credentials stay with the batch endpoint's origin, else the monitor's)
    while True:
        status, got, doc = _get(client, url, headers, origin, request_timeout)
        wait = _after_poll(url, doc, got, progress, deadline, timeout, clock)
        if wait is None:
            return status, got, doc
        sleep(wait)


async def _get_async(
    client: object, url: str, headers: Mapping[str, str] | None, origin: str
) -> tuple[int, dict[str, str], MultiStatus]:
    """:func:`_get` with an ``httpx.AsyncClient`` or an ``aiohttp.ClientSession``."""
    for hops in itertools.count():
        polled = _headers_for(url, origin, headers)
        if callable(getattr(client, "aclose", None)):  # httpx.AsyncClient: a stream, read no further than the limit
            request = client.build_request("GET", url, headers=polled)  # type: ignore[attr-defined]
            response: Any = await client.send(request, stream=True, follow_redirects=False)  # type: ignore[attr-defined]
            try:
                status = int(response.status_code)
                got = {str(k).title(): str(v) for k, v in response.headers.items()}
                target = _moved(url, status, got, hops)
                if target is None:
                    return status, got, await from_async_response(response, limits=DEFAULT_LIMITS)
            finally:
                await response.aclose()
        else:
            async with client.get(url, headers=polled, allow_redirects=False) as response:  # type: ignore[attr-defined]  # aiohttp
                status = int(response.status)
                got = {str(k).title(): str(v) for k, v in response.headers.items()}
                target = _moved(url, status, got, hops)
                if target is None:
                    return status, got, await from_async_response(response, limits=DEFAULT_LIMITS)
        url = target
    raise AssertionError("unreachable")  # pragma: no cover


async def follow_job_async(
    url: str,
    client: object,
    *,
    headers: Mapping[str, str] | None = None,
    origin: str | None = None,
    progress: Callable[[JobStatus], object] | None = None,
    timeout: float | None = None,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[int, dict[str, str], MultiStatus]:
    """:func:`follow_job` with an ``httpx.AsyncClient`` or an ``aiohttp.ClientSession``."""
    deadline = None if timeout is None else clock() + timeout
    origin = origin or url
    while True:
        status, got, doc = await _get_async(client, url, headers, origin)
        wait = _after_poll(url, doc, got, progress, deadline, timeout, clock)
        if wait is None:
            return status, got, doc
        await sleep(wait)


def wait_for_job(
    url: str,
    client: object = None,
    *,
    headers: Mapping[str, str] | None = None,
    progress: Callable[[JobStatus], object] | None = None,
    timeout: float | None = None,
    sleep: Callable[[float], object] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> MultiStatus:
    """Poll a job's monitor until the job ends, and return its final document.

    Each poll is a ``GET`` asking for JSON; the wait between polls is the
    monitor's ``Retry-After`` (at most a minute; a second when it sends none).
    The final document is the one the synchronous request would have given
    (same items, statuses and summary), with the job's
    :class:`~multistatus.JobStatus`.  The URL is the whole state: a process that
    restarted calls this again with the monitor's URL.

    Args:
        url: the monitor's URL (the ``Location`` of the 202, made absolute:
            :func:`urllib.parse.urljoin` of the batch URL and the ``Location``).
        client: ``None`` for the standard library, a ``requests.Session`` or an ``httpx.Client``.
        headers: more request headers (``Authorization``...).
        progress: called with the job's :class:`~multistatus.JobStatus` after each poll.
        timeout: seconds to wait for the job at most (``None``: as long as it takes).
        sleep: how to wait (for tests).
        clock: a monotonic clock in seconds (for tests).

    Returns:
        The final :class:`~multistatus.MultiStatus` (``doc.job.state`` is
        ``succeeded``, ``failed`` or ``canceled``).

    Raises:
        NotMultiStatus: the monitor answered with something else, such as the
            410 of a job whose results are gone or the 404 of an unknown job.
        JobTimeout: the job did not end within *timeout*.
        FetchFailed: no answer from the monitor (urllib).

    Example:
        >>> import json, threading
        >>> import multistatus as ms
        >>> from werkzeug.serving import make_server
        >>> from multistatus.demo import make_app
        >>> server = make_server("127.0.0.1", 0, make_app(), threaded=True)
        >>> threading.Thread(target=server.serve_forever, daemon=True).start()
        >>> base = f"http://127.0.0.1:{server.port}"
        >>> import urllib.request
        >>> request = urllib.request.Request(f"{base}/batch", data=json.dumps([{"name": "a"}]).encode(),
        ...                                  headers={"Prefer": "respond-async", "Content-Type": "application/json"})
        >>> with urllib.request.urlopen(request) as answer:
        ...     status, location = answer.status, answer.headers["Location"]
        >>> status
        202
        >>> doc = ms.wait_for_job(base + location)
        >>> doc.job, [r.status.code for r in doc]
        (JobStatus(state='succeeded', done=1, total=1), [201])
        >>> server.shutdown(); server.server_close()
    """
    return follow_job(url, client, headers=headers, progress=progress, timeout=timeout, sleep=sleep, clock=clock)[2]
