"""A FastAPI batch endpoint: POST a JSON array of items to /items, get one result per item.

Run it with ``uvicorn examples.fastapi_batch:app`` or ``python examples/fastapi_batch.py --port 8003``.
``process_items`` stands for your own code: it records one result per item.
"""

from __future__ import annotations

import argparse

from fastapi import FastAPI, Request, Response

import multistatus as ms
from multistatus.asgi import get_results, install, read_body, response
from multistatus.demo import process_items

LIMITS = ms.Limits(max_bytes=64 * 1024, max_responses=1000)
app = install(FastAPI(), policy="200-if-all-succeeded", default="application/json")


@app.post("/items")
async def create_items(request: Request) -> Response:
    body = await read_body(request.scope, request.receive, max_bytes=LIMITS.max_bytes)  # 413
    items = ms.read_batch(body, content_type=request.headers.get("content-type"), limits=LIMITS)  # 400
    process_items(get_results(request), items)
    return response(request)


if __name__ == "__main__":
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8003)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning")
