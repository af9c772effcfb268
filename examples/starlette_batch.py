"""A Starlette batch endpoint: POST a JSON array of items to /items, get one result per item.

Run it with ``uvicorn examples.starlette_batch:app`` or ``python examples/starlette_batch.py --port 8002``.
``save_items`` stands for your own code: it records one result per item.
"""

from __future__ import annotations

import argparse
from urllib.parse import quote

from pydantic import BaseModel, Field
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import multistatus as ms
from multistatus.asgi import get_results, install, read_batch, respond

MAX_BYTES = 64 * 1024  # more: 413
QUOTA = 7  # saves per request; the rest are rate-limited


class Item(BaseModel):
    """One item of the batch; an item this refuses is its own 422, the others go on."""

    id: str
    name: str = Field(min_length=1)
    protected: bool = False


def save_items(results: ms.Results, items: list[Item]) -> None:
    """Your code: save each item on its own and record one result for it."""
    saved = 0
    for item in items:
        href = f"/items/{quote(item.id, safe='')}"
        with results.item(href, id=item.id) as handle:  # an exception here: this item's 500
            if item.protected:
                handle.record_failure(status=403, code="forbidden", message="This item is protected.")
            elif saved >= QUOTA:
                handle.record_failure(
                    status=429, code="rate_limited", message="Too many items; retry later.", retry_after=30
                )
            else:
                saved += 1  # store the item here
                handle.record_success(status=201, location=href, body={"id": item.id, "name": item.name})


async def create_items(request: Request) -> Response:
    items = await read_batch(request, item=Item, href="/items/{id}", max_bytes=MAX_BYTES)  # 400, 413, 415
    save_items(get_results(request), items)
    return respond(request)  # type: ignore[no-any-return]


app = install(Starlette(routes=[Route("/items", create_items, methods=["POST"])]), policy="200-if-all-succeeded")

if __name__ == "__main__":
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8002)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning")
