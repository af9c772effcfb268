"""The synchronous driver: urllib (the default), a ``requests.Session`` or an ``httpx.Client``."""

from __future__ import annotations

import io
import random as _random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from types import FunctionType
from typing import Any, TypeVar

from .._client._batch import Batch, Send, Wait
from .._client._body import from_body
from .._client._outcome import BatchOutcome, BatchPolicy, Progress
from .._exceptions import FetchFailed, JobTimeout, NotMultiStatus, ParseError
from .._fetch import fetch
from .._limits import DEFAULT_LIMITS
from .._model import JobStatus, MultiStatus
from ._job import follow_job, monitor_url
from ._read import read_body

__all__ = ["send_batch"]

T = TypeVar("T")
DEFAULT_POLICY = BatchPolicy()


def _kind(client: object) -> str:
    return type(client).__module__.partition(".")[0]


#: An answer read off the wire and not parsed yet: its step, status, header fields, and the parse.
_Read = tuple[Send, int, Mapping[str, str], Callable[[], MultiStatus]]
#: ``send(batch, step, sent)``: send *step*, read its answer; *sent* is set once the body is handed over.
_Send = Callable[[Batch[Any], Send, "threading.Event | None"], "_Read | None"]


class _SentBody(io.BytesIO):
    """A request body that says when the client has read it all (it is on the wire: the wait begins)."""

    def __init__(self, data: bytes, sent: threading.Event) -> None:
        super().__init__(data)
        self._sent = sent

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        if not data:
            self._sent.set()
        return data


def _stock(session: Any, url: str) -> bool:
    """Whether *session* sends to *url* as requests itself does: then a body may go as a file.

    A :class:`_SentBody` is a file to whatever reads ``request.body`` before or
    after it is sent: an auth that signs the body (AWS SigV4, HMAC) hashes it as
    bytes, a mock of the adapter (``responses``, ``requests-mock``) matches it as
    bytes, and a response hook may log it or send it again (a token refresh on
    401).  So the body goes as a file only through requests' own session methods
    and adapter, neither replaced nor wrapped, on the class or on the object (a
    wrapper made with ``functools.wraps`` has the name and module of the function
    it wraps: its ``__wrapped__`` tells), on urllib3's own connections (a recorder
    of requests, such as vcrpy, swaps them and keeps the body as it gets it),
    with no response hook, and with no auth or one of requests' own, which never
    read a body.
    """
    import requests

    auth = session.auth
    if not (auth is None or isinstance(auth, tuple) or type(auth) in _blind_auths()):
        return False
    if session.hooks.get("response"):
        return False
    if not _requests_own(session, ("request", "prepare_request", "send", "get_adapter"), requests.sessions):
        return False
    try:
        adapter = session.get_adapter(url)
    except requests.RequestException:  # (no adapter for the URL: requests says so when it sends)
        return False
    return (
        type(adapter) is requests.adapters.HTTPAdapter
        and _requests_own(adapter, ("send",), requests.adapters)
        and _urllib3_own_connections()
    )


def _urllib3_own_connections() -> bool:
    """Whether urllib3's pools make urllib3's own connections (a recorder such as vcrpy
    swaps in connections of its own, which keep the body they are given as it is)."""
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    return all(
        pool.ConnectionCls.__module__ == "urllib3.connection" for pool in (HTTPConnectionPool, HTTPSConnectionPool)
    )


def _requests_own(obj: Any, names: tuple[str, ...], module: Any) -> bool:
    """Whether each method *names* of *obj* is requests' own (*module*'s): a plain function of that
    module on the class, not wrapped (``functools.wraps`` and ``wrapt`` leave ``__wrapped__``), not set on *obj*."""
    own = vars(obj)
    for name in names:
        method = getattr(type(obj), name, None)
        if (
            name in own
            or type(method) is not FunctionType
            or method.__module__ != module.__name__
            or hasattr(method, "__wrapped__")
        ):
            return False
    return True


def _blind_auths() -> tuple[type, ...]:
    """requests' own auths, which never read a body (Digest rewinds a file to send it again)."""
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth, HTTPProxyAuth

    return (HTTPBasicAuth, HTTPDigestAuth, HTTPProxyAuth)


