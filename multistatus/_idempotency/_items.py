"""Per-item keys: each item of a batch may carry its own key, so a resent batch runs each item once.

:func:`claim_items` claims the keys of all items in one store round trip and
says which items to run; the others get their stored response back (marked
``replayed``: ``"replayed": true`` in JSON, ``<ms:replayed/>`` in XML) or a per-item refusal (409
while another request runs the item, 422 for a key reused with another payload,
400 for a malformed key).  After running, :meth:`ItemClaims.complete` keeps the
responses in one more round trip.  An item without a key always runs.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .._model import Response
from ._answer import decode_response, encode_response
from ._key import check_item_key, item_fingerprint, store_key
from ._refusal import InFlight, InvalidKey, Mismatch, Refusal, retry_after_of
from ._store import DEFAULT_LEASE, Store

__all__ = ["ItemClaims", "claim_items"]


@dataclass(frozen=True, slots=True)
class ItemClaims:
    """What :func:`claim_items` decided for each item of a batch (by index).

    Attributes:
        store: the store.
        owner: the batch's owner token (one for all its items).
        run: the indexes of the items to run, in order (those claimed and those without a key).
        replayed: index -> the item's stored response, marked :attr:`~multistatus.Response.replayed`.
        refused: index -> why the item is not run (:class:`InFlight`, :class:`Mismatch`, :class:`InvalidKey`).
        keys: index -> the store key claimed for the item (only the claimed ones).
        fingerprints: index -> the fingerprint it was claimed with (the same ones).

    Example:
        >>> import multistatus as ms
        >>> from multistatus.idempotency import MemoryStore, claim_items
        >>> store = MemoryStore()
        >>> items = [{"idempotency_key": "a", "n": 1}, {"n": 2}]
        >>> first = claim_items(items, store)
        >>> first.run
        (0, 1)
        >>> first.complete({0: ms.Response("/items/1", status=201), 1: ms.Response("/items/2", status=201)})
        {0: True}
        >>> again = claim_items(items, store)
        >>> again.run, again.replayed[0].replayed
        ((1,), True)
    """

    store: Store
    owner: str
    run: tuple[int, ...]
    replayed: Mapping[int, Response]
    refused: Mapping[int, Refusal]
    keys: Mapping[int, str]
    fingerprints: Mapping[int, str]

    def complete(self, responses: Mapping[int, Response], *, release_rest: bool = True) -> dict[int, bool]:
        """Keep the response of each claimed item in *responses*, in one round trip.

        Args:
            responses: index -> the item's response (items without a key are ignored).
            release_rest: release the claimed items that have no response, so that a
                retry runs them (one more round trip, only when there are such items).

        Returns:
            index -> whether the response was kept (``False``: the item's lease lapsed
            and another request may have it).
        """
        done = [(i, self.keys[i]) for i in sorted(responses) if i in self.keys]
        fps = self.fingerprints
        kept = self.store.complete_many([(key, fps[i], encode_response(responses[i])) for i, key in done], self.owner)
        rest = [key for i, key in self.keys.items() if i not in responses]
        if release_rest and rest:
            self.store.release_many(rest, self.owner)
        return {i: ok for (i, _), ok in zip(done, kept, strict=True)}

    def release(self) -> None:
        """Give up every claimed item without a response (the batch failed as a whole): retries run them."""
        if self.keys:
            self.store.release_many(list(self.keys.values()), self.owner)


def claim_items(
    items: Sequence[Mapping[str, object]],
    store: Store,
    *,
    scope: str = "",
    lease: float = DEFAULT_LEASE,
    member: str = "idempotency_key",
    policy: str | None = None,
    target: str = "",
) -> ItemClaims:
    """Claim the keys of the items of a batch, in one store round trip.

    Each item's key is its *member* (a string: 1 to 255 visible ASCII
    characters); its fingerprint is its canonical JSON without the key
    and the batch's *target* (:func:`item_fingerprint`).  An item whose key appears
    earlier in the same batch is refused as a mismatch (422) if its payload differs;
    with the same payload it gets the earlier item's stored answer when there is one,
    else it is refused as in flight (409): the batch's resend replays both.

    Args:
        items: the batch's items (decoded JSON objects).
        store: the store.
        scope: who is asking (see :meth:`Idempotency.begin`).
        lease: seconds the claims last.
        member: the member carrying an item's key.
        policy: the URI of the idempotency policy, for the refusals.
        target: the batch request's method and path (``"POST /orders"``), part of
            each fingerprint: an item key reused at another endpoint is refused (422).

    Returns:
        The :class:`ItemClaims`.

    Example:
        >>> from multistatus.idempotency import MemoryStore, claim_items
        >>> claims = claim_items([{"idempotency_key": "a"}, {"idempotency_key": "a"}, {"idempotency_key": ""}], MemoryStore())
        >>> claims.run, claims.refused[1].status, claims.refused[2].status
        ((0,), 409, 400)
    """
    owner = secrets.token_hex(16)
    run: list[int] = []
    refused: dict[int, Refusal] = {}
    seen: dict[str, tuple[str, int]] = {}  # store key -> its fingerprint and first item, within this batch
    repeats: dict[int, int] = {}  # an item repeating an earlier one (key and payload) -> that one
    wanted: list[tuple[int, str, str]] = []
    for index, item in enumerate(items):
        if member not in item:
            continue
        try:
            key = check_item_key(item[member], member)
        except ValueError as exc:
            refused[index] = InvalidKey(reason=f"item {index}: {exc}", type=policy)
            continue
        skey = store_key("i", scope, key)
        fp = item_fingerprint(item, member, target=target)
        earlier = seen.get(skey)
        if earlier is not None:
            if earlier[0] == fp:
                repeats[index] = earlier[1]
                refused[index] = InFlight(wait=1, type=policy)
            else:
                refused[index] = Mismatch(type=policy)
            continue
        seen[skey] = (fp, index)
        wanted.append((index, skey, fp))
    if not wanted and not refused:  # (no item has a key: all run, nothing to ask the store)
        return ItemClaims(store, owner, tuple(range(len(items))), {}, {}, {}, {})
    claims = store.claim_many([(skey, fp) for _, skey, fp in wanted], owner, lease) if wanted else []
    replayed: dict[int, Response] = {}
    keys: dict[int, str] = {}
    fingerprints: dict[int, str] = {}
    for (index, skey, fp), claim in zip(wanted, claims, strict=True):
        if claim.won:
            keys[index] = skey
            fingerprints[index] = fp
        elif claim.fingerprint != fp:
            refused[index] = Mismatch(type=policy)
        elif claim.answer is None:
            refused[index] = InFlight(wait=retry_after_of(claim.lease_left), type=policy)
        else:
            replayed[index] = decode_response(claim.answer)
    for index, first in repeats.items():  # (the first one done before: so is its repeat, with the same answer)
        if first in replayed:
            replayed[index] = replayed[first]
            del refused[index]
    for index, item in enumerate(items):
        if index in keys or member not in item:
            run.append(index)
    return ItemClaims(store, owner, tuple(run), replayed, refused, keys, fingerprints)
