"""Idempotency keys, sans-I/O: read and check a key, fingerprint a request, decide run, replay or refuse.

The decision (:class:`Idempotency`), its outcomes, per-item claims and the
store protocol live here; the stores and the public names are in
:mod:`multistatus.idempotency`.  Nothing here opens a file or a socket: the
store is given.
"""

from ._answer import NOT_KEPT, REPLAYED, RETENTION, RETRY_LATER, Answer, retry_later
from ._decision import Idempotency, Outcome, Replay, Run
from ._items import ItemClaims, claim_items
from ._key import MAX_KEY_LENGTH, fingerprint, item_fingerprint, parse_key, store_key
from ._refusal import InFlight, InvalidKey, Mismatch, Missing, Refusal
from ._store import DEFAULT_LEASE, DEFAULT_RETENTION, Claim, Store

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
    "Mismatch",
    "Missing",
    "Outcome",
    "Refusal",
    "Replay",
    "Run",
    "Store",
    "claim_items",
    "fingerprint",
    "item_fingerprint",
    "parse_key",
    "retry_later",
    "store_key",
]
