"""The values of a batch send: its policy, its progress and its outcome (no I/O).

:func:`~multistatus.send_batch` and :func:`~multistatus.send_batch_async` take a
:class:`BatchPolicy`, report :class:`Progress` and return a :class:`BatchOutcome`;
the bookkeeping between them is ``_batch.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from .._exceptions import FailedItems
from .._model import MultiStatus, Response, Summary
from ._retry import DEFAULT_RETRYABLE

__all__ = ["Anomaly", "BatchOutcome", "BatchPolicy", "DeadLetter", "Progress"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BatchPolicy:
    """How :func:`~multistatus.send_batch` chunks, retries and gives up: one frozen settings object.

    Attributes:
        chunk_size: the most items in one request.
        max_chunk_bytes: the most bytes of JSON in one request (an item larger
            than that alone is sent alone).
        max_attempts: the most times one item is sent (the first time included).
        max_time: seconds after which nothing more is sent; ``None``: no limit.
        retryable: the item (and whole-request) statuses worth sending again,
            or a predicate on a failed :class:`~multistatus.Response`.  By default
            408, 425, 429 and 5xx but 501 and 505 (:data:`~multistatus.DEFAULT_RETRYABLE`);
            a 409 that carries ``Retry-After`` (an idempotency key's first request
            still in flight) is retried too.
        backoff: the first retry's backoff ceiling in seconds; it doubles with
            each attempt, and the wait is drawn uniformly below it ("full jitter").
        max_backoff: the cap of that ceiling.
        max_retry_after: the longest ``Retry-After`` honoured; the wait is the
            larger of the backoff and ``Retry-After``, at most this.
        split_too_large: halve a chunk the server refuses with 413 (and send
            smaller chunks from then on).
        fallback_after: after this many failures of a whole chunk in a row, send
            its items one per request.
        breaker_threshold: stop sending when, over the last ``breaker_window``
            requests, the mean share of items that failed (429 and 425 left out:
            they ask to slow down, which the waits do) passes this; ``None``: never.
            With a ``requests.Session`` the next chunk may already be on its way
            when the answer that opens it is counted: that one chunk still goes.
        breaker_window: the requests the circuit breaker looks at.
        key_member: the member each item's own idempotency key goes in (items
            that are JSON objects without it); ``None``: no per-item keys.
        key_header: the header carrying each chunk's key; ``None``: none sent.
        timeout: seconds for one request, for the clients that take one per
            request (urllib, requests); httpx and aiohttp keep their own.

    Example:
        >>> import multistatus as ms
        >>> policy = ms.BatchPolicy(chunk_size=50, max_attempts=3)
        >>> policy.chunk_size, policy.max_backoff, 429 in policy.retryable
        (50, 30.0, True)

    .. versionadded:: 0.1.0
    """

    chunk_size: int = 100
    max_chunk_bytes: int = 1_000_000
    max_attempts: int = 5
    max_time: float | None = None
    retryable: Collection[int] | Callable[[Response], bool] = DEFAULT_RETRYABLE
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 60.0
    split_too_large: bool = True
    fallback_after: int = 3
    breaker_threshold: float | None = 0.5
    breaker_window: int = 20
    key_member: str | None = "idempotency_key"
    key_header: str | None = "Idempotency-Key"
    timeout: float = 30.0

    def __post_init__(self) -> None:
        for name in ("chunk_size", "max_chunk_bytes", "max_attempts", "fallback_after", "breaker_window"):
            value = getattr(self, name)
            if type(value) is not int or value < 1:
                raise ValueError(f"BatchPolicy.{name} must be a positive int, not {value!r}")
        for name in ("backoff", "max_backoff", "max_retry_after", "timeout"):
            if not getattr(self, name) >= 0:
                raise ValueError(f"BatchPolicy.{name} must be a number of seconds >= 0, not {getattr(self, name)!r}")
        if self.max_time is not None and not self.max_time >= 0:
            raise ValueError(f"BatchPolicy.max_time must be seconds >= 0 or None, not {self.max_time!r}")
        if self.breaker_threshold is not None and not 0 < self.breaker_threshold <= 1:
            raise ValueError(f"BatchPolicy.breaker_threshold must be in (0, 1] or None, not {self.breaker_threshold!r}")


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a batch send stands, given to the ``progress`` callback after each request and answer.

    Attributes:
        done: items with a final answer (``succeeded + failed + not_attempted``).
        succeeded: items that succeeded.
        failed: items that failed for good (or ran out of attempts or time).
        not_attempted: items never sent (the circuit breaker opened, time ran out).
        retried: item sends that were retries, so far.
        in_flight: items in the request being sent (0 between requests).
        requests: requests sent so far.
        elapsed: seconds since the send began.

    Example:
        >>> import multistatus as ms
        >>> ms.Progress(done=3, succeeded=2, failed=1, not_attempted=0, retried=1, in_flight=0,
        ...             requests=2, elapsed=0.5).done
        3

    .. versionadded:: 0.1.0
    """

    done: int
    succeeded: int
    failed: int
    not_attempted: int
    retried: int
    in_flight: int
    requests: int
    elapsed: float


