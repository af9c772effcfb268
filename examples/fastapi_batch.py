"""A FastAPI batch endpoint: POST a JSON array of items to /items, get one result per item.

Run it with ``uvicorn examples.fastapi_batch:app`` or ``python examples/fastapi_batch.py --port 8003``.
``save_items`` stands for your own code: it records one result per item.  The
body is read with ``read_batch(request, item=Item)``, not typed ``list[Item]``:
FastAPI refuses a whole ``list[Item]`` for one bad item, where here that item
is its own 422 and the others are saved.  The route returns the collector; the
negotiated 207 is sent for it once ``install(app)`` is done.
"""

from __future__ import annotations

import argparse
from urllib.parse import quote

from fastapi import FastAPI, Request
from pydantic import BaseModel, Field

import multistatus as ms
from multistatus.asgi import get_results, install, read_batch

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


app = install(FastAPI(), policy="200-if-all-succeeded")


@app.post("/items", response_model=None)
async def create_items(request: Request) -> ms.Results:
    items = await read_batch(request, item=Item, href="/items/{id}", max_bytes=MAX_BYTES)  # 400, 413, 415
    save_items(get_results(request), items)
    return get_results(request)  # answered with the negotiated 207


if __name__ == "__main__":
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8003)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning")
