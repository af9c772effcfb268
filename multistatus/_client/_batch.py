"""The bookkeeping of a batch send: a state machine with no I/O, shared by the sync and async drivers.

A driver asks :meth:`Batch.next_step` what to do (a :class:`Send`, a :class:`Wait`,
or ``None`` at the end), does it, reports each answer (:meth:`Batch.receive`, or
:meth:`Batch.no_answer`), and at the end takes :meth:`Batch.outcome`.  While it
reads a 2xx answer, it may send the chunk :meth:`Batch.send_ahead` gives meanwhile.  Every rule
lives here: chunking, the keys (one per item, kept across its retries; one per
chunk, kept only while resending after no answer), which statuses are retried,
backoff with full jitter and ``Retry-After``, the limits, splitting on 413, one
item per request after repeated whole-chunk failures, the circuit breaker, and
the check that every item is accounted for exactly once.
"""

from __future__ import annotations

import heapq
import json
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from .._model import MultiStatus, Response
from ._outcome import Anomaly, BatchOutcome, BatchPolicy, DeadLetter, Progress
from ._retry import _default_key, _is_retryable, parse_retry_after
from ._steps import Chunk, Item, Send, Wait, href_of, made_response, matched

__all__ = ["Batch", "Send", "Wait"]

T = TypeVar("T")
_THROTTLE = frozenset({425, 429})  # slow down: the waits answer them; not counted by the breaker
_SPLIT = frozenset({400, 413, 422})  # a whole request refused for its content: one bad item, maybe
_ACCEPT = "application/json, application/xml;q=0.9"
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # (UTF-8 on the wire: no \u escapes)


