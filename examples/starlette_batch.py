"""A Starlette batch endpoint: POST a JSON array of items to /items, get one result per item.

Run it with ``uvicorn examples.starlette_batch:app`` or ``python examples/starlette_batch.py --port 8002``.
``process_items`` stands for your own code: it records one result per item.
"""

from __future__ import annotations

import argparse

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import multistatus as ms
from multistatus.asgi import get_results, install, read_body, response
from multistatus.demo import process_items

LIMITS = ms.Limits(max_bytes=64 * 1024, max_responses=1000)


async def create_items(request: Request) -> Response:
    body = await read_body(request.scope, request.receive, max_bytes=LIMITS.max_bytes)  # 413
    items = ms.read_batch(body, content_type=request.headers.get("content-type"), limits=LIMITS)  # 400
    process_items(get_results(request), items)
    return response(request)


app = install(
    Starlette(routes=[Route("/items", create_items, methods=["POST"])]),
    policy="200-if-all-succeeded",
    default="application/json",
)

if __name__ == "__main__":
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8002)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning")
