"""What an idempotency store does: the :class:`Store` protocol and the :class:`Claim` it answers.

A store keeps one entry per key: the request's fingerprint, and either the
owner token and lease of the request running it, or the answer it gave.  Every
operation is atomic for the key it touches, and the ``*_many`` variants do a
whole batch of keys in one round trip::

    claim     absent or expired  -> claimed by *owner* for *lease* seconds   (won)
              claimed by another -> that claim, with the lease it has left   (in flight)
              completed          -> the stored answer                        (replay)
    complete  claimed by *owner* with that fingerprint, lease not lapsed -> answer kept for the retention period
    extend    claimed by *owner*, lease not lapsed -> lease renewed
    release   claimed by *owner*                   -> entry removed (the next retry runs)

``complete``, ``extend`` and ``release`` compare the owner token and set in
one step, so a request whose lease lapsed, and whose key another request
claimed since, cannot overwrite its successor's answer (the unconditional
final write of AWS Powertools).  ``complete`` is given the fingerprint again,
with the owner: what the claim holds, so that a store can compare it and
write the finished entry whole (Redis: one ``SET`` of the bytes it is sent).
Entries expire by themselves: a lease ends,
an answer is kept for the retention period, and expired entries are removed as
the store is used, without a separate job.

The implementations are in :mod:`multistatus.idempotency`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["DEFAULT_LEASE", "DEFAULT_RETENTION", "Claim", "Store"]

#: Seconds a claim lasts unless completed, released or extended (a crashed request's key is free after it).
DEFAULT_LEASE = 30.0
#: Seconds a completed answer is kept (Stripe keeps keys for at least 24 hours).
DEFAULT_RETENTION = 86400.0


@dataclass(frozen=True, slots=True)
class Claim:
    """A store's answer to a claim (or a read) of one key.

    Attributes:
        won: the key was free and is now claimed by the caller.
        fingerprint: the fingerprint stored with the key (the caller's own when *won*).
        answer: the stored answer (bytes, as completed) when the key's request
            completed; ``None`` while it runs.
        lease_left: seconds left of the running request's lease (0 when completed).

    Example:
        >>> from multistatus.idempotency import Claim
        >>> c = Claim(won=False, fingerprint="ab" * 32, answer=None, lease_left=12.5)
        >>> c.running, c.completed
        (True, False)
    """

    won: bool
    fingerprint: str
    answer: bytes | None
    lease_left: float

    @property
    def completed(self) -> bool:
        """The key's request completed: :attr:`answer` is its answer."""
        return self.answer is not None

    @property
    def running(self) -> bool:
        """Another request holds the key and has not completed (the caller did not win it)."""
        return not self.won and self.answer is None


@runtime_checkable
class Store(Protocol):
    """Where keys, fingerprints, leases and answers are kept (see the module docstring for the rules).

    Times are in seconds; *owner* is a token unique to one request (one batch
    shares one for its items); an answer is opaque bytes.

    Example:
        >>> from multistatus.idempotency import MemoryStore, Store
        >>> isinstance(MemoryStore(), Store)
        True
    """

    retention: float

    def claim(self, key: str, fingerprint: str, owner: str, lease: float) -> Claim:
        """Claim *key* for *owner* if it is free, else say who has it or what it answered."""
        ...

    def claim_many(self, keys: Sequence[tuple[str, str]], owner: str, lease: float) -> list[Claim]:
        """:meth:`claim` for each ``(key, fingerprint)`` pair, in one round trip (distinct keys)."""
        ...

    def complete(self, key: str, fingerprint: str, owner: str, answer: bytes) -> bool:
        """Keep *answer* for *key* if *owner* still holds the lease it claimed with *fingerprint*; else ``False``."""
        ...

    def complete_many(self, answers: Sequence[tuple[str, str, bytes]], owner: str) -> list[bool]:
        """:meth:`complete` for each ``(key, fingerprint, answer)``, in one round trip."""
        ...

    def extend(self, key: str, owner: str, lease: float) -> bool:
        """Renew the lease of *owner* on *key* for *lease* seconds from now, if it still holds it."""
        ...

    def release(self, key: str, owner: str) -> bool:
        """Give up *owner*'s claim on *key* (not an answer): the next request with the key runs."""
        ...

    def release_many(self, keys: Sequence[str], owner: str) -> list[bool]:
        """:meth:`release` for each key, in one round trip."""
        ...

    def read(self, key: str) -> Claim | None:
        """The entry of *key* (``won`` false), or ``None`` when there is none or it expired."""
        ...
