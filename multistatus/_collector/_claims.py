"""Per-item idempotency keys in the collector: :meth:`Results.claimed <multistatus.Results.claimed>`.

The items of a batch are claimed in one store round trip before any runs;
the loop then sees only the items to run, in order, while the collector
records the others' answers in their place (a replayed item's stored
response, marked ``replayed``; a refused item's problem).  When the loop ends,
however it ends, the responses of the items that ran are kept in one more
round trip and the claims of the items that did not run are released, so that
a retry runs them; so are those of the items answered "retry later" (429,
503, ``retry-after``: :func:`~multistatus.idempotency.retry_later`).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping, Sequence
from typing import TYPE_CHECKING

from .._model import Response

if TYPE_CHECKING:
    from .._idempotency import Idempotency
    from ._results import Results

__all__ = ["claimed"]

#: Names an item for its refusal: (the item, its position) -> an href, or an id.
Namer = Callable[[object, int], str]


def claimed(
    results: Results,
    items: Sequence[object],
    idempotency: Idempotency,
    scope: str,
    href: Namer,
    id: Namer | None,  # noqa: A002 - the JSON member is called "id"
) -> Generator[tuple[int, object], None, None]:
    """Claim the keys of *items*, yield ``(position, item)`` for those to run, record the others."""
    from .._idempotency import claim_items, retry_later  # (the collector pays for idempotency only when used)

    member = idempotency.member
    keyed = [i for i, item in enumerate(items) if isinstance(item, (dict, Mapping)) and member in item]
    if not keyed:  # no item has a key of its own: nothing to claim, record or keep
        yield from enumerate(items)
        return
    claims = claim_items(
        [items[i] for i in keyed],  # type: ignore[misc]
        idempotency.store,
        scope=scope,
        lease=idempotency.lease,
        member=member,
        policy=idempotency.policy,
        target=results.target,
    )
    at = {index: n for n, index in enumerate(keyed)}  # item position -> its position among the claimed
    recorded = results._responses  # (read only here: the response each item that ran recorded)
    done: dict[int, Response] = {}
    try:
        for index, item in enumerate(items):
            n = at.get(index, -1)
            replayed = claims.replayed.get(n)
            if replayed is not None:
                results.add(replayed)
                continue
            refused = claims.refused.get(n)
            if refused is not None:
                results.add(refused.response(href(item, index), id=None if id is None else id(item, index)))
                continue
            before = len(recorded)
            yield index, item
            if n in claims.keys and len(recorded) == before + 1:  # (exactly its own response)
                response = recorded[before]
                if not retry_later(response.status_code, response.headers.items()):  # (else released)
                    done[n] = response
    finally:
        claims.complete(done)  # and releases the claimed items that recorded nothing
