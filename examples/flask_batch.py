"""A Flask batch endpoint: POST a JSON array of items to /items, get one result per item.

Run it with ``python examples/flask_batch.py --port 5000``.
``process_items`` stands for your own code: it records one result per item.
"""

from __future__ import annotations

import argparse

from flask import Flask, Response, request

import multistatus as ms
from multistatus import flask as msflask
from multistatus.demo import process_items

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # Flask's own 413, answered as a problem
msflask.init_app(app, policy="200-if-all-succeeded", default="application/json")


@app.post("/items")
def create_items() -> Response:
    items = request.get_json()  # malformed JSON: werkzeug's BadRequest, answered as a 400 problem
    if not isinstance(items, list):
        raise ms.ParseError("Send a JSON array of items.")
    process_items(msflask.get_results(), items)
    return msflask.respond()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=5000)
    app.run("127.0.0.1", parser.parse_args().port)
