"""A FastAPI batch endpoint: POST a JSON array of items to /items, get one result per item.

Run it with ``uvicorn examples.fastapi_batch:app`` or ``python examples/fastapi_batch.py --port 8003``.
``save_items`` stands for your own code: it records one result per item.
"""

from __future__ import annotations

import argparse
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request, Response

import multistatus as ms
from multistatus.asgi import get_results, install, read_body, response

LIMITS = ms.Limits(max_bytes=64 * 1024, max_responses=1000)

QUOTA = 7  # saves per request; the rest are rate-limited


def save_items(results: ms.Results, items: list[Any]) -> None:
    """Your code: save each item on its own and record one result for it."""
    saved = 0
    for number, item in enumerate(items, 1):
        item = item if isinstance(item, dict) else {}
        item_id = str(item.get("id", number))
        href = f"/items/{quote(item_id, safe='')}"
        with results.item(href, id=item_id) as handle:  # an exception here: this item's 500
            if not isinstance(item.get("name"), str) or not item["name"].strip():
                handle.failed(status=422, code="invalid", message="Each item needs a non-empty 'name'.")
            elif item.get("protected"):
                handle.failed(status=403, code="forbidden", message="This item is protected.")
            elif saved >= QUOTA:
                handle.failed(status=429, code="rate_limited", message="Too many items; retry later.", retry_after=30)
            else:
                saved += 1  # store the item here
                handle.succeeded(status=201, location=href, body={"id": item_id, "name": item["name"]})


app = install(FastAPI(), policy="200-if-all-succeeded", default="application/json")


@app.post("/items")
async def create_items(request: Request) -> Response:
    body = await read_body(request.scope, request.receive, max_bytes=LIMITS.max_bytes)  # 413
    items = ms.read_batch(body, content_type=request.headers.get("content-type"), limits=LIMITS)  # 400
    save_items(get_results(request), items)
    return response(request)


if __name__ == "__main__":
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8003)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning")
