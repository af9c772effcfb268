"""A plain WSGI batch endpoint: POST a JSON array of items to /items, get one result per item.

Run it with ``python examples/wsgi_batch.py --port 8000`` (werkzeug's server).
``process_items`` stands for your own code: it records one result per item.
"""

from __future__ import annotations

import argparse

from werkzeug.serving import run_simple
from werkzeug.wrappers import Request

import multistatus as ms
from multistatus.demo import process_items
from multistatus.wsgi import MultiStatusMiddleware, get_results, respond

LIMITS = ms.Limits(max_bytes=64 * 1024, max_responses=1000)


def items(environ, start_response):  # type: ignore[no-untyped-def]
    request = Request(environ)
    batch = ms.read_batch(request.stream, content_type=request.content_type, limits=LIMITS)  # 400, 413
    process_items(get_results(environ), batch)
    return respond(environ, start_response)


app = MultiStatusMiddleware(items, policy="200-if-all-succeeded", default="application/json")

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8000)
    run_simple("127.0.0.1", parser.parse_args().port, app)
