"""A Flask batch endpoint: POST a JSON array of items to /items, get one result per item.

Run it with ``python examples/flask_batch.py --port 5000``.
``save_items`` stands for your own code: it records one result per item.
"""

from __future__ import annotations

import argparse
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, request

import multistatus as ms
from multistatus import flask as msflask

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # Flask's own 413, answered as a problem
msflask.init_app(app, policy="200-if-all-succeeded", default="application/json")

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


@app.post("/items")
def create_items() -> Response:
    items = request.get_json()  # malformed JSON: werkzeug's BadRequest, answered as a 400 problem
    if not isinstance(items, list):
        raise ms.ParseError("Send a JSON array of items.")
    save_items(msflask.get_results(), items)
    return msflask.respond()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=5000)
    app.run("127.0.0.1", parser.parse_args().port)
