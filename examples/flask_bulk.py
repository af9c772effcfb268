"""A Flask bulk-create endpoint that reports partial success as a multistatus.

POST a JSON array of items to ``/items``: each item is validated and saved on
its own, and the answer lists every item with its own status -- 201 for the
saved ones, 422 for an invalid one, 403 for one the caller may not create, 429
(with ``retry-after``) once the caller's quota is used up.  The client gets
JSON, XML or an HTML page depending on its ``Accept`` header.

Run it with ``flask --app examples/flask_bulk.py run`` and try::

    curl -i -X POST http://127.0.0.1:5000/items -H 'Content-Type: application/json' \\
         -d '[{"sku": "a-1", "name": "Apple"}, {"sku": "b-2"}]'
"""

from __future__ import annotations

import threading

from flask import Flask, Response, request

import multistatus as ms
from multistatus import flask as msflask

app = Flask(__name__)
# The middleware owns the representation, the policy and request-level failures.
msflask.init_app(app, ms.ServeOptions(default="application/json"))

QUOTA = 7  # items one caller may create per request
RESERVED = {"admin"}  # SKUs nobody may create through the API
STORE: dict[str, dict[str, str]] = {}
_lock = threading.Lock()


@app.post("/items")
def create_items() -> Response:
    # A body that is not a batch is a request-level failure: a plain 400, 413 or 415 problem
    # (JSON, XML, DAV:error or HTML by Accept), never 207.
    items = msflask.read_batch(request)
    results = msflask.get_results(request)
    saved = 0
    for index, item in enumerate(items, 1):
        sku = str(item.get("sku", index)) if isinstance(item, dict) else str(index)
        href = f"/items/{sku}"
        with results.item(href, id=sku) as handle:  # an exception here becomes this item's 500
            if not isinstance(item, dict) or not item.get("name"):
                handle.record_failure(status=422, code="invalid", message="'name' is required.")
            elif sku in RESERVED:
                handle.record_failure(status=403, code="forbidden", message=f"You may not create {sku!r}.")
            elif saved >= QUOTA:
                handle.record_failure(status=429, code="rate_limited", message="Quota used up.", retry_after=30)
            else:
                with _lock:
                    STORE[sku] = {"sku": sku, "name": str(item["name"])}
                saved += 1
                handle.record_success(status=201, location=href, body=STORE[sku])
    return msflask.respond(request)  # renders the collected results for this request


#: The sample batch: ten items, seven saved, one invalid, one forbidden, one rate-limited.
SEED_ITEMS = [
    {"sku": "a-1", "name": "Apple"},
    {"sku": "b-2", "name": "Banana"},
    {"sku": "c-3"},
    {"sku": "d-4", "name": "Date"},
    {"sku": "admin", "name": "Root"},
    {"sku": "e-5", "name": "Elderberry"},
    {"sku": "f-6", "name": "Fig"},
    {"sku": "g-7", "name": "Grape"},
    {"sku": "h-8", "name": "Honeydew"},
    {"sku": "i-9", "name": "Kiwi"},
]


if __name__ == "__main__":
    app.run()
