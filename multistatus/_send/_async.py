"""The asynchronous driver: an ``httpx.AsyncClient`` or an ``aiohttp.ClientSession``."""

from __future__ import annotations

import asyncio
import random as _random
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from .._client._async import from_async_response
from .._client._batch import Batch, Send, Wait
from .._client._outcome import BatchOutcome, BatchPolicy, Progress
from .._exceptions import FetchFailed, JobTimeout, NotMultiStatus, ParseError
from .._limits import DEFAULT_LIMITS
from .._model import JobStatus, MultiStatus
from ._job import follow_job_async, monitor_url
from ._sync import DEFAULT_POLICY, _kind

__all__ = ["send_batch_async"]

T = TypeVar("T")


#: ``follow(location)`` -> the final answer of the job a 202 started (status, headers, document).
_Follow = Callable[[str], Awaitable[tuple[int, dict[str, str], MultiStatus]]]


def _transport(client: object, url: str, follow: _Follow) -> Callable[[Batch[Any], Send], Awaitable[None]]:
    kind = _kind(client)
    if kind == "httpx" and callable(getattr(client, "aclose", None)):
        import httpx

        async def with_httpx(batch: Batch[Any], step: Send) -> None:
            try:
                request = client.build_request("POST", url, content=step.body, headers=dict(step.headers))  # type: ignore[attr-defined]
                response = await client.send(request, stream=True, follow_redirects=False)  # type: ignore[attr-defined]  # (a stream; never redirected: see _sync._answer)
            except (httpx.RequestError, OSError) as exc:
                batch.no_answer(step, f"{type(exc).__name__}: {exc}")
                return
            failures = (httpx.RequestError, httpx.StreamError)
            try:
                await _answer(batch, step, response.status_code, response.headers, response, follow, failures)
            finally:
                await response.aclose()

        return with_httpx
    if kind == "aiohttp":
        import aiohttp

        async def with_aiohttp(batch: Batch[Any], step: Send) -> None:
            try:
                posting = client.post(url, data=step.body, headers=dict(step.headers), allow_redirects=False)  # type: ignore[attr-defined]
                async with posting as response:
                    await _answer(
                        batch, step, response.status, response.headers, response, follow, (aiohttp.ClientError,)
                    )
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
                batch.no_answer(step, f"{type(exc).__name__}: {exc}")

        return with_aiohttp
    raise TypeError(
        f"send_batch_async() sends with an httpx.AsyncClient or an aiohttp.ClientSession, not {type(client).__name__}"
    )


async def _answer(
    batch: Batch[Any],
    step: Send,
    status: int,
    headers: Mapping[str, str],
    response: object,
    follow: _Follow,
    failures: tuple[type[Exception], ...],
) -> None:
    """Report the answer to *step*; *failures*: the client's errors for no answer (when a job is followed)."""
    location = next((v for k, v in headers.items() if k.lower() == "location"), None) if status == 202 else None
    errors: tuple[type[BaseException], ...] = (
        ParseError,
        JobTimeout,
        OSError,
        asyncio.TimeoutError,
        FetchFailed,
        *failures,
    )
    broken: tuple[type[BaseException], ...] = (OSError, asyncio.TimeoutError, *failures)
    if location:  # the batch runs as a job: its monitor's final answer is the answer (see send_batch)
        try:
            status, headers, document = await follow(location)
        except NotMultiStatus as exc:
            batch.receive(step, status=exc.status or 502, headers=exc.headers or {}, document=None, detail=str(exc))
        except errors as exc:
            batch.no_answer(step, f"the job at {location} gave no final answer: {type(exc).__name__}: {exc}")
        else:
            batch.receive(step, status=status, headers=headers, document=document)
        return
    try:
        document = await from_async_response(response, limits=DEFAULT_LIMITS)
    except NotMultiStatus as exc:
        batch.receive(step, status=status, headers=headers, document=None, detail=str(exc))
    except ParseError as exc:
        batch.no_answer(step, f"unreadable answer (HTTP {status}): {exc}")
    except broken as exc:  # (the connection failed while the body was read)
        batch.no_answer(step, f"unreadable answer (HTTP {status}): {type(exc).__name__}: {exc}")
    else:
        batch.receive(step, status=status, headers=headers, document=document)


async def send_batch_async(
    items: Iterable[T],
    url: str,
    client: object,
    *,
    policy: BatchPolicy = DEFAULT_POLICY,
    headers: Mapping[str, str] | None = None,
    key: Callable[[T], str] | None = None,
    progress: Callable[[Progress], object] | None = None,
    raise_on_error: bool = False,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
    random: Callable[[], float] | None = None,
    on_job: Callable[[JobStatus], object] | None = None,
) -> BatchOutcome[T]:
    """The async twin of :func:`send_batch`: the same rules, with ``httpx.AsyncClient`` or aiohttp.

    One request is in flight at a time; the event loop is free while it waits
    for the answer and during backoffs.

    Args:
        items: the items (read as needed: a generator works).
        url: the batch endpoint.
        client: an ``httpx.AsyncClient`` or an ``aiohttp.ClientSession`` (its own
            timeouts, auth and pool are used).
        policy: chunking, retries and limits (:class:`~multistatus.BatchPolicy`).
        headers: more request headers.
        key: an item's id or href (default: its ``id`` or ``href`` member).
        progress: called with a :class:`~multistatus.Progress` around each request.
        raise_on_error: raise :class:`~multistatus.FailedItems` when an item did not succeed.
        sleep: how to wait (an async function; for tests).
        clock: a monotonic clock (for tests).
        random: floats in [0, 1) for the jitter (for tests).
        on_job: called with the job's :class:`~multistatus.JobStatus` after each poll of the
            monitor of a chunk answered ``202 Accepted`` (see :func:`send_batch`).

    Returns:
        A :class:`~multistatus.BatchOutcome`.

    Raises:
        FailedItems: with *raise_on_error*, some item did not succeed.
        TypeError: *client* is not one this function drives.

    Example:
        >>> import asyncio, threading
        >>> import httpx
        >>> import multistatus as ms
        >>> from werkzeug.serving import make_server
        >>> from multistatus.demo import make_app
        >>> server = make_server("127.0.0.1", 0, make_app(), threaded=True)
        >>> threading.Thread(target=server.serve_forever, daemon=True).start()
        >>> async def main(url):
        ...     async with httpx.AsyncClient() as client:
        ...         return await ms.send_batch_async([{"id": "1", "name": "a"}, {"id": "2", "name": ""}], url, client)
        >>> outcome = asyncio.run(main(f"http://127.0.0.1:{server.port}/batch"))
        >>> [(d.item["id"], d.response.code) for d in outcome.dead_letters]
        [('2', 422)]
        >>> server.shutdown(); server.server_close()
    """
    batch: Batch[T] = Batch(
        items, policy, key=key, headers=headers, base=url, clock=clock, random=random or _random.Random().random
    )

    async def follow(location: str) -> tuple[int, dict[str, str], MultiStatus]:
        monitor = monitor_url(url, location)
        return await follow_job_async(
            monitor, client, headers=headers, origin=url, progress=on_job, sleep=sleep, clock=clock
        )

    send = _transport(client, url, follow)
    while (step := batch.next_step()) is not None:
        if isinstance(step, Wait):
            await sleep(step.seconds)
            continue
        if progress is not None:
            progress(batch.progress())
        await send(batch, step)
        if progress is not None:
            progress(batch.progress())
    outcome = batch.outcome()
    if raise_on_error:
        outcome.raise_for_failures()
    return outcome
