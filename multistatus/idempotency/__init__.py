"""
Idempotency keys: retries that never do the work twice
=======================================================

A client that did not get an answer sends the request again with the same
``Idempotency-Key`` (draft-ietf-httpapi-idempotency-key-header); the server
runs it once and answers every retry with the first answer.  Items of a batch
may carry keys of their own, so a resent batch runs only the items that did
not run.

:class:`Idempotency` decides, for each request, between :class:`Run`,
:class:`Replay` and the refusals :class:`Missing`, :class:`InvalidKey` (400),
:class:`InFlight` (409) and :class:`Mismatch` (422); :func:`claim_items` does
the same for the items of a batch.  The decision is sans-I/O; it keeps its
state in a :class:`Store`:

:class:`MemoryStore`
    one process (tests, a single server process);
:class:`SQLiteStore`
    a database file: safe across the processes of one machine;
:class:`RedisStore`
    a Redis server: many machines (``pip install multistatus[redis]``).

.. code-block:: python

    from multistatus.idempotency import Answer, Idempotency, Replay, Run, SQLiteStore

    idem = Idempotency(SQLiteStore("keys.db"), lease=60)
    outcome = idem.begin("POST", "/batch", key=request.headers.get("Idempotency-Key"),
                         body=request.body, content_type=request.content_type, scope=account_id)
    if isinstance(outcome, Run):
        doc = handle(request)
        outcome.complete(Answer.of(doc, status=207))
        answer = ms.reply(doc, accept=request.accept)
    elif isinstance(outcome, Replay):
        answer = outcome.reply(accept=request.accept)
    else:
        answer = outcome.reply(accept=request.accept)   # the problem: 400, 409 or 422
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._idempotency import (
    DEFAULT_LEASE,
    DEFAULT_RETENTION,
    MAX_KEY_LENGTH,
    NOT_KEPT,
    REPLAYED,
    RETENTION,
    RETRY_LATER,
    Answer,
    Claim,
    Idempotency,
    InFlight,
    InvalidKey,
    ItemClaims,
    Mismatch,
    Missing,
    Outcome,
    Refusal,
    Replay,
    Run,
    Store,
    claim_items,
    fingerprint,
    item_fingerprint,
    parse_key,
    retry_later,
)
from .._public import publish
from ._memory import MemoryStore
from ._sqlite import SQLiteStore

if TYPE_CHECKING:
    from ._redis import RedisStore

__all__ = [
    "DEFAULT_LEASE",
    "DEFAULT_RETENTION",
    "MAX_KEY_LENGTH",
    "NOT_KEPT",
    "REPLAYED",
    "RETENTION",
    "RETRY_LATER",
    "Answer",
    "Claim",
    "Idempotency",
    "InFlight",
    "InvalidKey",
    "ItemClaims",
    "MemoryStore",
    "Mismatch",
    "Missing",
    "Outcome",
    "RedisStore",
    "Refusal",
    "Replay",
    "Run",
    "SQLiteStore",
    "Store",
    "claim_items",
    "fingerprint",
    "item_fingerprint",
    "parse_key",
    "retry_later",
]


def __getattr__(name: str) -> Any:
    """:class:`RedisStore`, imported when first asked for (the ``redis`` package is an optional extra)."""
    if name == "RedisStore":
        from ._redis import RedisStore

        publish({"RedisStore": RedisStore}, ["RedisStore"], __name__)
        globals()[name] = RedisStore
        return RedisStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


publish(globals(), [name for name in __all__ if name in globals() and name != "Outcome"], __name__)