class Batch(Generic[T]):
    """The state of one batch send (see the module docstring)."""

    def __init__(
        self,
        items: Iterable[T],
        policy: BatchPolicy,
        *,
        key: Callable[[T], str] | None = None,
        headers: Mapping[str, str] | None = None,
        base: str | None = None,
        clock: Callable[[], float],
        random: Callable[[], float],
        encode: Callable[[Any], str] = _COMPACT,
    ) -> None:
        if isinstance(items, (Mapping, str, bytes)):
            raise TypeError(f"send_batch() takes an iterable of items, not a {type(items).__name__}")
        self.policy = policy
        self._source: Iterator[T] | None = iter(items)
        self._key = key or _default_key
        self._encode = encode
        self._headers = {"Content-Type": "application/json", "Accept": _ACCEPT, **(headers or {})}
        self._base = base
        self._clock, self._random = clock, random
        self._start = clock()
        self._deadline = None if policy.max_time is None else self._start + policy.max_time
        self._prefix = uuid.uuid4().hex
        self._chunks_made = 0
        self._limit = policy.chunk_size
        self._final: list[Response | None] = []
        self._dead: list[tuple[int, DeadLetter[T]]] = []
        self._skipped: list[tuple[int, T]] = []
        self._anomalies: list[Anomaly] = []
        self._queue: deque[Chunk] = deque()  # chunks to send again as they are, first
        self._pool: list[tuple[float, int, Item]] = []  # items to retry: (not before, index, item)
        self._ahead: deque[Item] = deque()  # read, not yet in a chunk
        self._pause = self._start  # no request before this (a whole-request Retry-After, a transport failure)
        self._window: deque[float] = deque(maxlen=policy.breaker_window)
        self._in_flight: list[Chunk] = []  # sent, their answers not reported yet (two at most: see send_ahead)
        self.stopped: str | None = None
        self.requests = self.retries = self.succeeded = self.failed = 0

    # -- reading the items --------------------------------------------------------
    def _read(self) -> Item | None:
        """The next item from the source, with its key; an item with no key is settled here."""
        while self._source is not None:
            try:
                item = next(self._source)
            except StopIteration:
                self._source = None
                return None
            index = len(self._final)
            self._final.append(None)
            try:
                key = self._key(item)
            except TypeError as exc:
                placeholder = Item(index, item, f"#{index + 1}", item)
                self._anomalies.append(Anomaly("no-id", None, None, f"item {index + 1}: {exc}"))
                self._fail(placeholder, made_response(placeholder, 400, "no_id", str(exc)))
                continue
            sent: object = item
            member = self.policy.key_member
            if member is not None and isinstance(item, (dict, Mapping)) and member not in item:
                sent = {**item, member: f"{self._prefix}-{index}"}
            return Item(index, item, key, sent)
        return None

    def _data(self, it: Item) -> bytes:
        """The JSON of *it* alone (an item that cannot be JSON raises here)."""
        if it.data is None:
            it.data = self._encode(it.sent).encode("utf-8")
        return it.data

    # -- deciding ---------------------------------------------------------------------
    def next_step(self) -> Send | Wait | None:
        """What to do next: a :class:`Send`, a :class:`Wait`, or ``None`` when the batch is over."""
        if self._in_flight:
            raise RuntimeError("report the answer to the last Send (receive or no_answer) first")
        if self.stopped is not None:
            self._drain()  # (what an answer to a chunk sent ahead left to retry after the stop)
            return None
        now = self._clock()
        if self._deadline is not None and now >= self._deadline:
            self._out_of_time()
            return None
        wait = self._pause - now
        chunk = None
        if wait <= 0:
            chunk = self._next_chunk(now)
            if chunk is None:
                if not self._pool:
                    return None
                wait = self._pool[0][0] - now
        if chunk is None:
            if self._deadline is not None and now + wait >= self._deadline:
                self._out_of_time()
                return None
            return Wait(wait)
        return self._send(chunk)

    def send_ahead(self) -> Send | None:
        """A chunk :meth:`next_step` would send now, to send while the answer in flight is read; else ``None``.

        That answer is not counted yet: the circuit breaker may let this chunk go after it opens.
        """
        if len(self._in_flight) != 1:
            raise RuntimeError("send_ahead() needs exactly one Send in flight")
        now = self._clock()
        if self.stopped is not None or self._pause > now or (self._deadline is not None and now >= self._deadline):
            return None
        chunk = self._next_chunk(now)
        return None if chunk is None else self._send(chunk)

    def _next_chunk(self, now: float) -> Chunk | None:
        """The chunk to send now: one queued (resent, split), else a new one."""
        chunk = self._queue.popleft() if self._queue else self._fill(now)
        if chunk is not None and len(chunk.items) > self._limit:  # queued before a 413 made chunks smaller
            items, limit = chunk.items, self._limit
            parts = [self._new_chunk(items[i : i + limit]) for i in range(0, len(items), limit)]
            self._queue.extendleft(reversed(parts[1:]))
            chunk = parts[0]
        return chunk

    def _send(self, chunk: Chunk) -> Send:
        for it in chunk.items:
            if it.attempts:
                self.retries += 1
            it.attempts += 1
        self.requests += 1
        self._in_flight.append(chunk)
        body = chunk.body or b"[" + b",".join([self._data(it) for it in chunk.items]) + b"]"
        headers = dict(self._headers)
        if self.policy.key_header is not None:
            headers[self.policy.key_header] = f'"{chunk.key}"'
        return Send(body, headers, len(chunk.items), chunk)

    def _out_of_time(self) -> None:
        """The time limit is reached: stop, unless nothing is left to send (then the batch just ends)."""
        if not self._ahead and self._source is not None and (fresh := self._read()) is not None:
            self._ahead.append(fresh)
        if self._queue or self._pool or self._ahead:
            self._stop(f"the time limit of {self.policy.max_time:g}s was reached")

    def _new_chunk(self, items: list[Item]) -> Chunk:
        self._chunks_made += 1
        return Chunk(items, f"{self._prefix}-c{self._chunks_made}")

    def _fill(self, now: float) -> Chunk | None:
        """A new chunk: the items due for a retry first, then fresh ones, within the count and the bytes.

        The fresh items are encoded together, in one call of the encoder (the same
        bytes as one at a time, joined); only when they are too many bytes for the
        chunk, or one of them cannot be JSON, is each encoded alone to see which fit.
        """
        items: list[Item] = []
        keys: set[str] = set()
        size = 2
        limit, max_bytes = self._limit, self.policy.max_chunk_bytes
        pool = self._pool
        while len(items) < limit and pool and pool[0][0] <= now:
            it = pool[0][2]
            if it.key in keys or (items and size + len(self._data(it)) + 1 > max_bytes):
                break
            heapq.heappop(pool)
            items.append(it)
            keys.add(it.key)
            size += len(self._data(it)) + 1
        ahead = self._ahead
        while True:  # (again when every fresh item read was one that cannot be JSON)
            fresh: list[Item] = []
            while len(items) + len(fresh) < limit:
                read = ahead.popleft() if ahead else self._read()
                if read is None:
                    break
                if read.key in keys:  # (one key per chunk: the second waits for the next one)
                    ahead.appendleft(read)
                    break
                fresh.append(read)
                keys.add(read.key)
            if not fresh:
                return self._new_chunk(items) if items else None
            try:
                text = self._encode([it.sent for it in fresh]).encode("utf-8")
            except (TypeError, ValueError, UnicodeError):
                text = None
            if text is not None and (len(items) + len(fresh) == 1 or size + len(text) - 1 <= max_bytes):
                chunk = self._new_chunk(items + fresh)
                chunk.body = b"[" + b",".join([self._data(it) for it in items]) + b"," + text[1:] if items else text
                return chunk
            for index, it in enumerate(fresh):
                try:
                    data = self._data(it)
                except (TypeError, ValueError, UnicodeError) as exc:
                    self._fail(it, made_response(it, 400, "not_json", f"the item cannot be sent as JSON: {exc}"))
                    keys.discard(it.key)  # (settled: an item with the same key may go in this chunk)
                    continue
                if items and size + len(data) + 1 > max_bytes:
                    ahead.extendleft(reversed(fresh[index:]))
                    return self._new_chunk(items)
                items.append(it)
                size += len(data) + 1
            if items:
                return self._new_chunk(items)

    # -- answers ------------------------------------------------------------------------
    def no_answer(self, step: Send, reason: str) -> None:
        """The request got no usable answer: refused, dropped, timed out, or an unreadable body."""
        chunk = self._take(step)
        self._whole_failure(chunk, None, {}, reason)

    def receive(
        self,
        step: Send,
        *,
        status: int,
        headers: Mapping[str, str],
        document: MultiStatus | None,
        detail: str | None = None,
    ) -> None:
        """The answer to *step*: its status and headers, and its multistatus (``None`` when it carried none)."""
        chunk = self._take(step)
        lower = {k.lower(): v for k, v in headers.items()}
        if document is None:
            self._whole_answer(chunk, status, lower, detail or f"HTTP {status}")
            return
        found, strangers = matched(chunk.items, document.responses, self._base)
        self._anomalies.extend(Anomaly("unknown", None, r, "a response for no item of the request") for r in strangers)
        failures = 0
        for it in chunk.items:
            answers = found[it.key]
            if not answers:
                self._anomalies.append(Anomaly("missing", it.key, None, "the answer says nothing about this item"))
                answer = made_response(it, 502, "missing", "the server's answer said nothing about this item")
            else:
                answer = answers[0]
                if len(answers) > 1:
                    self._anomalies.extend(
                        Anomaly("duplicate", it.key, extra, "a second response for this item") for extra in answers[1:]
                    )
                    if len({a.outcome for a in answers}) > 1:  # they disagree: the item's fate is unknown
                        answer = made_response(it, 502, "ambiguous", "the server answered this item twice, differently")
            failures += self._settle(it, answer)
        self._count(failures / len(chunk.items))

    def _take(self, step: Send) -> Chunk:
        chunk = step.chunk
        if not any(c is chunk for c in self._in_flight):
            raise RuntimeError("this answer is not for a request in flight")
        self._in_flight = [c for c in self._in_flight if c is not chunk]
        return chunk

    def _retryable(self, response: Response) -> bool:
        rule = self.policy.retryable
        if response.code == 409 and "retry-after" in response.headers:
            return True  # the idempotency draft's "still in flight"
        if callable(rule):
            return bool(rule(response))
        return _is_retryable(response, frozenset(rule))

    def _settle(self, it: Item, response: Response) -> int:
        """Record one item's answer; 1 when it counts as a failure for the breaker."""
        it.last = response
        outcome = response.outcome
        if outcome == "succeeded":
            self._final[it.index] = response
            self.succeeded += 1
            return 0
        if outcome in ("failed", "partial") and self._retryable(response):
            self._again(it, parse_retry_after(response.headers.get("retry-after")))
        else:
            self._fail(it, response)
        return 0 if response.code in _THROTTLE else 1

    def _delay(self, attempts: int, retry_after: float | None) -> float:
        p = self.policy
        ceiling = min(p.max_backoff, p.backoff * 2 ** max(attempts - 1, 0))
        return float(max(self._random() * ceiling, min(retry_after or 0.0, p.max_retry_after)))

    def _again(self, it: Item, retry_after: float | None) -> None:
        now = self._clock()
        when = now + self._delay(it.attempts, retry_after)
        if it.attempts >= self.policy.max_attempts or (self._deadline is not None and when >= self._deadline):
            assert it.last is not None
            self._fail(it, it.last)
            return
        heapq.heappush(self._pool, (when, it.index, it))

    def _fail(self, it: Item, response: Response) -> None:
        self._final[it.index] = response
        self._dead.append((it.index, DeadLetter(it.item, response, it.attempts)))
        self.failed += 1

    def _whole_answer(self, chunk: Chunk, status: int, headers: dict[str, str], detail: str) -> None:
        items = chunk.items
        if 200 <= status < 300:
            for it in items:
                self._anomalies.append(Anomaly("not-multistatus", it.key, None, f"HTTP {status} without a multistatus"))
                self._settle(it, Response(href_of(it.key), status=status, id=it.key))
            self._count(0.0)
            return
        if status in _SPLIT and len(items) > 1 and (status != 413 or self.policy.split_too_large):
            for it in items:
                it.attempts -= 1  # (refused as a whole: no item was tried)
            if status == 413:
                half = (len(items) + 1) // 2
                self._limit = max(1, min(self._limit, half))
                parts = [items[:half], items[half:]]
            else:
                parts = [[it] for it in items]  # one per request finds the item that spoils the chunk
            self._queue.extendleft(self._new_chunk(part) for part in reversed(parts))
            return
        probe = Response(
            "-", status=status, headers={"retry-after": headers["retry-after"]} if "retry-after" in headers else None
        )
        if status >= 400 and self._retryable(probe):
            self._whole_failure(chunk, status, headers, detail)
            return
        for it in items:
            self._fail(it, made_response(it, status, "refused", detail))
        self._count(0.0 if status in _THROTTLE else 1.0)

    def _whole_failure(self, chunk: Chunk, status: int | None, headers: dict[str, str], reason: str) -> None:
        """No item of *chunk* got an answer of its own: back off, then send it again (or its items one by one)."""
        chunk.failures += 1
        code = "no_answer" if status is None else "refused"
        keep: list[Item] = []
        for it in chunk.items:
            it.last = made_response(it, status or 502, code, reason, headers)
            if it.attempts >= self.policy.max_attempts:
                self._fail(it, it.last)
            else:
                keep.append(it)
        if keep:
            self._resend(chunk, keep, status, headers)
        self._count(0.0 if status in _THROTTLE else 1.0)

    def _resend(self, chunk: Chunk, keep: list[Item], status: int | None, headers: dict[str, str]) -> None:
        delay = self._delay(chunk.failures, parse_retry_after(headers.get("retry-after")))
        self._pause = max(self._pause, self._clock() + delay)
        if chunk.failures >= self.policy.fallback_after and len(keep) > 1:
            self._queue.extendleft(reversed([self._new_chunk([it]) for it in keep]))
            return
        # No answer: the server may have done it; the same payload under the same key gets its answer replayed.
        again = chunk if status is None and len(keep) == len(chunk.items) else self._new_chunk(keep)
        again.failures = chunk.failures
        self._queue.appendleft(again)

    def _count(self, failed_share: float) -> None:
        threshold = self.policy.breaker_threshold
        if threshold is None:
            return
        self._window.append(failed_share)
        window = self._window
        if len(window) == window.maxlen and sum(window) / len(window) >= threshold:
            rate = sum(window) / len(window)
            self._stop(f"the circuit breaker opened: {rate:.0%} of items failed over the last {len(window)} requests")

    # -- the end ------------------------------------------------------------------------
    def _stop(self, why: str) -> None:
        """Stop sending: items waiting for a retry fail with their last answer; the rest are not attempted."""
        self.stopped = why
        self._drain()

    def _drain(self) -> None:
        why = self.stopped
        waiting = [it for chunk in self._queue for it in chunk.items] + [entry[2] for entry in self._pool]
        self._queue.clear()
        self._pool.clear()
        rest = list(self._ahead)
        for it in sorted(waiting, key=lambda it: it.index):
            if it.last is None:
                rest.append(it)  # (split off a chunk refused whole: never tried)
            else:
                self._fail(it, it.last)
        self._ahead.clear()
        while (fresh := self._read()) is not None:
            rest.append(fresh)
        for it in sorted(rest, key=lambda it: it.index):
            self._final[it.index] = made_response(it, 424, "not_attempted", f"not attempted: {why}")
            self._skipped.append((it.index, it.item))

    def progress(self) -> Progress:
        """Where the send stands."""
        skipped = len(self._skipped)
        return Progress(
            done=self.succeeded + self.failed + skipped,
            succeeded=self.succeeded,
            failed=self.failed,
            not_attempted=skipped,
            retried=self.retries,
            in_flight=sum([len(c.items) for c in self._in_flight]),
            requests=self.requests,
            elapsed=self._clock() - self._start,
        )

    def outcome(self) -> BatchOutcome[T]:
        """The outcome, once :meth:`next_step` returned ``None``: every item accounted for exactly once."""
        if self._in_flight or self._queue or self._pool or self._ahead or self._source is not None:
            raise RuntimeError("the batch is not over: call next_step() until it returns None")
        final = self._final
        unsettled = [i for i, r in enumerate(final) if r is None]
        if unsettled:  # pragma: no cover - would be a bug of this module; never hidden
            raise AssertionError(f"items {unsettled[:10]} were left without an answer")
        dead = [letter for _, letter in sorted(self._dead, key=lambda pair: pair[0])]
        return BatchOutcome(
            MultiStatus._trusted(tuple(r for r in final if r is not None), None, None),
            dead_letters=tuple(dead),
            not_attempted=tuple(item for _, item in self._skipped),
            anomalies=tuple(self._anomalies),
            requests=self.requests,
            retries=self.retries,
            elapsed=self._clock() - self._start,
            stopped=self.stopped,
        )