@dataclass(frozen=True, slots=True)
class DeadLetter(Generic[T]):
    """A failed item of a batch, paired with the item exactly as the caller gave it.

    Attributes:
        item: the original item (without the idempotency key the client added),
            ready to be corrected and sent again.
        response: its final response: the server's, or one the client made for an
            item that got none (``502``, ``error.code`` ``"no_answer"`` or ``"missing"``).
        attempts: how many times it was sent.

    Example:
        >>> import multistatus as ms
        >>> dead = ms.DeadLetter({"id": "4", "name": ""}, ms.Response("/items/4", status=422, id="4"), 1)
        >>> dead.response.code, dead.item["id"]
        (422, '4')

    .. versionadded:: 0.1.0
    """

    item: T
    response: Response
    attempts: int


Kind = Literal["missing", "duplicate", "unknown", "not-multistatus", "no-id"]


@dataclass(frozen=True, slots=True)
class Anomaly:
    """Something an answer got wrong about the request: reported, never dropped.

    Attributes:
        kind: ``missing`` (the answer says nothing about an item sent),
            ``duplicate`` (two responses for one item), ``unknown`` (a response for
            no item sent), ``not-multistatus`` (a 2xx whose body is no multistatus:
            its status is taken for each item), ``no-id`` (an item with no id or
            href to match an answer to; it is not sent).
        key: the item's id or href (``None`` for ``unknown``).
        response: the response concerned, when there is one.
        detail: a sentence for people.

    Example:
        >>> import multistatus as ms
        >>> ms.Anomaly("unknown", None, ms.Response("/items/99", status=201), "answered but not sent").kind
        'unknown'

    .. versionadded:: 0.1.0
    """

    kind: Kind
    key: str | None
    response: Response | None
    detail: str


@dataclass(frozen=True, slots=True)
class BatchOutcome(Generic[T]):
    """What :func:`~multistatus.send_batch` did: one final response per item, and what to do next.

    Attributes:
        document: one final response per item, in request order (a
            :class:`~multistatus.MultiStatus`; ``document.summary`` counts them).
            An item never sent has a ``424`` response (``error.code``
            ``"not_attempted"``).
        dead_letters: the failed items, each with its original item.
        not_attempted: the items never sent, as given.
        anomalies: what the answers got wrong (missing, duplicate, unknown ids).
        requests: requests sent.
        retries: item sends that were retries.
        elapsed: seconds spent, waits included.
        stopped: why sending stopped before the end (the circuit breaker, the
            time limit), or ``None``.

    Example:
        >>> import multistatus as ms
        >>> out = ms.BatchOutcome(ms.MultiStatus([ms.Response("/items/1", status=201)]),
        ...                       dead_letters=(), not_attempted=(), anomalies=(), requests=1, retries=0,
        ...                       elapsed=0.1, stopped=None)
        >>> out.ok, out.summary.succeeded
        (True, 1)

    .. versionadded:: 0.1.0
    """

    document: MultiStatus
    dead_letters: tuple[DeadLetter[T], ...] = field(default=())
    not_attempted: tuple[T, ...] = ()
    anomalies: tuple[Anomaly, ...] = ()
    requests: int = 0
    retries: int = 0
    elapsed: float = 0.0
    stopped: str | None = None

    @property
    def summary(self) -> Summary:
        """The :class:`~multistatus.Summary` of :attr:`document`."""
        return self.document.summary

    @property
    def ok(self) -> bool:
        """Whether every item succeeded."""
        return not self.dead_letters and not self.not_attempted

    def raise_for_failures(self) -> None:
        """Raise :class:`~multistatus.FailedItems` when an item failed or was not attempted.

        Raises:
            FailedItems: its ``failures`` are the final responses of the failed
                and the not-attempted items, in request order.
        """
        if self.ok:
            return
        failures = [r for r in self.document.responses if r.outcome != "succeeded"]
        total = len(self.document.responses)
        message = f"{len(failures)} of {total} item{'s' if total != 1 else ''} did not succeed"
        if self.stopped:
            message += f" ({self.stopped})"
        raise FailedItems(failures, self.document, message)