def _transport(client: object, url: str, policy: BatchPolicy, follow: _Follow) -> tuple[_Send, bool]:
    """A function that sends one step with *client* and reads the answer, and whether it says when a body is sent.

    What needs no parsing (no answer, a 202's job followed) is reported to the
    batch there and then; otherwise the answer is returned, to be parsed.
    """
    limit = DEFAULT_LIMITS.max_bytes
    if client is None:

        def with_urllib(batch: Batch[Any], step: Send, sent: threading.Event | None) -> _Read | None:
            try:
                status, headers, body = fetch(
                    url, method="POST", headers=dict(step.headers), data=step.body, timeout=policy.timeout,
                    max_bytes=limit,
                )  # fmt: skip
            except FetchFailed as exc:
                batch.no_answer(step, str(exc))
                return None
            parse = lambda: from_body(body, headers.get("Content-Type"), status=status)  # noqa: E731
            return _answer(batch, step, status, headers, lambda: parse, follow, (FetchFailed,))

        return with_urllib, False
    kind = _kind(client)
    if kind == "requests":
        import requests
        import urllib3

        def with_requests(batch: Batch[Any], step: Send, sent: threading.Event | None) -> _Read | None:
            try:
                response = client.post(  # type: ignore[attr-defined]
                    url,
                    data=step.body
                    if sent is None
                    else _SentBody(step.body, sent),  # (its length is known: not chunked)
                    headers=step.headers,
                    timeout=policy.timeout,
                    stream=True,
                    allow_redirects=False,
                )  # (never redirected: see _answer)
            except (requests.RequestException, OSError) as exc:
                batch.no_answer(step, f"{type(exc).__name__}: {exc}")
                return None
            read = lambda: read_body(response, DEFAULT_LIMITS)  # noqa: E731
            failures = (requests.RequestException, urllib3.exceptions.HTTPError)
            with response:  # (a stream: closed even when a 202 leaves it unread)
                return _answer(batch, step, response.status_code, response.headers, read, follow, failures)

        return with_requests, _stock(client, url)
    if kind == "httpx" and not callable(getattr(client, "aclose", None)):
        import httpx

        def with_httpx(batch: Batch[Any], step: Send, sent: threading.Event | None) -> _Read | None:
            try:
                request = client.build_request("POST", url, content=step.body, headers=dict(step.headers))  # type: ignore[attr-defined]
                response = client.send(request, stream=True, follow_redirects=False)  # type: ignore[attr-defined]
            except (httpx.RequestError, OSError) as exc:
                batch.no_answer(step, f"{type(exc).__name__}: {exc}")
                return None
            read = lambda: read_body(response, DEFAULT_LIMITS)  # noqa: E731
            failures = (httpx.RequestError, httpx.StreamError)
            try:
                return _answer(batch, step, response.status_code, response.headers, read, follow, failures)
            finally:
                response.close()  # (a stream: closed even when a 202 leaves it unread)

        return with_httpx, False
    raise TypeError(
        f"send_batch() sends with urllib (client=None), a requests.Session or an httpx.Client, "
        f"not {type(client).__name__}; for httpx.AsyncClient and aiohttp use send_batch_async()"
    )


#: ``follow(location)`` -> the final answer of the job a 202 started (status, headers, document).
_Follow = Callable[[str], tuple[int, dict[str, str], MultiStatus]]


def _answer(
    batch: Batch[Any],
    step: Send,
    status: int,
    headers: Mapping[str, str],
    read: Callable[[], Callable[[], MultiStatus]],
    follow: _Follow,
    failures: tuple[type[Exception], ...],
) -> _Read | None:
    """Read the answer to *step*, to be parsed; report it when there is nothing to parse.

    *read* reads the body and returns its parse; *failures*: the client's errors
    for no answer (when a job is followed).

    A batch is never redirected (a 3xx is the answer, as urllib has it for a POST): requests and
    httpx would carry the body and every header but ``Authorization`` and ``Cookie`` (an
    ``X-Api-Key``...) to whatever origin the ``Location`` names.
    """
    location = next((v for k, v in headers.items() if k.lower() == "location"), None) if status == 202 else None
    errors: tuple[type[BaseException], ...] = (ParseError, JobTimeout, OSError, FetchFailed, *failures)
    broken: tuple[type[BaseException], ...] = (OSError, *failures)
    if location:  # the batch runs as a job (Prefer: respond-async): its monitor's final answer is the answer
        try:
            status, headers, document = follow(location)
        except NotMultiStatus as exc:  # (410: the results are gone; 404)
            batch.receive(step, status=exc.status or 502, headers=exc.headers or {}, document=None, detail=str(exc))
        except errors as exc:
            batch.no_answer(step, f"the job at {location} gave no final answer: {type(exc).__name__}: {exc}")
        else:
            batch.receive(step, status=status, headers=headers, document=document)
        return None
    try:
        parse = read()
    except ParseError as exc:  # cut short (a connection dropped mid-body), too large
        batch.no_answer(step, f"unreadable answer (HTTP {status}): {exc}")
    except broken as exc:  # (a streamed body: the connection failed while it was read)
        batch.no_answer(step, f"unreadable answer (HTTP {status}): {type(exc).__name__}: {exc}")
    else:
        return step, status, headers, parse
    return None


