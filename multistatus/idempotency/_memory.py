"""An idempotency store in this process's memory: for tests, and for servers of one process."""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .._idempotency import DEFAULT_RETENTION, Claim
from .._limits import retention_seconds

__all__ = ["MemoryStore"]


@dataclass(slots=True)
class _Entry:
    fingerprint: str
    owner: str | None
    answer: bytes | None
    expires: float


#: How many expired entries one store operation removes at most (the bounded sweep).
SWEEP = 64


class MemoryStore:
    """Keys, leases and answers in a dict, behind a lock: thread-safe, one process.

    Expired entries are removed as the store is used: each claim removes up to
    :data:`SWEEP` of those that expired first (a heap of expiry times), so
    memory follows the live entries without a separate job.

    Args:
        retention: seconds a completed answer is kept.
        clock: the time in seconds (``time.time``; tests pass their own).

    Example:
        >>> from multistatus.idempotency import MemoryStore
        >>> store = MemoryStore(retention=3600)
        >>> store.claim("k", "fp", "owner-1", 30).won, store.claim("k", "fp", "owner-2", 30).won
        (True, False)
        >>> store.complete("k", "fp", "owner-2", b"no"), store.complete("k", "fp", "owner-1", b"yes")
        (False, True)
        >>> store.read("k").answer
        b'yes'
    """

    def __init__(self, *, retention: float = DEFAULT_RETENTION, clock: Callable[[], float] = time.time) -> None:
        self.retention = retention_seconds(retention)
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self._expiry: list[tuple[float, str]] = []

    def __len__(self) -> int:
        """How many entries are kept (expired ones not yet swept included)."""
        return len(self._entries)

    def _live(self, key: str, now: float) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None and entry.expires <= now:
            del self._entries[key]
            return None
        return entry

    def _set(self, key: str, entry: _Entry) -> None:
        self._entries[key] = entry
        heapq.heappush(self._expiry, (entry.expires, key))

    def _sweep(self, now: float) -> None:
        heap = self._expiry
        for _ in range(SWEEP):
            if not heap or heap[0][0] > now:
                break
            _, key = heapq.heappop(heap)
            self._live(key, now)  # (removes it if it really expired: it may have been renewed)
        if len(heap) > 4 * len(self._entries) + SWEEP:  # renewals left stale heap entries: rebuild
            self._expiry = [(e.expires, k) for k, e in self._entries.items()]
            heapq.heapify(self._expiry)

    def _claim(self, key: str, fingerprint: str, owner: str, lease: float, now: float) -> Claim:
        entry = self._live(key, now)
        if entry is None:
            self._set(key, _Entry(fingerprint, owner, None, now + lease))
            return Claim(True, fingerprint, None, float(lease))
        return _seen(entry, now)

    def claim(self, key: str, fingerprint: str, owner: str, lease: float) -> Claim:
        """Claim *key* (see :class:`~multistatus.idempotency.Store`)."""
        return self.claim_many([(key, fingerprint)], owner, lease)[0]

    def claim_many(self, keys: Sequence[tuple[str, str]], owner: str, lease: float) -> list[Claim]:
        """Claim each ``(key, fingerprint)``, under one hold of the lock."""
        with self._lock:
            now = self._clock()
            self._sweep(now)
            return [self._claim(key, fp, owner, lease, now) for key, fp in keys]

    def _held(self, key: str, owner: str, now: float) -> _Entry | None:
        entry = self._live(key, now)
        return entry if entry is not None and entry.answer is None and entry.owner == owner else None

    def complete(self, key: str, fingerprint: str, owner: str, answer: bytes) -> bool:
        """Keep *answer* if *owner* still holds *key*, claimed with *fingerprint*."""
        return self.complete_many([(key, fingerprint, answer)], owner)[0]

    def complete_many(self, answers: Sequence[tuple[str, str, bytes]], owner: str) -> list[bool]:
        """:meth:`complete` for each ``(key, fingerprint, answer)``, under one hold of the lock."""
        with self._lock:
            now = self._clock()
            out = []
            for key, fp, answer in answers:
                entry = self._held(key, owner, now)
                held = entry is not None and entry.fingerprint == fp
                if held:
                    self._set(key, _Entry(fp, None, bytes(answer), now + self.retention))
                out.append(held)
            return out

    def extend(self, key: str, owner: str, lease: float) -> bool:
        """Renew *owner*'s lease on *key*."""
        with self._lock:
            now = self._clock()
            entry = self._held(key, owner, now)
            if entry is not None:
                self._set(key, _Entry(entry.fingerprint, owner, None, now + lease))
            return entry is not None

    def release(self, key: str, owner: str) -> bool:
        """Remove *owner*'s claim on *key*."""
        return self.release_many([key], owner)[0]

    def release_many(self, keys: Sequence[str], owner: str) -> list[bool]:
        """:meth:`release` for each key, under one hold of the lock."""
        with self._lock:
            now = self._clock()
            out = []
            for key in keys:
                held = self._held(key, owner, now) is not None
                if held:
                    del self._entries[key]
                out.append(held)
            return out

    def read(self, key: str) -> Claim | None:
        """The live entry of *key*, or ``None``."""
        with self._lock:
            now = self._clock()
            entry = self._live(key, now)
            return None if entry is None else _seen(entry, now)


def _seen(entry: _Entry, now: float) -> Claim:
    """What a claim or a read of a live entry held by another request answers."""
    return Claim(False, entry.fingerprint, entry.answer, 0.0 if entry.answer is not None else entry.expires - now)