def _parse_once(sent: threading.Event, parse: Callable[[], MultiStatus]) -> MultiStatus:
    """On the worker: *parse*, once the next chunk's body is sent (*sent*: always set, sent or not)."""
    sent.wait()
    return parse()


def _report(batch: Batch[Any], read: _Read, parsed: Future[MultiStatus] | None = None) -> None:
    """Parse the answer *read* (or take the parse done in *parsed*) and report it to the batch."""
    step, status, headers, parse = read
    try:
        document = parse() if parsed is None else parsed.result()
    except NotMultiStatus as exc:
        batch.receive(step, status=status, headers=headers, document=None, detail=str(exc))
    except ParseError as exc:  # malformed, too large
        batch.no_answer(step, f"unreadable answer (HTTP {status}): {exc}")
    else:
        batch.receive(step, status=status, headers=headers, document=document)


def send_batch(
    items: Iterable[T],
    url: str,
    client: object = None,
    *,
    policy: BatchPolicy = DEFAULT_POLICY,
    headers: Mapping[str, str] | None = None,
    key: Callable[[T], str] | None = None,
    progress: Callable[[Progress], object] | None = None,
    raise_on_error: bool = False,
    sleep: Callable[[float], object] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    random: Callable[[], float] | None = None,
    on_job: Callable[[JobStatus], object] | None = None,
) -> BatchOutcome[T]:
    """POST *items* to a batch endpoint in chunks, retry only what failed, and account for every item.

    Items are read from *items* as they are needed (a generator of a million
    rows is never all in memory), encoded as JSON, and sent in chunks of at most
    ``policy.chunk_size`` items and ``policy.max_chunk_bytes`` bytes, each chunk
    with an ``Idempotency-Key`` and each item with a key of its own (the member
    ``policy.key_member``, added to a copy of each JSON object that lacks it, kept
    across the item's retries), so that a retry after a dropped connection never
    runs an item twice on a server that honours the keys.  The 207 answer is
    matched to the items by ``id`` (or href); only items whose status is retryable
    are sent again, after a full-jitter exponential backoff or their
    ``Retry-After``, whichever is longer.  See :class:`~multistatus.BatchPolicy`
    for the rules and limits and the how-to "Send a large batch" for a walk-through.

    Args:
        items: the items (JSON values; objects with an ``id`` by default).
        url: the batch endpoint.
        client: ``None`` for the standard library (:mod:`urllib.request`), a
            ``requests.Session``, or an ``httpx.Client``: its cookies, auth,
            proxies, TLS settings and connection pool are used.  A batch is
            never redirected: a 3xx is the answer (no item is sent elsewhere).
            With a ``requests.Session``, a 2xx answer is parsed on a worker
            thread while the next chunk is on the wire (the session itself is
            only ever called from the caller's thread, one request at a time);
            not when an auth other than requests' own, a session subclass or a
            patched or custom adapter may read the body before it is sent.
        policy: chunking, retries and limits.
        headers: more request headers (``Authorization``...).
        key: an item's id or href, to match it to its response (default: its
            ``id`` or ``href`` member, or the item itself when it is a string).
        progress: called with a :class:`~multistatus.Progress` after each request
            is made and after each answer.
        raise_on_error: raise :class:`~multistatus.FailedItems` at the end when an
            item failed or was not attempted (the outcome is then lost: prefer
            checking ``outcome.ok``).
        sleep: how to wait (for tests).
        clock: a monotonic clock in seconds (for tests).
        random: a function returning a float in [0, 1) for the jitter (default:
            a generator of this call's own, never the process-wide one).
        on_job: called with the job's :class:`~multistatus.JobStatus` after each poll
            of a monitor.  A chunk answered ``202 Accepted`` with a ``Location``
            (send ``headers={"Prefer": "respond-async"}`` to ask for it) runs as a
            job on the server: its monitor is polled, honouring ``Retry-After``
            (:func:`~multistatus.wait_for_job`), and its final answer counts as the
            chunk's answer, so the outcome is the same as for a synchronous batch.

    Returns:
        A :class:`~multistatus.BatchOutcome`: one final response per item in
        request order, the dead letters with their original items, the items not
        attempted, the anomalies of the answers, and counts.

    Raises:
        FailedItems: with *raise_on_error*, some item did not succeed.
        TypeError: *client* is not one this function drives.

    Example:
        >>> import threading
        >>> import multistatus as ms
        >>> from werkzeug.serving import make_server
        >>> from multistatus.demo import make_app
        >>> server = make_server("127.0.0.1", 0, make_app(), threaded=True)
        >>> threading.Thread(target=server.serve_forever, daemon=True).start()
        >>> items = [{"id": str(n), "name": f"item {n}"} for n in range(12)] + [{"id": "x", "name": ""}]
        >>> outcome = ms.send_batch(items, f"http://127.0.0.1:{server.port}/batch",
        ...                         policy=ms.BatchPolicy(chunk_size=5))
        >>> outcome.summary.succeeded, outcome.requests
        (12, 3)
        >>> [(d.item, d.response.code) for d in outcome.dead_letters]
        [({'id': 'x', 'name': ''}, 422)]
        >>> server.shutdown(); server.server_close()
    """
    batch: Batch[T] = Batch(
        items, policy, key=key, headers=headers, base=url, clock=clock, random=random or _random.Random().random
    )

    def follow(location: str) -> tuple[int, dict[str, str], MultiStatus]:
        monitor = monitor_url(url, location)
        return follow_job(
            monitor, client, headers=headers, origin=url, progress=on_job, request_timeout=policy.timeout,
            sleep=sleep, clock=clock,
        )  # fmt: skip

    send, says_sent = _transport(client, url, policy, follow)
    # With requests, a 2xx answer is parsed on a worker thread while the next chunk is on
    # the wire: the parse starts once that chunk's body is sent (the GIL is then free while
    # this thread waits for the server), so the server's time and the parse overlap.  The
    # batch's bookkeeping, and every call of the user's client, stay on this thread.
    worker: ThreadPoolExecutor | None = None
    parsing: tuple[_Read, Future[MultiStatus]] | None = None
    body_sent: threading.Event | None = None  # (what the parse waits for: set whenever the wait must end)
    try:
        step = batch.next_step()
        while step is not None:
            if isinstance(step, Wait):
                sleep(step.seconds)
                step = batch.next_step()
                continue
            if progress is not None:
                progress(batch.progress())
            try:
                read = send(batch, step, None if parsing is None else body_sent)
            finally:
                if body_sent is not None:
                    body_sent.set()  # (sent or not: the parse goes on)
            if parsing is not None:  # (the answer before, parsed meanwhile)
                _report(batch, parsing[0], parsing[1])
                parsing = None
                if progress is not None:
                    progress(batch.progress())
            if says_sent and read is not None and 200 <= read[1] < 300 and (ahead := batch.send_ahead()) is not None:
                worker = worker or ThreadPoolExecutor(1, thread_name_prefix="multistatus-send")
                body_sent = threading.Event()  # (before the parse is queued: an interrupt may come any time)
                parsing = (read, worker.submit(_parse_once, body_sent, read[3]))
                step = ahead
                continue
            if read is not None:
                _report(batch, read)
            if progress is not None:
                progress(batch.progress())
            step = batch.next_step()
    finally:
        if body_sent is not None:
            body_sent.set()  # (a callback or an interrupt came before the next chunk went: no parse may wait)
        if worker is not None:
            worker.shutdown()
    outcome = batch.outcome()
    if raise_on_error:
        outcome.raise_for_failures()
    return outcome
